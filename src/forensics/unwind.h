/* SPDX-License-Identifier: MIT */
/* unwind: user-space call stacks of stopped tracees (libunwind-ptrace), -k. */
#ifndef COMPENDIUM_UNWIND_H
#define COMPENDIUM_UNWIND_H

#include <stdbool.h>
#include <stdint.h>

#include "log/evlog.h"
#include "tracee/task.h"

/*
 * Capture the stack of stopped task t and add it to the draft as the
 * EVK_STACK field (a JSON array of frames). Safe on any task state: a
 * failure yields a partial stack with a truncated marker, never an error.
 *
 * The array: one object per frame, innermost first,
 *   {"ip":"0x...","module":"/usr/lib/.../libc.so.6"|null,"offset":"0x..."|null,"sym":"f3"|null}
 * (offset: file offset in module, as in /proc/PID/maps; sym only when
 * trusted), then, when the walk stopped early (unreadable memory, thread
 * gone, a cycle, the depth cap), a last element
 *   {"truncated":true,"reason":"unreadable"|"cycle"|"sp"|"depth"|"no registers"|"no unwind info"}
 * ("no unwind info": the walk ended in code outside any file, e.g. JIT).
 */
void unwind_attach_stack(struct evlog *log, struct task *t, struct ev_draft *d);
/* Forget cached address-space data of p (after exec, exit, or exec-mapping change). */
void unwind_flush(struct proc *p);

/* When stacks are taken (-k, --stack-on). */
struct unwind_cfg {
	bool stack;               /* -k */
	const char *stack_on;     /* comma list of syscalls or event types; NULL or "" = all; borrowed */
};
/* Set the -k settings unwind_wanted answers from (a copy; stack_on must outlive the run). */
void unwind_configure(const struct unwind_cfg *cfg);

/*
 * Should a stack be taken for this syscall or event type? True when the
 * configured stack is set and stack_on is empty or names 'syscall' or
 * 'type' (either may be NULL).
 */
bool unwind_wanted(const char *syscall, const char *type);

/* Most frames recorded in one stack. */
#define UNWIND_MAX_DEPTH 128

/*
 * One step of a stack walk: move to the caller frame and store its IP and
 * SP. Returns > 0 on success, 0 at the outermost frame, < 0 on failure.
 * *signal_frame: the frame just left was a signal trampoline (its caller's
 * SP may be anywhere, e.g. on sigaltstack).
 */
typedef int (*unwind_step_fn)(void *ctx, uint64_t *ip, uint64_t *sp, bool *signal_frame);

/*
 * Walk from the frame (ip0, sp0) with step, storing at most max IPs in ips.
 * Stops at the depth cap, on a step error, when (IP, SP) repeats or when SP
 * does not increase outside a signal frame; *why then names the reason
 * ("depth", "unreadable", "cycle", "sp"), else NULL. Returns the count.
 */
unsigned unwind_walk(uint64_t ip0, uint64_t sp0, unwind_step_fn step, void *ctx, uint64_t *ips,
		     unsigned max, const char **why);

#endif
