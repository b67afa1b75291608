/* SPDX-License-Identifier: MIT */
/* jsonl: the event log as JSON Lines: a streaming sink (--json) and a reader (--from). */
#ifndef COMPENDIUM_JSONL_H
#define COMPENDIUM_JSONL_H

#include <stdio.h>

#include "run.h"

struct jsonl_sink;

/*
 * Write the header line now and every appended event as it arrives, to fd
 * (borrowed; not closed). Returns the sink; jsonl_sink_finish() writes the
 * end record, flushes and frees it.
 */
struct jsonl_sink *jsonl_sink_new(struct run *r, int fd);
/* 0, or -errno if any write failed (the first error is kept). */
int jsonl_sink_finish(struct jsonl_sink *s);

/*
 * Read a JSON Lines log (as written by --json or a --watch dump) into a new
 * run (r->log created, header facts and outcome filled). Lines that cannot
 * be read are skipped with a warning naming the line (counted in
 * *nwarnings, messages appended to warnings as "line N: problem\n"); a file
 * with no readable header or no events fails. Returns 0 or -errno with one
 * clear message printed.
 */
int jsonl_read(const char *path, struct run *r, struct buf *warnings, unsigned *nwarnings);

#endif
