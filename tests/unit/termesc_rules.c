/* SPDX-License-Identifier: MIT */
/* Unit tests of terminal escaping: controls, ESC sequences, C1, invalid UTF-8, bidi, truncation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/termesc.h"

/* every src object is linked in; some of them read the options */

static char *esc(const void *s, size_t n)
{
	static struct buf b;
	buf_reset(&b);
	termesc(&b, s, n);
	return b.data;
}
#define ESC(lit) esc(lit, sizeof(lit) - 1)

static void test_plain(void **st)
{
	(void)st;
	assert_string_equal(ESC("/etc/resolv.conf"), "/etc/resolv.conf");
	assert_string_equal(ESC("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");
	assert_string_equal(esc("", 0), "");
	assert_string_equal(ESC("</script>&\"'"), "</script>&\"'");
}

static void test_controls(void **st)
{
	(void)st;
	assert_string_equal(ESC("a\nb"), "a\\nb");
	assert_string_equal(ESC("\t\r"), "\\t\\r");
	assert_string_equal(ESC("x\x1b]0;pwned\x07y"), "x\\x1b]0;pwned\\x07y");
	assert_string_equal(ESC("\x1b[2J"), "\\x1b[2J");
	assert_string_equal(esc("a\0b", 3), "a\\x00b");
	assert_string_equal(ESC("\x7f"), "\\x7f");
	assert_string_equal(ESC("a\\b"), "a\\\\b");
}

static void test_c1_invalid(void **st)
{
	(void)st;
	assert_string_equal(ESC("\x9b" "31m"), "\\x9b31m");
	assert_string_equal(ESC("\xc2\x9b" "31m"), "\\xc2\\x9b31m");
	assert_string_equal(ESC("\xc2\x85"), "\\xc2\\x85");
	assert_string_equal(ESC("\xc2\xa0"), "\xc2\xa0");
	assert_string_equal(ESC("a\xff\xfe" "b"), "a\\xff\\xfeb");
	assert_string_equal(ESC("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	assert_string_equal(ESC("\xe2\x82"), "\\xe2\\x82");
}

static void test_bidi(void **st)
{
	(void)st;
	assert_string_equal(ESC("evil\xe2\x80\xaetxt.exe"), "evil\\u202etxt.exe");
	assert_string_equal(ESC("\xe2\x81\xa6\xe2\x81\xa9"), "\\u2066\\u2069");
	assert_string_equal(ESC("\xe2\x80\xa8"), "\\u2028");
	assert_string_equal(ESC("\xe2\x80\x8f"), "\\u200f");
}

static void test_one_line(void **st)
{
	(void)st;
	/* whatever the bytes, no byte below 0x20 and no DEL or raw C1 survive */
	uint8_t all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	char *s = esc(all, sizeof(all));
	for (size_t i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		assert_true(c >= 0x20 && c != 0x7f);
		assert_false(c >= 0x80); /* no valid UTF-8 in 0..255 as single bytes */
	}
}

static void test_trunc(void **st)
{
	(void)st;
	struct buf b = {0};
	termesc_trunc(&b, "abcdef", 6, 4);
	assert_string_equal(b.data, "abcd...");
	buf_reset(&b);
	termesc_trunc(&b, "ab\xc3\xa9", 4, 3); /* never cut inside a character */
	assert_string_equal(b.data, "ab...");
	buf_reset(&b);
	termesc_trunc(&b, "abc", 3, 3);
	assert_string_equal(b.data, "abc");
	buf_free(&b);
	char *d = termesc_dup("x\ny");
	assert_string_equal(d, "x\\ny");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),   cmocka_unit_test(test_controls),
		cmocka_unit_test(test_c1_invalid), cmocka_unit_test(test_bidi),
		cmocka_unit_test(test_one_line), cmocka_unit_test(test_trunc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
