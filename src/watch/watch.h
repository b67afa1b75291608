/* SPDX-License-Identifier: MIT */
/* watch: the resident /proc spike sampler (--watch) and per-process series. */
#ifndef COMPENDIUM_WATCH_H
#define COMPENDIUM_WATCH_H

#include "log/run.h"

/* Run --watch (system-wide, or --watch --pid) until SIGTERM/SIGINT. Returns the exit status. */
int watch_main(struct run *r);
/* --list-dumps: print the dumps in opt.dump_dir (text, or JSON Lines with --json -). */
int watch_list(void);
/* While tracing: --sample SECONDS records CPU% and RSS of traced processes as counter events. */
void sample_init(struct run *r);

#endif
