/* SPDX-License-Identifier: MIT */
/* watch_spike: a trigger's pending dump: its processes' command lines, then the dump's records from the ring. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/audit.h>

#include "decode/systab.h"
#include "lib/json.h"
#include "sinks/jsonl.h"
#include "watch/watch.h"
#include "watch/watch_sys.h"
#include "lib/msg.h"

#define DUMP_MAX_SAMPLES 100000           /* caps a dump (about 20 MB, 15 MB in memory) */

static void free_cmds(struct pending *p)
{
	for (int i = 0; i < MAX_INVOLVED; i++) {
		for (int k = 0; k < p->cmds[i].argc; k++)
			free(p->cmds[i].argv[k]);
		free(p->cmds[i].argv);
		p->cmds[i] = (struct inv_cmd){0};
	}
}

void watch_take_cmds(struct watch *w, struct pending *p)
{
	for (int i = 0; i < p->ninv; i++) {
		const struct wp *q = watch_find_cur(w, p->inv[i].pid);
		if (p->cmds[i].argv || !q || !q->cmd.argv || (p->inv[i].start && q->start != p->inv[i].start))
			continue;
		struct inv_cmd *c = &p->cmds[i];
		c->argv = xcalloc((size_t)q->cmd.argc + 1, sizeof(char *));
		for (int k = 0; k < q->cmd.argc; k++)
			c->argv[k] = xstrdup(q->cmd.argv[k]);
		c->argc = q->cmd.argc;
		c->truncated = q->cmd.truncated;
		if (!w->cfg->no_redact)
			c->redacted = watch_cmd_redact(c->argv, c->argc);
	}
}


struct dumpctx {
	struct watch *w;
	struct pending *p;
	uint64_t first_seq, ctx_first, last_seq;
};

static bool is_involved(const struct pending *p, int pid, uint64_t start)
{
	for (int i = 0; i < p->ninv; i++)
		if (p->inv[i].pid == pid && (!p->inv[i].start || p->inv[i].start == start))
			return true;
	return false;
}

static void iso_time(char *out, size_t n, struct timespec ts)
{
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec / 1000000) % 1000);
}

static void emit_sample(struct evlog *log, uint64_t t, const struct wproc_rec *r)
{
	struct ev_draft d;
	ev_init(&d, EVT_SAMPLE, t, r->pid, r->pid);
	ev_uint(&d, EVK_START, r->start);
	ev_str(&d, log, EVK_COMM, r->comm, strnlen(r->comm, sizeof(r->comm)));
	ev_int(&d, EVK_PPID, r->ppid);
	ev_uint(&d, EVK_UID, r->uid);
	char st[2] = { r->state, 0 };
	ev_cstr(&d, log, EVK_STATE, st);
	if (!(r->flags & WP_NO_RATE)) /* not measured yet: no cpu rather than a false 0 */
		ev_double(&d, EVK_CPU, r->cpu10 / 10.0);
	ev_uint(&d, EVK_RSS, (uint64_t)r->rss_kb * 1024);
	ev_uint(&d, EVK_SWAP, (uint64_t)r->swap_kb * 1024);
	if (r->threads)
		ev_uint(&d, EVK_THREADS, r->threads);
	evlog_append(log, &d);
}

/* An R or D thread of a busy process: its state, syscall and wait channel. */
static void emit_thread(struct evlog *log, uint64_t t, const struct wthread_rec *th)
{
	struct ev_draft d;
	ev_init(&d, EVT_THREADSTATE, t, th->pid, th->tid);
	char st[2] = { th->state, 0 };
	ev_cstr(&d, log, EVK_STATE, st);
	ev_str(&d, log, EVK_COMM, th->comm, strnlen(th->comm, sizeof(th->comm)));
	if (th->syscall >= 0) {
		ev_int(&d, EVK_NR, th->syscall);
		const char *nm = systab_name(AUDIT_ARCH_X86_64, th->syscall);
		if (nm)
			ev_cstr(&d, log, EVK_SYSCALL, nm);
	} else if (th->syscall == -1)
		ev_cstr(&d, log, EVK_SYSCALL, "running");
	if (th->wchan[0])
		ev_cstr(&d, log, EVK_WCHAN, th->wchan);
	evlog_append(log, &d);
}

/* A process exit from taskstats, at its arrival (the snapshot's time t if that is before t0). */
static void emit_exit(struct evlog *log, uint64_t t0, uint64_t t, const struct wexit_rec *x)
{
	struct ev_draft d;
	uint64_t xt = x->mono > t0 ? x->mono - t0 : t;
	ev_init(&d, EVT_PROCEXIT, xt, x->pid, x->pid);
	ev_str(&d, log, EVK_COMM, x->comm, strnlen(x->comm, sizeof(x->comm)));
	ev_int(&d, EVK_PPID, x->ppid);
	ev_uint(&d, EVK_UID, x->uid);
	ev_int(&d, EVK_CODE, x->code);
	ev_uint(&d, EVK_BTIME, x->btime);
	ev_add(&d, EVK_CPU_TIME, EVF_DUR, x->cpu_us * 1000);
	ev_add(&d, EVK_LIFETIME, EVF_DUR, x->lifetime_us * 1000);
	ev_uint(&d, EVK_RSS_PEAK, x->rss_peak_kb * 1024);
	ev_uint(&d, EVK_READ_BYTES, x->read_bytes);
	ev_uint(&d, EVK_WRITE_BYTES, x->write_bytes);
	ev_bool(&d, EVK_SEEN, x->seen);
	evlog_append(log, &d);
}

/* The involved processes as a JSON array, with their command lines when known. */
static void involved_json(struct buf *pj, const struct pending *p)
{
	buf_addc(pj, '[');
	for (int i = 0; i < p->ninv; i++) {
		json_sep(pj);
		buf_addc(pj, '{');
		json_key(pj, "pid");
		json_i64(pj, p->inv[i].pid);
		json_key(pj, "start");
		json_u64(pj, p->inv[i].start);
		json_kstr(pj, "comm", p->inv[i].comm, strnlen(p->inv[i].comm, sizeof(p->inv[i].comm)));
		json_key(pj, "value");
		json_double(pj, p->inv[i].value);
		const struct inv_cmd *ic = &p->cmds[i];
		if (ic->argv) {
			json_kcstrv(pj, "argv", (const char *const *)ic->argv, (size_t)ic->argc);
			if (ic->redacted) {
				json_key(pj, "redacted");
				json_bool(pj, true);
			}
			if (ic->truncated) {
				json_key(pj, "truncated");
				json_bool(pj, true);
			}
		}
		buf_addc(pj, '}');
	}
	buf_addc(pj, ']');
}

/* The other triggers of the same cause folded into this dump (watch_fold.c). */
static void related_json(struct buf *rj, const struct pending *p)
{
	char when[96];
	buf_addc(rj, '[');
	for (int i = 0; i < p->nrel; i++) {
		const struct related *r = &p->rel[i];
		json_sep(rj);
		buf_addc(rj, '{');
		json_kcstr(rj, "kind", r->kind);
		json_kcstr(rj, "scope", r->scope);
		json_key(rj, "value");
		json_double(rj, r->value);
		json_key(rj, "threshold");
		json_double(rj, r->threshold);
		if (!isnan(r->baseline)) {
			json_key(rj, "baseline");
			json_double(rj, r->baseline);
		}
		json_kcstr(rj, "msg", r->msg);
		iso_time(when, sizeof(when), r->real);
		json_kcstr(rj, "when", when);
		buf_addc(rj, '}');
	}
	buf_addc(rj, ']');
}

/* The trigger record: what fired, the involved processes, the thresholds, whether it is still going on. */
static void emit_trigger(struct evlog *log, const struct pending *p, uint64_t t0, uint64_t exits_lost)
{
	struct ev_draft d;
	char when[96];

	ev_init(&d, EVT_TRIGGER, p->trig_mono - t0, 0, 0);
	ev_cstr(&d, log, EVK_KIND, p->kind);
	ev_cstr(&d, log, EVK_MSG, p->msg);
	ev_cstr(&d, log, EVK_SCOPE, p->scope);
	ev_double(&d, EVK_VALUE, p->value);
	ev_double(&d, EVK_THRESHOLD, p->threshold);
	if (!isnan(p->baseline))
		ev_double(&d, EVK_BASELINE, p->baseline);
	iso_time(when, sizeof(when), p->trig_real);
	ev_cstr(&d, log, EVK_WHEN, when);
	struct buf pj = {0};
	involved_json(&pj, p);
	ev_json(&d, log, EVK_PROCS, pj.data, pj.len);
	buf_free(&pj);
	ev_json(&d, log, EVK_THRESHOLDS, p->thresholds_json, strlen(p->thresholds_json));
	if (p->nrel) {
		related_json(&pj, p);
		ev_json(&d, log, EVK_RELATED, pj.data, pj.len);
		buf_free(&pj);
	}
	const struct incident *in = p->inc;
	bool ongoing = !in || in->open;
	ev_bool(&d, EVK_ONGOING, ongoing);
	if (!ongoing && in->end >= p->trig_mono)
		ev_dur(&d, in->end - in->start);
	if (exits_lost)
		ev_uint(&d, EVK_LOST, exits_lost);
	evlog_append(log, &d);
}

/* The system-wide record of snapshot s. */
static void emit_sysstat(struct evlog *log, uint64_t t, const struct wsnap *s)
{
	struct ev_draft d;
	const struct sysrec *y = &s->sys;
	ev_init(&d, EVT_SYSSTAT, t, 0, 0);
	ev_double(&d, EVK_CPU, y->cpu_busy10 / 10.0);
	ev_double(&d, EVK_IOWAIT, y->cpu_iowait10 / 10.0);
	struct buf cj = {0};
	buf_addc(&cj, '[');
	for (unsigned i = 0; i < y->ncpu && i < WATCH_MAXCPU; i++) {
		json_sep(&cj);
		json_double(&cj, y->core_busy10[i] / 10.0);
	}
	buf_addc(&cj, ']');
	ev_json(&d, log, EVK_CORES, cj.data, cj.len);
	buf_free(&cj);
	ev_uint(&d, EVK_MEM_TOTAL, y->mem_total_kb * 1024);
	ev_uint(&d, EVK_MEM_AVAIL, y->mem_avail_kb * 1024);
	ev_uint(&d, EVK_SWAP_TOTAL, y->swap_total_kb * 1024);
	ev_uint(&d, EVK_SWAP, (y->swap_total_kb - y->swap_free_kb) * 1024);
	if (y->psi_cpu100 >= 0)
		ev_double(&d, EVK_PSI_CPU, y->psi_cpu100 / 100.0);
	if (y->psi_io100 >= 0)
		ev_double(&d, EVK_PSI_IO, y->psi_io100 / 100.0);
	if (y->psi_mem100 >= 0)
		ev_double(&d, EVK_PSI_MEM, y->psi_mem100 / 100.0);
	ev_uint(&d, EVK_FORKS, y->forks);
	ev_uint(&d, EVK_NPROCS, y->nprocs);
	ev_uint(&d, EVK_RUNNING, y->running);
	ev_uint(&d, EVK_BLOCKED, y->blocked);
	ev_uint(&d, EVK_EXITS, s->exits_total);
	ev_add(&d, EVK_SAMPLER_CPU, EVF_DUR, s->cost_ns);
	ev_add(&d, EVK_LAG, EVF_DUR, s->lag_ns);
	evlog_append(log, &d);
}

static int fill_dump(void *vctx, int fd)
{
	struct dumpctx *dc = vctx;
	struct watch *w = dc->w;
	struct pending *p = dc->p;
	const struct wsnap *first = watch_snap_of(w, dc->first_seq);
	struct run r = {0};
	r.log = evlog_new();
	r.mode = "watch";
	r.host = w->run->host;
	r.kernel = w->run->kernel;
	r.argv = w->run->argv;
	r.argc = w->run->argc;
	r.end = RUN_RUNNING;
	uint64_t t0 = first ? first->mono : p->trig_mono;
	evlog_set_start(r.log, t0, first ? first->real : p->trig_real);
	buf_printf(&r.header_extra, "\"ncpu\":%u,\"interval\":", first ? first->sys.ncpu : 0);
	json_double(&r.header_extra, w->interval);
	buf_adds(&r.header_extra, ",\"trigger_kind\":");
	json_cstr(&r.header_extra, p->kind);
	buf_printf(&r.header_extra, ",\"hz\":%ld,\"boot_time\":%llu", w->hz,
		   (unsigned long long)watch_boot_time());

	struct jsonl_sink *js = jsonl_sink_new(&r, fd);
	struct evlog *log = r.log;
	uint64_t nsamples = 0, dropped = 0, exits_dropped = 0;

	/* the trigger first, so a lister reads one line past the header */
	emit_trigger(log, p, t0, w->exits_lost);

	for (uint64_t seq = dc->first_seq; seq <= dc->last_seq; seq++) {
		const struct wsnap *s = watch_snap_of(w, seq);
		if (!s)
			continue;
		uint64_t t = s->mono - t0;
		bool ctx = seq >= dc->ctx_first;
		emit_sysstat(log, t, s);
		if (ctx)
			exits_dropped += s->exits_total - s->nexits;

		for (uint32_t i = 0; i < s->nprocs; i++) {
			const struct wproc_rec *rec = &s->procs[i];
			bool inv = is_involved(p, rec->pid, rec->start);
			/* every process at the trigger; busy ones in the context window; involved ones always */
			if (!inv && seq != p->trig_seq && seq != p->ctx_seq && !(ctx && rec->cpu10 > 0))
				continue;
			if (!inv && nsamples >= DUMP_MAX_SAMPLES) {
				dropped++;
				continue;
			}
			emit_sample(log, t, rec);
			nsamples++;
		}
		if (!ctx)
			continue;
		for (uint32_t i = 0; i < s->nthreads; i++)
			emit_thread(log, t, &s->threads[i]);
		for (uint32_t i = 0; i < s->nexits; i++)
			emit_exit(log, t0, t, &s->exits[i]);
	}
	const struct wsnap *last = watch_snap_of(w, dc->last_seq);
	r.t_end = last ? last->mono - t0 : 0;
	if (dropped)
		buf_printf(&r.end_extra, "\"samples_dropped\":%llu", (unsigned long long)dropped);
	/* exit records the ring's budget let go before this dump was written */
	if (exits_dropped)
		buf_printf(&r.end_extra, "%s\"exits_dropped\":%llu", dropped ? "," : "",
			   (unsigned long long)exits_dropped);
	int rc = jsonl_sink_finish(js);
	buf_free(&r.header_extra);
	buf_free(&r.end_extra);
	evlog_free(r.log);
	return rc;
}

/*
 * Memory and swap triggers: name the processes by their largest growth from
 * the reference snapshot over the whole post-trigger window, so an
 * allocation still in progress at the trigger is measured in full.
 */
static void regrow(struct watch *w, struct pending *p)
{
	const struct wsnap *ref = watch_snap_of(w, p->ref_seq);
	if (!ref)
		return;
	struct involved best[MAX_INVOLVED * 4], cur[MAX_INVOLVED * 2];
	int nb = 0;
	for (uint64_t seq = p->trig_seq; seq < w->seq; seq++) {
		const struct wsnap *s = watch_snap_of(w, seq);
		if (!s || !s->procs)
			continue;
		int n = watch_grown(ref, s, p->grow_swap, cur, MAX_INVOLVED * 2);
		for (int i = 0; i < n; i++) {
			int k;
			for (k = 0; k < nb; k++)
				if (best[k].pid == cur[i].pid && best[k].start == cur[i].start)
					break;
			if (k < nb) {
				if (cur[i].value > best[k].value)
					best[k].value = cur[i].value;
			} else if (nb < (int)ARRAY_SIZE(best))
				best[nb++] = cur[i];
		}
	}
	if (!nb)
		return;
	watch_involved_sort(best, (size_t)nb);
	p->ninv = nb < MAX_INVOLVED ? nb : MAX_INVOLVED;
	memcpy(p->inv, best, (size_t)p->ninv * sizeof(*best));
	free_cmds(p);
	watch_take_cmds(w, p);
}

void watch_write_dump(struct watch *w, struct pending *p, const char *cut)
{
	if (p->ref_seq)
		regrow(w, p);
	watch_take_cmds(w, p); /* the worker may have read them since the trigger */
	struct dumpctx dc = { .w = w, .p = p };
	uint64_t oldest = w->seq > w->ringcap ? w->seq - w->ringcap : 1;
	dc.last_seq = w->seq - 1;
	dc.ctx_first = p->ctx_seq > (uint64_t)w->conf.context_snapshots_per_dump
			       ? p->ctx_seq - (uint64_t)w->conf.context_snapshots_per_dump
			       : 1;
	if (dc.ctx_first < oldest)
		dc.ctx_first = oldest;
	/* involved processes' history reaches back through the whole ring */
	dc.first_seq = p->ninv ? oldest : dc.ctx_first;
	while (dc.first_seq < dc.last_seq && !watch_snap_of(w, dc.first_seq))
		dc.first_seq++;
	char *name = NULL;
	/* a directory gone for good was said once (watch_dumpdir_ensure): its dumps are only counted */
	bool dir_ok = watch_dumpdir_ensure(w->dd);
	int rc = dir_ok ? watch_dump_write_fn(w->dd, p->kind, &p->trig_real, fill_dump, &dc, &name) : -ENOENT;
	if (rc) {
		uint64_t now = now_ns();
		w->dumps_lost++;
		/* a full disk must not flood the journal: one line per minute */
		if (dir_ok && (!w->last_fail_log || now - w->last_fail_log > 60000000000ull)) {
			warnmsg("dump for trigger %s not written: %s; earlier dumps are kept, sampling goes on", p->kind,
				strerror(-rc));
			w->last_fail_log = now;
		}
	} else {
		w->dumps_written++;
		notemsg("dump written: %s/%s%s%s%s", watch_conf_dump_dir(&w->conf), name,
			cut ? " (post-trigger window cut short: " : "", cut ? cut : "", cut ? ")" : "");
		free(name);
		watch_dump_retention(w->dd, w->conf.retention_max_dumps, w->conf.retention_max_age_days,
				     w->conf.retention_max_total_mib);
	}
	if (p->inc)
		p->inc->dump = NULL;
	free_cmds(p);
	free(p->msg);
	for (int i = 0; i < p->nrel; i++)
		free(p->rel[i].msg);
	free(p->thresholds_json);
	free(p);
}

void watch_flush_pending(struct watch *w, uint64_t mono, bool all)
{
	for (int i = 0; i < w->npend;) {
		struct pending *p = w->pend[i];
		/* the ring must not overwrite the pre-trigger context before the dump is out */
		uint64_t need = p->ctx_seq > (uint64_t)w->conf.context_snapshots_per_dump
					? p->ctx_seq - (uint64_t)w->conf.context_snapshots_per_dump
					: 1;
		bool ring_full = w->seq + 1 > need + w->ringcap;
		if (all || mono >= p->due_mono || ring_full) {
			watch_write_dump(w, p, all && mono < p->due_mono ? "shutdown" : NULL);
			w->pend[i] = w->pend[--w->npend];
		} else {
			/* command lines read since the trigger, while their processes are alive */
			watch_take_cmds(w, p);
			i++;
		}
	}
}


