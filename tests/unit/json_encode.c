/* SPDX-License-Identifier: MIT */
/* Unit tests of the safe JSON writer: every string rule, numbers, keys, the inverse escape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/json.h"

/* every src object is linked in; some of them read the options */

static char *enc(const void *s, size_t n)
{
	static struct buf b;
	buf_reset(&b);
	json_str(&b, s, n);
	return b.data;
}
#define ENC(lit) enc(lit, sizeof(lit) - 1)

static void test_plain(void **st)
{
	(void)st;
	assert_string_equal(ENC("hello world"), "\"hello world\"");
	assert_string_equal(enc("", 0), "\"\"");
	assert_string_equal(ENC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
			    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

static void test_quote_backslash(void **st)
{
	(void)st;
	assert_string_equal(ENC("a\"b"), "\"a\\\"b\"");
	/* a literal backslash is \\ in the decoded string: four in the source */
	assert_string_equal(ENC("a\\b"), "\"a\\\\\\\\b\"");
}

static void test_controls(void **st)
{
	(void)st;
	assert_string_equal(ENC("\n\t\r\b\f"), "\"\\n\\t\\r\\b\\f\"");
	assert_string_equal(ENC("\x1b]0;pwned\x07"), "\"\\u001b]0;pwned\\u0007\"");
	assert_string_equal(ENC("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	/* NUL: \x00, never \u0000 (parsers truncate there) */
	assert_string_equal(enc("a\0b", 3), "\"a\\\\x00b\"");
}

static void test_html(void **st)
{
	(void)st;
	assert_string_equal(ENC("</script><!--&"),
			    "\"\\u003c/script\\u003e\\u003c!--\\u0026\"");
	assert_string_equal(ENC("\xe2\x80\xa8\xe2\x80\xa9"), "\"\\u2028\\u2029\"");
}

static void test_c1(void **st)
{
	(void)st;
	/* U+0085 and U+009B encoded in UTF-8 */
	assert_string_equal(ENC("\xc2\x85\xc2\x9b\xc2\xa0"), "\"\\u0085\\u009b\xc2\xa0\"");
	/* raw 0x9b byte: not UTF-8 */
	assert_string_equal(ENC("\x9b[2J"), "\"\\\\x9b[2J\"");
}

static void test_invalid_utf8(void **st)
{
	(void)st;
	assert_string_equal(ENC("a\xff\xfe" "b"), "\"a\\\\xff\\\\xfeb\"");
	/* overlong '/' and overlong NUL */
	assert_string_equal(ENC("\xc0\xaf\xe0\x80\xaf"), "\"\\\\xc0\\\\xaf\\\\xe0\\\\x80\\\\xaf\"");
	/* UTF-8 encoded surrogate U+D800 */
	assert_string_equal(ENC("\xed\xa0\x80"), "\"\\\\xed\\\\xa0\\\\x80\"");
	/* above U+10FFFF */
	assert_string_equal(ENC("\xf4\x90\x80\x80"), "\"\\\\xf4\\\\x90\\\\x80\\\\x80\"");
	/* truncated sequence at the end, then valid U+10FFFF */
	assert_string_equal(ENC("\xe2\x82"), "\"\\\\xe2\\\\x82\"");
	assert_string_equal(ENC("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\"");
	/* a lone continuation byte between valid characters */
	assert_string_equal(ENC("\xc3\xa9\x80\xc3\xa9"), "\"\xc3\xa9\\\\x80\xc3\xa9\"");
}

static void roundtrip(const void *s, size_t n)
{
	/* decode the JSON escapes by hand for our own output, then unescape */
	char *j = enc(s, n);
	struct buf dec = {0};
	size_t len = strlen(j);
	assert_true(len >= 2);
	for (size_t i = 1; i + 1 < len; i++) {
		if (j[i] != '\\') {
			buf_addc(&dec, j[i]);
			continue;
		}
		char c = j[++i];
		switch (c) {
		case 'n': buf_addc(&dec, '\n'); break;
		case 't': buf_addc(&dec, '\t'); break;
		case 'r': buf_addc(&dec, '\r'); break;
		case 'b': buf_addc(&dec, '\b'); break;
		case 'f': buf_addc(&dec, '\f'); break;
		case 'u': {
			unsigned cp;
			assert_int_equal(sscanf(j + i + 1, "%4x", &cp), 1);
			i += 4;
			if (cp < 0x80) {
				buf_addc(&dec, (char)cp);
			} else if (cp < 0x800) {
				buf_addc(&dec, (char)(0xc0 | cp >> 6));
				buf_addc(&dec, (char)(0x80 | (cp & 0x3f)));
			} else {
				buf_addc(&dec, (char)(0xe0 | cp >> 12));
				buf_addc(&dec, (char)(0x80 | ((cp >> 6) & 0x3f)));
				buf_addc(&dec, (char)(0x80 | (cp & 0x3f)));
			}
			break;
		}
		default: buf_addc(&dec, c);
		}
	}
	struct buf out = {0};
	size_t got = json_unescape_bytes(&out, dec.data ? dec.data : "", dec.len);
	assert_int_equal(got, n);
	assert_memory_equal(out.data, s, n);
	buf_free(&dec);
	buf_free(&out);
}

static void test_unescape(void **st)
{
	(void)st;
	roundtrip("a\\b\\xff", 7);
	roundtrip("\xff\xfe\0\x1b\\\\x41", 9);
	roundtrip("\xc2\x85\xe2\x80\xa8<>&\"", 9);
	struct buf out = {0};
	/* lenient for foreign strings: a lone backslash stays */
	json_unescape_bytes(&out, "a\\qb\\x4", 7);
	assert_string_equal(out.data, "a\\qb\\x4");
	buf_reset(&out);
	json_unescape_bytes(&out, "\\x41\\x4A\\\\", 10);
	assert_string_equal(out.data, "AJ\\");
	buf_free(&out);
}

static void test_numbers(void **st)
{
	(void)st;
	struct buf b = {0};
	json_u64(&b, 0);
	buf_addc(&b, ' ');
	json_u64(&b, (UINT64_C(1) << 53) - 1);
	buf_addc(&b, ' ');
	json_u64(&b, UINT64_C(1) << 53);
	buf_addc(&b, ' ');
	json_u64(&b, UINT64_MAX);
	assert_string_equal(b.data, "0 9007199254740991 \"9007199254740992\" \"18446744073709551615\"");
	buf_reset(&b);
	json_i64(&b, -5);
	buf_addc(&b, ' ');
	json_i64(&b, INT64_MIN);
	buf_addc(&b, ' ');
	json_hex(&b, 0x7f8a12345000);
	buf_addc(&b, ' ');
	json_hex(&b, 0);
	assert_string_equal(b.data, "-5 \"-9223372036854775808\" \"0x7f8a12345000\" \"0x0\"");
	buf_reset(&b);
	json_double(&b, 0.1);
	buf_addc(&b, ' ');
	json_double(&b, 1.0 / 3);
	buf_addc(&b, ' ');
	json_double(&b, 0.0 / 0.0);
	buf_addc(&b, ' ');
	json_double(&b, 1e300 * 1e300);
	buf_addc(&b, ' ');
	json_fixed(&b, 0.0012345678, 6);
	buf_addc(&b, ' ');
	json_bool(&b, true);
	buf_addc(&b, ' ');
	json_null(&b);
	assert_string_equal(b.data, "0.1 0.3333333333333333 null null 0.001235 true null");
	buf_free(&b);
}

static void test_secs_ns(void **st)
{
	(void)st;
	struct buf b = {0};
	const struct {
		uint64_t ns;
		int dec;
		const char *want;
	} cases[] = {
		{0, 6, "0.000000"},          {1234, 6, "0.000001"},   {1500, 6, "0.000002"},
		{1499, 6, "0.000001"},       {999999500, 6, "1.000000"}, {12345678901, 6, "12.345679"},
		{1500000, 3, "0.002"},       {340000000, 3, "0.340"},  {7, 9, "0.000000007"},
		{2500000000, 0, "3"},        {UINT64_MAX, 6, "18446744073.709552"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		json_secs_ns(&b, cases[i].ns, cases[i].dec);
		assert_string_equal(b.data, cases[i].want);
	}
	buf_free(&b);
}

static void test_keys(void **st)
{
	(void)st;
	struct buf b = {0};
	buf_addc(&b, '{');
	json_key(&b, "a");
	json_u64(&b, 1);
	json_key(&b, "b<");
	buf_addc(&b, '[');
	json_sep(&b);
	json_u64(&b, 2);
	json_sep(&b);
	json_cstr(&b, NULL);
	buf_addc(&b, ']');
	buf_addc(&b, '}');
	assert_string_equal(b.data, "{\"a\":1,\"b\\u003c\":[2,null]}");
	buf_free(&b);
}

static void test_utf8_valid(void **st)
{
	(void)st;
	assert_true(json_utf8_valid("abc\xc3\xa9", 5));
	assert_false(json_utf8_valid("\xc3", 1));
	assert_false(json_utf8_valid("\xed\xbf\xbf", 3));
	assert_true(json_utf8_valid("", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),        cmocka_unit_test(test_quote_backslash),
		cmocka_unit_test(test_controls),     cmocka_unit_test(test_html),
		cmocka_unit_test(test_c1),           cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_unescape),     cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_keys),         cmocka_unit_test(test_secs_ns),         cmocka_unit_test(test_utf8_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
