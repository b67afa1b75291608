/* SPDX-License-Identifier: MIT */
/* watch_ring: the ring of snapshots the system-wide sampler keeps, and the queries over it. */
#include <stdlib.h>
#include <string.h>

#include "watch/watch_sys.h"

#define RING_RECORD_BUDGET (600u * 1000u) /* ~32 MiB of process records (56 bytes each) */
#define RING_EXIT_BUDGET (100u * 1000u)    /* ~9 MiB of exit records */

struct wsnap *watch_snap_of(struct watch *w, uint64_t seq)
{
	if (!seq || seq >= w->seq || w->seq - seq > w->ringcap)
		return NULL;
	struct wsnap *s = &w->ring[seq % w->ringcap];
	return s->seq == seq ? s : NULL;
}

void watch_ring_resize(struct watch *w, size_t cap)
{
	struct wsnap *nr = xcalloc(cap, sizeof(*nr));
	for (size_t i = 0; i < w->ringcap; i++) {
		struct wsnap *s = &w->ring[i];
		if (s->seq && s->seq + cap >= w->seq) {
			nr[s->seq % cap] = *s;
		} else {
			free(s->procs);
			free(s->threads);
			free(s->exits);
		}
	}
	free(w->ring);
	w->ring = nr;
	w->ringcap = cap;
}

void watch_ring_trim(struct watch *w)
{
	size_t total = 0, xtotal = 0;
	for (size_t i = 0; i < w->ringcap; i++) {
		total += w->ring[i].nprocs;
		xtotal += w->ring[i].nexits;
	}
	/* the newest snapshot is kept whole: detection reads it next */
	for (uint64_t seq = w->seq > w->ringcap ? w->seq - w->ringcap : 1;
	     (total > RING_RECORD_BUDGET || xtotal > RING_EXIT_BUDGET) && seq + 1 < w->seq; seq++) {
		struct wsnap *s = watch_snap_of(w, seq);
		if (!s)
			continue;
		if (total > RING_RECORD_BUDGET && s->nprocs) {
			total -= s->nprocs;
			s->nprocs = 0;
			free(s->procs);
			s->procs = NULL;
			s->procs_cap = 0;
		}
		if (xtotal > RING_EXIT_BUDGET && s->nexits) {
			xtotal -= s->nexits;
			s->nexits = 0;
			free(s->exits);
			s->exits = NULL;
			s->exits_cap = 0;
		}
	}
}

static int growth_desc(const void *a, const void *b)
{
	const struct involved *x = a, *y = b;
	return (x->value < y->value) - (x->value > y->value);
}

int watch_grown(const struct wsnap *ref, const struct wsnap *s, bool swap, struct involved *out, int max)
{
	struct involved *all = xmalloc((s->nprocs + 1) * sizeof(*all));
	int n = 0;
	size_t j = 0;
	for (uint32_t i = 0; i < s->nprocs; i++) {
		const struct wproc_rec *r = &s->procs[i];
		uint64_t before = 0;
		if (ref) {
			while (j < ref->nprocs && ref->procs[j].pid < r->pid)
				j++;
			if (j < ref->nprocs && ref->procs[j].pid == r->pid && ref->procs[j].start == r->start)
				before = swap ? ref->procs[j].swap_kb : ref->procs[j].rss_kb;
		}
		uint64_t now = swap ? r->swap_kb : r->rss_kb;
		if (now > before + 1024) {
			all[n] = (struct involved){ .pid = r->pid, .start = r->start, .value = (double)(now - before) };
			memcpy(all[n].comm, r->comm, sizeof(r->comm));
			n++;
		}
	}
	qsort(all, (size_t)n, sizeof(*all), growth_desc);
	if (n > max)
		n = max;
	memcpy(out, all, (size_t)n * sizeof(*out));
	free(all);
	return n;
}

const struct wsnap *watch_snap_before(struct watch *w, const struct wsnap *s, double secs)
{
	const struct wsnap *best = NULL;
	uint64_t want = s->mono > (uint64_t)(secs * 1e9) ? s->mono - (uint64_t)(secs * 1e9) : 0;
	for (uint64_t seq = s->seq; seq-- > 1 && s->seq - seq < w->ringcap;) {
		const struct wsnap *q = watch_snap_of(w, seq);
		if (!q || !q->procs)
			break;
		best = q;
		if (q->mono <= want)
			break;
	}
	return best;
}

const struct wproc_rec *watch_snap_find(const struct wsnap *s, int pid)
{
	size_t lo = 0, hi = s->nprocs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->procs[mid].pid < pid)
			lo = mid + 1;
		else if (s->procs[mid].pid > pid)
			hi = mid;
		else
			return &s->procs[mid];
	}
	return NULL;
}

void watch_involved_sort(struct involved *v, size_t n)
{
	qsort(v, n, sizeof(*v), growth_desc);
}
