/* SPDX-License-Identifier: MIT */
/* summary_scan: one pass over the event log gathering what the FINAL block tells. */
#include <stdlib.h>
#include <string.h>

#include "log/evcount.h"
#include "log/evfield.h"
#include "sinks/summary.h"
#include "sinks/summary_int.h"

struct ent *summary_table_get(struct table *t, uint64_t key)
{
	uint32_t *slot = u64map_slot(&t->idx, key);
	if (*slot)
		return &t->e[*slot - 1];
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->e = xreallocarray(t->e, t->cap, sizeof(*t->e));
	}
	struct ent *e = &t->e[t->n++];
	memset(e, 0, sizeof(*e));
	e->key = key;
	e->order = (uint32_t)t->n;
	*slot = (uint32_t)t->n;
	return e;
}

void summary_table_free(struct table *t)
{
	free(t->e);
	u64map_free(&t->idx);
}

int summary_by_a_desc(const void *x, const void *y)
{
	const struct ent *a = x, *b = y;
	if (a->a != b->a)
		return a->a < b->a ? 1 : -1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Left out of the lists by the noise filter (totals still count it). */
static bool hidden(const struct sum *s, const struct ev *e)
{
	return (e->flags & EVFL_NOISE) && !s->cfg->no_filter;
}

static struct pinfo *proc_get(struct sum *s, int pid, bool create)
{
	struct ent *x = summary_table_get(&s->pidx, (uint64_t)(uint32_t)pid);
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

/* A read or write call that returned (log/evcount.h: the 0-byte read at the end of a file is a call). */
static void add_rw(struct sum *s, const struct ev *e, uint64_t bytes)
{
	bool rd = e->type == EVT_READ;
	uint32_t path = evfield_strid(e, EVK_PATH);
	uint32_t why = path ? 0 : evfield_strid(e, EVK_UNKNOWN);
	if (why) { /* a file, pipe or tty: not known which */
		*(rd ? &s->unk_rd : &s->unk_wr) += bytes;
		s->unk_why = s->unk_why ? s->unk_why : why;
		return;
	}
	if (!path || !file_path(s->log, path)) {
		*(rd ? &s->other_rd : &s->other_wr) += bytes;
		return;
	}
	*(rd ? &s->file_rd : &s->file_wr) += bytes;
	if (hidden(s, e))
		return;
	if (!rd) {
		summary_files_write(s, path, bytes);
		return;
	}
	struct ent *x = summary_table_get(rd ? &s->files_rd : &s->files_wr, path);
	x->id = path;
	x->a += bytes;
	x->b++;
}

/* Every event goes through here: what counts as a failure is log/evcount.h's rule. */
static void add_fail(struct sum *s, const struct ev *e)
{
	uint32_t errname;
	int err = evcount_failure(e, &errname);
	if (!err)
		return;
	/* probing is counted (one count everywhere: evcount's rule) but told apart */
	s->nfails++;
	if (summary_probe_fail(s, e))
		return;
	if (hidden(s, e)) {
		s->hidden_fails++;
		return;
	}
	/* group by type, errno and directory of the path (ENOENT storms over search paths) */
	uint32_t path = evfield_strid(e, EVK_PATH);
	size_t n = 0;
	const char *p = evlog_str(s->log, path, &n);
	uint64_t dirhash = 0;
	if (p) {
		const char *slash = memrchr(p, '/', n);
		size_t dl = slash ? (size_t)(slash - p) + 1 : 0;
		for (size_t i = 0; i < dl; i++)
			dirhash = dirhash * 1099511628211ull + (unsigned char)p[i];
	}
	uint64_t key = u64map_mix(((uint64_t)e->type << 48) ^ ((uint64_t)(uint32_t)err << 16) ^
			   (errname ? u64map_mix(errname) : 0) ^ u64map_mix(dirhash + 1));
	struct ent *x = summary_table_get(&s->fails, key);
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

void summary_scan_event(struct sum *s, const struct ev *e)
{
	int64_t v;
	if (e->t > s->t_last)
		s->t_last = e->t;
	summary_probe_event(s, e);
	switch (e->type) {
	case EVT_SPAWN: {
		int64_t child = 0;
		evfield_num(e, EVK_CHILD, &child);
		if (evfield_bool(e, EVK_THREAD)) {
			s->nthreads++;
			struct pinfo *p = proc_get(s, e->pid, true);
			p->threads++;
			break;
		}
		if (ev_find(e, EVK_ERR) || child <= 0)
			break;
		struct pinfo *parent = proc_get(s, e->pid, true);
		uint32_t argv = parent->argv;
		struct ent *x = summary_table_get(&s->pidx, (uint64_t)(uint32_t)child);
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
		if (!ev_find(e, EVK_ERR)) {
			p->exe = evfield_strid(e, EVK_PATH);
			p->exec_mark = s->nprocs;
		}
		break;
	}
	case EVT_EXIT:
		if (!evfield_bool(e, EVK_THREAD)) {
			struct pinfo *p = proc_get(s, e->pid, true);
			p->exited = true;
			p->is_root = p->is_root || evfield_bool(e, EVK_ROOT);
			p->core = evfield_bool(e, EVK_CORE);
			const struct ev_field *f = ev_find(e, EVK_SIGNAL);
			if (f && evfield_num(e, EVK_SIGNAL, &v))
				p->sig = (int)v;
			else if (evfield_num(e, EVK_CODE, &v))
				p->code = (int)v;
			if (evfield_num(e, EVK_MAXRSS, &v) && v > 0)
				p->maxrss = (uint64_t)v;
		}
		break;
	case EVT_DETACH:
		if (evfield_num(e, EVK_MAXRSS, &v) && v > 0)
			proc_get(s, e->pid, true)->maxrss = (uint64_t)v;
		break;
	case EVT_SIGNAL:
		if (evfield_num(e, EVK_SIGNAL, &v)) {
			struct ent *x = summary_table_get(&s->sigs, (uint64_t)v);
			x->a++;
			if (evfield_num(e, EVK_SENDER, &v))
				x->b = (uint64_t)v;
		}
		break;
	case EVT_OPEN:
		s->opens++;
		if (hidden(s, e))
			s->hidden_opens++;
		else
			summary_files_change(s, e);
		break;
	case EVT_READ:
	case EVT_WRITE:
		s->io_events++;
		s->file_io_events++;
		if (evcount_rw_call(e))
			add_rw(s, e, evcount_bytes(e));
		break;
	case EVT_SEND:
	case EVT_RECV:
		s->io_events++;
		if (evfield_num(e, EVK_BYTES, &v) && v > 0)
			*(e->type == EVT_SEND ? &s->net_tx : &s->net_rx) += (uint64_t)v;
		break;
	case EVT_CONNECT:
	case EVT_CONN:
		summary_conn_add(s, e);
		break;
	case EVT_MMAP:
		s->mem_events++;
		s->mmap_events++;
		if (!ev_find(e, EVK_ERR) && evfield_num(e, EVK_LEN, &v) && v > 0) {
			s->mmap_bytes += (uint64_t)v;
			s->mmap_regions++;
		}
		break;
	case EVT_BRK:
		s->mem_events++;
		s->brk_events++;
		if (evfield_num(e, EVK_GROWTH, &v)) {
			struct ent *x = summary_table_get(&s->heap_by_pid, (uint64_t)(uint32_t)e->pid);
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
		if (evfield_num(e, EVK_RSS, &v) && v > 0) {
			struct ent *x = summary_table_get(&s->rss, (uint64_t)(uint32_t)e->pid);
			if ((uint64_t)v > x->a)
				x->a = (uint64_t)v;
		}
		break;
	default:
		if ((e->type == EVT_UNLINK || e->type == EVT_RENAME || e->type == EVT_LINK) && !hidden(s, e))
			summary_files_change(s, e);
		if (e->type == EVT_ACCEPT)
			summary_conn_add(s, e);
		break;
	}
	add_fail(s, e);
}

void summary_scan_end(struct sum *s)
{
	summary_probe_end(s);
	for (size_t i = 0; i < s->heap_by_pid.n; i++) {
		int64_t g = (int64_t)s->heap_by_pid.e[i].a;
		if (g > 0)
			s->heap += g;
	}
}

void summary_scan(struct sum *s)
{
	struct evlog_cursor c = {0};
	const struct ev *e;
	while ((e = evlog_next(s->log, &c)))
		summary_scan_event(s, e);
	summary_scan_end(s);
}

void summary_sum_free(struct sum *s)
{
	summary_table_free(&s->files_rd);
	summary_table_free(&s->files_wr);
	summary_files_free(s);
	summary_table_free(&s->heap_by_pid);
	summary_table_free(&s->conns);
	free(s->connlist);
	free(s->connnext);
	free(s->connects);
	summary_table_free(&s->fails);
	summary_table_free(&s->sigs);
	summary_table_free(&s->rss);
	summary_table_free(&s->pidx);
	summary_table_free(&s->searches);
	free(s->procs);
	free(s->crashes);
	free(s->warnings);
}
