/* SPDX-License-Identifier: MIT */
/* traceexpr: parsing of -e trace=LIST into the syscall selection of the options. */
#ifndef COMPENDIUM_TRACEEXPR_H
#define COMPENDIUM_TRACEEXPR_H

#include "options.h"
#include "lib/util.h"

/*
 * Parse "trace=LIST" (or "LIST"): classes, syscall names, '!' negation,
 * "all", "none". Fills o->trace_all, o->trace_sel and o->trace_cats.
 * Returns 0, or -EINVAL with one message appended to err.
 */
int traceexpr_parse(const char *expr, struct options *o, struct buf *err);

#endif
