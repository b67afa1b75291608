/* SPDX-License-Identifier: MIT */
/*
 * summary_tree: the FINAL block's process tree. Every process is shown when
 * the tree fits (SUMMARY_TREE_MAX lines, or all with cfg->tree_all); leaf
 * siblings with the same command line fold into one "12 × cmd" line; a
 * process's own children (started since its last exec) come before the ones
 * it started as an earlier program (a shim's helpers), which are grouped
 * under a line of their own.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/fmt.h"
#include "lib/shquote.h"
#include "lib/xlat.h"
#include "sinks/summary.h"
#include "sinks/summary_int.h"

#define ARGV_SHOWN 200 /* bytes of a process's command line shown */

struct tree {
	struct sum *s;
	struct buf *b;
	unsigned lines, max; /* max 0: no limit */
	size_t shown;        /* processes shown (a folded line shows several) */
};

static void add_arg(const struct sum *s, struct buf *b, const char *a, size_t n)
{
	shquote(b, a, n, s->cfg->strsize > 0 ? (size_t)s->cfg->strsize : 0);
}

static void add_cmdline(const struct sum *s, struct buf *b, const struct pinfo *p)
{
	size_t start = b->len;
	if (p->argv) {
		uint32_t n;
		const uint32_t *ids = evlog_strv_get(s->log, p->argv, &n);
		for (uint32_t i = 0; i < n; i++) {
			if (b->len - start > ARGV_SHOWN) {
				buf_adds(b, " ...");
				break;
			}
			if (i)
				buf_addc(b, ' ');
			size_t len;
			const char *a = evlog_str(s->log, ids[i], &len);
			if (a)
				add_arg(s, b, a, len);
		}
		if (!n)
			buf_adds(b, "?");
	} else if (p->is_root || p->pid == s->r->root_pid) {
		for (int i = 0; i < s->r->argc && s->r->argv && s->r->argv[i]; i++) {
			if (i)
				buf_addc(b, ' ');
			add_arg(s, b, s->r->argv[i], strlen(s->r->argv[i]));
		}
	} else {
		buf_adds(b, "?");
	}
}

static void add_outcome(struct buf *b, const struct pinfo *p)
{
	if (!p->exited) {
		buf_adds(b, "still running");
	} else if (p->sig) {
		char tmp[XLAT_LABEL_MAX];
		buf_adds(b, "killed by ");
		buf_adds(b, xlat_signal_label(p->sig, tmp));
		if (p->core)
			buf_adds(b, " (core dumped)");
	} else {
		buf_printf(b, "exit %d", p->code);
	}
}

static bool same_outcome(const struct pinfo *a, const struct pinfo *b)
{
	return a->exited == b->exited && a->sig == b->sig && a->code == b->code && a->core == b->core;
}

/* Same command line: the same strings in the same order (string ids are interned). */
static bool same_argv(const struct sum *s, const struct pinfo *a, const struct pinfo *b)
{
	if (a->argv == b->argv)
		return true;
	if (!a->argv || !b->argv)
		return false;
	uint32_t na, nb;
	const uint32_t *ia = evlog_strv_get(s->log, a->argv, &na);
	const uint32_t *ib = evlog_strv_get(s->log, b->argv, &nb);
	return na == nb && (!na || !memcmp(ia, ib, na * sizeof(*ia)));
}

/* Leaves that a "N × cmd" line may stand for together. */
static bool foldable(const struct sum *s, const struct pinfo *a, const struct pinfo *b)
{
	return !a->first_child && !b->first_child && a->forked_only == b->forked_only &&
	       a->threads == b->threads && a->argv && same_argv(s, a, b);
}

static void indent(struct tree *t, int depth)
{
	buf_addc(t->b, ' ');
	for (int i = 0; i < depth && i < 20; i++)
		buf_adds(t->b, "  ");
	buf_adds(t->b, depth ? "\u2514 " : "  ");
}

/* Room for one more line? Past the limit, processes are only counted as not shown. */
static bool room(struct tree *t)
{
	return !t->max || t->lines < t->max;
}

static void print_node(struct tree *t, size_t idx, int depth);

/* "N × cmd  → exit 0" for the n foldable siblings in group[0..n). */
static void print_folded(struct tree *t, size_t *group, size_t n, int depth)
{
	struct sum *s = t->s;
	const struct pinfo *p = &s->procs[group[0]];
	for (size_t i = 0; i < n; i++)
		s->procs[group[i]].printed = true;
	if (!room(t))
		return;
	t->lines++;
	t->shown += n;
	indent(t, depth);
	buf_printf(t->b, "%zu \u00d7 ", n);
	add_cmdline(s, t->b, p);
	if (p->forked_only)
		buf_adds(t->b, " (fork)");
	if (p->threads)
		buf_printf(t->b, " [%u thread%s each]", p->threads, p->threads == 1 ? "" : "s");
	buf_adds(t->b, "  \u2192 ");
	/* the outcomes, each with its count when they differ */
	bool all_same = true;
	for (size_t i = 1; i < n && all_same; i++)
		all_same = same_outcome(p, &s->procs[group[i]]);
	if (all_same) {
		add_outcome(t->b, p);
	} else {
		bool *done = xcalloc(n, sizeof(*done));
		bool first = true;
		for (size_t i = 0; i < n; i++) {
			if (done[i])
				continue;
			size_t k = 0;
			for (size_t j = i; j < n; j++)
				if (!done[j] && same_outcome(&s->procs[group[i]], &s->procs[group[j]])) {
					done[j] = true;
					k++;
				}
			if (!first)
				buf_adds(t->b, ", ");
			first = false;
			add_outcome(t->b, &s->procs[group[i]]);
			buf_printf(t->b, " \u00d7%zu", k);
		}
		free(done);
	}
	uint64_t peak = 0;
	for (size_t i = 0; i < n; i++)
		if (s->procs[group[i]].maxrss > peak)
			peak = s->procs[group[i]].maxrss;
	if (peak) {
		buf_adds(t->b, n > 1 ? ", peak RSS up to " : ", peak RSS ");
		fmt_size(t->b, peak);
	}
	buf_addc(t->b, '\n');
}

/* The children in kids[0..n), identical leaves folded unless cfg->tree_all. */
static void print_children(struct tree *t, const size_t *kids, size_t n, int depth)
{
	struct sum *s = t->s;
	size_t *group = xcalloc(n ? n : 1, sizeof(*group));
	for (size_t i = 0; i < n; i++) {
		struct pinfo *p = &s->procs[kids[i]];
		if (p->printed)
			continue;
		size_t g = 0;
		group[g++] = kids[i];
		if (!s->cfg->tree_all)
			for (size_t j = i + 1; j < n; j++)
				if (!s->procs[kids[j]].printed && foldable(s, p, &s->procs[kids[j]]))
					group[g++] = kids[j];
		if (g > 1)
			print_folded(t, group, g, depth);
		else
			print_node(t, kids[i], depth);
	}
	free(group);
}

/* Processes in the subtree of idx, idx included. */
static size_t subtree_size(const struct sum *s, size_t idx)
{
	size_t n = 1;
	for (unsigned c = s->procs[idx].first_child; c; c = s->procs[c - 1].next_sibling)
		n += subtree_size(s, c - 1);
	return n;
}

static void print_node(struct tree *t, size_t idx, int depth)
{
	struct sum *s = t->s;
	struct pinfo *p = &s->procs[idx];
	p->printed = true;
	if (room(t)) {
		t->lines++;
		t->shown++;
		indent(t, depth);
		buf_printf(t->b, "%d ", p->pid);
		add_cmdline(s, t->b, p);
		if (p->forked_only)
			buf_adds(t->b, " (fork)");
		if (p->threads)
			buf_printf(t->b, " [%u thread%s]", p->threads, p->threads == 1 ? "" : "s");
		buf_adds(t->b, "  \u2192 ");
		add_outcome(t->b, p);
		if (p->maxrss) {
			buf_adds(t->b, ", peak RSS ");
			fmt_size(t->b, p->maxrss);
		}
		buf_addc(t->b, '\n');
	}
	/* own children (started since the last exec) first, then those of earlier programs */
	size_t n = 0;
	for (unsigned c = p->first_child; c; c = s->procs[c - 1].next_sibling)
		n++;
	size_t *own = xcalloc(n ? n : 1, sizeof(*own)), *before = xcalloc(n ? n : 1, sizeof(*before));
	size_t nown = 0, nbefore = 0, nbefore_all = 0;
	for (unsigned c = p->first_child; c; c = s->procs[c - 1].next_sibling) {
		if (c - 1 < p->exec_mark) {
			before[nbefore++] = c - 1;
			nbefore_all += subtree_size(s, c - 1);
		} else {
			own[nown++] = c - 1;
		}
	}
	print_children(t, own, nown, depth + 1);
	if (nbefore) {
		if (room(t)) {
			t->lines++;
			indent(t, depth + 1);
			buf_adds(t->b, "started before it became ");
			size_t en = 0;
			const char *exe = evlog_str(s->log, p->exe, &en);
			const char *slash = exe ? memrchr(exe, '/', en) : NULL;
			if (slash && slash + 1 < exe + en) {
				en -= (size_t)(slash + 1 - exe);
				exe = slash + 1;
			}
			add_arg(s, t->b, exe ? exe : "?", exe ? en : 1);
			buf_printf(t->b, " (%zu process%s):\n", nbefore_all, nbefore_all == 1 ? "" : "es");
		}
		print_children(t, before, nbefore, depth + 2);
	}
	free(own);
	free(before);
}

void summary_tree_print(struct sum *s, struct buf *b)
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
	struct tree t = {.s = s, .b = b, .max = s->cfg->tree_all ? 0 : SUMMARY_TREE_MAX};
	for (size_t i = 0; i < s->nprocs; i++)
		if (!s->procs[i].ppid && !s->procs[i].printed)
			print_node(&t, i, 0);
	if (t.shown < s->nprocs)
		buf_printf(b, "   ... and %zu more (--tree=all shows every process)\n", s->nprocs - t.shown);
}
