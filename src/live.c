/* SPDX-License-Identifier: MIT */
/* live: the human-readable narrative while tracing (stderr or -o FILE). */
#include "live.h"

#include <stdlib.h>

#include "options.h"
#include "termesc.h"

struct live {
	struct live *next_retired;
	struct run *r;
	int fd;
	bool done;
	struct buf out;
};

static void live_event(void *ctx, const struct evlog *log, const struct ev *e)
{
	struct live *l = ctx;
	if (l->done || opt.quiet || ((e->flags & EVFL_NOISE) && !opt.no_filter))
		return;
	(void)log;
	buf_printf(&l->out, "[+%.3fs] %d ", (double)e->t / 1e9, e->pid);
	termesc_cstr(&l->out, ev_type_name(e->type));
	buf_addc(&l->out, '\n');
	(void)write_all(l->fd, l->out.data, l->out.len);
	buf_reset(&l->out);
}

struct live *live_new(struct run *r, int fd)
{
	struct live *l = xcalloc(1, sizeof(*l));
	l->r = r;
	l->fd = fd;
	evlog_subscribe(r->log, live_event, l);
	return l;
}

void live_finish(struct live *l)
{
	if (!l)
		return;
	l->done = true;
	buf_free(&l->out);
	static struct live *retired;
	l->next_retired = retired;
	retired = l;
}
