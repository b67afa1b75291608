// SPDX-License-Identifier: MIT
/*
 * decode_share: fd tables and cwds that follow CLONE_FILES, CLONE_FS and
 * unshare(2) exactly. Threads of a process normally share its state
 * (proc->dec); a thread created without CLONE_FILES or CLONE_FS (a raw
 * clone), or one that called unshare(CLONE_FILES|CLONE_FS) or
 * close_range(CLOSE_RANGE_UNSHARE) while others shared its table, gets its
 * own state (task->dec) holding its own copy, so that fd 3 of one thread
 * is never named after fd 3 of another. Copies are copy-on-write
 * (fdtable.c): a split costs a reference until one side changes.
 */
#include <sched.h>
#include <stdlib.h>

#include "decode/decode.h"
#include "decode/decode_int.h"

struct decode_proc *dec_state(struct task *t)
{
	return t->dec ? t->dec : dec_proc(t->proc);
}

/* A thread's own state, sharing everything with from until told otherwise. */
static struct decode_proc *state_from(struct decode_proc *from)
{
	struct decode_proc *dp = xcalloc(1, sizeof(*dp));
	dp->fds = fdtable_ref(from->fds);
	dp->fs = from->fs;
	dp->fs->refs++;
	dp->mm = memmap_ref(from->mm);
	return dp;
}

void dec_state_free(struct decode_proc *dp)
{
	if (!dp)
		return;
	fdtable_unref(dp->fds);
	dec_fs_unref(dp->fs);
	memmap_unref(dp->mm);
	free(dp);
}

/* dp's fd table and/or cwd replaced by private copies. */
static void own_copies(struct decode_proc *dp, bool files, bool fs)
{
	if (files) {
		struct fdtable *own = fdtable_copy(dp->fds);
		fdtable_unref(dp->fds);
		dp->fds = own;
	}
	if (fs) {
		struct dec_fs *own = dec_fs_new(dp->fs->cwd);
		dec_fs_unref(dp->fs);
		dp->fs = own;
	}
}

void dec_unshare(struct dec_call *c, bool files, bool fs)
{
	struct task *t = c->t;
	struct decode_proc *dp = dec_state(t);
	if (!t->dec && t->proc->nthreads > 1) {
		/* other threads keep the process's state; this one takes its own */
		t->dec = state_from(dp);
		dp = t->dec;
	}
	own_copies(dp, files, fs);
	c->dp = dp;
}

void dfile_unshare(struct dec_call *c)
{
	uint64_t fl = c->a[0];
	if (c->failed)
		return;
	/* CLONE_NEWNS implies CLONE_FS; the cwd stays the same directory either way */
	dec_unshare(c, fl & CLONE_FILES, fl & (CLONE_FS | CLONE_NEWNS));
}

void decode_task_clone(struct task *child, struct task *parent, uint64_t clone_flags, bool thread)
{
	struct decode_proc *pd = parent->proc ? dec_state(parent) : NULL;
	if (!thread) {
		dec_proc_new_from(child->proc, pd, clone_flags);
		return;
	}
	decode_task_free(child);
	bool files = !(clone_flags & CLONE_FILES), fs = !(clone_flags & CLONE_FS);
	if (!pd || (!parent->dec && !files && !fs))
		return; /* the process's state, like its other threads */
	child->dec = state_from(pd);
	own_copies(child->dec, files, fs);
}

void decode_task_exec(struct task *t)
{
	if (!t->dec || !t->proc)
		return;
	/* the other threads are gone: the execing thread's table and cwd are the process's */
	struct decode_proc *pd = dec_proc(t->proc), *mine = t->dec;
	t->dec = NULL;
	fdtable_unref(pd->fds);
	pd->fds = fdtable_ref(mine->fds);
	dec_fs_unref(pd->fs);
	pd->fs = mine->fs;
	pd->fs->refs++;
	dec_state_free(mine);
}
