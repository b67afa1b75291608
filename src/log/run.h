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

struct run {
	struct evlog *log;
	const char *mode;        /* "trace", "attach", "watch", "render" */
	char **argv;             /* command (launched) or read from /proc (attached) */
	int argc;
	char *host, *kernel;
	int root_pid;            /* launched command's pid (0 under --pid) */

	/* outcome, set by the tracer */
	enum run_end end;
	int code, sig;
	bool core;
	uint64_t t_end;          /* log time at the end */
	double cpu_user, cpu_sys; /* seconds used by the traced tree, when known */
	bool interrupted;        /* ended by Ctrl-C / SIGTERM */
	int same_cpu;            /* -1 off, else the CPU used by --same-cpu */

	/*
	 * Extra members for the header and end records, each "\"key\":value"
	 * already JSON-encoded (e.g. the faults summary of --faults).
	 */
	struct buf header_extra;
	struct buf end_extra;
};

/* The exit status compendium should return for this outcome (0..255). */
int run_exit_status(const struct run *r);

#endif
