/* SPDX-License-Identifier: MIT */
/*
 * task: per-thread (struct task) and per-process (struct proc) state of the
 * traced tree, hashed by tid. Owned by task.c; the tracer creates and
 * deletes entries; decoders read them and keep their own per-process state
 * behind proc->dec (see decode.h).
 */
#ifndef COMPENDIUM_TASK_H
#define COMPENDIUM_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct decode_proc; /* decoder's per-process state: fd table, cwd, memory map */

struct proc {
	int pid;               /* thread-group id */
	int ppid;              /* traced parent's pid, 0 if none */
	int nthreads;          /* live traced threads */
	uint32_t exe;          /* interned absolute path of the current image (0 = unknown) */
	uint32_t comm;         /* interned short name (basename of exe or /proc comm) */
	uint64_t t_start;      /* ns (log time) first seen */
	bool leader_exited;    /* the leader reported its exit but threads remain */
	bool attached;         /* came from --pid (not created under us) */
	bool cpu_pending;      /* tracer: its exit status is wanted with its rusage */
	unsigned nexiting;     /* tracer: live threads past their exit stop (all: it reaps no more) */
	uint64_t maxrss;       /* bytes: the largest VmHWM the tracer read (0 = not read) */
	struct decode_proc *dec;
	unsigned refs;         /* tasks pointing here */
};

/* The syscall a thread is in, as read at its entry stop. */
struct syscall {
	int64_t nr;            /* raw number as the tracee gave it (may be bogus) */
	uint32_t arch;         /* AUDIT_ARCH_X86_64 or AUDIT_ARCH_I386 */
	bool compat;           /* i386 (int 0x80) numbering */
	uint64_t args[6];
	uint64_t ip, sp;
	uint64_t t_entry;      /* log time of the entry stop */
	uint64_t t_exit;       /* log time of the exit when the engine knows it (bpf), 0: the exit stop's now */
	uint32_t calls;        /* bpf: consecutive calls on one fd coalesced into this one (0 or 1: one) */
	int64_t ret;           /* set at exit */
	bool is_error;         /* ret in [-4095, -1] */
	void *scratch;         /* decoder's data captured at entry; decoder frees */
	void *held;            /* decoder's object referenced from entry to exit; decoder releases */
	bool path_hit;         /* -P: the call touches a selected path (decode sets it at entry) */
};

struct task {
	int tid;
	struct proc *proc;
	bool in_syscall;       /* between entry and exit stop */
	bool stopped;          /* in a ptrace-stop right now */
	bool group_stopped;    /* in a group-stop (restart with PTRACE_LISTEN) */
	bool exited;
	struct syscall sc;
	void *eng;             /* tracer's private per-task data */
	/*
	 * The decoder's state of this thread when it is not its process's:
	 * a thread made without CLONE_FILES or CLONE_FS, or after unshare
	 * (NULL: proc->dec). Freed by the task free hook.
	 */
	struct decode_proc *dec;
};

struct taskset;

struct taskset *taskset_new(void);
void taskset_free(struct taskset *ts);
/* NULL if unknown. */
struct task *task_find(struct taskset *ts, int tid);
/* Create a task in 'proc' (a new proc with pid=tid when proc is NULL). */
struct task *task_add(struct taskset *ts, int tid, struct proc *proc);
/*
 * The function that frees a process's decoder state (proc->dec) when the
 * process is freed (the decoder registers it; NULL: none). One for all tasksets.
 */
void task_set_proc_free_hook(void (*fn)(struct proc *p));
/* The function that frees a task's decoder state (task->dec) when the task is freed. */
void task_set_task_free_hook(void (*fn)(struct task *t));
/* Remove and free a task; its proc is freed (the free hook first) when the last task goes. */
void task_del(struct taskset *ts, struct task *t);
struct proc *proc_find(struct taskset *ts, int pid);
size_t taskset_count(const struct taskset *ts);
/* Call fn for every task (safe against deletion of the current task). */
void taskset_each(struct taskset *ts, void (*fn)(struct task *t, void *ctx), void *ctx);

#endif
