/* SPDX-License-Identifier: MIT */
/* attach: --pid: the target checks, seizing every thread, and detaching cleanly. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/engine_int.h"
#include "engine/tracer.h"
#include "lib/procfs.h"
#include "lib/msg.h"

/* ---- attaching ---- */

static NORETURN void attach_failed(int pid, int err, const char *comm)
{
	if (err == ESRCH)
		die(1, "--pid %d: no such process", pid);
	if (err == EPERM) {
		long tracer = (long)procfs_status_num(pid, "TracerPid", 10, -1);
		if (tracer > 0) {
			struct procfs_stat ts;
			const char *tcomm = procfs_stat((int)tracer, &ts) == 0 ? ts.comm : "?";
			die(1, "--pid %d (%s): already traced by %ld (%s); stop that tracer first", pid, comm, tracer, tcomm);
		}
		if (pid == 1)
			die(1, "--pid 1 (%s): the kernel does not let init be traced", comm);
		char scope[16];
		if (procfs_read_file("/proc/sys/kernel/yama/ptrace_scope", scope, sizeof(scope)) > 0 && atoi(scope) > 0 &&
		    (geteuid() != 0 || atoi(scope) == 3))
			die(1, "--pid %d (%s): not permitted by kernel.yama.ptrace_scope=%d; run as root or lower it", pid,
			    comm, atoi(scope));
		if (geteuid() != 0)
			die(1, "--pid %d (%s): not permitted: it belongs to another user or is not dumpable; "
			       "run as root (CAP_SYS_PTRACE)", pid, comm);
		die(1, "--pid %d (%s): not permitted by the kernel (%s)", pid, comm, strerror(err));
	}
	die(1, "--pid %d (%s): cannot attach: %s", pid, comm, strerror(err));
}

static int count_tasks(int pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	DIR *d = opendir(path);
	return d ? (int)count_dir_entries(d) : 0;
}

static void check_target(int pid)
{
	struct procfs_stat st;
	if (pid <= 0)
		die(1, "--pid %d: not a valid process id", pid);
	if (pid == eng.self)
		die(1, "--pid %d: refusing to trace compendium itself", pid);
	if (procfs_stat(pid, &st) < 0)
		die(1, "--pid %d: no such process", pid);
	if (st.flags & 0x00200000) /* PF_KTHREAD */
		die(1, "--pid %d (%s): a kernel thread cannot be traced", pid, st.comm);
	if ((st.state == 'Z' || st.state == 'X') && count_tasks(pid) <= 1)
		die(1, "--pid %d (%s): the process is a zombie (already exited)", pid, st.comm);
}

void eng_attach_prepare(struct run *r)
{
	r->mode = "attach";
	if (eng.cfg->same_cpu)
		warnmsg("--same-cpu applies to launched commands; with --pid the targets' CPU affinity is left alone");
	for (int i = 0; i < eng.cfg->npids; i++)
		check_target(eng.cfg->pids[i]);
	/* the header's argv: the first target's command line */
	uint32_t argc = eng_cmdline_ids(eng.cfg->pids[0], eng.argv_ids, EXEC_MAX_ARGS);
	if (argc) {
		char **argv = xcalloc(argc + 1, sizeof(*argv));
		for (uint32_t i = 0; i < argc; i++)
			argv[i] = xstrdup(evlog_str(eng.log, eng.argv_ids[i], NULL));
		r->argv = argv;
		r->argc = (int)argc;
	}
}

static void attach_process(int pid)
{
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_TRACEFORK |
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;
	long tgid = (long)procfs_status_num(pid, "Tgid", 10, -1);
	if (tgid > 0)
		pid = (int)tgid;
	if (proc_find(eng.ts, pid))
		return; /* named twice */
	struct procfs_stat st = {.comm = "?"};
	if (procfs_stat(pid, &st) < 0)
		memcpy(st.comm, "?", 2);
	const char *comm = st.comm;
	bool stopped = st.state == 'T';
	struct proc *p = NULL;
	bool grew = true;

	/* threads appear while we attach: loop until a pass finds none (doc/ENGINE.md, 'Attach permission') */
	while (grew) {
		grew = false;
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		DIR *d = opendir(path);
		if (!d) {
			if (!p)
				die(1, "--pid %d: no such process", pid);
			break;
		}
		struct dirent *de;
		while ((de = readdir(d))) {
			int tid = atoi(de->d_name);
			if (tid <= 0 || task_find(eng.ts, tid))
				continue;
			if (ptrace(PTRACE_SEIZE, tid, 0L, opts) < 0) {
				int err = errno;
				if (tid == pid && !p && !(st.state == 'Z' && err == EPERM)) {
					closedir(d);
					attach_failed(pid, err, comm);
				}
				continue; /* a thread that just exited, or the zombie leader */
			}
			struct task *t = eng_task_new(tid, p);
			if (!p)
				p = t->proc; /* keyed by its first thread if the leader is a zombie */
			ptrace(PTRACE_INTERRUPT, tid, 0L, 0L);
			grew = true;
		}
		closedir(d);
	}
	if (!p)
		attach_failed(pid, ESRCH, comm);
	p->attached = true;
	ssize_t n = procfs_link(pid, "exe", eng.path, sizeof(eng.path));
	if (n > 0) {
		p->exe = evlog_intern(eng.log, eng.path, (size_t)n);
		p->comm = eng_intern_basename(p->exe);
	} else {
		p->comm = evlog_intern_cstr(eng.log, comm);
	}
	decode_proc_attached(p);

	struct ev_draft d;
	ev_init(&d, EVT_ATTACH, evlog_now(eng.log), pid, pid);
	uint32_t argc = eng_cmdline_ids(pid, eng.argv_ids, EXEC_MAX_ARGS);
	if (p->exe)
		ev_strid(&d, EVK_PATH, p->exe);
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(eng.log, eng.argv_ids, argc));
	if (stopped)
		ev_bool(&d, EVK_STOPPED, true);
	evlog_append(eng.log, &d);
	if (stopped)
		notemsg("process %d is stopped; it stays stopped", pid);
	eng_hooks_start(p, NULL);
}

static void task_start_hook(struct task *t, void *ctx)
{
	(void)ctx;
	eng_hooks_start(NULL, t);
}

void eng_attach_all(void)
{
	for (int i = 0; i < eng.cfg->npids; i++)
		attach_process(eng.cfg->pids[i]);
	taskset_each(eng.ts, task_start_hook, NULL);
}

/*
 * --same-cpu: compendium (its waker thread too) and the launched command,
 * which inherits the affinity, on the CPU compendium runs on. A ptrace
 * stop wakes the tracer; on a VM a wake-up on another vCPU costs an IPI
 * and a vCPU wake (22-63 us seen here) instead of about 2 us.
 */

/* ---- detaching (doc/ENGINE.md, 'Detaching from every kind of stop') ---- */

void eng_detach_one(struct task *t, int status)
{
	int sig = 0;
	if (WIFSTOPPED(status) && (status >> 16) == 0 && WSTOPSIG(status) != (SIGTRAP | 0x80))
		sig = WSTOPSIG(status); /* a signal on its way: let it arrive */
	bool last = t->proc->nthreads == 1;
	if (last)
		eng_note_peak(t); /* the process keeps running: its peak so far */
	ptrace(PTRACE_DETACH, t->tid, 0L, (long)sig);
	eng_abandon(t);
	if (last) {
		struct ev_draft d;
		eng_ev_start(&d, EVT_DETACH, t);
		if (t->proc->maxrss) {
			ev_uint(&d, EVK_MAXRSS, t->proc->maxrss);
			if (t->proc->maxrss > eng.r->peak_rss)
				eng.r->peak_rss = t->proc->maxrss;
		}
		evlog_append(eng.log, &d);
		eng_hooks_proc_exit(t->proc);
	}
	eng_task_gone(t);
}

static void interrupt_one(struct task *t, void *ctx)
{
	(void)ctx;
	ptrace(PTRACE_INTERRUPT, t->tid, 0L, 0L);
}

void eng_detach_all(void)
{
	if (eng.detaching)
		return;
	eng.detaching = true;
	eng_detach_orphans();
	eng.norph = 0;
	taskset_each(eng.ts, interrupt_one, NULL);
}

void eng_let_go(void)
{
	size_t n = taskset_count(eng.ts);
	eng.let_go = true;
	if (eng.shm && eng.shm->seccomp == 1) {
		/*
		 * they run under our seccomp filter, whose calls fail with ENOSYS
		 * without a tracer (doc/ENGINE.md, 'Seccomp filter without a
		 * tracer'): detaching would break them
		 */
		notemsg("the command ended after the stop signal; %zu task%s it left keep%s running, "
			"traced until they end (compendium's seccomp filter needs the tracer); "
			"another SIGINT, SIGTERM or SIGHUP kills them", n, n == 1 ? "" : "s", n == 1 ? "s" : "");
		return;
	}
	notemsg("the command ended after the stop signal; detaching %zu task%s it left running",
		n, n == 1 ? "" : "s");
	eng_detach_all();
}

void eng_detach_orphans(void)
{
	for (size_t i = 0; i < eng.norph; i++)
		if (WIFSTOPPED(eng.orph[i].status))
			ptrace(PTRACE_DETACH, eng.orph[i].tid, 0L, 0L);
}
