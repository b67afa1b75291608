/* SPDX-License-Identifier: MIT */
/*
 * loop: the wait loop and what happens at each stop: syscall entry and
 * exit (the per-syscall path, kept in this one file with static helpers),
 * ptrace events, signal-delivery-stops and group-stops, CPU accounting.
 */
#include <errno.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "engine/engine_int.h"
#include "engine/seccomp.h"
#include "engine/tracer.h"
#include "forensics/crash.h"
#include "lib/procfs.h"
#include "tracee/tmem.h"
#include "lib/msg.h"

/* ---- resuming ---- */

static void resume(struct task *t, int sig)
{
	int req = (!eng.seccomp || t->in_syscall || eng_of(t)->own_filter) ? PTRACE_SYSCALL : PTRACE_CONT;
	t->stopped = false;
	/* ESRCH: killed while stopped; its death status follows (doc/ENGINE.md, 'ESRCH and SIGKILL races') */
	ptrace(req, t->tid, 0L, (long)sig);
}

/* ---- syscall stops ---- */

static void untraced_child(struct task *t, int64_t child)
{
	char msg[128];
	snprintf(msg, sizeof(msg), "child %lld escaped tracing (CLONE_UNTRACED)", (long long)child);
	eng_warning(t, msg);
}

/* How a syscall's entry reached us. */
enum entry_how {
	ENTRY_STOP,        /* a syscall-entry stop (PTRACE_SYSCALL) */
	ENTRY_SECCOMP,     /* our filter's RET_TRACE */
	ENTRY_FOREIGN      /* the tracee's filter's RET_TRACE: the call fails with ENOSYS */
};

/*
 * The tracee's own RET_TRACE, answered as the kernel answers it without a
 * tracer: the call is skipped (nr -1) and returns -ENOSYS, set again at
 * its exit (doc/ENGINE.md, 'Seccomp filters of the tracee').
 */
static void answer_enosys(struct task *t)
{
	eng_of(t)->enosys = true;
	arch_skip_syscall(t->tid, -ENOSYS);
}

static void syscall_entry(struct task *t, const struct arch_scinfo *si, enum entry_how how)
{
	struct eng_task *e = eng_of(t);

	eng_abandon(t); /* an exit we never saw (attach, exec) */
	t->in_syscall = true;
	t->sc.nr = si->nr;
	t->sc.arch = si->arch;
	t->sc.compat = si->compat;
	memcpy(t->sc.args, si->args, sizeof(t->sc.args));
	t->sc.ip = si->ip;
	t->sc.sp = si->sp;
	t->sc.t_entry = evlog_now(eng.log);
	t->sc.ret = 0;
	t->sc.is_error = false;
	t->sc.scratch = NULL;
	e->kind = arch_sc_kind(si->compat, si->nr);
	e->child_seen = e->deny = e->exec_done = e->clone_known = e->hidden = e->enosys = false;
	e->entry_stop = how == ENTRY_STOP;
	if (e->kind == ARCH_SC_PRCTL && t->sc.args[0] != PR_SET_SECCOMP)
		e->kind = ARCH_SC_OTHER;
	if (how == ENTRY_FOREIGN)
		answer_enosys(t);

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
		eng_capture_exec(t, e);
		break;
	case ARCH_SC_PTRACE:
		/* doc/ENGINE.md, 'Tracee attacking its tracer': a tracee attaching to its tracer would deadlock both */
		if ((t->sc.args[0] == PTRACE_ATTACH || t->sc.args[0] == PTRACE_SEIZE) &&
		    (pid_t)t->sc.args[1] == eng.self && !e->enosys) {
			arch_skip_syscall(t->tid, -EPERM);
			e->deny = true;
		}
		break;
	default:
		break;
	}
	decode_syscall_entry(t);
	if (how == ENTRY_SECCOMP && e->kind == ARCH_SC_OTHER && !decode_exit_wanted(t)) {
		/* its exit adds nothing (close, fcntl F_SETFD): one stop instead of two */
		decode_syscall_exit(t);
		t->sc.scratch = NULL;
		t->in_syscall = false;
	}
	resume(t, 0);
}

static void sibling_filtered(struct task *x, void *ctx)
{
	struct task *t = ctx;
	/* a running one switches at its next stop: interrupting it could make its call fail with EINTR */
	if (x->proc == t->proc)
		eng_of(x)->own_filter = true;
}

/*
 * At the successful exit of seccomp(2) or prctl(PR_SET_SECCOMP): a filter
 * of the tracee's own may make calls fail (RET_ERRNO) without the stop our
 * filter asked for, so the task stops at every syscall from now on, and so
 * do its future children, which inherit it (doc/ENGINE.md, 'Seccomp
 * filters of the tracee'). With SECCOMP_FILTER_FLAG_TSYNC the filter is
 * every thread's.
 */
static void filter_installed(struct task *t)
{
	const uint64_t *a = t->sc.args;
	bool filter = eng_of(t)->kind == ARCH_SC_SECCOMP ? a[0] == SECCOMP_SET_MODE_FILTER
							: a[1] == SECCOMP_MODE_FILTER;
	if (!filter)
		return;
	eng_of(t)->own_filter = true;
	if (eng_of(t)->kind == ARCH_SC_SECCOMP && (a[1] & SECCOMP_FILTER_FLAG_TSYNC))
		taskset_each(eng.ts, sibling_filtered, t);
}

static void syscall_exit(struct task *t, const struct arch_scinfo *si)
{
	struct eng_task *e = eng_of(t);

	t->sc.ret = si->rval;
	t->sc.is_error = si->is_error;
	if (e->enosys) {
		arch_set_return(t->tid, -ENOSYS);
		t->sc.ret = -ENOSYS;
		t->sc.is_error = true;
		e->enosys = false;
	}
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
	 * codes (-512..-516) and rt_sigreturn's restored rax apart (doc/ENGINE.md, 'Restarted syscalls').
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
			eng_emit_exec(t, 0, (int)-t->sc.ret);
		break;
	case ARCH_SC_PRCTL:
	case ARCH_SC_SECCOMP:
		if (!t->sc.is_error)
			filter_installed(t);
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
	if (eng.mode_known)
		return;
	eng.mode_known = true;
	int s = eng.shm->seccomp;
	eng.seccomp = s == 1;
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
	if (seccomp_event) {
		/*
		 * Ours, or the tracee's own RET_TRACE (doc/ENGINE.md, 'Seccomp
		 * filters of the tracee'); already seen at its entry stop when
		 * the task stops at every syscall.
		 */
		struct eng_task *e = eng_of(t);
		bool foreign = si.ret_data != SECCOMP_DATA_OURS;
		if (foreign)
			e->own_filter = true;
		if (t->in_syscall && e->entry_stop) {
			if (foreign)
				answer_enosys(t);
			resume(t, 0);
			return;
		}
		syscall_entry(t, &si, foreign ? ENTRY_FOREIGN : ENTRY_SECCOMP);
		return;
	}
	if (si.op == ARCH_OP_ENTRY)
		syscall_entry(t, &si, ENTRY_STOP);
	else if (si.op == ARCH_OP_EXIT && t->in_syscall)
		syscall_exit(t, &si);
	else
		resume(t, 0); /* a new child's return from fork, or an exit after attach */
}

/* ---- ptrace events and signals ---- */

static void handle_status(int tid, int status, const struct rusage *ru);

static void take_orphan(int tid)
{
	for (size_t i = 0; i < eng.norph; i++) {
		if (eng.orph[i].tid != tid)
			continue;
		int st = eng.orph[i].status;
		eng.orph[i] = eng.orph[--eng.norph];
		handle_status(tid, st, NULL);
		return;
	}
}

static bool is_crash_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
	       sig == SIGTRAP || sig == SIGABRT;
}

/* -e signal=: a signal left out of the log (it is still delivered). */
static bool signal_hidden(int sig)
{
	return sig >= 1 && sig <= 64 && ((eng.cfg->signals_hidden >> (sig - 1)) & 1);
}

static void signal_stop(struct task *t, int sig)
{
	struct eng_task *e = eng_of(t);
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
	eng_signal_seen(t, sig);
	if (!signal_hidden(sig)) {
		struct ev_draft d;
		eng_ev_start(&d, EVT_SIGNAL, t);
		ev_sig(&d, EVK_SIGNAL, sig);
		if (si.si_code == SI_USER || si.si_code == SI_QUEUE || si.si_code == SI_TKILL)
			ev_int(&d, EVK_SENDER, si.si_pid);
		ev_int(&d, EVK_CODE, si.si_code);
		evlog_append(eng.log, &d);
	}
	if (is_crash_signal(sig)) {
		/* fatal unless a handler will run: caught and not blocked */
		uint64_t bit = 1ULL << (sig - 1);
		bool caught = ((uint64_t)procfs_status_num(t->tid, "SigCgt", 16, 0) & bit) &&
			      !((uint64_t)procfs_status_num(t->tid, "SigBlk", 16, 0) & bit);
		if (!caught) {
			crash_record(eng.log, t, &si);
			eng_hooks_fatal_signal(t, &si);
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
		/* doc/ENGINE.md, 'Group-stop and PTRACE_LISTEN': a group-stop; PTRACE_LISTEN keeps it stopped yet reports SIGCONT */
		if (!t->group_stopped && leaderish(t) && !fresh && !signal_hidden(sig)) {
			struct ev_draft d;
			eng_ev_start(&d, EVT_STOP, t);
			ev_sig(&d, EVK_SIGNAL, sig);
			evlog_append(eng.log, &d);
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
			eng_ev_start(&d, EVT_CONT, t);
			evlog_append(eng.log, &d);
		}
	}
	resume(t, 0);
}

/* ---- CPU accounting (rusage): doc/ENGINE.md, 'CPU time of the tree' ---- */

/* At a leader's PTRACE_EVENT_EXIT: the wait loop asks wait4 for an rusage until its death comes. */
static void cpu_expect(struct task *t)
{
	if (t->tid == t->proc->pid && !t->proc->cpu_pending) {
		t->proc->cpu_pending = true;
		eng.ru_wanted++;
	}
}

static void cpu_add(double user, double sys)
{
	eng.r->cpu_user += user;
	eng.r->cpu_sys += sys;
}

/* Whether p can reap no more: every live thread is past its exit stop. */
static bool reaps_no_more(const struct proc *p)
{
	return p->nthreads && (int)p->nexiting >= p->nthreads;
}

/*
 * Process ppid can reap no more (every thread past its exit stop, or the
 * process gone): its dead children it left unreaped are in nobody's
 * rusage, so count them here; the ones it reaped are in its own. While it
 * lives they are its zombies; once it is gone they are zombies of the
 * reaper they moved to (then one reaped already is not counted: only when
 * no exit stop was seen).
 */
static void cpu_settle(int ppid, bool gone)
{
	for (size_t i = 0; i < eng.nunwaited;) {
		struct eng_unwaited *u = &eng.unwaited[i];
		if (u->ppid != ppid) {
			i++;
			continue;
		}
		struct procfs_stat ps;
		if (procfs_stat(u->pid, &ps) == 0 && ps.state == 'Z' && (gone || ps.ppid == ppid))
			cpu_add(u->user, u->sys);
		*u = eng.unwaited[--eng.nunwaited];
	}
}

/* A process whose SIGCHLD is ignored has its children reaped by the kernel: never in its rusage. */
static bool ignores_sigchld(int pid)
{
	long long ign = procfs_status_num(pid, "SigIgn", 16, 0);
	return (ign >> (SIGCHLD - 1)) & 1;
}

/*
 * At a death: a leader's rusage covers its threads and the children it
 * waited for, like time(1). Without a traced parent it is counted now;
 * with one it is counted once that parent is known not to have reaped it.
 */
static void cpu_count(struct task *t, const struct rusage *ru)
{
	if (t->tid != t->proc->pid)
		return;
	double user = (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6;
	double sys = (double)ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
	struct proc *parent = proc_find(eng.ts, t->proc->ppid);
	if (!parent || reaps_no_more(parent) || ignores_sigchld(parent->pid)) {
		cpu_add(user, sys);
		return;
	}
	if (eng.nunwaited == eng.cunwaited) {
		eng.cunwaited = eng.cunwaited ? eng.cunwaited * 2 : 16;
		eng.unwaited = xreallocarray(eng.unwaited, eng.cunwaited, sizeof(*eng.unwaited));
	}
	eng.unwaited[eng.nunwaited++] = (struct eng_unwaited){ t->tid, parent->pid, user, sys };
}

/* A thread reached its PTRACE_EVENT_EXIT stop. */
static void cpu_exiting(struct task *t)
{
	struct eng_task *e = eng_of(t);
	if (!e->at_exit) {
		e->at_exit = true;
		t->proc->nexiting++;
	}
	if (reaps_no_more(t->proc))
		cpu_settle(t->proc->pid, false);
	cpu_expect(t);
}

/* ---- the wait loop ---- */

static void handle_status(int tid, int status, const struct rusage *ru)
{
	struct task *t = task_find(eng.ts, tid);
	if (!t) {
		if (!WIFSTOPPED(status)) {
			for (size_t i = 0; i < eng.ngone; i++) {
				if (eng.gone[i].tid == tid) {
					eng.gone[i] = eng.gone[--eng.ngone];
					return; /* a thread superseded by an execve in its group */
				}
			}
		}
		/*
		 * a child's first stop (or death) before its parent's fork event
		 * (doc/ENGINE.md, 'Children seen before their fork event')
		 */
		if (eng.norph == eng.corph) {
			eng.corph = eng.corph ? eng.corph * 2 : 16;
			eng.orph = xreallocarray(eng.orph, eng.corph, sizeof(*eng.orph));
		}
		eng.orph[eng.norph++] = (struct eng_pending){ tid, 0, status };
		if (eng.detaching && WIFSTOPPED(status)) {
			ptrace(PTRACE_DETACH, tid, 0L, 0L);
			eng.norph--;
		}
		return;
	}
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		int pid = t->proc->pid;
		bool leader = t->tid == pid;
		if (ru)
			cpu_count(t, ru);
		eng_task_died(t, status);
		if (leader && eng.nunwaited)
			cpu_settle(pid, true);
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	struct eng_task *e = eng_of(t);
	int sig = WSTOPSIG(status), event = (unsigned)status >> 16;
	bool fresh = e->fresh;
	e->fresh = false;
	t->stopped = true;
	if (!eng.attach && t->tid == eng.root_pid)
		decide_mode();

	if (eng.detaching) {
		/* events still need their bookkeeping: children to detach, exec cleanup */
		if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE) {
			struct task *c = eng_new_child(t, event);
			if (c)
				take_orphan(c->tid);
		} else if (event == PTRACE_EVENT_EXEC) {
			eng_exec_event(t);
		}
		eng_detach_one(t, status);
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
		struct task *c = eng_new_child(t, event);
		resume(t, 0);
		if (c)
			take_orphan(c->tid);
		break;
	}
	case PTRACE_EVENT_EXEC:
		eng_exec_event(t);
		resume(t, 0);
		break;
	case PTRACE_EVENT_EXIT:
		if (t->tid == t->proc->pid && t->proc->nthreads > 1)
			t->proc->leader_exited = true;
		/*
		 * the memory lives until the last thread leaves it: read at the
		 * leader's exit, and at each later one when the leader went first
		 */
		if (leaderish(t)) {
			eng_note_peak(t);
			eng_hooks_proc_exiting(t->proc);
		}
		cpu_exiting(t);
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
void eng_trace_loop(void)
{
	eng_waker_start();
	while (taskset_count(eng.ts) > 0) {
		if (atomic_load_explicit(&eng.wake_req, memory_order_relaxed)) {
			eng_look_around();
			atomic_store(&eng.wake_req, 0);
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
		struct rusage ru, *rup = eng.ru_wanted ? &ru : NULL;
		atomic_store(&eng.in_wait, 1);
		pid_t tid = atomic_load(&eng.wake_req) ? 0 : wait4(-1, &status, __WALL, rup);
		atomic_store_explicit(&eng.in_wait, 0, memory_order_relaxed);
		if (tid > 0) {
			handle_status(tid, status, rup);
			/*
			 * told to stop from outside (kill, timeout, a service manager),
			 * the command has ended: what it left behind is let go, as
			 * strace does, rather than traced for as long as it lives
			 */
			if (eng.stop_passed && eng.root_done && !eng.let_go && !eng.detaching && taskset_count(eng.ts))
				eng_let_go();
			continue;
		}
		if (tid < 0 && errno == ECHILD)
			break; /* records of tasks we will never hear of again */
		if (tid < 0 && errno != EINTR)
			die(70, "wait4: %s", strerror(errno));
	}
	eng_waker_stop();
}
