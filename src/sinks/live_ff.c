/* SPDX-License-Identifier: MIT */
/*
 * live_ff: -ff -o FILE, the narrative split into one file per traced
 * thread, FILE.TID, as strace -ff writes them (strace names a file after
 * the tracee's tid: a thread gets its own file).
 *
 * A make -j run has thousands of processes, so no file stays open: each
 * thread's lines wait in a buffer of their own, and a flush opens the file,
 * appends and closes it. Files are flushed at the thread's exit, when the
 * buffers together pass LIVE_FF_FLUSH_AT, when the narrator flushes on
 * time, and at the end. A file is created 0600 and truncated the first time
 * its tid is seen in this run (a tid reused later appends to it), without
 * following a symlink in its final component (O_NOFOLLOW). Each file that
 * cannot be written is said once, with its name; past LIVE_FF_MAX_WARN such
 * files the rest are counted and said at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/msg.h"
#include "lib/u64map.h"
#include "lib/util.h"
#include "sinks/live_int.h"

#define LIVE_FF_FLUSH_AT (256u << 10) /* bytes buffered over all files */
#define LIVE_FF_MAX_WARN 8            /* files whose write error is said */

struct ff_file {
	int tid;
	bool created; /* truncated once in this run: later flushes append */
	bool failed;  /* its error was said (or counted): nothing more is written */
	bool dirty;   /* in the dirty list */
	struct buf out;
};

struct live_ff {
	char *base;
	struct ff_file *files;
	size_t nfiles, cap;
	struct u64map idx; /* tid -> index + 1 */
	uint32_t *dirty;   /* indexes of files with buffered lines */
	size_t ndirty, dirty_cap;
	size_t buffered;
	unsigned nwarned, nfailed;
};

struct live_ff *live_ff_new(const char *base)
{
	struct live_ff *f = xcalloc(1, sizeof(*f));
	f->base = xstrdup(base);
	return f;
}

static struct ff_file *file_of(struct live_ff *f, int tid)
{
	uint32_t *v = u64map_slot(&f->idx, (uint64_t)(uint32_t)tid);
	if (*v)
		return &f->files[*v - 1];
	if (f->nfiles == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->files = xreallocarray(f->files, f->cap, sizeof(*f->files));
	}
	f->files[f->nfiles] = (struct ff_file){.tid = tid};
	*v = (uint32_t)++f->nfiles;
	return &f->files[f->nfiles - 1];
}

static void say_failed(struct live_ff *f, const char *path, int err)
{
	f->nfailed++;
	if (f->nwarned >= LIVE_FF_MAX_WARN)
		return;
	f->nwarned++;
	warnmsg("-ff %s: cannot write: %s; this process's narrative is incomplete", path,
		strerror(err));
}

/* Append the file's buffered lines to FILE.TID and free the buffer. */
static void write_file(struct live_ff *f, struct ff_file *ff)
{
	f->buffered -= ff->out.len;
	if (ff->out.len && !ff->failed) {
		char *path = xasprintf("%s.%d", f->base, ff->tid);
		int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
			    (ff->created ? O_APPEND : O_TRUNC);
		int fd = open(path, flags, 0600);
		int rc = fd < 0 ? -errno : write_all(fd, ff->out.data, ff->out.len);
		if (fd >= 0 && close(fd) < 0 && rc == 0)
			rc = -errno;
		ff->created = true;
		if (rc < 0) {
			ff->failed = true;
			say_failed(f, path, -rc);
		}
		free(path);
	}
	buf_free(&ff->out);
}

void live_ff_add(struct live_ff *f, int tid, const char *s, size_t n)
{
	struct ff_file *ff = file_of(f, tid);
	if (!ff->dirty) {
		if (f->ndirty == f->dirty_cap) {
			f->dirty_cap = f->dirty_cap ? f->dirty_cap * 2 : 64;
			f->dirty = xreallocarray(f->dirty, f->dirty_cap, sizeof(*f->dirty));
		}
		f->dirty[f->ndirty++] = (uint32_t)(ff - f->files);
		ff->dirty = true;
	}
	buf_add(&ff->out, s, n);
	f->buffered += n;
	if (f->buffered >= LIVE_FF_FLUSH_AT)
		live_ff_flush_all(f);
}

void live_ff_flush_tid(struct live_ff *f, int tid)
{
	uint32_t *v = u64map_slot(&f->idx, (uint64_t)(uint32_t)tid);
	if (!*v)
		return; /* nothing narrated for it (the slot left at 0 stays free) */
	struct ff_file *ff = &f->files[*v - 1];
	if (ff->out.len)
		write_file(f, ff); /* stays in the dirty list, now empty */
}

void live_ff_flush_all(struct live_ff *f)
{
	for (size_t i = 0; i < f->ndirty; i++) {
		struct ff_file *ff = &f->files[f->dirty[i]];
		write_file(f, ff);
		ff->dirty = false;
	}
	f->ndirty = 0;
}

unsigned live_ff_free(struct live_ff *f)
{
	if (!f)
		return 0;
	live_ff_flush_all(f);
	if (f->nfailed > f->nwarned)
		warnmsg("-ff %s.*: %u more narrative files could not be written", f->base,
			f->nfailed - f->nwarned);
	free(f->files);
	free(f->dirty);
	u64map_free(&f->idx);
	unsigned nfailed = f->nfailed;
	free(f->base);
	free(f);
	return nfailed;
}
