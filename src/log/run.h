/* SPDX-License-Identifier: MIT */
/*
 * run: what one compendium run is about, shared by the producers and the
 * sinks: the log, the header facts and, at the end, the outcome. Owned by
 * main.c; everyone else borrows it.
 */
#ifndef COMPENDIUM_RUN_H
#define COMPENDIUM_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "log/evlog.h"
#include "lib/util.h"

enum run_end {
	RUN_RUNNING,
	RUN_EXITED,    /* root process exited: code */
	RUN_SIGNALED,  /* root process killed: sig (core) */
	RUN_DETACHED,  /* --pid: detached, target left running */
	RUN_GONE,      /* --pid: every target exited */
	RUN_FAILED     /* could not start: code (e.g. 127) */
};

/* One row of the -c table (strace -c): one syscall of one ABI. */
struct run_sc_row {
	char name[32];           /* systab name, or "syscall_NR" */
	uint64_t calls, errors;
	uint64_t total_ns;
};

/* The -c rows of one ABI, only syscalls that were called; owned by the run. */
struct run_sc_table {
	struct run_sc_row *rows;
	size_t n;
};

/* Memory regions a page fault is counted in (the order of the JSON keys). */
enum run_fault_region {
	RUN_FR_HEAP,
	RUN_FR_ANON,
	RUN_FR_FILE,
	RUN_FR_STACK,
	RUN_FR_OTHER,
	RUN_FR_N
};

/* One of the busiest fault places: a file (path) or a region. */
struct run_fault_top {
	enum run_fault_region region;
	char *path;              /* owned; NULL for anonymous regions */
	size_t path_len;
	uint64_t count;
};

/*
 * The --faults outcome. present is false when --faults did not run (and
 * the log read back had no "faults" member). When unavailable is set, only
 * it is meaningful.
 */
struct run_faults {
	bool present;
	char *unavailable;       /* owned: why nothing was counted, or NULL */
	uint64_t minor, major;   /* total = minor + major */
	uint64_t region[RUN_FR_N];
	uint64_t sampled, lost, throttled;
	bool have_logged;
	uint64_t logged;         /* samples logged as events, when fewer than sampled */
	const char *sampling;    /* static: NULL, "off" or "unavailable" */
	struct run_fault_top *top;
	size_t ntop;
};

struct run {
	struct evlog *log;
	const char *mode;        /* "trace", "attach", "watch", "render" */
	char **argv;             /* command (launched) or read from /proc (attached) */
	int argc;
	char **argv_read;        /* argv as the JSON Lines reader allocated it (run_free_results frees it) */
	char *host, *kernel;
	int root_pid;            /* launched command's pid (0 under --pid) */

	/* outcome, set by the tracer */
	enum run_end end;
	int code, sig;
	bool core;
	uint64_t t_end;          /* log time at the end */
	double cpu_user, cpu_sys; /* seconds used by the traced tree, when known */
	uint64_t peak_rss;       /* bytes: the largest maxrss of any traced process (0 = unknown) */
	bool interrupted;        /* ended by Ctrl-C / SIGTERM */
	int same_cpu;            /* -1 off, else the CPU used by --same-cpu */
	uint64_t lost;           /* --engine bpf: records the ring buffer had no room for */

	/* -c statistics, filled by the decoder when tracing ends (empty for --from) */
	struct run_sc_table sc64, sc32;
	/* --faults totals, filled by the page-fault probe or read back from a log */
	struct run_faults faults;

	/*
	 * Extra members for the header and end records, each "\"key\":value"
	 * already JSON-encoded: what no sink interprets, kept so that a log read
	 * back with --from writes the same records again.
	 */
	struct buf header_extra;
	struct buf end_extra;
};

/* The exit status compendium should return for this outcome (0..255). */
int run_exit_status(const struct run *r);

/* The JSON name of a fault region ("heap", "anon", ...). */
const char *run_fault_region_name(enum run_fault_region r);
/* The region of a JSON name; -1 if unknown. */
int run_fault_region_lookup(const char *name);
/* Append ,"faults":{...} (the end record's member) when f->present. */
void run_faults_json(struct buf *b, const struct run_faults *f);
/* Free what the run owns besides the log: the tables, faults and extras. */
void run_free_results(struct run *r);

#endif
