/* SPDX-License-Identifier: MIT */
/* summary_sc: the strace -c style table of -c, after the FINAL block. */
#include <stdlib.h>
#include <string.h>

#include "lib/termesc.h"
#include "log/evfield.h"
#include "sinks/summary_int.h"

/* One line of the table; name borrowed from the run or the log. */
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

/* From the run's rows of one ABI (the decoder's counts); false if it has none. */
static bool table_from_run(struct buf *b, const struct run_sc_table *t, const char *title)
{
	struct sc_row *rows = xcalloc(t->n ? t->n : 1, sizeof(*rows));
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->rows[i].calls)
			rows[k++] = (struct sc_row){t->rows[i].name, t->rows[i].calls, t->rows[i].errors,
						    t->rows[i].total_ns};
	if (k) {
		if (title)
			buf_adds(b, title);
		print_table(b, rows, k);
	}
	free(rows);
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
		uint32_t name = evfield_strid(e, EVK_NAME);
		if (!name)
			continue;
		struct ent *x = summary_table_get(&t, name);
		x->id = name;
		x->a++;
		uint32_t en;
		int err = evfield_errno(e, &en);
		if (err && !evfield_restart_err(err))
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
	summary_table_free(&t);
	return n > 0;
}

void summary_sc_print(struct buf *b, const struct run *r)
{
	bool any = table_from_run(b, &r->sc64, NULL);
	any = table_from_run(b, &r->sc32, any ? "\nSystem call usage summary for 32 bit mode:\n" : NULL) ||
	      any;
	if (!any && !table_from_log(b, r->log))
		buf_adds(b, "(no syscall statistics: the log holds none)\n");
}
