// SPDX-License-Identifier: MIT
// Unit tests of the event log: interning, records, iteration, subscribers, names.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "log/evlog.h"
#include "options.h"

/* every src object is linked in; main.c (which defines opt) is not */
struct options opt;

static void test_intern_dedups_any_bytes(void **state)
{
	(void)state;
	struct evlog *log = evlog_new();
	uint32_t a = evlog_intern(log, "a\0b", 3);
	uint32_t b = evlog_intern(log, "a\0b", 3);
	uint32_t c = evlog_intern(log, "a", 1);
	assert_int_equal(a, b);
	assert_int_not_equal(a, c);
	size_t len;
	const char *s = evlog_str(log, a, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(s, "a\0b", 3);
	assert_null(evlog_str(log, 0, &len));
	assert_null(evlog_str(log, 999, &len));
	/* many strings force rehashing; ids stay stable */
	char tmp[32];
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(tmp, sizeof(tmp), "s%d", i);
		assert_int_equal(evlog_intern(log, tmp, (size_t)n), (uint32_t)(i + 3));
	}
	assert_int_equal(evlog_intern(log, "s77", 3), 77 + 3);
	assert_int_equal(evlog_str_count(log), 100002);
	evlog_free(log);
}

static int seen;
static void count_sink(void *ctx, const struct evlog *log, const struct ev *e)
{
	(void)log;
	*(int *)ctx += 1;
	assert_int_equal(e->type, EVT_OPEN);
	seen++;
}

static void test_append_iterate(void **state)
{
	(void)state;
	struct evlog *log = evlog_new();
	int calls = 0;
	evlog_subscribe(log, count_sink, &calls);
	for (int i = 0; i < 200000; i++) {
		struct ev_draft d;
		ev_init(&d, EVT_OPEN, (uint64_t)i, 100, 100 + i % 3);
		ev_cstr(&d, log, EVK_PATH, "/etc/passwd");
		ev_int(&d, EVK_FD, i);
		ev_err(&d, 2);
		evlog_append(log, &d);
	}
	assert_int_equal(calls, 200000);
	assert_int_equal(evlog_count(log), 200000);
	struct evlog_cursor c = {0};
	const struct ev *e;
	int i = 0;
	while ((e = evlog_next(log, &c))) {
		assert_int_equal(e->t, (uint64_t)i);
		assert_int_equal(e->cat, EVC_FILE);
		assert_int_equal(e->nf, 3);
		const struct ev_field *f = ev_find(e, EVK_FD);
		assert_non_null(f);
		assert_int_equal(evf_i64(f), i);
		f = ev_find(e, EVK_PATH);
		assert_string_equal(evlog_str(log, f->lo, NULL), "/etc/passwd");
		assert_null(ev_find(e, EVK_BYTES));
		i++;
	}
	assert_int_equal(i, 200000);
	/* the contract: at most 100 bytes per event in memory without unique strings */
	assert_true(evlog_record_bytes(log) / evlog_count(log) <= 100);
	evlog_free(log);
}

static void test_fields_kinds(void **state)
{
	(void)state;
	struct evlog *log = evlog_new();
	struct ev_draft d;
	ev_init(&d, EVT_MMAP, 5, 1, 1);
	ev_hex(&d, EVK_ADDR, 0x7fffffffffffULL);
	ev_int(&d, EVK_LEN, -4);
	ev_double(&d, EVK_CPU, 12.5);
	uint32_t ids[2] = {evlog_intern_cstr(log, "ls"), evlog_intern_cstr(log, "-l")};
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(log, ids, 2));
	const struct ev *e = evlog_append(log, &d);
	assert_int_equal(evf_u64(ev_find(e, EVK_ADDR)), 0x7fffffffffffULL);
	assert_int_equal(evf_i64(ev_find(e, EVK_LEN)), -4);
	uint64_t u = evf_u64(ev_find(e, EVK_CPU));
	double v;
	memcpy(&v, &u, sizeof(v));
	assert_true(v == 12.5);
	uint32_t n;
	const uint32_t *got = evlog_strv_get(log, ev_find(e, EVK_ARGV)->lo, &n);
	assert_int_equal(n, 2);
	assert_string_equal(evlog_str(log, got[1], NULL), "-l");
	/* the draft never overflows */
	ev_init(&d, EVT_OTHER, 0, 0, 0);
	for (int i = 0; i < EV_MAX_FIELDS + 10; i++)
		ev_int(&d, EVK_COUNT, i);
	assert_int_equal(d.h.nf, EV_MAX_FIELDS);
	evlog_free(log);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ev_type_name(EVT_SPAWN), "spawn");
	assert_string_equal(ev_cat_name(EVC_NETWORK), "network");
	assert_string_equal(ev_key_name(EVK_FORMER_TID), "former_tid");
	assert_int_equal(ev_type_lookup("exec"), EVT_EXEC);
	assert_int_equal(ev_type_lookup("nope"), -1);
	unsigned k = evkey_intern("future_field");
	assert_true(k >= EVK__STATIC_COUNT);
	assert_int_equal(evkey_intern("future_field"), k);
	assert_string_equal(ev_key_name(k), "future_field");
	assert_int_equal(evkey_intern("path"), EVK_PATH);
	unsigned t = evtype_intern("future_type");
	assert_string_equal(ev_type_name(t), "future_type");
	assert_int_equal(ev_type_default_cat(t), EVC_OTHER);
	assert_string_equal(ev_type_name(60000), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intern_dedups_any_bytes),
		cmocka_unit_test(test_append_iterate),
		cmocka_unit_test(test_fields_kinds),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
