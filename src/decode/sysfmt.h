/* SPDX-License-Identifier: MIT */
/*
 * sysfmt: strace-like text of a syscall from its table row (-v):
 * openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3</etc/passwd>.
 * Reads tracee memory (the task must be stopped); appends to caller's buffers.
 */
#ifndef COMPENDIUM_SYSFMT_H
#define COMPENDIUM_SYSFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracee/task.h"
#include "lib/util.h"

/*
 * What fd of process p is, for "3</etc/passwd>" ("pipe:[12]", a peer...),
 * or NULL when unknown; the string is borrowed until the next call.
 */
typedef const char *(*sysfmt_fd_desc_fn)(struct proc *p, int fd);
/*
 * -x (xhex 1): a string with a byte that is not printable ASCII nor \t \n
 * \v \f \r is shown all in \xNN, as strace -x; -xx (2): every string.
 * yy (-yy): sockets by protocol and endpoints, devices with their numbers
 * (decode/fdyy.h). Both off by default.
 */
void sysfmt_set_style(int xhex, bool yy);
/* Set how fds are described (the decoder's fd table); NULL (the default): plain numbers. */
void sysfmt_set_fd_desc(sysfmt_fd_desc_fn fn);

/*
 * Append "name(args) = ret" for the syscall in t->sc at its exit stop
 * (t->sc.ret and is_error set). Strings show at most strsize bytes, then
 * "...". No duration and no newline: the caller adds them.
 */
void sysfmt_call(struct buf *out, struct task *t, int strsize);

/*
 * As sysfmt_call, but with the argument list given by 'entry_args' (from
 * sysfmt_entry_args at the entry stop) when not NULL: needed when the call
 * replaces the memory its arguments point to (see sysfmt_needs_entry).
 */
void sysfmt_call_with(struct buf *out, struct task *t, int strsize, const char *entry_args);

/* Append the decoded argument list at the exit stop, without parentheses. */
void sysfmt_args(struct buf *out, struct task *t, int strsize);
/* The same at the entry stop: output buffers show as addresses. */
void sysfmt_entry_args(struct buf *out, struct task *t, int strsize);

/*
 * True when the arguments must be formatted at entry: execve (the old image
 * is gone at exit), close/dup2/dup3 (the fd's old meaning is gone).
 */
bool sysfmt_needs_entry(const struct task *t);

/* Append the return value as after "= ": "3</etc/passwd>", "-1 ENOENT (No such file or directory)", "?". */
void sysfmt_ret(struct buf *out, struct task *t);

/* Append the name of syscall nr of arch, or "syscall_0x..." when unknown. */
void sysfmt_name(struct buf *out, uint32_t arch, int64_t nr);

/*
 * Append n bytes as a double-quoted C string, strace-like: \n \t \r \v \f
 * \" \\, other control bytes in octal (\33), bytes that are not valid UTF-8
 * as \xNN; valid UTF-8 kept except C1 controls, U+2028/U+2029 (escaped as
 * \xNN bytes). 'more' appends "..." after the closing quote. Under -x/-xx
 * (sysfmt_set_style) strace's hex form instead.
 */
void sysfmt_quote(struct buf *out, const void *p, size_t n, bool more);

#endif
