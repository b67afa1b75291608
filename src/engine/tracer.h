/* SPDX-License-Identifier: MIT */
/* tracer: the ptrace engine: launch or attach, the wait loop, stops, detach. */
#ifndef COMPENDIUM_TRACER_H
#define COMPENDIUM_TRACER_H

#include <signal.h>
#include <stdbool.h>

#include "log/run.h"
#include "tracee/task.h"

/*
 * Hooks other producers register before tracer_run() (page faults, the
 * --sample sampler, crash forensics). Any member may be NULL. They run on
 * the tracer's thread, with the task named stopped where one is named.
 */
struct tracer_hooks {
	void *ctx;
	/* a process came under trace (launched, forked, or attached) */
	void (*proc_start)(void *ctx, struct proc *p);
	/* a thread came under trace (any thread, including a process's first) */
	void (*task_start)(void *ctx, struct task *t);
	void (*proc_exec)(void *ctx, struct proc *p);
	/* before the proc's state is freed */
	void (*proc_exit)(void *ctx, struct proc *p);
	/*
	 * a thread of p that ends the process's memory (its leader, or any
	 * thread once the leader has exited) is at its PTRACE_EVENT_EXIT stop:
	 * the memory still exists, /proc/PID reads it (it will not after the
	 * reap, when proc_exit runs); may come more than once per process
	 */
	void (*proc_exiting)(void *ctx, struct proc *p);
	/* signal-delivery-stop of SIGSEGV/SIGBUS/SIGILL/SIGFPE/SIGTRAP/SIGABRT */
	void (*fatal_signal)(void *ctx, struct task *t, const siginfo_t *si);
	/* periodic: when tick_ms > 0 the loop calls it at least that often */
	void (*tick)(void *ctx);
	unsigned tick_ms;
	/* an fd to poll (readable -> fd_ready); -1 for none */
	int fd;
	void (*fd_ready)(void *ctx);
	/* tracing is over (all tasks gone or detached), before sinks finish */
	void (*finish)(void *ctx);
};
void tracer_add_hooks(const struct tracer_hooks *h);

/* How to trace; main fills it from the command line. */
struct tracer_cfg {
	char **argv;       /* the command to launch, NULL-terminated (borrowed) */
	const int *pids;   /* --pid targets (borrowed); npids > 0: attach instead of launching */
	int npids;
	bool no_seccomp;   /* --no-seccomp: no filter, stop at every syscall */
	bool same_cpu;     /* --same-cpu: compendium and the command on one CPU */
	/*
	 * The launched command's stdout goes to compendium's stderr: set when
	 * compendium's own stdout carries the JSON Lines log (--json -), so
	 * that nothing the command prints lands between the records.
	 */
	bool stdout_to_stderr;
	uint64_t signals_hidden; /* -e signal=: bit N-1 set: no signal or stop event for signal N */
	/*
	 * --engine bpf (doc/BPF.md): an in-kernel program instead of ptrace,
	 * its ring buffer's size in bytes, and whether runs of read/write on
	 * one fd are coalesced into one event (not under -v or -c)
	 */
	bool engine_bpf;
	size_t bpf_ring_size;
	bool bpf_coalesce;
};

/*
 * The setup checks, before any output starts: resolve cfg->argv[0]
 * through PATH (exit 127 "command not found" / 126 "permission denied",
 * like a shell), or validate every cfg->pids target (no such process,
 * kernel thread, zombie, compendium itself) and fill r->argv from the
 * first target's /proc/PID/cmdline and r->mode. Errors end the program
 * with one line. cfg is copied; what its pointers name must outlive
 * tracer_run(). Only the first call counts.
 */
void tracer_prepare(struct run *r, const struct tracer_cfg *cfg);

/*
 * Launch the command (or attach to the targets) of tracer_prepare()'s cfg,
 * which must have been called, trace until every task is gone or
 * compendium is told to stop, and fill r's outcome. Setup errors (fork,
 * PTRACE_SEIZE) end the program with one clear line. Returns 0 once
 * tracing has run, with SIGINT, SIGTERM, SIGHUP and SIGQUIT left blocked:
 * the caller finishes its outputs and unblocks them (src/main.c,
 * outputs_finishing), so that none kills compendium in between.
 */
int tracer_run(struct run *r);

/*
 * Whether compendium was told to stop (a stop signal from outside, handled
 * or read and waiting for the wait loop's next turn; doc/ENGINE.md, 'Ctrl-C
 * and signals to the tracer'). For an output that waits for room on the
 * tracer's thread, inside a stop: once true it stops waiting, so the usual
 * stop or detach can run. Usable at any time; false before a trace.
 */
bool tracer_stop_requested(void);

/* The task set (valid during tracer_run), for hooks that need lookups. */
struct taskset *tracer_tasks(void);

#endif
