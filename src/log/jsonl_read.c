/* SPDX-License-Identifier: MIT */
/* jsonl_read: a JSON Lines log (--json, a --watch dump) read back into a run, for --from. */
#include "log/jsonl_read.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/jsonrd.h"
#include "lib/termesc.h"
#include "lib/xlat.h"
#include "lib/msg.h"

#define JSONL_MAX_LINE (64u << 20)

struct reader {
	const char *path;
	struct run *r;
	struct buf *warnings;
	unsigned *nwarnings;
	unsigned long line;
	bool have_header, have_end;
	int version; /* of the header; JSONL_VERSION without one */
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

/* The bytes of string value s in a log of this version, its KEY_bytes sibling (v2) sib, appended to out. */
static size_t str_bytes(int version, const cJSON *s, const cJSON *sib, struct buf *out)
{
	size_t before = out->len;
	if (version >= 2) {
		jsonrd_str(s, sib, out);
	} else {
		const char *v = cJSON_IsString(s) && s->valuestring ? s->valuestring : "";
		json_unescape_bytes(out, v, strlen(v));
	}
	if (!out->data)
		buf_add(out, "", 0);
	return out->len - before;
}

/* The original bytes of a string value (see json.h); valid until the next call. */
static const char *raw_bytes(struct reader *rd, const cJSON *j, const cJSON *sib, size_t *len)
{
	buf_reset(&rd->tmp);
	*len = str_bytes(rd->version, j, sib, &rd->tmp);
	return rd->tmp.data;
}

/* A member's name: version 1 had the \xNN layer in names too. */
static void member_name(struct buf *b, int version, const cJSON *m)
{
	const char *k = m->string ? m->string : "";
	if (version >= 2) {
		json_str(b, k, strlen(k));
		return;
	}
	struct buf t = {0};
	size_t n = json_unescape_bytes(&t, k, strlen(k));
	json_str(b, t.data, n);
	buf_free(&t);
}

/* Is every element of array j a string or null (a string vector)? */
static bool is_strv(const cJSON *j)
{
	if (!cJSON_IsArray(j))
		return false;
	for (const cJSON *c = j->child; c; c = c->next)
		if (!cJSON_IsString(c) && !cJSON_IsNull(c))
			return false;
	return true;
}

struct vec_ctx {
	int version;
	const cJSON *arr, *sib;
	struct buf tmp;
};

static const char *vec_get(const void *ctx, size_t i, size_t *len)
{
	struct vec_ctx *c = (struct vec_ctx *)ctx;
	const cJSON *e = cJSON_GetArrayItem(c->arr, (int)i);
	if (!cJSON_IsString(e))
		return NULL;
	buf_reset(&c->tmp);
	*len = str_bytes(c->version, e, c->sib ? cJSON_GetArrayItem(c->sib, (int)i) : NULL, &c->tmp);
	return c->tmp.data;
}

static void reencode_value(struct buf *b, const cJSON *j, int version);

/*
 * Member m of object o as ,"key":value: a string (vector) by its bytes with
 * the KEY_bytes sibling written when needed, unless the object carries one
 * already (a version 2 sibling is a member of its own, copied as it is).
 */
static void reencode_member(struct buf *b, const cJSON *o, const cJSON *m, int version)
{
	json_sep(b);
	member_name(b, version, m);
	buf_addc(b, ':');
	const char *key = m->string ? m->string : "";
	const cJSON *sib = version >= 2 ? jsonrd_sibling(o, m) : NULL;
	if (cJSON_IsString(m)) {
		struct buf t = {0};
		size_t n = str_bytes(version, m, NULL, &t);
		json_str(b, t.data, n);
		if (!sib)
			json_str_sibling(b, key, t.data, n);
		buf_free(&t);
	} else if (is_strv(m) && m->child) {
		struct vec_ctx c = {version, m, NULL, {0}};
		size_t n = (size_t)cJSON_GetArraySize(m);
		json_strv(b, n, vec_get, &c);
		if (!sib)
			json_strv_sibling(b, key, n, vec_get, &c);
		buf_free(&c.tmp);
	} else {
		reencode_value(b, m, version);
	}
}

/* Re-encode a parsed value with the safe writer (cJSON's printer is not safe). */
static void reencode_value(struct buf *b, const cJSON *j, int version)
{
	if (cJSON_IsString(j)) {
		struct buf t = {0};
		size_t n = str_bytes(version, j, NULL, &t);
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
	} else if (cJSON_IsObject(j)) {
		buf_addc(b, '{');
		for (const cJSON *c = j->child; c; c = c->next)
			reencode_member(b, j, c, version);
		buf_addc(b, '}');
	} else if (cJSON_IsArray(j)) {
		buf_addc(b, '[');
		for (const cJSON *c = j->child; c; c = c->next) {
			json_sep(b);
			reencode_value(b, c, version);
		}
		buf_addc(b, ']');
	} else {
		json_null(b);
	}
}

void jsonl_reencode(struct buf *b, const cJSON *j, int version)
{
	reencode_value(b, j, version);
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

static void add_field(struct reader *rd, struct ev_draft *d, const char *name, const cJSON *j,
		      const cJSON *sib)
{
	struct evlog *log = rd->r->log;
	unsigned key = evkey_intern(name);
	if (d->h.nf >= EV_MAX_FIELDS) {
		rwarn(rd, "more than %d fields; \"%s\" dropped", EV_MAX_FIELDS, name);
		return;
	}
	if (cJSON_IsString(j)) {
		size_t n;
		const char *s = raw_bytes(rd, j, sib, &n);
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
				const char *s = raw_bytes(rd, c, sib ? cJSON_GetArrayItem(sib, (int)i) : NULL, &len);
				ids[i++] = evlog_intern(log, s, len);
			}
			ev_add(d, key, EVF_STRV, evlog_strv(log, ids, n));
			free(ids);
			return;
		}
		struct buf t = {0};
		reencode_value(&t, j, rd->version);
		ev_json(d, log, key, t.data, t.len);
		buf_free(&t);
	} else {
		struct buf t = {0};
		reencode_value(&t, j, rd->version);
		ev_json(d, log, key, t.data, t.len);
		buf_free(&t);
	}
}

static char *dup_string(struct reader *rd, const cJSON *j, const cJSON *sib)
{
	if (!cJSON_IsString(j))
		return NULL;
	size_t n;
	const char *s = raw_bytes(rd, j, sib, &n);
	return xstrndup(s, n);
}

/* dup_string of member key of o, with its sibling. */
static char *dup_member(struct reader *rd, const cJSON *o, const char *key)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, key);
	return dup_string(rd, m, rd->version >= 2 ? jsonrd_sibling(o, m) : NULL);
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

static const char *const header_keys[] = {"type",       "version", "argv", "start", "host",
					  "kernel",     "compendium", "mode", "argv_bytes",
					  "host_bytes", "kernel_bytes"};
/* what the end record computes from the log (failed, calls, bytes: log/evcount.h) is not kept as extra */
static const char *const end_keys[] = {"type",   "duration", "status", "exit",  "counts",   "events",
				       "interrupted", "cpu",   "failed", "calls", "bytes", "peak_rss"};

static bool in_list(const char *k, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(k, list[i]))
			return true;
	return false;
}

static void keep_extra(struct reader *rd, struct buf *extra, const cJSON *o, const cJSON *c)
{
	reencode_member(extra, o, c, rd->version);
}

static void read_header(struct reader *rd, const cJSON *o)
{
	struct run *r = rd->r;
	rd->have_header = true;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "version");
	rd->version = cJSON_IsNumber(v) && v->valuedouble < 2 ? 1 : JSONL_VERSION;
	if (cJSON_IsNumber(v) && v->valuedouble > JSONL_VERSION)
		rwarn(rd, "log version %g is newer than this compendium reads (%d); reading what it can",
		      v->valuedouble, JSONL_VERSION);
	const cJSON *argv = cJSON_GetObjectItemCaseSensitive(o, "argv");
	const cJSON *argv_sib = rd->version >= 2 ? jsonrd_sibling(o, argv) : NULL;
	if (cJSON_IsArray(argv)) {
		int n = cJSON_GetArraySize(argv);
		for (char **a = r->argv_read; a && *a; a++) /* a second header: the last one counts */
			free(*a);
		free(r->argv_read);
		/* owned by the run: it was lost at exit (LeakSanitizer: 85 bytes in read_header) */
		r->argv = r->argv_read = xcalloc((size_t)n + 1, sizeof(*r->argv));
		r->argc = 0;
		int i = 0;
		for (const cJSON *c = argv->child; c; c = c->next, i++) {
			char *s = dup_string(rd, c, argv_sib ? cJSON_GetArrayItem(argv_sib, i) : NULL);
			if (s)
				r->argv[r->argc++] = s;
		}
	}
	char *s;
	if ((s = dup_member(rd, o, "host"))) {
		free(r->host);
		r->host = s;
	}
	if ((s = dup_member(rd, o, "kernel"))) {
		free(r->kernel);
		r->kernel = s;
	}
	if ((s = dup_member(rd, o, "mode"))) {
		r->mode = evlog_str(r->log, evlog_intern_cstr(r->log, s), NULL);
		free(s);
	}
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(o, "start");
	if (cJSON_IsString(st))
		parse_start(rd, st->valuestring);
	for (const cJSON *c = o->child; c; c = c->next)
		if (c->string && !in_list(c->string, header_keys, ARRAY_SIZE(header_keys)))
			keep_extra(rd, &r->header_extra, o, c);
}

/* A count: a number, or the decimal string json_u64 writes from 2^53 on; else 0. */
static uint64_t count_of(const cJSON *j)
{
	uint64_t v;
	if (cJSON_IsNumber(j))
		return j->valuedouble > 0 ? (uint64_t)j->valuedouble : 0;
	if (cJSON_IsString(j) && is_big_uint(j->valuestring, strlen(j->valuestring), &v))
		return v;
	return 0;
}

static uint64_t count_member(const cJSON *o, const char *k)
{
	return count_of(cJSON_GetObjectItemCaseSensitive(o, k));
}

/* One of the busiest fault places: {"region", "path" (or null), "count"}. */
static void read_fault_top(struct reader *rd, struct run_fault_top *t, const cJSON *o)
{
	const cJSON *reg = cJSON_GetObjectItemCaseSensitive(o, "region");
	const cJSON *path = cJSON_GetObjectItemCaseSensitive(o, "path");
	int region = cJSON_IsString(reg) ? run_fault_region_lookup(reg->valuestring) : -1;
	t->region = region >= 0 ? (enum run_fault_region)region : RUN_FR_OTHER;
	if (cJSON_IsString(path)) {
		const char *s = raw_bytes(rd, path, rd->version >= 2 ? jsonrd_sibling(o, path) : NULL,
					  &t->path_len);
		t->path = xmalloc(t->path_len + 1);
		memcpy(t->path, s, t->path_len);
		t->path[t->path_len] = '\0';
	}
	t->count = count_member(o, "count");
}

/* The end record's "faults" object (run_faults_json) into r->faults. */
static void read_faults(struct reader *rd, const cJSON *o)
{
	struct run_faults *f = &rd->r->faults;
	for (size_t i = 0; i < f->ntop; i++)
		free(f->top[i].path);
	free(f->top);
	free(f->unavailable);
	*f = (struct run_faults){.present = true};
	const cJSON *un = cJSON_GetObjectItemCaseSensitive(o, "unavailable");
	if (cJSON_IsString(un)) {
		f->unavailable = dup_member(rd, o, "unavailable");
		return;
	}
	f->minor = count_member(o, "minor");
	f->major = count_member(o, "major");
	for (unsigned r = 0; r < RUN_FR_N; r++)
		f->region[r] = count_member(o, run_fault_region_name(r));
	f->sampled = count_member(o, "sampled");
	f->lost = count_member(o, "lost");
	f->throttled = count_member(o, "throttled");
	const cJSON *sampling = cJSON_GetObjectItemCaseSensitive(o, "sampling");
	if (cJSON_IsString(sampling))
		f->sampling = !strcmp(sampling->valuestring, "off") ? "off" : "unavailable";
	const cJSON *logged = cJSON_GetObjectItemCaseSensitive(o, "logged");
	if (logged) {
		f->have_logged = true;
		f->logged = count_of(logged);
	}
	const cJSON *top = cJSON_GetObjectItemCaseSensitive(o, "top");
	int n = cJSON_IsArray(top) ? cJSON_GetArraySize(top) : 0;
	if (n <= 0)
		return;
	f->top = xcalloc((size_t)n, sizeof(*f->top));
	for (const cJSON *c = top->child; c; c = c->next)
		if (cJSON_IsObject(c))
			read_fault_top(rd, &f->top[f->ntop++], c);
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
	const cJSON *pk = cJSON_GetObjectItemCaseSensitive(o, "peak_rss");
	if (cJSON_IsNumber(pk) && pk->valuedouble > 0 && pk->valuedouble < 0x1p63)
		r->peak_rss = (uint64_t)pk->valuedouble;
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "events");
	if (cJSON_IsNumber(n))
		rd->end_events = (uint64_t)n->valuedouble;
	for (const cJSON *c = o->child; c; c = c->next) {
		if (!c->string || in_list(c->string, end_keys, ARRAY_SIZE(end_keys)))
			continue;
		if (!strcmp(c->string, "faults") && cJSON_IsObject(c))
			read_faults(rd, c);
		else
			keep_extra(rd, &r->end_extra, o, c);
	}
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
		    !strcmp(k, "type") || !strcmp(k, "cat") || !strcmp(k, "noise") ||
		    !strcmp(k, "fold")) /* the log classifies again at append */
			continue;
		if (rd->version >= 2 && jsonrd_is_sibling(o, c))
			continue; /* the bytes of the field it names */
		add_field(rd, &d, k, c, rd->version >= 2 ? jsonrd_sibling(o, c) : NULL);
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
	struct reader rd = {.path = path, .r = r, .warnings = warnings, .nwarnings = nwarnings,
			    .version = JSONL_VERSION};
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
