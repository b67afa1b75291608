/* SPDX-License-Identifier: MIT */
/* tracer: the ptrace engine: launch or attach, the wait loop, stops, detach. */
#include "engine/tracer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/arch/x86_64/arch.h"
#include "forensics/crash.h"
#include "decode/decode.h"
#include "lib/json.h"
#include "lib/procfs.h"
#include "options.h"
#include "engine/seccomp.h"
#include "tracee/tmem.h"
#include "lib/msg.h"
#include "lib/util.h"

#define MAX_HOOKS 8
#define EXEC_MAX_ARGS 4096
#define EXEC_MAX_BYTES (128 * 1024)
#define WAKE_RETRY_MS 1 /* the waker repeats its signal until the tracer has looked */

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

/* The tracer's private per-task data (task->eng). */
struct eng {
	bool fresh;          /* no stop seen yet */
	bool hide;           /* the launched child before its execve: not shown */
	bool hidden;         /* the current syscall is not shown */
	bool child_seen;     /* a fork/clone event arrived during the current syscall */
	bool deny;           /* ptrace(ATTACH/SEIZE, compendium) refused at entry */
	bool exec_done;      /* EVENT_EXEC arrived during the current execve */
	bool clone_known;    /* clone_flags read at entry */
	enum arch_sc_kind kind;
	uint64_t clone_flags;
	/* execve captured at entry: path NUL argv[0] NUL ... (bounded) */
	struct buf ex;
	uint32_t ex_argc;
	bool ex_valid;
	int ex_dirfd;        /* execveat dirfd, AT_FDCWD otherwise */
};

struct pending {
	int tid, pid;
	int status;
};

/* Child -> tracer facts before the first execve (shared anonymous page). */
struct launch_shm {
	volatile int seccomp;    /* 1 installed, 0 not wanted, <0 -errno */
	volatile int exec_errno;
};

static struct tracer_hooks hooks[MAX_HOOKS];
static int nhooks;

static struct {
	struct run *r;
	struct evlog *log;
	struct taskset *ts;
	pid_t self;
	bool attach;          /* --pid */
	bool seccomp;         /* tracees stop through the filter; PTRACE_CONT outside syscalls */
	bool mode_known;      /* launched: seccomp decided at the child's first stop */
	int root_pid, root_pidfd;
	bool root_done;
	bool root_execed;
	bool prepared;
	bool parallel_told;   /* --same-cpu: the note about serialized parallel work was given */
	char *cmd_path;       /* the launched command, resolved by tracer_prepare */
	struct launch_shm *shm;
	int sigfd;
	sigset_t oldmask;
	/*
	 * The waker thread watches the signalfd, the hooks' fds and ticks so
	 * that the tracer can block in wait4 alone (one syscall per stop
	 * instead of wait4+ppoll+read); it interrupts that wait4 with SIG_WAKE.
	 */
	pthread_t waker;
	bool waker_on;
	int quitfd;             /* eventfd: the waker ends */
	pid_t tracer_tid;
	atomic_int wake_req;    /* waker -> tracer: look at signals, hook fds and ticks */
	atomic_int in_wait;     /* the tracer is in, or about to enter, its blocking wait4 */
	unsigned ru_wanted;     /* processes exiting whose rusage is counted: wait4 asks only then */
	int nint;
	bool ttou_ignored, ttin_ignored, chld_ignored;
	bool killing, detaching;
	/* first stops of children whose parent's event has not arrived (P5) */
	struct pending *orph;
	size_t norph, corph;
	/* threads deleted at a non-leader exec whose death is still to be reaped (P1) */
	struct pending *gone;
	size_t ngone, cgone;
	uint64_t tick_last[MAX_HOOKS];
	uint32_t argv_ids[EXEC_MAX_ARGS];
	char path[PATH_MAX + 64];
} E;

void tracer_add_hooks(const struct tracer_hooks *h)
{
	if (nhooks == MAX_HOOKS)
		die(70, "internal: too many tracer hooks");
	hooks[nhooks++] = *h;
}

struct taskset *tracer_tasks(void)
{
	return E.ts;
}

/* ---- small helpers ---- */

static struct eng *eng_of(struct task *t)
{
	return t->eng;
}

static struct task *task_new(int tid, struct proc *p)
{
	struct task *t = task_add(E.ts, tid, p);
	struct eng *e = xcalloc(1, sizeof(*e));
	e->fresh = true;
	t->eng = e;
	if (!p)
		t->proc->t_start = evlog_now(E.log);
	return t;
}

static void task_gone(struct task *t)
{
	struct eng *e = t->eng;
	if (t->proc->refs == 1 && t->proc->cpu_pending) {
		t->proc->cpu_pending = false;
		E.ru_wanted--;
	}
	if (e) {
		buf_free(&e->ex);
		free(e);
	}
	t->eng = NULL;
	task_del(E.ts, t);
}

static void ev_start(struct ev_draft *d, unsigned type, struct task *t)
{
	ev_init(d, type, evlog_now(E.log), t ? t->proc->pid : 0, t ? t->tid : 0);
}

static void emit_warning(struct task *t, const char *msg)
{
	struct ev_draft d;
	ev_start(&d, EVT_WARNING, t);
	ev_cstr(&d, E.log, EVK_MSG, msg);
	evlog_append(E.log, &d);
	warnmsg("%s", msg);
}

static uint32_t intern_basename(uint32_t path_id)
{
	size_t len;
	const char *s = evlog_str(E.log, path_id, &len);
	if (!s)
		return 0;
	const char *b = memrchr(s, '/', len);
	b = b ? b + 1 : s;
	return evlog_intern(E.log, b, len - (size_t)(b - s));
}

/* argv of a live process from /proc/PID/cmdline as interned ids; returns count. */
static uint32_t cmdline_ids(int pid, uint32_t *ids, uint32_t max)
{
	char path[64];
	struct buf b = {0};
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char chunk[4096];
	ssize_t n;
	while (b.len < EXEC_MAX_BYTES && (n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	uint32_t k = 0;
	for (size_t off = 0; off < b.len && k < max;) {
		size_t l = strnlen(b.data + off, b.len - off);
		ids[k++] = evlog_intern(E.log, b.data + off, l);
		off += l + 1;
	}
	buf_free(&b);
	return k;
}

/* ---- resuming ---- */

static void resume(struct task *t, int sig)
{
	int req = (!E.seccomp || t->in_syscall) ? PTRACE_SYSCALL : PTRACE_CONT;
	t->stopped = false;
	/* ESRCH: killed while stopped; its death status follows (P4) */
	ptrace(req, t->tid, 0L, (long)sig);
}

static void pidfd_kill(int pid, int sig)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return;
	syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
	close(fd);
}

/* ---- exec capture ---- */

static void capture_exec(struct task *t, struct eng *e)
{
	const struct syscall *sc = &t->sc;
	bool at = e->kind == ARCH_SC_EXECVEAT;
	uint64_t path = at ? sc->args[1] : sc->args[0];
	uint64_t argv = at ? sc->args[2] : sc->args[1];
	unsigned psz = arch_ptr_size(sc->compat);
	int trunc;

	buf_reset(&e->ex);
	e->ex_argc = 0;
	e->ex_valid = true;
	e->ex_dirfd = at ? (int)sc->args[0] : AT_FDCWD;
	buf_reserve(&e->ex, PATH_MAX + 1);
	ssize_t n = tmem_read_str(t->tid, path, e->ex.data, PATH_MAX, &trunc);
	e->ex.len = n > 0 ? (size_t)n + 1 : 1;
	if (n <= 0)
		e->ex.data[0] = '\0';

	uint64_t ptrs[64];
	uint32_t got = 0;
	while (argv && e->ex_argc < EXEC_MAX_ARGS && e->ex.len < EXEC_MAX_BYTES) {
		uint32_t want = 64;
		unsigned char raw[64 * 8];
		ssize_t r = tmem_read(t->tid, argv + (uint64_t)got * psz, raw, want * psz);
		if (r < (ssize_t)psz)
			break;
		uint32_t have = (uint32_t)r / psz;
		bool end = false;
		for (uint32_t i = 0; i < have; i++) {
			if (psz == 4) {
				uint32_t v;
				memcpy(&v, raw + i * 4, 4);
				ptrs[i] = v;
			} else {
				memcpy(&ptrs[i], raw + i * 8, 8);
			}
		}
		for (uint32_t i = 0; i < have; i++) {
			if (!ptrs[i] || e->ex_argc >= EXEC_MAX_ARGS || e->ex.len >= EXEC_MAX_BYTES) {
				end = true;
				break;
			}
			size_t room = EXEC_MAX_BYTES - e->ex.len;
			buf_reserve(&e->ex, room + 1);
			n = tmem_read_str(t->tid, ptrs[i], e->ex.data + e->ex.len, room, &trunc);
			if (n < 0)
				n = 0;
			e->ex.data[e->ex.len + (size_t)n] = '\0';
			e->ex.len += (size_t)n + 1;
			e->ex_argc++;
		}
		got += have;
		if (end || have < want)
			break;
	}
}

/* Drop "." and empty components and fold ".." of an absolute path, in place. */
static void normalize_path(struct buf *b)
{
	if (!b->data || b->data[0] != '/')
		return;
	char *src = b->data, *dst = b->data;
	while (*src) {
		while (*src == '/')
			src++;
		char *end = strchrnul(src, '/');
		size_t n = (size_t)(end - src);
		if (n == 1 && src[0] == '.') {
			/* nothing */
		} else if (n == 2 && src[0] == '.' && src[1] == '.') {
			while (dst > b->data && *--dst != '/')
				;
		} else if (n) {
			*dst++ = '/';
			memmove(dst, src, n);
			dst += n;
		}
		src = end;
	}
	if (dst == b->data)
		*dst++ = '/';
	*dst = '\0';
	b->len = (size_t)(dst - b->data);
}

/* The attempted path of a failed execve, made absolute against cwd or dirfd. */
static void attempted_path(struct task *t, struct eng *e, struct buf *out)
{
	const char *p = e->ex.data ? e->ex.data : "";
	if (p[0] != '/') {
		char base[PATH_MAX];
		ssize_t n;
		if (e->ex_dirfd == AT_FDCWD) {
			n = procfs_link(t->proc->pid, "cwd", base, sizeof(base));
		} else {
			char what[32];
			snprintf(what, sizeof(what), "fd/%d", e->ex_dirfd);
			n = procfs_link(t->proc->pid, what, base, sizeof(base));
		}
		if (n > 0) {
			buf_adds(out, base);
			if (p[0] && base[n - 1] != '/')
				buf_addc(out, '/');
		}
	}
	buf_adds(out, p);
	normalize_path(out);
}

static void emit_exec(struct task *t, int former, int err)
{
	struct eng *e = eng_of(t);
	struct ev_draft d;
	uint32_t path_id = 0, argc = 0;

	ev_start(&d, EVT_EXEC, t);
	if (err) {
		struct buf p = {0};
		attempted_path(t, e, &p);
		path_id = evlog_intern(E.log, p.data ? p.data : "", p.len);
		buf_free(&p);
	} else {
		ssize_t n = procfs_link(t->proc->pid, "exe", E.path, sizeof(E.path));
		if (n > 0)
			path_id = evlog_intern(E.log, E.path, (size_t)n);
		else if (e->ex_valid)
			path_id = evlog_intern_cstr(E.log, e->ex.data);
	}
	if (e->ex_valid) {
		size_t off = strlen(e->ex.data) + 1;
		for (uint32_t i = 0; i < e->ex_argc && off < e->ex.len; i++) {
			size_t l = strlen(e->ex.data + off);
			E.argv_ids[argc++] = evlog_intern(E.log, e->ex.data + off, l);
			off += l + 1;
		}
	} else if (!err) {
		argc = cmdline_ids(t->proc->pid, E.argv_ids, EXEC_MAX_ARGS);
	}
	if (path_id)
		ev_strid(&d, EVK_PATH, path_id);
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(E.log, E.argv_ids, argc));
	if (former && former != t->tid)
		ev_int(&d, EVK_FORMER_TID, former);
	if (err)
		ev_err(&d, err);
	evlog_append(E.log, &d);
	if (!err && path_id) {
		t->proc->exe = path_id;
		t->proc->comm = intern_basename(path_id);
	}
}

/* ---- syscall stops ---- */

static void untraced_child(struct task *t, int64_t child)
{
	char msg[128];
	snprintf(msg, sizeof(msg), "child %lld escaped tracing (CLONE_UNTRACED)", (long long)child);
	emit_warning(t, msg);
}

static void syscall_entry(struct task *t, const struct arch_scinfo *si, bool seccomp_stop)
{
	struct eng *e = eng_of(t);

	if (t->in_syscall && !e->hidden)
		decode_syscall_abandon(t); /* an exit we never saw (attach, exec) */
	t->in_syscall = true;
	t->sc.nr = si->nr;
	t->sc.arch = si->arch;
	t->sc.compat = si->compat;
	memcpy(t->sc.args, si->args, sizeof(t->sc.args));
	t->sc.ip = si->ip;
	t->sc.sp = si->sp;
	t->sc.t_entry = evlog_now(E.log);
	t->sc.ret = 0;
	t->sc.is_error = false;
	t->sc.scratch = NULL;
	e->kind = arch_sc_kind(si->compat, si->nr);
	e->child_seen = e->deny = e->exec_done = e->clone_known = e->hidden = false;

	if (e->hide) {
		if (e->kind != ARCH_SC_EXECVE) {
			e->hidden = true;
			resume(t, 0);
			return;
		}
		e->hide = false;
	}
	switch (e->kind) {
	case ARCH_SC_FORK:
		e->clone_flags = SIGCHLD;
		e->clone_known = true;
		break;
	case ARCH_SC_VFORK:
		e->clone_flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
		e->clone_known = true;
		break;
	case ARCH_SC_CLONE:
		e->clone_flags = t->sc.args[0];
		e->clone_known = true;
		break;
	case ARCH_SC_CLONE3: {
		uint64_t flags;
		/* struct clone_args starts with the u64 flags */
		if (t->sc.args[1] >= sizeof(flags) &&
		    tmem_read(t->tid, t->sc.args[0], &flags, sizeof(flags)) == (ssize_t)sizeof(flags)) {
			e->clone_flags = flags;
			e->clone_known = true;
		}
		break;
	}
	case ARCH_SC_EXECVE:
	case ARCH_SC_EXECVEAT:
		capture_exec(t, e);
		break;
	case ARCH_SC_PTRACE:
		/* P15: a tracee attaching to its tracer would deadlock both */
		if ((t->sc.args[0] == PTRACE_ATTACH || t->sc.args[0] == PTRACE_SEIZE) &&
		    (pid_t)t->sc.args[1] == E.self) {
			arch_skip_syscall(t->tid, -EPERM);
			e->deny = true;
		}
		break;
	default:
		break;
	}
	decode_syscall_entry(t);
	if (seccomp_stop && e->kind == ARCH_SC_OTHER && !decode_exit_wanted(t)) {
		/* its exit adds nothing (close, fcntl F_SETFD): one stop instead of two */
		decode_syscall_exit(t);
		t->sc.scratch = NULL;
		t->in_syscall = false;
	}
	resume(t, 0);
}

static void syscall_exit(struct task *t, const struct arch_scinfo *si)
{
	struct eng *e = eng_of(t);

	t->sc.ret = si->rval;
	t->sc.is_error = si->is_error;
	if (e->hidden) {
		e->hidden = false;
		t->in_syscall = false;
		resume(t, 0);
		return;
	}
	if (e->deny) {
		arch_set_return(t->tid, -EPERM);
		t->sc.ret = -EPERM;
		t->sc.is_error = true;
	}
	/*
	 * is_error stays the kernel's view ([-4095, -1]); decoders tell restart
	 * codes (-512..-516) and rt_sigreturn's restored rax apart (P17).
	 */
	switch (e->kind) {
	case ARCH_SC_FORK:
	case ARCH_SC_VFORK:
	case ARCH_SC_CLONE:
	case ARCH_SC_CLONE3:
		if (t->sc.ret > 0 && !e->child_seen)
			untraced_child(t, t->sc.ret);
		break;
	case ARCH_SC_EXECVE:
	case ARCH_SC_EXECVEAT:
		if (t->sc.is_error && !e->exec_done)
			emit_exec(t, 0, (int)-t->sc.ret);
		break;
	default:
		break;
	}
	decode_syscall_exit(t);
	t->sc.scratch = NULL;
	t->in_syscall = false;
	resume(t, 0);
}

static void decide_mode(void)
{
	if (E.mode_known)
		return;
	E.mode_known = true;
	int s = E.shm->seccomp;
	E.seccomp = s == 1;
	if (s < 0)
		warnmsg("seccomp filter not installed (%s); stopping at every syscall", strerror(-s));
}

static void syscall_stop(struct task *t, bool seccomp_event)
{
	struct arch_scinfo si;

	if (arch_syscall_info(t->tid, &si) < 0) {
		resume(t, 0);
		return;
	}
	if (seccomp_event && !E.seccomp) {
		/* a filter of the tracee's own; we stop at every syscall anyway */
		resume(t, 0);
		return;
	}
	if (si.op == ARCH_OP_ENTRY || si.op == ARCH_OP_SECCOMP)
		syscall_entry(t, &si, si.op == ARCH_OP_SECCOMP);
	else if (si.op == ARCH_OP_EXIT && t->in_syscall)
		syscall_exit(t, &si);
	else
		resume(t, 0); /* a new child's return from fork, or an exit after attach */
}

/* ---- process events ---- */

static void handle_status(int tid, int status, const struct rusage *ru);

/* --same-cpu: say once that the command's parallel work now shares one CPU. */
static void tell_serialized(struct task *parent, bool thread)
{
	if (E.r->same_cpu < 0 || E.parallel_told)
		return;
	E.parallel_told = true;
	size_t n;
	const char *comm = evlog_str(E.log, parent->proc->comm, &n);
	notemsg("--same-cpu: %.*s started a %s; it shares CPU %d with the rest of the traced tree",
		comm ? (int)n : 1, comm ? comm : "?", thread ? "thread" : "process", E.r->same_cpu);
}

static struct task *new_child(struct task *t, int event)
{
	struct eng *e = eng_of(t);
	unsigned long msg = 0;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &msg) < 0 || msg == 0 || msg > INT_MAX)
		return NULL;
	int ctid = (int)msg;
	e->child_seen = true;
	if (task_find(E.ts, ctid))
		return NULL;

	bool in = t->in_syscall && !e->hidden;
	uint64_t flags;
	bool thread;
	if (in && e->clone_known) {
		flags = e->clone_flags;
		thread = flags & CLONE_THREAD;
	} else {
		long tgid = (long)procfs_status_num(ctid, "Tgid", 10, -1);
		thread = tgid == t->proc->pid;
		flags = event == PTRACE_EVENT_VFORK ? CLONE_VM | CLONE_VFORK : 0;
		if (thread)
			flags |= CLONE_THREAD | CLONE_VM | CLONE_FILES | CLONE_FS | CLONE_SIGHAND;
	}
	const char *via;
	switch (in ? e->kind : ARCH_SC_OTHER) {
	case ARCH_SC_FORK: via = "fork"; break;
	case ARCH_SC_VFORK: via = "vfork"; break;
	case ARCH_SC_CLONE: via = "clone"; break;
	case ARCH_SC_CLONE3: via = "clone3"; break;
	default:
		via = event == PTRACE_EVENT_FORK ? "fork" : event == PTRACE_EVENT_VFORK ? "vfork" : "clone";
		break;
	}

	struct task *c = task_new(ctid, thread ? t->proc : NULL);
	if (!thread) {
		struct proc *p = c->proc;
		p->ppid = (flags & CLONE_PARENT) ? t->proc->ppid : t->proc->pid;
		p->exe = t->proc->exe;
		p->comm = t->proc->comm;
		decode_proc_new(p, t->proc, flags);
	}
	tell_serialized(t, thread);
	struct ev_draft d;
	ev_start(&d, EVT_SPAWN, t);
	ev_int(&d, EVK_CHILD, ctid);
	ev_bool(&d, EVK_THREAD, thread);
	ev_cstr(&d, E.log, EVK_VIA, via);
	evlog_append(E.log, &d);
	for (int i = 0; i < nhooks; i++) {
		if (!thread && hooks[i].proc_start)
			hooks[i].proc_start(hooks[i].ctx, c->proc);
		if (hooks[i].task_start)
			hooks[i].task_start(hooks[i].ctx, c);
	}
	if (E.killing)
		pidfd_kill(c->proc->pid, SIGKILL);
	return c;
}

static void take_orphan(int tid)
{
	for (size_t i = 0; i < E.norph; i++) {
		if (E.orph[i].tid != tid)
			continue;
		int st = E.orph[i].status;
		E.orph[i] = E.orph[--E.norph];
		handle_status(tid, st, NULL);
		return;
	}
}

static void drop_thread(struct task *x, void *ctx)
{
	struct task **keep = ctx;
	if (x->proc != keep[0]->proc || x == keep[0])
		return;
	if (x->in_syscall && !eng_of(x)->hidden)
		decode_syscall_abandon(x);
	if (x->tid != (int)(intptr_t)keep[1]) {
		if (E.ngone == E.cgone) {
			E.cgone = E.cgone ? E.cgone * 2 : 16;
			E.gone = xreallocarray(E.gone, E.cgone, sizeof(*E.gone));
		}
		E.gone[E.ngone++] = (struct pending){ x->tid, x->proc->pid, 0 };
	}
	task_gone(x);
}

static void exec_event(struct task *t)
{
	unsigned long msg = 0;
	int former = t->tid;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &msg) == 0 && msg > 0 && msg <= INT_MAX)
		former = (int)msg;
	if (former != t->tid) {
		/* P1: the execing thread now has the leader's tid; its state moves here */
		struct task *ft = task_find(E.ts, former);
		if (ft && ft->proc == t->proc) {
			if (t->in_syscall && !eng_of(t)->hidden)
				decode_syscall_abandon(t);
			void *eng = t->eng;
			t->sc = ft->sc;
			t->eng = ft->eng;
			t->in_syscall = ft->in_syscall;
			/* ft is dropped below with the leader's old state, already abandoned */
			ft->sc.scratch = NULL;
			ft->eng = eng;
			ft->in_syscall = false;
		}
	}
	struct task *keep[2] = { t, (struct task *)(intptr_t)former };
	taskset_each(E.ts, drop_thread, keep);
	t->proc->leader_exited = false;
	t->group_stopped = false;
	eng_of(t)->exec_done = true;
	if (t->proc->pid == E.root_pid)
		E.root_execed = true;
	emit_exec(t, former, 0);
	eng_of(t)->ex_valid = false;
	decode_proc_exec(t->proc);
	for (int i = 0; i < nhooks; i++)
		if (hooks[i].proc_exec)
			hooks[i].proc_exec(hooks[i].ctx, t->proc);
}

static bool is_crash_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
	       sig == SIGTRAP || sig == SIGABRT;
}

static void signal_stop(struct task *t, int sig)
{
	struct eng *e = eng_of(t);
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (ptrace(PTRACE_GETSIGINFO, t->tid, 0L, &si) < 0 && errno == ESRCH)
		return;
	if (e->hide) {
		/* the launched child stops itself before execve when no filter is in place */
		if (sig == SIGSTOP && si.si_pid == t->tid)
			sig = 0;
		resume(t, sig);
		return;
	}
	struct ev_draft d;
	ev_start(&d, EVT_SIGNAL, t);
	ev_sig(&d, EVK_SIGNAL, sig);
	if (si.si_code == SI_USER || si.si_code == SI_QUEUE || si.si_code == SI_TKILL)
		ev_int(&d, EVK_SENDER, si.si_pid);
	ev_int(&d, EVK_CODE, si.si_code);
	evlog_append(E.log, &d);
	if (is_crash_signal(sig)) {
		/* fatal unless a handler will run: caught and not blocked */
		uint64_t bit = 1ULL << (sig - 1);
		bool caught = ((uint64_t)procfs_status_num(t->tid, "SigCgt", 16, 0) & bit) &&
			      !((uint64_t)procfs_status_num(t->tid, "SigBlk", 16, 0) & bit);
		if (!caught) {
			crash_record(E.log, t, &si);
			for (int i = 0; i < nhooks; i++)
				if (hooks[i].fatal_signal)
					hooks[i].fatal_signal(hooks[i].ctx, t, &si);
		}
	}
	resume(t, sig);
}

static bool leaderish(struct task *t)
{
	return t->tid == t->proc->pid || t->proc->leader_exited;
}

static void event_stop(struct task *t, int sig, bool fresh)
{
	if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
		/* P2: a group-stop; PTRACE_LISTEN keeps it stopped yet reports SIGCONT */
		if (!t->group_stopped && leaderish(t) && !fresh) {
			struct ev_draft d;
			ev_start(&d, EVT_STOP, t);
			ev_sig(&d, EVK_SIGNAL, sig);
			evlog_append(E.log, &d);
		}
		t->group_stopped = true;
		t->stopped = false;
		ptrace(PTRACE_LISTEN, t->tid, 0L, 0L);
		return;
	}
	if (t->group_stopped) {
		t->group_stopped = false;
		if (leaderish(t)) {
			struct ev_draft d;
			ev_start(&d, EVT_CONT, t);
			evlog_append(E.log, &d);
		}
	}
	resume(t, 0);
}

static void set_outcome(int status)
{
	struct run *r = E.r;
	if (WIFEXITED(status)) {
		r->end = RUN_EXITED;
		r->code = WEXITSTATUS(status);
	} else {
		r->end = RUN_SIGNALED;
		r->sig = WTERMSIG(status);
		r->core = WCOREDUMP(status);
	}
	E.root_done = true;
	if (!E.root_execed && E.shm && E.shm->exec_errno) {
		/* the command could not be executed after all (PATH was checked before) */
		r->end = RUN_FAILED;
		r->code = E.shm->exec_errno == ENOENT ? 127 : 126;
		warnmsg("%s: cannot execute: %s", opt.argv[0], strerror(E.shm->exec_errno));
	}
}

static void emit_exit(struct task *t, int status, bool thread)
{
	struct ev_draft d;
	ev_start(&d, EVT_EXIT, t);
	if (WIFEXITED(status)) {
		ev_int(&d, EVK_CODE, WEXITSTATUS(status));
	} else {
		ev_sig(&d, EVK_SIGNAL, WTERMSIG(status));
		ev_bool(&d, EVK_CORE, WCOREDUMP(status));
	}
	ev_bool(&d, EVK_THREAD, thread);
	if (!thread && !E.attach && t->proc->pid == E.root_pid)
		ev_bool(&d, EVK_ROOT, true);
	evlog_append(E.log, &d);
}

static void drop_rest(struct task *x, void *ctx)
{
	struct task *keep = ctx;
	if (x->proc == keep->proc && x != keep) {
		if (x->in_syscall && !eng_of(x)->hidden)
			decode_syscall_abandon(x);
		task_gone(x);
	}
}

static void proc_ended(struct task *t, int status)
{
	emit_exit(t, status, false);
	if (!E.attach && t->proc->pid == E.root_pid)
		set_outcome(status);
	for (int i = 0; i < nhooks; i++)
		if (hooks[i].proc_exit)
			hooks[i].proc_exit(hooks[i].ctx, t->proc);
}

static void task_died(struct task *t, int status)
{
	struct proc *p = t->proc;
	bool leader = t->tid == p->pid;

	if (t->in_syscall && !eng_of(t)->hidden)
		decode_syscall_abandon(t);
	if (leader) {
		/* the leader's status comes last (P7): the group is gone */
		taskset_each(E.ts, drop_rest, t);
		proc_ended(t, status);
	} else {
		emit_exit(t, status, true);
		if (p->nthreads == 1 && !task_find(E.ts, p->pid))
			proc_ended(t, status); /* attached without its (zombie) leader */
	}
	task_gone(t);
}

/* ---- detaching (P3, P11) ---- */

static void detach_one(struct task *t, int status)
{
	int sig = 0;
	if (WIFSTOPPED(status) && (status >> 16) == 0 && WSTOPSIG(status) != (SIGTRAP | 0x80))
		sig = WSTOPSIG(status); /* a signal on its way: let it arrive */
	ptrace(PTRACE_DETACH, t->tid, 0L, (long)sig);
	if (t->in_syscall && !eng_of(t)->hidden)
		decode_syscall_abandon(t);
	if (t->proc->nthreads == 1) {
		struct ev_draft d;
		ev_start(&d, EVT_DETACH, t);
		evlog_append(E.log, &d);
		for (int i = 0; i < nhooks; i++)
			if (hooks[i].proc_exit)
				hooks[i].proc_exit(hooks[i].ctx, t->proc);
	}
	task_gone(t);
}

static void interrupt_one(struct task *t, void *ctx)
{
	(void)ctx;
	ptrace(PTRACE_INTERRUPT, t->tid, 0L, 0L);
}

static void detach_all(void)
{
	if (E.detaching)
		return;
	E.detaching = true;
	for (size_t i = 0; i < E.norph; i++)
		if (WIFSTOPPED(E.orph[i].status))
			ptrace(PTRACE_DETACH, E.orph[i].tid, 0L, 0L);
	E.norph = 0;
	taskset_each(E.ts, interrupt_one, NULL);
}

static void kill_one(struct task *t, void *ctx)
{
	(void)ctx;
	if (t->tid == t->proc->pid || !task_find(E.ts, t->proc->pid))
		pidfd_kill(t->proc->pid, SIGKILL);
}

static void kill_tree(void)
{
	if (E.killing)
		return;
	E.killing = true;
	for (size_t i = 0; i < E.norph; i++)
		pidfd_kill(E.orph[i].tid, SIGKILL);
	taskset_each(E.ts, kill_one, NULL);
}

/* ---- the wait loop ---- */

static void handle_status(int tid, int status, const struct rusage *ru)
{
	struct task *t = task_find(E.ts, tid);
	if (!t) {
		if (!WIFSTOPPED(status)) {
			for (size_t i = 0; i < E.ngone; i++) {
				if (E.gone[i].tid == tid) {
					E.gone[i] = E.gone[--E.ngone];
					return; /* a thread superseded by an execve in its group */
				}
			}
		}
		/* P5: a child's first stop (or death) before its parent's fork event */
		if (E.norph == E.corph) {
			E.corph = E.corph ? E.corph * 2 : 16;
			E.orph = xreallocarray(E.orph, E.corph, sizeof(*E.orph));
		}
		E.orph[E.norph++] = (struct pending){ tid, 0, status };
		if (E.detaching && WIFSTOPPED(status)) {
			ptrace(PTRACE_DETACH, tid, 0L, 0L);
			E.norph--;
		}
		return;
	}
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		/*
		 * A leader's rusage covers its threads and the children it waited
		 * for, like time(1); count it unless a traced parent will wait.
		 */
		if (ru && tid == t->proc->pid && !proc_find(E.ts, t->proc->ppid)) {
			E.r->cpu_user += (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6;
			E.r->cpu_sys += (double)ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
		}
		task_died(t, status);
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	struct eng *e = eng_of(t);
	int sig = WSTOPSIG(status), event = (unsigned)status >> 16;
	bool fresh = e->fresh;
	e->fresh = false;
	t->stopped = true;
	if (!E.attach && t->tid == E.root_pid)
		decide_mode();

	if (E.detaching) {
		/* events still need their bookkeeping: children to detach, exec cleanup */
		if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE) {
			struct task *c = new_child(t, event);
			if (c)
				take_orphan(c->tid);
		} else if (event == PTRACE_EVENT_EXEC) {
			exec_event(t);
		}
		detach_one(t, status);
		return;
	}
	if (sig == (SIGTRAP | 0x80)) {
		syscall_stop(t, false);
		return;
	}
	switch (event) {
	case 0:
		signal_stop(t, sig);
		break;
	case PTRACE_EVENT_STOP:
		event_stop(t, sig, fresh);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE: {
		struct task *c = new_child(t, event);
		resume(t, 0);
		if (c)
			take_orphan(c->tid);
		break;
	}
	case PTRACE_EVENT_EXEC:
		exec_event(t);
		resume(t, 0);
		break;
	case PTRACE_EVENT_EXIT:
		if (t->tid == t->proc->pid && t->proc->nthreads > 1)
			t->proc->leader_exited = true;
		/* its status will carry the CPU time of the tree (handle_status) */
		if (t->tid == t->proc->pid && !t->proc->cpu_pending && !proc_find(E.ts, t->proc->ppid)) {
			t->proc->cpu_pending = true;
			E.ru_wanted++;
		}
		resume(t, 0);
		break;
	case PTRACE_EVENT_SECCOMP:
		syscall_stop(t, true);
		break;
	default:
		resume(t, 0);
		break;
	}
}

static void on_signal(const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;
	if (sig == SIGCHLD)
		return;
	E.r->interrupted = true;
	if (E.attach) {
		detach_all();
		return;
	}
	if (sig == SIGINT || sig == SIGQUIT) {
		if (++E.nint == 1) {
			/* from the tty the program got it too; from kill(1) it did not (P9) */
			if (si->ssi_code != SI_KERNEL && E.root_pidfd >= 0 && !E.root_done)
				syscall(SYS_pidfd_send_signal, E.root_pidfd, sig, NULL, 0);
			return;
		}
	}
	kill_tree();
}

static void drain_signals(void)
{
	struct signalfd_siginfo si[8];
	ssize_t n;
	while ((n = read(E.sigfd, si, sizeof(si))) > 0)
		for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++)
			on_signal(&si[i]);
}

static void run_ticks(void)
{
	uint64_t now = now_ns();
	for (int i = 0; i < nhooks; i++) {
		if (!hooks[i].tick || !hooks[i].tick_ms)
			continue;
		uint64_t last = __atomic_load_n(&E.tick_last[i], __ATOMIC_RELAXED);
		if (now - last >= (uint64_t)hooks[i].tick_ms * 1000000u) {
			__atomic_store_n(&E.tick_last[i], now, __ATOMIC_RELAXED);
			hooks[i].tick(hooks[i].ctx);
		}
	}
}

/* Signals for compendium, readable hook fds, due ticks. */
static void look_around(void)
{
	drain_signals();
	for (int i = 0; i < nhooks; i++) {
		if (hooks[i].fd >= 0 && hooks[i].fd_ready) {
			struct pollfd pf = { hooks[i].fd, POLLIN, 0 };
			if (poll(&pf, 1, 0) > 0)
				hooks[i].fd_ready(hooks[i].ctx);
		}
	}
	run_ticks();
}

/* ---- the waker thread ---- */

static int sig_wake(void)
{
	return SIGRTMIN + 2;
}

static void on_wake(int sig)
{
	(void)sig; /* only there to interrupt wait4 (no SA_RESTART) */
}

/* ms until the next hook tick is due (-1: no ticks). */
static int tick_timeout(void)
{
	int timeout = -1;
	uint64_t now = now_ns();
	for (int i = 0; i < nhooks; i++) {
		if (!hooks[i].tick || !hooks[i].tick_ms)
			continue;
		uint64_t due = __atomic_load_n(&E.tick_last[i], __ATOMIC_RELAXED) +
			       (uint64_t)hooks[i].tick_ms * 1000000u;
		int ms = due <= now ? 0 : (int)((due - now + 999999) / 1000000);
		if (timeout < 0 || ms < timeout)
			timeout = ms;
	}
	return timeout;
}

static void *waker_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct pollfd pf[MAX_HOOKS + 2];
		nfds_t n = 0;
		pf[n++] = (struct pollfd){ E.quitfd, POLLIN, 0 };
		pf[n++] = (struct pollfd){ E.sigfd, POLLIN, 0 };
		for (int i = 0; i < nhooks; i++)
			if (hooks[i].fd >= 0 && hooks[i].fd_ready)
				pf[n++] = (struct pollfd){ hooks[i].fd, POLLIN, 0 };
		if (poll(pf, n, tick_timeout()) < 0 && errno != EINTR)
			return NULL;
		if (pf[0].revents)
			return NULL;
		atomic_store(&E.wake_req, 1);
		/*
		 * The tracer may be past its last look at wake_req but not yet
		 * in wait4, where the signal would be lost: repeat it until the
		 * tracer has looked around (it clears wake_req).
		 */
		while (atomic_load(&E.wake_req)) {
			if (atomic_load(&E.in_wait))
				syscall(SYS_tgkill, E.self, E.tracer_tid, sig_wake());
			struct pollfd q = { E.quitfd, POLLIN, 0 };
			if (poll(&q, 1, WAKE_RETRY_MS) > 0)
				return NULL;
		}
	}
}

static void waker_start(void)
{
	struct sigaction sa = { .sa_handler = on_wake }; /* no SA_RESTART: wait4 returns EINTR */
	sigaction(sig_wake(), &sa, NULL);
	E.tracer_tid = (pid_t)syscall(SYS_gettid);
	E.quitfd = eventfd(0, EFD_CLOEXEC);
	if (E.quitfd < 0)
		die(70, "eventfd: %s", strerror(errno));
	/* the waker takes no signal: they stay for the signalfd and SIG_WAKE for the tracer */
	sigset_t all, cur;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &cur);
	int rc = pthread_create(&E.waker, NULL, waker_main, NULL);
	pthread_sigmask(SIG_SETMASK, &cur, NULL);
	if (rc)
		die(70, "cannot start a thread: %s", strerror(rc));
	E.waker_on = true;
}

static void waker_stop(void)
{
	if (!E.waker_on)
		return;
	uint64_t one = 1;
	if (write(E.quitfd, &one, sizeof(one)) < 0)
		warnmsg("eventfd write: %s", strerror(errno));
	pthread_join(E.waker, NULL);
	close(E.quitfd);
	E.waker_on = false;
	signal(sig_wake(), SIG_DFL);
}

static void trace_loop(void)
{
	waker_start();
	while (taskset_count(E.ts) > 0) {
		if (atomic_load_explicit(&E.wake_req, memory_order_relaxed)) {
			look_around();
			atomic_store(&E.wake_req, 0);
			continue;
		}
		int status;
		/*
		 * The kernel sums the CPU time of the whole thread group for
		 * every status reported with an rusage, stops included: ask only
		 * while a process whose rusage is counted is exiting (dd bs=1,
		 * pinned: the tracer's CPU per syscall 14.1 -> 12.8 us, wall
		 * 20.3 -> 19.8 us).
		 */
		struct rusage ru, *rup = E.ru_wanted ? &ru : NULL;
		atomic_store(&E.in_wait, 1);
		pid_t tid = atomic_load(&E.wake_req) ? 0 : wait4(-1, &status, __WALL, rup);
		atomic_store_explicit(&E.in_wait, 0, memory_order_relaxed);
		if (tid > 0) {
			handle_status(tid, status, rup);
			continue;
		}
		if (tid < 0 && errno == ECHILD)
			break; /* records of tasks we will never hear of again */
		if (tid < 0 && errno != EINTR)
			die(70, "wait4: %s", strerror(errno));
	}
	waker_stop();
}

/* ---- launching ---- */

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

static NORETURN void child_exec(const char *path, char **argv, int syncfd, const struct sock_filter *prog, size_t n)
{
	char c;
	if (!E.ttou_ignored)
		signal(SIGTTOU, SIG_DFL);
	if (!E.ttin_ignored)
		signal(SIGTTIN, SIG_DFL);
	if (E.chld_ignored)
		signal(SIGCHLD, SIG_IGN);
	sigprocmask(SIG_SETMASK, &E.oldmask, NULL);
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	/* wait until the tracer has seized us */
	while (read(syncfd, &c, 1) < 0 && errno == EINTR)
		;
	close(syncfd);
	if (prog) {
		int rc = seccomp_install(prog, n);
		E.shm->seccomp = rc == 0 ? 1 : rc;
	}
	if (E.shm->seccomp != 1)
		kill(getpid(), SIGSTOP); /* the tracer switches to PTRACE_SYSCALL here */
	execv(path, argv);
	E.shm->exec_errno = errno;
	_exit(errno == ENOENT ? 127 : 126);
}

static void launch(struct run *r)
{
	char *path = E.cmd_path;
	uint64_t bitmap[SC_BITMAP_WORDS] = {0};
	struct sock_filter *prog = NULL;
	size_t nprog = 0;

	if (!opt.no_seccomp && decode_wanted_syscalls(bitmap)) {
		for (unsigned i = 0; i < arch_engine_syscalls_count; i++)
			bitmap[arch_engine_syscalls[i] / 64] |= 1ULL << (arch_engine_syscalls[i] % 64);
		struct decode_argrule rules[4];
		size_t nrules = decode_arg_rules(rules, ARRAY_SIZE(rules));
		nprog = seccomp_build_rules(bitmap, rules, nrules, &prog);
	}
	E.shm = mmap(NULL, sizeof(*E.shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (E.shm == MAP_FAILED)
		die(70, "mmap: %s", strerror(errno));
	int sync[2];
	if (pipe2(sync, O_CLOEXEC) < 0)
		die(70, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		die(70, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(sync[1]);
		child_exec(path, opt.argv, sync[0], prog, nprog);
	}
	close(sync[0]);
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_TRACEFORK |
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL;
	if (prog)
		opts |= PTRACE_O_TRACESECCOMP;
	if (ptrace(PTRACE_SEIZE, pid, 0L, opts) < 0) {
		int err = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		die(1, "cannot trace the command: ptrace(PTRACE_SEIZE): %s", strerror(err));
	}
	E.root_pid = pid;
	E.root_pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	r->root_pid = pid;
	struct task *t = task_new(pid, NULL);
	eng_of(t)->hide = true;
	t->proc->exe = evlog_intern_cstr(E.log, path);
	t->proc->comm = intern_basename(t->proc->exe);
	decode_proc_new(t->proc, NULL, 0);
	for (int i = 0; i < nhooks; i++) {
		if (hooks[i].proc_start)
			hooks[i].proc_start(hooks[i].ctx, t->proc);
		if (hooks[i].task_start)
			hooks[i].task_start(hooks[i].ctx, t);
	}
	if (write(sync[1], "g", 1) != 1)
		die(70, "cannot start the command: %s", strerror(errno));
	close(sync[1]);
	free(prog);
	free(path);
	E.cmd_path = NULL;
}

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
	if (pid == E.self)
		die(1, "--pid %d: refusing to trace compendium itself", pid);
	if (procfs_stat(pid, &st) < 0)
		die(1, "--pid %d: no such process", pid);
	if (st.flags & 0x00200000) /* PF_KTHREAD */
		die(1, "--pid %d (%s): a kernel thread cannot be traced", pid, st.comm);
	if ((st.state == 'Z' || st.state == 'X') && count_tasks(pid) <= 1)
		die(1, "--pid %d (%s): the process is a zombie (already exited)", pid, st.comm);
}

static void attach_process(int pid)
{
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_TRACEFORK |
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;
	long tgid = (long)procfs_status_num(pid, "Tgid", 10, -1);
	if (tgid > 0)
		pid = (int)tgid;
	if (proc_find(E.ts, pid))
		return; /* named twice */
	struct procfs_stat st = {.comm = "?"};
	if (procfs_stat(pid, &st) < 0)
		memcpy(st.comm, "?", 2);
	const char *comm = st.comm;
	bool stopped = st.state == 'T';
	struct proc *p = NULL;
	bool grew = true;

	/* threads appear while we attach: loop until a pass finds none (P13) */
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
			if (tid <= 0 || task_find(E.ts, tid))
				continue;
			if (ptrace(PTRACE_SEIZE, tid, 0L, opts) < 0) {
				int err = errno;
				if (tid == pid && !p && !(st.state == 'Z' && err == EPERM)) {
					closedir(d);
					attach_failed(pid, err, comm);
				}
				continue; /* a thread that just exited, or the zombie leader */
			}
			struct task *t = task_new(tid, p);
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
	ssize_t n = procfs_link(pid, "exe", E.path, sizeof(E.path));
	if (n > 0) {
		p->exe = evlog_intern(E.log, E.path, (size_t)n);
		p->comm = intern_basename(p->exe);
	} else {
		p->comm = evlog_intern_cstr(E.log, comm);
	}
	decode_proc_attached(p);

	struct ev_draft d;
	ev_init(&d, EVT_ATTACH, evlog_now(E.log), pid, pid);
	uint32_t argc = cmdline_ids(pid, E.argv_ids, EXEC_MAX_ARGS);
	if (p->exe)
		ev_strid(&d, EVK_PATH, p->exe);
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(E.log, E.argv_ids, argc));
	if (stopped)
		ev_bool(&d, EVK_STOPPED, true);
	evlog_append(E.log, &d);
	if (stopped)
		notemsg("process %d is stopped; it stays stopped", pid);
	for (int i = 0; i < nhooks; i++)
		if (hooks[i].proc_start)
			hooks[i].proc_start(hooks[i].ctx, p);
}

static void drop_left(struct task *t, void *ctx)
{
	(void)ctx;
	if (t->in_syscall && !eng_of(t)->hidden)
		decode_syscall_abandon(t);
	task_gone(t);
}

static void task_start_hook(struct task *t, void *ctx)
{
	(void)ctx;
	for (int i = 0; i < nhooks; i++)
		if (hooks[i].task_start)
			hooks[i].task_start(hooks[i].ctx, t);
}

static void attach_all(void)
{
	for (int i = 0; i < opt.npids; i++)
		attach_process(opt.pids[i]);
	taskset_each(E.ts, task_start_hook, NULL);
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

void tracer_prepare(struct run *r)
{
	if (E.prepared)
		return;
	E.prepared = true;
	E.self = getpid();
	E.log = r->log;
	if (opt.npids == 0) {
		r->mode = "trace";
		E.cmd_path = resolve_command(opt.argv[0]);
		if (opt.same_cpu)
			pin_same_cpu(r);
		return;
	}
	r->mode = "attach";
	if (opt.same_cpu)
		warnmsg("--same-cpu applies to launched commands; with --pid the targets' CPU affinity is left alone");
	for (int i = 0; i < opt.npids; i++)
		check_target(opt.pids[i]);
	/* the header's argv: the first target's command line */
	uint32_t argc = cmdline_ids(opt.pids[0], E.argv_ids, EXEC_MAX_ARGS);
	if (argc) {
		char **argv = xcalloc(argc + 1, sizeof(*argv));
		for (uint32_t i = 0; i < argc; i++)
			argv[i] = xstrdup(evlog_str(E.log, E.argv_ids[i], NULL));
		r->argv = argv;
		r->argc = (int)argc;
	}
}

/* ---- entry point ---- */

static void setup_self(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/*
	 * The stop signals go to a signalfd: blocked, with the default action
	 * so the kernel queues them. One ignored when we started (a background
	 * job's SIGINT, nohup's SIGHUP) stays ignored, as it will for the command.
	 */
	static const int stops[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE };
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < ARRAY_SIZE(stops); i++) {
		struct sigaction old;
		if (sigaction(stops[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaddset(&set, stops[i]);
	}
	sigprocmask(SIG_BLOCK, &set, &E.oldmask);
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	for (size_t i = 0; i < ARRAY_SIZE(stops); i++)
		if (sigismember(&set, stops[i]))
			sigaction(stops[i], &dfl, NULL);
	E.sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (E.sigfd < 0)
		die(70, "signalfd: %s", strerror(errno));
	/* wait4 needs the children's statuses: an inherited SIG_IGN would reap them */
	E.chld_ignored = signal(SIGCHLD, SIG_DFL) == SIG_IGN;
	E.ttou_ignored = signal(SIGTTOU, SIG_IGN) == SIG_IGN;
	E.ttin_ignored = signal(SIGTTIN, SIG_IGN) == SIG_IGN;
}

int tracer_run(struct run *r)
{
	tracer_prepare(r);
	E.r = r;
	E.root_pidfd = -1;
	E.attach = opt.npids > 0;
	E.ts = taskset_new();
	uint64_t now = now_ns();
	for (int i = 0; i < nhooks; i++)
		E.tick_last[i] = now;
	setup_self();

	if (E.attach) {
		E.mode_known = true;
		attach_all();
	} else {
		launch(r);
	}
	/*
	 * P15: a tracee must not attach to us nor read our memory. Only now:
	 * a child forked while we were non-dumpable could not be seized by a
	 * non-root compendium until it made itself dumpable again.
	 */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	trace_loop();

	for (size_t i = 0; i < E.norph; i++)
		if (E.attach && WIFSTOPPED(E.orph[i].status))
			ptrace(PTRACE_DETACH, E.orph[i].tid, 0L, 0L);
	if (E.attach)
		r->end = E.detaching ? RUN_DETACHED : RUN_GONE;
	else if (!E.root_done)
		r->end = RUN_EXITED;
	r->t_end = evlog_now(E.log);
	for (int i = 0; i < nhooks; i++)
		if (hooks[i].finish)
			hooks[i].finish(hooks[i].ctx);
	/* whatever is left will never report again (ECHILD) */
	taskset_each(E.ts, drop_left, NULL);
	taskset_free(E.ts);
	E.ts = NULL;

	drain_signals();
	signal(SIGPIPE, SIG_IGN); /* output errors become EPIPE from here on */
	close(E.sigfd);
	sigprocmask(SIG_SETMASK, &E.oldmask, NULL);
	if (E.root_pidfd >= 0)
		close(E.root_pidfd);
	if (E.shm)
		munmap(E.shm, sizeof(*E.shm));
	free(E.orph);
	free(E.gone);
	return 0;
}
