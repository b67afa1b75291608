/* SPDX-License-Identifier: MIT */
/* Unit tests of the summary's "Files written": files followed through rename, link and unlink. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sinks/summary.h"
#include "summary_text.h"

static bool all_selected(void *ctx, unsigned nr)
{
	(void)ctx, (void)nr;
	return true;
}

static char *run_summary(struct run *r)
{
	struct summary_cfg cfg = {.traced = summary_traced(all_selected, NULL)};
	return summary_text(r, &cfg);
}

static uint64_t now;

static void wr(struct evlog *log, const char *path, uint64_t bytes)
{
	struct ev_draft d;
	ev_init(&d, EVT_WRITE, ++now, 100, 100);
	ev_int(&d, EVK_FD, 3);
	ev_cstr(&d, log, EVK_PATH, path);
	ev_uint(&d, EVK_BYTES, bytes);
	evlog_append(log, &d);
}

static void op(struct evlog *log, unsigned type, const char *path, const char *new_path, int err,
	       const char *flags, bool replaced, bool noise)
{
	struct ev_draft d;
	ev_init(&d, type, ++now, 100, 100);
	ev_cstr(&d, log, EVK_PATH, path);
	if (new_path)
		ev_cstr(&d, log, EVK_NEW_PATH, new_path);
	if (flags)
		ev_cstr(&d, log, EVK_FLAGS, flags);
	if (type == EVT_RENAME && !err)
		ev_bool(&d, EVK_REPLACED, replaced);
	if (type == EVT_OPEN && !err)
		ev_int(&d, EVK_FD, 3);
	if (err)
		ev_err(&d, err);
	if (noise)
		d.h.flags |= EVFL_NOISE;
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
	r->t_end = 1000;
	now = 0;
}

/* The block from "label" to the next line that does not start with three spaces. */
static char *section(const char *s, const char *label)
{
	const char *p = strstr(s, label);
	if (!p)
		return xstrdup("(missing)");
	const char *e = strchr(p, '\n');
	while (e && !strncmp(e + 1, "   ", 3))
		e = strchr(e + 1, '\n');
	return xstrndup(p, e ? (size_t)(e - p) + 1 : strlen(p));
}

static void check(const char *s, const char *label, const char *want)
{
	char *got = section(s, label);
	assert_string_equal(got, want);
	free(got);
}

static void test_renames_and_links(void **st)
{
	(void)st;
	char a0[] = "x";
	char *argv[] = {a0, NULL};
	struct run r;
	init_run(&r, argv);
	struct evlog *log = r.log;
	/* git: index.lock renamed over the index; an object linked from tmp_obj_, then unlinked */
	op(log, EVT_OPEN, "/r/.git/index.lock", NULL, 0, "O_RDWR|O_CREAT|O_EXCL", false, false);
	wr(log, "/r/.git/index.lock", 117);
	wr(log, "/r/.git/index.lock", 20);
	op(log, EVT_RENAME, "/r/.git/index.lock", "/r/.git/index", 0, NULL, true, false);
	op(log, EVT_OPEN, "/r/.git/objects/0d/tmp_obj_abc", NULL, 0, "O_RDWR|O_CREAT|O_EXCL", false, false);
	wr(log, "/r/.git/objects/0d/tmp_obj_abc", 50);
	op(log, EVT_LINK, "/r/.git/objects/0d/tmp_obj_abc", "/r/.git/objects/0d/8a47", 0, NULL, false, false);
	op(log, EVT_UNLINK, "/r/.git/objects/0d/tmp_obj_abc", NULL, 0, NULL, false, false);
	/* a lock created, never written, removed: not a deletion worth listing */
	op(log, EVT_OPEN, "/r/.git/HEAD.lock", NULL, 0, "O_RDWR|O_CREAT|O_EXCL", false, false);
	op(log, EVT_UNLINK, "/r/.git/HEAD.lock", NULL, 0, NULL, false, false);
	/* a chain of renames: the bytes went in under the first name */
	wr(log, "/w/a.part", 10);
	op(log, EVT_RENAME, "/w/a.part", "/w/b.part", 0, NULL, false, false);
	wr(log, "/w/b.part", 5); /* the fd follows the file */
	op(log, EVT_RENAME, "/w/b.part", "/out/final", 0, NULL, false, false);
	/* a failed rename changes nothing */
	wr(log, "/w/stay", 3);
	op(log, EVT_RENAME, "/w/stay", "/nodir/x", ENOENT, NULL, false, false);
	/* a hard link kept: two names */
	wr(log, "/w/one", 4);
	op(log, EVT_LINK, "/w/one", "/w/two", 0, NULL, false, false);
	/* written, then another file renamed over it: the first is gone */
	wr(log, "/w/out.txt", 100);
	wr(log, "/w/out.txt.new", 60);
	op(log, EVT_RENAME, "/w/out.txt.new", "/w/out.txt", 0, NULL, true, false);
	/* written, unlinked, written again through its fd: one temporary */
	wr(log, "/w/scratch", 7);
	op(log, EVT_UNLINK, "/w/scratch", NULL, 0, NULL, false, false);
	wr(log, "/w/scratch (deleted)", 8);
	/* an O_TMPFILE linked into place, another never linked */
	wr(log, "/tmp/#1234 (deleted)", 9);
	op(log, EVT_LINK, "/tmp/#1234 (deleted)", "/tmp/placed", 0, NULL, false, false);
	wr(log, "/tmp/#1235 (deleted)", 11);
	/* a second O_TMPFILE given the first one's inode number: another file */
	struct ev_draft d;
	ev_init(&d, EVT_OPEN, ++now, 100, 100);
	ev_cstr(&d, log, EVK_PATH, "/tmp");
	ev_int(&d, EVK_FD, 4);
	ev_cstr(&d, log, EVK_FLAGS, "O_RDWR|O_EXCL|O_TMPFILE");
	ev_cstr(&d, log, EVK_FD_PATH, "/tmp/#1235 (deleted)");
	evlog_append(log, &d);
	wr(log, "/tmp/#1235 (deleted)", 13);
	/* a directory renamed after files were written in it */
	wr(log, "/w/stage/lib/x.so", 30);
	op(log, EVT_RENAME, "/w/stage", "/w/installed", 0, NULL, false, false);
	/* RENAME_EXCHANGE swaps the names' files */
	wr(log, "/w/swap-a", 2);
	wr(log, "/w/swap-b", 1);
	op(log, EVT_RENAME, "/w/swap-a", "/w/swap-b", 0, "RENAME_EXCHANGE", false, false);
	/* deletions of files not written here; a noise one is not listed */
	op(log, EVT_UNLINK, "/w/old.txt", NULL, 0, NULL, false, false);
	/* ld's way: the old output unlinked, a new one written under its name */
	op(log, EVT_UNLINK, "/w/a.out", NULL, 0, NULL, false, false);
	wr(log, "/w/a.out", 6000);
	op(log, EVT_UNLINK, "/w/missing", NULL, ENOENT, NULL, false, false);
	op(log, EVT_UNLINK, "/dev/shm/sem.x", NULL, 0, NULL, false, true);
	char *s = run_summary(&r);
	check(s, " Files written",
	      " Files written (11 files, top 10 by bytes):\n"
	      "      5.9 KiB  /w/a.out (replaced the old file)\n"
	      "        137 B  /r/.git/index (2 calls, via index.lock, replaced the old file)\n"
	      "         60 B  /w/out.txt (via out.txt.new, replaced the old file)\n"
	      "         50 B  /r/.git/objects/0d/8a47 (via tmp_obj_abc)\n"
	      "         30 B  /w/installed/lib/x.so (via /w/stage/lib/x.so)\n"
	      "         15 B  /out/final (2 calls, via /w/a.part)\n"
	      "          9 B  /tmp/placed (via O_TMPFILE)\n"
	      "          4 B  /w/two (also /w/one)\n"
	      "          3 B  /w/stay\n"
	      "          2 B  /w/swap-b (via swap-a)\n");
	check(s, " Temporary files",
	      " Temporary files (written, then deleted): 4 files, 139 B\n"
	      "        100 B  /w/out.txt (replaced by a rename)\n"
	      "         15 B  /w/scratch (2 calls)\n"
	      "         13 B  /tmp/#1235 (deleted)\n"
	      "         11 B  /tmp/#1235 (deleted)\n");
	check(s, " Deleted", " Deleted (not written here): /w/old.txt\n");
	assert_null(strstr(s, "tmp_obj_abc\n"));
	assert_null(strstr(s, "HEAD.lock"));
	assert_non_null(strstr(s, "Files read 0 B   written 6.3 KiB"));
	free(s);
	evlog_free(r.log);
}

/* Many temporaries and deletions: a few shown, the rest counted. */
static void test_many_temporaries(void **st)
{
	(void)st;
	char a0[] = "cc";
	char *argv[] = {a0, NULL};
	struct run r;
	init_run(&r, argv);
	char p[64];
	for (int i = 0; i < 8; i++) {
		snprintf(p, sizeof(p), "/tmp/cc%d.s", i);
		wr(r.log, p, (uint64_t)(100 + i));
		op(r.log, EVT_UNLINK, p, NULL, 0, NULL, false, false);
		snprintf(p, sizeof(p), "/w/gone%d", i);
		op(r.log, EVT_UNLINK, p, NULL, 0, NULL, false, false);
	}
	char *s = run_summary(&r);
	assert_null(strstr(s, " Files written"));
	check(s, " Temporary files",
	      " Temporary files (written, then deleted): 8 files, 828 B\n"
	      "        107 B  /tmp/cc7.s\n"
	      "        106 B  /tmp/cc6.s\n"
	      "        105 B  /tmp/cc5.s\n"
	      "        104 B  /tmp/cc4.s\n"
	      "        103 B  /tmp/cc3.s\n"
	      "   ... and 3 more\n");
	check(s, " Deleted",
	      " Deleted (not written here): /w/gone0, /w/gone1, /w/gone2, /w/gone3, /w/gone4 ... and 3 more\n");
	free(s);
	evlog_free(r.log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_renames_and_links),
		cmocka_unit_test(test_many_temporaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
