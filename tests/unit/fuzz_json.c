/* SPDX-License-Identifier: MIT */
/*
 * Deterministic randomized round trip of the string encoder: random bytes
 * (biased towards UTF-8 edge cases) -> json_kstr -> strict UTF-8 check ->
 * cJSON_ParseWithOpts(require_null_terminated) -> the recovery rule
 * (KEY_bytes if present, else the string) must give back the same bytes,
 * an exact string must be the decoded value itself with no sibling, and the
 * output never contains a raw byte that is unsafe in HTML or JavaScript. Built with -DFUZZ_LIBFUZZER it is also a
 * libFuzzer target (clang -fsanitize=fuzzer).
 */
#include <cJSON.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/json.h"
#include "lib/jsonrd.h"
#include "log/jsonl_read.h"
#include "sinks/jsonl.h"

/* every src object is linked in; some of them read the options */

/* 0 if the round trip holds; a small number naming the broken property otherwise. */
static int check_one(const uint8_t *data, size_t n)
{
	struct buf b = {0}, out = {0};
	int rc = 0;
	buf_addc(&b, '{');
	json_kstr(&b, "k", data, n);
	buf_addc(&b, '}');
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
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "k");
	if (!j || !cJSON_IsString(v)) {
		cJSON_Delete(j);
		rc = 4;
		goto out;
	}
	bool sib = cJSON_GetObjectItemCaseSensitive(j, "k_bytes") != NULL;
	if (!jsonrd_member(j, "k", &out) || out.len != n || (n && memcmp(out.data, data, n)))
		rc = 5;
	else if (json_str_exact(data, n) == sib)
		rc = 6; /* a sibling exactly when the string is not exact */
	else if (!sib && (strlen(v->valuestring) != n || memcmp(v->valuestring, data, n)))
		rc = 7; /* an exact string is the decoded value itself */
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

/*
 * The reader on mutated logs: bytes flipped, inserted and cut anywhere in a
 * valid log. It must return 0 or -EINVAL, never crash (run under ASan), and
 * whatever it read must encode again as valid JSON Lines.
 */
static const char base_log_v2[] =
	"{\"type\":\"header\",\"version\":2,\"argv\":[\"sh\",\"-c\",\"x\\\\\xef\xbf\xbd\\u003c\"],\"argv_bytes\":[null,null,[120,92,255,60]],\"start\":\"2026-11-22T00:00:00.000001Z\",\"host\":\"h\",\"kernel\":\"k\",\"compendium\":\"0.1.0\",\"mode\":\"trace\"}\n"
	"{\"t\":0.000100,\"pid\":1,\"tid\":1,\"type\":\"open\",\"cat\":\"file\",\"path\":\"/a\xef\xbf\xbd\\n\",\"path_bytes\":[47,97,254,10],\"fd\":3,\"err\":\"ENOENT\",\"dur\":0.000001}\n"
	"{\"t\":0.000200,\"pid\":1,\"tid\":2,\"type\":\"mmap\",\"cat\":\"memory\",\"addr\":\"0x7f00\",\"stack\":[{\"ip\":\"0x1\",\"sym\":\"\xef\xbf\xbd\",\"sym_bytes\":[255]}]}\n"
	"{\"type\":\"end\",\"duration\":0.000400,\"status\":0,\"exit\":{\"code\":0},\"counts\":{\"open\":1},\"events\":2,\"interrupted\":false}\n";
static const char base_log[] =
	"{\"type\":\"header\",\"version\":1,\"argv\":[\"sh\",\"-c\",\"x\\\\xff\\u003c\"],\"start\":\"2026-11-22T00:00:00.000001Z\",\"host\":\"h\",\"kernel\":\"k\",\"compendium\":\"0.1.0\",\"mode\":\"trace\"}\n"
	"{\"t\":0.000100,\"pid\":1,\"tid\":1,\"type\":\"open\",\"cat\":\"file\",\"path\":\"/a\\\\xfe\\n\",\"fd\":3,\"err\":\"ENOENT\",\"dur\":0.000001}\n"
	"{\"t\":0.000200,\"pid\":1,\"tid\":2,\"type\":\"mmap\",\"cat\":\"memory\",\"addr\":\"0x7f00\",\"len\":\"18446744073709551615\",\"stack\":[{\"ip\":\"0x1\",\"sym\":null}]}\n"
	"{\"t\":0.000300,\"pid\":1,\"tid\":1,\"type\":\"exit\",\"cat\":\"process\",\"signal\":\"SIGSEGV\",\"argv\":[\"a\",\"b\"],\"x\":{\"y\":[1,2.5,true,null]}}\n"
	"{\"type\":\"end\",\"duration\":0.000400,\"status\":139,\"exit\":{\"signal\":\"SIGSEGV\",\"core\":false},\"counts\":{\"open\":1},\"events\":3,\"interrupted\":false}\n";

static void test_reader_mutations(void **st)
{
	(void)st;
	char path[] = "/tmp/fuzz-jsonl.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	static const char inserts[] = "{}[]\",:\\\n\0x0u1e-9\xff\xc3";
	for (int iter = 0; iter < 3000; iter++) {
		struct buf b = {0};
		if (iter % 2)
			buf_add(&b, base_log_v2, sizeof(base_log_v2) - 1);
		else
			buf_add(&b, base_log, sizeof(base_log) - 1);
		int nmut = 1 + (int)(next() % 4);
		for (int m = 0; m < nmut && b.len; m++) {
			size_t at = next() % b.len;
			uint32_t r = next();
			if (r % 3 == 0)
				b.data[at] = inserts[(r >> 4) % (sizeof(inserts) - 1)];
			else if (r % 3 == 1)
				b.len = at; /* cut */
			else
				b.data[at] = (char)(r >> 8);
		}
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		fwrite(b.data ? b.data : "", 1, b.len, f);
		fclose(f);
		buf_free(&b);
		struct run r = {0};
		int rc = jsonl_read(path, &r, NULL, NULL);
		assert_true(rc == 0 || rc == -EINVAL);
		if (rc == 0) {
			struct buf out = {0};
			jsonl_encode_header(&out, &r);
			struct evlog_cursor c = {0};
			const struct ev *e;
			while ((e = evlog_next(r.log, &c)))
				jsonl_encode_event(&out, r.log, e);
			jsonl_encode_end(&out, &r);
			assert_true(json_utf8_valid(out.data, out.len));
			char *line = out.data;
			while (line && *line) {
				char *nl = strchr(line, '\n');
				assert_non_null(nl);
				*nl = '\0';
				cJSON *j = cJSON_ParseWithOpts(line, NULL, 1);
				if (!j)
					print_error("iteration %d: re-encoded line is not JSON: %s\n", iter, line);
				assert_non_null(j);
				cJSON_Delete(j);
				line = nl + 1;
			}
			buf_free(&out);
			free(r.host);
			free(r.kernel);
			run_free_results(&r);
		}
		evlog_free(r.log);
	}
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pairs),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_reader_mutations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
#endif
