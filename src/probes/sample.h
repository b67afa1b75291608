/* SPDX-License-Identifier: MIT */
/* sample: --sample SECONDS while tracing: CPU% and RSS of traced processes as counter events. */
#ifndef COMPENDIUM_SAMPLE_H
#define COMPENDIUM_SAMPLE_H

#include "log/run.h"

/*
 * Register tracer hooks that append a 'counter' event (cpu, rss, threads)
 * per traced process every period_secs (at least 10 ms) and at its exit.
 */
void sample_init(struct run *r, double period_secs);

#endif
