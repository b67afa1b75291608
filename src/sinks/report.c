/* SPDX-License-Identifier: MIT */
/* report: render the event log as one self-contained, offline HTML file. */
#include "sinks/report.h"

#include <errno.h>
#include <stdlib.h>

#include "lib/msg.h"
#include "lib/util.h"
#include "sinks/report_int.h"

/*
 * The data travels as typed columns (one value per event, stored as byte
 * planes) and one string table, as one gzip stream (compressed on worker
 * threads while the columns are built), base64-encoded and split into
 * <script type="application/octet-stream"> blocks. The JSON blob "meta"
 * says where each column starts and its type (thread and type indexes are
 * u8 or u16 when they fit). Limits: string ids and event indexes are
 * 32-bit (4 billion; more events fail with an error in report_write);
 * nothing else is capped.
 */

struct ev_ref {
	uint64_t t;
	size_t seq; /* append order: equal times keep it (qsort is not stable) */
	const struct ev *e;
};

static int cmp_ev_time(const void *a, const void *b)
{
	const struct ev_ref *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The log's events in time order (a --from log may not be); *sorted says whether they were. */
static const struct ev **events_by_time(const struct evlog *log, size_t *np, bool *sorted)
{
	uint64_t nev = log ? evlog_count(log) : 0;
	const struct ev **evs = xreallocarray(NULL, nev ? nev : 1, sizeof(*evs));
	struct evlog_cursor cur = {0};
	const struct ev *e;
	size_t n = 0;
	*sorted = true;
	while (log && n < nev && (e = evlog_next(log, &cur))) {
		if (n && e->t < evs[n - 1]->t)
			*sorted = false;
		evs[n++] = e;
	}
	if (!*sorted) {
		struct ev_ref *refs = xreallocarray(NULL, n, sizeof(*refs));
		for (size_t i = 0; i < n; i++)
			refs[i] = (struct ev_ref){evs[i]->t, i, evs[i]};
		qsort(refs, n, sizeof(*refs), cmp_ev_time);
		for (size_t i = 0; i < n; i++)
			evs[i] = refs[i].e;
		free(refs);
	}
	*np = n;
	return evs;
}

/* Build the whole HTML document into out. */
static void render(const struct run *r, const struct report_cfg *cfg, struct buf *out)
{
	size_t n;
	bool sorted;
	const struct ev **evs = events_by_time(r->log, &n, &sorted);
	struct report_rep *R = report_rep_new(r, !cfg->no_redact, n);

	/* the columns go out to the compressing threads block by block */
	struct report_pack *pk = report_pack_new(n);
	uint64_t prev_t = 0;
	for (size_t a = 0; a < n; a += REPORT_ZROWS) {
		size_t b = n - a < REPORT_ZROWS ? n : a + REPORT_ZROWS;
		report_rep_add(R, evs, a, b, &prev_t);
		report_pack_block(pk, R, a, b);
	}
	free(evs);
	report_pack_end(pk, R);

	/* while the workers compress */
	struct buf layout = {0}, meta = {0}, title = {0}, gz = {0};
	size_t raw_len = report_pack_layout(pk, &layout);
	report_meta(R, &meta, cfg->warnings, layout.data, raw_len, sorted);
	buf_free(&layout);
	report_html_title(&title, r, !cfg->no_redact);

	if (report_pack_finish(pk, &gz) < 0)
		die(1, "report: compressing the trace failed");
	report_html_page(out, &title, &meta, &gz);
	buf_free(&gz);
	buf_free(&title);
	buf_free(&meta);
	report_rep_free(R);
}

int report_write(struct run *r, const char *path, const struct report_cfg *cfg)
{
	int err;
	char *target = report_path_target(path, &err);
	if (!target)
		return err;
	/* the one limit (event indexes are 32-bit), said rather than wrapped */
	if (r->log && evlog_count(r->log) >= UINT32_MAX) {
		report_err(path, "more events than a report holds (4294967294): select fewer with -e,"
				 " or keep the --json log", 0);
		free(target);
		return -EFBIG;
	}

	struct buf html = {0};
	render(r, cfg, &html);
	int rc = report_path_write(path, target, cfg->mode ? cfg->mode : 0600, &html);
	if (rc == 0 && cfg->no_redact)
		warnmsg("--no-redact: the report %s keeps secrets (tokens, passwords) as traced", path);
	else if (rc == 0)
		warnmsg("the report %s may still contain secrets: redaction is a heuristic;"
			" review it before sharing", path);
	free(target);
	buf_free(&html);
	return rc;
}
