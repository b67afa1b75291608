/* SPDX-License-Identifier: MIT */
/* summary: the FINAL block (and the -c per-syscall table) after tracing. */
#ifndef COMPENDIUM_SUMMARY_H
#define COMPENDIUM_SUMMARY_H

#include "log/run.h"

/*
 * Print the FINAL block of r to fd, computed from r->log and the outcome:
 * memory, I/O totals, connections, wall and CPU time, the process tree,
 * the top files read and written, failures grouped by type, errno and
 * directory, signals, crashes, page faults (from r->end_extra "faults"),
 * warnings and the exit. Lists respect the noise filter (a note says what
 * was left out); totals count everything. With opt.summary_table, a
 * strace -c style table follows (decode_stats, or the log's syscall
 * records when read back with --from).
 */
void summary_print(struct run *r, int fd);

#endif
