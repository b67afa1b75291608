/* SPDX-License-Identifier: MIT */
/* lifecycle: processes and threads coming (fork, vfork, clone events) and going (deaths, the run's outcome). */
#include <errno.h>
#include <limits.h>
#include <linux/sched.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "engine/engine_int.h"
#include "engine/tracer.h"
#include "lib/procfs.h"
#include "lib/msg.h"

/* ---- births ---- */

/* --same-cpu: say once that the command's parallel work now shares one CPU. */
static void tell_serialized(struct task *parent, bool thread)
{
	if (eng.r->same_cpu < 0 || eng.parallel_told)
		return;
	eng.parallel_told = true;
	size_t n;
	const char *comm = evlog_str(eng.log, parent->proc->comm, &n);
	notemsg("--same-cpu: %.*s started a %s; it shares CPU %d with the rest of the traced tree",
		comm ? (int)n : 1, comm ? comm : "?", thread ? "thread" : "process", eng.r->same_cpu);
}

const char *eng_via(enum arch_sc_kind kind, int event)
{
	switch (kind) {
	case ARCH_SC_FORK: return "fork";
	case ARCH_SC_VFORK: return "vfork";
	case ARCH_SC_CLONE: return "clone";
	case ARCH_SC_CLONE3: return "clone3";
	default:
		return event == PTRACE_EVENT_FORK ? "fork" : event == PTRACE_EVENT_VFORK ? "vfork" : "clone";
	}
}

struct task *eng_new_child(struct task *t, int event)
{
	struct eng_task *e = eng_of(t);
	unsigned long msg = 0;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &msg) < 0 || msg == 0 || msg > INT_MAX)
		return NULL;
	int ctid = (int)msg;
	e->child_seen = true;
	if (task_find(eng.ts, ctid))
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
	struct task *c = eng_child_add(t, ctid, flags, eng_via(in ? e->kind : ARCH_SC_OTHER, event));
	eng_of(c)->own_filter = e->own_filter; /* filters are inherited */
	return c;
}

struct task *eng_child_add(struct task *t, int ctid, uint64_t flags, const char *via)
{
	bool thread = flags & CLONE_THREAD;
	struct task *c = eng_task_new(ctid, thread ? t->proc : NULL);
	if (!thread) {
		struct proc *p = c->proc;
		p->ppid = (flags & CLONE_PARENT) ? t->proc->ppid : t->proc->pid;
		p->exe = t->proc->exe;
		p->comm = t->proc->comm;
	}
	decode_task_clone(c, t, flags, thread);
	tell_serialized(t, thread);
	struct ev_draft d;
	eng_ev_start(&d, EVT_SPAWN, t);
	ev_int(&d, EVK_CHILD, ctid);
	ev_bool(&d, EVK_THREAD, thread);
	ev_cstr(&d, eng.log, EVK_VIA, via);
	evlog_append(eng.log, &d);
	eng_hooks_start(thread ? NULL : c->proc, c);
	if (eng.killing)
		eng_pidfd_kill(c->proc->pid, SIGKILL);
	return c;
}

/* ---- deaths ---- */

/*
 * The peak resident set of a process is its mm's high-water mark (VmHWM,
 * what ru_maxrss reports for the last image). It can be read only while the
 * mm exists: at the PTRACE_EVENT_EXIT stop, not after the reap, when
 * /proc/PID is gone or a zombie without memory. wait4's rusage would give
 * ru_maxrss too, but asking for it at every status costs a sum over the
 * thread group (see eng_trace_loop), and for a process whose children it
 * waited for it is their peak, not its own. One read of /proc/TID/status
 * per process exit costs 5-6 us, against 2-5 ms of tracing per process in
 * a loop of 2000 /bin/true (the loop's wall time is the same within noise).
 */
void eng_note_peak(struct task *t)
{
	long long kb = procfs_status_num(t->tid, "VmHWM", 10, -1);
	if (kb > 0 && (uint64_t)kb * 1024 > t->proc->maxrss)
		t->proc->maxrss = (uint64_t)kb * 1024;
}

/* The run's peak is the largest process peak. */
static void add_peak(const struct proc *p)
{
	if (p->maxrss > eng.r->peak_rss)
		eng.r->peak_rss = p->maxrss;
}

static void set_outcome(int status)
{
	struct run *r = eng.r;
	if (WIFEXITED(status)) {
		r->end = RUN_EXITED;
		r->code = WEXITSTATUS(status);
	} else {
		r->end = RUN_SIGNALED;
		r->sig = WTERMSIG(status);
		r->core = WCOREDUMP(status);
	}
	eng.root_done = true;
	if (!eng.root_execed && eng.shm && eng.shm->exec_errno) {
		/* the command could not be executed after all (PATH was checked before) */
		r->end = RUN_FAILED;
		r->code = eng.shm->exec_errno == ENOENT ? 127 : 126;
		warnmsg("%s: cannot execute: %s", eng.cfg->argv[0], strerror(eng.shm->exec_errno));
	}
}

static void emit_exit(struct task *t, int status, bool thread)
{
	struct ev_draft d;
	eng_ev_start(&d, EVT_EXIT, t);
	if (WIFEXITED(status)) {
		ev_int(&d, EVK_CODE, WEXITSTATUS(status));
	} else {
		ev_sig(&d, EVK_SIGNAL, WTERMSIG(status));
		ev_bool(&d, EVK_CORE, WCOREDUMP(status));
	}
	ev_bool(&d, EVK_THREAD, thread);
	if (!thread && !eng.attach && t->proc->pid == eng.root_pid)
		ev_bool(&d, EVK_ROOT, true);
	if (!thread && t->proc->maxrss) {
		ev_uint(&d, EVK_MAXRSS, t->proc->maxrss);
		add_peak(t->proc);
	}
	evlog_append(eng.log, &d);
}

static void drop_rest(struct task *x, void *ctx)
{
	struct task *keep = ctx;
	if (x->proc == keep->proc && x != keep) {
		eng_abandon(x);
		eng_task_gone(x);
	}
}

static void proc_ended(struct task *t, int status)
{
	emit_exit(t, status, false);
	if (!eng.attach && t->proc->pid == eng.root_pid)
		set_outcome(status);
	eng_hooks_proc_exit(t->proc);
}

void eng_task_died(struct task *t, int status)
{
	struct proc *p = t->proc;
	bool leader = t->tid == p->pid;

	eng_abandon(t);
	if (leader) {
		/* the leader's status comes last (doc/ENGINE.md, 'Zombie leader'): the group is gone */
		taskset_each(eng.ts, drop_rest, t);
		proc_ended(t, status);
	} else {
		emit_exit(t, status, true);
		if (p->nthreads == 1 && !task_find(eng.ts, p->pid))
			proc_ended(t, status); /* attached without its (zombie) leader */
	}
	eng_task_gone(t);
}
