/* SPDX-License-Identifier: MIT */
/* jsonl: the event log as JSON Lines: a streaming sink (--json) and a reader (--from). */
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
 * 0, or -errno if any write failed: the first error is kept, nothing more is
 * written after it, and the caller reports it (the sink prints nothing).
 */
int jsonl_sink_finish(struct jsonl_sink *s);

/*
 * The lines themselves, for other writers of the same format (--watch
 * dumps): each appends one complete line, '\n' included, to b. The end
 * record's counts come from iterating r->log.
 */
void jsonl_encode_header(struct buf *b, const struct run *r);
void jsonl_encode_event(struct buf *b, const struct evlog *log, const struct ev *e);
void jsonl_encode_end(struct buf *b, const struct run *r);
/* One field value as JSON (by its kind; see enum ev_kind). */
void jsonl_encode_value(struct buf *b, const struct evlog *log, const struct ev_field *f);

/*
 * Read a JSON Lines log (as written by --json or a --watch dump) into a new
 * run (r->log created, header facts and outcome filled). Lines that cannot
 * be read are skipped with a warning naming the line (counted in
 * *nwarnings, messages appended to warnings as "line N: problem\n"; both
 * may be NULL); a file with neither a readable header nor any event fails.
 * Strings come back byte-exact (json_unescape_bytes); "err" names become
 * errno values, "signal" names signal numbers, "0x.." strings EVF_HEX, "dur"
 * EVF_DUR; other arrays and objects are kept as safely re-encoded EVF_JSON.
 * r->argv, r->host and r->kernel are malloc'd. Returns 0, or -errno with one
 * clear message printed and r->log NULL.
 */
int jsonl_read(const char *path, struct run *r, struct buf *warnings, unsigned *nwarnings);

#endif
