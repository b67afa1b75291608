/* SPDX-License-Identifier: MIT */
/*
 * evcount: the one definition of what the sinks count, so that the
 * narrative, the FINAL summary, the JSON end record and the report agree
 * on calls, failures and bytes (man/compendium.1, "The summary"):
 *
 * - a failed operation is an event carrying an errno, except a restart
 *   code (the kernel restarts the call), a connect's EINPROGRESS (a
 *   non-blocking connect under way: how it ends comes later), the -v
 *   syscall records (they repeat the event of their call; a generic one,
 *   the only event of a call selected by name, counts) and the conn
 *   records (a connection's outcome: a connect that failed at once is
 *   counted as the connect; one that failed later, told by SO_ERROR, is
 *   listed with the connections, not as a failed call);
 * - a read, write, send or recv call is one that returned: every call that
 *   did not fail, the 0-byte read at the end of a file included; a failed
 *   one is a failure, not a call;
 * - its bytes are the bytes it returned (0 for a failed call).
 *
 * Noise flags change what is listed, never what is counted. -c keeps
 * strace -c's errors column (every error return but the restart codes).
 */
#ifndef COMPENDIUM_EVCOUNT_H
#define COMPENDIUM_EVCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "log/evlog.h"

/*
 * The errno of e if it counts as a failed operation, else 0; -1 with
 * *name set to the string id of an errno name this build does not know (a
 * --from log). *name is 0 otherwise.
 */
int evcount_failure(const struct ev *e, uint32_t *name);
/* True if e counts as a failed operation. */
bool evcount_failed(const struct ev *e);

/* The read/write/send/recv totals' index of e's type; -1 for other types. */
enum evcount_rw { EVCOUNT_READ, EVCOUNT_WRITE, EVCOUNT_SEND, EVCOUNT_RECV, EVCOUNT_RW_N };
int evcount_rw_kind(const struct ev *e);
/* True if e is a read/write/send/recv call that returned (0 bytes included). */
bool evcount_rw_call(const struct ev *e);
/* The bytes e's call moved: 0 if it failed or says none. */
/* The calls one read/write event stands for: its "calls" (--engine bpf coalesces runs on one fd), else 1. */
uint64_t evcount_calls(const struct ev *e);
uint64_t evcount_bytes(const struct ev *e);

/* Totals over a log, as the JSON end record and the report give them. */
struct evcount_totals {
	uint64_t failed;
	uint64_t calls[EVCOUNT_RW_N];
	uint64_t bytes[EVCOUNT_RW_N];
};

/* Count e into t. */
void evcount_add(struct evcount_totals *t, const struct ev *e);

#endif
