/* SPDX-License-Identifier: MIT */
/* traceexpr: parsing of -e trace=LIST into a syscall selection. */
#ifndef COMPENDIUM_TRACEEXPR_H
#define COMPENDIUM_TRACEEXPR_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/systab.h"
#include "lib/util.h"

/* The syscalls -e trace= selects: when 'all', every one. */
struct trace_sel {
	bool all;
	uint64_t bits[SC_BITMAP_WORDS]; /* x86_64 numbers (traceexpr_parse fills them for "all" too) */
	unsigned cats;                  /* bit per enum ev_cat selected by class */
};

/* Whether x86_64 syscall nr is selected. */
static inline bool trace_sel_has(const struct trace_sel *s, unsigned nr)
{
	if (s->all)
		return true;
	if (nr >= SC_BITMAP_WORDS * 64)
		return false;
	return (s->bits[nr / 64] >> (nr % 64)) & 1;
}

/*
 * Parse "trace=LIST" (or "LIST"): classes, syscall names, '!' negation,
 * "all", "none", into *sel. Returns 0, or -EINVAL with one message
 * appended to err (*sel is then unchanged).
 */
int traceexpr_parse(const char *expr, struct trace_sel *sel, struct buf *err);

#endif
