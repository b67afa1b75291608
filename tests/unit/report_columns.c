/* SPDX-License-Identifier: MIT */
/* report_columns: the report's column sections decode to the events, across blocks, widths and pieces. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "log/evlog.h"
#include "sinks/report.h"
#include "log/run.h"
#include "lib/util.h"

#include "report_page.h"


static cJSON *layout_of(const struct report_page *pg, const char *name)
{
	cJSON *l;
	cJSON_ArrayForEach(l, cJSON_GetObjectItem(pg->meta, "layout"))
		if (!strcmp(cJSON_GetObjectItem(l, "name")->valuestring, name))
			return l;
	fail_msg("no column %s", name);
	return NULL;
}

static const char *type_of(const struct report_page *pg, const char *name)
{
	return cJSON_GetObjectItem(layout_of(pg, name), "type")->valuestring;
}

/* An integer column of any stored width, byte planes undone. */
static uint64_t *col(const struct report_page *pg, const char *name, size_t *n)
{
	cJSON *l = layout_of(pg, name);
	const char *type = cJSON_GetObjectItem(l, "type")->valuestring;
	size_t off = (size_t)cJSON_GetObjectItem(l, "off")->valuedouble;
	*n = (size_t)cJSON_GetObjectItem(l, "n")->valuedouble;
	size_t w = !strcmp(type, "u8") ? 1 : !strcmp(type, "u16") ? 2 : !strcmp(type, "u32") ? 4 : 8;
	assert_true(off + w * *n <= pg->raw_len);
	uint64_t *out = xcalloc(*n + 1, sizeof(*out));
	for (size_t i = 0; i < *n; i++)
		for (size_t b = 0; b < w; b++)
			out[i] |= (uint64_t)pg->raw[off + b * *n + i] << (8 * b);
	return out;
}

/* String id -> text, from the string table (the last section). */
static char **strings(const struct report_page *pg, size_t *n)
{
	cJSON *l = layout_of(pg, "strings");
	size_t off = (size_t)cJSON_GetObjectItem(l, "off")->valuedouble;
	size_t len = (size_t)cJSON_GetObjectItem(l, "n")->valuedouble;
	assert_int_equal(off + len, pg->raw_len);
	*n = (size_t)cJSON_GetObjectItem(pg->meta, "nstrings")->valuedouble;
	char **v = xcalloc(*n + 2, sizeof(*v));
	const char *p = (const char *)pg->raw + off, *end = p + len;
	for (size_t id = 1; id <= *n; id++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		v[id] = xstrndup(p, (size_t)(e - p));
		p = nl ? nl + 1 : end;
	}
	return v;
}

static void strings_free(char **v, size_t n)
{
	for (size_t i = 0; i <= n; i++)
		free(v[i]);
	free(v);
}

/* Sections are 8-aligned, back to back, the string table last. */
static void check_layout(const struct report_page *pg)
{
	size_t off = 0, last_off = 0;
	cJSON *l;
	const char *last = NULL;
	cJSON_ArrayForEach(l, cJSON_GetObjectItem(pg->meta, "layout"))
	{
		size_t o = (size_t)cJSON_GetObjectItem(l, "off")->valuedouble;
		assert_int_equal(o % 8, 0);
		assert_true(o >= off);
		off = o;
		last_off = o;
		last = cJSON_GetObjectItem(l, "name")->valuestring;
	}
	assert_string_equal(last, "strings");
	assert_true(last_off <= pg->raw_len);
}

static char *tmp_path(const char *name)
{
	static char dir[64];
	if (!dir[0]) {
		strcpy(dir, "/tmp/report-columns.XXXXXX");
		assert_non_null(mkdtemp(dir));
	}
	return xasprintf("%s/%s", dir, name);
}

static struct run *new_run(void)
{
	struct run *r = xcalloc(1, sizeof(*r));
	r->log = evlog_new();
	r->mode = "trace";
	return r;
}

static void run_free(struct run *r)
{
	evlog_free(r->log);
	free(r);
}

/*
 * More events than one block (64K), new threads and event types only near
 * the end (the u8 guess for th and type must be undone), more string
 * table than one piece: every column still decodes to its event.
 */
static void test_blocks_and_widening(void **state)
{
	(void)state;
	enum { N = 3 * 65536 + 777, LATE = 3 * 65536 };
	struct run *r = new_run();
	struct ev_draft d;
	char path[96];
	for (uint32_t i = 0; i < N; i++) {
		/* 10 threads, then 300 more; a few types, then 300 run-time ones */
		int pid = i < LATE ? 100 + (int)(i % 5) : 1000 + (int)(i % 300);
		int tid = i < LATE ? pid + (int)(i % 2) : pid;
		uint64_t t = 1000 + (uint64_t)i * 7;
		if (i >= LATE && i % 3 == 0) {
			snprintf(path, sizeof(path), "late_type_%u", i / 3 % 300);
			ev_init(&d, evtype_intern(path), t, pid, tid);
			ev_uint(&d, EVK_COUNT, i);
		} else if (i % 4 == 0) {
			ev_init(&d, EVT_OPEN, t, pid, tid);
			snprintf(path, sizeof(path), "/srv/data/a-rather-long-directory-name/file-%u.dat", i);
			ev_cstr(&d, r->log, EVK_PATH, path);
			ev_int(&d, EVK_FD, 3);
		} else {
			ev_init(&d, i % 4 == 1 ? EVT_READ : EVT_WRITE, t, pid, tid);
			ev_int(&d, EVK_FD, 3);
			ev_uint(&d, EVK_BYTES, i % 70000);
			ev_dur(&d, i);
		}
		evlog_append(r->log, &d);
	}
	char *p = tmp_path("blocks.html");
	assert_int_equal(report_write(r, p, &(struct report_cfg){.mode = 0600}), 0);
	struct report_page pg;
	report_page_load(p, &pg);
	check_layout(&pg);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(pg.meta, "sorted")));
	assert_int_equal((size_t)cJSON_GetObjectItem(pg.meta, "count")->valuedouble, N);
	assert_string_equal(type_of(&pg, "th"), "u16");
	assert_string_equal(type_of(&pg, "type"), "u16");
	assert_string_equal(type_of(&pg, "dt"), "u32");
	assert_true(cJSON_GetObjectItem(layout_of(&pg, "strings"), "n")->valuedouble > 3 * (512 << 10));

	size_t n, nth, nty, nb, nd, np, nstr;
	uint64_t *dt = col(&pg, "dt", &n);
	uint64_t *th = col(&pg, "th", &nth);
	uint64_t *ty = col(&pg, "type", &nty);
	uint64_t *bytes = col(&pg, "bytes", &nb);
	uint64_t *dur = col(&pg, "dur", &nd);
	uint64_t *pth = col(&pg, "path", &np);
	char **s = strings(&pg, &nstr);
	assert_int_equal(n, N);
	assert_int_equal(nth, N);
	assert_int_equal(nty, N);
	cJSON *thr = cJSON_GetObjectItem(pg.meta, "threads");
	cJSON *types = cJSON_GetObjectItem(pg.meta, "types");
	assert_int_equal(cJSON_GetArraySize(thr), 2 * 310);
	/* cJSON arrays are lists: index them once */
	int thv[2 * 310];
	const char *tyname[400];
	int nty_meta = cJSON_GetArraySize(types);
	assert_true(nty_meta > 256 && nty_meta <= 400);
	for (int k = 0; k < 2 * 310; k++)
		thv[k] = cJSON_GetArrayItem(thr, k)->valueint;
	for (int k = 0; k < nty_meta; k++)
		tyname[k] = cJSON_GetObjectItem(cJSON_GetArrayItem(types, k), "name")->valuestring;
	uint64_t t = 0;
	for (uint32_t i = 0; i < N; i++) {
		int pid = i < LATE ? 100 + (int)(i % 5) : 1000 + (int)(i % 300);
		int tid = i < LATE ? pid + (int)(i % 2) : pid;
		t += dt[i];
		assert_int_equal(t, 1000 + (uint64_t)i * 7);
		assert_true(th[i] < 310 && ty[i] < (uint64_t)nty_meta);
		assert_int_equal(thv[2 * th[i]], pid);
		assert_int_equal(thv[2 * th[i] + 1], tid);
		const char *tn = tyname[ty[i]];
		if (i >= LATE && i % 3 == 0) {
			snprintf(path, sizeof(path), "late_type_%u", i / 3 % 300);
			assert_string_equal(tn, path);
		} else if (i % 4 == 0) {
			assert_string_equal(tn, "open");
			snprintf(path, sizeof(path), "/srv/data/a-rather-long-directory-name/file-%u.dat", i);
			assert_true(pth[i] >= 1 && pth[i] <= nstr);
			assert_string_equal(s[pth[i]], path);
		} else {
			assert_string_equal(tn, i % 4 == 1 ? "read" : "write");
			assert_int_equal(bytes[i], i % 70000);
			assert_int_equal(dur[i], i);
		}
	}
	free(dt);
	free(th);
	free(ty);
	free(bytes);
	free(dur);
	free(pth);
	strings_free(s, nstr);
	report_page_free(&pg);
	unlink(p);
	free(p);
	run_free(r);
}

/* Few threads and types: one byte each. */
static void test_narrow(void **state)
{
	(void)state;
	struct run *r = new_run();
	struct ev_draft d;
	for (int i = 0; i < 1000; i++) {
		ev_init(&d, i % 2 ? EVT_READ : EVT_CLOSE, (uint64_t)i, 7, 7 + i % 3);
		ev_int(&d, EVK_FD, i % 9);
		evlog_append(r->log, &d);
	}
	char *p = tmp_path("narrow.html");
	assert_int_equal(report_write(r, p, &(struct report_cfg){.mode = 0600}), 0);
	struct report_page pg;
	report_page_load(p, &pg);
	check_layout(&pg);
	assert_string_equal(type_of(&pg, "th"), "u8");
	assert_string_equal(type_of(&pg, "type"), "u8");
	size_t n, nstr;
	uint64_t *th = col(&pg, "th", &n);
	uint64_t *str = col(&pg, "str", &n);
	char **s = strings(&pg, &nstr);
	cJSON *thr = cJSON_GetObjectItem(pg.meta, "threads");
	for (int i = 0; i < 1000; i++) {
		char want[16];
		snprintf(want, sizeof(want), "fd=%d", i % 9);
		assert_int_equal(cJSON_GetArrayItem(thr, (int)(2 * th[i] + 1))->valueint, 7 + i % 3);
		assert_string_equal(s[str[i]], want);
	}
	assert_int_equal(nstr, 9);
	free(th);
	free(str);
	strings_free(s, nstr);
	report_page_free(&pg);
	unlink(p);
	free(p);
	run_free(r);
}

/* No events: every section is there and empty, the stream still ends. */
static void test_empty(void **state)
{
	(void)state;
	struct run *r = new_run();
	char *p = tmp_path("empty.html");
	assert_int_equal(report_write(r, p, &(struct report_cfg){.mode = 0600}), 0);
	struct report_page pg;
	report_page_load(p, &pg);
	check_layout(&pg);
	assert_int_equal(pg.raw_len, 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(pg.meta, "layout")), 23);
	cJSON *l;
	cJSON_ArrayForEach(l, cJSON_GetObjectItem(pg.meta, "layout"))
		assert_int_equal(cJSON_GetObjectItem(l, "n")->valuedouble, 0);
	report_page_free(&pg);
	unlink(p);
	free(p);
	run_free(r);
}

/* The compressed data does not depend on which thread finished first. */
static void test_deterministic(void **state)
{
	(void)state;
	struct run *r = new_run();
	struct ev_draft d;
	char path[64];
	for (uint32_t i = 0; i < 200000; i++) {
		ev_init(&d, EVT_OPEN, i * 13ull, 50 + (int)(i % 7), 50 + (int)(i % 7));
		snprintf(path, sizeof(path), "/tmp/f%u", i % 40000);
		ev_cstr(&d, r->log, EVK_PATH, path);
		ev_uint(&d, EVK_RSS, (uint64_t)i * 4096);
		evlog_append(r->log, &d);
	}
	char *p1 = tmp_path("det1.html"), *p2 = tmp_path("det2.html");
	assert_int_equal(report_write(r, p1, &(struct report_cfg){.mode = 0600}), 0);
	assert_int_equal(report_write(r, p2, &(struct report_cfg){.mode = 0600}), 0);
	struct report_page a, b;
	report_page_load(p1, &a);
	report_page_load(p2, &b);
	assert_int_equal(a.data.len, b.data.len);
	assert_memory_equal(a.data.data, b.data.data, a.data.len);
	assert_int_equal(a.html_len, b.html_len);
	assert_memory_equal(a.html, b.html, a.html_len);
	report_page_free(&a);
	report_page_free(&b);
	unlink(p1);
	unlink(p2);
	free(p1);
	free(p2);
	run_free(r);
}

/* More than 12 MiB of gzip: several <script> blocks, each decoding on its own. */
static void test_many_blocks(void **state)
{
	(void)state;
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	struct run *r = new_run();
	struct ev_draft d;
	char name[128];
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	enum { N = 200000 };
	for (uint32_t i = 0; i < N; i++) {
		/* names that do not compress much: 5.95 bits a byte */
		for (int k = 0; k < 100; k++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			name[k] = alnum[seed % 62];
		}
		name[100] = 0;
		ev_init(&d, EVT_OPEN, i, 3, 3);
		ev_cstr(&d, r->log, EVK_PATH, name);
		evlog_append(r->log, &d);
	}
	char *p = tmp_path("big.html");
	assert_int_equal(report_write(r, p, &(struct report_cfg){.mode = 0600}), 0);
	struct report_page pg;
	report_page_load(p, &pg);
	assert_true(pg.data.len > 12u << 20);
	int blocks = 0;
	const char *bo = "<script type=\"application/octet-stream\" class=\"trace-data\">";
	for (const char *b = strstr(pg.html, bo); b; b = strstr(b, bo)) {
		b += strlen(bo);
		const char *e = strstr(b, "</script>");
		/* a whole number of base64 quads, padding only at the very end */
		assert_int_equal((e - b) % 4, 0);
		assert_true(e - b <= 16 << 20);
		const char *eq = memchr(b, '=', (size_t)(e - b));
		assert_true(!eq || eq >= e - 2);
		blocks++;
	}
	assert_true(blocks >= 2);
	size_t n, nstr;
	uint64_t *pth = col(&pg, "path", &n);
	char **s = strings(&pg, &nstr);
	assert_int_equal(n, N);
	assert_int_equal(nstr, N);
	assert_int_equal(strlen(s[pth[N - 1]]), 100);
	assert_memory_equal(s[pth[N - 1]], name, 100);
	free(pth);
	strings_free(s, nstr);
	report_page_free(&pg);
	unlink(p);
	free(p);
	run_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_and_widening),
		cmocka_unit_test(test_narrow),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_many_blocks),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char *dir = tmp_path("");
	rmdir(dir);
	free(dir);
	return rc;
}
