/* SPDX-License-Identifier: MIT */
/* pfault: page faults of traced tasks through perf_event_open (--faults). */
#ifndef COMPENDIUM_PFAULT_H
#define COMPENDIUM_PFAULT_H

#include <stdint.h>

#include "log/run.h"

/* Settings of the page-fault probe. */
struct pfault_cfg {
	/*
	 * Data pages per CPU sample ring: -1 the default (128, halved while
	 * mmap is refused), 0 counting only (no sampling), else a power of two
	 * up to 1024, kept as is.
	 */
	int ring_pages;
};

/*
 * Register tracer hooks; perf unavailability is one warning line, not an error.
 *
 * Events it appends: 'fault' (one per sampled fault: addr, region =
 * heap|anon|file|stack|other, path for file regions, major:true for a
 * major fault; flagged EVFL_NOISE), 'counter' per process (kind "faults",
 * faults = minor+major so far, major, rss in bytes; from /proc/PID/stat and
 * statm, every 100 ms when changed and at exit) and at most one 'warning'
 * per problem (throttling, unattributed samples). At the end it fills
 * r->faults (present): minor and major are exact counts for the traced
 * tree, the region counts are of sampled faults, top the ten busiest
 * places (paths owned by r->faults); or only r->faults.unavailable.
 */
void pfault_init(struct run *r, const struct pfault_cfg *cfg);

/* One perf ring record, as far as pfault reads it. */
struct pfault_rec {
	uint32_t type;   /* PERF_RECORD_* */
	uint16_t misc;
	uint32_t pid, tid;
	uint64_t time;   /* CLOCK_MONOTONIC ns (samples, throttle records) */
	uint64_t addr;   /* faulting address (samples) */
	uint64_t id;     /* event id: tells minor from major samples */
	uint64_t lost;   /* PERF_RECORD_LOST */
};

typedef void (*pfault_rec_fn)(void *ctx, const struct pfault_rec *rec);

/*
 * Parse the records of a perf ring's data area (size bytes, a power of two)
 * between the free-running offsets tail and head, reassembling records that
 * wrap. Samples must have been opened with PERF_SAMPLE_TID|TIME|ADDR|ID.
 * Calls fn for each sample, LOST, THROTTLE and UNTHROTTLE record; other
 * types are skipped. Returns 0 with *new_tail = head, or -EBADMSG when a
 * record is malformed (size 0, shorter than its type needs, or running past
 * head): parsing stops there, *new_tail = head (the rest is dropped), and
 * *bad counts it.
 */
int pfault_ring_parse(const void *data, uint64_t size, uint64_t tail, uint64_t head, pfault_rec_fn fn,
		      void *ctx, uint64_t *new_tail, uint64_t *bad);

#endif
