/* SPDX-License-Identifier: MIT */
/*
 * u64map: an open-addressing hash map from 64-bit keys to nonzero 32-bit
 * values (typically an index + 1 into the caller's own array of entries).
 * Zero-initialise a struct u64map to start; u64map_free() releases it.
 */
#ifndef COMPENDIUM_U64MAP_H
#define COMPENDIUM_U64MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64map {
	uint64_t *keys;
	uint32_t *vals; /* 0 = empty slot */
	size_t n, cap;  /* entries, slots (a power of two) */
};

/*
 * The value slot of key: its value, or 0 when the key is new, in which
 * case the caller stores a nonzero value there before the next call (a
 * slot left at 0 stays free). Valid until the next u64map_slot().
 */
uint32_t *u64map_slot(struct u64map *m, uint64_t key);
/* Free the map's memory and reset it to empty. */
void u64map_free(struct u64map *m);
/* A well-spread 64-bit hash of k (murmur3's finaliser), also for building composite keys. */
uint64_t u64map_mix(uint64_t k);

#endif
