/* SPDX-License-Identifier: MIT */
/* report_write: decode the written HTML back (meta JSON, gzip columns) and check it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "log/evlog.h"
#include "sinks/report.h"
#include "log/run.h"
#include "lib/util.h"

#include "report_page.h"


/* Column 'name' as u32 values (byte planes undone); *n gets the count. */
static uint32_t *col_u32(const struct report_page *d, const char *name, size_t *n)
{
	cJSON *l;
	cJSON_ArrayForEach(l, cJSON_GetObjectItem(d->meta, "layout"))
	{
		if (strcmp(cJSON_GetObjectItem(l, "name")->valuestring, name))
			continue;
		size_t off = (size_t)cJSON_GetObjectItem(l, "off")->valuedouble;
		*n = (size_t)cJSON_GetObjectItem(l, "n")->valuedouble;
		uint32_t *out = xcalloc(*n + 1, sizeof(*out));
		for (size_t i = 0; i < *n; i++)
			for (int b = 0; b < 4; b++)
				out[i] |= (uint32_t)d->raw[off + (size_t)b * *n + i] << (8 * b);
		return out;
	}
	fail_msg("no column %s", name);
	return NULL;
}

static bool has(const void *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

static char *tmp_path(const char *name)
{
	static char dir[64];
	if (!dir[0]) {
		strcpy(dir, "/tmp/report-unit.XXXXXX");
		assert_non_null(mkdtemp(dir));
	}
	return xasprintf("%s/%s", dir, name);
}

/* A NULL-terminated copy of n strings (the run's argv is not const). */
static char **dup_argv(const char *const *src, int n)
{
	char **v = xcalloc((size_t)n + 1, sizeof(*v));
	for (int i = 0; i < n; i++)
		v[i] = xstrdup(src[i]);
	return v;
}

static struct run *secret_run(void)
{
	struct run *r = xcalloc(1, sizeof(*r));
	r->log = evlog_new();
	static const char *const src[] = {"curl", "--token", "abc123SECRET", "https://bob:pw9@example.com/x",
					  "--password=hunter2"};
	char **argv = dup_argv(src, 5);
	r->argv = argv;
	r->argc = 5;
	r->mode = "trace";
	struct ev_draft d;
	uint32_t ids[5];
	for (int i = 0; i < 5; i++)
		ids[i] = evlog_intern_cstr(r->log, argv[i]);
	ev_init(&d, EVT_EXEC, 1000, 7, 7);
	ev_cstr(&d, r->log, EVK_PATH, "/usr/bin/curl");
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(r->log, ids, 5));
	evlog_append(r->log, &d);
	ev_init(&d, EVT_WRITE, 2000, 7, 7);
	ev_int(&d, EVK_FD, 3);
	ev_uint(&d, EVK_BYTES, 40);
	ev_cstr(&d, r->log, EVK_DATA, "GET / HTTP/1.1\r\nAuthorization: Bearer tok999\r\n");
	evlog_append(r->log, &d);
	ev_init(&d, EVT_OPEN, 3000, 7, 7);
	ev_cstr(&d, r->log, EVK_PATH, "/home/u/.env");
	ev_err(&d, 2);
	evlog_append(r->log, &d);
	return r;
}

static void run_free(struct run *r)
{
	evlog_free(r->log);
	for (int i = 0; r->argv && r->argv[i]; i++)
		free(r->argv[i]);
	free(r->argv);
	free(r->host);
	free(r);
}

static void test_redaction(void **state)
{
	(void)state;
	static const char *const secrets[] = {"abc123SECRET", "hunter2", "tok999", "bob:pw9"};
	struct run *r = secret_run();
	char *p = tmp_path("red.html");
	struct report_cfg cfg = {.mode = 0600};
	assert_int_equal(report_write(r, p, &cfg), 0);
	struct report_page d;
	report_page_load(p, &d);
	for (size_t i = 0; i < ARRAY_SIZE(secrets); i++) {
		assert_false(has(d.html, d.html_len, secrets[i]));
		assert_false(has(d.raw, d.raw_len, secrets[i]));
	}
	assert_true(has(d.raw, d.raw_len, "[REDACTED]"));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d.meta, "argv_redacted")));
	assert_true(cJSON_GetObjectItem(d.meta, "nredacted")->valuedouble >= 2);
	report_page_free(&d);

	cfg.no_redact = true;
	assert_int_equal(report_write(r, p, &cfg), 0);
	report_page_load(p, &d);
	for (size_t i = 0; i < ARRAY_SIZE(secrets); i++)
		assert_true(has(d.raw, d.raw_len, secrets[i]));
	assert_false(has(d.raw, d.raw_len, "[REDACTED]"));
	report_page_free(&d);
	unlink(p);
	free(p);
	run_free(r);
}

/* Strings in the meta JSON cannot end the script block or split lines. */
static void test_meta_is_script_safe(void **state)
{
	(void)state;
	struct run *r = xcalloc(1, sizeof(*r));
	r->log = evlog_new();
	static const char *const src[] = {"</script><script>alert(1)</script>", "<!--<script>", "a\xe2\x80\xa8" "b",
					  "bad\xff", "&amp;"};
	char **argv = dup_argv(src, 5);
	r->argv = argv;
	r->argc = 5;
	r->host = xstrdup("<b>host</b>");
	struct ev_draft d;
	ev_init(&d, EVT_OPEN, 10, 1, 1);
	ev_cstr(&d, r->log, EVK_PATH, "</script><svg onload=alert(2)>");
	evlog_append(r->log, &d);
	char *p = tmp_path("safe.html");
	struct report_cfg cfg = {.warnings = "line 3: </script><script>alert(4)</script>\n"};
	assert_int_equal(report_write(r, p, &cfg), 0);
	struct report_page d2;
	report_page_load(p, &d2);
	const char *mo = strstr(d2.html, "id=\"meta\">") + strlen("id=\"meta\">");
	const char *me = strstr(mo, "</script>");
	for (const char *c = mo; c < me; c++) {
		assert_true(*c != '<' && *c != '>' && *c != '&');
		assert_false((unsigned char)c[0] == 0xe2 && (unsigned char)c[1] == 0x80 &&
			     ((unsigned char)c[2] == 0xa8 || (unsigned char)c[2] == 0xa9));
	}
	/* the decoded values are the original text, \xNN for the invalid byte */
	cJSON *av = cJSON_GetObjectItem(d2.meta, "argv");
	assert_string_equal(cJSON_GetArrayItem(av, 0)->valuestring, argv[0]);
	assert_string_equal(cJSON_GetArrayItem(av, 3)->valuestring, "bad\\xff");
	assert_string_equal(cJSON_GetObjectItem(d2.meta, "warnings")->valuestring,
			    "line 3: </script><script>alert(4)</script>\n");
	/* only the template's scripts: meta, the data blocks, the code */
	int scripts = 0;
	for (const char *c = d2.html; (c = strstr(c, "<script")); c++)
		scripts++;
	assert_int_equal(scripts, 2 + d2.nblocks);
	/* <title> is entity-escaped */
	assert_true(has(d2.html, d2.html_len, "<title>compendium &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
	report_page_free(&d2);
	unlink(p);
	free(p);
	run_free(r);
}

/* Times survive the Δ encoding, including gaps over 4.29 s and reordering. */
static void test_times_and_order(void **state)
{
	(void)state;
	struct run *r = xcalloc(1, sizeof(*r));
	r->log = evlog_new();
	static const uint64_t ts[] = {5, 1000, 7000000000ull, 7000000001ull, 3000, 90000000000ull};
	struct ev_draft d;
	for (size_t i = 0; i < ARRAY_SIZE(ts); i++) {
		ev_init(&d, EVT_READ, ts[i], 9, 9);
		ev_uint(&d, EVK_BYTES, i == 2 ? 5000000000ull : i);
		ev_dur(&d, i == 1 ? 6000000000ull : 10);
		evlog_append(r->log, &d);
	}
	char *p = tmp_path("times.html");
	assert_int_equal(report_write(r, p, &(struct report_cfg){.mode = 0640}), 0);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	struct report_page dd;
	report_page_load(p, &dd);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(dd.meta, "sorted")));
	assert_int_equal((int)cJSON_GetObjectItem(dd.meta, "count")->valuedouble, 6);
	size_t n, nx;
	uint32_t *dt = col_u32(&dd, "dt", &n);
	uint32_t *txi = col_u32(&dd, "tx_i", &nx);
	assert_int_equal(n, 6);
	/* sorted: 5, 1000, 3000, 7e9, 7e9+1, 9e10; the two big gaps are escaped */
	assert_int_equal(dt[0], 5);
	assert_int_equal(dt[1], 995);
	assert_int_equal(dt[2], 2000);
	assert_int_equal(dt[3], 0xffffffffu);
	assert_int_equal(dt[4], 1);
	assert_int_equal(dt[5], 0xffffffffu);
	assert_int_equal(nx, 2);
	assert_int_equal(txi[0], 3);
	assert_int_equal(txi[1], 5);
	size_t nb, nd;
	uint32_t *bytes = col_u32(&dd, "bytes", &nb);
	uint32_t *dur = col_u32(&dd, "dur", &nd);
	assert_int_equal(bytes[3], 0xffffffffu); /* 5e9 bytes: escaped */
	assert_int_equal(dur[1], 0xffffffffu);   /* 6 s: escaped */
	assert_int_equal(dur[0], 10);
	free(dt);
	free(txi);
	free(bytes);
	free(dur);
	report_page_free(&dd);
	unlink(p);
	free(p);
	run_free(r);
}

/* meta.end_extra of a run, as compact JSON text (NULL when there is none). */
static char *end_extra_of(struct run *r, const char *name)
{
	char *p = tmp_path(name);
	assert_int_equal(report_write(r, p, &(struct report_cfg){0}), 0);
	struct report_page pg;
	report_page_load(p, &pg);
	cJSON *x = cJSON_GetObjectItem(pg.meta, "end_extra");
	char *s = x ? cJSON_PrintUnformatted(x) : NULL;
	report_page_free(&pg);
	unlink(p);
	free(p);
	return s;
}

/*
 * The --faults outcome in meta.end_extra is the same whether the probe
 * wrote it into r->end_extra as JSON or filled the typed r->faults.
 */
static void test_end_extra_faults(void **state)
{
	(void)state;
	static struct run_fault_top top[] = {{RUN_FR_FILE, (char *)"/lib/libc.so.6", 14, 9},
					     {RUN_FR_HEAP, NULL, 0, 4}};
	struct run_faults f = {.present = true, .minor = 40, .major = 2, .region = {4, 20, 18, 0, 0},
			       .sampled = 13, .have_logged = true, .logged = 13, .top = top, .ntop = 2};
	struct run *r = xcalloc(1, sizeof(*r));
	r->log = evlog_new();
	assert_null(end_extra_of(r, "none.html"));

	/* before: the probe's member first in the raw extras */
	run_faults_json(&r->end_extra, &f);
	buf_adds(&r->end_extra, ",\"samples_dropped\":2");
	char *raw = end_extra_of(r, "raw.html");
	/* after: the typed faults and the rest of the raw extras */
	buf_free(&r->end_extra);
	buf_adds(&r->end_extra, "\"samples_dropped\":2");
	r->faults = f;
	char *typed = end_extra_of(r, "typed.html");
	assert_non_null(raw);
	assert_non_null(typed);
	assert_string_equal(raw, typed);
	assert_non_null(strstr(typed, "\"faults\":{\"total\":42,\"minor\":40"));
	assert_non_null(strstr(typed, "\"samples_dropped\":2}"));
	free(typed);

	/* typed faults alone, and unavailable */
	buf_free(&r->end_extra);
	typed = end_extra_of(r, "alone.html");
	assert_non_null(strstr(typed, "{\"faults\":{\"total\":42,"));
	free(typed);
	r->faults = (struct run_faults){.present = true, .unavailable = (char *)"perf_event_open failed"};
	typed = end_extra_of(r, "unavail.html");
	assert_string_equal(typed, "{\"faults\":{\"unavailable\":\"perf_event_open failed\"}}");
	free(typed);
	free(raw);
	r->faults = (struct run_faults){0};
	run_free(r);
}

static void test_check_path(void **state)
{
	(void)state;
	char *dir = tmp_path("");
	assert_int_equal(report_check_path(dir), -EISDIR);
	char *missing = tmp_path("no/such/r.html");
	assert_int_equal(report_check_path(missing), -ENOENT);
	char *link = tmp_path("dangling.html");
	char *target = tmp_path("nowhere/x");
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(report_check_path(link), -ENOENT);
	char *good = tmp_path("good.html");
	assert_int_equal(report_check_path(good), 0);
	assert_int_equal(access(good, F_OK), -1); /* the probe left nothing */
	unlink(link);
	free(dir);
	free(missing);
	free(link);
	free(target);
	free(good);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redaction),
		cmocka_unit_test(test_meta_is_script_safe),
		cmocka_unit_test(test_times_and_order),
		cmocka_unit_test(test_end_extra_faults),
		cmocka_unit_test(test_check_path),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char *dir = tmp_path("");
	rmdir(dir);
	free(dir);
	return rc;
}
