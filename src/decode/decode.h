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

#include "log/evlog.h"
#include "tracee/task.h"

/* Set once before tracing: the log that receives events. */
void decode_init(struct evlog *log);
void decode_fini(void);

/*
 * The x86_64 syscall numbers the tracer must stop at so the enabled outputs
 * are complete (selection, fd tracking, process tracking). Sets bits in
 * 'bitmap' (SC_BITMAP_WORDS words of 64 bits); under -k it adds mmap,
 * munmap, mremap and mprotect (stack caches follow the executable maps).
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
/* After a successful exec: drop CLOEXEC fds, reset the memory map. */
void decode_proc_exec(struct proc *p);
void decode_proc_free(struct proc *p);

/* Per-syscall statistics for -c (strace -c): index = syscall number. */
struct sc_stat {
	uint64_t calls, errors;
	uint64_t total_ns;
};
/* Statistics of 'arch' (AUDIT_ARCH_X86_64 / _I386); *n receives the table size. */
const struct sc_stat *decode_stats(uint32_t arch, unsigned *n);

/* Describe fd of process p for a message ("/etc/passwd", "pipe:[123]", ...). */
const char *decode_fd_desc(struct proc *p, int fd);

#endif
