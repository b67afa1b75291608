/* SPDX-License-Identifier: MIT */
/*
 * report_columns: events -> the report's columns (one value per event),
 * the sparse lists beside them, the process and thread tables and the
 * summary counts. The per-event work of the report, kept in one file.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/util.h"
#include "lib/xlat.h"
#include "log/evcount.h"
#include "log/evfield.h"
#include "sinks/report_int.h"

#define ESC32 0xffffffffu /* "value in the escape list" in u32 columns */


static void col_push(struct report_col *c, const void *v)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 4096;
		c->p = xreallocarray(c->p, c->cap, c->size);
	}
	memcpy(c->p + c->n * c->size, v, c->size);
	c->n++;
}

static void col_free(struct report_col *c)
{
	free(c->p);
}

static void col_init(struct report_col *c, size_t size)
{
	memset(c, 0, sizeof(*c));
	c->size = size;
}

static struct report_proc *proc_get(struct report_rep *R, int pid)
{
	/* processes are few; most events hit the last one used */
	size_t last = R->plast;
	if (last < R->nprocs && R->procs[last].pid == pid)
		return &R->procs[last];
	for (size_t i = 0; i < R->nprocs; i++)
		if (R->procs[i].pid == pid) {
			R->plast = i;
			return &R->procs[i];
		}
	if (R->nprocs == R->pcap) {
		R->pcap = R->pcap ? R->pcap * 2 : 64;
		R->procs = xreallocarray(R->procs, R->pcap, sizeof(*R->procs));
	}
	struct report_proc *p = &R->procs[R->nprocs];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = -1;
	p->first = UINT64_MAX;
	R->plast = R->nprocs++;
	return p;
}

static void proc_tid(struct report_proc *p, int tid)
{
	if (tid == p->pid || tid <= 0)
		return;
	if (p->ntids && p->tids[p->ntids - 1] == tid)
		return;
	for (size_t i = 0; i < p->ntids; i++)
		if (p->tids[i] == tid)
			return;
	if (p->ntids == p->tcap) {
		p->tcap = p->tcap ? p->tcap * 2 : 8;
		p->tids = xreallocarray(p->tids, p->tcap, sizeof(*p->tids));
	}
	p->tids[p->ntids++] = tid;
}

static uint32_t series_id(struct report_rep *R, int pid, unsigned type, uint32_t kind, unsigned key)
{
	for (size_t i = R->nseries; i-- > 0;) {
		const struct report_series *x = &R->series[i];
		if (x->pid == pid && x->type == type && x->key == key && x->kind == kind)
			return (uint32_t)i;
	}
	if (R->nseries == R->scap) {
		R->scap = R->scap ? R->scap * 2 : 32;
		R->series = xreallocarray(R->series, R->scap, sizeof(*R->series));
	}
	R->series[R->nseries] = (struct report_series){pid, type, key, kind};
	return (uint32_t)R->nseries++;
}

static unsigned type_index(struct report_rep *R, unsigned type)
{
	if (type < ARRAY_SIZE(R->types_seen) && R->types_seen[type])
		return R->types_seen[type] - 1;
	for (size_t i = 0; i < R->ntypes; i++)
		if (R->type_ids[i] == type)
			return (unsigned)i;
	R->type_ids = xreallocarray(R->type_ids, R->ntypes + 1, sizeof(*R->type_ids));
	R->type_counts = xreallocarray(R->type_counts, R->ntypes + 1, sizeof(*R->type_counts));
	R->type_ids[R->ntypes] = type;
	R->type_counts[R->ntypes] = 0;
	if (type < ARRAY_SIZE(R->types_seen))
		R->types_seen[type] = (uint32_t)R->ntypes + 1;
	return (unsigned)R->ntypes++;
}

/* A u32 column's value: v itself, or ESC32 with v in the escape list. */
static uint32_t u32_esc(struct report_col *xi, struct report_col *xv, uint64_t v, uint32_t idx)
{
	if (v < ESC32)
		return (uint32_t)v;
	double d = (double)v;
	col_push(xi, &idx);
	col_push(xv, &d);
	return ESC32;
}

/* A string field in display form, redacted if wanted. */
static void add_str(struct report_rep *R, struct buf *out, const char *s, size_t n, bool *red)
{
	if (R->redact && report_may_hold_secret(s, n)) {
		buf_reset(&R->tmp2);
		if (report_redact(&R->tmp2, s, n)) {
			*red = true;
			report_disp_add(out, R->tmp2.data, R->tmp2.len);
			return;
		}
	}
	report_disp_add(out, s, n);
}

/* The stab id of log string 'id' in display form (cached: strings repeat). */
static uint32_t str_disp(struct report_rep *R, uint32_t id, bool *red)
{
	if (id < R->nscache && R->scache[id]) {
		if (R->sred[id])
			*red = true;
		return R->scache[id];
	}
	size_t n;
	const char *s = evlog_str(R->log, id, &n);
	bool r = false;
	buf_reset(&R->tmp);
	add_str(R, &R->tmp, s ? s : "", s ? n : 0, &r);
	uint32_t sid = report_stab_id(&R->st, R->tmp.data ? R->tmp.data : "", R->tmp.len);
	if (id < R->nscache) {
		R->scache[id] = sid;
		R->sred[id] = r;
	}
	if (r)
		*red = true;
	return sid;
}

static bool numeric_kind(unsigned kind)
{
	return kind == EVF_INT || kind == EVF_UINT || kind == EVF_DOUBLE || kind == EVF_DUR;
}

static double field_num(const struct ev_field *f)
{
	uint64_t v = evf_u64(f);
	double d;
	switch (f->kind) {
	case EVF_INT:
		return (double)(int64_t)v;
	case EVF_DOUBLE:
		memcpy(&d, &v, sizeof(d));
		return d;
	case EVF_DUR:
		return (double)v / 1e9;
	default:
		return (double)v;
	}
}

/* Keys that identify rather than measure: not drawn as counter tracks. */
static bool id_key(unsigned key)
{
	switch (key) {
	case EVK_CHILD: case EVK_THREAD: case EVK_FD: case EVK_CODE: case EVK_SIGNAL:
	case EVK_SENDER: case EVK_FAMILY: case EVK_PORT: case EVK_UID: case EVK_GID:
	case EVK_NR: case EVK_PPID: case EVK_START: case EVK_FORMER_TID: case EVK_SOCKTYPE:
	case EVK_ERR: case EVK_MODE: case EVK_FLAGS: case EVK_ADDR: case EVK_STATE:
		return true;
	default:
		return false;
	}
}

static struct report_file *file_get(struct report_rep *R, uint32_t path)
{
	if (path >= R->file_slot_cap) {
		size_t ncap = R->file_slot_cap ? R->file_slot_cap : 1024;
		while (ncap <= path)
			ncap *= 2;
		R->file_slot = xreallocarray(R->file_slot, ncap, sizeof(*R->file_slot));
		memset(R->file_slot + R->file_slot_cap, 0, (ncap - R->file_slot_cap) * sizeof(*R->file_slot));
		R->file_slot_cap = ncap;
	}
	if (!R->file_slot[path]) {
		if (R->nfiles == R->fcap) {
			R->fcap = R->fcap ? R->fcap * 2 : 256;
			R->files = xreallocarray(R->files, R->fcap, sizeof(*R->files));
		}
		R->files[R->nfiles] = (struct report_file){.path = path};
		R->file_slot[path] = (uint32_t)++R->nfiles;
	}
	return &R->files[R->file_slot[path] - 1];
}

/* The index of (pid, tid) in the thread table, adding it if new. */
static uint32_t thread_index(struct report_rep *R, int32_t pid, int32_t tid)
{
	uint32_t last = R->thr_last;
	if (last < R->nthr && R->thr[2 * last] == pid && R->thr[2 * last + 1] == tid)
		return last;
	if ((uint64_t)(R->nthr + 1) * 2 >= R->thr_hcap) {
		uint32_t ncap = R->thr_hcap ? R->thr_hcap * 2 : 256;
		uint32_t *nh = xcalloc(ncap, sizeof(*nh));
		for (uint32_t k = 0; k < R->nthr; k++) {
			uint32_t j = report_hash32(&R->thr[2 * k], 8) & (ncap - 1);
			while (nh[j])
				j = (j + 1) & (ncap - 1);
			nh[j] = k + 1;
		}
		free(R->thr_h);
		R->thr_h = nh;
		R->thr_hcap = ncap;
	}
	int32_t key[2] = {pid, tid};
	uint32_t j = report_hash32(key, 8) & (R->thr_hcap - 1);
	for (;;) {
		uint32_t v = R->thr_h[j];
		if (!v)
			break;
		if (R->thr[2 * (v - 1)] == pid && R->thr[2 * (v - 1) + 1] == tid)
			return R->thr_last = v - 1;
		j = (j + 1) & (R->thr_hcap - 1);
	}
	if (R->nthr == R->thr_cap) {
		R->thr_cap = R->thr_cap ? R->thr_cap * 2 : 64;
		R->thr = xreallocarray(R->thr, R->thr_cap, 2 * sizeof(*R->thr));
		R->thr_proc = xreallocarray(R->thr_proc, R->thr_cap, sizeof(*R->thr_proc));
	}
	R->thr_proc[R->nthr] = 0;
	R->thr[2 * R->nthr] = pid;
	R->thr[2 * R->nthr + 1] = tid;
	R->thr_h[j] = R->nthr + 1;
	return R->thr_last = R->nthr++;
}

static void add_u64(struct buf *b, uint64_t v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				    "8081828384858687888990919293949596979899";
	char tmp[24], *p = tmp + sizeof(tmp);
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		*--p = pairs[2 * r + 1];
		*--p = pairs[2 * r];
	}
	if (v >= 10) {
		*--p = pairs[2 * v + 1];
		*--p = pairs[2 * v];
	} else {
		*--p = (char)('0' + v);
	}
	buf_reserve(b, sizeof(tmp));
	char *o = b->data + b->len;
	while (p < tmp + sizeof(tmp))
		*o++ = *p++;
	*o = 0;
	b->len = (size_t)(o - b->data);
}

/* REPORT_FSEP "key=" (no separator first) in the fields text. */
static void add_key(struct report_rep *R, struct buf *d, unsigned key)
{
	const char *s;
	size_t n;
	if (key < ARRAY_SIZE(R->kname) && R->kname[key]) {
		s = R->kname[key];
		n = R->klen[key];
	} else {
		s = ev_key_name(key);
		n = strlen(s);
		if (key < ARRAY_SIZE(R->kname) && n < 256) {
			R->kname[key] = s;
			R->klen[key] = (uint8_t)n;
		}
	}
	buf_reserve(d, n + 2);
	char *o = d->data + d->len;
	if (d->len)
		*o++ = REPORT_FSEP;
	memcpy(o, s, n);
	o += n;
	*o++ = '=';
	*o = 0;
	d->len = (size_t)(o - d->data);
}

static void add_i64(struct buf *b, int64_t v)
{
	if (v < 0) {
		buf_addc(b, '-');
		add_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		add_u64(b, (uint64_t)v);
	}
}

/*
 * Pass 1, the numeric columns: time, thread, type, category, duration,
 * bytes and the counter tracks. They need no string work, so they can be
 * compressed while pass 2 builds the text.
 */
static void add_numbers(struct report_rep *R, const struct ev *e, uint32_t idx, uint64_t *prev_t)
{
	const struct ev_field *f = ev_fields(e);
	uint64_t bytes = 0, dur = 0;
	for (unsigned i = 0; i < e->nf; i++) {
		if (f[i].key == EVK_BYTES && numeric_kind(f[i].kind))
			bytes = f[i].kind == EVF_INT && evf_i64(&f[i]) < 0 ? 0 : evf_u64(&f[i]);
		else if (f[i].key == EVK_DUR && f[i].kind == EVF_DUR)
			dur = evf_u64(&f[i]);
	}

	/* time: Δ-encoded u32 ns; the escape list holds the absolute time of gaps and reordering */
	uint64_t t = e->t;
	if (t >= *prev_t && t - *prev_t < ESC32) {
		R->dt[idx] = (uint32_t)(t - *prev_t);
	} else {
		double tv = (double)t;
		R->dt[idx] = ESC32;
		col_push(&R->tx_i, &idx);
		col_push(&R->tx_v, &tv);
	}
	*prev_t = t;

	R->th[idx] = thread_index(R, e->pid, e->tid);
	unsigned ti = type_index(R, e->type);
	R->type_counts[ti]++;
	R->type[idx] = (uint16_t)ti;
	R->cat[idx] = (uint8_t)(e->cat - ev_type_default_cat(e->type));
	R->cat_counts[e->cat]++;
	R->dur[idx] = u32_esc(&R->dux_i, &R->dux_v, dur, idx);
	R->bytes[idx] = u32_esc(&R->byx_i, &R->byx_v, bytes, idx);

	/* counter tracks: numeric fields of sampled events, per process or system-wide */
	if (e->type == EVT_COUNTER || e->type == EVT_SAMPLE || e->type == EVT_SYSSTAT ||
	    (e->cat == EVC_SYSTEM && e->type >= EVT__COUNT)) {
		const struct ev_field *kf = ev_find(e, EVK_KIND);
		uint32_t kind = kf && kf->kind == EVF_STR ? (uint32_t)evf_u64(kf) : 0;
		for (unsigned i = 0; i < e->nf; i++) {
			if (!numeric_kind(f[i].kind) || id_key(f[i].key))
				continue;
			uint32_t s = series_id(R, e->pid, e->type, kind, f[i].key);
			double tv = (double)t, vv = field_num(&f[i]);
			col_push(&R->s_id, &s);
			col_push(&R->s_t, &tv);
			col_push(&R->s_v, &vv);
			if (f[i].key == EVK_RSS && evf_u64(&f[i]) > R->peak_rss && f[i].kind != EVF_DOUBLE)
				R->peak_rss = evf_u64(&f[i]);
		}
	}
}

/* Pass 2, the text: details, path, flags, failures, processes, the summary. */
static void add_event(struct report_rep *R, const struct ev *e, uint32_t idx)
{
	const struct ev_field *f = ev_fields(e);
	const struct evlog *log = R->log;
	bool red = false;
	uint64_t bytes = 0;
	int err = 0;
	uint32_t path_id = 0;
	bool has_bytes = false;
	uint8_t fl = 0;
	char tmp[64];

	struct buf *d = &R->det;
	struct buf extra = {0};
	buf_reset(d);
	for (unsigned i = 0; i < e->nf; i++) {
		if (f[i].key == EVK_BYTES && numeric_kind(f[i].kind)) {
			has_bytes = true;
			bytes = f[i].kind == EVF_INT && evf_i64(&f[i]) < 0 ? 0 : evf_u64(&f[i]);
		}
	}
	for (unsigned i = 0; i < e->nf; i++) {
		const struct ev_field *fi = &f[i];
		uint64_t v = evf_u64(fi);
		if (fi->key == EVK_DUR && fi->kind == EVF_DUR) {
			if (!v) /* only then: a flag on most events would cost 1.7% of a report */
				fl |= REPORT_FL_DUR;
			continue; /* the dur column */
		}
		if (fi->key == EVK_BYTES && has_bytes) {
			if (!bytes)
				fl |= REPORT_FL_BYTES;
			continue;
		}
		if (fi->key == EVK_RET && has_bytes && fi->kind == EVF_INT && (uint64_t)evf_i64(fi) == bytes) {
			fl |= REPORT_FL_RET;
			continue; /* the bytes column says it */
		}
		if (fi->kind == EVF_STR && fi->key == EVK_PATH && !path_id && v) {
			/* the path column carries it; the page shows it first */
			path_id = str_disp(R, (uint32_t)v, &red);
			continue;
		}
		if (fi->kind == EVF_JSON) {
			size_t n;
			const char *s = evlog_str(log, (uint32_t)v, &n);
			if (!s)
				continue;
			if (!extra.len)
				buf_addc(&extra, '{');
			json_key(&extra, ev_key_name(fi->key));
			buf_reset(&R->tmp2);
			report_json_disp(&R->tmp2, s, n);
			for (size_t k = 0; k < R->tmp2.len; k++)
				buf_addc(&extra, R->tmp2.data[k] == '\n' || R->tmp2.data[k] == '\r' ? ' ' : R->tmp2.data[k]);
			continue;
		}
		add_key(R, d, fi->key);
		switch (fi->kind) {
		case EVF_INT:
			add_i64(d, (int64_t)v);
			break;
		case EVF_UINT:
			add_u64(d, v);
			break;
		case EVF_HEX:
			buf_addhex(d, v);
			break;
		case EVF_BOOL:
			buf_adds(d, v ? "true" : "false");
			break;
		case EVF_STR: {
			size_t n;
			const char *s = evlog_str(log, (uint32_t)v, &n);
			if (!s) {
				buf_adds(d, "null");
				break;
			}
			uint32_t sid = str_disp(R, (uint32_t)v, &red);
			buf_addc(d, '"');
			buf_add(d, R->st.text.data + R->st.off[sid], R->st.len[sid]);
			buf_addc(d, '"');
			break;
		}
		case EVF_STRV: {
			uint32_t cnt;
			const uint32_t *ids = evlog_strv_get(log, (uint32_t)v, &cnt);
			bool hide_next = false;
			buf_addc(d, '[');
			for (uint32_t k = 0; k < cnt; k++) {
				size_t n;
				const char *s = evlog_str(log, ids[k], &n);
				if (k)
					buf_addc(d, REPORT_VSEP);
				if (!s) {
					buf_adds(d, "null");
					continue;
				}
				buf_addc(d, '"');
				if (hide_next && R->redact) {
					buf_adds(d, REPORT_REDACTED);
					red = true;
					hide_next = false;
				} else {
					add_str(R, d, s, n, &red);
					hide_next = report_secret_flag(s, n);
				}
				buf_addc(d, '"');
			}
			buf_addc(d, ']');
			break;
		}
		case EVF_DUR:
			buf_printf(d, "%.6fs", (double)v / 1e9);
			break;
		case EVF_ERRNO:
			if (fi->key == EVK_ERR)
				err = (int)(int64_t)v;
			if ((int64_t)v > 0 && (int64_t)v < (int64_t)sizeof(R->err_seen))
				R->err_seen[v] = 1;
			buf_adds(d, xlat_errno_label((int)(int64_t)v, tmp));
			break;
		case EVF_SIG:
			buf_adds(d, xlat_signal_label((int)(int64_t)v, tmp));
			break;
		case EVF_DOUBLE: {
			double x;
			memcpy(&x, &v, sizeof(x));
			buf_printf(d, "%.6g", x);
			break;
		}
		default:
			buf_printf(d, "%llu", (unsigned long long)v);
			break;
		}
	}
	if (extra.len)
		buf_addc(&extra, '}');
	const struct ev_field *uf = path_id ? NULL : ev_find(e, EVK_UNKNOWN);
	if (uf && uf->kind == EVF_STR) {
		/* named by nothing because its process's memory was not readable: say so, not "anon" */
		size_t un;
		const char *us = evlog_str(log, (uint32_t)evf_u64(uf), &un);
		buf_reset(&R->tmp);
		buf_adds(&R->tmp, "unknown (");
		add_str(R, &R->tmp, us ? us : "", us ? un : 0, &red);
		buf_addc(&R->tmp, ')');
		path_id = report_stab_id(&R->st, R->tmp.data, R->tmp.len);
		fl |= REPORT_FL_UNKNOWN;
	}

	uint64_t t = e->t;
	int32_t pid = e->pid, tid = e->tid;
	/* what counts as failed is the summary's rule (log/evcount.h); a -v record is marked as its call */
	uint32_t errname;
	int ferr = evcount_failure(e, &errname);
	bool failed = ferr != 0 || (e->type == EVT_SYSCALL && err && !evfield_restart_err(err));
	R->flags[idx] = (uint8_t)(fl | (red ? REPORT_FL_REDACTED : 0) | (e->flags & EVFL_NOISE ? REPORT_FL_NOISE : 0) |
				  (failed ? REPORT_FL_FAILED : 0));
	if (err) { /* failures are few: stored sparse */
		uint32_t ev32 = (uint32_t)err;
		col_push(&R->err_i, &idx);
		col_push(&R->err_v, &ev32);
	}
	R->str[idx] = d->len ? report_stab_id(&R->st, d->data, d->len) : 0;
	R->path[idx] = path_id;
	if (extra.len) { /* stacks, disassembly: few events, stored sparse */
		uint32_t xid = report_stab_id(&R->st, extra.data, extra.len);
		col_push(&R->x_i, &idx);
		col_push(&R->x_v, &xid);
	}
	buf_free(&extra);
	if (red)
		R->nredacted++;

	/* processes and lanes */
	if (pid > 0) {
		/* each thread's process is looked up once */
		uint32_t th = R->th[idx];
		struct report_proc *p;
		if (R->thr_proc[th]) {
			p = &R->procs[R->thr_proc[th] - 1];
		} else {
			p = proc_get(R, pid);
			R->thr_proc[th] = (uint32_t)(p - R->procs) + 1;
			proc_tid(p, tid);
		}
		if (t < p->first)
			p->first = t;
		if (t > p->last)
			p->last = t;
		p->nev++;
		if (ferr)
			p->failed++;
		if (e->type == EVT_READ || e->type == EVT_RECV)
			p->bytes_r += bytes;
		if (e->type == EVT_WRITE || e->type == EVT_SEND)
			p->bytes_w += bytes;
		const struct ev_field *pf;
		if (e->type == EVT_EXEC || (!p->name && (e->type == EVT_ATTACH || e->type == EVT_SPAWN ||
							  ev_find(e, EVK_COMM)))) {
			uint32_t nid = 0;
			buf_reset(&R->tmp);
			const struct ev_field *av = ev_find(e, EVK_ARGV);
			if (e->type == EVT_EXEC && (pf = ev_find(e, EVK_PATH)) && pf->kind == EVF_STR) {
				size_t n;
				const char *s = evlog_str(log, (uint32_t)evf_u64(pf), &n);
				if (s) {
					const char *b = memrchr(s, '/', n);
					if (b) {
						n -= (size_t)(b + 1 - s);
						s = b + 1;
					}
					report_disp_add(&R->tmp, s, n);
				}
			} else if ((pf = ev_find(e, EVK_COMM)) && pf->kind == EVF_STR) {
				size_t n;
				const char *s = evlog_str(log, (uint32_t)evf_u64(pf), &n);
				if (s)
					report_disp_add(&R->tmp, s, n);
			} else if (av && av->kind == EVF_STRV) {
				uint32_t cnt;
				const uint32_t *ids = evlog_strv_get(log, (uint32_t)evf_u64(av), &cnt);
				size_t n;
				const char *s = cnt ? evlog_str(log, ids[0], &n) : NULL;
				if (s)
					report_disp_add(&R->tmp, s, n);
			}
			if (R->tmp.len)
				nid = report_stab_id(&R->st, R->tmp.data, R->tmp.len);
			if (nid && (e->type == EVT_EXEC || !p->name_from_exec)) {
				p->name = nid;
				p->name_from_exec = e->type == EVT_EXEC;
			}
		}
		if ((pf = ev_find(e, EVK_PPID)) && p->ppid < 0)
			p->ppid = (int)evf_i64(pf);
		if (e->type == EVT_EXIT && tid == pid) {
			p->exited = true;
			if ((pf = ev_find(e, EVK_SIGNAL))) {
				p->signaled = true;
				p->code = (int)evf_i64(pf);
			} else if ((pf = ev_find(e, EVK_CODE))) {
				p->code = (int)evf_i64(pf);
			}
		}
		if (e->type == EVT_SPAWN && (pf = ev_find(e, EVK_CHILD))) {
			const struct ev_field *thf = ev_find(e, EVK_THREAD);
			if (!(thf && evf_u64(thf))) {
				uint32_t pname = p->name; /* proc_get may move p */
				struct report_proc *c = proc_get(R, (int)evf_i64(pf));
				if (c->ppid < 0)
					c->ppid = pid;
				if (!c->name) /* a fork runs its parent's program until it execs */
					c->name = pname;
				if (t < c->first)
					c->first = t;
			}
		}
	}

	/* summary */
	if (ferr) {
		R->nfailed++;
		if (ferr > 0 && ferr < (int)ARRAY_SIZE(R->err_counts))
			R->err_counts[ferr]++;
	}
	/* calls and bytes as the summary counts them (log/evcount.h): a failed call is a failure */
	bool call = evcount_rw_call(e);
	const struct ev_field *lf;
	switch (e->type) {
	case EVT_READ: R->nread += call; R->bytes_read += bytes; break;
	case EVT_WRITE: R->nwrite += call; R->bytes_written += bytes; break;
	case EVT_SEND: R->nsend += call; R->bytes_sent += bytes; break;
	case EVT_RECV: R->nrecv += call; R->bytes_recv += bytes; break;
	case EVT_OPEN: R->nopen++; break;
	case EVT_CONNECT: R->nconnect++; break;
	case EVT_SOCKET: R->nsocket++; break;
	case EVT_SPAWN: R->nspawn++; break;
	case EVT_EXEC: R->nexec++; break;
	case EVT_CRASH: R->ncrash++; break;
	case EVT_TRIGGER: R->ntrigger++; break;
	case EVT_MMAP:
		R->nmmap++;
		if (!err && (lf = ev_find(e, EVK_LEN)))
			R->mmap_bytes += evf_u64(lf);
		break;
	case EVT_MUNMAP:
		if (!err && (lf = ev_find(e, EVK_LEN)))
			R->munmap_bytes += evf_u64(lf);
		break;
	case EVT_BRK:
		if ((lf = ev_find(e, EVK_GROWTH)) && lf->kind == EVF_INT && evf_i64(lf) > 0)
			R->brk_growth += evf_u64(lf);
		break;
	default: break;
	}
	if (path_id) {
		struct report_file *fs = file_get(R, path_id);
		fs->n++;
		fs->bytes += bytes;
		if (ferr)
			fs->failed++;
		if (call && e->type == EVT_READ)
			fs->reads++;
		else if (call && e->type == EVT_WRITE)
			fs->writes++;
	}
}


struct report_rep *report_rep_new(const struct run *r, bool redact, size_t n)
{
	struct report_rep *R = xcalloc(1, sizeof(*R));
	R->r = r;
	R->log = r->log;
	R->redact = redact;
	R->nscache = r->log ? evlog_str_count(r->log) + 1 : 0;
	R->scache = xcalloc(R->nscache + 1, sizeof(*R->scache));
	R->sred = xcalloc(R->nscache + 1, 1);
	col_init(&R->tx_i, 4); col_init(&R->tx_v, 8); col_init(&R->err_i, 4); col_init(&R->err_v, 4);
	col_init(&R->dux_i, 4); col_init(&R->dux_v, 8); col_init(&R->byx_i, 4); col_init(&R->byx_v, 8);
	col_init(&R->x_i, 4); col_init(&R->x_v, 4);
	col_init(&R->s_id, 4); col_init(&R->s_t, 8); col_init(&R->s_v, 8);
	R->nev = n;
	report_stab_reserve(&R->st, n);
	R->dt = xreallocarray(NULL, n + 1, sizeof(*R->dt));
	R->th = xreallocarray(NULL, n + 1, sizeof(*R->th));
	R->dur = xreallocarray(NULL, n + 1, sizeof(*R->dur));
	R->bytes = xreallocarray(NULL, n + 1, sizeof(*R->bytes));
	R->str = xreallocarray(NULL, n + 1, sizeof(*R->str));
	R->path = xreallocarray(NULL, n + 1, sizeof(*R->path));
	R->type = xreallocarray(NULL, n + 1, sizeof(*R->type));
	R->cat = xcalloc(n + 8, 1);
	R->flags = xcalloc(n + 8, 1);
	return R;
}

void report_rep_add(struct report_rep *R, const struct ev *const *evs, size_t a, size_t b, uint64_t *prev_t)
{
	for (size_t i = a; i < b; i++) {
		add_numbers(R, evs[i], (uint32_t)i, prev_t);
		add_event(R, evs[i], (uint32_t)i);
	}
}

void report_rep_free(struct report_rep *R)
{
	if (!R)
		return;
	report_stab_free(&R->st);
	free(R->scache);
	free(R->sred);
	buf_free(&R->tmp);
	buf_free(&R->tmp2);
	buf_free(&R->det);
	void *dense[] = {R->dt, R->th, R->dur, R->bytes, R->str, R->path, R->type, R->cat, R->flags};
	struct report_col *cols[] = {&R->tx_i, &R->tx_v, &R->err_i, &R->err_v, &R->dux_i, &R->dux_v, &R->byx_i,
			      &R->byx_v, &R->x_i, &R->x_v, &R->s_id, &R->s_t, &R->s_v};
	for (size_t i = 0; i < ARRAY_SIZE(dense); i++)
		free(dense[i]);
	for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
		col_free(cols[i]);
	free(R->thr);
	free(R->thr_h);
	free(R->thr_proc);
	for (size_t i = 0; i < R->nprocs; i++)
		free(R->procs[i].tids);
	free(R->procs);
	free(R->series);
	free(R->type_ids);
	free(R->type_counts);
	free(R->files);
	free(R->file_slot);
	free(R);
}
