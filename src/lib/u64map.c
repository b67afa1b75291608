/* SPDX-License-Identifier: MIT */
/* u64map: 64-bit key -> nonzero 32-bit value, open addressing with linear probing. */
#include "lib/u64map.h"

#include <stdlib.h>

#include "lib/util.h"

uint64_t u64map_mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static void grow(struct u64map *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	uint64_t *keys = xcalloc(ncap, sizeof(*keys));
	uint32_t *vals = xcalloc(ncap, sizeof(*vals));
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->vals[i])
			continue;
		size_t j = u64map_mix(m->keys[i]) & (ncap - 1);
		while (vals[j])
			j = (j + 1) & (ncap - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = ncap;
}

uint32_t *u64map_slot(struct u64map *m, uint64_t key)
{
	/* at most half full: probes stay short */
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	size_t j = u64map_mix(key) & (m->cap - 1);
	while (m->vals[j]) {
		if (m->keys[j] == key)
			return &m->vals[j];
		j = (j + 1) & (m->cap - 1);
	}
	m->keys[j] = key;
	m->n++;
	return &m->vals[j];
}

void u64map_free(struct u64map *m)
{
	free(m->keys);
	free(m->vals);
	*m = (struct u64map){0};
}
