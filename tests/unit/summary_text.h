/* SPDX-License-Identifier: MIT */
/* summary_text: the FINAL block summary_print writes, as a string, for the summary's unit tests. Include after <cmocka.h>. */
#ifndef COMPENDIUM_SUMMARY_TEXT_H
#define COMPENDIUM_SUMMARY_TEXT_H

#include <stdio.h>

#include "lib/util.h"
#include "sinks/summary.h"

/* What summary_print(r, fd, cfg) writes (caller frees). */
static char *summary_text(struct run *r, const struct summary_cfg *cfg)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	summary_print(r, fileno(f), cfg);
	long n = ftell(f);
	char *s = xcalloc(1, (size_t)n + 1);
	rewind(f);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return s;
}

#endif
