/* SPDX-License-Identifier: MIT */
/*
 * decode: turns syscalls of traced tasks into event-log records. The
 * tracer calls these hooks; decoders never print and never resume a task.
 * Everything is owned by the decoder unless said otherwise.
 */
#ifndef COMPENDIUM_DECODE_H
#define COMPENDIUM_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/traceexpr.h"
#include "log/evlog.h"
#include "tracee/task.h"

struct memmap;
struct run;

/* What the decoder is asked for (main.c fills it from the command line). */
struct decode_cfg {
	bool verbose;         /* -v: a syscall record for every selected call */
	bool summary;         /* -c: per-syscall statistics (every call is a stop) */
	bool no_seccomp;      /* --no-seccomp: no filter, stop at every syscall */
	bool faults;          /* --faults: keep the memory map for region attribution */
	bool stack;           /* -k: user-space stacks on events */
	int strsize;          /* -s: string bytes shown in -v records */
	int xhex;             /* -x 1, -xx 2: -v strings in hex (sysfmt_set_style) */
	int decode_fds;       /* -yy 2: -v fds with socket endpoints and device numbers */
	struct trace_sel sel; /* -e trace= */
	unsigned status;      /* -e status=, -z, -Z: EXPR_ST_* results recorded (0: all) */
	const char *const *paths; /* -P: the paths (and what they resolve to), borrowed */
	unsigned npaths;
};

/*
 * Set once before tracing: the log that receives events (borrowed) and the
 * settings (copied). Also hooks the decoder into the process table (its state is
 * freed with each process) and into sysfmt (fds shown with what they are).
 */
void decode_init(struct evlog *log, const struct decode_cfg *cfg);
/* After tracing: forget the log, the settings and the pending state. */
void decode_fini(void);

/*
 * The x86_64 syscall numbers the tracer must stop at so the enabled outputs
 * are complete: the selection, and the rows of syscalls/x86_64.tbl by
 * their stop classes (fd and process tracking; the memory map under
 * --faults; under -k mmap, munmap, mremap and mprotect, where the stack
 * caches follow the executable maps). Sets bits in 'bitmap'
 * (SC_BITMAP_WORDS words of 64 bits).
 * Returns false only when every syscall is needed (-v of everything, -c,
 * --no-seccomp): no seccomp filter then.
 */
bool decode_wanted_syscalls(uint64_t *bitmap);

/*
 * Whether the last decode_wanted_syscalls chose lazy fd naming: the filter
 * does not stop at the fd-table calls (close, dup, fcntl, pipe...), and fds
 * are named at use from /proc/TID/fd (see the rule in decode.c).
 */
bool decode_fds_lazy(void);

/*
 * Calls of a wanted syscall that matter only when argument 'arg' (its low
 * 32 bits) is one of vals (fcntl: F_DUPFD, F_DUPFD_CLOEXEC, F_SETFD), for
 * the seccomp filter. Fills up to max rules; returns how many.
 */
struct decode_argrule {
	unsigned nr, arg, nvals;
	uint32_t vals[4];
};
size_t decode_arg_rules(struct decode_argrule *out, size_t max);

/*
 * At a syscall's entry: false when its exit stop would add nothing, so
 * the tracer may skip it (seccomp) and call decode_syscall_exit at once
 * with the t->sc.ret / is_error this leaves (0 unless said): close of an
 * fd that no event reports, fcntl F_SETFD, and fcntl F_DUPFD* of a
 * single-threaded process, whose new fd is found at its next syscall
 * entry with kcmp(2) (ret is then set to a failure so the exit does nothing).
 */
bool decode_exit_wanted(struct task *t);

/* Syscall entry: t->sc holds nr/arch/args/t_entry. May set t->sc.scratch. */
void decode_syscall_entry(struct task *t);
/* Syscall exit: t->sc.ret / is_error set. Appends events; frees scratch. */
void decode_syscall_exit(struct task *t);
/* A thread vanished inside a syscall (killed, or exec superseded it): free scratch. */
void decode_syscall_abandon(struct task *t);

/* Process lifecycle. clone_flags: the CLONE_* flags of the creating call (0 for fork). */
void decode_proc_new(struct proc *child, struct proc *parent, uint64_t clone_flags);
/* A process attached with --pid: fd table etc. resolved lazily from /proc. */
void decode_proc_attached(struct proc *p);
/*
 * A process that is not stopped while it is traced (--engine bpf): its cwd
 * and every fd it has now, named from /proc at once, while they are still
 * what its first syscalls will use. The process must be waiting.
 */
void decode_proc_prime(struct proc *p);
/* After a successful exec: drop CLOEXEC fds, reset the memory map. */
void decode_proc_exec(struct proc *p);
void decode_proc_free(struct proc *p);
/*
 * A thread or process created by parent's clone (engine, at the clone
 * event): a thread made without CLONE_FILES or CLONE_FS, or by a thread
 * that has its own, gets its own fd table or cwd; a process's state is
 * made from its creating thread's.
 */
void decode_task_clone(struct task *child, struct task *parent, uint64_t clone_flags, bool thread);
/* Before decode_proc_exec: the execing thread's own state (if any) becomes its process's. */
void decode_task_exec(struct task *t);
/* A task is freed: its own state goes (the task free hook). */
void decode_task_free(struct task *t);

/* The memory map of process p (created on demand, read lazily from /proc); borrowed. */
struct memmap *decode_memmap(struct proc *p);

/* Per-syscall statistics for -c (strace -c): index = syscall number. */
struct sc_stat {
	uint64_t calls, errors;
	uint64_t total_ns;
};
/* Statistics of 'arch' (AUDIT_ARCH_X86_64 / _I386); *n receives the table size. */
const struct sc_stat *decode_stats(uint32_t arch, unsigned *n);
/*
 * At the end of tracing: the -c statistics into r->sc64 and r->sc32 (freed
 * by run_free_results), a row per syscall called at least once, in number
 * order, named from the table or "syscall_NR".
 */
void decode_fill_run_stats(struct run *r);

/* Describe fd of process p for a message ("/etc/passwd", "pipe:[123]", ...). */
const char *decode_fd_desc(struct proc *p, int fd);

#endif
