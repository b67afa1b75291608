// SPDX-License-Identifier: MIT
// Unit tests of the event log: interning, records, iteration, subscribers, names, typed field reads.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <stdlib.h>

#include "lib/u64map.h"
#include "log/evfield.h"
#include "log/evlog.h"

/* every src object is linked in; main.c (which defines opt) is not */

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

/* The sinks' typed reads answer "absent" for a missing field or one of another kind. */
static void test_evfield(void **state)
{
	(void)state;
	struct evlog *log = evlog_new();
	struct ev_draft d;
	ev_init(&d, EVT_EXEC, 5, 1, 1);
	ev_int(&d, EVK_FD, -3);
	ev_bool(&d, EVK_THREAD, true);
	ev_cstr(&d, log, EVK_PATH, "/bin/true");
	ev_strid(&d, EVK_DESC, 0);
	uint32_t ids[1] = {evlog_intern_cstr(log, "true")};
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(log, ids, 1));
	ev_json(&d, log, EVK_STACK, "[]", 2);
	ev_double(&d, EVK_VALUE, 0.5);
	const struct ev *e = evlog_append(log, &d);
	int64_t v = 0;
	assert_true(evfield_num(e, EVK_FD, &v));
	assert_int_equal(v, -3);
	assert_false(evfield_num(e, EVK_PATH, &v));
	assert_false(evfield_num(e, EVK_VALUE, &v));
	assert_false(evfield_num(e, EVK_CODE, &v));
	assert_true(evfield_bool(e, EVK_THREAD));
	assert_false(evfield_bool(e, EVK_CORE));
	size_t n;
	assert_string_equal(evfield_str(log, e, EVK_PATH, &n), "/bin/true");
	assert_int_equal(n, 9);
	assert_null(evfield_str(log, e, EVK_DESC, &n));
	assert_null(evfield_str(log, e, EVK_FD, &n));
	assert_int_equal(evfield_strid(e, EVK_ARGV), 0);
	assert_int_not_equal(evfield_strvid(e, EVK_ARGV), 0);
	assert_int_equal(evfield_strvid(e, EVK_PATH), 0);
	assert_string_equal(evfield_json(log, e, EVK_STACK), "[]");
	assert_null(evfield_json(log, e, EVK_PATH));
	uint32_t name;
	assert_int_equal(evfield_errno(e, &name), 0);

	ev_init(&d, EVT_OPEN, 6, 1, 1);
	ev_err(&d, 2);
	e = evlog_append(log, &d);
	assert_int_equal(evfield_errno(e, &name), 2);
	assert_int_equal(name, 0);
	ev_init(&d, EVT_OPEN, 7, 1, 1);
	ev_cstr(&d, log, EVK_ERR, "ENEWTHING"); /* a --from log of a newer kernel */
	e = evlog_append(log, &d);
	assert_int_equal(evfield_errno(e, &name), -1);
	assert_string_equal(evlog_str(log, name, NULL), "ENEWTHING");
	assert_true(evfield_restart_err(512));
	assert_false(evfield_restart_err(4));
	evlog_free(log);
}

/* u64map: every key keeps its value across growth; key 0 is a key like any other. */
static void test_u64map(void **state)
{
	(void)state;
	struct u64map m = {0};
	for (uint64_t k = 0; k < 5000; k++) {
		uint32_t *v = u64map_slot(&m, k * 0x10001);
		assert_int_equal(*v, 0);
		*v = (uint32_t)k + 1;
	}
	assert_int_equal(m.n, 5000);
	for (uint64_t k = 0; k < 5000; k++)
		assert_int_equal(*u64map_slot(&m, k * 0x10001), k + 1);
	assert_int_equal(m.n, 5000);
	u64map_free(&m);
	assert_int_equal(m.n, 0);
	u64map_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intern_dedups_any_bytes),
		cmocka_unit_test(test_append_iterate),
		cmocka_unit_test(test_fields_kinds),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_evfield),
		cmocka_unit_test(test_u64map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
