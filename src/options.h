/* SPDX-License-Identifier: MIT */
/* options: the run plan built from the command line by main.c; read-only elsewhere. */
#ifndef COMPENDIUM_OPTIONS_H
#define COMPENDIUM_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/traceexpr.h"

enum run_mode {
	MODE_TRACE,  /* compendium [opts] -- CMD ...  or  --pid PID */
	MODE_RENDER, /* --report FILE --from LOG */
	MODE_WATCH,  /* --watch */
	MODE_LIST    /* --list-dumps */
};

struct options {
	enum run_mode mode;
	char **argv;         /* command to launch (borrowed from main's argv) */
	int argc;
	int *pids;           /* --pid list */
	int npids;

	bool verbose;        /* -v: every syscall, strace-like */
	bool no_filter;      /* --no-filter: no noise filter anywhere */
	bool summary_table;  /* -c */
	bool quiet;          /* -q: no live narrative */
	bool tree_all;       /* --tree=all: the summary's process tree unfolded and uncut */
	bool color;          /* decided by main: tty and NO_COLOR unset or empty */
	bool no_seccomp;     /* --no-seccomp: stop at every syscall */
	bool same_cpu;       /* --same-cpu */
	bool engine_bpf;     /* --engine bpf */
	size_t bpf_ring_size;/* --bpf-ring-size (bytes; 0 until check_engine_bpf) */
	int strsize;         /* -s: max string bytes shown (default 64) */
	int follow;          /* -f: 1 (a no-op), -ff: 2 (one narrative file per process with -o) */
	int tstamp;          /* -t 1, -tt 2, -ttt 3: wall-clock stamps (0: the relative one) */
	bool relstamp;       /* -r: time since the previous line */
	bool call_times;     /* -T: time spent in each call */
	int xhex;            /* -x 1, -xx 2: strings of -v lines in hex */
	int decode_fds;      /* -y 1 (a no-op), -yy 2: socket endpoints and devices in -v */

	const char *json_path;   /* --json FILE ('-' = stdout) */
	const char *out_path;    /* -o FILE: narrative */
	const char *report_path; /* --report FILE */
	const char *from_path;   /* --from LOG */
	unsigned report_mode;    /* --report-mode (default 0600) */
	bool no_redact;          /* --no-redact */

	struct trace_sel trace;  /* -e trace= */
	struct expr_quals quals; /* -e status= (-z, -Z), -e signal=, -e quiet= */
	const char **paths;      /* -P PATH..., with what each resolves to */
	unsigned npaths;

	bool faults;         /* --faults */
	bool stack;          /* -k */
	char *stack_on;      /* --stack-on=open,connect (comma list) */
	double sample_secs;  /* --sample SECONDS while tracing (0 = off) */

	/* --watch */
	const char *config_path;
	const char *dump_dir;
	double interval;
	const char *list_sort; /* --sort (--list-dumps) */
};


static inline bool sc_selected(const struct options *o, unsigned nr)
{
	return trace_sel_has(&o->trace, nr);
}

#endif
