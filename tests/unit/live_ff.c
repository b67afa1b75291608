/* SPDX-License-Identifier: MIT */
/* Unit tests of -ff's per-thread narrative files (sinks/live_ff.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sinks/live_int.h"

static char dir[] = "/tmp/compendium-ff.XXXXXX";

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *s = xcalloc(1, 4096);
	size_t n = fread(s, 1, 4095, f);
	s[n] = 0;
	fclose(f);
	return s;
}

/* FILE.TID per thread, 0600, lines in order; a flush appends; a tid seen again in the run appends. */
static void test_files(void **state)
{
	(void)state;
	char *base = xasprintf("%s/n", dir), *p1 = xasprintf("%s.101", base), *p2 = xasprintf("%s.102", base);
	FILE *old = fopen(p1, "w"); /* a file from an earlier run is truncated */
	fputs("stale\n", old);
	fclose(old);
	struct live_ff *f = live_ff_new(base);
	live_ff_add(f, 101, "a\n", 2);
	live_ff_add(f, 102, "x\n", 2);
	live_ff_flush_tid(f, 101);
	live_ff_add(f, 101, "b\n", 2);
	live_ff_flush_all(f);
	live_ff_add(f, 101, "c\n", 2);
	live_ff_free(f);
	char *s1 = slurp(p1), *s2 = slurp(p2);
	assert_string_equal(s1, "a\nb\nc\n");
	assert_string_equal(s2, "x\n");
	struct stat st;
	assert_int_equal(stat(p2, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	unlink(p1);
	unlink(p2);
	free(s1);
	free(s2);
	free(p1);
	free(p2);
	free(base);
}

/* A symlink planted at FILE.TID is not followed: its target stays untouched. */
static void test_symlink(void **state)
{
	(void)state;
	char *base = xasprintf("%s/n", dir), *link = xasprintf("%s.7", base),
	     *target = xasprintf("%s/target", dir);
	FILE *t = fopen(target, "w");
	fputs("keep\n", t);
	fclose(t);
	assert_int_equal(symlink(target, link), 0);
	struct live_ff *f = live_ff_new(base);
	live_ff_add(f, 7, "line\n", 5);
	live_ff_add(f, 8, "other\n", 6);
	live_ff_free(f); /* warns once about n.7; n.8 is written */
	char *s = slurp(target), *s8 = xasprintf("%s.8", base), *o = slurp(s8);
	assert_string_equal(s, "keep\n");
	assert_string_equal(o, "other\n");
	unlink(link);
	unlink(target);
	unlink(s8);
	free(s);
	free(o);
	free(s8);
	free(link);
	free(target);
	free(base);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_symlink),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
