// SPDX-License-Identifier: MIT
// pfault: the perf ring parser on hand-made rings: samples, LOST, THROTTLE, wrap-around, unknown
// records skipped, and every malformed header (size 0, too short, past head) stopping the parse;
// the end record's "faults" member written from the typed results pfault fills.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>

#include "log/run.h"
#include "probes/pfault.h"

/* main.c (not linked into unit tests) owns the options. */

#define RING 256

struct got {
	struct pfault_rec r[64];
	int n;
};

static void collect(void *ctx, const struct pfault_rec *rec)
{
	struct got *g = ctx;
	if (g->n < 64)
		g->r[g->n++] = *rec;
}

/* Write n bytes at free-running offset pos of the ring, wrapping. */
static void put(uint8_t *ring, uint64_t pos, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ring[(pos + i) % RING] = ((const uint8_t *)p)[i];
}

static uint64_t put_sample(uint8_t *ring, uint64_t pos, uint32_t pid, uint32_t tid, uint64_t time, uint64_t addr,
			   uint64_t id)
{
	uint8_t rec[40];
	struct perf_event_header h = {PERF_RECORD_SAMPLE, 0, sizeof(rec)};
	memcpy(rec, &h, 8);
	memcpy(rec + 8, &pid, 4);
	memcpy(rec + 12, &tid, 4);
	memcpy(rec + 16, &time, 8);
	memcpy(rec + 24, &addr, 8);
	memcpy(rec + 32, &id, 8);
	put(ring, pos, rec, sizeof(rec));
	return pos + sizeof(rec);
}

static uint64_t put_raw(uint8_t *ring, uint64_t pos, uint32_t type, uint16_t size, uint64_t a, uint64_t b)
{
	uint8_t rec[64] = {0};
	struct perf_event_header h = {type, 0, size};
	memcpy(rec, &h, 8);
	memcpy(rec + 8, &a, 8);
	memcpy(rec + 16, &b, 8);
	put(ring, pos, rec, size < sizeof(rec) ? size : sizeof(rec));
	return pos + size;
}

static void test_samples_and_wrap(void **state)
{
	(void)state;
	uint8_t ring[RING];
	struct got g = {0};
	uint64_t nt = 0, bad = 0;
	/* start near the end so the third sample straddles the wrap */
	uint64_t tail = 10 * RING + 170, pos = tail;
	memset(ring, 0xee, sizeof(ring));
	pos = put_sample(ring, pos, 100, 101, 5000, 0x1000, 7);
	pos = put_raw(ring, pos, PERF_RECORD_COMM, 24, 0, 0);        /* skipped */
	pos = put_sample(ring, pos, 100, 102, 5001, 0x2000, 8);      /* wraps */
	pos = put_raw(ring, pos, PERF_RECORD_LOST, 24, 7, 1234);
	pos = put_raw(ring, pos, PERF_RECORD_THROTTLE, 32, 6000, 7);
	pos = put_raw(ring, pos, PERF_RECORD_UNTHROTTLE, 32, 6001, 7);
	assert_int_equal(pfault_ring_parse(ring, RING, tail, pos, collect, &g, &nt, &bad), 0);
	assert_int_equal(nt, pos);
	assert_int_equal(bad, 0);
	assert_int_equal(g.n, 5);
	assert_int_equal(g.r[0].type, PERF_RECORD_SAMPLE);
	assert_int_equal(g.r[0].pid, 100);
	assert_int_equal(g.r[0].tid, 101);
	assert_int_equal(g.r[0].time, 5000);
	assert_int_equal(g.r[0].addr, 0x1000);
	assert_int_equal(g.r[0].id, 7);
	assert_int_equal(g.r[1].tid, 102);
	assert_int_equal(g.r[1].addr, 0x2000);
	assert_int_equal(g.r[1].id, 8);
	assert_int_equal(g.r[2].type, PERF_RECORD_LOST);
	assert_int_equal(g.r[2].lost, 1234);
	assert_int_equal(g.r[3].type, PERF_RECORD_THROTTLE);
	assert_int_equal(g.r[3].time, 6000);
	assert_int_equal(g.r[4].type, PERF_RECORD_UNTHROTTLE);
}

static void expect_bad(uint8_t *ring, uint64_t tail, uint64_t head, int want_before)
{
	struct got g = {0};
	uint64_t nt = 0, bad = 0;
	assert_int_equal(pfault_ring_parse(ring, RING, tail, head, collect, &g, &nt, &bad), -EBADMSG);
	assert_int_equal(bad, 1);
	assert_int_equal(nt, head); /* the rest is dropped, never re-read */
	assert_int_equal(g.n, want_before);
}

static void test_size_zero(void **state)
{
	(void)state;
	uint8_t ring[RING] = {0};
	uint64_t pos = put_sample(ring, 0, 1, 1, 1, 1, 1);
	put_raw(ring, pos, PERF_RECORD_SAMPLE, 0, 0, 0);
	/* head far beyond: a parser that trusted size 0 would spin here forever */
	expect_bad(ring, 0, pos + 120, 1);
}

static void test_size_too_large(void **state)
{
	(void)state;
	uint8_t ring[RING] = {0};
	uint64_t pos = put_raw(ring, 0, PERF_RECORD_SAMPLE, 4000, 0, 0);
	(void)pos;
	expect_bad(ring, 0, 48, 0);
	/* larger than what is left before head, though smaller than the ring */
	memset(ring, 0, sizeof(ring));
	put_raw(ring, 0, PERF_RECORD_COMM, 64, 0, 0);
	expect_bad(ring, 0, 40, 0);
}

static void test_too_short(void **state)
{
	(void)state;
	uint8_t ring[RING] = {0};
	/* smaller than a header, and a sample too short for its fields */
	put_raw(ring, 0, PERF_RECORD_SAMPLE, 4, 0, 0);
	expect_bad(ring, 0, 64, 0);
	memset(ring, 0, sizeof(ring));
	put_raw(ring, 0, PERF_RECORD_SAMPLE, 16, 0, 0);
	expect_bad(ring, 0, 64, 0);
	memset(ring, 0, sizeof(ring));
	put_raw(ring, 0, PERF_RECORD_LOST, 16, 0, 0);
	expect_bad(ring, 0, 64, 0);
	/* head - tail not even a header */
	memset(ring, 0, sizeof(ring));
	put_sample(ring, 0, 1, 1, 1, 1, 1);
	expect_bad(ring, 0, 4, 0);
}

static void test_bad_ring(void **state)
{
	(void)state;
	uint8_t ring[RING] = {0};
	struct got g = {0};
	uint64_t nt = 0, bad = 0;
	/* more data claimed than the ring holds; a size that is not a power of two */
	assert_int_equal(pfault_ring_parse(ring, RING, 0, RING + 8, collect, &g, &nt, &bad), -EBADMSG);
	assert_int_equal(pfault_ring_parse(ring, 200, 0, 40, collect, &g, &nt, &bad), -EBADMSG);
	assert_int_equal(bad, 2);
	assert_int_equal(g.n, 0);
	/* empty is fine */
	assert_int_equal(pfault_ring_parse(ring, RING, 77, 77, collect, &g, &nt, &bad), 0);
	assert_int_equal(nt, 77);
}

static char *faults_text(const struct run_faults *f)
{
	struct buf b = {0};
	run_faults_json(&b, f);
	return buf_steal(&b);
}

/* The text pfault wrote into the end record before it filled r->faults, byte for byte. */
static void test_faults_json(void **state)
{
	(void)state;
	struct run_faults f = { .present = true, .minor = 1404, .major = 1, .sampled = 1405, .lost = 3,
				.throttled = 2, .have_logged = true, .logged = 1000, .sampling = "off" };
	f.region[RUN_FR_HEAP] = 453;
	f.region[RUN_FR_ANON] = 669;
	f.region[RUN_FR_FILE] = 274;
	f.region[RUN_FR_STACK] = 7;
	f.region[RUN_FR_OTHER] = 2;
	struct run_fault_top top[2] = {
		{ .region = RUN_FR_ANON, .count = 669 },
		{ .region = RUN_FR_FILE, .path = (char *)"/tmp/a\"b.data", .path_len = 13, .count = 200 },
	};
	f.top = top;
	f.ntop = 2;
	char *t = faults_text(&f);
	assert_string_equal(t, "\"faults\":{\"total\":1405,\"minor\":1404,\"major\":1,\"heap\":453,\"anon\":669,"
			       "\"file\":274,\"stack\":7,\"other\":2,\"sampled\":1405,\"lost\":3,\"throttled\":2,"
			       "\"sampling\":\"off\",\"logged\":1000,\"top\":[{\"region\":\"anon\",\"path\":null,"
			       "\"count\":669},{\"region\":\"file\",\"path\":\"/tmp/a\\\"b.data\",\"count\":200}]}");
	free(t);

	struct run_faults u = { .present = true, .unavailable = (char *)"perf_event_open: Permission denied" };
	t = faults_text(&u);
	assert_string_equal(t, "\"faults\":{\"unavailable\":\"perf_event_open: Permission denied\"}");
	free(t);

	struct run_faults none = {0};
	t = faults_text(&none);
	assert_string_equal(t, "");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples_and_wrap),
		cmocka_unit_test(test_size_zero),
		cmocka_unit_test(test_size_too_large),
		cmocka_unit_test(test_too_short),
		cmocka_unit_test(test_bad_ring),
		cmocka_unit_test(test_faults_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
