// SPDX-License-Identifier: MIT
// Unit tests of --watch's one incident per cause (watch_fold.c) and the
// baseline_warmup_seconds key.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "lib/util.h"
#include "watch/watch_sys.h"

/* A watch with one memory incident of 'kind' caused by pid 42, with a pending dump when 'pending'. */
static struct watch *setup(const char *kind, bool pending)
{
	struct watch *w = xcalloc(1, sizeof(*w));
	watch_conf_defaults(&w->conf);
	struct incident *a = &w->inc[0];
	snprintf(a->kind, sizeof(a->kind), "%s", kind);
	snprintf(a->scope, sizeof(a->scope), "%s", strcmp(kind, "memgrow") ? "system" : "pid 42@1000");
	a->open = true;
	a->cause_pid = 42;
	a->cause_start = 7;
	if (pending) {
		struct pending *p = xcalloc(1, sizeof(*p));
		snprintf(p->kind, sizeof(p->kind), "%s", a->kind);
		snprintf(p->scope, sizeof(p->scope), "%s", a->scope);
		p->msg = xstrdup("first");
		p->value = 600;
		p->threshold = 512;
		p->baseline = strcmp(kind, "memgrow") ? 20000 : 3;
		p->trig_seq = p->ctx_seq = 10;
		p->trig_mono = 1000000000;
		p->due_mono = p->trig_mono + 5000000000ull;
		p->inc = a;
		a->dump = p;
		w->pend[w->npend++] = p;
	}
	return w;
}

/* The incident a second trigger opened (as fire() does before calling watch_fold). */
static struct incident *second(struct watch *w, const char *kind, int cause_pid)
{
	struct incident *b = &w->inc[1];
	snprintf(b->kind, sizeof(b->kind), "%s", kind);
	snprintf(b->scope, sizeof(b->scope), "%s", strcmp(kind, "memgrow") ? "system" : "pid 42@1000");
	b->open = true;
	b->cause_pid = cause_pid;
	b->cause_start = 7;
	return b;
}

static void teardown(struct watch *w)
{
	for (int i = 0; i < w->npend; i++) {
		free(w->pend[i]->msg);
		for (int k = 0; k < w->pend[i]->nrel; k++)
			free(w->pend[i]->rel[k].msg);
		free(w->pend[i]);
	}
	watch_conf_release(&w->conf);
	free(w);
}

static const struct wsnap snap = { .seq = 12, .mono = 1200000000, .real = { 1800000000, 0 } };

/* memgrow pending, then the memdrop it caused: recorded in the memgrow dump, no second dump */
static void test_drop_joins_grow(void **state)
{
	(void)state;
	struct watch *w = setup("memgrow", true);
	struct incident *b = second(w, "memdrop", 42);
	struct trig t = { "memdrop", "system", "drop", 550, 512, 23000 };
	assert_true(watch_fold(w, &snap, b, &t));
	struct pending *p = w->pend[0];
	assert_string_equal(p->kind, "memgrow");
	assert_int_equal(p->nrel, 1);
	assert_string_equal(p->rel[0].kind, "memdrop");
	assert_string_equal(p->rel[0].msg, "drop");
	assert_true(p->rel[0].value == 550 && p->rel[0].threshold == 512 && p->rel[0].baseline == 23000);
	assert_int_equal(p->trig_seq, 10);
	assert_null(b->dump);
	assert_ptr_equal(w->inc[0].dump, p);
	teardown(w);
}

/* memdrop pending, then the memgrow: the dump becomes the memgrow's, the memdrop a related trigger */
static void test_grow_takes_over_drop(void **state)
{
	(void)state;
	struct watch *w = setup("memdrop", true);
	struct incident *b = second(w, "memgrow", 42);
	struct trig t = { "memgrow", "pid 42@1000", "grew", 530, 512, 2 };
	assert_true(watch_fold(w, &snap, b, &t));
	struct pending *p = w->pend[0];
	assert_string_equal(p->kind, "memgrow");
	assert_string_equal(p->scope, "pid 42@1000");
	assert_string_equal(p->msg, "grew");
	assert_true(p->value == 530 && p->baseline == 2);
	assert_int_equal(p->nrel, 1);
	assert_string_equal(p->rel[0].kind, "memdrop");
	assert_string_equal(p->rel[0].msg, "first");
	assert_true(p->rel[0].baseline == 20000);
	/* the trigger is the memgrow's; the context still starts before the memdrop */
	assert_int_equal(p->trig_seq, 12);
	assert_int_equal(p->ctx_seq, 10);
	assert_true(p->due_mono >= snap.mono + 5000000000ull);
	assert_ptr_equal(p->inc, b);
	assert_ptr_equal(b->dump, p);
	assert_null(w->inc[0].dump);
	teardown(w);
}

/* another cause, or a trigger that is not about memory: a dump of its own */
static void test_other_cause_own_dump(void **state)
{
	(void)state;
	struct watch *w = setup("memgrow", true);
	struct incident *b = second(w, "memdrop", 43);
	struct trig t = { "memdrop", "system", "drop", 550, 512, 23000 };
	assert_false(watch_fold(w, &snap, b, &t));
	assert_int_equal(w->pend[0]->nrel, 0);
	teardown(w);
	assert_false(watch_is_mem_kind("cpu"));
	assert_false(watch_is_mem_kind("psi_memory"));
	assert_true(watch_is_mem_kind("swap") && watch_is_mem_kind("mempressure"));
}

/* same cause whose dump is already written but whose incident is open: no second dump */
static void test_written_incident_no_second(void **state)
{
	(void)state;
	struct watch *w = setup("memgrow", false);
	struct incident *b = second(w, "swap", 42);
	struct trig t = { "swap", "system", "swap", 300, 256, 0 };
	assert_true(watch_fold(w, &snap, b, &t));
	w->inc[0].open = false; /* once it has ended, a new trigger is a new incident */
	assert_false(watch_fold(w, &snap, b, &t));
	teardown(w);
}

static void test_warmup_key(void **state)
{
	(void)state;
	struct watch_conf c;
	struct buf err = {0};
	watch_conf_defaults(&c);
	assert_true(c.baseline_warmup_seconds == 10);
	const char *t = "[detection]\nbaseline_warmup_seconds = 0\n";
	assert_int_equal(watch_conf_parse(&c, "t.conf", t, strlen(t), &err), 0);
	assert_true(c.baseline_warmup_seconds == 0);
	t = "baseline_warmup_seconds = -1\n";
	assert_int_equal(watch_conf_parse(&c, "t.conf", t, strlen(t), &err), -EINVAL);
	assert_non_null(strstr(err.data, "t.conf:1: baseline_warmup_seconds: bad value '-1': out of range (allowed 0 to 86400)"));
	buf_reset(&err);
	t = "baseline_warmup_seconds = soon\n";
	assert_int_equal(watch_conf_parse(&c, "t.conf", t, strlen(t), &err), -EINVAL);
	assert_non_null(strstr(err.data, "not a number"));
	struct buf j = {0};
	watch_conf_json(&c, &j);
	assert_non_null(strstr(j.data, "\"baseline_warmup_seconds\":10"));
	buf_free(&j);
	watch_conf_release(&c);
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop_joins_grow),
		cmocka_unit_test(test_grow_takes_over_drop),
		cmocka_unit_test(test_other_cause_own_dump),
		cmocka_unit_test(test_written_incident_no_second),
		cmocka_unit_test(test_warmup_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
