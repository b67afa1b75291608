/* SPDX-License-Identifier: MIT */
/* summary: the FINAL block (and the -c per-syscall table) after tracing. */
#include "sinks/summary.h"

#include <cJSON.h>
#include <linux/audit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "decode/decode.h"
#include "lib/fmt.h"
#include "lib/json.h"
#include "options.h"
#include "decode/systab.h"
#include "lib/termesc.h"
#include "lib/xlat.h"

#define TOP_FILES 10
#define TOP_FAILS 10
#define MAX_PROCS 40
#define MAX_CONNS 10
#define MAX_WARNINGS 10
#define MAX_CRASHES 5
#define ARGV_SHOWN 200 /* bytes of a process's command line shown */

/* ---- a small open-addressing table: 64-bit key -> entry index ---- */

struct ent {
	uint64_t key;
	uint64_t a, b, c; /* per-table meaning */
	uint32_t id;      /* a string id to show */
	uint32_t extra;
	bool many;        /* failures: several paths share the directory */
	uint32_t order;   /* creation order: ties sort by first appearance */
	const struct ev *ev; /* connections: the first one stands for all */
};

struct table {
	struct ent *e;
	size_t n, cap;
	uint32_t *h; /* index + 1; 0 = empty */
	size_t hcap;
};

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static struct ent *tget(struct table *t, uint64_t key)
{
	if (t->n * 2 >= t->hcap) {
		size_t nh = t->hcap ? t->hcap * 2 : 64;
		uint32_t *h = xcalloc(nh, sizeof(*h));
		for (size_t i = 0; i < t->n; i++) {
			size_t j = mix(t->e[i].key) & (nh - 1);
			while (h[j])
				j = (j + 1) & (nh - 1);
			h[j] = (uint32_t)i + 1;
		}
		free(t->h);
		t->h = h;
		t->hcap = nh;
	}
	size_t j = mix(key) & (t->hcap - 1);
	while (t->h[j]) {
		struct ent *e = &t->e[t->h[j] - 1];
		if (e->key == key)
			return e;
		j = (j + 1) & (t->hcap - 1);
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->e = xreallocarray(t->e, t->cap, sizeof(*t->e));
	}
	t->h[j] = (uint32_t)t->n + 1;
	struct ent *e = &t->e[t->n++];
	memset(e, 0, sizeof(*e));
	e->key = key;
	e->order = (uint32_t)t->n;
	return e;
}

static void tfree(struct table *t)
{
	free(t->e);
	free(t->h);
}

/* ---- processes ---- */

struct pinfo {
	int pid, ppid;
	uint32_t argv;      /* strv id (0 = unknown) */
	bool forked_only;   /* no exec seen: argv is the parent's */
	bool exited, core, is_root;
	int code, sig;
	unsigned threads;
	unsigned first_child, next_sibling; /* index + 1 */
	bool printed;
};

struct sum {
	struct run *r;
	const struct evlog *log;
	uint64_t t_last;
	int64_t heap;
	uint64_t mmap_bytes, mmap_regions;
	uint64_t file_rd, file_wr, other_rd, other_wr, net_tx, net_rx;
	struct table files_rd, files_wr;   /* key: path id; a = bytes, b = calls */
	uint64_t hidden_files;
	struct table heap_by_pid;          /* key: pid; a = growth (signed) */
	struct table conns;                /* key: event hash; a = count */
	uint64_t hidden_conns;
	struct table fails;                /* key: (type, errno, dir id); a = count, id = example */
	uint64_t nfails, hidden_fails;
	struct table sigs;                 /* key: signal; a = count, b = last sender */
	uint64_t opens, hidden_opens;
	struct table rss;                  /* key: pid; a = peak rss */
	struct pinfo *procs;
	size_t nprocs, procs_cap;
	struct table pidx;                 /* key: pid -> a = index + 1 (latest) */
	uint64_t nthreads;
	const struct ev **crashes;
	size_t ncrashes;
	uint64_t mem_events, io_events, conn_events; /* were these traced at all? */
	const struct ev **warnings;
	size_t nwarnings;
	uint64_t faults_seen;
};

static bool hidden(const struct ev *e)
{
	return (e->flags & EVFL_NOISE) && !opt.no_filter;
}

static bool fnum(const struct ev *e, unsigned key, int64_t *v)
{
	const struct ev_field *f = ev_find(e, key);
	if (!f || f->kind == EVF_STR || f->kind == EVF_STRV || f->kind == EVF_JSON ||
	    f->kind == EVF_DOUBLE)
		return false;
	*v = evf_i64(f);
	return true;
}

static uint32_t fstrid(const struct ev *e, unsigned key)
{
	const struct ev_field *f = ev_find(e, key);
	return f && f->kind == EVF_STR ? (uint32_t)evf_u64(f) : 0;
}

static bool fbool(const struct ev *e, unsigned key)
{
	int64_t v;
	return fnum(e, key, &v) && v;
}

static struct pinfo *proc_get(struct sum *s, int pid, bool create)
{
	struct ent *x = tget(&s->pidx, (uint64_t)(uint32_t)pid);
	if (x->a)
		return &s->procs[x->a - 1];
	if (!create)
		return NULL;
	if (s->nprocs == s->procs_cap) {
		s->procs_cap = s->procs_cap ? s->procs_cap * 2 : 32;
		s->procs = xreallocarray(s->procs, s->procs_cap, sizeof(*s->procs));
	}
	struct pinfo *p = &s->procs[s->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	x->a = s->nprocs;
	return p;
}

/* Errno (positive) of an event, or 0; a name string from --from logs counts as -1. */
static int ev_errno(const struct ev *e, uint32_t *name)
{
	const struct ev_field *f = ev_find(e, EVK_ERR);
	*name = 0;
	if (!f)
		return 0;
	if (f->kind == EVF_STR) {
		*name = (uint32_t)evf_u64(f);
		return -1;
	}
	return (int)evf_i64(f);
}

/*
 * A read/write event's "path" is the absolute path of what the fd was
 * opened as (a file, or a device such as /dev/zero), or what the fd is:
 * "pipe:[12]", "anon_inode:[eventfd]" are not files.
 */
static bool file_path(const struct evlog *log, uint32_t id)
{
	size_t n;
	const char *p = evlog_str(log, id, &n);
	return p && n && p[0] == '/';
}

static void add_rw(struct sum *s, const struct ev *e, uint64_t bytes)
{
	bool rd = e->type == EVT_READ;
	uint32_t path = fstrid(e, EVK_PATH);
	if (!path || !file_path(s->log, path)) {
		*(rd ? &s->other_rd : &s->other_wr) += bytes;
		return;
	}
	*(rd ? &s->file_rd : &s->file_wr) += bytes;
	if (hidden(e))
		return;
	struct ent *x = tget(rd ? &s->files_rd : &s->files_wr, path);
	x->id = path;
	x->a += bytes;
	x->b++;
}

/* ERESTARTSYS..ERESTART_RESTARTBLOCK: the call is restarted, nothing failed (ENGINE.md P17). */
static bool restart_err(int err)
{
	return err >= 512 && err <= 516;
}

static void add_fail(struct sum *s, const struct ev *e)
{
	uint32_t errname;
	int err = ev_errno(e, &errname);
	if (!err || restart_err(err))
		return;
	s->nfails++;
	if (hidden(e)) {
		s->hidden_fails++;
		return;
	}
	/* group by type, errno and directory of the path (ENOENT storms over search paths) */
	uint32_t path = fstrid(e, EVK_PATH);
	size_t n = 0;
	const char *p = evlog_str(s->log, path, &n);
	uint64_t dirhash = 0;
	if (p) {
		const char *slash = memrchr(p, '/', n);
		size_t dl = slash ? (size_t)(slash - p) + 1 : 0;
		for (size_t i = 0; i < dl; i++)
			dirhash = dirhash * 1099511628211ull + (unsigned char)p[i];
	}
	uint64_t key = mix(((uint64_t)e->type << 48) ^ ((uint64_t)(uint32_t)err << 16) ^
			   (errname ? mix(errname) : 0) ^ mix(dirhash + 1));
	struct ent *x = tget(&s->fails, key);
	if (!x->a) {
		x->id = path;
		x->b = e->type;
		x->c = (uint64_t)(int64_t)err;
		x->extra = errname;
	} else if (x->id != path) {
		x->many = true;
	}
	x->a++;
}

static void add_conn(struct sum *s, const struct ev *e)
{
	uint32_t en;
	if (restart_err(ev_errno(e, &en)))
		return; /* cut by a signal; the restarted call is the attempt to list */
	if (hidden(e)) {
		s->hidden_conns++;
		return;
	}
	int64_t port = -1;
	fnum(e, EVK_PORT, &port);
	uint32_t errname;
	int err = ev_errno(e, &errname);
	uint64_t key = mix(fstrid(e, EVK_FAMILY)) ^ mix((uint64_t)fstrid(e, EVK_ADDR) << 20) ^
		       mix((uint64_t)fstrid(e, EVK_PATH) << 40) ^ mix((uint64_t)port + 7) ^
		       mix((uint64_t)(uint32_t)err * 31 + errname);
	struct ent *x = tget(&s->conns, key);
	if (!x->a)
		x->ev = e;
	x->a++;
}

static void scan(struct sum *s)
{
	struct evlog_cursor c = {0};
	const struct ev *e;
	int64_t v;
	while ((e = evlog_next(s->log, &c))) {
		if (e->t > s->t_last)
			s->t_last = e->t;
		switch (e->type) {
		case EVT_SPAWN: {
			int64_t child = 0;
			fnum(e, EVK_CHILD, &child);
			if (fbool(e, EVK_THREAD)) {
				s->nthreads++;
				struct pinfo *p = proc_get(s, e->pid, true);
				p->threads++;
				break;
			}
			if (ev_find(e, EVK_ERR) || child <= 0)
				break;
			struct pinfo *parent = proc_get(s, e->pid, true);
			uint32_t argv = parent->argv;
			struct ent *x = tget(&s->pidx, (uint64_t)(uint32_t)child);
			x->a = 0; /* a reused pid is a new process */
			struct pinfo *p = proc_get(s, (int)child, true);
			p->ppid = e->pid;
			p->argv = argv;
			p->forked_only = true;
			break;
		}
		case EVT_ATTACH: {
			struct pinfo *p = proc_get(s, e->pid, true);
			const struct ev_field *f = ev_find(e, EVK_ARGV);
			if (f && f->kind == EVF_STRV)
				p->argv = (uint32_t)evf_u64(f);
			break;
		}
		case EVT_EXEC: {
			struct pinfo *p = proc_get(s, e->pid, true);
			const struct ev_field *f = ev_find(e, EVK_ARGV);
			if (!ev_find(e, EVK_ERR) && f && f->kind == EVF_STRV) {
				p->argv = (uint32_t)evf_u64(f);
				p->forked_only = false;
			}
			add_fail(s, e);
			break;
		}
		case EVT_EXIT:
			if (!fbool(e, EVK_THREAD)) {
				struct pinfo *p = proc_get(s, e->pid, true);
				p->exited = true;
				p->is_root = p->is_root || fbool(e, EVK_ROOT);
				p->core = fbool(e, EVK_CORE);
				const struct ev_field *f = ev_find(e, EVK_SIGNAL);
				if (f && fnum(e, EVK_SIGNAL, &v))
					p->sig = (int)v;
				else if (fnum(e, EVK_CODE, &v))
					p->code = (int)v;
			}
			break;
		case EVT_SIGNAL:
			if (fnum(e, EVK_SIGNAL, &v)) {
				struct ent *x = tget(&s->sigs, (uint64_t)v);
				x->a++;
				if (fnum(e, EVK_SENDER, &v))
					x->b = (uint64_t)v;
			}
			break;
		case EVT_OPEN:
			s->opens++;
			if (hidden(e))
				s->hidden_opens++;
			add_fail(s, e);
			break;
		case EVT_READ:
		case EVT_WRITE:
			s->io_events++;
			if (fnum(e, EVK_BYTES, &v) && v > 0)
				add_rw(s, e, (uint64_t)v);
			add_fail(s, e);
			break;
		case EVT_SEND:
		case EVT_RECV:
			s->io_events++;
			if (fnum(e, EVK_BYTES, &v) && v > 0)
				*(e->type == EVT_SEND ? &s->net_tx : &s->net_rx) += (uint64_t)v;
			add_fail(s, e);
			break;
		case EVT_CONNECT:
			s->conn_events++;
			add_conn(s, e); /* failures are listed with the connections */
			break;
		case EVT_MMAP:
			s->mem_events++;
			if (!ev_find(e, EVK_ERR) && fnum(e, EVK_LEN, &v) && v > 0) {
				s->mmap_bytes += (uint64_t)v;
				s->mmap_regions++;
			}
			add_fail(s, e);
			break;
		case EVT_BRK:
			s->mem_events++;
			if (fnum(e, EVK_GROWTH, &v)) {
				struct ent *x = tget(&s->heap_by_pid, (uint64_t)(uint32_t)e->pid);
				x->a += (uint64_t)v;
			}
			break;
		case EVT_CRASH:
			s->crashes = xreallocarray(s->crashes, s->ncrashes + 1, sizeof(*s->crashes));
			s->crashes[s->ncrashes++] = e;
			break;
		case EVT_WARNING:
			s->warnings = xreallocarray(s->warnings, s->nwarnings + 1, sizeof(*s->warnings));
			s->warnings[s->nwarnings++] = e;
			break;
		case EVT_FAULT:
			s->faults_seen++;
			break;
		case EVT_COUNTER:
			if (fnum(e, EVK_RSS, &v) && v > 0) {
				struct ent *x = tget(&s->rss, (uint64_t)(uint32_t)e->pid);
				if ((uint64_t)v > x->a)
					x->a = (uint64_t)v;
			}
			break;
		case EVT_SYSCALL:
			break;
		default:
			if (e->type >= EVT_UNLINK && e->type <= EVT_CHDIR)
				add_fail(s, e);
			else if (e->type == EVT_ACCEPT || e->type == EVT_BIND || e->type == EVT_LISTEN ||
				 e->type == EVT_CLOSE || e->type == EVT_SOCKET || e->type == EVT_MUNMAP ||
				 e->type == EVT_MPROTECT || e->type == EVT_MREMAP)
				add_fail(s, e);
			break;
		}
	}
	for (size_t i = 0; i < s->heap_by_pid.n; i++) {
		int64_t g = (int64_t)s->heap_by_pid.e[i].a;
		if (g > 0)
			s->heap += g;
	}
}

/* ---- printing ---- */

static void size(struct buf *b, uint64_t n)
{
	fmt_size(b, n);
}

static void add_str(struct buf *b, const struct evlog *log, uint32_t id)
{
	size_t n;
	const char *s = evlog_str(log, id, &n);
	if (s)
		termesc(b, s, n);
	else
		buf_adds(b, "?");
}

static void add_argv(struct buf *b, const struct evlog *log, uint32_t strv)
{
	uint32_t n;
	const uint32_t *ids = evlog_strv_get(log, strv, &n);
	size_t start = b->len;
	for (uint32_t i = 0; i < n; i++) {
		if (b->len - start > ARGV_SHOWN) {
			buf_adds(b, " ...");
			break;
		}
		if (i)
			buf_addc(b, ' ');
		size_t len;
		const char *s = evlog_str(log, ids[i], &len);
		if (s)
			termesc_trunc(b, s, len, opt.strsize > 0 ? (size_t)opt.strsize : 0);
	}
	if (!n)
		buf_adds(b, "?");
}

static void add_signame(struct buf *b, int sig)
{
	char tmp[XLAT_LABEL_MAX];
	buf_adds(b, xlat_signal_label(sig, tmp));
}

static void add_errname(struct buf *b, const struct evlog *log, int err, uint32_t name)
{
	if (name) {
		add_str(b, log, name);
		return;
	}
	char tmp[XLAT_LABEL_MAX];
	buf_adds(b, xlat_errno_label(err, tmp));
}

static int by_a_desc(const void *x, const void *y)
{
	const struct ent *a = x, *b = y;
	if (a->a != b->a)
		return a->a < b->a ? 1 : -1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static void rule(struct buf *b)
{
	for (int i = 0; i < 64; i++)
		buf_adds(b, "\u2501");
	buf_addc(b, '\n');
}

static void print_files(struct sum *s, struct buf *b, struct table *t, const char *label)
{
	if (!t->n)
		return;
	qsort(t->e, t->n, sizeof(*t->e), by_a_desc);
	free(t->h);
	t->h = NULL;
	t->hcap = 0;
	buf_printf(b, " %s (%zu file%s%s):\n", label, t->n, t->n == 1 ? "" : "s",
		   t->n > TOP_FILES ? ", top 10 by bytes" : "");
	for (size_t i = 0; i < t->n && i < TOP_FILES; i++) {
		struct buf sz = {0};
		size(&sz, t->e[i].a);
		buf_printf(b, "   %9s  ", sz.data);
		buf_free(&sz);
		add_str(b, s->log, t->e[i].id);
		if (t->e[i].b > 1)
			buf_printf(b, " (%llu calls)", (unsigned long long)t->e[i].b);
		buf_addc(b, '\n');
	}
}

static void print_proc(struct sum *s, struct buf *b, size_t idx, int depth, unsigned *shown)
{
	struct pinfo *p = &s->procs[idx];
	p->printed = true;
	if (*shown >= MAX_PROCS)
		return;
	(*shown)++;
	buf_addc(b, ' ');
	for (int i = 0; i < depth && i < 20; i++)
		buf_adds(b, "  ");
	buf_adds(b, depth ? "\u2514 " : "  ");
	buf_printf(b, "%d ", p->pid);
	if (p->argv)
		add_argv(b, s->log, p->argv);
	else if (p->is_root || p->pid == s->r->root_pid) {
		for (int i = 0; i < s->r->argc && s->r->argv && s->r->argv[i]; i++) {
			if (i)
				buf_addc(b, ' ');
			termesc_trunc(b, s->r->argv[i], strlen(s->r->argv[i]),
				      opt.strsize > 0 ? (size_t)opt.strsize : 0);
		}
	} else {
		buf_adds(b, "?");
	}
	if (p->forked_only)
		buf_adds(b, " (fork)");
	if (p->threads)
		buf_printf(b, " [%u thread%s]", p->threads, p->threads == 1 ? "" : "s");
	if (p->exited) {
		buf_adds(b, "  \u2192 ");
		if (p->sig) {
			buf_adds(b, "killed by ");
			add_signame(b, p->sig);
			if (p->core)
				buf_adds(b, " (core dumped)");
		} else {
			buf_printf(b, "exit %d", p->code);
		}
	} else {
		buf_adds(b, "  \u2192 still running");
	}
	buf_addc(b, '\n');
	for (unsigned c = p->first_child; c; c = s->procs[c - 1].next_sibling)
		print_proc(s, b, c - 1, depth + 1, shown);
}

static void print_procs(struct sum *s, struct buf *b)
{
	if (!s->nprocs)
		return;
	/* link children in creation order */
	unsigned *last = xcalloc(s->nprocs, sizeof(*last));
	for (size_t i = 0; i < s->nprocs; i++) {
		struct pinfo *p = &s->procs[i];
		if (!p->ppid)
			continue;
		/* the parent is the latest process with that pid created before this one */
		size_t par = SIZE_MAX;
		for (size_t j = i; j-- > 0;)
			if (s->procs[j].pid == p->ppid) {
				par = j;
				break;
			}
		if (par == SIZE_MAX) {
			p->ppid = 0;
			continue;
		}
		if (last[par])
			s->procs[last[par] - 1].next_sibling = (unsigned)i + 1;
		else
			s->procs[par].first_child = (unsigned)i + 1;
		last[par] = (unsigned)i + 1;
	}
	free(last);
	buf_printf(b, " Processes: %zu", s->nprocs);
	if (s->nthreads)
		buf_printf(b, " (+%llu thread%s)", (unsigned long long)s->nthreads,
			   s->nthreads == 1 ? "" : "s");
	buf_adds(b, "\n");
	unsigned shown = 0;
	for (size_t i = 0; i < s->nprocs; i++)
		if (!s->procs[i].ppid && !s->procs[i].printed)
			print_proc(s, b, i, 0, &shown);
	if (shown < s->nprocs)
		buf_printf(b, "   ... and %zu more\n", s->nprocs - shown);
}

static const unsigned mem_nrs[] = {SYS_mmap, SYS_munmap, SYS_mremap, SYS_brk};
static const unsigned io_nrs[] = {
	SYS_read, SYS_write, SYS_pread64, SYS_pwrite64, SYS_readv, SYS_writev, SYS_preadv,
	SYS_pwritev, SYS_preadv2, SYS_pwritev2, SYS_sendto, SYS_recvfrom, SYS_sendmsg, SYS_recvmsg,
	SYS_sendmmsg, SYS_recvmmsg, SYS_sendfile, SYS_copy_file_range, SYS_splice, SYS_tee,
};
static const unsigned conn_nrs[] = {SYS_connect};

/* Did -e trace= select any of these? A total of 0 B is no fact when nothing was traced. */
static bool traced(const unsigned *nrs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (sc_selected(&opt, nrs[i]))
			return true;
	return false;
}

#define NOT_TRACED "not traced (-e trace= left these calls out)\n"

static void print_conn_one(struct sum *s, struct buf *b, const struct ev *e, uint64_t count)
{
	uint32_t id;
	int64_t port;
	if ((id = fstrid(e, EVK_FAMILY)))
		add_str(b, s->log, id);
	else
		buf_adds(b, "?");
	buf_adds(b, " \u2192 ");
	if ((id = fstrid(e, EVK_PATH))) {
		add_str(b, s->log, id);
	} else if ((id = fstrid(e, EVK_ADDR))) {
		size_t n;
		const char *a = evlog_str(s->log, id, &n);
		bool v6 = a && memchr(a, ':', n);
		if (v6)
			buf_addc(b, '[');
		add_str(b, s->log, id);
		if (v6)
			buf_addc(b, ']');
		if (fnum(e, EVK_PORT, &port))
			buf_printf(b, ":%lld", (long long)port);
	} else if ((id = fstrid(e, EVK_PEER))) {
		add_str(b, s->log, id);
	} else {
		buf_adds(b, "?");
	}
	uint32_t name;
	int err = ev_errno(e, &name);
	if (err) {
		buf_addc(b, ' ');
		add_errname(b, s->log, err, name);
	}
	if (count > 1)
		buf_printf(b, " \u00d7%llu", (unsigned long long)count);
}

static void print_conns(struct sum *s, struct buf *b)
{
	buf_adds(b, " Network connections:  ");
	if (!s->conn_events && !traced(conn_nrs, ARRAY_SIZE(conn_nrs))) {
		buf_adds(b, NOT_TRACED);
		return;
	}
	if (!s->conns.n) {
		buf_adds(b, s->hidden_conns ? "none shown" : "none");
		if (s->hidden_conns)
			buf_printf(b, " (%llu loopback hidden)", (unsigned long long)s->hidden_conns);
		buf_addc(b, '\n');
		return;
	}
	for (size_t i = 0; i < s->conns.n && i < MAX_CONNS; i++) {
		if (i)
			buf_adds(b, "                       ");
		print_conn_one(s, b, s->conns.e[i].ev, s->conns.e[i].a);
		buf_addc(b, '\n');
	}
	if (s->conns.n > MAX_CONNS)
		buf_printf(b, "                       ... and %zu more\n", s->conns.n - MAX_CONNS);
}

static void print_fails(struct sum *s, struct buf *b)
{
	if (!s->fails.n)
		return;
	qsort(s->fails.e, s->fails.n, sizeof(*s->fails.e), by_a_desc);
	buf_printf(b, " Failed operations: %llu\n", (unsigned long long)(s->nfails - s->hidden_fails));
	for (size_t i = 0; i < s->fails.n && i < TOP_FAILS; i++) {
		struct ent *x = &s->fails.e[i];
		bool many = x->many;
		int err = (int)(int64_t)x->c;
		buf_adds(b, "   ");
		buf_adds(b, ev_type_name((unsigned)x->b));
		buf_addc(b, ' ');
		add_errname(b, s->log, err, x->extra);
		buf_printf(b, " \u00d7%llu", (unsigned long long)x->a);
		size_t n;
		const char *p = evlog_str(s->log, x->id, &n);
		if (p) {
			buf_adds(b, "  ");
			const char *slash = memrchr(p, '/', n);
			if (many && slash) {
				termesc(b, p, (size_t)(slash - p) + 1);
				buf_adds(b, " (e.g. ");
				termesc(b, slash + 1, n - (size_t)(slash - p) - 1);
				buf_addc(b, ')');
			} else {
				termesc(b, p, n);
			}
		}
		buf_addc(b, '\n');
	}
	if (s->fails.n > TOP_FAILS)
		buf_printf(b, "   ... and %zu more kinds\n", s->fails.n - TOP_FAILS);
}

static void print_sigs(struct sum *s, struct buf *b)
{
	if (!s->sigs.n)
		return;
	buf_adds(b, " Signals:  ");
	for (size_t i = 0; i < s->sigs.n; i++) {
		if (i)
			buf_adds(b, ", ");
		add_signame(b, (int)s->sigs.e[i].key);
		if (s->sigs.e[i].a > 1)
			buf_printf(b, " \u00d7%llu", (unsigned long long)s->sigs.e[i].a);
		if (s->sigs.e[i].b)
			buf_printf(b, " (from %llu)", (unsigned long long)s->sigs.e[i].b);
	}
	buf_addc(b, '\n');
}

/* The JSON text of an EVF_JSON field, or NULL. */
static const char *fjson(const struct evlog *log, const struct ev *e, unsigned key)
{
	const struct ev_field *f = ev_find(e, key);
	return f && f->kind == EVF_JSON ? evlog_str(log, (uint32_t)evf_u64(f), NULL) : NULL;
}

static void print_crashes(struct sum *s, struct buf *b)
{
	for (size_t i = 0; i < s->ncrashes && i < MAX_CRASHES; i++) {
		const struct ev *e = s->crashes[i];
		int64_t v;
		buf_printf(b, " Crash:    %d ", e->pid);
		if (fnum(e, EVK_SIGNAL, &v))
			add_signame(b, (int)v);
		uint32_t id;
		if ((id = fstrid(e, EVK_CODE))) {
			buf_addc(b, ' ');
			add_str(b, s->log, id);
		}
		if (fnum(e, EVK_ADDR, &v))
			buf_printf(b, " at 0x%llx", (unsigned long long)v);
		if ((id = fstrid(e, EVK_CRASH_REGION))) {
			buf_adds(b, " (");
			add_str(b, s->log, id);
			buf_addc(b, ')');
		}
		buf_addc(b, '\n');
		const char *dis = fjson(s->log, e, EVK_DISASM);
		struct buf t = {0};
		if (fmt_disasm_fault(&t, dis)) {
			buf_adds(b, "           at ");
			buf_add(b, t.data, t.len);
			buf_addc(b, '\n');
		} else if ((id = fstrid(e, EVK_MSG))) {
			buf_adds(b, "           (");
			add_str(b, s->log, id);
			buf_adds(b, ")\n");
		}
		buf_free(&t);
		fmt_stack(b, fjson(s->log, e, EVK_STACK), "           ", 5, false);
	}
	if (s->ncrashes > MAX_CRASHES)
		buf_printf(b, " ... and %zu more crashes\n", s->ncrashes - MAX_CRASHES);
}

static uint64_t jnum(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsNumber(v) && v->valuedouble > 0 ? (uint64_t)v->valuedouble : 0;
}

static void print_faults(struct sum *s, struct buf *b)
{
	const struct buf *x = &s->r->end_extra;
	cJSON *j = NULL;
	if (x->len) {
		struct buf t = {0};
		const char *p = x->data;
		while (*p == ',' || *p == ' ')
			p++;
		buf_addc(&t, '{');
		buf_adds(&t, p);
		buf_addc(&t, '}');
		j = cJSON_ParseWithOpts(t.data, NULL, 1);
		buf_free(&t);
	}
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(j, "faults");
	if (cJSON_IsObject(f)) {
		const cJSON *un = cJSON_GetObjectItemCaseSensitive(f, "unavailable");
		if (cJSON_IsString(un)) {
			buf_adds(b, " Page faults: unavailable (");
			termesc_cstr(b, un->valuestring);
			buf_adds(b, ")\n");
		} else {
			uint64_t total = jnum(f, "total"), sampled = jnum(f, "sampled");
			buf_printf(b, " Page faults: %llu (minor %llu, major %llu)\n",
				   (unsigned long long)total, (unsigned long long)jnum(f, "minor"),
				   (unsigned long long)jnum(f, "major"));
			buf_printf(b, "   by region: heap %llu, anon %llu, file %llu, stack %llu, other %llu",
				   (unsigned long long)jnum(f, "heap"), (unsigned long long)jnum(f, "anon"),
				   (unsigned long long)jnum(f, "file"), (unsigned long long)jnum(f, "stack"),
				   (unsigned long long)jnum(f, "other"));
			if (sampled < total)
				buf_printf(b, " (sampled %llu of %llu)", (unsigned long long)sampled,
					   (unsigned long long)total);
			uint64_t lost = jnum(f, "lost");
			if (lost)
				buf_printf(b, ", %llu samples lost", (unsigned long long)lost);
			buf_addc(b, '\n');
			const cJSON *top = cJSON_GetObjectItemCaseSensitive(f, "top");
			int k = 0;
			for (const cJSON *t = cJSON_IsArray(top) ? top->child : NULL; t && k < 5;
			     t = t->next, k++) {
				const cJSON *path = cJSON_GetObjectItemCaseSensitive(t, "path");
				const cJSON *reg = cJSON_GetObjectItemCaseSensitive(t, "region");
				buf_printf(b, "   %9llu  ", (unsigned long long)jnum(t, "count"));
				struct buf u = {0};
				const cJSON *name = cJSON_IsString(path) ? path : reg;
				if (cJSON_IsString(name)) {
					json_unescape_bytes(&u, name->valuestring, strlen(name->valuestring));
					termesc(b, u.data, u.len);
				}
				buf_free(&u);
				buf_addc(b, '\n');
			}
		}
	} else if (s->faults_seen) {
		buf_printf(b, " Page faults: %llu sampled\n", (unsigned long long)s->faults_seen);
	}
	cJSON_Delete(j);
	if (s->rss.n) {
		uint64_t peak = 0;
		for (size_t i = 0; i < s->rss.n; i++)
			if (s->rss.e[i].a > peak)
				peak = s->rss.e[i].a;
		buf_adds(b, " Peak RSS: ");
		size(b, peak);
		buf_adds(b, " (largest process)\n");
	}
}

static void print_exit(struct run *r, struct buf *b)
{
	buf_adds(b, " Exit: ");
	switch (r->end) {
	case RUN_EXITED: buf_printf(b, "%d", r->code); break;
	case RUN_FAILED: buf_printf(b, "%d (could not start)", r->code); break;
	case RUN_SIGNALED:
		buf_adds(b, "killed by ");
		add_signame(b, r->sig);
		if (r->core)
			buf_adds(b, " (core dumped)");
		break;
	case RUN_DETACHED: buf_adds(b, "detached; the traced processes keep running"); break;
	case RUN_GONE: buf_adds(b, "every traced process exited"); break;
	default: buf_adds(b, "unknown (the run did not finish)"); break;
	}
	if (r->interrupted)
		buf_adds(b, " (interrupted)");
	buf_addc(b, '\n');
}

/* ---- -c ---- */

struct sc_row {
	const char *name;
	uint64_t calls, errors, ns;
};

static int by_time(const void *x, const void *y)
{
	const struct sc_row *a = x, *b = y;
	if (a->ns != b->ns)
		return a->ns < b->ns ? 1 : -1;
	if (a->calls != b->calls)
		return a->calls < b->calls ? 1 : -1;
	return strcmp(a->name, b->name);
}

static void print_table(struct buf *b, struct sc_row *rows, size_t n)
{
	qsort(rows, n, sizeof(*rows), by_time);
	uint64_t tns = 0, tcalls = 0, terr = 0;
	for (size_t i = 0; i < n; i++) {
		tns += rows[i].ns;
		tcalls += rows[i].calls;
		terr += rows[i].errors;
	}
	static const char dash[] = "------ ----------- ----------- --------- --------- ----------------\n";
	buf_adds(b, "% time     seconds  usecs/call     calls    errors syscall\n");
	buf_adds(b, dash);
	for (size_t i = 0; i < n; i++) {
		double pct = tns ? 100.0 * (double)rows[i].ns / (double)tns : 0;
		buf_printf(b, "%6.2f %11.6f %11llu %9llu ", pct, (double)rows[i].ns / 1e9,
			   (unsigned long long)(rows[i].ns / 1000 / rows[i].calls),
			   (unsigned long long)rows[i].calls);
		if (rows[i].errors)
			buf_printf(b, "%9llu ", (unsigned long long)rows[i].errors);
		else
			buf_adds(b, "          ");
		termesc_cstr(b, rows[i].name);
		buf_addc(b, '\n');
	}
	buf_adds(b, dash);
	buf_printf(b, "%6.2f %11.6f %11llu %9llu ", tns ? 100.0 : 0.0, (double)tns / 1e9,
		   (unsigned long long)(tcalls ? tns / 1000 / tcalls : 0), (unsigned long long)tcalls);
	if (terr)
		buf_printf(b, "%9llu ", (unsigned long long)terr);
	else
		buf_adds(b, "          ");
	buf_adds(b, "total\n");
}

/* From the decoder's statistics; false if there are none (e.g. a --from log). */
static bool table_from_stats(struct buf *b, uint32_t arch, const char *title)
{
	unsigned n = 0;
	const struct sc_stat *st = decode_stats(arch, &n);
	if (!st)
		return false;
	struct sc_row *rows = xcalloc(n ? n : 1, sizeof(*rows));
	size_t k = 0;
	char (*names)[32] = xcalloc(n ? n : 1, sizeof(*names));
	for (unsigned i = 0; i < n; i++) {
		if (!st[i].calls)
			continue;
		const char *name = systab_name(arch, i);
		if (!name) {
			snprintf(names[i], sizeof(names[i]), "syscall_%u", i);
			name = names[i];
		}
		rows[k++] = (struct sc_row){name, st[i].calls, st[i].errors, st[i].total_ns};
	}
	if (k) {
		if (title)
			buf_adds(b, title);
		print_table(b, rows, k);
	}
	free(rows);
	free(names);
	return k > 0;
}

/* From EVT_SYSCALL records (a -v log read back with --from). */
static bool table_from_log(struct buf *b, const struct evlog *log)
{
	struct table t = {0};
	struct evlog_cursor c = {0};
	const struct ev *e;
	while ((e = evlog_next(log, &c))) {
		if (e->type != EVT_SYSCALL)
			continue;
		uint32_t name = fstrid(e, EVK_NAME);
		if (!name)
			continue;
		struct ent *x = tget(&t, name);
		x->id = name;
		x->a++;
		uint32_t en;
		int err = ev_errno(e, &en);
		if (err && !restart_err(err))
			x->b++;
		const struct ev_field *d = ev_find(e, EVK_DUR);
		if (d && d->kind == EVF_DUR)
			x->c += evf_u64(d);
	}
	struct sc_row *rows = xcalloc(t.n ? t.n : 1, sizeof(*rows));
	for (size_t i = 0; i < t.n; i++)
		rows[i] = (struct sc_row){evlog_str(log, t.e[i].id, NULL), t.e[i].a, t.e[i].b, t.e[i].c};
	if (t.n)
		print_table(b, rows, t.n);
	free(rows);
	size_t n = t.n;
	tfree(&t);
	return n > 0;
}

static void print_times(struct sum *s, struct buf *b)
{
	double wall = (double)(s->r->t_end ? s->r->t_end : s->t_last) / 1e9;
	buf_adds(b, " Time:     wall ");
	fmt_secs(b, wall);
	buf_adds(b, "   CPU ");
	fmt_secs(b, s->r->cpu_user + s->r->cpu_sys);
	buf_printf(b, " (user %.3fs, sys %.3fs)\n", s->r->cpu_user, s->r->cpu_sys);
	if (opt.same_cpu && s->r->same_cpu >= 0)
		buf_printf(b, " CPU use:  tracer and command on CPU %d only (--same-cpu)\n",
			   s->r->same_cpu);
}

void summary_print(struct run *r, int fd)
{
	struct sum s = {.r = r, .log = r->log};
	struct buf b = {0};
	scan(&s);
	double wall = (double)(r->t_end ? r->t_end : s.t_last) / 1e9;

	rule(&b);
	buf_adds(&b, " FINAL: ");
	size_t start = b.len;
	for (int i = 0; i < r->argc && r->argv && r->argv[i]; i++) {
		if (b.len - start > ARGV_SHOWN) {
			buf_adds(&b, " ...");
			break;
		}
		if (i)
			buf_addc(&b, ' ');
		termesc_trunc(&b, r->argv[i], strlen(r->argv[i]),
			      opt.strsize > 0 ? (size_t)opt.strsize : 0);
	}
	buf_adds(&b, " (");
	fmt_secs(&b, wall);
	buf_adds(&b, ")\n");
	rule(&b);

	buf_adds(&b, " Memory:   ");
	if (!s.mem_events && !traced(mem_nrs, ARRAY_SIZE(mem_nrs))) {
		buf_adds(&b, NOT_TRACED);
	} else {
		buf_adds(&b, "Heap ");
		size(&b, (uint64_t)s.heap);
		buf_adds(&b, "   Mmap ");
		size(&b, s.mmap_bytes);
		buf_printf(&b, " (%llu region%s)   Total ", (unsigned long long)s.mmap_regions,
			   s.mmap_regions == 1 ? "" : "s");
		size(&b, (uint64_t)s.heap + s.mmap_bytes);
		buf_addc(&b, '\n');
	}
	buf_adds(&b, " I/O:      ");
	if (!s.io_events && !traced(io_nrs, ARRAY_SIZE(io_nrs))) {
		buf_adds(&b, NOT_TRACED);
	} else {
		buf_adds(&b, "Files read ");
		size(&b, s.file_rd);
		buf_adds(&b, "   written ");
		size(&b, s.file_wr);
		buf_adds(&b, "   Net sent ");
		size(&b, s.net_tx);
		buf_adds(&b, "   received ");
		size(&b, s.net_rx);
		buf_addc(&b, '\n');
	}
	if (s.other_rd || s.other_wr) {
		buf_adds(&b, "           Pipes/ttys/other read ");
		size(&b, s.other_rd);
		buf_adds(&b, "   written ");
		size(&b, s.other_wr);
		buf_addc(&b, '\n');
	}
	print_conns(&s, &b);
	print_times(&s, &b);
	print_procs(&s, &b);
	print_files(&s, &b, &s.files_rd, "Files read");
	print_files(&s, &b, &s.files_wr, "Files written");
	print_fails(&s, &b);
	print_sigs(&s, &b);
	print_crashes(&s, &b);
	print_faults(&s, &b);
	for (size_t i = 0; i < s.nwarnings && i < MAX_WARNINGS; i++) {
		buf_adds(&b, " Warning:  ");
		uint32_t id = fstrid(s.warnings[i], EVK_MSG);
		add_str(&b, s.log, id);
		buf_addc(&b, '\n');
	}
	if (s.nwarnings > MAX_WARNINGS)
		buf_printf(&b, " ... and %zu more warnings\n", s.nwarnings - MAX_WARNINGS);
	if (!opt.no_filter && (s.hidden_opens || s.hidden_conns || s.hidden_fails)) {
		const struct {
			uint64_t n;
			const char *what;
		} parts[] = {{s.hidden_opens, "open"}, {s.hidden_conns, "connection"},
			     {s.hidden_fails, "failure"}};
		buf_adds(&b, " Noise filter: not listed:");
		bool first = true;
		for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
			if (!parts[i].n)
				continue;
			buf_printf(&b, "%s %llu %s%s", first ? "" : ",", (unsigned long long)parts[i].n,
				   parts[i].what, parts[i].n == 1 ? "" : "s");
			first = false;
		}
		buf_adds(&b, " (/proc, /sys, /dev, shared libraries, loopback; totals include them; "
			     "--no-filter lists them)\n");
	}
	print_exit(r, &b);
	rule(&b);

	if (opt.summary_table) {
		bool any = table_from_stats(&b, AUDIT_ARCH_X86_64, NULL);
		any = table_from_stats(&b, AUDIT_ARCH_I386,
				       any ? "\nSystem call usage summary for 32 bit mode:\n" : NULL) || any;
		if (!any && !table_from_log(&b, r->log))
			buf_adds(&b, "(no syscall statistics: the log holds none)\n");
		buf_adds(&b, "wall ");
		fmt_secs(&b, wall);
		buf_printf(&b, "   cpu user %.3fs   sys %.3fs\n", r->cpu_user, r->cpu_sys);
	}

	(void)write_all(fd, b.data, b.len);
	buf_free(&b);
	tfree(&s.files_rd);
	tfree(&s.files_wr);
	tfree(&s.heap_by_pid);
	tfree(&s.conns);
	tfree(&s.fails);
	tfree(&s.sigs);
	tfree(&s.rss);
	tfree(&s.pidx);
	free(s.procs);
	free(s.crashes);
	free(s.warnings);
}
