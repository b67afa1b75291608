/* SPDX-License-Identifier: MIT */
/*
 * summary_probe: failed calls that are how programs look for things:
 * locale files not found, and the directories of a PATH search that found
 * the program (the record's fold kind, log/evlog.h). They count in the
 * failures like any error return (log/evcount.h: the same number as the
 * JSON end record and the report) but are told apart from the real ones.
 * A PATH search that found nothing is listed as one failure, with its
 * directories.
 */
#include "log/evfield.h"
#include "sinks/summary.h"
#include "sinks/summary_int.h"

/* The search of task tid ended: found by e (a successful exec), or not found. */
static void close_search(struct sum *s, struct ent *x, const struct ev *e)
{
	if (!x->a)
		return;
	if (e && e->type == EVT_EXEC && !ev_find(e, EVK_ERR)) {
		s->probe_path += x->a;
	} else {
		uint32_t errname;
		int err = evfield_errno(x->ev, &errname);
		/* its directories are in nfails already: listed as one failure */
		uint64_t key = u64map_mix(((uint64_t)EVT_EXEC << 48) ^ 0x5041544855ull ^ u64map_mix(x->id));
		struct ent *f = summary_table_get(&s->fails, key);
		if (!f->a) {
			f->id = x->id;
			f->b = EVT_EXEC;
			f->c = (uint64_t)(int64_t)err;
			f->extra = errname;
		}
		f->a++;
		if (x->a > f->dirs)
			f->dirs = x->a;
	}
	x->a = 0;
}

void summary_probe_event(struct sum *s, const struct ev *e)
{
	if (!s->searching)
		return;
	uint32_t *slot = u64map_slot(&s->searches.idx, (uint64_t)(uint32_t)e->tid);
	if (!*slot)
		return;
	struct ent *x = &s->searches.e[*slot - 1];
	if (!x->a || ev_fold_kind(e) == EVFOLD_PATH) /* the next directory is taken by the caller */
		return;
	close_search(s, x, e);
	s->searching--;
}

bool summary_probe_fail(struct sum *s, const struct ev *e)
{
	switch (ev_fold_kind(e)) {
	case EVFOLD_LOCALE:
		s->probe_locale++;
		return true;
	case EVFOLD_PATH: {
		uint32_t argc = 0;
		const uint32_t *ids = evlog_strv_get(s->log, evfield_strvid(e, EVK_ARGV), &argc);
		uint32_t name = argc ? ids[0] : 0;
		struct ent *x = summary_table_get(&s->searches, (uint64_t)(uint32_t)e->tid);
		if (x->a && x->id != name) {
			close_search(s, x, NULL);
			s->searching--;
		}
		if (!x->a)
			s->searching++;
		x->id = name;
		x->ev = e;
		x->a++;
		return true;
	}
	default:
		return false;
	}
}

void summary_probe_end(struct sum *s)
{
	for (size_t i = 0; i < s->searches.n; i++)
		close_search(s, &s->searches.e[i], NULL);
	s->searching = 0;
}

void summary_probe_print(const struct sum *s, struct buf *b)
{
	if (!s->probe_locale && !s->probe_path)
		return;
	buf_adds(b, "   probing:");
	if (s->probe_locale)
		buf_printf(b, " %llu locale file%s not found%s", (unsigned long long)s->probe_locale,
			   s->probe_locale == 1 ? "" : "s", s->probe_path ? "," : "");
	if (s->probe_path)
		buf_printf(b, " %llu PATH director%s tried before the program", (unsigned long long)s->probe_path,
			   s->probe_path == 1 ? "y" : "ies");
	buf_adds(b, " (expected misses, counted above)\n");
}
