/* SPDX-License-Identifier: MIT */
/*
 * engine_int: the state and helpers the engine's files share (tracer.c,
 * loop.c, lifecycle.c, exec.c, launch.c, attach.c, waker.c). Internal to
 * src/engine/; tracer.h is the engine's public face.
 */
#ifndef COMPENDIUM_ENGINE_INT_H
#define COMPENDIUM_ENGINE_INT_H

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "decode/decode.h"
#include "engine/arch/x86_64/arch.h"
#include "log/evlog.h"
#include "log/run.h"
#include "tracee/task.h"
#include "lib/util.h"

#define ENG_MAX_HOOKS 8
#define EXEC_MAX_ARGS 4096
#define EXEC_MAX_BYTES (128 * 1024)

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

/* The tracer's private per-task data (task->eng). */
struct eng_task {
	bool fresh;          /* no stop seen yet */
	bool hide;           /* the launched child before its execve: not shown */
	bool hidden;         /* the current syscall is not shown */
	bool child_seen;     /* a fork/clone event arrived during the current syscall */
	bool deny;           /* ptrace(ATTACH/SEIZE, compendium) refused at entry */
	bool exec_done;      /* EVENT_EXEC arrived during the current execve */
	bool clone_known;    /* clone_flags read at entry */
	/*
	 * doc/ENGINE.md, 'Seccomp filters of the tracee': the task has (or
	 * may have) a filter of its own, so it stops at every syscall; the
	 * current syscall's entry was seen at a syscall-entry stop; the
	 * tracee's RET_TRACE sent it to us: it fails with ENOSYS
	 */
	bool own_filter;
	bool entry_stop;
	bool enosys;
	enum arch_sc_kind kind;
	uint64_t clone_flags;
	/* execve captured at entry: path NUL argv[0] NUL ... (bounded) */
	struct buf ex;
	uint32_t ex_argc;
	bool ex_valid;
	int ex_dirfd;        /* execveat dirfd, AT_FDCWD otherwise */
	bool at_exit;        /* past its PTRACE_EVENT_EXIT stop (counted in proc->nexiting) */
	bool ex_nopath;      /* the path pointer was NULL or unreadable (EFAULT) */
	bool ex_emptyfd;     /* execveat(fd, "", AT_EMPTY_PATH): the fd itself */
	bool ex_trunc;       /* --engine bpf: argv cut at the kernel program's bound */
	int exit_status;     /* --engine bpf: a leader's status, held until its last thread ends */
};

/*
 * A dead child whose traced parent was alive: its CPU time is in the
 * parent's rusage only if the parent reaps it (doc/ENGINE.md, 'CPU time
 * of the tree'), which is known when the parent stops being able to.
 */
struct eng_unwaited {
	int pid, ppid;
	double user, sys;
};

struct eng_pending {
	int tid, pid;
	int status;
};

/* Child -> tracer facts before the first execve (shared anonymous page). */
struct eng_launch_shm {
	volatile int seccomp;    /* 1 installed, 0 not wanted, <0 -errno */
	volatile int exec_errno;
};

/* engine/tracer.h's, complete there (this header stays below it) */
struct tracer_cfg;
struct tracer_hooks;

struct eng_state {
	const struct tracer_cfg *cfg;  /* tracer_prepare's copy; its pointers are borrowed */
	struct tracer_hooks *hooks;    /* tracer_add_hooks's registry: nhooks of ENG_MAX_HOOKS */
	int nhooks;
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
	struct eng_launch_shm *shm;
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
	/*
	 * A stop signal (INT, QUIT, TERM, HUP) sent to compendium by a process
	 * outside the tree, to be passed on to the launched command at
	 * fwd_due (ns, now_ns clock) unless the command shows by then that it
	 * got it too (a group kill): waker.c, doc/ENGINE.md 'Ctrl-C and
	 * signals to the tracer'.
	 */
	int fwd_sig;
	uint64_t fwd_due;
	uint64_t root_sig_ns[65]; /* when the command last had a signal-delivery stop, per signal */
	uint64_t last_int;      /* now_ns of the last SIGINT counted in nint */
	bool stop_passed;       /* a stop signal from outside was passed on (or reached) the command */
	bool let_go;            /* eng_let_go ran: the command is gone, what it left detached or doomed */
	uint64_t noted_sigs;    /* signals already said to be ignored (bit sig-1) */
	struct sigaction old_act[65]; /* dispositions before eng_signals_setup, restored after */
	sigset_t caught;        /* the signals the signalfd takes */
	bool ttou_ignored, ttin_ignored, chld_ignored;
	bool killing, detaching;
	/*
	 * first stops of children whose parent's event has not arrived
	 * (doc/ENGINE.md, 'Children seen before their fork event')
	 */
	struct eng_pending *orph;
	size_t norph, corph;
	/*
	 * threads deleted at a non-leader exec whose death is still to be
	 * reaped (doc/ENGINE.md, 'Exec from a non-leader thread')
	 */
	struct eng_pending *gone;
	size_t ngone, cgone;
	struct eng_unwaited *unwaited;
	size_t nunwaited, cunwaited;
	uint64_t tick_last[ENG_MAX_HOOKS];
	uint32_t argv_ids[EXEC_MAX_ARGS];
	char path[PATH_MAX + 64];
	/*
	 * --engine bpf (bpf_run.c): the log time of the record being handled,
	 * which engine events carry instead of the time they are made (0:
	 * now), and the image an exec record named (NULL: /proc/PID/exe).
	 */
	uint64_t ev_time;
	const char *exec_path;
};

/* The one engine (defined in tracer.c). */
extern struct eng_state eng;

static inline struct eng_task *eng_of(struct task *t)
{
	return t->eng;
}

static inline void eng_ev_start(struct ev_draft *d, unsigned type, struct task *t)
{
	ev_init(d, type, eng.ev_time ? eng.ev_time : evlog_now(eng.log), t ? t->proc->pid : 0, t ? t->tid : 0);
}

/* Tell the decoders that t's current syscall will not reach its exit stop. */
static inline void eng_abandon(struct task *t)
{
	if (t->in_syscall && !eng_of(t)->hidden)
		decode_syscall_abandon(t);
}

/* tracer.c: tasks, events and hooks */

/* A task under trace: thread of p, or the first thread of a new process (p NULL). */
struct task *eng_task_new(int tid, struct proc *p);
/* Forget t (and its process with its last thread). */
void eng_task_gone(struct task *t);
/* A warning event for t (NULL: none), also said on stderr. */
void eng_warning(struct task *t, const char *msg);
/* The interned basename of the interned path path_id (0 if none). */
uint32_t eng_intern_basename(uint32_t path_id);
/* argv of a live process from /proc/PID/cmdline as interned ids; returns count. */
uint32_t eng_cmdline_ids(int pid, uint32_t *ids, uint32_t max);
/* Signal pid through a pidfd, so that a recycled pid is never hit (doc/ENGINE.md, 'Pids are reused'). */
void eng_pidfd_kill(int pid, int sig);
/* The hooks, in registration order; a NULL p or t skips the hooks for it. */
void eng_hooks_start(struct proc *p, struct task *t);
void eng_hooks_proc_exec(struct proc *p);
void eng_hooks_proc_exit(struct proc *p);
void eng_hooks_proc_exiting(struct proc *p);
void eng_hooks_fatal_signal(struct task *t, const siginfo_t *si);

/* loop.c: the wait loop until no task is left */
void eng_trace_loop(void);

/* lifecycle.c: processes and threads coming and going */

/* At a fork/vfork/clone event of t: the new task, or NULL (known, or no child id). */
struct task *eng_new_child(struct task *t, int event);
/* The "via" of a spawn: the creating syscall's kind, else the ptrace event's (0: clone). */
const char *eng_via(enum arch_sc_kind kind, int event);
/*
 * Child ctid of t, created with these CLONE_* flags (CLONE_THREAD: a thread
 * of t's process): the task, the decoder's state, the spawn event, the hooks.
 */
struct task *eng_child_add(struct task *t, int ctid, uint64_t flags, const char *via);
/* t is dead (WIFEXITED/WIFSIGNALED status): its exit event, outcome, hooks. */
void eng_task_died(struct task *t, int status);
/*
 * t is at a stop where its process's memory still exists (PTRACE_EVENT_EXIT,
 * or a detach): raise t->proc->maxrss to the VmHWM /proc reads now.
 */
void eng_note_peak(struct task *t);

/* exec.c: execve */

/* At execve entry: the path and argv as the tracee passed them. */
void eng_capture_exec(struct task *t, struct eng_task *e);
/* The exec event of t (err: the execve failed with that errno). */
void eng_emit_exec(struct task *t, int former, int err);
/*
 * At PTRACE_EVENT_EXEC: the non-leader exec cleanup
 * (doc/ENGINE.md, 'Exec from a non-leader thread'), the event, the hooks.
 */
void eng_exec_event(struct task *t);
/* The same once the former tid of the execing thread is known (the bpf engine's exec record). */
void eng_exec_done(struct task *t, int former);

/* launch.c: the launched command */

/* Resolve the command (dies 127/126), --same-cpu pinning. */
void eng_launch_prepare(struct run *r);
/* Fork, filter, seize and release the command. */
void eng_launch(struct run *r);
/*
 * In the forked command before it waits to be released: its stdout (--json
 * -), the signals it must see as untraced, the mask, dumpable again.
 */
void eng_child_setup(void);
pid_t eng_fork_held(int sync[2]);
NORETURN void eng_held_failed(pid_t pid, const char *what);
struct task *eng_held_root(struct run *r, pid_t pid, const char *path);
void eng_held_go(int fd);
/* SIGKILL every traced process (once). */
void eng_kill_tree(void);

/* attach.c: --pid */

/* Check every target (dies with one line) and fill r's argv from the first. */
void eng_attach_prepare(struct run *r);
/* Seize every thread of every target. */
void eng_attach_all(void);
/* Detach t at this stop (status) and forget it. */
void eng_detach_one(struct task *t, int status);
/* Detach every task at its next stop (once). */
void eng_detach_all(void);
/* The launched command ended after a stop signal: detach what it left (attach.c). */
void eng_let_go(void);
/* Detach the first stops still waiting for their parent's event. */
void eng_detach_orphans(void);

/* waker.c: compendium's own signals, the waker thread */

/* Signals to a signalfd, the rest as the command should get them. */
void eng_signals_setup(void);
/* Once tracing is over: the last signals, SIGPIPE ignored, the mask back. */
void eng_signals_restore(void);
/* Signals for compendium, readable hook fds, due ticks. */
void eng_look_around(void);
/* A signal-delivery stop of t: the command got a stop signal compendium was about to pass on. */
void eng_signal_seen(const struct task *t, int sig);
void eng_waker_start(void);
void eng_waker_stop(void);

#endif
