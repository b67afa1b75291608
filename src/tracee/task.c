/* SPDX-License-Identifier: MIT */
/* task: per-thread and per-process state of the traced tree, in hashes keyed by tid and pid. */
#include <stddef.h> /* task.h uses size_t without including it */

#include "tracee/task.h"

#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

/*
 * Two chained hashes (tasks by tid, procs by pid) sharing one intrusive
 * link type. Nodes wrap the public structs so task.h stays free of hash
 * details; tasks and procs never move in memory.
 */
struct link {
	struct link *next;
	int key;
};

struct hash {
	struct link **b;
	size_t cap, count;
};

struct task_node {
	struct link l; /* first: a link is its node */
	struct task t;
};

struct proc_node {
	struct link l;
	struct proc p;
};

struct taskset {
	struct hash tasks, procs;
};

#define NODE_OF(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

static size_t slot(int id, size_t cap)
{
	uint32_t h = (uint32_t)id * 2654435761u;
	return (h ^ (h >> 16)) & (cap - 1);
}

static void hash_init(struct hash *h)
{
	h->cap = 64;
	h->count = 0;
	h->b = xcalloc(h->cap, sizeof(*h->b));
}

static struct link *hash_find(const struct hash *h, int key)
{
	for (struct link *l = h->b[slot(key, h->cap)]; l; l = l->next)
		if (l->key == key)
			return l;
	return NULL;
}

static void hash_insert(struct hash *h, struct link *l)
{
	if (h->count + 1 > h->cap) {
		size_t ncap = h->cap * 2;
		struct link **nb = xcalloc(ncap, sizeof(*nb));
		for (size_t i = 0; i < h->cap; i++)
			for (struct link *n = h->b[i], *next; n; n = next) {
				next = n->next;
				size_t s = slot(n->key, ncap);
				n->next = nb[s];
				nb[s] = n;
			}
		free(h->b);
		h->b = nb;
		h->cap = ncap;
	}
	size_t s = slot(l->key, h->cap);
	l->next = h->b[s];
	h->b[s] = l;
	h->count++;
}

/* Unlinks l; false when it is not in h. */
static bool hash_remove(struct hash *h, struct link *l)
{
	for (struct link **pp = &h->b[slot(l->key, h->cap)]; *pp; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			h->count--;
			return true;
		}
	return false;
}

static void (*free_hook)(struct proc *p);

void task_set_proc_free_hook(void (*fn)(struct proc *p))
{
	free_hook = fn;
}

static void (*task_hook)(struct task *t);

void task_set_task_free_hook(void (*fn)(struct task *t))
{
	task_hook = fn;
}

static void task_free_hook(struct task *t)
{
	if (task_hook)
		task_hook(t);
}

static void proc_free_hook(struct proc *p)
{
	if (free_hook)
		free_hook(p);
}

struct taskset *taskset_new(void)
{
	struct taskset *ts = xcalloc(1, sizeof(*ts));

	hash_init(&ts->tasks);
	hash_init(&ts->procs);
	return ts;
}

static void proc_release(struct taskset *ts, struct proc *p)
{
	struct proc_node *n = NODE_OF(p, struct proc_node, p);

	if (!hash_remove(&ts->procs, &n->l))
		return;
	proc_free_hook(p);
	free(n);
}

void taskset_free(struct taskset *ts)
{
	if (!ts)
		return;
	for (size_t i = 0; i < ts->tasks.cap; i++)
		for (struct link *l = ts->tasks.b[i], *next; l; l = next) {
			next = l->next;
			task_free_hook(&NODE_OF(l, struct task_node, l)->t);
			free(NODE_OF(l, struct task_node, l));
		}
	for (size_t i = 0; i < ts->procs.cap; i++)
		for (struct link *l = ts->procs.b[i], *next; l; l = next) {
			struct proc_node *n = NODE_OF(l, struct proc_node, l);
			next = l->next;
			proc_free_hook(&n->p);
			free(n);
		}
	free(ts->tasks.b);
	free(ts->procs.b);
	free(ts);
}

struct task *task_find(struct taskset *ts, int tid)
{
	struct link *l = hash_find(&ts->tasks, tid);
	return l ? &NODE_OF(l, struct task_node, l)->t : NULL;
}

struct proc *proc_find(struct taskset *ts, int pid)
{
	struct link *l = hash_find(&ts->procs, pid);
	return l ? &NODE_OF(l, struct proc_node, l)->p : NULL;
}

struct task *task_add(struct taskset *ts, int tid, struct proc *proc)
{
	if (!proc) {
		struct proc_node *pn = xcalloc(1, sizeof(*pn));
		pn->p.pid = pn->l.key = tid;
		hash_insert(&ts->procs, &pn->l);
		proc = &pn->p;
	}
	struct task_node *tn = xcalloc(1, sizeof(*tn));
	tn->t.tid = tn->l.key = tid;
	tn->t.proc = proc;
	proc->refs++;
	proc->nthreads++;
	hash_insert(&ts->tasks, &tn->l);
	return &tn->t;
}

void task_del(struct taskset *ts, struct task *t)
{
	struct task_node *n = NODE_OF(t, struct task_node, t);
	struct proc *p = t->proc;

	if (!hash_remove(&ts->tasks, &n->l))
		return;
	task_free_hook(t);
	free(n);
	if (p) {
		p->nthreads--;
		if (--p->refs == 0)
			proc_release(ts, p);
	}
}

size_t taskset_count(const struct taskset *ts)
{
	return ts->tasks.count;
}

void taskset_each(struct taskset *ts, void (*fn)(struct task *t, void *ctx), void *ctx)
{
	/*
	 * Snapshot the tids first: fn may delete the current task or others
	 * (exec cleanup) and may add tasks (which this pass then skips).
	 */
	size_t n = ts->tasks.count, k = 0;
	if (n == 0)
		return;
	int *tids = xmalloc(n * sizeof(*tids));
	for (size_t i = 0; i < ts->tasks.cap && k < n; i++)
		for (struct link *l = ts->tasks.b[i]; l && k < n; l = l->next)
			tids[k++] = l->key;
	for (size_t i = 0; i < k; i++) {
		struct task *t = task_find(ts, tids[i]);
		if (t)
			fn(t, ctx);
	}
	free(tids);
}
