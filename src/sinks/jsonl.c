/* SPDX-License-Identifier: MIT */
/* jsonl: the event log as JSON Lines: the streaming --json sink and the line encoders. */
#include "sinks/jsonl.h"

#include <cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/outq.h"
#include "lib/xlat.h"
#include "lib/msg.h"
#include "log/evcount.h"
#include "log/jsonl_read.h"

#define JSONL_FLUSH_AT (64u << 10)
#define JSONL_FLUSH_NS (200 * 1000000ull)

/* ---- encoding ---- */

static void errno_name(struct buf *b, int err)
{
	char tmp[XLAT_LABEL_MAX];
	json_cstr(b, xlat_errno_label(err, tmp));
}

static void signal_name(struct buf *b, int sig)
{
	char tmp[XLAT_LABEL_MAX];
	json_cstr(b, xlat_signal_label(sig, tmp));
}

static void strid(struct buf *b, const struct evlog *log, uint32_t id)
{
	size_t len;
	const char *s = evlog_str(log, id, &len);
	if (s)
		json_str(b, s, len);
	else
		json_null(b);
}

struct strv_ctx {
	const struct evlog *log;
	const uint32_t *ids;
};

static const char *strv_get(const void *ctx, size_t i, size_t *len)
{
	const struct strv_ctx *c = ctx;
	return evlog_str(c->log, c->ids[i], len);
}

/* The KEY_bytes sibling of a string or string-vector field that is not exact (lib/json.h). */
static void field_sibling(struct buf *b, const struct evlog *log, const struct ev_field *f)
{
	uint64_t v = evf_u64(f);
	if (f->kind == EVF_STR) {
		size_t len;
		const char *s = evlog_str(log, (uint32_t)v, &len);
		json_str_sibling(b, ev_key_name(f->key), s, len);
	} else if (f->kind == EVF_STRV) {
		struct strv_ctx c = {log, NULL};
		uint32_t n;
		c.ids = evlog_strv_get(log, (uint32_t)v, &n);
		json_strv_sibling(b, ev_key_name(f->key), n, strv_get, &c);
	}
}

void jsonl_encode_member(struct buf *b, const struct evlog *log, const struct ev_field *f)
{
	json_key(b, ev_key_name(f->key));
	jsonl_encode_value(b, log, f);
	field_sibling(b, log, f);
}

void jsonl_encode_value(struct buf *b, const struct evlog *log, const struct ev_field *f)
{
	uint64_t v = evf_u64(f);
	switch (f->kind) {
	case EVF_INT: json_i64(b, (int64_t)v); break;
	case EVF_UINT: json_u64(b, v); break;
	case EVF_HEX: json_hex(b, v); break;
	case EVF_BOOL: json_bool(b, v != 0); break;
	case EVF_STR: strid(b, log, (uint32_t)v); break;
	case EVF_STRV: {
		struct strv_ctx c = {log, NULL};
		uint32_t n;
		c.ids = evlog_strv_get(log, (uint32_t)v, &n);
		json_strv(b, n, strv_get, &c);
		break;
	}
	case EVF_DUR: json_secs_ns(b, v, 6); break;
	case EVF_ERRNO: errno_name(b, (int)(int64_t)v); break;
	case EVF_SIG: signal_name(b, (int)(int64_t)v); break;
	case EVF_JSON: {
		size_t len;
		const char *s = evlog_str(log, (uint32_t)v, &len);
		if (s && len)
			buf_add(b, s, len);
		else
			json_null(b);
		break;
	}
	case EVF_DOUBLE: {
		double d;
		memcpy(&d, &v, sizeof(d));
		json_double(b, d);
		break;
	}
	default: json_null(b);
	}
}

/*
 * The event encoder writes through a cursor into space reserved once per
 * event: one append call per character or number was most of the cost of
 * --json (callgrind, dd bs=1: 3,200 instructions per event).
 */
#define ENC_FIELD_ROOM 64 /* ",\"key\":" of a static key (<= 30 bytes) and a number (<= 22) */

static char *put_lit(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}
#define PUT_LIT(p, s) put_lit(p, s, sizeof(s) - 1)

static char *put_digits(char *p, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return put_lit(p, tmp + i, sizeof(tmp) - i);
}

/* json_i64 and json_u64: numbers beyond 2^53 are strings */
static char *put_i64(char *p, int64_t v)
{
	bool safe = v > -(int64_t)JSON_SAFE_INT && v < (int64_t)JSON_SAFE_INT;
	if (!safe)
		*p++ = '"';
	if (v < 0)
		*p++ = '-';
	p = put_digits(p, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
	if (!safe)
		*p++ = '"';
	return p;
}

static char *put_u64(char *p, uint64_t v)
{
	bool safe = v < JSON_SAFE_INT;
	if (!safe)
		*p++ = '"';
	p = put_digits(p, v);
	if (!safe)
		*p++ = '"';
	return p;
}

/* json_secs_ns(b, ns, 6): seconds with microseconds, rounded half up */
static char *put_secs6(char *p, uint64_t ns)
{
	uint64_t q = ns / 1000 + (ns % 1000 >= 500 ? 1 : 0);
	p = put_digits(p, q / 1000000);
	*p++ = '.';
	uint64_t f = q % 1000000;
	for (int i = 5; i >= 0; i--) {
		p[i] = (char)('0' + f % 10);
		f /= 10;
	}
	return p + 6;
}

/* ",\"name\":" for every static key, and "\"name\"" for static types and categories. */
struct quoted {
	char s[40];
	uint8_t n;
};
static struct quoted key_q[EVK__STATIC_COUNT], type_q[EVT__COUNT], cat_q[EVC__COUNT];

static void quote_into(struct quoted *q, const char *pre, const char *name, const char *post)
{
	int n = snprintf(q->s, sizeof(q->s), "%s\"%s\"%s", pre, name, post);
	q->n = n > 0 && (size_t)n < sizeof(q->s) ? (uint8_t)n : 0; /* 0: too long, encode the slow way */
}

static void quoted_init(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	for (unsigned i = 0; i < EVK__STATIC_COUNT; i++)
		quote_into(&key_q[i], ",", ev_key_name(i), ":");
	for (unsigned i = 0; i < EVT__COUNT; i++)
		quote_into(&type_q[i], "", ev_type_name(i), "");
	for (unsigned i = 0; i < EVC__COUNT; i++)
		quote_into(&cat_q[i], "", ev_cat_name(i), "");
}

void jsonl_encode_event(struct buf *b, const struct evlog *log, const struct ev *e)
{
	quoted_init();
	buf_reserve(b, 256 + (size_t)e->nf * ENC_FIELD_ROOM);
	char *p = b->data + b->len;
	p = PUT_LIT(p, "{\"t\":");
	p = put_secs6(p, e->t);
	p = PUT_LIT(p, ",\"pid\":");
	p = put_i64(p, e->pid);
	p = PUT_LIT(p, ",\"tid\":");
	p = put_i64(p, e->tid);
	p = PUT_LIT(p, ",\"type\":");
	if (e->type < EVT__COUNT && type_q[e->type].n) {
		p = put_lit(p, type_q[e->type].s, type_q[e->type].n);
	} else {
		b->len = (size_t)(p - b->data);
		json_cstr(b, ev_type_name(e->type));
		buf_reserve(b, 64 + (size_t)e->nf * ENC_FIELD_ROOM);
		p = b->data + b->len;
	}
	p = PUT_LIT(p, ",\"cat\":");
	if (e->cat < EVC__COUNT && cat_q[e->cat].n) {
		p = put_lit(p, cat_q[e->cat].s, cat_q[e->cat].n);
	} else {
		p = PUT_LIT(p, "\"?\"");
	}
	if (e->flags & EVFL_NOISE)
		p = PUT_LIT(p, ",\"noise\":true");
	switch (ev_fold_kind(e)) {
	case EVFOLD_MEMORY: p = PUT_LIT(p, ",\"fold\":\"memory\""); break;
	case EVFOLD_LOCALE: p = PUT_LIT(p, ",\"fold\":\"locale\""); break;
	case EVFOLD_PATH: p = PUT_LIT(p, ",\"fold\":\"path\""); break;
	default: break;
	}
	const struct ev_field *f = ev_fields(e);
	for (unsigned i = 0; i < e->nf; i++) {
		if (f[i].key < EVK__STATIC_COUNT && key_q[f[i].key].n) {
			p = put_lit(p, key_q[f[i].key].s, key_q[f[i].key].n);
		} else {
			b->len = (size_t)(p - b->data);
			buf_addc(b, ',');
			json_cstr(b, ev_key_name(f[i].key));
			buf_addc(b, ':');
			buf_reserve(b, 4 + (size_t)(e->nf - i) * ENC_FIELD_ROOM);
			p = b->data + b->len;
		}
		uint64_t v = evf_u64(&f[i]);
		switch (f[i].kind) {
		case EVF_INT:
			p = put_i64(p, (int64_t)v);
			break;
		case EVF_UINT:
			p = put_u64(p, v);
			break;
		case EVF_BOOL:
			p = v ? PUT_LIT(p, "true") : PUT_LIT(p, "false");
			break;
		case EVF_DUR:
			p = put_secs6(p, v);
			break;
		default:
			/* strings and the rest: the general encoder, then room again */
			b->len = (size_t)(p - b->data);
			jsonl_encode_value(b, log, &f[i]);
			field_sibling(b, log, &f[i]);
			buf_reserve(b, 4 + (size_t)(e->nf - i) * ENC_FIELD_ROOM);
			p = b->data + b->len;
			break;
		}
	}
	p = PUT_LIT(p, "}\n");
	b->len = (size_t)(p - b->data);
	*p = '\0';
}

/* Members "k":v[,...] given by other modules; dropped (with a warning) unless they parse. */
static void add_extra(struct buf *b, const struct buf *extra, const char *what)
{
	if (!extra->len)
		return;
	const char *s = extra->data;
	size_t n = extra->len;
	while (n && (*s == ',' || *s == ' ')) {
		s++;
		n--;
	}
	if (!n)
		return;
	struct buf t = {0};
	buf_addc(&t, '{');
	buf_add(&t, s, n);
	buf_addc(&t, '}');
	cJSON *j = cJSON_ParseWithOpts(t.data, NULL, 1);
	if (j && cJSON_IsObject(j) && json_utf8_valid(t.data, t.len)) {
		buf_addc(b, ',');
		buf_add(b, s, n);
	} else {
		warnmsg("internal: invalid extra %s members dropped from the JSON log", what);
	}
	cJSON_Delete(j);
	buf_free(&t);
}

void jsonl_encode_header(struct buf *b, const struct run *r)
{
	buf_adds(b, "{\"type\":\"header\",\"version\":" JSONL_VERSION_S);
	size_t argc = 0;
	while (r->argv && (int)argc < r->argc && r->argv[argc])
		argc++;
	json_kcstrv(b, "argv", (const char *const *)r->argv, argc);
	struct timespec ts = r->log ? evlog_start_realtime(r->log) : (struct timespec){0};
	struct tm tm;
	time_t sec = ts.tv_sec;
	gmtime_r(&sec, &tm);
	char when[64];
	snprintf(when, sizeof(when), "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (long)(ts.tv_nsec / 1000));
	json_key(b, "start");
	json_cstr(b, when);
	json_kcstr(b, "host", r->host);
	json_kcstr(b, "kernel", r->kernel);
	json_key(b, "compendium");
	json_cstr(b, COMPENDIUM_VERSION);
	json_key(b, "mode");
	json_cstr(b, r->mode ? r->mode : "trace");
	add_extra(b, &r->header_extra, "header");
	buf_add(b, "}\n", 2);
}

/* Log time of the end: the outcome's, else the last event's. */
static uint64_t end_time(const struct run *r)
{
	if (r->t_end || !r->log)
		return r->t_end;
	uint64_t t = 0;
	struct evlog_cursor c = {0};
	const struct ev *e;
	while ((e = evlog_next(r->log, &c)))
		if (e->t > t)
			t = e->t;
	return t;
}

void jsonl_encode_end(struct buf *b, const struct run *r)
{
	buf_adds(b, "{\"type\":\"end\",\"duration\":");
	json_secs_ns(b, end_time(r), 6);
	buf_printf(b, ",\"status\":%d,\"exit\":", run_exit_status(r));
	switch (r->end) {
	case RUN_EXITED: buf_printf(b, "{\"code\":%d}", r->code); break;
	case RUN_FAILED: buf_printf(b, "{\"code\":%d,\"failed\":true}", r->code); break;
	case RUN_SIGNALED:
		buf_adds(b, "{\"signal\":");
		signal_name(b, r->sig);
		buf_printf(b, ",\"core\":%s}", r->core ? "true" : "false");
		break;
	case RUN_DETACHED: buf_adds(b, "{\"detached\":true}"); break;
	case RUN_GONE: buf_adds(b, "{\"gone\":true}"); break;
	case RUN_RUNNING:
	default: json_null(b); break;
	}
	buf_adds(b, ",\"counts\":{");
	uint64_t *counts = NULL;
	size_t ncounts = 0;
	uint64_t total = 0;
	struct evcount_totals tot = {0};
	if (r->log) {
		struct evlog_cursor c = {0};
		const struct ev *e;
		while ((e = evlog_next(r->log, &c))) {
			evcount_add(&tot, e);
			if (e->type >= ncounts) {
				size_t nn = (size_t)e->type + 16;
				counts = xreallocarray(counts, nn, sizeof(*counts));
				memset(counts + ncounts, 0, (nn - ncounts) * sizeof(*counts));
				ncounts = nn;
			}
			counts[e->type]++;
			total++;
		}
	}
	for (size_t i = 0; i < ncounts; i++) {
		if (!counts[i])
			continue;
		json_key(b, ev_type_name((unsigned)i));
		json_u64(b, counts[i]);
	}
	free(counts);
	buf_adds(b, "},\"events\":");
	json_u64(b, total);
	/* the summary's and the report's figures, by log/evcount.h's one rule */
	buf_adds(b, ",\"failed\":");
	json_u64(b, tot.failed);
	static const char *const rw[EVCOUNT_RW_N] = {"read", "write", "send", "recv"};
	buf_adds(b, ",\"calls\":{");
	for (int k = 0; k < EVCOUNT_RW_N; k++) {
		json_key(b, rw[k]);
		json_u64(b, tot.calls[k]);
	}
	buf_adds(b, "},\"bytes\":{");
	for (int k = 0; k < EVCOUNT_RW_N; k++) {
		json_key(b, rw[k]);
		json_u64(b, tot.bytes[k]);
	}
	buf_addc(b, '}');
	buf_adds(b, ",\"interrupted\":");
	json_bool(b, r->interrupted);
	buf_adds(b, ",\"cpu\":{\"user\":");
	json_fixed(b, r->cpu_user, 6);
	buf_adds(b, ",\"sys\":");
	json_fixed(b, r->cpu_sys, 6);
	if (r->end == RUN_DETACHED) /* processes left running: their CPU time is not in user/sys */
		buf_adds(b, ",\"partial\":true");
	buf_addc(b, '}');
	if (r->peak_rss) {
		json_key(b, "peak_rss");
		json_u64(b, r->peak_rss);
	}
	uint64_t nk_bytes, nk = r->log ? evlog_strings_not_kept(r->log, &nk_bytes) : 0;
	if (nk) { /* the cap on strings held (log/evlog.h) left these out of memory, not out of this log */
		buf_adds(b, ",\"strings_not_kept\":{\"count\":");
		json_u64(b, nk);
		buf_adds(b, ",\"bytes\":");
		json_u64(b, nk_bytes);
		buf_adds(b, ",\"cap\":");
		json_u64(b, evlog_string_cap(r->log));
		buf_addc(b, '}');
	}
	/* the --faults member first: where the probe wrote it when it was an extra */
	run_faults_json(b, &r->faults);
	add_extra(b, &r->end_extra, "end");
	buf_add(b, "}\n", 2);
}

/* ---- the streaming sink ---- */

struct jsonl_sink {
	struct jsonl_sink *next_retired;
	struct run *r;
	int fd;
	int err;
	uint64_t t_flushed; /* log time of the last flush */
	struct buf out;
	struct outq *q; /* jsonl_sink_stream: the writer thread's queue */
};

static void sink_flush(struct jsonl_sink *s)
{
	if (s->q && !s->err) {
		outq_write(s->q, s->out.data, s->out.len); /* complete lines */
	} else if (!s->err && s->out.len) {
		int rc = write_all(s->fd, s->out.data, s->out.len);
		if (rc < 0)
			s->err = rc; /* reported once, by the caller of jsonl_sink_finish */
	}
	buf_reset(&s->out);
}

static void sink_event(void *ctx, const struct evlog *log, const struct ev *e)
{
	struct jsonl_sink *s = ctx;
	if (s->err)
		return;
	jsonl_encode_event(&s->out, log, e);
	/* a reader following the stream sees it at least every JSONL_FLUSH_NS of log time */
	if (s->out.len >= JSONL_FLUSH_AT || e->t - s->t_flushed >= JSONL_FLUSH_NS ||
	    e->t < s->t_flushed) {
		sink_flush(s);
		s->t_flushed = e->t;
	}
}

static struct jsonl_sink *sink_new(struct run *r, int fd, const char *label)
{
	struct jsonl_sink *s = xcalloc(1, sizeof(*s));
	s->r = r;
	s->fd = fd;
	if (label)
		s->q = outq_new(fd, label, "the log");
	jsonl_encode_header(&s->out, r);
	/* Events appended before the sink existed are part of the record too. */
	struct evlog_cursor c = {0};
	const struct ev *e;
	while ((e = evlog_next(r->log, &c)))
		sink_event(s, r->log, e);
	sink_flush(s);
	evlog_subscribe(r->log, sink_event, s);
	return s;
}

struct jsonl_sink *jsonl_sink_new(struct run *r, int fd)
{
	return sink_new(r, fd, NULL);
}

struct jsonl_sink *jsonl_sink_stream(struct run *r, int fd, const char *label)
{
	return sink_new(r, fd, label);
}

int jsonl_sink_finish(struct jsonl_sink *s)
{
	if (!s)
		return 0;
	if (!s->err)
		jsonl_encode_end(&s->out, s->r);
	sink_flush(s);
	if (s->q && outq_finish(s->q, NULL) < 0)
		s->err = -EIO; /* said by outq_finish */
	s->q = NULL;
	/* The log keeps calling subscribers; leave it a sink that writes nothing. */
	s->err = s->err ? s->err : -ECANCELED;
	int rc = s->err == -ECANCELED ? 0 : s->err;
	buf_free(&s->out);
	/*
	 * The log has no unsubscribe and still holds s as a subscriber
	 * context: keep the (now silent) sink reachable instead of freeing it.
	 */
	static struct jsonl_sink *retired;
	s->next_retired = retired;
	retired = s;
	return rc;
}
