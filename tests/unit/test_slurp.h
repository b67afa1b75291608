/* SPDX-License-Identifier: MIT */
/* test_slurp: a whole file into memory for the unit tests. Include after <cmocka.h>. */
#ifndef COMPENDIUM_TEST_SLURP_H
#define COMPENDIUM_TEST_SLURP_H

#include <stdio.h>

#include "lib/util.h"

/* The file's bytes, NUL-terminated (caller frees); *len (if given) gets their count. */
static char *test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b = {0};
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(&b, tmp, n);
	fclose(f);
	if (len)
		*len = b.len;
	return buf_steal(&b);
}

#endif
