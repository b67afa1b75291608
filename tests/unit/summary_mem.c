/* SPDX-License-Identifier: MIT */
/* Unit tests of the FINAL summary's Memory line and per-process peaks, fed a synthetic event log: exact text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/util.h"
#include "sinks/summary.h"
#include "summary_text.h"

static const uint64_t MS = 1000000;
static const uint64_t MB = 1024 * 1024;

static bool all_selected(void *ctx, unsigned nr)
{
	(void)nr;
	return *(bool *)ctx;
}

static char *run_summary(struct run *r, bool mem_traced)
{
	struct summary_cfg cfg = {.traced = summary_traced(all_selected, &mem_traced)};
	return summary_text(r, &cfg);
}

static void add_exec(struct evlog *log, uint64_t t, int pid, const char *a0)
{
	struct ev_draft d;
	uint32_t id = evlog_intern(log, a0, strlen(a0));
	ev_init(&d, EVT_EXEC, t, pid, pid);
	ev_cstr(&d, log, EVK_PATH, a0);
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(log, &id, 1));
	evlog_append(log, &d);
}

static void add_exit(struct evlog *log, uint64_t t, int pid, uint64_t maxrss, bool root)
{
	struct ev_draft d;
	ev_init(&d, EVT_EXIT, t, pid, pid);
	ev_int(&d, EVK_CODE, 0);
	if (root)
		ev_bool(&d, EVK_ROOT, true);
	if (maxrss)
		ev_uint(&d, EVK_MAXRSS, maxrss);
	evlog_append(log, &d);
}

static void add_spawn(struct evlog *log, uint64_t t, int pid, int child)
{
	struct ev_draft d;
	ev_init(&d, EVT_SPAWN, t, pid, pid);
	ev_int(&d, EVK_CHILD, child);
	evlog_append(log, &d);
}

static void add_mmap(struct evlog *log, uint64_t t, int pid, uint64_t len)
{
	struct ev_draft d;
	ev_init(&d, EVT_MMAP, t, pid, pid);
	ev_uint(&d, EVK_LEN, len);
	evlog_append(log, &d);
}

static void init_run(struct run *r, char **argv)
{
	memset(r, 0, sizeof(*r));
	r->log = evlog_new();
	r->argv = argv;
	r->argc = 1;
	r->root_pid = 100;
	r->end = RUN_EXITED;
	r->t_end = 50 * MS;
}

/* The peak leads, names the process that reached it, and mapped memory is never called a total. */
static void test_peak_leads(void **st)
{
	(void)st;
	char a0[] = "python3";
	char *argv[] = {a0, NULL};
	struct run r;
	init_run(&r, argv);
	add_exec(r.log, 1 * MS, 100, "/usr/bin/python3");
	add_mmap(r.log, 2 * MS, 100, 2048 * MB);
	add_spawn(r.log, 3 * MS, 100, 101);
	add_exec(r.log, 4 * MS, 101, "/usr/bin/sort");
	add_exit(r.log, 5 * MS, 101, 126 * MB, false);
	add_exit(r.log, 6 * MS, 100, 9 * MB, true);
	r.peak_rss = 126 * MB;
	char *s = run_summary(&r, true);
	assert_non_null(strstr(s, " Memory:   Peak RSS 126.0 MiB (largest process: sort, pid 101)   "
				  "mapped 2.0 GiB (heap 0 B, mmap 2.0 GiB in 1 region)\n"));
	assert_non_null(strstr(s, "   100 /usr/bin/python3  \u2192 exit 0, peak RSS 9.0 MiB\n"));
	assert_non_null(strstr(s, "   \u2514 101 /usr/bin/sort  \u2192 exit 0, peak RSS 126.0 MiB\n"));
	assert_null(strstr(s, "Total"));
	free(s);
	evlog_free(r.log);
}

/* Memory calls not traced: the peak is still known (it comes from the exits). */
static void test_peak_without_mem_calls(void **st)
{
	(void)st;
	char a0[] = "true";
	char *argv[] = {a0, NULL};
	struct run r;
	init_run(&r, argv);
	add_exec(r.log, 1 * MS, 100, "/bin/true");
	add_exit(r.log, 2 * MS, 100, 1536 * 1024, true);
	r.peak_rss = 1536 * 1024;
	char *s = run_summary(&r, false);
	assert_non_null(strstr(s, " Memory:   Peak RSS 1.5 MiB (true, pid 100)   "
				  "mapped: not traced (-e trace= left these calls out)\n"));
	free(s);
	evlog_free(r.log);
}

/* An attached process's peak comes with its detach; the run's peak_rss alone (a log without exits) still shows. */
static void test_detach_and_run_peak(void **st)
{
	(void)st;
	char a0[] = "server";
	char *argv[] = {a0, NULL};
	struct run r;
	init_run(&r, argv);
	r.root_pid = 0;
	r.end = RUN_DETACHED;
	struct ev_draft d;
	ev_init(&d, EVT_DETACH, 9 * MS, 300, 300);
	ev_uint(&d, EVK_MAXRSS, 64 * MB);
	evlog_append(r.log, &d);
	r.peak_rss = 64 * MB;
	char *s = run_summary(&r, false);
	assert_non_null(strstr(s, " Memory:   Peak RSS 64.0 MiB (pid 300)   mapped: not traced"));
	assert_non_null(strstr(s, "  \u2192 still running, peak RSS 64.0 MiB\n"));
	free(s);
	evlog_free(r.log);

	init_run(&r, argv);
	r.peak_rss = 3 * MB;
	s = run_summary(&r, false);
	assert_non_null(strstr(s, " Memory:   Peak RSS 3.0 MiB   mapped: not traced"));
	free(s);
	evlog_free(r.log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peak_leads),
		cmocka_unit_test(test_peak_without_mem_calls),
		cmocka_unit_test(test_detach_and_run_peak),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
