/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of fmt_size: powers of 1024 named with IEC units (KiB, MiB,
 * GiB...), the units the report and the watch messages use, so that the
 * terminal, the report and a dump say one size the same way (issue 16).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/fmt.h"

static const char *size(uint64_t n)
{
	static struct buf b;
	buf_reset(&b);
	fmt_size(&b, n);
	return b.data;
}

static void test_bytes(void **st)
{
	(void)st;
	assert_string_equal(size(0), "0 B");
	assert_string_equal(size(517), "517 B");
	assert_string_equal(size(1023), "1023 B");
}

static void test_iec_units(void **st)
{
	(void)st;
	assert_string_equal(size(1024), "1.0 KiB");
	assert_string_equal(size(3000), "2.9 KiB");
	assert_string_equal(size(8192), "8.0 KiB");
	assert_string_equal(size(3u << 20), "3.0 MiB");
	assert_string_equal(size(126ull << 20), "126.0 MiB");
	assert_string_equal(size(2ull << 30), "2.0 GiB");
	assert_string_equal(size(5ull << 40), "5.0 TiB");
	assert_string_equal(size(UINT64_MAX), "16.0 EiB");
	/* never a "1024.0" of the smaller unit */
	assert_string_equal(size((1u << 20) - 1), "1.0 MiB");
	assert_string_equal(size(1023u * 1024 + 1000), "1.0 MiB");
	assert_string_equal(size(1023u * 1024 + 900), "1023.9 KiB");
	assert_string_equal(size(1023u * 1024), "1023.0 KiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_iec_units),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
