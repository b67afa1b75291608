/* SPDX-License-Identifier: MIT */
/* summary: the FINAL block (and the -c per-syscall table) after tracing. */
#ifndef COMPENDIUM_SUMMARY_H
#define COMPENDIUM_SUMMARY_H

#include <stdbool.h>

#include "log/run.h"

/* Classes of calls the syscall selection (-e trace=) may have left out. */
#define SUMMARY_TRACED_MEM 0x1u  /* mmap, munmap, mremap, brk */
#define SUMMARY_TRACED_IO 0x2u   /* read/write/send/recv and their kin */
#define SUMMARY_TRACED_CONN 0x4u /* connect */
#define SUMMARY_TRACED_BRK 0x8u  /* brk: the heap */
#define SUMMARY_TRACED_MMAP 0x10u /* mmap: the mapped regions */
#define SUMMARY_TRACED_FILEIO 0x20u /* read/write and their kin: file bytes (send/recv move no file bytes) */

/* What the FINAL block shows; main.c fills it from the options. */
struct summary_cfg {
	bool no_filter; /* --no-filter: list noise too, no "Noise filter" note */
	bool sc_table;  /* -c: the per-syscall table follows */
	bool same_cpu;  /* --same-cpu was asked for: say which CPU was used */
	int strsize;    /* -s: bytes of an argument shown (0 or less: all) */
	unsigned traced; /* SUMMARY_TRACED_*: the classes selected for tracing */
	bool tree_all;  /* --tree=all: every process on its own line, however many */
	const char *recorded; /* -e status=, -P: which calls the log holds ("failed calls"), or NULL */
};

/* Is x86_64 syscall nr selected for tracing? */
typedef bool (*summary_selected_fn)(void *ctx, unsigned nr);
/* The SUMMARY_TRACED_* classes of which selected() picks at least one call. */
unsigned summary_traced(summary_selected_fn selected, void *ctx);

/*
 * Print the FINAL block of r to fd, computed from r->log and the outcome:
 * memory, I/O totals, connections, wall and CPU time, the process tree,
 * the top files read and written, failures grouped by type, errno and
 * directory, signals, crashes, page faults (r->faults), warnings and the
 * exit. A class of calls not traced says so instead of a total. Lists
 * respect the noise filter (a note says what was left out); totals count
 * everything. With cfg->sc_table, a strace -c style table follows
 * (r->sc64 and r->sc32, or the log's syscall records when they are empty,
 * as for a log read back with --from). Returns 0, or -errno if writing
 * failed (the caller says it).
 */
int summary_print(struct run *r, int fd, const struct summary_cfg *cfg);
/*
 * Compute the summary of r->log as events are appended, from now on (and
 * from the events already there), rather than by reading the log at the
 * end: what it counts and groups by name is then right even for names the
 * log does not keep (log/evlog.h, evlog_set_string_cap). summary_print of
 * the same log uses it when given the same no_filter.
 */
void summary_follow(struct run *r, bool no_filter);

#endif
