/* SPDX-License-Identifier: MIT */
/* Unit tests of log/evcount: the one rule for calls, failures and bytes that every sink counts by. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <cmocka.h>

#include "log/evcount.h"
#include "log/evlog.h"

static const struct ev *rw(struct evlog *log, unsigned type, int64_t bytes, int err)
{
	struct ev_draft d;
	ev_init(&d, type, 1, 10, 10);
	ev_int(&d, EVK_FD, 3);
	ev_cstr(&d, log, EVK_PATH, "/etc/x");
	if (err)
		ev_err(&d, err);
	else
		ev_int(&d, EVK_BYTES, bytes);
	return evlog_append(log, &d);
}

static const struct ev *failed_as(struct evlog *log, unsigned type, int err)
{
	struct ev_draft d;
	ev_init(&d, type, 1, 10, 10);
	ev_err(&d, err);
	return evlog_append(log, &d);
}

/* The final 0-byte read is a call (the narrative's "5x" and the summary's "(5 calls)"); a failed one is not. */
static void test_calls(void **st)
{
	(void)st;
	struct evlog *log = evlog_new();
	struct evcount_totals t = {0};
	evcount_add(&t, rw(log, EVT_READ, 4096, 0));
	evcount_add(&t, rw(log, EVT_READ, 0, 0));
	const struct ev *bad = rw(log, EVT_READ, 0, EBADF);
	evcount_add(&t, bad);
	const struct ev *intr = rw(log, EVT_READ, 0, 512); /* ERESTARTSYS */
	evcount_add(&t, intr);
	evcount_add(&t, rw(log, EVT_WRITE, 10, 0));
	evcount_add(&t, rw(log, EVT_RECV, 7, 0));
	assert_int_equal(t.calls[EVCOUNT_READ], 2);
	assert_int_equal(t.bytes[EVCOUNT_READ], 4096);
	assert_int_equal(t.calls[EVCOUNT_WRITE], 1);
	assert_int_equal(t.bytes[EVCOUNT_WRITE], 10);
	assert_int_equal(t.calls[EVCOUNT_RECV], 1);
	assert_int_equal(t.bytes[EVCOUNT_RECV], 7);
	assert_int_equal(t.calls[EVCOUNT_SEND], 0);
	assert_false(evcount_rw_call(bad));
	assert_false(evcount_rw_call(intr));
	assert_int_equal(evcount_bytes(bad), 0);
	assert_int_equal(t.failed, 1); /* EBADF; the restart code is not a failure */
	evlog_free(log);
}

static void test_failures(void **st)
{
	(void)st;
	struct evlog *log = evlog_new();
	uint32_t name;
	assert_int_equal(evcount_failure(failed_as(log, EVT_OPEN, ENOENT), &name), ENOENT);
	assert_int_equal(evcount_failure(failed_as(log, EVT_CONNECT, ECONNREFUSED), &name), ECONNREFUSED);
	assert_int_equal(evcount_failure(failed_as(log, EVT_SPAWN, EAGAIN), &name), EAGAIN);
	/* a non-blocking connect under way: its outcome comes later */
	assert_false(evcount_failed(failed_as(log, EVT_CONNECT, EINPROGRESS)));
	/* the kernel restarts these */
	for (int err = 512; err <= 516; err++)
		assert_false(evcount_failed(failed_as(log, EVT_OPEN, err)));
	/* -v's records repeat the event of their call */
	assert_false(evcount_failed(failed_as(log, EVT_SYSCALL, ENOENT)));
	/* an errno name this build does not know (a --from log) */
	struct ev_draft d;
	ev_init(&d, EVT_OPEN, 1, 10, 10);
	ev_cstr(&d, log, EVK_ERR, "EFUTURE");
	const struct ev *e = evlog_append(log, &d);
	assert_int_equal(evcount_failure(e, &name), -1);
	assert_int_not_equal(name, 0);
	struct evlog_cursor c = {0};
	struct evcount_totals t = {0};
	while ((e = evlog_next(log, &c)))
		evcount_add(&t, e);
	assert_int_equal(t.failed, 4);
	evlog_free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calls),
		cmocka_unit_test(test_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
