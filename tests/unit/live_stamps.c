/* SPDX-License-Identifier: MIT */
/* Unit tests of the narrative's strace stamps (-t/-tt/-ttt/-r) and -T durations: exact lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "sinks/live.h"

static const uint64_t MS = 1000000;

/* Narrate events built by fill() with cfg; return the narrative (caller frees). */
static char *narrate(const struct live_cfg *cfg, void (*fill)(struct run *))
{
	struct run r = {0};
	r.log = evlog_new();
	/* the log's start: 2023-11-14 22:13:20.000100 UTC */
	evlog_set_start(r.log, evlog_start_mono(r.log), (struct timespec){1700000000, 100000});
	FILE *f = tmpfile();
	struct live *l = live_new(&r, fileno(f), cfg);
	fill(&r);
	live_finish(l);
	long n = ftell(f);
	char *s = xcalloc(1, (size_t)n + 1);
	rewind(f);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	evlog_free(r.log);
	return s;
}

static void open_at(struct run *r, uint64_t t, const char *path, uint64_t dur)
{
	struct ev_draft d;
	ev_init(&d, EVT_OPEN, t, 10, 10);
	ev_cstr(&d, r->log, EVK_PATH, path);
	ev_int(&d, EVK_FD, 3);
	ev_cstr(&d, r->log, EVK_ACCESS, "r");
	ev_dur(&d, dur);
	evlog_append(r->log, &d);
}

static void write_at(struct run *r, uint64_t t, uint64_t dur)
{
	struct ev_draft d;
	ev_init(&d, EVT_WRITE, t, 10, 10);
	ev_int(&d, EVK_FD, 3);
	ev_cstr(&d, r->log, EVK_PATH, "/tmp/out");
	ev_uint(&d, EVK_BYTES, 100);
	ev_dur(&d, dur);
	evlog_append(r->log, &d);
}

/* Three opens, the third stamped before the second (as a call that outlasted another's). */
static void three_opens(struct run *r)
{
	open_at(r, 2 * MS, "/a", 1500);
	open_at(r, 5 * MS + 123456, "/b", 20);
	open_at(r, 4 * MS, "/c", 7000);
	open_at(r, 6 * MS, "/d", 7000);
}

static void test_default_us(void **state)
{
	(void)state;
	char *s = narrate(&(struct live_cfg){0}, three_opens);
	assert_non_null(strstr(s, "[+0.002000s] open /a (read)\n[+0.005123s] open /b (read)\n"));
	free(s);
}

/* -r: 0 first, never negative, the next delta from the latest stamp: the deltas add up to the span. */
static void test_relative(void **state)
{
	(void)state;
	char *s = narrate(&(struct live_cfg){.relstamp = true}, three_opens);
	assert_non_null(strstr(s, "     0.000000 open /a (read)\n"
				  "     0.003123 open /b (read)\n"
				  "     0.000000 open /c (read)\n"
				  "     0.000876 open /d (read)\n"));
	free(s);
}

/* -ttt: the log's start realtime plus t, microseconds cut; -r after it in strace's "(+ ...)". */
static void test_epoch(void **state)
{
	(void)state;
	char *s = narrate(&(struct live_cfg){.tstamp = 3, .relstamp = true}, three_opens);
	assert_non_null(strstr(s, "1700000000.002100 (+     0.000000) open /a (read)\n"
				  "1700000000.005223 (+     0.003123) open /b (read)\n"));
	free(s);
}

/* -tt: local time of day with microseconds. */
static void test_tt(void **state)
{
	(void)state;
	char want[64];
	time_t sec = 1700000000;
	struct tm tm;
	localtime_r(&sec, &tm);
	snprintf(want, sizeof(want), "%02d:%02d:%02d.002100 open /a (read)\n", tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
	char *s = narrate(&(struct live_cfg){.tstamp = 2}, three_opens);
	assert_non_null(strstr(s, want));
	free(s);
}

static void writes(struct run *r)
{
	write_at(r, 1 * MS, 1500);
	write_at(r, 2 * MS, 2500);
	write_at(r, 3 * MS, 1000000);
}

/* -T: a line's call time; a coalesced line the sum of its calls'. */
static void test_call_times(void **state)
{
	(void)state;
	char *s = narrate(&(struct live_cfg){.call_times = true}, three_opens);
	assert_non_null(strstr(s, "open /a (read) <0.000001>\n"));
	assert_non_null(strstr(s, "open /c (read) <0.000007>\n"));
	free(s);
	s = narrate(&(struct live_cfg){.call_times = true}, writes);
	assert_non_null(strstr(s, "[+0.001000s] write /tmp/out 3\u00d7 300 B <0.001004>\n"));
	free(s);
	s = narrate(&(struct live_cfg){0}, writes);
	assert_null(strchr(s, '<'));
	free(s);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_us),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_epoch),
		cmocka_unit_test(test_tt),
		cmocka_unit_test(test_call_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
