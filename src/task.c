/* SPDX-License-Identifier: MIT */
/* task: per-thread and per-process state of the traced tree, in hashes keyed by tid and pid. */
#include <stddef.h> /* task.h uses size_t without including it */

#include "task.h"

#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "util.h"

/*
 * Chained hashes with intrusive links. Nodes wrap the public structs so
 * task.h stays free of hash details; tasks and procs never move in memory.
 */
struct task_node {
	struct task t;
	struct task_node *next;
};

struct proc_node {
	struct proc p;
	struct proc_node *next;
};

struct taskset {
	struct task_node **tb;
	size_t tcap, tcount;
	struct proc_node **pb;
	size_t pcap, pcount;
};

static size_t slot(int id, size_t cap)
{
	uint32_t h = (uint32_t)id * 2654435761u;
	return (h ^ (h >> 16)) & (cap - 1);
}

struct taskset *taskset_new(void)
{
	struct taskset *ts = xcalloc(1, sizeof(*ts));

	ts->tcap = ts->pcap = 64;
	ts->tb = xcalloc(ts->tcap, sizeof(*ts->tb));
	ts->pb = xcalloc(ts->pcap, sizeof(*ts->pb));
	return ts;
}

static void proc_release(struct taskset *ts, struct proc *p)
{
	struct proc_node **pp = &ts->pb[slot(p->pid, ts->pcap)];

	for (; *pp; pp = &(*pp)->next) {
		if (&(*pp)->p == p) {
			struct proc_node *n = *pp;
			*pp = n->next;
			ts->pcount--;
			decode_proc_free(p);
			free(n);
			return;
		}
	}
}

void taskset_free(struct taskset *ts)
{
	if (!ts)
		return;
	for (size_t i = 0; i < ts->tcap; i++) {
		struct task_node *n = ts->tb[i];
		while (n) {
			struct task_node *next = n->next;
			free(n);
			n = next;
		}
	}
	for (size_t i = 0; i < ts->pcap; i++) {
		struct proc_node *n = ts->pb[i];
		while (n) {
			struct proc_node *next = n->next;
			decode_proc_free(&n->p);
			free(n);
			n = next;
		}
	}
	free(ts->tb);
	free(ts->pb);
	free(ts);
}

struct task *task_find(struct taskset *ts, int tid)
{
	for (struct task_node *n = ts->tb[slot(tid, ts->tcap)]; n; n = n->next)
		if (n->t.tid == tid)
			return &n->t;
	return NULL;
}

struct proc *proc_find(struct taskset *ts, int pid)
{
	for (struct proc_node *n = ts->pb[slot(pid, ts->pcap)]; n; n = n->next)
		if (n->p.pid == pid)
			return &n->p;
	return NULL;
}

static void grow_tasks(struct taskset *ts)
{
	size_t ncap = ts->tcap * 2;
	struct task_node **nb = xcalloc(ncap, sizeof(*nb));

	for (size_t i = 0; i < ts->tcap; i++) {
		struct task_node *n = ts->tb[i];
		while (n) {
			struct task_node *next = n->next;
			size_t s = slot(n->t.tid, ncap);
			n->next = nb[s];
			nb[s] = n;
			n = next;
		}
	}
	free(ts->tb);
	ts->tb = nb;
	ts->tcap = ncap;
}

static void grow_procs(struct taskset *ts)
{
	size_t ncap = ts->pcap * 2;
	struct proc_node **nb = xcalloc(ncap, sizeof(*nb));

	for (size_t i = 0; i < ts->pcap; i++) {
		struct proc_node *n = ts->pb[i];
		while (n) {
			struct proc_node *next = n->next;
			size_t s = slot(n->p.pid, ncap);
			n->next = nb[s];
			nb[s] = n;
			n = next;
		}
	}
	free(ts->pb);
	ts->pb = nb;
	ts->pcap = ncap;
}

struct task *task_add(struct taskset *ts, int tid, struct proc *proc)
{
	if (!proc) {
		struct proc_node *pn = xcalloc(1, sizeof(*pn));
		if (ts->pcount + 1 > ts->pcap)
			grow_procs(ts);
		pn->p.pid = tid;
		size_t s = slot(tid, ts->pcap);
		pn->next = ts->pb[s];
		ts->pb[s] = pn;
		ts->pcount++;
		proc = &pn->p;
	}
	struct task_node *tn = xcalloc(1, sizeof(*tn));
	if (ts->tcount + 1 > ts->tcap)
		grow_tasks(ts);
	tn->t.tid = tid;
	tn->t.proc = proc;
	proc->refs++;
	proc->nthreads++;
	size_t s = slot(tid, ts->tcap);
	tn->next = ts->tb[s];
	ts->tb[s] = tn;
	ts->tcount++;
	return &tn->t;
}

void task_del(struct taskset *ts, struct task *t)
{
	struct task_node **pp = &ts->tb[slot(t->tid, ts->tcap)];

	for (; *pp; pp = &(*pp)->next) {
		if (&(*pp)->t != t)
			continue;
		struct task_node *n = *pp;
		struct proc *p = t->proc;
		*pp = n->next;
		ts->tcount--;
		free(n);
		if (p) {
			p->nthreads--;
			if (--p->refs == 0)
				proc_release(ts, p);
		}
		return;
	}
}

size_t taskset_count(const struct taskset *ts)
{
	return ts->tcount;
}

void taskset_each(struct taskset *ts, void (*fn)(struct task *t, void *ctx), void *ctx)
{
	/*
	 * Snapshot the tids first: fn may delete the current task or others
	 * (exec cleanup) and may add tasks (which this pass then skips).
	 */
	size_t n = ts->tcount, k = 0;
	if (n == 0)
		return;
	int *tids = xmalloc(n * sizeof(*tids));
	for (size_t i = 0; i < ts->tcap && k < n; i++)
		for (struct task_node *tn = ts->tb[i]; tn && k < n; tn = tn->next)
			tids[k++] = tn->t.tid;
	for (size_t i = 0; i < k; i++) {
		struct task *t = task_find(ts, tids[i]);
		if (t)
			fn(t, ctx);
	}
	free(tids);
}
