/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the JSON Lines event encoder's fast path: the bytes are
 * exactly those of the json.c writer for every kind of value, at the
 * number boundaries (2^53, INT64_MIN, UINT64_MAX, microsecond rounding),
 * for run-time keys and types, strings that need escaping, and records
 * with the most fields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/json.h"
#include "sinks/jsonl.h"


/* The reference: the record written with json.c's functions one by one. */
static void reference(struct buf *b, const struct evlog *log, const struct ev *e)
{
	buf_adds(b, "{\"t\":");
	json_secs_ns(b, e->t, 6);
	buf_adds(b, ",\"pid\":");
	json_i64(b, e->pid);
	buf_adds(b, ",\"tid\":");
	json_i64(b, e->tid);
	buf_adds(b, ",\"type\":");
	json_cstr(b, ev_type_name(e->type));
	buf_adds(b, ",\"cat\":");
	json_cstr(b, ev_cat_name(e->cat));
	if (e->flags & EVFL_NOISE)
		buf_adds(b, ",\"noise\":true");
	if (ev_fold_name(ev_fold_kind(e))) {
		buf_adds(b, ",\"fold\":");
		json_cstr(b, ev_fold_name(ev_fold_kind(e)));
	}
	const struct ev_field *f = ev_fields(e);
	for (unsigned i = 0; i < e->nf; i++)
		jsonl_encode_member(b, log, &f[i]);
	buf_adds(b, "}\n");
}

static void same_bytes(struct evlog *log, const struct ev_draft *d)
{
	const struct ev *e = evlog_append(log, d);
	struct buf fast = {0}, ref = {0};
	buf_adds(&fast, "prefix "); /* encoding appends to what is there */
	buf_adds(&ref, "prefix ");
	jsonl_encode_event(&fast, log, e);
	reference(&ref, log, e);
	assert_string_equal(fast.data, ref.data);
	assert_int_equal(fast.len, ref.len);
	assert_int_equal(strlen(fast.data), fast.len);
	buf_free(&fast);
	buf_free(&ref);
}

static void numbers_at_the_edges(void **st)
{
	(void)st;
	struct evlog *log = evlog_new();
	static const uint64_t times[] = { 0, 499, 500, 999, 1000, 999999499, 999999500, 1999999999,
					  123456789012345678ull, UINT64_MAX };
	static const int64_t ints[] = { 0, -1, 1, (1ll << 53) - 1, 1ll << 53, -(1ll << 53) + 1,
					-(1ll << 53), INT64_MAX, INT64_MIN };
	static const uint64_t uints[] = { 0, (1ull << 53) - 1, 1ull << 53, UINT64_MAX };
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		struct ev_draft d;
		ev_init(&d, EVT_READ, times[i], (int)(i * 1000), -(int)i);
		ev_dur(&d, times[i]);
		same_bytes(log, &d);
	}
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		struct ev_draft d;
		ev_init(&d, EVT_WRITE, 1, 2, 3);
		ev_int(&d, EVK_FD, ints[i]);
		ev_int(&d, EVK_BYTES, -ints[i] / 2);
		same_bytes(log, &d);
	}
	for (size_t i = 0; i < sizeof(uints) / sizeof(uints[0]); i++) {
		struct ev_draft d;
		ev_init(&d, EVT_MMAP, 1, 2, 3);
		ev_uint(&d, EVK_LEN, uints[i]);
		ev_hex(&d, EVK_ADDR, uints[i]);
		same_bytes(log, &d);
	}
	evlog_free(log);
}

static void every_kind(void **st)
{
	(void)st;
	struct evlog *log = evlog_new();
	struct ev_draft d;
	ev_init(&d, EVT_OPEN, 42, 7, 8);
	d.h.flags |= EVFL_NOISE;
	ev_cstr(&d, log, EVK_PATH, "/tmp/<a>&\"b\"\\\n\xff\xfe\xe2\x80\xa8");
	ev_bool(&d, EVK_TRUNCATED, true);
	ev_bool(&d, EVK_STOPPED, false);
	ev_err(&d, 2);
	ev_err(&d, 9999);
	ev_sig(&d, EVK_SIGNAL, 11);
	ev_sig(&d, EVK_SIGNAL, 99);
	ev_strid(&d, EVK_DESC, 0);
	ev_json(&d, log, EVK_STACK, "[{\"ip\":\"0x1\"}]", 14);
	ev_double(&d, EVK_DATA, 0.1);
	uint32_t ids[4] = { evlog_intern_cstr(log, "a"), evlog_intern_cstr(log, ""), 0,
			    evlog_intern(log, "x\0\xff", 3) };
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(log, ids, 4));
	same_bytes(log, &d);
	/* the strings that are not exact carry their bytes beside them (lib/json.h) */
	struct buf b = {0};
	jsonl_encode_event(&b, log, evlog_append(log, &d));
	assert_non_null(strstr(b.data, ",\"path_bytes\":[47,116,109,112,47,60,97,62,38,34,98,34,92,10,255,254,226,128,168],"));
	assert_non_null(strstr(b.data, ",\"argv\":[\"a\",\"\",null,\"x\xef\xbf\xbd\xef\xbf\xbd\"],"
				       "\"argv_bytes\":[null,null,null,[120,0,255]]}"));
	buf_free(&b);

	/* run-time keys and types from a newer log, and the most fields a record holds */
	ev_init(&d, evtype_intern("future_type"), 5, 1, 1);
	for (unsigned i = 0; i < EV_MAX_FIELDS; i++) {
		char name[32];
		snprintf(name, sizeof(name), "key_%u_\"q\"", i);
		ev_int(&d, evkey_intern(name), INT64_MIN + i);
	}
	same_bytes(log, &d);
	ev_init(&d, EVT_EXIT, 5, 1, 1);
	d.h.cat = 250; /* unknown category */
	for (unsigned i = 0; i < EV_MAX_FIELDS; i++)
		ev_dur(&d, UINT64_MAX - i);
	same_bytes(log, &d);
	evlog_free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_at_the_edges),
		cmocka_unit_test(every_kind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
