/* SPDX-License-Identifier: MIT */
/* exec: execve under trace: what the tracee asked for at entry, the exec event, the non-leader exec cleanup. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>

#include "engine/engine_int.h"
#include "lib/procfs.h"
#include "tracee/tmem.h"

/* ---- execve entry and exit ---- */

void eng_capture_exec(struct task *t, struct eng_task *e)
{
	const struct syscall *sc = &t->sc;
	bool at = e->kind == ARCH_SC_EXECVEAT;
	uint64_t path = at ? sc->args[1] : sc->args[0];
	uint64_t argv = at ? sc->args[2] : sc->args[1];
	unsigned psz = arch_ptr_size(sc->compat);
	int trunc;

	buf_reset(&e->ex);
	e->ex_argc = 0;
	e->ex_valid = true;
	e->ex_dirfd = at ? (int)sc->args[0] : AT_FDCWD;
	buf_reserve(&e->ex, PATH_MAX + 1);
	ssize_t n = tmem_read_str(t->tid, path, e->ex.data, PATH_MAX, &trunc);
	e->ex.len = n > 0 ? (size_t)n + 1 : 1;
	if (n <= 0)
		e->ex.data[0] = '\0';
	e->ex_nopath = n < 0;
	e->ex_emptyfd = at && (sc->args[4] & AT_EMPTY_PATH);

	uint64_t ptrs[64];
	uint32_t got = 0;
	while (argv && e->ex_argc < EXEC_MAX_ARGS && e->ex.len < EXEC_MAX_BYTES) {
		uint32_t want = 64;
		unsigned char raw[64 * 8];
		ssize_t r = tmem_read(t->tid, argv + (uint64_t)got * psz, raw, want * psz);
		if (r < (ssize_t)psz)
			break;
		uint32_t have = (uint32_t)r / psz;
		bool end = false;
		for (uint32_t i = 0; i < have; i++) {
			if (psz == 4) {
				uint32_t v;
				memcpy(&v, raw + i * 4, 4);
				ptrs[i] = v;
			} else {
				memcpy(&ptrs[i], raw + i * 8, 8);
			}
		}
		for (uint32_t i = 0; i < have; i++) {
			if (!ptrs[i] || e->ex_argc >= EXEC_MAX_ARGS || e->ex.len >= EXEC_MAX_BYTES) {
				end = true;
				break;
			}
			size_t room = EXEC_MAX_BYTES - e->ex.len;
			buf_reserve(&e->ex, room + 1);
			n = tmem_read_str(t->tid, ptrs[i], e->ex.data + e->ex.len, room, &trunc);
			if (n < 0)
				n = 0;
			e->ex.data[e->ex.len + (size_t)n] = '\0';
			e->ex.len += (size_t)n + 1;
			e->ex_argc++;
		}
		got += have;
		if (end || have < want)
			break;
	}
}

/* Drop "." and empty components and fold ".." of an absolute path, in place. */
static void normalize_path(struct buf *b)
{
	if (!b->data || b->data[0] != '/')
		return;
	char *src = b->data, *dst = b->data;
	while (*src) {
		while (*src == '/')
			src++;
		char *end = strchrnul(src, '/');
		size_t n = (size_t)(end - src);
		if (n == 1 && src[0] == '.') {
			/* nothing */
		} else if (n == 2 && src[0] == '.' && src[1] == '.') {
			while (dst > b->data && *--dst != '/')
				;
		} else if (n) {
			*dst++ = '/';
			memmove(dst, src, n);
			dst += n;
		}
		src = end;
	}
	if (dst == b->data)
		*dst++ = '/';
	*dst = '\0';
	b->len = (size_t)(dst - b->data);
}

/* The attempted path of a failed execve, made absolute against cwd or dirfd. */
static void attempted_path(struct task *t, struct eng_task *e, struct buf *out)
{
	const char *p = e->ex.data ? e->ex.data : "";
	/* "" names nothing (ENOENT): shown as given, not as the cwd; AT_EMPTY_PATH names the fd */
	if (!p[0] && !e->ex_emptyfd)
		return;
	if (p[0] != '/') {
		char base[PATH_MAX];
		ssize_t n;
		if (e->ex_dirfd == AT_FDCWD) {
			n = procfs_link(t->proc->pid, "cwd", base, sizeof(base));
		} else {
			char what[32];
			snprintf(what, sizeof(what), "fd/%d", e->ex_dirfd);
			n = procfs_link(t->proc->pid, what, base, sizeof(base));
		}
		if (n > 0) {
			buf_adds(out, base);
			if (p[0] && base[n - 1] != '/')
				buf_addc(out, '/');
		}
	}
	buf_adds(out, p);
	normalize_path(out);
}

void eng_emit_exec(struct task *t, int former, int err)
{
	struct eng_task *e = eng_of(t);
	struct ev_draft d;
	uint32_t path_id = 0, argc = 0;

	eng_ev_start(&d, EVT_EXEC, t);
	if (err) {
		struct buf p = {0};
		attempted_path(t, e, &p);
		/* a NULL or unreadable path pointer: path null (EFAULT) */
		if (!e->ex_valid || !e->ex_nopath)
			path_id = evlog_intern_soft(eng.log, p.data ? p.data : "", p.len);
		buf_free(&p);
	} else {
		ssize_t n = eng.exec_path ? -1 : procfs_link(t->proc->pid, "exe", eng.path, sizeof(eng.path));
		if (eng.exec_path)
			path_id = evlog_intern_cstr(eng.log, eng.exec_path);
		else if (n > 0)
			path_id = evlog_intern(eng.log, eng.path, (size_t)n);
		else if (e->ex_valid)
			path_id = evlog_intern_cstr(eng.log, e->ex.data);
	}
	if (e->ex_valid) {
		size_t off = strlen(e->ex.data) + 1;
		for (uint32_t i = 0; i < e->ex_argc && off < e->ex.len; i++) {
			size_t l = strlen(e->ex.data + off);
			eng.argv_ids[argc++] = evlog_intern(eng.log, e->ex.data + off, l);
			off += l + 1;
		}
	} else if (!err) {
		argc = eng_cmdline_ids(t->proc->pid, eng.argv_ids, EXEC_MAX_ARGS);
	}
	if (path_id)
		ev_strid(&d, EVK_PATH, path_id);
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(eng.log, eng.argv_ids, argc));
	if (e->ex_valid && e->ex_trunc)
		ev_bool(&d, EVK_TRUNCATED, true); /* argv cut (doc/BPF.md, 'Captures') */
	if (former && former != t->tid)
		ev_int(&d, EVK_FORMER_TID, former);
	if (err)
		ev_err(&d, err);
	evlog_append(eng.log, &d);
	if (!err && path_id) {
		t->proc->exe = path_id;
		t->proc->comm = eng_intern_basename(path_id);
	}
}

/* ---- PTRACE_EVENT_EXEC ---- */

static void drop_thread(struct task *x, void *ctx)
{
	struct task **keep = ctx;
	if (x->proc != keep[0]->proc || x == keep[0])
		return;
	eng_abandon(x);
	if (x->tid != (int)(intptr_t)keep[1]) {
		if (eng.ngone == eng.cgone) {
			eng.cgone = eng.cgone ? eng.cgone * 2 : 16;
			eng.gone = xreallocarray(eng.gone, eng.cgone, sizeof(*eng.gone));
		}
		eng.gone[eng.ngone++] = (struct eng_pending){ x->tid, x->proc->pid, 0 };
	}
	eng_task_gone(x);
}

void eng_exec_event(struct task *t)
{
	unsigned long msg = 0;
	int former = t->tid;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &msg) == 0 && msg > 0 && msg <= INT_MAX)
		former = (int)msg;
	eng_exec_done(t, former);
}

void eng_exec_done(struct task *t, int former)
{
	if (former != t->tid) {
		/*
		 * the execing thread now has the leader's tid; its state moves here
		 * (doc/ENGINE.md, 'Exec from a non-leader thread')
		 */
		struct task *ft = task_find(eng.ts, former);
		if (ft && ft->proc == t->proc) {
			eng_abandon(t);
			void *mine = t->eng;
			t->sc = ft->sc;
			t->eng = ft->eng;
			t->in_syscall = ft->in_syscall;
			/* ft is dropped below with the leader's old state, already abandoned */
			ft->sc.scratch = NULL;
			ft->sc.held = NULL;
			ft->eng = mine;
			struct decode_proc *dec = t->dec; /* its own fd table or cwd, if any */
			t->dec = ft->dec;
			ft->dec = dec;
			ft->in_syscall = false;
		}
	}
	struct task *keep[2] = { t, (struct task *)(intptr_t)former };
	taskset_each(eng.ts, drop_thread, keep);
	t->proc->leader_exited = false;
	t->group_stopped = false;
	eng_of(t)->exec_done = true;
	if (t->proc->pid == eng.root_pid)
		eng.root_execed = true;
	eng_emit_exec(t, former, 0);
	eng_of(t)->ex_valid = false;
	decode_task_exec(t);
	decode_proc_exec(t->proc);
	eng_hooks_proc_exec(t->proc);
}
