/* SPDX-License-Identifier: MIT */
/* jsonl: the event log as JSON Lines: the streaming --json sink and the --from reader. */
#include "sinks/jsonl.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/termesc.h"
#include "lib/xlat.h"

#define JSONL_FLUSH_AT (64u << 10)

#define JSONL_FLUSH_NS (200 * 1000000ull)
#define JSONL_MAX_LINE (64u << 20)

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
		uint32_t n;
		const uint32_t *ids = evlog_strv_get(log, (uint32_t)v, &n);
		buf_addc(b, '[');
		for (uint32_t i = 0; i < n; i++) {
			if (i)
				buf_addc(b, ',');
			strid(b, log, ids[i]);
		}
		buf_addc(b, ']');
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
	buf_adds(b, "{\"type\":\"header\",\"version\":1,\"argv\":[");
	for (int i = 0; i < r->argc && r->argv && r->argv[i]; i++) {
		if (i)
			buf_addc(b, ',');
		json_cstr(b, r->argv[i]);
	}
	buf_addc(b, ']');
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
	json_key(b, "host");
	json_cstr(b, r->host);
	json_key(b, "kernel");
	json_cstr(b, r->kernel);
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
	if (r->log) {
		struct evlog_cursor c = {0};
		const struct ev *e;
		while ((e = evlog_next(r->log, &c))) {
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
	buf_adds(b, ",\"interrupted\":");
	json_bool(b, r->interrupted);
	buf_adds(b, ",\"cpu\":{\"user\":");
	json_fixed(b, r->cpu_user, 6);
	buf_adds(b, ",\"sys\":");
	json_fixed(b, r->cpu_sys, 6);
	buf_addc(b, '}');
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
};

static void sink_flush(struct jsonl_sink *s)
{
	if (!s->err && s->out.len) {
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

struct jsonl_sink *jsonl_sink_new(struct run *r, int fd)
{
	struct jsonl_sink *s = xcalloc(1, sizeof(*s));
	s->r = r;
	s->fd = fd;
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

int jsonl_sink_finish(struct jsonl_sink *s)
{
	if (!s)
		return 0;
	if (!s->err)
		jsonl_encode_end(&s->out, s->r);
	sink_flush(s);
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

/* ---- the reader ---- */

struct reader {
	const char *path;
	struct run *r;
	struct buf *warnings;
	unsigned *nwarnings;
	unsigned long line;
	bool have_header, have_end;
	uint64_t nevents;
	uint64_t end_events; /* "events" of the end record */
	char *first_problem;
	struct buf tmp;
	/* errno names met so far, to map "ENOENT" back to its number quickly */
	struct {
		uint32_t name;
		int err;
	} errs[64];
	unsigned nerrs;
};

static void rwarn(struct reader *rd, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void rwarn(struct reader *rd, const char *fmt, ...)
{
	struct buf m = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&m, fmt, ap);
	va_end(ap);
	if (!rd->first_problem)
		rd->first_problem = xasprintf("line %lu: %s", rd->line, m.data);
	if (rd->warnings)
		buf_printf(rd->warnings, "line %lu: %s\n", rd->line, m.data);
	if (rd->nwarnings)
		(*rd->nwarnings)++;
	buf_free(&m);
}

/* The original bytes of a string value (see json.h); valid until the next call. */
static const char *raw_bytes(struct reader *rd, const cJSON *j, size_t *len)
{
	buf_reset(&rd->tmp);
	const char *s = j->valuestring ? j->valuestring : "";
	*len = json_unescape_bytes(&rd->tmp, s, strlen(s));
	return rd->tmp.data;
}

/* Re-encode a parsed value with the safe writer (cJSON's printer is not safe). */
static void safe_print(struct buf *b, const cJSON *j)
{
	if (cJSON_IsString(j)) {
		struct buf t = {0};
		const char *s = j->valuestring ? j->valuestring : "";
		size_t n = json_unescape_bytes(&t, s, strlen(s));
		json_str(b, t.data, n);
		buf_free(&t);
	} else if (cJSON_IsNumber(j)) {
		double d = j->valuedouble;
		if (d == floor(d) && fabs(d) < (double)JSON_SAFE_INT)
			json_i64(b, (int64_t)d);
		else
			json_double(b, d);
	} else if (cJSON_IsBool(j)) {
		json_bool(b, cJSON_IsTrue(j));
	} else if (cJSON_IsArray(j) || cJSON_IsObject(j)) {
		bool obj = cJSON_IsObject(j);
		buf_addc(b, obj ? '{' : '[');
		bool first = true;
		for (const cJSON *c = j->child; c; c = c->next) {
			if (!first)
				buf_addc(b, ',');
			first = false;
			if (obj) {
				struct buf t = {0};
				const char *k = c->string ? c->string : "";
				size_t n = json_unescape_bytes(&t, k, strlen(k));
				json_str(b, t.data, n);
				buf_free(&t);
				buf_addc(b, ':');
			}
			safe_print(b, c);
		}
		buf_addc(b, obj ? '}' : ']');
	} else {
		json_null(b);
	}
}

static int errno_lookup(struct reader *rd, uint32_t nameid, const char *name)
{
	for (unsigned i = 0; i < rd->nerrs; i++)
		if (rd->errs[i].name == nameid)
			return rd->errs[i].err;
	int err = -1;
	for (int e = 1; e < 4096 && err < 0; e++) {
		const char *n = xlat_errno_name(e);
		if (n && !strcmp(n, name))
			err = e;
	}
	if (err < 0 && name[0] == 'E') {
		long long v;
		if (!parse_ll(name + 1, 1, 4095, &v))
			err = (int)v;
	}
	if (rd->nerrs < ARRAY_SIZE(rd->errs))
		rd->errs[rd->nerrs++] = (typeof(rd->errs[0])){nameid, err};
	return err;
}

/* "0x1f" exactly as json_hex writes it. */
static bool is_hex_form(const char *s, size_t n, uint64_t *v)
{
	if (n < 3 || n > 18 || s[0] != '0' || s[1] != 'x' || (s[2] == '0' && n > 3))
		return false;
	uint64_t x = 0;
	for (size_t i = 2; i < n; i++) {
		int h = json_hexval((unsigned char)s[i]);
		if (h < 0 || (s[i] >= 'A' && s[i] <= 'F'))
			return false;
		x = x << 4 | (uint64_t)h;
	}
	*v = x;
	return true;
}

/* A decimal string at or above 2^53, as json_u64 writes it. */
static bool is_big_uint(const char *s, size_t n, uint64_t *v)
{
	if (n < 16 || n > 20 || s[0] == '0')
		return false;
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		unsigned d = (unsigned)(s[i] - '0');
		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	if (x < JSON_SAFE_INT)
		return false;
	*v = x;
	return true;
}

static void add_field(struct reader *rd, struct ev_draft *d, const char *name, const cJSON *j)
{
	struct evlog *log = rd->r->log;
	unsigned key = evkey_intern(name);
	if (d->h.nf >= EV_MAX_FIELDS) {
		rwarn(rd, "more than %d fields; \"%s\" dropped", EV_MAX_FIELDS, name);
		return;
	}
	if (cJSON_IsString(j)) {
		size_t n;
		const char *s = raw_bytes(rd, j, &n);
		uint64_t v;
		if (key == EVK_ERR) {
			uint32_t id = evlog_intern(log, s, n);
			int err = errno_lookup(rd, id, s);
			if (err > 0)
				ev_err(d, err);
			else
				ev_strid(d, key, id);
		} else if (key == EVK_SIGNAL && xlat_signal_lookup(s) > 0 && !strncmp(s, "SIG", 3)) {
			ev_sig(d, key, xlat_signal_lookup(s));
		} else if (is_hex_form(s, n, &v)) {
			ev_hex(d, key, v);
		} else if (is_big_uint(s, n, &v)) {
			ev_uint(d, key, v);
		} else {
			ev_str(d, log, key, s, n);
		}
	} else if (cJSON_IsNumber(j)) {
		double v = j->valuedouble;
		if (key == EVK_DUR && v >= 0 && v < 1e9)
			ev_dur(d, (uint64_t)llround(v * 1e9));
		else if (v == floor(v) && fabs(v) < (double)JSON_SAFE_INT)
			v < 0 ? ev_int(d, key, (int64_t)v) : ev_uint(d, key, (uint64_t)v);
		else
			ev_double(d, key, v);
	} else if (cJSON_IsBool(j)) {
		ev_bool(d, key, cJSON_IsTrue(j));
	} else if (cJSON_IsNull(j)) {
		ev_strid(d, key, 0);
	} else if (cJSON_IsArray(j)) {
		unsigned n = 0;
		bool strings = true;
		for (const cJSON *c = j->child; c; c = c->next, n++)
			strings = strings && cJSON_IsString(c);
		if (strings) {
			uint32_t *ids = xcalloc(n ? n : 1, sizeof(*ids));
			unsigned i = 0;
			for (const cJSON *c = j->child; c; c = c->next) {
				size_t len;
				const char *s = raw_bytes(rd, c, &len);
				ids[i++] = evlog_intern(log, s, len);
			}
			ev_add(d, key, EVF_STRV, evlog_strv(log, ids, n));
			free(ids);
			return;
		}
		struct buf t = {0};
		safe_print(&t, j);
		ev_json(d, log, key, t.data, t.len);
		buf_free(&t);
	} else {
		struct buf t = {0};
		safe_print(&t, j);
		ev_json(d, log, key, t.data, t.len);
		buf_free(&t);
	}
}

static char *dup_string(struct reader *rd, const cJSON *j)
{
	if (!cJSON_IsString(j))
		return NULL;
	size_t n;
	const char *s = raw_bytes(rd, j, &n);
	return xstrndup(s, n);
}

static void parse_start(struct reader *rd, const char *s)
{
	struct tm tm = {0};
	int y, mo, d, h, mi, sec, consumed = 0;
	char frac[16] = "";
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &consumed) != 6) {
		rwarn(rd, "header \"start\" is not an ISO 8601 time");
		return;
	}
	long ns = 0;
	if (s[consumed] == '.' && sscanf(s + consumed + 1, "%9[0-9]", frac) == 1) {
		size_t fl = strlen(frac);
		ns = strtol(frac, NULL, 10);
		for (size_t i = fl; i < 9; i++)
			ns *= 10;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	struct timespec ts = {.tv_sec = timegm(&tm), .tv_nsec = ns};
	evlog_set_start(rd->r->log, evlog_start_mono(rd->r->log), ts);
}

static const char *const header_keys[] = {"type", "version", "argv", "start", "host",
					  "kernel", "compendium", "mode"};
static const char *const end_keys[] = {"type",   "duration",    "status", "exit",
				       "counts", "events", "interrupted", "cpu"};

static bool in_list(const char *k, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(k, list[i]))
			return true;
	return false;
}

static void keep_extra(struct buf *extra, const cJSON *c)
{
	struct buf k = {0};
	json_unescape_bytes(&k, c->string, strlen(c->string));
	json_sep(extra);
	json_str(extra, k.data, k.len);
	buf_addc(extra, ':');
	safe_print(extra, c);
	buf_free(&k);
}

static void read_header(struct reader *rd, const cJSON *o)
{
	struct run *r = rd->r;
	rd->have_header = true;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "version");
	if (cJSON_IsNumber(v) && v->valuedouble > 1)
		rwarn(rd, "log version %g is newer than this compendium reads (1); reading what it can",
		      v->valuedouble);
	const cJSON *argv = cJSON_GetObjectItemCaseSensitive(o, "argv");
	if (cJSON_IsArray(argv)) {
		int n = cJSON_GetArraySize(argv);
		r->argv = xcalloc((size_t)n + 1, sizeof(*r->argv));
		r->argc = 0;
		for (const cJSON *c = argv->child; c; c = c->next) {
			char *s = dup_string(rd, c);
			if (s)
				r->argv[r->argc++] = s;
		}
	}
	char *s;
	if ((s = dup_string(rd, cJSON_GetObjectItemCaseSensitive(o, "host"))))
		r->host = s;
	if ((s = dup_string(rd, cJSON_GetObjectItemCaseSensitive(o, "kernel"))))
		r->kernel = s;
	if ((s = dup_string(rd, cJSON_GetObjectItemCaseSensitive(o, "mode")))) {
		r->mode = evlog_str(r->log, evlog_intern_cstr(r->log, s), NULL);
		free(s);
	}
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(o, "start");
	if (cJSON_IsString(st))
		parse_start(rd, st->valuestring);
	for (const cJSON *c = o->child; c; c = c->next)
		if (c->string && !in_list(c->string, header_keys, ARRAY_SIZE(header_keys)))
			keep_extra(&r->header_extra, c);
}

static void read_end(struct reader *rd, const cJSON *o)
{
	struct run *r = rd->r;
	rd->have_end = true;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "duration");
	if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e9)
		r->t_end = (uint64_t)llround(v->valuedouble * 1e9);
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(o, "exit");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(ex, "code");
	const cJSON *sig = cJSON_GetObjectItemCaseSensitive(ex, "signal");
	if (cJSON_IsNumber(code)) {
		r->end = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ex, "failed")) ? RUN_FAILED
										      : RUN_EXITED;
		r->code = (int)code->valuedouble;
	} else if (cJSON_IsString(sig)) {
		r->end = RUN_SIGNALED;
		r->sig = xlat_signal_lookup(sig->valuestring);
		if (r->sig < 0 && !strncmp(sig->valuestring, "SIG", 3))
			r->sig = atoi(sig->valuestring + 3);
		r->core = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ex, "core"));
	} else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ex, "detached"))) {
		r->end = RUN_DETACHED;
	} else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ex, "gone"))) {
		r->end = RUN_GONE;
	} else {
		r->end = RUN_RUNNING;
	}
	r->interrupted = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "interrupted"));
	const cJSON *cpu = cJSON_GetObjectItemCaseSensitive(o, "cpu");
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(cpu, "user");
	const cJSON *sy = cJSON_GetObjectItemCaseSensitive(cpu, "sys");
	if (cJSON_IsNumber(u))
		r->cpu_user = u->valuedouble;
	if (cJSON_IsNumber(sy))
		r->cpu_sys = sy->valuedouble;
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "events");
	if (cJSON_IsNumber(n))
		rd->end_events = (uint64_t)n->valuedouble;
	for (const cJSON *c = o->child; c; c = c->next)
		if (c->string && !in_list(c->string, end_keys, ARRAY_SIZE(end_keys)))
			keep_extra(&r->end_extra, c);
}

static bool int_member(const cJSON *o, const char *k, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
	    v->valuedouble < INT32_MIN || v->valuedouble > INT32_MAX)
		return false;
	*out = (int)v->valuedouble;
	return true;
}

static void read_event(struct reader *rd, const cJSON *o, const char *type)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "t");
	if (!cJSON_IsNumber(t) || !(t->valuedouble >= 0) || t->valuedouble > 1e9) {
		rwarn(rd, "event without a valid \"t\"; skipped");
		return;
	}
	int pid = 0, tid = 0;
	if (!int_member(o, "pid", &pid) || !int_member(o, "tid", &tid)) {
		rwarn(rd, "event without a valid \"pid\"/\"tid\"; skipped");
		return;
	}
	struct ev_draft d;
	ev_init(&d, evtype_intern(type), (uint64_t)llround(t->valuedouble * 1e9), pid, tid);
	const cJSON *cat = cJSON_GetObjectItemCaseSensitive(o, "cat");
	if (cJSON_IsString(cat) && ev_cat_lookup(cat->valuestring) >= 0)
		d.h.cat = (uint8_t)ev_cat_lookup(cat->valuestring);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "noise")))
		d.h.flags |= EVFL_NOISE;
	for (const cJSON *c = o->child; c; c = c->next) {
		const char *k = c->string;
		if (!k || !strcmp(k, "t") || !strcmp(k, "pid") || !strcmp(k, "tid") ||
		    !strcmp(k, "type") || !strcmp(k, "cat") || !strcmp(k, "noise"))
			continue;
		add_field(rd, &d, k, c);
	}
	evlog_append(rd->r->log, &d);
	rd->nevents++;
}

static void read_line(struct reader *rd, char *line, size_t len, bool last_unterminated)
{
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
		i++;
	if (i == len)
		return;
	if (memchr(line, '\0', len)) {
		rwarn(rd, "contains a NUL byte; skipped");
		return;
	}
	cJSON *o = cJSON_ParseWithOpts(line, NULL, 1);
	if (!o) {
		if (last_unterminated)
			rwarn(rd, "truncated last line; skipped");
		else
			rwarn(rd, "not valid JSON; skipped");
		return;
	}
	if (!cJSON_IsObject(o)) {
		rwarn(rd, "not a JSON object; skipped");
		goto out;
	}
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(o, "type");
	if (!cJSON_IsString(type) || !type->valuestring[0]) {
		rwarn(rd, "no \"type\"; skipped");
		goto out;
	}
	if (!strcmp(type->valuestring, "header")) {
		if (rd->have_header || rd->nevents)
			rwarn(rd, "a second or late header; skipped");
		else
			read_header(rd, o);
	} else if (!strcmp(type->valuestring, "end")) {
		read_end(rd, o);
	} else {
		if (!rd->have_header && !rd->nevents)
			rwarn(rd, "no header record; reading the events anyway");
		read_event(rd, o, type->valuestring);
	}
out:
	cJSON_Delete(o);
}

int jsonl_read(const char *path, struct run *r, struct buf *warnings, unsigned *nwarnings)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		char *p = termesc_dup(path);
		notemsg("error: cannot open %s: %s", p, strerror(err));
		free(p);
		return -err;
	}
	struct reader rd = {.path = path, .r = r, .warnings = warnings, .nwarnings = nwarnings};
	r->log = evlog_new();
	r->end = RUN_RUNNING;
	struct buf line = {0};
	bool overlong = false;
	char chunk[1 << 16];
	int rc = 0;
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = -errno;
			char *p = termesc_dup(path);
			notemsg("error: cannot read %s: %s", p, strerror(errno));
			free(p);
			goto out;
		}
		if (got == 0)
			break;
		size_t i = 0;
		while (i < (size_t)got) {
			char *nl = memchr(chunk + i, '\n', (size_t)got - i);
			size_t n = nl ? (size_t)(nl - (chunk + i)) : (size_t)got - i;
			if (!overlong && line.len + n > JSONL_MAX_LINE) {
				overlong = true;
				buf_free(&line);
			}
			if (!overlong)
				buf_add(&line, chunk + i, n);
			i += n;
			if (!nl)
				break;
			i++;
			rd.line++;
			if (overlong)
				rwarn(&rd, "longer than %u MiB; skipped", JSONL_MAX_LINE >> 20);
			else if (line.len)
				read_line(&rd, line.data, line.len, false);
			overlong = false;
			buf_reset(&line);
		}
	}
	if (line.len || overlong) {
		rd.line++;
		if (overlong)
			rwarn(&rd, "longer than %u MiB; skipped", JSONL_MAX_LINE >> 20);
		else
			read_line(&rd, line.data, line.len, true);
	}
	if (!rd.have_header && !rd.nevents) {
		char *p = termesc_dup(path);
		char *why = termesc_dup(rd.first_problem ? rd.first_problem : "the file is empty");
		notemsg("error: %s: not a compendium JSON Lines log (%s)", p, why);
		free(p);
		free(why);
		rc = -EINVAL;
		goto out;
	}
	if (!rd.have_end) {
		rd.line++;
		rwarn(&rd, "no end record; the log is incomplete (outcome unknown)");
	} else if (rd.end_events && rd.end_events != rd.nevents) {
		rwarn(&rd, "the end record counts %llu events but %llu were read",
		      (unsigned long long)rd.end_events, (unsigned long long)rd.nevents);
	}
out:
	if (rc < 0) {
		evlog_free(r->log);
		r->log = NULL;
	}
	close(fd);
	buf_free(&line);
	buf_free(&rd.tmp);
	free(rd.first_problem);
	return rc;
}
