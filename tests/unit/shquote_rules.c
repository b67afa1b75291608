/* SPDX-License-Identifier: MIT */
/* Unit tests of shell quoting of arguments: safe words, single quotes, $'...' for controls, truncation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/shquote.h"

static char *q(const char *s, size_t n, size_t max)
{
	static struct buf b;
	buf_reset(&b);
	shquote(&b, s, n, max);
	return b.data;
}
#define Q(lit) q(lit, sizeof(lit) - 1, 0)

static void test_words(void **st)
{
	(void)st;
	assert_string_equal(Q("git"), "git");
	assert_string_equal(Q("-m"), "-m");
	assert_string_equal(Q("/usr/bin/env"), "/usr/bin/env");
	assert_string_equal(Q("a=b,c:d@e%f+g"), "a=b,c:d@e%f+g");
}

static void test_quotes(void **st)
{
	(void)st;
	assert_string_equal(Q("first commit"), "'first commit'");
	assert_string_equal(Q(""), "''");
	assert_string_equal(Q("it's"), "'it'\\''s'");
	assert_string_equal(Q("a\"b"), "'a\"b'");
	assert_string_equal(Q("$HOME"), "'$HOME'");
	assert_string_equal(Q("*"), "'*'");
	assert_string_equal(Q("caf\xc3\xa9"), "'caf\xc3\xa9'");
}

static void test_controls(void **st)
{
	(void)st;
	assert_string_equal(Q("a\nb"), "$'a\\nb'");
	assert_string_equal(Q("x\x1b]0;pwned\x07"), "$'x\\x1b]0;pwned\\x07'");
	assert_string_equal(Q("it's\t"), "$'it\\'s\\t'");
	assert_string_equal(Q("a\\b"), "$'a\\\\b'");
	assert_string_equal(q("a\0b", 3, 0), "$'a\\x00b'");
	assert_string_equal(Q("evil\xe2\x80\xaetxt"), "$'evil\\u202etxt'");
}

static void test_trunc(void **st)
{
	(void)st;
	assert_string_equal(q("abcdef", 6, 4), "abcd...");
	assert_string_equal(q("ab cdef", 7, 4), "'ab c'...");
	assert_string_equal(q("a\nbcdef", 7, 3), "$'a\\nb'...");
	assert_string_equal(q("abc", 3, 3), "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_trunc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
