/* SPDX-License-Identifier: MIT */
/* live: the human-readable narrative while tracing (stderr or -o FILE). */
#include "sinks/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/fmt.h"
#include "lib/json.h"
#include "lib/msg.h"
#include "lib/outq.h"
#include "lib/termesc.h"
#include "lib/u64map.h"
#include "lib/xlat.h"
#include "log/evcount.h"
#include "log/evfield.h"
#include "sinks/live_int.h"

#define LIVE_FLUSH_AT (64u << 10)
#define LIVE_FLUSH_NS (200 * 1000000ull)

/* ---- output ---- */

/* -ff: the line(s) in l->out go to their thread's file buffer. */
static void ff_route(struct live *l)
{
	if (l->ff && l->out.len) {
		live_ff_add(l->ff, l->ff_tid, l->out.data, l->out.len);
		buf_reset(&l->out);
	}
}

static void flush_out(struct live *l)
{
	if (l->ff) {
		ff_route(l);
		live_ff_flush_all(l->ff);
		return;
	}
	if (l->q) {
		outq_write(l->q, l->out.data, l->out.len); /* whole lines */
	} else if (l->out.len && !l->err) {
		int rc = write_all(l->fd, l->out.data, l->out.len);
		if (rc < 0)
			l->err = rc; /* said by live_finish */
	}
	buf_reset(&l->out);
}

void live_color(struct live *l, const char *c)
{
	if (l->color)
		buf_adds(&l->out, c);
}

void live_add_str(struct live *l, const char *s, size_t n)
{
	termesc(&l->out, s, n);
}

void live_add_field(struct live *l, const struct evlog *log, const struct ev *e, unsigned key)
{
	size_t n;
	const char *s = evfield_str(log, e, key, &n);
	const struct ev_field *a = key == EVK_PATH && !s ? ev_find(e, EVK_PATH_ADDR) : NULL;
	if (s && !n)
		buf_adds(&l->out, "\"\""); /* an empty path, as strace shows it */
	else if (s)
		live_add_str(l, s, n);
	else if (a && !evf_u64(a))
		buf_adds(&l->out, "NULL"); /* a NULL path pointer (EFAULT) */
	else if (!live_add_unknown(l, log, e))
		buf_adds(&l->out, "?");
}

bool live_add_unknown(struct live *l, const struct evlog *log, const struct ev *e)
{
	size_t n;
	const char *why = evfield_str(log, e, EVK_UNKNOWN, &n);
	if (!why)
		return false;
	buf_adds(&l->out, "unknown (");
	live_add_str(l, why, n);
	buf_addc(&l->out, ')');
	return true;
}

static bool pid_seen(struct live *l, int pid)
{
	if (pid <= 0)
		return true;
	uint32_t *v = u64map_slot(&l->pids, (uint64_t)pid);
	if (*v)
		return true;
	*v = 1;
	return false;
}

/* -t/-tt/-ttt: the log's start realtime plus t, as strace prints it (microseconds cut, not rounded). */
static void add_wall(struct live *l, uint64_t t)
{
	const uint64_t G = 1000000000ull;
	struct timespec st = evlog_start_realtime(l->r->log);
	uint64_t ns = (uint64_t)st.tv_nsec + t % G;
	time_t sec = st.tv_sec + (time_t)(t / G + ns / G);
	unsigned long us = (unsigned long)(ns % G / 1000);
	if (l->tstamp >= 3) {
		buf_printf(&l->out, "%lld.%06lu ", (long long)sec, us);
		return;
	}
	struct tm tm;
	localtime_r(&sec, &tm);
	buf_printf(&l->out, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (l->tstamp == 2)
		buf_printf(&l->out, ".%06lu", us);
	buf_addc(&l->out, ' ');
}

/* -r: strace's "     0.000123 " since the previous line, never negative (live.h). */
static void add_rel(struct live *l, uint64_t t)
{
	uint64_t d = l->rel_started && t > l->rel_prev ? t - l->rel_prev : 0;
	if (!l->rel_started || t > l->rel_prev)
		l->rel_prev = t;
	l->rel_started = true;
	buf_printf(&l->out, l->tstamp ? "(+%6llu.%06llu) " : "%6llu.%06llu ",
		   (unsigned long long)(d / 1000000000ull),
		   (unsigned long long)(d % 1000000000ull / 1000));
}

/*
 * "[+0.002123s] " and, once there is more than one process or thread,
 * "pid " / "pid/tid "; with -t/-tt/-ttt/-r the pid column first, then the
 * strace stamp. No pid column with -ff: each thread has its file.
 */
void live_prefix(struct live *l, uint64_t t, int pid, int tid)
{
	bool strace_stamp = l->tstamp || l->relstamp;
	if (l->ff) {
		ff_route(l); /* lines written without live_end_line (a crash block) */
		l->ff_tid = tid ? tid : pid;
	}
	live_color(l, C_DIM);
	if (!strace_stamp) {
		buf_add(&l->out, "[+", 2);
		json_secs_ns(&l->out, t, 6);
		buf_add(&l->out, "s] ", 3);
	}
	if (!l->ff && (l->pids.n > 1 || l->threads_seen)) {
		char col[32];
		if (tid && tid != pid)
			snprintf(col, sizeof(col), "%d/%d", pid, tid);
		else
			snprintf(col, sizeof(col), "%d", pid);
		buf_printf(&l->out, "%-7s ", col);
	}
	if (l->tstamp)
		add_wall(l, t);
	if (l->relstamp)
		add_rel(l, t);
	live_color(l, C_RESET);
}

void live_add_dur(struct live *l, uint64_t ns)
{
	live_color(l, C_DIM);
	buf_printf(&l->out, " <%llu.%06llu>", (unsigned long long)(ns / 1000000000ull),
		   (unsigned long long)(ns % 1000000000ull / 1000));
	live_color(l, C_RESET);
}

/* -T: the time in the call, for the events that carry one (a conn's dur is its lifetime). */
static bool call_dur(const struct live *l, const struct ev *e, uint64_t *ns)
{
	if (!l->call_times || e->type == EVT_CONN || e->type == EVT_SYSCALL)
		return false;
	const struct ev_field *f = ev_find(e, EVK_DUR);
	if (!f || f->kind != EVF_DUR)
		return false;
	*ns = evf_u64(f);
	return true;
}

static void end_line(struct live *l, uint64_t t)
{
	buf_addc(&l->out, '\n');
	ff_route(l);
	/* a tty sees every line at once; a file at least every LIVE_FLUSH_NS of log time */
	if (l->tty || l->out.len >= LIVE_FLUSH_AT || t - l->t_flushed >= LIVE_FLUSH_NS ||
	    t < l->t_flushed) {
		flush_out(l);
		l->t_flushed = t;
	}
}

void live_end_line(struct live *l, uint64_t t)
{
	end_line(l, t);
}

void live_add_err(struct live *l, const struct evlog *log, const struct ev *e)
{
	const struct ev_field *f = ev_find(e, EVK_ERR);
	if (!f)
		return;
	buf_addc(&l->out, ' ');
	live_color(l, C_RED);
	if (f->kind == EVF_ERRNO) {
		char tmp[XLAT_LABEL_MAX];
		buf_adds(&l->out, xlat_errno_label((int)evf_i64(f), tmp));
	} else if (f->kind == EVF_STR) {
		size_t len;
		const char *s = evlog_str(log, (uint32_t)evf_u64(f), &len);
		live_add_str(l, s ? s : "?", s ? len : 1);
	}
	live_color(l, C_RESET);
}

void live_add_sig(struct live *l, const struct evlog *log, const struct ev *e, unsigned key)
{
	const struct ev_field *f = ev_find(e, key);
	if (f && f->kind == EVF_SIG) {
		char tmp[XLAT_LABEL_MAX];
		buf_adds(&l->out, xlat_signal_label((int)evf_i64(f), tmp));
	} else if (f && f->kind == EVF_STR) {
		live_add_field(l, log, e, key);
	} else if (f) {
		buf_printf(&l->out, "SIG%lld", (long long)evf_i64(f));
	}
}

void live_size_col(struct live *l, uint64_t bytes)
{
	struct buf s = {0};
	fmt_size(&s, bytes);
	buf_printf(&l->out, " %9s", s.data);
	buf_free(&s);
}

/* ---- coalescing of read/write/send/recv ---- */

static bool is_rw(unsigned type)
{
	return type == EVT_READ || type == EVT_WRITE || type == EVT_SEND || type == EVT_RECV;
}

static uint32_t rw_what(const struct ev *e)
{
	const struct ev_field *f = ev_find(e, EVK_PATH);
	if (!f || f->kind != EVF_STR)
		f = ev_find(e, EVK_PEER);
	if (!f || f->kind != EVF_STR)
		f = ev_find(e, EVK_DESC);
	return f && f->kind == EVF_STR ? (uint32_t)evf_u64(f) : 0;
}

/* " unknown (memory not readable)" for the reason string id why (nothing for 0). */
static void add_unknown_id(struct live *l, const struct evlog *log, uint32_t why)
{
	size_t n;
	const char *s = why ? evlog_str(log, why, &n) : NULL;
	if (!s)
		return;
	buf_adds(&l->out, " unknown (");
	live_add_str(l, s, n);
	buf_addc(&l->out, ')');
}

/* "read /etc/hostname 3x 12.0 KiB", "send      517 B → 1.2.3.4:443" */
static void rw_text(struct live *l, const struct evlog *log, const struct pending *p)
{
	buf_adds(&l->out, ev_type_name(p->type));
	size_t n;
	const char *what = evlog_str(log, p->what, &n);
	if (p->type == EVT_READ || p->type == EVT_WRITE) {
		buf_addc(&l->out, ' ');
		if (what)
			live_add_str(l, what, n);
		else
			buf_printf(&l->out, "fd %lld", (long long)p->fd);
		add_unknown_id(l, log, what ? 0 : p->unknown);
		if (p->count > 1)
			buf_printf(&l->out, " %llu\u00d7", (unsigned long long)p->count);
		buf_addc(&l->out, ' ');
		fmt_size(&l->out, p->bytes);
	} else {
		if (p->count > 1)
			buf_printf(&l->out, " %llu\u00d7", (unsigned long long)p->count);
		live_size_col(l, p->bytes);
		buf_adds(&l->out, p->type == EVT_SEND ? " \u2192 " : " \u2190 ");
		if (what)
			live_add_str(l, what, n);
		else
			buf_printf(&l->out, "fd %lld", (long long)p->fd);
		add_unknown_id(l, log, what ? 0 : p->unknown);
	}
}

static void flush_pending(struct live *l, const struct evlog *log)
{
	struct pending *p = &l->pend;
	if (!p->on)
		return;
	p->on = false;
	live_prefix(l, p->t, p->pid, p->tid);
	rw_text(l, log, p);
	if (l->call_times)
		live_add_dur(l, p->dur);
	end_line(l, p->t);
}

/*
 * True if e was absorbed into the pending line. "N×" counts calls as the
 * summary does (log/evcount.h): every call that returned, 0 bytes included.
 */
static bool coalesce(struct live *l, const struct ev *e)
{
	if (!evcount_rw_call(e))
		return false;
	int64_t fd = -1;
	evfield_num(e, EVK_FD, &fd);
	uint32_t what = rw_what(e);
	struct pending *p = &l->pend;
	if (p->on && p->type == e->type && p->tid == e->tid && p->fd == fd && p->what == what &&
	    p->unknown == evfield_strid(e, EVK_UNKNOWN)) {
		uint64_t ns = 0;
		p->count += evcount_calls(e);
		p->bytes += evcount_bytes(e);
		if (call_dur(l, e, &ns))
			p->dur += ns;
		return true;
	}
	return false;
}

static void start_pending(struct live *l, const struct ev *e)
{
	int64_t fd = -1;
	uint64_t ns = 0;
	evfield_num(e, EVK_FD, &fd);
	call_dur(l, e, &ns);
	l->pend = (struct pending){.on = true, .type = e->type, .pid = e->pid, .tid = e->tid,
				   .fd = fd, .what = rw_what(e), .t = e->t, .count = evcount_calls(e),
				   .bytes = evcount_bytes(e), .dur = ns,
				   .unknown = evfield_strid(e, EVK_UNKNOWN)};
}

/* A read/write/send/recv not coalesced: one with a -k stack, or a failed one. */
static void rw_line(struct live *l, const struct evlog *log, const struct ev *e)
{
	if (!ev_find(e, EVK_ERR)) { /* one with a -k stack */
		start_pending(l, e);
		l->pend.on = false;
		rw_text(l, log, &l->pend);
		return;
	}
	/* failed: not coalesced */
	int64_t fd;
	buf_adds(&l->out, ev_type_name(e->type));
	buf_addc(&l->out, ' ');
	size_t n;
	uint32_t what = rw_what(e);
	const char *s = evlog_str(log, what, &n);
	if (s)
		live_add_str(l, s, n);
	else if (evfield_num(e, EVK_FD, &fd))
		buf_printf(&l->out, "fd %lld", (long long)fd);
	if (!s && ev_find(e, EVK_UNKNOWN)) {
		buf_addc(&l->out, ' ');
		live_add_unknown(l, log, e);
	}
	live_add_err(l, log, e);
}

/* Whether the event is narrated at all (before coalescing). */
static bool shown(const struct live *l, const struct ev *e)
{
	if ((e->flags & EVFL_NOISE) && !l->no_filter)
		return false;
	switch (e->type) {
	case EVT_SYSCALL:
		/* without -v only a generic record: a call selected by name that nothing else tells */
		return l->verbose || evfield_bool(e, EVK_GENERIC);
	case EVT_ATTACH:
	case EVT_DETACH:
		return !l->quiet_attach;
	case EVT_EXIT:
		return !l->quiet_exit;
	case EVT_CLOSE:
	case EVT_SOCKET:
		return !l->verbose && ev_find(e, EVK_ERR);
	case EVT_MPROTECT:
		/* the dynamic loader's relro dance; --no-filter shows it */
		return !l->verbose && (l->no_filter || ev_find(e, EVK_ERR));
	case EVT_BRK: {
		/* brk(NULL) and no-op calls move nothing */
		int64_t g;
		return !l->verbose && (ev_find(e, EVK_ERR) || !evfield_num(e, EVK_GROWTH, &g) || g != 0);
	}
	case EVT_CONN:
		/* a failed connect's line said it all; -v shows the calls instead */
		return !l->verbose && !ev_find(e, EVK_ERR);
	case EVT_FAULT:
	case EVT_COUNTER:
	case EVT_SAMPLE:
	case EVT_SYSSTAT:
	case EVT_PROCEXIT:
	case EVT_THREADSTATE:
		return false;
	default:
		/* -v shows the syscalls themselves: their semantic events would repeat them. */
		if (l->verbose && e->type >= EVT_OPEN && e->type <= EVT_CHDIR)
			return false;
		return true;
	}
}

static void live_event(void *ctx, const struct evlog *log, const struct ev *e)
{
	struct live *l = ctx;
	if (l->done || l->quiet)
		return;
	if (live_fold_absorb(l, log, e)) {
		pid_seen(l, e->pid);
		return;
	}
	if (!shown(l, e))
		return;
	pid_seen(l, e->pid);
	if (e->tid && e->tid != e->pid)
		l->threads_seen = true;
	if (e->type == EVT_SPAWN && evfield_bool(e, EVK_THREAD))
		l->threads_seen = true;
	/* an event with a -k stack stands alone: the stack is its own */
	bool stack = ev_find(e, EVK_STACK) != NULL;
	if (!stack && coalesce(l, e))
		return;
	flush_pending(l, log);
	live_fold_before(l, log, e);
	if (is_rw(e->type) && !ev_find(e, EVK_ERR) && !stack) {
		start_pending(l, e);
		return;
	}
	live_prefix(l, e->t, e->pid, e->tid);
	if (is_rw(e->type))
		rw_line(l, log, e);
	else
		live_line(l, log, e);
	uint64_t ns;
	if (call_dur(l, e, &ns))
		live_add_dur(l, ns);
	if (e->type != EVT_CRASH) /* a crash's stack comes with it at the end */
		live_add_stack(l, log, e);
	end_line(l, e->t);
	if (l->ff && e->type == EVT_EXIT) /* its file is complete: written now, nothing kept open */
		live_ff_flush_tid(l->ff, e->tid ? e->tid : e->pid);
}

struct live *live_new(struct run *r, int fd, const struct live_cfg *cfg)
{
	struct live *l = xcalloc(1, sizeof(*l));
	l->r = r;
	l->verbose = cfg->verbose;
	l->no_filter = cfg->no_filter;
	l->quiet = cfg->quiet;
	l->quiet_attach = cfg->quiet_attach;
	l->quiet_exit = cfg->quiet_exit;
	l->strsize = cfg->strsize;
	l->tstamp = cfg->tstamp;
	l->relstamp = cfg->relstamp;
	l->call_times = cfg->call_times;
	l->fd = fd;
	if (cfg->ff_path) {
		l->ff = live_ff_new(cfg->ff_path);
		l->fd = -1;
	}
	l->tty = !l->ff && isatty(fd);
	l->color = cfg->color;
	if (!l->ff && cfg->out_label)
		l->q = outq_new(fd, cfg->out_label, "the narrative");
	evlog_subscribe(r->log, live_event, l);
	return l;
}

int live_finish(struct live *l)
{
	if (!l)
		return 0;
	flush_pending(l, l->r->log);
	if (!l->done)
		live_fold_finish(l, l->r->log);
	if (!l->done)
		live_crash_blocks(l, l->r->log);
	flush_out(l);
	int rc = l->err ? -1 : 0;
	if (l->err)
		warnmsg("writing the narrative failed: %s; it is incomplete", strerror(-l->err));
	if (l->q && outq_finish(l->q, NULL) < 0)
		rc = -1; /* said by outq_finish */
	l->q = NULL;
	if (live_ff_free(l->ff))
		rc = -1; /* each file said by live_ff */
	l->ff = NULL;
	l->done = true;
	buf_free(&l->out);
	u64map_free(&l->pids);
	/*
	 * The log has no unsubscribe and keeps l as a subscriber context: keep
	 * the (now silent) narrator reachable instead of freeing it.
	 */
	static struct live *retired;
	l->next_retired = retired;
	retired = l;
	return rc;
}
