/* SPDX-License-Identifier: MIT */
/* pfault: page faults of traced tasks through perf_event_open (--faults). */
#ifndef COMPENDIUM_PFAULT_H
#define COMPENDIUM_PFAULT_H

#include "run.h"

/* Register tracer hooks; perf unavailability is one warning line, not an error. */
void pfault_init(struct run *r);

#endif
