/* SPDX-License-Identifier: MIT */
/* watch_detect: the spike detectors (CPU, new processes, memory, swap, PSI, bursts) and their incidents. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/termesc.h"
#include "watch/watch_sys.h"
#include "lib/msg.h"

static uint64_t cooldown_ns(const struct watch *w)
{
	return (uint64_t)(w->conf.cooldown_seconds * 1e9);
}

static struct incident *find_incident(struct watch *w, const char *kind, const char *scope)
{
	for (int i = 0; i < MAX_INCIDENTS; i++)
		if (w->inc[i].kind[0] && !strcmp(w->inc[i].kind, kind) && !strcmp(w->inc[i].scope, scope))
			return &w->inc[i];
	return NULL;
}

static void log_trigger(const char *kind, const char *msg)
{
	char *m = termesc_dup(msg);
	notemsg("trigger %s: %s", kind, m);
	free(m);
}

/*
 * A condition is true now. Opens an incident (and schedules a dump) unless
 * one is open for this kind and scope, or it ended less than cooldown ago.
 */
static void fire(struct watch *w, const struct wsnap *s, const char *kind, const char *scope, double value,
		 double threshold, double baseline, const struct involved *inv, int ninv, const char *fmt, ...)
	PRINTF_LIKE(10, 11);
static void fire(struct watch *w, const struct wsnap *s, const char *kind, const char *scope, double value,
		 double threshold, double baseline, const struct involved *inv, int ninv, const char *fmt, ...)
{
	struct incident *in = find_incident(w, kind, scope);
	if (in && in->open) {
		in->last_true = s->mono;
		return;
	}
	if (in && s->mono - in->end < cooldown_ns(w))
		return;
	if (!in) {
		for (int i = 0; i < MAX_INCIDENTS && !in; i++)
			if (!w->inc[i].kind[0])
				in = &w->inc[i];
		/* every slot used: forget the closed incident that ended first (its cooldown is lost) */
		struct incident *old = NULL;
		for (int i = 0; i < MAX_INCIDENTS && !in; i++)
			if (!w->inc[i].open && !w->inc[i].dump && (!old || w->inc[i].end < old->end))
				old = &w->inc[i];
		if (!in)
			in = old;
		if (!in)
			return; /* every one still open */
	}
	memset(in, 0, sizeof(*in));
	snprintf(in->kind, sizeof(in->kind), "%s", kind);
	snprintf(in->scope, sizeof(in->scope), "%s", scope);
	in->open = true;
	in->start = in->last_true = s->mono;

	va_list ap;
	va_start(ap, fmt);
	struct buf msg = {0};
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	log_trigger(kind, msg.data);
	if (watch_is_mem_kind(kind) && ninv) {
		in->cause_pid = inv[0].pid;
		in->cause_start = inv[0].start;
		struct trig t = { kind, scope, msg.data, value, threshold, baseline };
		if (watch_fold(w, s, in, &t)) {
			buf_free(&msg);
			return;
		}
	}
	if (w->npend >= MAX_PENDING) {
		/* more triggers than post-trigger windows: write the oldest now, cut short, rather than lose this one */
		int o = 0;
		for (int i = 1; i < w->npend; i++)
			if (w->pend[i]->trig_mono < w->pend[o]->trig_mono)
				o = i;
		watch_write_dump(w, w->pend[o], "more triggers pending");
		w->pend[o] = w->pend[--w->npend];
	}
	struct pending *p = xcalloc(1, sizeof(*p));
	snprintf(p->kind, sizeof(p->kind), "%s", kind);
	snprintf(p->scope, sizeof(p->scope), "%s", scope);
	p->msg = buf_steal(&msg);
	p->value = value;
	p->threshold = threshold;
	p->baseline = baseline;
	p->trig_seq = p->ctx_seq = s->seq;
	p->trig_mono = s->mono;
	p->trig_real = s->real;
	p->due_mono = s->mono + (uint64_t)(w->conf.post_trigger_seconds * 1e9);
	p->ninv = ninv < MAX_INVOLVED ? ninv : MAX_INVOLVED;
	if (p->ninv) /* PSI triggers name no process (inv NULL) */
		memcpy(p->inv, inv, (size_t)p->ninv * sizeof(*inv));
	watch_take_cmds(w, p);
	struct buf tj = {0};
	watch_conf_json(&w->conf, &tj);
	p->thresholds_json = buf_steal(&tj);
	p->ref_seq = w->fire_ref_seq;
	p->grow_swap = w->fire_swap;
	p->inc = in;
	in->dump = p;
	w->pend[w->npend++] = p;
}

static void close_incidents(struct watch *w, uint64_t mono)
{
	uint64_t quiet = cooldown_ns(w);
	if (quiet < 2 * w->interval_ns)
		quiet = 2 * w->interval_ns;
	for (int i = 0; i < MAX_INCIDENTS; i++) {
		struct incident *in = &w->inc[i];
		if (!in->kind[0])
			continue;
		if (in->open && mono - in->last_true >= quiet) {
			in->open = false;
			in->end = in->last_true;
			if (in->last_true > in->start)
				notemsg("incident %s (%s) ended after %.1f s", in->kind, in->scope,
					(double)(in->last_true - in->start) / 1e9);
		} else if (!in->open && !in->dump && mono - in->end >= cooldown_ns(w)) {
			in->kind[0] = 0; /* cooldown over: forget it */
		}
	}
}

static int birth_cmp(const void *a, const void *b)
{
	const struct birth *x = a, *y = b;
	if (x->ppid != y->ppid)
		return (x->ppid > y->ppid) - (x->ppid < y->ppid);
	return strncmp(x->comm, y->comm, sizeof(x->comm));
}

/*
 * One process's memory (RSS + swap) grew by the threshold within the
 * window. MemAvailable is system-wide: on a busy machine other processes
 * freeing memory at the same time hide most of a 600 MB allocation from the
 * memdrop trigger, while the process's own growth is exact.
 */
static void detect_memgrow(struct watch *w, const struct wsnap *s)
{
	double win = fmax(5, 5 * w->interval);
	const struct wsnap *ref = watch_snap_before(w, s, win);
	if (!ref || ref == s)
		return; /* no baseline yet: everything would look new */
	uint64_t thr_kb = (uint64_t)(w->conf.process_mem_growth_threshold_mib * 1024);
	for (size_t i = 0; i < w->ncur; i++) {
		const struct wp *p = &w->cur[i];
		uint64_t now_kb = (uint64_t)p->rss_kb + p->swap_kb;
		if (now_kb < thr_kb)
			continue;
		const struct wproc_rec *r = watch_snap_find(ref, p->pid);
		if ((!r || r->start != p->start) && p->first_mono <= ref->mono)
			continue; /* watched then, yet the reference does not hold it: its growth is unknown */
		uint64_t before = r && r->start == p->start ? (uint64_t)r->rss_kb + r->swap_kb : 0;
		if (now_kb < before + thr_kb)
			continue;
		char scope[48];
		snprintf(scope, sizeof(scope), "pid %d@%llu", p->pid,
			 (unsigned long long)(watch_boot_time() + p->start / (uint64_t)w->hz));
		struct involved me = { .pid = p->pid, .start = p->start, .value = (double)(now_kb - before) };
		memcpy(me.comm, p->comm, sizeof(me.comm));
		struct buf cm = {0};
		buf_add(&cm, p->comm, strnlen(p->comm, sizeof(p->comm)));
		fire(w, s, "memgrow", scope, (double)(now_kb - before) / 1024, w->conf.process_mem_growth_threshold_mib,
		     (double)before / 1024, &me, 1, "process %d (%s) grew by %.0f MiB to %.0f MiB within %.1f s (threshold %g MiB)", p->pid,
		     cm.data ? cm.data : "", (double)(now_kb - before) / 1024, (double)now_kb / 1024,
		     (double)(s->mono - ref->mono) / 1e9, w->conf.process_mem_growth_threshold_mib);
		buf_free(&cm);
	}
}

/*
 * The alphas are the weight of a new sample at the spike daemon's 1 s
 * period; scaled so a faster interval does not make the baseline faster.
 */
static double alpha_for(double a, double interval)
{
	return 1 - pow(1 - a, fmin(interval, 1e3));
}

/*
 * Whether a process's CPU baseline can be trusted (doc: compendium(1),
 * baseline_warmup_seconds). A process first seen young has been watched
 * all its life: its baseline is known from birth. One first seen already
 * running (at the start of the watch, or missed until now) has an unknown
 * past: its first sight gives no rate, and it is judged only once it has
 * been watched for the warm-up and its baseline holds two readings.
 */
static bool baseline_settled(const struct watch *w, const struct wp *p, uint64_t mono)
{
	if (!p->ema_ok)
		return false;
	if (p->whole_life)
		return true;
	return p->nrate >= 2 && mono - p->first_mono >= (uint64_t)(w->conf.baseline_warmup_seconds * 1e9);
}

/* Per process: CPU above its baseline, and new processes using a lot of CPU; then the baselines. */
static void detect_cpu(struct watch *w, const struct wsnap *s)
{
	const struct watch_conf *c = &w->conf;
	double pa = alpha_for(c->process_baseline_alpha, w->interval);
	char scope[48];

	for (size_t i = 0; i < w->ncur; i++) {
		struct wp *p = &w->cur[i];
		double pct = p->cpu10 / 10.0;
		snprintf(scope, sizeof(scope), "pid %d@%llu", p->pid,
			 (unsigned long long)(watch_boot_time() + p->start / (uint64_t)w->hz));
		struct involved me = { .pid = p->pid, .start = p->start, .value = pct };
		memcpy(me.comm, p->comm, sizeof(me.comm));
		struct buf cm = {0};
		buf_add(&cm, p->comm, strnlen(p->comm, sizeof(p->comm)));
		if (c->enable_cpu_detection) {
			if (p->young && pct >= c->new_process_threshold_pct)
				fire(w, s, "newproc", scope, pct, c->new_process_threshold_pct, NAN, &me, 1,
				     "new process %d (%s) at %.1f%% CPU (threshold %g%%)", p->pid, cm.data ? cm.data : "",
				     pct, c->new_process_threshold_pct);
			else if (baseline_settled(w, p, s->mono) && pct - p->ema >= c->cpu_delta_threshold_pct)
				fire(w, s, "cpu", scope, pct, c->cpu_delta_threshold_pct, p->ema, &me, 1,
				     "process %d (%s) at %.1f%% CPU, baseline %.1f%% (threshold +%g)", p->pid,
				     cm.data ? cm.data : "", pct, p->ema, c->cpu_delta_threshold_pct);
		}
		buf_free(&cm);
		/*
		 * The baseline: the mean of the readings while they are fewer than
		 * 1/alpha (an EMA started from one reading would be that reading),
		 * then the EMA. A young process at 0% does not start it yet.
		 */
		if (p->rate_ok && (p->ema_ok || !p->young || pct > 0)) {
			p->nrate++;
			double a = fmax(pa, 1.0 / p->nrate);
			p->ema = p->ema_ok ? a * pct + (1 - a) * p->ema : pct;
			p->ema_ok = true;
		}
	}
}

/*
 * Short-lived processes, from the kernel's exact exit accounting: those
 * that lived between two scans, and young ones the scans saw only in
 * part (a 0.4 s hog may straddle three scans and never look busy).
 */
static void detect_exits(struct watch *w, const struct wsnap *s)
{
	const struct watch_conf *c = &w->conf;
	char scope[48];

	for (uint32_t i = 0; i < s->nexits; i++) {
		const struct wexit_rec *x = &s->exits[i];
		double lifetime = (double)x->lifetime_us / 1e6;
		if (x->seen && lifetime > fmax(YOUNG_SECONDS, 3 * w->interval))
			continue;
		double pct = (double)x->cpu_us / 1e6 / fmax(lifetime, MIN_LIFETIME_S) * 100;
		if (pct < c->new_process_threshold_pct)
			continue;
		/* the scans may have fired for it already: /proc and taskstats round the start differently */
		bool known = false;
		for (int d = -1; d <= 1 && !known; d++) {
			snprintf(scope, sizeof(scope), "pid %d@%llu", x->pid, (unsigned long long)(x->btime + d));
			known = find_incident(w, "newproc", scope) != NULL;
		}
		if (known)
			continue;
		snprintf(scope, sizeof(scope), "pid %d@%llu", x->pid, (unsigned long long)x->btime);
		struct involved me = { .pid = x->pid, .value = pct };
		snprintf(me.comm, sizeof(me.comm), "%.15s", x->comm);
		struct buf cm = {0};
		buf_add(&cm, me.comm, strlen(me.comm));
		fire(w, s, "newproc", scope, pct, c->new_process_threshold_pct, NAN, &me, 1,
		     "short-lived process %d (%s) used %.1f%% CPU for %.2f s and exited (threshold %g%%)", x->pid,
		     cm.data ? cm.data : "", pct, (double)x->lifetime_us / 1e6, c->new_process_threshold_pct);
		buf_free(&cm);
	}
}

/* MemAvailable below its baseline, memory pressure, one process's growth; then the baseline. */
static void detect_memory(struct watch *w, const struct wsnap *s)
{
	const struct watch_conf *c = &w->conf;
	double ma = alpha_for(c->memory_baseline_alpha, w->interval);
	struct involved inv[MAX_INVOLVED];

	const struct sysrec *y = &s->sys;
	double avail_mib = (double)y->mem_avail_kb / 1024, total_mib = (double)y->mem_total_kb / 1024;
	if (c->enable_memory_detection && y->mem_total_kb) {
		const struct wsnap *ref = watch_snap_before(w, s, fmax(5, 5 * w->interval));
		if (w->mem_ema_ok && w->mem_ema - avail_mib >= c->mem_drop_threshold_mib) {
			int n = watch_grown(ref, s, false, inv, MAX_INVOLVED);
			w->fire_ref_seq = ref ? ref->seq : 0;
			fire(w, s, "memdrop", "system", w->mem_ema - avail_mib, c->mem_drop_threshold_mib, w->mem_ema, inv, n,
			     "MemAvailable %.0f MiB, %.0f MiB below its baseline (threshold %g MiB)%s%s", avail_mib,
			     w->mem_ema - avail_mib, c->mem_drop_threshold_mib, n ? "; grew most: " : "",
			     n ? inv[0].comm : "");
		}
		double used = (total_mib - avail_mib) / total_mib * 100;
		if (used >= c->mem_pressure_threshold_pct) {
			int n = watch_grown(ref, s, false, inv, MAX_INVOLVED);
			w->fire_ref_seq = ref ? ref->seq : 0;
			fire(w, s, "mempressure", "system", used, c->mem_pressure_threshold_pct, NAN, inv, n,
			     "memory %.1f%% used (threshold %g%%)", used, c->mem_pressure_threshold_pct);
		}
	}
	if (c->enable_memory_detection)
		detect_memgrow(w, s);
	if (w->mem_ema_ok)
		w->mem_ema = ma * avail_mib + (1 - ma) * w->mem_ema;
	else
		w->mem_ema = avail_mib;
	w->mem_ema_ok = y->mem_total_kb > 0;
}

/* Swap used above its baseline; then the baseline. */
static void detect_swap(struct watch *w, const struct wsnap *s)
{
	const struct watch_conf *c = &w->conf;
	double ma = alpha_for(c->memory_baseline_alpha, w->interval);
	const struct sysrec *y = &s->sys;
	struct involved inv[MAX_INVOLVED];

	double swap_mib = (double)(y->swap_total_kb - y->swap_free_kb) / 1024;
	if (c->enable_swap_detection && y->swap_total_kb && w->swap_ema_ok &&
	    swap_mib - w->swap_ema >= c->swap_spike_threshold_mib) {
		const struct wsnap *ref = watch_snap_before(w, s, fmax(5, 5 * w->interval));
		int n = watch_grown(ref, s, true, inv, MAX_INVOLVED);
		w->fire_ref_seq = ref ? ref->seq : 0;
		w->fire_swap = true;
		fire(w, s, "swap", "system", swap_mib - w->swap_ema, c->swap_spike_threshold_mib, w->swap_ema, inv, n,
		     "swap used %.0f MiB, %.0f MiB above its baseline (threshold %g MiB)", swap_mib, swap_mib - w->swap_ema,
		     c->swap_spike_threshold_mib);
	}
	if (w->swap_ema_ok)
		w->swap_ema = ma * swap_mib + (1 - ma) * w->swap_ema;
	else
		w->swap_ema = swap_mib;
	w->swap_ema_ok = true;
}

/* Pressure stall information above the threshold. */
static void detect_psi(struct watch *w, const struct wsnap *s)
{
	const struct watch_conf *c = &w->conf;
	const struct sysrec *y = &s->sys;

	if (c->enable_psi_detection) {
		const struct { const char *kind; int32_t v; } psi[] = {
			{ "psi_cpu", y->psi_cpu100 }, { "psi_io", y->psi_io100 }, { "psi_memory", y->psi_mem100 } };
		for (size_t i = 0; i < ARRAY_SIZE(psi); i++)
			if (psi[i].v >= 0 && psi[i].v / 100.0 >= c->psi_threshold_pct)
				fire(w, s, psi[i].kind, "system", psi[i].v / 100.0, c->psi_threshold_pct, NAN, NULL, 0,
				     "%s pressure: some avg10 %.2f%% (threshold %g%%)", psi[i].kind + 4, psi[i].v / 100.0,
				     c->psi_threshold_pct);
	}
}

/* Bursts of new processes, grouped by parent and name. */
static void detect_burst(struct watch *w, const struct wsnap *s)
{
	const struct watch_conf *c = &w->conf;
	char scope[48];

	uint64_t win = (uint64_t)(c->burst_window_seconds * 1e9);
	size_t k = 0;
	for (size_t i = 0; i < w->nbirths; i++)
		if (s->mono - w->births[i].mono <= win || w->births[i].mono > s->mono)
			w->births[k++] = w->births[i];
	w->nbirths = k;
	if (w->capbirths > 4 * k + 4096) {
		w->capbirths = 2 * k + 1024;
		w->births = xreallocarray(w->births, w->capbirths, sizeof(*w->births));
	}
	if (c->enable_burst_detection && w->nbirths >= (size_t)c->burst_threshold) {
		struct birth *v = xmalloc(w->nbirths * sizeof(*v));
		memcpy(v, w->births, w->nbirths * sizeof(*v));
		qsort(v, w->nbirths, sizeof(*v), birth_cmp);
		for (size_t i = 0; i < w->nbirths;) {
			size_t e = i;
			while (e < w->nbirths && !birth_cmp(&v[i], &v[e]))
				e++;
			if ((long)(e - i) >= c->burst_threshold) {
				snprintf(scope, sizeof(scope), "burst %d/%.15s", v[i].ppid, v[i].comm);
				struct involved par = { .pid = v[i].ppid, .value = (double)(e - i) };
				const struct wp *pp = watch_find_cur(w, v[i].ppid);
				if (pp) {
					par.start = pp->start;
					memcpy(par.comm, pp->comm, sizeof(par.comm));
				}
				struct involved child = { .pid = 0, .value = (double)(e - i) };
				memcpy(child.comm, v[i].comm, sizeof(child.comm));
				struct involved both[2] = { par, child };
				struct buf cm = {0}, pm = {0};
				buf_add(&cm, v[i].comm, strnlen(v[i].comm, sizeof(v[i].comm)));
				buf_add(&pm, par.comm, strnlen(par.comm, sizeof(par.comm)));
				fire(w, s, "burst", scope, (double)(e - i), (double)c->burst_threshold, NAN, both, 2,
				     "%zu new processes '%s' from parent %d (%s) within %g s (threshold %ld)", e - i,
				     cm.data ? cm.data : "", v[i].ppid, pm.data ? pm.data : "?", c->burst_window_seconds,
				     c->burst_threshold);
				buf_free(&cm);
				buf_free(&pm);
			}
			i = e;
		}
		free(v);
	}
}

void watch_detect(struct watch *w, const struct wsnap *s)
{
	if (!w->first_mono)
		w->first_mono = s->mono;
	if (!w->warmup_said && s->mono - w->first_mono >= (uint64_t)(w->conf.baseline_warmup_seconds * 1e9) &&
	    s->seq > 3) {
		notemsg("baseline warm-up over (%g s): processes that were running at the start are judged from now on",
			w->conf.baseline_warmup_seconds);
		w->warmup_said = true;
	}
	detect_cpu(w, s);
	if (w->conf.enable_cpu_detection)
		detect_exits(w, s);
	detect_memory(w, s);
	detect_swap(w, s);
	w->fire_ref_seq = 0;
	w->fire_swap = false;
	detect_psi(w, s);
	detect_burst(w, s);
	close_incidents(w, s->mono);
}

