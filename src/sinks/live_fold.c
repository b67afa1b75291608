/* SPDX-License-Identifier: MIT */
/*
 * live_fold: routine work told in one line instead of one line per event
 * (the record's fold kind, enum ev_fold in log/evlog.h): a process's
 * anonymous memory calls per second of its activity or per program, a
 * burst of locale loading, and a PATH search, told when it ends.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/fmt.h"
#include "lib/xlat.h"
#include "log/evfield.h"
#include "sinks/live_int.h"

#define FOLD_WINDOW_NS 1000000000ull /* a memory line covers at most a second */

/* What is being folded for one process. */
struct live_fold {
	int pid;
	/* memory */
	bool mem_on;
	uint64_t mem_t0;
	uint64_t maps, map_bytes, unmaps, unmap_bytes, remaps, protects;
	int64_t brk;
	/* locale */
	bool loc_on;
	uint64_t loc_t0;
	int loc_tid;
	uint64_t loc_opens, loc_missing;
	/* PATH search */
	bool ps_on;
	uint64_t ps_t0;
	int ps_tid;
	uint32_t ps_name; /* argv[0] */
	uint64_t ps_dirs;
	int ps_err;
};

static struct live_fold *fold_get(struct live *l, int pid, bool create)
{
	uint32_t *slot = u64map_slot(&l->fold_idx, (uint64_t)(uint32_t)pid);
	if (*slot)
		return &l->folds[*slot - 1];
	if (!create)
		return NULL;
	if (l->nfolds == l->folds_cap) {
		l->folds_cap = l->folds_cap ? l->folds_cap * 2 : 16;
		l->folds = xreallocarray(l->folds, l->folds_cap, sizeof(*l->folds));
	}
	struct live_fold *f = &l->folds[l->nfolds++];
	memset(f, 0, sizeof(*f));
	f->pid = pid;
	*slot = (uint32_t)l->nfolds;
	return f;
}

static uint64_t page_len(uint64_t len)
{
	return len > UINT64_MAX - 4095 ? len : (len + 4095) & ~4095ull;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static void size_part(struct live *l, const char *sign, uint64_t v)
{
	buf_adds(&l->out, sign);
	fmt_size(&l->out, v);
}

static void flush_mem(struct live *l, struct live_fold *f)
{
	if (!f->mem_on)
		return;
	f->mem_on = false;
	/* relro mprotect and no-op brk alone were never narrated: no line for them */
	if (f->maps || f->unmaps || f->remaps || f->brk) {
		live_prefix(l, f->mem_t0, f->pid, f->pid);
		buf_adds(&l->out, "memory:");
		const char *sep = " ";
		if (f->maps) {
			buf_printf(&l->out, "%s%llu anonymous map%s ", sep, (unsigned long long)f->maps,
				   f->maps == 1 ? "" : "s");
			size_part(l, "+", f->map_bytes);
			sep = ", ";
		}
		if (f->unmaps) {
			buf_printf(&l->out, "%s%llu unmap%s ", sep, (unsigned long long)f->unmaps,
				   f->unmaps == 1 ? "" : "s");
			size_part(l, "-", f->unmap_bytes);
			sep = ", ";
		}
		if (f->remaps) {
			buf_printf(&l->out, "%s%llu remap%s", sep, (unsigned long long)f->remaps,
				   f->remaps == 1 ? "" : "s");
			sep = ", ";
		}
		if (f->brk) {
			buf_printf(&l->out, "%sbrk ", sep);
			size_part(l, f->brk < 0 ? "-" : "+", (uint64_t)(f->brk < 0 ? -f->brk : f->brk));
			sep = ", ";
		}
		if (f->protects)
			buf_printf(&l->out, "%s%llu mprotect", sep, (unsigned long long)f->protects);
		live_end_line(l, f->mem_t0);
	}
	f->maps = f->map_bytes = f->unmaps = f->unmap_bytes = f->remaps = f->protects = 0;
	f->brk = 0;
}

static void flush_locale(struct live *l, struct live_fold *f)
{
	if (!f->loc_on)
		return;
	f->loc_on = false;
	if (f->loc_opens) {
		live_prefix(l, f->loc_t0, f->pid, f->loc_tid);
		buf_printf(&l->out, "probed %llu locale file%s", (unsigned long long)f->loc_opens,
			   f->loc_opens == 1 ? "" : "s");
		if (f->loc_missing)
			buf_printf(&l->out, " (%llu not found)", (unsigned long long)f->loc_missing);
		live_end_line(l, f->loc_t0);
	}
	f->loc_opens = f->loc_missing = 0;
}

/* The search ends: found by e (a successful exec of the same task), or not found. */
static void flush_search(struct live *l, const struct evlog *log, struct live_fold *f, const struct ev *e)
{
	if (!f->ps_on)
		return;
	f->ps_on = false;
	live_prefix(l, f->ps_t0, f->pid, f->ps_tid);
	bool found = e && e->type == EVT_EXEC && e->tid == f->ps_tid && !ev_find(e, EVK_ERR);
	size_t n;
	const char *s;
	if (found) {
		buf_printf(&l->out, "PATH search: %llu director%s before ", (unsigned long long)f->ps_dirs,
			   f->ps_dirs == 1 ? "y" : "ies");
		live_add_field(l, log, e, EVK_PATH);
	} else {
		buf_adds(&l->out, "PATH search: ");
		if ((s = evlog_str(log, f->ps_name, &n)))
			live_add_str(l, s, n);
		buf_printf(&l->out, " not found in %llu director%s ", (unsigned long long)f->ps_dirs,
			   f->ps_dirs == 1 ? "y" : "ies");
		char tmp[XLAT_LABEL_MAX];
		live_color(l, C_RED);
		buf_adds(&l->out, xlat_errno_label(f->ps_err, tmp));
		live_color(l, C_RESET);
	}
	live_end_line(l, f->ps_t0);
	f->ps_dirs = 0;
}

bool live_fold_absorb(struct live *l, const struct evlog *log, const struct ev *e)
{
	unsigned kind = ev_fold_kind(e);
	if (kind == EVFOLD_NONE || l->verbose || l->no_filter || (e->flags & EVFL_NOISE))
		return false;
	struct live_fold *f = fold_get(l, e->pid, true);
	int64_t v = 0;
	switch (kind) {
	case EVFOLD_MEMORY:
		if (f->mem_on && e->t >= f->mem_t0 + FOLD_WINDOW_NS)
			flush_mem(l, f);
		if (!f->mem_on) {
			f->mem_on = true;
			f->mem_t0 = e->t;
		}
		switch (e->type) {
		case EVT_MMAP:
			f->maps++;
			if (evfield_num(e, EVK_LEN, &v))
				f->map_bytes = sat_add(f->map_bytes, page_len((uint64_t)v));
			break;
		case EVT_MUNMAP:
			f->unmaps++;
			if (evfield_num(e, EVK_LEN, &v))
				f->unmap_bytes = sat_add(f->unmap_bytes, page_len((uint64_t)v));
			break;
		case EVT_MREMAP: f->remaps++; break;
		case EVT_MPROTECT: f->protects++; break;
		case EVT_BRK:
			if (evfield_num(e, EVK_GROWTH, &v))
				f->brk += v;
			break;
		}
		return true;
	case EVFOLD_LOCALE:
		if (!f->loc_on) {
			f->loc_on = true;
			f->loc_t0 = e->t;
			f->loc_tid = e->tid;
		}
		if (e->type == EVT_OPEN) {
			f->loc_opens++;
			if (ev_find(e, EVK_ERR))
				f->loc_missing++;
		}
		return true;
	case EVFOLD_PATH: {
		uint32_t argc = 0;
		const uint32_t *ids = evlog_strv_get(log, evfield_strvid(e, EVK_ARGV), &argc);
		uint32_t name = argc ? ids[0] : 0;
		if (f->ps_on && (f->ps_tid != e->tid || f->ps_name != name))
			flush_search(l, log, f, NULL);
		if (!f->ps_on) {
			f->ps_on = true;
			f->ps_t0 = e->t;
			f->ps_tid = e->tid;
			f->ps_name = name;
		}
		f->ps_dirs++;
		uint32_t errname;
		f->ps_err = evfield_errno(e, &errname);
		return true;
	}
	default:
		return false;
	}
}

void live_fold_before(struct live *l, const struct evlog *log, const struct ev *e)
{
	if (!l->nfolds)
		return;
	struct live_fold *f = fold_get(l, e->pid, false);
	if (!f)
		return;
	flush_locale(l, f);
	flush_search(l, log, f, e);
	bool image_ends = (e->type == EVT_EXEC && !ev_find(e, EVK_ERR)) ||
			  (e->type == EVT_EXIT && !evfield_bool(e, EVK_THREAD));
	if (f->mem_on && (image_ends || e->t >= f->mem_t0 + FOLD_WINDOW_NS))
		flush_mem(l, f);
}

void live_fold_finish(struct live *l, const struct evlog *log)
{
	for (size_t i = 0; i < l->nfolds; i++) {
		flush_locale(l, &l->folds[i]);
		flush_search(l, log, &l->folds[i], NULL);
		flush_mem(l, &l->folds[i]);
	}
	free(l->folds);
	l->folds = NULL;
	l->nfolds = l->folds_cap = 0;
	u64map_free(&l->fold_idx);
}
