/* SPDX-License-Identifier: MIT */
/* evlog: the one in-memory event log; records in chunks, strings interned. */
#include "log/evlog.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "lib/u64map.h"
#include "lib/util.h"

#define CHUNK_BYTES (1u << 20)
#define STR_CHUNK_BYTES (1u << 20)

struct chunk {
	char *mem;
	size_t used;
};

struct strent {
	const char *s; /* points into a string chunk (NUL-terminated), or a struct nkstr if STR_NK */
	uint32_t len;  /* STR_NK set: not kept */
	uint32_t hash;
};

#define STR_NK 0x80000000u /* in strent.len: the string is not kept (a struct nkstr) */

/*
 * A string not kept: what tells it apart from others (its keyed 64-bit
 * hash: an intern of the same bytes gets the same id), and its bytes while
 * it is one of the NK_RING most recent (NULL once evicted).
 */
struct nkstr {
	uint64_t h64;
	char *bytes;
	uint64_t seq; /* ring position it was last placed at */
};

#define NK_RING 256 /* strings not kept whose bytes stay readable: the streaming sinks read them at append */
#define NK_MIN EVLOG_NK_MIN /* shorter strings are always kept: not keeping one costs as much */

struct sink {
	evlog_sink_fn fn;
	void *ctx;
};

struct evlog {
	uint64_t start_mono;
	struct timespec start_real;

	struct chunk *chunks;
	size_t nchunks, chunks_cap;
	uint64_t count;
	size_t record_bytes;

	/* strings: ids 1..nstr index strs[id-1] */
	struct strent *strs;
	uint32_t nstr, strs_cap;
	uint32_t *htab; /* open addressing: 0 = empty, else id */
	uint32_t hcap;  /* power of two */
	struct chunk *schunks;
	size_t nschunks, schunks_cap;
	size_t string_bytes;
	/* the cap on string bytes (evlog_set_string_cap) and what it left out */
	size_t string_cap;
	uint64_t nk_count, nk_bytes;
	uint64_t nk_key;                  /* the key of h64 */
	struct {
		uint32_t id;
		uint64_t seq;
	} nk_ring[NK_RING];
	uint64_t nk_seq;                  /* placements so far */

	/* string vectors: vec ids index vecs[id-1] = offset into vdata */
	uint32_t *vdata;
	size_t vlen, vcap;
	size_t *vecs;
	uint32_t nvec, vecs_cap;

	struct sink *sinks;
	size_t nsinks;
};

/* ---- names ---- */

static const char *const static_type_names[] = {
#define X(id, name, cat) name,
	EV_TYPES(X)
#undef X
};
static const unsigned char static_type_cats[] = {
#define X(id, name, cat) EVC_##cat,
	EV_TYPES(X)
#undef X
};
static const char *const cat_names[] = {
#define X(id, name) name,
	EV_CATS(X)
#undef X
};
static const char *const static_key_names[] = {
#define X(id, name) name,
	EV_KEYS(X)
#undef X
};

/* Run-time registered names (from --from logs of newer versions). */
static char **dyn_keys;
static unsigned ndyn_keys;
static char **dyn_types;
static unsigned ndyn_types;

const char *ev_type_name(unsigned type)
{
	if (type < EVT__COUNT)
		return static_type_names[type];
	if (type - EVT__COUNT < ndyn_types)
		return dyn_types[type - EVT__COUNT];
	return "?";
}

const char *ev_cat_name(unsigned cat)
{
	return cat < EVC__COUNT ? cat_names[cat] : "?";
}

const char *ev_key_name(unsigned key)
{
	if (key < EVK__STATIC_COUNT)
		return static_key_names[key];
	if (key - EVK__STATIC_COUNT < ndyn_keys)
		return dyn_keys[key - EVK__STATIC_COUNT];
	return "?";
}

unsigned ev_type_default_cat(unsigned type)
{
	return type < EVT__COUNT ? static_type_cats[type] : EVC_OTHER;
}

int ev_type_lookup(const char *name)
{
	for (unsigned i = 0; i < EVT__COUNT; i++)
		if (!strcmp(static_type_names[i], name))
			return (int)i;
	for (unsigned i = 0; i < ndyn_types; i++)
		if (!strcmp(dyn_types[i], name))
			return (int)(EVT__COUNT + i);
	return -1;
}

int ev_cat_lookup(const char *name)
{
	for (unsigned i = 0; i < EVC__COUNT; i++)
		if (!strcmp(cat_names[i], name))
			return (int)i;
	return -1;
}

unsigned evkey_intern(const char *name)
{
	for (unsigned i = 0; i < EVK__STATIC_COUNT; i++)
		if (!strcmp(static_key_names[i], name))
			return i;
	for (unsigned i = 0; i < ndyn_keys; i++)
		if (!strcmp(dyn_keys[i], name))
			return EVK__STATIC_COUNT + i;
	if (EVK__STATIC_COUNT + ndyn_keys >= UINT16_MAX)
		return EVK_DATA; /* absurd input: fold into one generic key */
	dyn_keys = xreallocarray(dyn_keys, ndyn_keys + 1, sizeof(*dyn_keys));
	dyn_keys[ndyn_keys] = xstrdup(name);
	return EVK__STATIC_COUNT + ndyn_keys++;
}

unsigned evtype_intern(const char *name)
{
	int t = ev_type_lookup(name);
	if (t >= 0)
		return (unsigned)t;
	if (EVT__COUNT + ndyn_types >= UINT16_MAX)
		return EVT_OTHER;
	dyn_types = xreallocarray(dyn_types, ndyn_types + 1, sizeof(*dyn_types));
	dyn_types[ndyn_types] = xstrdup(name);
	return EVT__COUNT + ndyn_types++;
}

/* ---- log ---- */

struct evlog *evlog_new(void)
{
	struct evlog *log = xcalloc(1, sizeof(*log));
	log->start_mono = now_ns();
	clock_gettime(CLOCK_REALTIME, &log->start_real);
	log->hcap = 1024;
	log->htab = xcalloc(log->hcap, sizeof(*log->htab));
	log->string_cap = SIZE_MAX;
	if (getrandom(&log->nk_key, sizeof(log->nk_key), GRND_NONBLOCK) != sizeof(log->nk_key))
		log->nk_key = log->start_mono ^ (uint64_t)log->start_real.tv_nsec << 20;
	return log;
}

void evlog_free(struct evlog *log)
{
	if (!log)
		return;
	for (size_t i = 0; i < log->nchunks; i++)
		free(log->chunks[i].mem);
	for (size_t i = 0; i < log->nschunks; i++)
		free(log->schunks[i].mem);
	for (uint32_t i = 0; i < log->nstr; i++)
		if (log->strs[i].len & STR_NK) {
			struct nkstr *k = (struct nkstr *)log->strs[i].s;
			free(k->bytes);
			free(k);
		}
	free(log->chunks);
	free(log->schunks);
	free(log->strs);
	free(log->htab);
	free(log->vdata);
	free(log->vecs);
	free(log->sinks);
	free(log);
}

uint64_t evlog_now(const struct evlog *log)
{
	uint64_t n = now_ns();
	return n > log->start_mono ? n - log->start_mono : 0;
}

uint64_t evlog_start_mono(const struct evlog *log)
{
	return log->start_mono;
}

void evlog_set_start(struct evlog *log, uint64_t mono_ns, struct timespec realtime)
{
	log->start_mono = mono_ns;
	log->start_real = realtime;
}

struct timespec evlog_start_realtime(const struct evlog *log)
{
	return log->start_real;
}

/* FNV-1a */
static uint32_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *c = p;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= c[i];
		h *= 16777619u;
	}
	return h;
}

static char *arena_alloc(struct chunk **chunks, size_t *n, size_t *cap, size_t size,
			 size_t chunk_bytes)
{
	if (*n == 0 || (*chunks)[*n - 1].used + size > chunk_bytes) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*chunks = xreallocarray(*chunks, *cap, sizeof(**chunks));
		}
		size_t sz = size > chunk_bytes ? size : chunk_bytes;
		(*chunks)[*n].mem = xmalloc(sz);
		(*chunks)[*n].used = 0;
		(*n)++;
	}
	struct chunk *c = &(*chunks)[*n - 1];
	char *p = c->mem + c->used;
	c->used += size;
	return p;
}

static void rehash(struct evlog *log)
{
	uint32_t ncap = log->hcap * 2;
	uint32_t *nt = xcalloc(ncap, sizeof(*nt));
	for (uint32_t id = 1; id <= log->nstr; id++) {
		uint32_t i = log->strs[id - 1].hash & (ncap - 1);
		while (nt[i])
			i = (i + 1) & (ncap - 1);
		nt[i] = id;
	}
	free(log->htab);
	log->htab = nt;
	log->hcap = ncap;
}

/* A keyed 64-bit hash: tells strings not kept apart (a tracee does not know the key). */
static uint64_t hash64(const struct evlog *log, const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t h = log->nk_key ^ (uint64_t)n * 0x9e3779b97f4a7c15ull, w;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, c + i, 8);
		h = u64map_mix(h ^ w) * 0xff51afd7ed558ccdull;
	}
	w = 0;
	memcpy(&w, c + i, n - i);
	return u64map_mix(h ^ w ^ (uint64_t)(n - i) << 59);
}

/* Make string id's bytes (s, n) readable again, as one of the NK_RING most recent. */
static void nk_place(struct evlog *log, uint32_t id, struct nkstr *k, const void *s, size_t n)
{
	if (k->bytes && log->nk_seq - k->seq < NK_RING / 2)
		return; /* recent enough */
	if (!k->bytes) {
		k->bytes = xmalloc(n + 1);
		memcpy(k->bytes, s, n);
		k->bytes[n] = '\0';
	}
	size_t slot = log->nk_seq % NK_RING;
	uint32_t old = log->nk_ring[slot].id;
	if (old && old != id) {
		struct nkstr *o = (struct nkstr *)log->strs[old - 1].s;
		if (o->seq == log->nk_ring[slot].seq) { /* not placed again since */
			free(o->bytes);
			o->bytes = NULL;
		}
	}
	log->nk_ring[slot].id = id;
	log->nk_ring[slot].seq = log->nk_seq;
	k->seq = log->nk_seq++;
}

/* Copy n bytes into the string arena (NUL-terminated). */
static char *keep_bytes(struct evlog *log, const void *s, size_t n)
{
	char *p = arena_alloc(&log->schunks, &log->nschunks, &log->schunks_cap, n + 1,
			      STR_CHUNK_BYTES);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	log->string_bytes += n + 1;
	return p;
}

/* The string entry e (id) was not kept: keep it now (a kept intern of the same bytes). */
static void nk_keep(struct evlog *log, struct strent *e, const void *s, size_t n)
{
	struct nkstr *k = (struct nkstr *)e->s;
	free(k->bytes);
	free(k);
	e->s = keep_bytes(log, s, n);
	e->len = (uint32_t)n;
	log->nk_count--;
	log->nk_bytes -= n;
}

/* Does entry e hold the n bytes s? A string not kept and gone compares by its keyed hash. */
static bool same(const struct evlog *log, const struct strent *e, const void *s, size_t n,
		 uint64_t *h64)
{
	if (!(e->len & STR_NK))
		return !memcmp(e->s, s, n);
	const struct nkstr *k = (const struct nkstr *)e->s;
	if (k->bytes)
		return !memcmp(k->bytes, s, n);
	if (!*h64)
		*h64 = hash64(log, s, n) | 1;
	return k->h64 == *h64;
}

/*
 * Intern n bytes. A soft string of NK_MIN bytes or more met once the
 * strings held reach the cap is not kept: it gets an id as any other (the
 * same bytes, the same id), its bytes stay readable while it is one of the
 * NK_RING most recent, and it is counted.
 */
static uint32_t intern(struct evlog *log, const void *s, size_t n, bool soft)
{
	if (n > STR_NK - 2)
		n = STR_NK - 2;
	uint32_t h = hash_bytes(s, n);
	uint64_t h64 = 0;
	uint32_t i = h & (log->hcap - 1);
	while (log->htab[i]) {
		uint32_t id = log->htab[i];
		struct strent *e = &log->strs[id - 1];
		if (e->hash == h && (e->len & ~STR_NK) == n && same(log, e, s, n, &h64)) {
			if (e->len & STR_NK) {
				if (soft)
					nk_place(log, id, (struct nkstr *)e->s, s, n);
				else
					nk_keep(log, e, s, n);
			}
			return id;
		}
		i = (i + 1) & (log->hcap - 1);
	}
	if (log->nstr == log->strs_cap) {
		log->strs_cap = log->strs_cap ? log->strs_cap * 2 : 1024;
		log->strs = xreallocarray(log->strs, log->strs_cap, sizeof(*log->strs));
	}
	uint32_t id = ++log->nstr;
	if (!soft || n < NK_MIN || log->string_bytes + n + 1 <= log->string_cap) {
		log->strs[id - 1] = (struct strent){.s = keep_bytes(log, s, n), .len = (uint32_t)n, .hash = h};
	} else {
		struct nkstr *k = xcalloc(1, sizeof(*k));
		k->h64 = h64 ? h64 : hash64(log, s, n) | 1;
		log->strs[id - 1] = (struct strent){.s = (const char *)k, .len = (uint32_t)n | STR_NK, .hash = h};
		nk_place(log, id, k, s, n);
		log->nk_count++;
		log->nk_bytes += n;
	}
	log->htab[i] = id;
	if ((uint64_t)log->nstr * 4 >= (uint64_t)log->hcap * 3)
		rehash(log);
	return id;
}

uint32_t evlog_intern(struct evlog *log, const void *s, size_t n)
{
	return intern(log, s, n, false);
}

uint32_t evlog_intern_soft(struct evlog *log, const void *s, size_t n)
{
	return intern(log, s, n, true);
}

void evlog_set_string_cap(struct evlog *log, size_t bytes)
{
	log->string_cap = bytes;
}

size_t evlog_string_cap(const struct evlog *log)
{
	return log->string_cap;
}

uint64_t evlog_strings_not_kept(const struct evlog *log, uint64_t *bytes)
{
	if (bytes)
		*bytes = log->nk_bytes;
	return log->nk_count;
}

bool evlog_str_lost(const struct evlog *log, uint32_t id)
{
	if (id == 0 || id > log->nstr || !(log->strs[id - 1].len & STR_NK))
		return false;
	return !((const struct nkstr *)log->strs[id - 1].s)->bytes;
}

uint32_t evlog_intern_cstr(struct evlog *log, const char *s)
{
	return evlog_intern(log, s, strlen(s));
}

const char *evlog_str(const struct evlog *log, uint32_t id, size_t *len)
{
	if (id == 0 || id > log->nstr) {
		if (len)
			*len = 0;
		return NULL;
	}
	const struct strent *e = &log->strs[id - 1];
	if (e->len & STR_NK) {
		const struct nkstr *k = (const struct nkstr *)e->s;
		if (len)
			*len = k->bytes ? e->len & ~STR_NK : 0;
		return k->bytes;
	}
	if (len)
		*len = e->len;
	return e->s;
}

uint32_t evlog_str_count(const struct evlog *log)
{
	return log->nstr;
}

uint32_t evlog_strv(struct evlog *log, const uint32_t *ids, uint32_t n)
{
	if (log->vlen + n + 1 > log->vcap) {
		while (log->vlen + n + 1 > log->vcap)
			log->vcap = log->vcap ? log->vcap * 2 : 1024;
		log->vdata = xreallocarray(log->vdata, log->vcap, sizeof(*log->vdata));
	}
	if (log->nvec == log->vecs_cap) {
		log->vecs_cap = log->vecs_cap ? log->vecs_cap * 2 : 256;
		log->vecs = xreallocarray(log->vecs, log->vecs_cap, sizeof(*log->vecs));
	}
	log->vecs[log->nvec] = log->vlen;
	log->vdata[log->vlen++] = n;
	if (n)
		memcpy(log->vdata + log->vlen, ids, n * sizeof(*ids));
	log->vlen += n;
	return ++log->nvec;
}

const uint32_t *evlog_strv_get(const struct evlog *log, uint32_t id, uint32_t *n)
{
	if (id == 0 || id > log->nvec) {
		*n = 0;
		return NULL;
	}
	size_t off = log->vecs[id - 1];
	*n = log->vdata[off];
	return log->vdata + off + 1;
}

/* ---- drafts ---- */

void ev_init(struct ev_draft *d, unsigned type, uint64_t t, int pid, int tid)
{
	d->h.t = t;
	d->h.pid = pid;
	d->h.tid = tid;
	d->h.type = (uint16_t)type;
	d->h.cat = (uint8_t)ev_type_default_cat(type);
	d->h.nf = 0;
	d->h.flags = 0;
}

void ev_add(struct ev_draft *d, unsigned key, enum ev_kind kind, uint64_t v)
{
	if (d->h.nf >= EV_MAX_FIELDS)
		return; /* producers stay well below; never overflow */
	struct ev_field *f = &d->f[d->h.nf++];
	f->key = (uint16_t)key;
	f->kind = (uint8_t)kind;
	f->pad = 0;
	f->lo = (uint32_t)v;
	f->hi = (uint32_t)(v >> 32);
}

void ev_str(struct ev_draft *d, struct evlog *log, unsigned key, const void *s, size_t n)
{
	ev_add(d, key, EVF_STR, s ? evlog_intern_soft(log, s, n) : 0);
}

void ev_cstr(struct ev_draft *d, struct evlog *log, unsigned key, const char *s)
{
	ev_str(d, log, key, s, s ? strlen(s) : 0);
}

void ev_json(struct ev_draft *d, struct evlog *log, unsigned key, const char *json, size_t n)
{
	ev_add(d, key, EVF_JSON, evlog_intern(log, json, n));
}

void ev_double(struct ev_draft *d, unsigned key, double v)
{
	uint64_t u;
	memcpy(&u, &v, sizeof(u));
	ev_add(d, key, EVF_DOUBLE, u);
}

const struct ev_field *ev_find(const struct ev *e, unsigned key)
{
	const struct ev_field *f = ev_fields(e);
	for (unsigned i = 0; i < e->nf; i++)
		if (f[i].key == key)
			return &f[i];
	return NULL;
}

/* ---- append and iterate ---- */

static size_t record_size(unsigned nf)
{
	size_t sz = sizeof(struct ev) + nf * sizeof(struct ev_field);
	return (sz + 7) & ~(size_t)7;
}

const struct ev *evlog_append(struct evlog *log, const struct ev_draft *d)
{
	size_t sz = record_size(d->h.nf);
	char *p = arena_alloc(&log->chunks, &log->nchunks, &log->chunks_cap, sz, CHUNK_BYTES);
	memcpy(p, &d->h, sizeof(d->h));
	memcpy(p + sizeof(d->h), d->f, d->h.nf * sizeof(struct ev_field));
	log->count++;
	log->record_bytes += sz;
	struct ev *stored = (struct ev *)p;
	stored->flags = (stored->flags & ~EVFL_FOLD_MASK) |
			(evlog_fold_classify(log, stored) << EVFL_FOLD_SHIFT & EVFL_FOLD_MASK);
	const struct ev *e = stored;
	for (size_t i = 0; i < log->nsinks; i++)
		log->sinks[i].fn(log->sinks[i].ctx, log, e);
	return e;
}

void evlog_subscribe(struct evlog *log, evlog_sink_fn fn, void *ctx)
{
	log->sinks = xreallocarray(log->sinks, log->nsinks + 1, sizeof(*log->sinks));
	log->sinks[log->nsinks++] = (struct sink){fn, ctx};
}

const struct ev *evlog_next(const struct evlog *log, struct evlog_cursor *c)
{
	while (c->chunk < log->nchunks) {
		const struct chunk *ch = &log->chunks[c->chunk];
		if (c->off < ch->used) {
			const struct ev *e = (const struct ev *)(ch->mem + c->off);
			c->off += record_size(e->nf);
			return e;
		}
		c->chunk++;
		c->off = 0;
	}
	return NULL;
}

uint64_t evlog_count(const struct evlog *log)
{
	return log->count;
}

size_t evlog_record_bytes(const struct evlog *log)
{
	return log->record_bytes;
}

size_t evlog_string_bytes(const struct evlog *log)
{
	return log->string_bytes;
}
