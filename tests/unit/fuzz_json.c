/* SPDX-License-Identifier: MIT */
/*
 * Deterministic randomized round trip of the string encoder: random bytes
 * (biased towards UTF-8 edge cases) -> json_str -> strict UTF-8 check ->
 * cJSON_ParseWithOpts(require_null_terminated) -> json_unescape_bytes must
 * give back the same bytes, and the output never contains a raw byte that is
 * unsafe in HTML or JavaScript. Built with -DFUZZ_LIBFUZZER it is also a
 * libFuzzer target (clang -fsanitize=fuzzer).
 */
#include <cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"
#include "options.h"

/* every src object is linked in; some of them read the options */
struct options opt;

/* 0 if the round trip holds; a small number naming the broken property otherwise. */
static int check_one(const uint8_t *data, size_t n)
{
	struct buf b = {0}, out = {0};
	int rc = 0;
	json_str(&b, data, n);
	if (!json_utf8_valid(b.data, b.len)) {
		rc = 1;
		goto out;
	}
	for (size_t i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.data[i];
		if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
			rc = 2;
			goto out;
		}
	}
	if (memmem(b.data, b.len, "\xe2\x80\xa8", 3) || memmem(b.data, b.len, "\xe2\x80\xa9", 3) ||
	    memmem(b.data, b.len, "\xc2\x80", 2)) {
		rc = 3;
		goto out;
	}
	cJSON *j = cJSON_ParseWithOpts(b.data, NULL, 1);
	if (!j || !cJSON_IsString(j)) {
		cJSON_Delete(j);
		rc = 4;
		goto out;
	}
	size_t got = json_unescape_bytes(&out, j->valuestring, strlen(j->valuestring));
	if (got != n || (n && memcmp(out.data, data, n)))
		rc = 5;
	cJSON_Delete(j);
out:
	buf_free(&b);
	buf_free(&out);
	return rc;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	if (check_one(data, n))
		abort();
	return 0;
}
#else
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Pieces that exercise every rule and its edges. */
static const char *const pieces[] = {
	"\\", "\\x41", "\\\\", "\"", "<", ">", "&", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xc2\x80",
	"\xc2\x9f", "\xc2\xa0", "\x7f", "\x1b[2J", "\xed\xa0\x80", "\xed\x9f\xbf", "\xee\x80\x80",
	"\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xc0\x80", "\xe0\x80\x80", "\xf0\x80\x80\x80",
	"\xef\xbf\xbd", "\xf0\x9f\x98\x80", "\\u0000", "</script>", "\xe2\x80\xae", "x",
};

static void test_fuzz(void **st)
{
	(void)st;
	uint8_t data[512];
	for (int iter = 0; iter < 200000; iter++) {
		size_t n = next() % (iter < 1000 ? 8 : sizeof(data) / 2);
		size_t i = 0;
		while (i < n) {
			uint32_t r = next();
			if (r % 4 == 0) {
				const char *p = pieces[(r >> 8) % (sizeof(pieces) / sizeof(pieces[0]))];
				size_t l = strlen(p);
				if (i + l > sizeof(data))
					break;
				memcpy(data + i, p, l);
				/* sometimes cut a multi-byte piece short */
				i += (r >> 20) % 5 == 0 && l > 1 ? l - 1 : l;
			} else if (r % 4 == 1) {
				data[i++] = (uint8_t)(0x80 | (r >> 8)); /* high bytes */
			} else {
				data[i++] = (uint8_t)(r >> 8);
			}
		}
		int rc = check_one(data, i);
		if (rc) {
			print_error("iteration %d (%zu bytes) broke property %d\n", iter, i, rc);
			fail();
		}
	}
}

/* Every one- and two-byte input, exhaustively. */
static void test_all_pairs(void **st)
{
	(void)st;
	uint8_t d[2];
	for (unsigned a = 0; a < 256; a++) {
		d[0] = (uint8_t)a;
		assert_int_equal(check_one(d, 1), 0);
		for (unsigned c = 0; c < 256; c++) {
			d[1] = (uint8_t)c;
			assert_int_equal(check_one(d, 2), 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pairs),
		cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
#endif
