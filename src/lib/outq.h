/* SPDX-License-Identifier: MIT */
/*
 * outq: an output stream written by a thread of its own through a bounded
 * queue (doc/SAFETY.md, 'Output that cannot be written'), so that a reader
 * that stops reading (a stalled pipe or FIFO) never stalls the tracer: the
 * tracer hands over whole lines, the writer thread writes them.
 *
 * Backpressure: when the queue is full the caller waits, losing nothing
 * (the tracee waits with it, as under strace), but looks every
 * OUTQ_WAIT_MS at the stop check (outq_set_stop_check): once a stop was
 * asked for, what does not fit is dropped and counted instead, so the
 * usual stop or detach can run. outq_finish() gives the writer a bounded
 * grace period after a stop, then says what was not written.
 *
 * Every failure is said once, by outq_finish(), with the stream's label:
 * "-o FILE: writing failed: ERRNO; the narrative is incomplete".
 */
#ifndef COMPENDIUM_OUTQ_H
#define COMPENDIUM_OUTQ_H

#include <stdbool.h>
#include <stddef.h>

#define OUTQ_CAP (1u << 20) /* bytes queued before the caller waits */
#define OUTQ_WAIT_MS 50     /* how often a waiting caller looks at the stop check */
#define OUTQ_GRACE_MS 2000  /* what the writer gets to finish after a stop */

struct outq;

/*
 * Start a writer thread for fd (borrowed, not closed). label names the
 * stream in messages ("-o out.txt", "--json -"), what its content ("the
 * narrative", "the log"); both are copied.
 */
struct outq *outq_new(int fd, const char *label, const char *what);
/* Queue n bytes (whole lines: a drop drops whole calls). */
void outq_write(struct outq *q, const void *p, size_t n);
/*
 * No more output: wait for the writer to write everything (without limit
 * unless a stop was asked for: then OUTQ_GRACE_MS at most), end it, say
 * what failed or was not written (one line), free q. Returns 0, or -1 if
 * any of the output was lost; *lost (if not NULL) is how many bytes were
 * not written.
 */
int outq_finish(struct outq *q, unsigned long long *lost);
/* Whether the stream has lost anything so far (a write error, a drop). */
bool outq_failed(struct outq *q);

/*
 * The stop check, one for the process: true once compendium was told to
 * stop (a stop signal). Called on the caller's thread while it waits for
 * room or for the writer; NULL: never.
 */
void outq_set_stop_check(bool (*fn)(void *ctx), void *ctx);

#endif
