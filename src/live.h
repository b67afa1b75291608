/* SPDX-License-Identifier: MIT */
/* live: the human-readable narrative while tracing (stderr or -o FILE). */
#ifndef COMPENDIUM_LIVE_H
#define COMPENDIUM_LIVE_H

#include "run.h"

struct live;

/* Subscribe to r->log and narrate to fd (borrowed). */
struct live *live_new(struct run *r, int fd);
/* Flush coalesced lines; free. */
void live_finish(struct live *l);

#endif
