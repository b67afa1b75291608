/* SPDX-License-Identifier: MIT */
/* summary: the FINAL block (and the -c per-syscall table) after tracing. */
#include "sinks/summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "lib/fmt.h"
#include "lib/shquote.h"
#include "lib/termesc.h"
#include "lib/xlat.h"
#include "log/evfield.h"
#include "sinks/summary_int.h"

#define TOP_FILES 10
#define TOP_FAILS 10
#define MAX_WARNINGS 10
#define MAX_CRASHES 5
#define MAX_FAULT_TOP 5
#define ARGV_SHOWN 200 /* bytes of a process's command line shown */

static const unsigned mem_nrs[] = {SYS_mmap, SYS_munmap, SYS_mremap, SYS_brk};
static const unsigned io_nrs[] = {
	SYS_read, SYS_write, SYS_pread64, SYS_pwrite64, SYS_readv, SYS_writev, SYS_preadv,
	SYS_pwritev, SYS_preadv2, SYS_pwritev2, SYS_sendto, SYS_recvfrom, SYS_sendmsg, SYS_recvmsg,
	SYS_sendmmsg, SYS_recvmmsg, SYS_sendfile, SYS_copy_file_range, SYS_splice, SYS_tee,
};
static const unsigned conn_nrs[] = {SYS_connect, SYS_accept, SYS_accept4, SYS_sendto, SYS_recvfrom,
				     SYS_sendmsg, SYS_recvmsg};
static const unsigned brk_nrs[] = {SYS_brk};
static const unsigned mmap_nrs[] = {SYS_mmap};
/* the read/write family: sendfile alone (in the network class) does not make file bytes known */
static const unsigned fileio_nrs[] = {
	SYS_read, SYS_write, SYS_pread64, SYS_pwrite64, SYS_readv, SYS_writev, SYS_preadv,
	SYS_pwritev, SYS_preadv2, SYS_pwritev2,
};

/* Did the selection pick any of these? A total of 0 B is no fact when nothing was traced. */
static bool any_selected(const unsigned *nrs, size_t n, summary_selected_fn selected, void *ctx)
{
	for (size_t i = 0; i < n; i++)
		if (selected(ctx, nrs[i]))
			return true;
	return false;
}

unsigned summary_traced(summary_selected_fn selected, void *ctx)
{
	return (any_selected(mem_nrs, ARRAY_SIZE(mem_nrs), selected, ctx) ? SUMMARY_TRACED_MEM : 0) |
	       (any_selected(io_nrs, ARRAY_SIZE(io_nrs), selected, ctx) ? SUMMARY_TRACED_IO : 0) |
	       (any_selected(conn_nrs, ARRAY_SIZE(conn_nrs), selected, ctx) ? SUMMARY_TRACED_CONN : 0) |
	       (any_selected(brk_nrs, ARRAY_SIZE(brk_nrs), selected, ctx) ? SUMMARY_TRACED_BRK : 0) |
	       (any_selected(mmap_nrs, ARRAY_SIZE(mmap_nrs), selected, ctx) ? SUMMARY_TRACED_MMAP : 0) |
	       (any_selected(fileio_nrs, ARRAY_SIZE(fileio_nrs), selected, ctx) ? SUMMARY_TRACED_FILEIO : 0);
}

void summary_add_str(struct buf *b, const struct evlog *log, uint32_t id)
{
	size_t n;
	const char *s = evlog_str(log, id, &n);
	if (s)
		termesc(b, s, n);
	else
		buf_adds(b, evlog_str_lost(log, id) ? SUMMARY_NOT_KEPT : "?");
}

/* The one line that counts the strings not kept (log/evlog.h), when the cap left any out. */
static void print_not_kept(const struct sum *s, struct buf *b)
{
	uint64_t bytes, n = evlog_strings_not_kept(s->log, &bytes);
	if (!n)
		return;
	buf_printf(b, " Strings:  %llu name%s not kept (", (unsigned long long)n, n == 1 ? "" : "s");
	fmt_size(b, bytes);
	buf_adds(b, ") over the cap of ");
	fmt_size(b, evlog_string_cap(s->log));
	buf_adds(b, " of strings held (COMPENDIUM_STRING_CAP); shown as " SUMMARY_NOT_KEPT
		    ", counted in full\n");
}

/*
 * The scan run as events are appended (summary_follow), for summary_print
 * of the same log: static, since the log keeps calling its subscribers
 * after the summary is printed (done: they are ignored).
 */
static struct {
	struct sum s;
	struct summary_cfg cfg;
	bool on, done;
} follow;

static void follow_event(void *ctx, const struct evlog *log, const struct ev *e)
{
	(void)ctx;
	(void)log;
	if (!follow.done)
		summary_scan_event(&follow.s, e);
}

void summary_follow(struct run *r, bool no_filter)
{
	follow.cfg.no_filter = no_filter;
	follow.s = (struct sum){.r = r, .cfg = &follow.cfg, .log = r->log};
	follow.on = true;
	struct evlog_cursor c = {0};
	const struct ev *e;
	while ((e = evlog_next(r->log, &c)))
		summary_scan_event(&follow.s, e);
	evlog_subscribe(r->log, follow_event, NULL);
}

/* A command-line argument, shell-quoted, cut at -s bytes. */
static void add_arg(const struct sum *s, struct buf *b, const char *a, size_t n)
{
	shquote(b, a, n, s->cfg->strsize > 0 ? (size_t)s->cfg->strsize : 0);
}

static void add_signame(struct buf *b, int sig)
{
	char tmp[XLAT_LABEL_MAX];
	buf_adds(b, xlat_signal_label(sig, tmp));
}

static void add_errname(struct buf *b, const struct evlog *log, int err, uint32_t name)
{
	if (name) {
		summary_add_str(b, log, name);
		return;
	}
	char tmp[XLAT_LABEL_MAX];
	buf_adds(b, xlat_errno_label(err, tmp));
}

static void rule(struct buf *b)
{
	for (int i = 0; i < 64; i++)
		buf_adds(b, "\u2501");
	buf_addc(b, '\n');
}

static void print_files(struct sum *s, struct buf *b, struct table *t, const char *label)
{
	if (!t->n)
		return;
	qsort(t->e, t->n, sizeof(*t->e), summary_by_a_desc);
	u64map_free(&t->idx);
	buf_printf(b, " %s (%zu file%s%s):\n", label, t->n, t->n == 1 ? "" : "s",
		   t->n > TOP_FILES ? ", top 10 by bytes" : "");
	for (size_t i = 0; i < t->n && i < TOP_FILES; i++) {
		struct buf sz = {0};
		fmt_size(&sz, t->e[i].a);
		buf_printf(b, "   %10s  ", sz.data);
		buf_free(&sz);
		summary_add_str(b, s->log, t->e[i].id);
		if (t->e[i].b > 1)
			buf_printf(b, " (%llu calls)", (unsigned long long)t->e[i].b);
		buf_addc(b, '\n');
	}
}

#define NOT_TRACED "not traced (-e trace= left these calls out)\n"

static void print_conns(struct sum *s, struct buf *b)
{
	buf_adds(b, " Network connections:  ");
	if (!s->conn_events && !(s->cfg->traced & SUMMARY_TRACED_CONN)) {
		buf_adds(b, NOT_TRACED);
		return;
	}
	summary_conn_print(s, b);
}

/*
 * The headline is every failure (log/evcount.h's rule: the report's and the
 * JSON end record's "failed"); the list leaves out those the noise filter hides.
 */
static void print_fails(struct sum *s, struct buf *b)
{
	if (!s->nfails)
		return;
	if (s->fails.n)
		qsort(s->fails.e, s->fails.n, sizeof(*s->fails.e), summary_by_a_desc);
	buf_printf(b, " Failed operations: %llu", (unsigned long long)s->nfails);
	uint64_t probing = s->probe_locale + s->probe_path;
	if (probing && s->hidden_fails)
		buf_printf(b, " (%llu probing, %llu not listed: noise)", (unsigned long long)probing,
			   (unsigned long long)s->hidden_fails);
	else if (probing)
		buf_printf(b, " (%llu probing)", (unsigned long long)probing);
	else if (s->hidden_fails)
		buf_printf(b, " (%llu not listed: noise)", (unsigned long long)s->hidden_fails);
	buf_addc(b, '\n');
	for (size_t i = 0; i < s->fails.n && i < TOP_FAILS; i++) {
		struct ent *x = &s->fails.e[i];
		bool many = x->many;
		int err = (int)(int64_t)x->c;
		buf_adds(b, "   ");
		buf_adds(b, ev_type_name((unsigned)x->b));
		buf_addc(b, ' ');
		add_errname(b, s->log, err, x->extra);
		buf_printf(b, " \u00d7%llu", (unsigned long long)x->a);
		size_t n;
		const char *p = evlog_str(s->log, x->id, &n);
		if (x->dirs) { /* a PATH search that found nothing; id is the name searched */
			buf_adds(b, "  ");
			if (p || evlog_str_lost(s->log, x->id))
				summary_add_str(b, s->log, x->id);
			buf_printf(b, " (not found in %llu PATH director%s)\n", (unsigned long long)x->dirs,
				   x->dirs == 1 ? "y" : "ies");
			continue;
		}
		if (!p && evlog_str_lost(s->log, x->id)) {
			buf_adds(b, "  " SUMMARY_NOT_KEPT);
		} else if (p && !n) {
			buf_adds(b, "  \"\""); /* open(""): the empty path, not nothing */
		} else if (p) {
			buf_adds(b, "  ");
			const char *slash = memrchr(p, '/', n);
			if (many && slash) {
				termesc(b, p, (size_t)(slash - p) + 1);
				buf_adds(b, " (e.g. ");
				termesc(b, slash + 1, n - (size_t)(slash - p) - 1);
				buf_addc(b, ')');
			} else {
				termesc(b, p, n);
			}
		}
		buf_addc(b, '\n');
	}
	if (s->fails.n > TOP_FAILS)
		buf_printf(b, "   ... and %zu more kinds\n", s->fails.n - TOP_FAILS);
	summary_probe_print(s, b);
}

static void print_sigs(struct sum *s, struct buf *b)
{
	if (!s->sigs.n)
		return;
	buf_adds(b, " Signals:  ");
	for (size_t i = 0; i < s->sigs.n; i++) {
		if (i)
			buf_adds(b, ", ");
		add_signame(b, (int)s->sigs.e[i].key);
		if (s->sigs.e[i].a > 1)
			buf_printf(b, " \u00d7%llu", (unsigned long long)s->sigs.e[i].a);
		if (s->sigs.e[i].b)
			buf_printf(b, " (from %llu)", (unsigned long long)s->sigs.e[i].b);
	}
	buf_addc(b, '\n');
}

static void print_crashes(struct sum *s, struct buf *b)
{
	for (size_t i = 0; i < s->ncrashes && i < MAX_CRASHES; i++) {
		const struct ev *e = s->crashes[i];
		int64_t v;
		buf_printf(b, " Crash:    %d ", e->pid);
		if (evfield_num(e, EVK_SIGNAL, &v))
			add_signame(b, (int)v);
		uint32_t id;
		if ((id = evfield_strid(e, EVK_CODE))) {
			buf_addc(b, ' ');
			summary_add_str(b, s->log, id);
		}
		if (evfield_num(e, EVK_ADDR, &v))
			buf_printf(b, " at 0x%llx", (unsigned long long)v);
		if ((id = evfield_strid(e, EVK_CRASH_REGION))) {
			buf_adds(b, " (");
			summary_add_str(b, s->log, id);
			buf_addc(b, ')');
		}
		buf_addc(b, '\n');
		const char *dis = evfield_json(s->log, e, EVK_DISASM);
		struct buf t = {0};
		if (fmt_disasm_fault(&t, dis)) {
			buf_adds(b, "           at ");
			buf_add(b, t.data, t.len);
			buf_addc(b, '\n');
		} else if ((id = evfield_strid(e, EVK_MSG))) {
			buf_adds(b, "           (");
			summary_add_str(b, s->log, id);
			buf_adds(b, ")\n");
		}
		buf_free(&t);
		fmt_stack(b, evfield_json(s->log, e, EVK_STACK), "           ", 5, false);
	}
	if (s->ncrashes > MAX_CRASHES)
		buf_printf(b, " ... and %zu more crashes\n", s->ncrashes - MAX_CRASHES);
}

static void print_faults(struct sum *s, struct buf *b)
{
	const struct run_faults *f = &s->r->faults;
	if (f->present && f->unavailable) {
		buf_adds(b, " Page faults: unavailable (");
		termesc_cstr(b, f->unavailable);
		buf_adds(b, ")\n");
	} else if (f->present) {
		const uint64_t *reg = f->region;
		uint64_t total = f->minor + f->major;
		buf_printf(b, " Page faults: %llu (minor %llu, major %llu)\n", (unsigned long long)total,
			   (unsigned long long)f->minor, (unsigned long long)f->major);
		buf_printf(b, "   by region: heap %llu, anon %llu, file %llu, stack %llu, other %llu",
			   (unsigned long long)reg[RUN_FR_HEAP], (unsigned long long)reg[RUN_FR_ANON],
			   (unsigned long long)reg[RUN_FR_FILE], (unsigned long long)reg[RUN_FR_STACK],
			   (unsigned long long)reg[RUN_FR_OTHER]);
		if (f->sampled < total)
			buf_printf(b, " (sampled %llu of %llu)", (unsigned long long)f->sampled,
				   (unsigned long long)total);
		if (f->lost)
			buf_printf(b, ", %llu samples lost", (unsigned long long)f->lost);
		buf_addc(b, '\n');
		for (size_t i = 0; i < f->ntop && i < MAX_FAULT_TOP; i++) {
			const struct run_fault_top *t = &f->top[i];
			buf_printf(b, "   %9llu  ", (unsigned long long)t->count);
			if (t->path)
				termesc(b, t->path, t->path_len);
			else
				buf_adds(b, run_fault_region_name(t->region));
			buf_addc(b, '\n');
		}
	} else if (s->faults_seen) {
		buf_printf(b, " Page faults: %llu sampled\n", (unsigned long long)s->faults_seen);
	}
	if (s->rss.n) {
		uint64_t peak = 0;
		for (size_t i = 0; i < s->rss.n; i++)
			if (s->rss.e[i].a > peak)
				peak = s->rss.e[i].a;
		/* counters sample the resident size now; the exit's maxrss is the kernel's peak */
		if (summary_peak_rss(s) > peak)
			peak = summary_peak_rss(s);
		buf_adds(b, " Peak RSS: ");
		fmt_size(b, peak);
		buf_adds(b, " (largest process)\n");
	}
}

static void print_exit(struct run *r, struct buf *b)
{
	buf_adds(b, " Exit: ");
	switch (r->end) {
	case RUN_EXITED: buf_printf(b, "%d", r->code); break;
	case RUN_FAILED: buf_printf(b, "%d (could not start)", r->code); break;
	case RUN_SIGNALED:
		buf_adds(b, "killed by ");
		add_signame(b, r->sig);
		if (r->core)
			buf_adds(b, " (core dumped)");
		break;
	case RUN_DETACHED: buf_adds(b, "detached; the traced processes keep running"); break;
	case RUN_GONE: buf_adds(b, "every traced process exited"); break;
	default: buf_adds(b, "unknown (the run did not finish)"); break;
	}
	if (r->interrupted)
		buf_adds(b, " (interrupted)");
	buf_addc(b, '\n');
}

static void print_times(struct sum *s, struct buf *b)
{
	double wall = (double)(s->r->t_end ? s->r->t_end : s->t_last) / 1e9;
	buf_adds(b, " Time:     wall ");
	fmt_secs(b, wall);
	buf_adds(b, "   CPU ");
	double cpu = s->r->cpu_user + s->r->cpu_sys;
	if (s->r->end == RUN_DETACHED && cpu == 0) {
		/* the rusage of a process comes with its exit status: one left running has none */
		buf_adds(b, "not measured (left running at detach: CPU time is known only at exit)\n");
	} else {
		fmt_secs(b, cpu);
		buf_printf(b, " (user %.3fs, sys %.3fs)", s->r->cpu_user, s->r->cpu_sys);
		if (s->r->end == RUN_DETACHED)
			buf_adds(b, " of the processes that exited; not measured for those left running");
		buf_addc(b, '\n');
	}
	if (s->cfg->same_cpu && s->r->same_cpu >= 0)
		buf_printf(b, " CPU use:  tracer and command on CPU %d only (--same-cpu)\n",
			   s->r->same_cpu);
}

int summary_print(struct run *r, int fd, const struct summary_cfg *cfg)
{
	struct sum s = {.r = r, .cfg = cfg, .log = r->log};
	struct buf b = {0};
	if (follow.on && !follow.done && follow.s.log == r->log && follow.cfg.no_filter == cfg->no_filter) {
		follow.done = true;
		s = follow.s;
		s.cfg = cfg;
		summary_scan_end(&s);
	} else {
		summary_scan(&s);
	}
	double wall = (double)(r->t_end ? r->t_end : s.t_last) / 1e9;

	rule(&b);
	buf_adds(&b, " FINAL: ");
	size_t start = b.len;
	for (int i = 0; i < r->argc && r->argv && r->argv[i]; i++) {
		if (b.len - start > ARGV_SHOWN) {
			buf_adds(&b, " ...");
			break;
		}
		if (i)
			buf_addc(&b, ' ');
		add_arg(&s, &b, r->argv[i], strlen(r->argv[i]));
	}
	buf_adds(&b, " (");
	fmt_secs(&b, wall);
	buf_adds(&b, ")\n");
	rule(&b);

	summary_print_memory(&s, &b);
	buf_adds(&b, " I/O:      ");
	if (!s.io_events && !(cfg->traced & SUMMARY_TRACED_IO)) {
		buf_adds(&b, NOT_TRACED);
	} else {
		if (s.file_io_events || (cfg->traced & SUMMARY_TRACED_FILEIO)) {
			/* with unknown I/O, the files' figures are what is known: "at least" */
			buf_adds(&b, s.unk_rd ? "Files read at least " : "Files read ");
			fmt_size(&b, s.file_rd);
			buf_adds(&b, s.unk_wr ? "   written at least " : "   written ");
			fmt_size(&b, s.file_wr);
		} else {
			buf_adds(&b, "Files not traced (-e trace= left read/write out)");
		}
		buf_adds(&b, "   Net sent ");
		fmt_size(&b, s.net_tx);
		buf_adds(&b, "   received ");
		fmt_size(&b, s.net_rx);
		buf_addc(&b, '\n');
	}
	if (s.other_rd || s.other_wr) {
		buf_adds(&b, "           Pipes/ttys/other read ");
		fmt_size(&b, s.other_rd);
		buf_adds(&b, "   written ");
		fmt_size(&b, s.other_wr);
		buf_addc(&b, '\n');
	}
	if (s.unk_rd || s.unk_wr) {
		buf_adds(&b, "           Unknown (");
		summary_add_str(&b, s.log, s.unk_why);
		buf_adds(&b, ") read ");
		fmt_size(&b, s.unk_rd);
		buf_adds(&b, "   written ");
		fmt_size(&b, s.unk_wr);
		buf_adds(&b, ": files, pipes or ttys\n");
	}
	print_conns(&s, &b);
	print_times(&s, &b);
	summary_tree_print(&s, &b);
	print_files(&s, &b, &s.files_rd, "Files read");
	summary_files_print(&s, &b);
	print_fails(&s, &b);
	print_sigs(&s, &b);
	print_crashes(&s, &b);
	print_faults(&s, &b);
	for (size_t i = 0; i < s.nwarnings && i < MAX_WARNINGS; i++) {
		buf_adds(&b, " Warning:  ");
		uint32_t id = evfield_strid(s.warnings[i], EVK_MSG);
		summary_add_str(&b, s.log, id);
		buf_addc(&b, '\n');
	}
	if (s.nwarnings > MAX_WARNINGS)
		buf_printf(&b, " ... and %zu more warnings\n", s.nwarnings - MAX_WARNINGS);
	print_not_kept(&s, &b);
	if (cfg->recorded)
		buf_printf(&b, " Recorded: only %s; the totals above count only those\n", cfg->recorded);
	if (!cfg->no_filter && (s.hidden_opens || s.hidden_conns || s.hidden_fails)) {
		const struct {
			uint64_t n;
			const char *what;
		} parts[] = {{s.hidden_opens, "open"}, {s.hidden_conns, "connection"},
			     {s.hidden_fails, "failure"}};
		buf_adds(&b, " Noise filter: not listed:");
		bool first = true;
		for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
			if (!parts[i].n)
				continue;
			buf_printf(&b, "%s %llu %s%s", first ? "" : ",", (unsigned long long)parts[i].n,
				   parts[i].what, parts[i].n == 1 ? "" : "s");
			first = false;
		}
		buf_adds(&b, " (/proc, /sys, /dev, shared libraries, resolver and helper sockets; "
			     "totals include them; "
			     "--no-filter lists them)\n");
	}
	print_exit(r, &b);
	rule(&b);

	if (cfg->sc_table) {
		summary_sc_print(&b, r);
		buf_adds(&b, "wall ");
		fmt_secs(&b, wall);
		if (r->end == RUN_DETACHED && r->cpu_user + r->cpu_sys == 0)
			buf_adds(&b, "   cpu not measured (processes left running)\n");
		else
			buf_printf(&b, "   cpu user %.3fs   sys %.3fs\n", r->cpu_user, r->cpu_sys);
	}

	int rc = write_all(fd, b.data, b.len);
	buf_free(&b);
	summary_sum_free(&s);
	return rc;
}
