/* SPDX-License-Identifier: MIT */
/* watch: the resident /proc spike sampler (--watch) and per-process series. */
#ifndef COMPENDIUM_WATCH_H
#define COMPENDIUM_WATCH_H

#include <stdbool.h>

#include "log/run.h"

/* The command line's settings for --watch and --list-dumps; strings and pids are borrowed. */
struct watch_cfg {
	const char *config_path;  /* NULL: /etc/compendium/watch.conf, and a missing file is fine */
	const char *dump_dir;     /* NULL: the config's dump_dir (default /var/lib/compendium) */
	double interval;          /* seconds; > 0 overrides the config's sampling interval */
	const char *json_path;    /* --json: NULL, "-" (stdout) or a file */
	const int *pids;          /* --pid: follow these process trees instead of the whole system */
	int npids;
	bool no_redact;           /* keep secrets in the command lines of dumps */
	const char *sort;         /* --list-dumps order: NULL or "time", "kind", "size" (checked by main.c) */
};

/*
 * Run --watch (system-wide, or the process trees of cfg->pids) until
 * SIGTERM/SIGINT, or until every followed process is gone. Setup errors
 * exit with a message. Returns the exit status.
 */
int watch_main(struct run *r, const struct watch_cfg *cfg);
/*
 * --list-dumps: print the dumps in cfg->dump_dir: text, or JSON Lines when
 * cfg->json_path is set ("-" is stdout). Returns the exit status.
 */
int watch_list(const struct watch_cfg *cfg);
/* Clock ticks per second of /proc times (sysconf, 100 if it fails), cached. */
long watch_hz(void);

#endif
