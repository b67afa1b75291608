/* SPDX-License-Identifier: MIT */
/* jsonl_read: the reader of the JSON Lines log (the format sinks/jsonl.c writes). */
#ifndef COMPENDIUM_JSONL_READ_H
#define COMPENDIUM_JSONL_READ_H

#include "lib/util.h"
#include "log/run.h"

/*
 * Read a JSON Lines log (as written by --json or a --watch dump) into a new
 * run (r->log created, header facts and outcome filled; the end record's
 * "faults" member into r->faults). Lines that cannot
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
