/* SPDX-License-Identifier: MIT */
/*
 * watch_fold: one incident per cause. A process that allocates 600 MB
 * trips memgrow (its own growth) and memdrop (MemAvailable fell), maybe
 * swap or mempressure too: one dump that names every trigger, not one dump
 * each (compendium(1), 'One incident per cause').
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watch/watch_sys.h"
#include "lib/msg.h"

bool watch_is_mem_kind(const char *kind)
{
	return !strcmp(kind, "memgrow") || !strcmp(kind, "memdrop") || !strcmp(kind, "swap") ||
	       !strcmp(kind, "mempressure");
}

static void add_related(struct pending *p, const char *kind, const char *scope, char *msg, double value,
			double threshold, double baseline, struct timespec real)
{
	if (p->nrel >= MAX_RELATED) {
		free(msg);
		return;
	}
	struct related *r = &p->rel[p->nrel++];
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	snprintf(r->scope, sizeof(r->scope), "%s", scope);
	r->msg = msg;
	r->value = value;
	r->threshold = threshold;
	r->baseline = baseline;
	r->real = real;
}

/* The other memory incident of the same cause that is open or has a dump pending (the pending one first). */
static struct incident *same_cause(struct watch *w, const struct incident *in)
{
	struct incident *open = NULL;
	for (int i = 0; i < MAX_INCIDENTS; i++) {
		struct incident *o = &w->inc[i];
		if (o == in || !o->kind[0] || !strcmp(o->kind, in->kind) || !watch_is_mem_kind(o->kind) ||
		    o->cause_pid != in->cause_pid || o->cause_start != in->cause_start)
			continue;
		if (o->dump)
			return o;
		if (o->open && !open)
			open = o;
	}
	return open;
}

bool watch_fold(struct watch *w, const struct wsnap *s, struct incident *in, const struct trig *t)
{
	struct incident *j = same_cause(w, in);
	if (!j)
		return false;
	if (!j->dump) {
		notemsg("trigger %s: same cause (process %d) as the %s incident, whose dump is written; no second dump",
			t->kind, in->cause_pid, j->kind);
		return true;
	}
	struct pending *p = j->dump;
	char kind[sizeof(p->kind)], scope[sizeof(p->scope)];
	if (!strcmp(t->kind, "memgrow") && strcmp(p->kind, "memgrow")) {
		/* the process's growth names the cause: the dump becomes its, the system trigger a related one */
		memcpy(kind, p->kind, sizeof(kind));
		memcpy(scope, p->scope, sizeof(scope));
		add_related(p, kind, scope, p->msg, p->value, p->threshold, p->baseline, p->trig_real);
		snprintf(p->kind, sizeof(p->kind), "%s", t->kind);
		snprintf(p->scope, sizeof(p->scope), "%s", t->scope);
		p->msg = xstrdup(t->msg);
		p->value = t->value;
		p->threshold = t->threshold;
		p->baseline = t->baseline;
		p->trig_seq = s->seq;
		p->trig_mono = s->mono;
		p->trig_real = s->real;
		/* the context still starts before the first trigger (ctx_seq); the window covers the later one */
		uint64_t due = s->mono + (uint64_t)(w->conf.post_trigger_seconds * 1e9);
		if (due > p->due_mono)
			p->due_mono = due;
		p->inc = in;
		in->dump = p;
		j->dump = NULL;
		notemsg("trigger %s: same cause (process %d) as the pending %s dump, which becomes this trigger's "
			"with the %s recorded in it; no second dump", t->kind, in->cause_pid, kind, kind);
		return true;
	}
	add_related(p, t->kind, t->scope, xstrdup(t->msg), t->value, t->threshold, t->baseline, s->real);
	notemsg("trigger %s: same cause (process %d) as the pending %s dump; recorded in it, no second dump", t->kind,
		in->cause_pid, p->kind);
	return true;
}
