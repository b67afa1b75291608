/* SPDX-License-Identifier: MIT */
/* jsonl_read: the reader of the JSON Lines log (the format sinks/jsonl.c writes). */
#ifndef COMPENDIUM_JSONL_READ_H
#define COMPENDIUM_JSONL_READ_H

#include "lib/util.h"
#include "log/run.h"

/*
 * The version of the JSON Lines format written in the header: 2 since
 * strings are the program's strings with KEY_bytes siblings (lib/json.h);
 * 1 had strace's \xNN / \\ layer inside strings. The reader takes both.
 */
#define JSONL_VERSION 2
#define JSONL_VERSION_S "2"

/*
 * Read a JSON Lines log (as written by --json or a --watch dump) into a new
 * run (r->log created, header facts and outcome filled; the end record's
 * "faults" member into r->faults). Lines that cannot
 * be read are skipped with a warning naming the line (counted in
 * *nwarnings, messages appended to warnings as "line N: problem\n"; both
 * may be NULL); a file with neither a readable header nor any event fails.
 * Strings come back byte-exact (version 2: the KEY_bytes sibling when there
 * is one, which is not kept as a field of its own; version 1:
 * json_unescape_bytes); "err" names become
 * errno values, "signal" names signal numbers, "0x.." strings EVF_HEX, "dur"
 * EVF_DUR; other arrays and objects are kept as safely re-encoded EVF_JSON.
 * r->argv, r->host and r->kernel are malloc'd. Returns 0, or -errno with one
 * clear message printed and r->log NULL.
 */
int jsonl_read(const char *path, struct run *r, struct buf *warnings, unsigned *nwarnings);

struct cJSON;
/*
 * A parsed value of a log of this version, appended to b in the current
 * form with the safe writer: version 1 strings lose their \xNN layer and
 * get KEY_bytes siblings where needed; version 2 siblings are kept.
 */
void jsonl_reencode(struct buf *b, const struct cJSON *j, int version);

#endif
