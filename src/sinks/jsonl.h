/* SPDX-License-Identifier: MIT */
/* jsonl: the event log as JSON Lines: a streaming sink (--json); log/jsonl_read.h reads it back. */
#ifndef COMPENDIUM_JSONL_H
#define COMPENDIUM_JSONL_H

#include <stdio.h>

#include "log/run.h"

struct jsonl_sink;

/*
 * Write the header line now and every appended event as it arrives, to fd
 * (borrowed; not closed). Returns the sink; jsonl_sink_finish() writes the
 * end record, flushes and frees it.
 */
struct jsonl_sink *jsonl_sink_new(struct run *r, int fd);
/*
 * The same, written by a thread of its own through a bounded queue
 * (lib/outq.h), so that a reader that stops reading does not stall the
 * caller; label names the output in messages ("--json -"). Its
 * jsonl_sink_finish says what failed itself (one line) and returns -EIO.
 */
struct jsonl_sink *jsonl_sink_stream(struct run *r, int fd, const char *label);
/*
 * 0, or -errno if any write failed: the first error is kept, nothing more is
 * written after it, and the caller reports it (the sink prints nothing).
 */
int jsonl_sink_finish(struct jsonl_sink *s);

/*
 * The lines themselves, for other writers of the same format (--watch
 * dumps): each appends one complete line, '\n' included, to b. The end
 * record's counts come from iterating r->log, its "faults" member from
 * r->faults (before the raw end_extra members).
 */
void jsonl_encode_header(struct buf *b, const struct run *r);
void jsonl_encode_event(struct buf *b, const struct evlog *log, const struct ev *e);
void jsonl_encode_end(struct buf *b, const struct run *r);
/*
 * One field value as JSON (by its kind; see enum ev_kind). A string that is
 * not exact comes out lossy (lib/json.h): a writer of members uses
 * jsonl_encode_member, which adds the KEY_bytes sibling.
 */
void jsonl_encode_value(struct buf *b, const struct evlog *log, const struct ev_field *f);
/* ,"key":value and, for a string (vector) that is not exact, ,"key_bytes":[...]. */
void jsonl_encode_member(struct buf *b, const struct evlog *log, const struct ev_field *f);

#endif
