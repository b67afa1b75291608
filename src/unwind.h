/* SPDX-License-Identifier: MIT */
/* unwind: user-space call stacks of stopped tracees (libunwind-ptrace), -k. */
#ifndef COMPENDIUM_UNWIND_H
#define COMPENDIUM_UNWIND_H

#include "evlog.h"
#include "task.h"

/*
 * Capture the stack of stopped task t and add it to the draft as the
 * EVK_STACK field (a JSON array of frames). Safe on any task state: a
 * failure yields a partial stack with a truncated marker, never an error.
 */
void unwind_attach_stack(struct evlog *log, struct task *t, struct ev_draft *d);
/* Forget cached address-space data of p (after exec, exit, or exec-mapping change). */
void unwind_flush(struct proc *p);

#endif
