/* SPDX-License-Identifier: MIT */
/*
 * launch: the launched command: PATH lookup, --same-cpu, fork, the
 * seccomp filter, seize and release; killing the tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/engine_int.h"
#include "engine/seccomp.h"
#include "engine/tracer.h"
#include "lib/json.h"
#include "lib/procfs.h"
#include "lib/msg.h"

/* ---- before any output: the command, the CPU ---- */

/* PATH search like execvp; dies 127/126 like a shell. Returns a malloc'ed path. */
static char *resolve_command(const char *cmd)
{
	struct stat st;
	if (strchr(cmd, '/')) {
		if (stat(cmd, &st) < 0)
			die(127, "%s: command not found (%s)", cmd, strerror(errno));
		if (S_ISDIR(st.st_mode))
			die(126, "%s: is a directory", cmd);
		if (access(cmd, X_OK) < 0)
			die(126, "%s: permission denied", cmd);
		return xstrdup(cmd);
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	bool denied = false;
	for (const char *p = path;;) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *cand = len ? xasprintf("%.*s/%s", (int)len, p, cmd) : xasprintf("%s", cmd);
		if (stat(cand, &st) == 0 && !S_ISDIR(st.st_mode)) {
			if (access(cand, X_OK) == 0)
				return cand;
			denied = true;
		}
		free(cand);
		if (!end)
			break;
		p = end + 1;
	}
	if (denied)
		die(126, "%s: permission denied", cmd);
	die(127, "%s: command not found", cmd);
}

/*
 * --same-cpu: compendium (its waker thread too) and the launched command,
 * which inherits the affinity, on the CPU compendium runs on. A ptrace
 * stop wakes the tracer; on a VM a wake-up on another vCPU costs an IPI
 * and a vCPU wake (22-63 us seen here) instead of about 2 us.
 */
static void pin_same_cpu(struct run *r)
{
	cpu_set_t cur, one;
	if (sched_getaffinity(0, sizeof(cur), &cur) < 0) {
		warnmsg("--same-cpu: cannot read the CPU affinity (%s); not pinned", strerror(errno));
		return;
	}
	int cpu = sched_getcpu();
	if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &cur))
		for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &cur); cpu++)
			;
	if (cpu >= CPU_SETSIZE)
		return;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) < 0) {
		warnmsg("--same-cpu: cannot pin to CPU %d (%s); not pinned", cpu, strerror(errno));
		return;
	}
	r->same_cpu = cpu;
	json_key(&r->header_extra, "same_cpu");
	buf_printf(&r->header_extra, "%d", cpu);
	notemsg("--same-cpu: compendium and the command run on CPU %d only", cpu);
}

void eng_launch_prepare(struct run *r)
{
	r->mode = "trace";
	eng.cmd_path = resolve_command(eng.cfg->argv[0]);
	if (eng.cfg->same_cpu)
		pin_same_cpu(r);
}

/* ---- launching ---- */

void eng_child_setup(void)
{
	/*
	 * --json -: our stdout is the log, the command's stdout is our stderr
	 * (before the tracer starts stopping us: no event is made of this dup2).
	 * A closed stderr means the command's output has nowhere to go but the
	 * log; close its stdout instead, so it gets EBADF rather than corrupt it.
	 */
	if (eng.cfg->stdout_to_stderr && dup2(2, 1) < 0)
		close(1);
	if (!eng.ttou_ignored)
		signal(SIGTTOU, SIG_DFL);
	if (!eng.ttin_ignored)
		signal(SIGTTIN, SIG_DFL);
	if (eng.chld_ignored)
		signal(SIGCHLD, SIG_IGN);
	sigprocmask(SIG_SETMASK, &eng.oldmask, NULL);
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

static NORETURN void child_exec(const char *path, char **argv, int syncfd, const struct sock_filter *prog, size_t n)
{
	char c;
	eng_child_setup();
	/* wait until the tracer has seized us */
	while (read(syncfd, &c, 1) < 0 && errno == EINTR)
		;
	close(syncfd);
	if (prog) {
		int rc = seccomp_install(prog, n);
		eng.shm->seccomp = rc == 0 ? 1 : rc;
	}
	if (eng.shm->seccomp != 1)
		kill(getpid(), SIGSTOP); /* the tracer switches to PTRACE_SYSCALL here */
	execv(path, argv);
	eng.shm->exec_errno = errno;
	_exit(errno == ENOENT ? 127 : 126);
}

/*
 * The command's process, held: the page it reports its exec errno on
 * (eng.shm) and a start pipe, then fork. In the child (0) sync[0] is the
 * end it waits on; in the parent (the child's pid) sync[1] is the end that
 * lets it go, the other end closed.
 */
pid_t eng_fork_held(int sync[2])
{
	eng.shm = mmap(NULL, sizeof(*eng.shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (eng.shm == MAP_FAILED)
		die(70, "mmap: %s", strerror(errno));
	if (pipe2(sync, O_CLOEXEC) < 0)
		die(70, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		die(70, "fork: %s", strerror(errno));
	if (pid == 0)
		close(sync[1]);
	else
		close(sync[0]);
	return pid;
}

/* The held child could not be traced: it must not run untraced. */
void eng_held_failed(pid_t pid, const char *what)
{
	int err = errno;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	die(1, "cannot trace the command: %s: %s", what, strerror(err));
}

/* The held child as the run's root: its task, hidden until its exec, named by the path it will exec. */
struct task *eng_held_root(struct run *r, pid_t pid, const char *path)
{
	eng.root_pid = pid;
	eng.root_pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	r->root_pid = pid;
	struct task *t = eng_task_new(pid, NULL);
	eng_of(t)->hide = true;
	t->proc->exe = evlog_intern_cstr(eng.log, path);
	t->proc->comm = eng_intern_basename(t->proc->exe);
	decode_proc_new(t->proc, NULL, 0);
	return t;
}

/* Lets the held child go on to its exec (the write end of eng_fork_held's pipe). */
void eng_held_go(int fd)
{
	if (write(fd, "g", 1) != 1)
		die(70, "cannot start the command: %s", strerror(errno));
	close(fd);
}

void eng_launch(struct run *r)
{
	char *path = eng.cmd_path;
	uint64_t bitmap[SC_BITMAP_WORDS] = {0};
	struct sock_filter *prog = NULL;
	size_t nprog = 0;

	/*
	 * A filter compendium runs under is the command's too, and older than
	 * ours: its RET_TRACE would come with our data. Stop at every syscall
	 * instead (doc/ENGINE.md, 'Seccomp filters of the tracee').
	 */
	bool filtered = procfs_status_num(getpid(), "Seccomp", 10, 0) == 2;
	if (!eng.cfg->no_seccomp && !filtered && decode_wanted_syscalls(bitmap)) {
		for (unsigned i = 0; i < arch_engine_syscalls_count; i++)
			bitmap[arch_engine_syscalls[i] / 64] |= 1ULL << (arch_engine_syscalls[i] % 64);
		struct decode_argrule rules[5];
		size_t nrules = decode_arg_rules(rules, ARRAY_SIZE(rules) - 1);
		if (!(bitmap[SYS_prctl / 64] & (1ULL << (SYS_prctl % 64)))) {
			/* doc/ENGINE.md, 'Seccomp filters of the tracee': the engine must see it installed */
			bitmap[SYS_prctl / 64] |= 1ULL << (SYS_prctl % 64);
			rules[nrules++] = (struct decode_argrule){ .nr = SYS_prctl, .arg = 0, .nvals = 1,
								   .vals = { PR_SET_SECCOMP } };
		}
		nprog = seccomp_build_rules(bitmap, rules, nrules, &prog);
	}
	int sync[2];
	pid_t pid = eng_fork_held(sync);
	if (pid == 0)
		child_exec(path, eng.cfg->argv, sync[0], prog, nprog);
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_TRACEFORK |
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL;
	if (prog)
		opts |= PTRACE_O_TRACESECCOMP;
	if (ptrace(PTRACE_SEIZE, pid, 0L, opts) < 0)
		eng_held_failed(pid, "ptrace(PTRACE_SEIZE)");
	struct task *t = eng_held_root(r, pid, path);
	eng_hooks_start(t->proc, t);
	eng_held_go(sync[1]);
	free(prog);
	free(path);
	eng.cmd_path = NULL;
}

/* ---- a second Ctrl-C, SIGTERM ---- */

static void kill_one(struct task *t, void *ctx)
{
	(void)ctx;
	if (t->tid == t->proc->pid || !task_find(eng.ts, t->proc->pid))
		eng_pidfd_kill(t->proc->pid, SIGKILL);
}

void eng_kill_tree(void)
{
	if (eng.killing)
		return;
	eng.killing = true;
	for (size_t i = 0; i < eng.norph; i++)
		eng_pidfd_kill(eng.orph[i].tid, SIGKILL);
	taskset_each(eng.ts, kill_one, NULL);
}
