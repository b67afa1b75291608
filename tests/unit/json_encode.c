/* SPDX-License-Identifier: MIT */
/* Unit tests of the safe JSON writer: every string rule, KEY_bytes siblings and their reading, numbers, keys, the version 1 unescape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <cJSON.h>

#include "lib/json.h"
#include "lib/jsonrd.h"

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

/* A member written with json_kstr, inside braces. */
static char *kenc(const void *s, size_t n)
{
	static struct buf b;
	buf_reset(&b);
	buf_addc(&b, '{');
	json_kstr(&b, "path", s, n);
	buf_addc(&b, '}');
	return b.data;
}
#define KENC(lit) kenc(lit, sizeof(lit) - 1)

static void test_quote_backslash(void **st)
{
	(void)st;
	assert_string_equal(ENC("a\"b"), "\"a\\\"b\"");
	/* a literal backslash is one backslash in the decoded string: JSON's \\ */
	assert_string_equal(ENC("a\\b"), "\"a\\\\b\"");
	assert_string_equal(ENC("a\\\\x41"), "\"a\\\\\\\\x41\"");
	/* exact strings get no sibling */
	assert_string_equal(KENC("a\\b.txt"), "{\"path\":\"a\\\\b.txt\"}");
}

static void test_controls(void **st)
{
	(void)st;
	assert_string_equal(ENC("\n\t\r\b\f"), "\"\\n\\t\\r\\b\\f\"");
	assert_string_equal(ENC("\x1b]0;pwned\x07"), "\"\\u001b]0;pwned\\u0007\"");
	assert_string_equal(ENC("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	assert_string_equal(KENC("\x01\x1f\x7f"), "{\"path\":\"\\u0001\\u001f\\u007f\"}");
	/* NUL: U+FFFD, never \u0000 (parsers truncate there), and the bytes beside */
	assert_string_equal(enc("a\0b", 3), "\"a\xef\xbf\xbd" "b\"");
	assert_string_equal(kenc("a\0b", 3), "{\"path\":\"a\xef\xbf\xbd" "b\",\"path_bytes\":[97,0,98]}");
}

static void test_html(void **st)
{
	(void)st;
	assert_string_equal(ENC("</script><!--&"),
			    "\"\\u003c/script\\u003e\\u003c!--\\u0026\"");
	assert_string_equal(ENC("\xe2\x80\xa8\xe2\x80\xa9"), "\"\\u2028\\u2029\"");
	assert_string_equal(KENC("<&>\xe2\x80\xa8"), "{\"path\":\"\\u003c\\u0026\\u003e\\u2028\"}");
}

static void test_c1(void **st)
{
	(void)st;
	/* U+0085 and U+009B encoded in UTF-8 */
	assert_string_equal(ENC("\xc2\x85\xc2\x9b\xc2\xa0"), "\"\\u0085\\u009b\xc2\xa0\"");
	/* raw 0x9b byte: not UTF-8 */
	assert_string_equal(ENC("\x9b[2J"), "\"\xef\xbf\xbd[2J\"");
	assert_string_equal(KENC("\x9b[2J"), "{\"path\":\"\xef\xbf\xbd[2J\",\"path_bytes\":[155,91,50,74]}");
}

#define FFFD "\xef\xbf\xbd"

static void test_invalid_utf8(void **st)
{
	(void)st;
	assert_string_equal(ENC("a\xff\xfe" "b"), "\"a" FFFD FFFD "b\"");
	/* overlong '/' and overlong NUL */
	assert_string_equal(ENC("\xc0\xaf\xe0\x80\xaf"), "\"" FFFD FFFD FFFD FFFD FFFD "\"");
	/* UTF-8 encoded surrogate U+D800 */
	assert_string_equal(ENC("\xed\xa0\x80"), "\"" FFFD FFFD FFFD "\"");
	/* above U+10FFFF */
	assert_string_equal(ENC("\xf4\x90\x80\x80"), "\"" FFFD FFFD FFFD FFFD "\"");
	/* truncated sequence at the end, then valid U+10FFFF */
	assert_string_equal(ENC("\xe2\x82"), "\"" FFFD FFFD "\"");
	assert_string_equal(ENC("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\"");
	/* a lone continuation byte between valid characters */
	assert_string_equal(ENC("\xc3\xa9\x80\xc3\xa9"), "\"\xc3\xa9" FFFD "\xc3\xa9\"");
	assert_string_equal(KENC("\xc3\xa9\x80\\"), "{\"path\":\"\xc3\xa9" FFFD "\\\\\",\"path_bytes\":[195,169,128,92]}");
	assert_string_equal(KENC("\xc3"), "{\"path\":\"" FFFD "\",\"path_bytes\":[195]}");
	/* the key of the sibling is escaped like the key */
	struct buf b = {0};
	json_kstr(&b, "p<", "\xff", 1);
	assert_string_equal(b.data, "\"p\\u003c\":\"" FFFD "\",\"p\\u003c_bytes\":[255]");
	buf_reset(&b);
	json_kstr(&b, "p", NULL, 0);
	assert_string_equal(b.data, "\"p\":null");
	buf_free(&b);
}

/* json_kstr in an object, parsed by cJSON, back through the recovery rule. */
static void roundtrip(const void *s, size_t n)
{
	cJSON *j = cJSON_Parse(kenc(s, n));
	assert_non_null(j);
	struct buf out = {0};
	assert_true(jsonrd_member(j, "path", &out));
	assert_int_equal(out.len, n);
	assert_memory_equal(out.data, s, n);
	/* an exact string is the value itself, and then there is no sibling */
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "path");
	bool exact = json_str_exact(s, n);
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(j, "path_bytes") == NULL, exact);
	if (exact)
		assert_memory_equal(v->valuestring, s, n);
	cJSON_Delete(j);
	buf_free(&out);
}

static void test_roundtrip(void **st)
{
	(void)st;
	roundtrip("a\\b\\xff", 7);
	roundtrip("a\\\\x41", 6);
	roundtrip("\"q\"\n\t\r\x01\x1f\x7f", 10);
	roundtrip("\xff\xfe\0\x1b\\\\x41", 9);
	roundtrip("\xc2\x85\xe2\x80\xa8<>&\"", 9);
	roundtrip("\xc0\xaf\xc3", 3);
	roundtrip("", 0);
	unsigned char all[255];
	for (int i = 0; i < 255; i++)
		all[i] = (unsigned char)(i + 1);
	roundtrip(all, sizeof(all));
}

static const char *sv_get(const void *ctx, size_t i, size_t *len)
{
	const char *const *v = ctx;
	*len = v[i] ? (i == 2 ? 3 : strlen(v[i])) : 0;
	return v[i];
}

static void test_vectors(void **st)
{
	(void)st;
	struct buf b = {0};
	static const char *const clean[] = {"a\\r\\nb", "x\"y"};
	json_kcstrv(&b, "argv", clean, 2);
	assert_string_equal(b.data, "\"argv\":[\"a\\\\r\\\\nb\",\"x\\\"y\"]");
	buf_reset(&b);
	/* element 2 holds a NUL: its length comes from the getter */
	static const char *const mixed[] = {"ok", "x\xffy", "a\0b", NULL, "\r\n"};
	buf_addc(&b, '{');
	json_kstrv(&b, "argv", 5, sv_get, mixed);
	buf_addc(&b, '}');
	assert_string_equal(b.data, "{\"argv\":[\"ok\",\"x" FFFD "y\",\"a" FFFD "b\",null,\"\\r\\n\"],"
				    "\"argv_bytes\":[null,[120,255,121],[97,0,98],null,null]}");
	cJSON *j = cJSON_Parse(b.data);
	assert_non_null(j);
	const cJSON *av = cJSON_GetObjectItemCaseSensitive(j, "argv");
	const cJSON *sib = jsonrd_sibling(j, av);
	assert_non_null(sib);
	assert_true(jsonrd_is_sibling(j, cJSON_GetObjectItemCaseSensitive(j, "argv_bytes")));
	assert_false(jsonrd_is_sibling(j, av));
	for (int i = 0; i < 5; i++) {
		struct buf out = {0};
		bool str = jsonrd_str(cJSON_GetArrayItem(av, i), cJSON_GetArrayItem(sib, i), &out);
		assert_int_equal(str, mixed[i] != NULL);
		if (str) {
			size_t n;
			sv_get(mixed, (size_t)i, &n);
			assert_int_equal(out.len, n);
			assert_memory_equal(out.data, mixed[i], n);
		}
		buf_free(&out);
	}
	cJSON_Delete(j);
	buf_free(&b);
}

/* Version 1 logs: the \xNN / \\ layer inside decoded strings, undone by json_unescape_bytes. */
static void test_unescape(void **st)
{
	(void)st;
	struct buf out = {0};
	json_unescape_bytes(&out, "a\\\\b\\xff", 8);
	assert_int_equal(out.len, 4);
	assert_memory_equal(out.data, "a\\b\xff", 4);
	buf_reset(&out);
	json_unescape_bytes(&out, "\\xff\\xfe\\x00\x1b\\\\\\\\x41", 20);
	assert_int_equal(out.len, 9);
	assert_memory_equal(out.data, "\xff\xfe\0\x1b\\\\x41", 9);
	buf_reset(&out);
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
		cmocka_unit_test(test_unescape),     cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_vectors),      cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_keys),         cmocka_unit_test(test_secs_ns),         cmocka_unit_test(test_utf8_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
