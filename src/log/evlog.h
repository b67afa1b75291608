/* SPDX-License-Identifier: MIT */
/*
 * evlog: the one in-memory event log. Producers (tracer, page faults,
 * sampler) append records; sinks (live text, JSON Lines, summary, report)
 * subscribe to appends or iterate afterwards. The log owns every record and
 * every interned string; pointers it returns stay valid until evlog_free().
 */
#ifndef COMPENDIUM_EVLOG_H
#define COMPENDIUM_EVLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "log/evschema.h"

enum ev_cat {
#define X(id, name) EVC_##id,
	EV_CATS(X)
#undef X
	EVC__COUNT
};

enum ev_type {
#define X(id, name, cat) EVT_##id,
	EV_TYPES(X)
#undef X
	EVT__COUNT
};

enum ev_key {
#define X(id, name) EVK_##id,
	EV_KEYS(X)
#undef X
	EVK__STATIC_COUNT
};

/* How a field's 64-bit value is to be read and printed. */
enum ev_kind {
	EVF_INT,   /* int64_t */
	EVF_UINT,  /* uint64_t; JSON: a number below 2^53, else a string */
	EVF_HEX,   /* uint64_t; JSON: "0x7f..." string */
	EVF_BOOL,  /* 0 or 1 */
	EVF_STR,   /* interned string id (0 = JSON null) */
	EVF_STRV,  /* string-vector id (evlog_strv) */
	EVF_DUR,   /* nanoseconds; JSON: seconds with µs precision */
	EVF_ERRNO, /* positive errno (or 512..516 restart code); JSON: "ENOENT" */
	EVF_SIG,   /* signal number; JSON: "SIGSEGV" */
	EVF_JSON,  /* interned string id holding one valid JSON value, already encoded */
	EVF_DOUBLE /* IEEE double stored bitwise */
};

/* One record. Fields follow the header in memory (ev_fields()). */
struct ev {
	uint64_t t;     /* ns since the log's start */
	int32_t pid;    /* thread-group id (0 for system-wide records) */
	int32_t tid;
	uint16_t type;  /* enum ev_type, or a run-time type id >= EVT__COUNT */
	uint8_t cat;    /* enum ev_cat */
	uint8_t nf;     /* number of fields */
	uint32_t flags; /* EVFL_* */
};

#define EVFL_NOISE 0x1u /* hidden by the default noise filter (sinks decide) */
/*
 * Bits 4..6: the routine kind of work an event is (enum ev_fold), for the
 * views that fold such events into one line. The log stamps it into every
 * record when it is appended; the JSON Lines log writes it as "fold". A
 * folded event is still an event: nothing is dropped.
 */
#define EVFL_FOLD_SHIFT 4
#define EVFL_FOLD_MASK (0x7u << EVFL_FOLD_SHIFT)

enum ev_fold {
	EVFOLD_NONE,
	EVFOLD_MEMORY, /* successful anonymous mmap, munmap, mremap, mprotect, brk */
	EVFOLD_LOCALE, /* opening (found or not), reading or mapping locale and gconv files */
	EVFOLD_PATH,   /* a failed execve of DIR/NAME for an argv[0] NAME without '/': execvp's search */
	EVFOLD__COUNT
};

struct ev_field {
	uint16_t key;  /* enum ev_key or a run-time key id */
	uint8_t kind;  /* enum ev_kind */
	uint8_t pad;
	uint32_t lo, hi; /* the value, split to keep records 4-aligned and small */
};

static inline uint64_t evf_u64(const struct ev_field *f)
{
	return (uint64_t)f->lo | ((uint64_t)f->hi << 32);
}
static inline int64_t evf_i64(const struct ev_field *f)
{
	return (int64_t)evf_u64(f);
}
static inline const struct ev_field *ev_fields(const struct ev *e)
{
	return (const struct ev_field *)(e + 1);
}
/* The first field with this key, or NULL. */
const struct ev_field *ev_find(const struct ev *e, unsigned key);

/* The fold kind of a stored record (enum ev_fold). */
static inline unsigned ev_fold_kind(const struct ev *e)
{
	return (e->flags & EVFL_FOLD_MASK) >> EVFL_FOLD_SHIFT;
}
/* The kind's JSON name ("memory", "locale", "path"), or NULL for EVFOLD_NONE. */
const char *ev_fold_name(unsigned kind);
struct evlog;
/* Classify a record from its type and fields (evlog_fold.c; evlog_append calls it). */
unsigned evlog_fold_classify(const struct evlog *log, const struct ev *e);

#define EV_MAX_FIELDS 24

/* A record being built on the stack; evlog_append() copies it into the log. */
struct ev_draft {
	struct ev h;
	struct ev_field f[EV_MAX_FIELDS];
};

struct evlog;

struct evlog *evlog_new(void);
void evlog_free(struct evlog *log);

/* ns since the log's start (monotonic). */
uint64_t evlog_now(const struct evlog *log);
/* Monotonic ns at which the log started. */
uint64_t evlog_start_mono(const struct evlog *log);
/* Reset the start to 'mono_ns' (a --from reader sets t values directly). */
void evlog_set_start(struct evlog *log, uint64_t mono_ns, struct timespec realtime);
struct timespec evlog_start_realtime(const struct evlog *log);

/* Intern n bytes (any bytes, NUL included). Returns an id >= 1. */
uint32_t evlog_intern(struct evlog *log, const void *s, size_t n);
uint32_t evlog_intern_cstr(struct evlog *log, const char *s);
/*
 * The same for a string the enabled outputs may never show again after
 * the streaming sinks read it (ev_str and ev_cstr intern this way): once
 * the strings held reach the cap (evlog_set_string_cap), one of
 * EVLOG_NK_MIN bytes or more is not kept. It gets an id as any other (the
 * same bytes give the same id, told apart by a keyed 64-bit hash), its
 * bytes stay readable while it is one of the 256 most recent such strings
 * (the subscribers of evlog_append read them), then evlog_str returns NULL
 * for it and evlog_str_lost says why. Shorter strings cost as much to
 * count as to keep and are always kept; so are those of evlog_intern (the
 * executable paths, names and command lines), which count towards the cap.
 */
#define EVLOG_NK_MIN 64
uint32_t evlog_intern_soft(struct evlog *log, const void *s, size_t n);
/* The cap on string bytes held (SIZE_MAX, the default: none). */
void evlog_set_string_cap(struct evlog *log, size_t bytes);
size_t evlog_string_cap(const struct evlog *log);
/* Distinct strings not kept because of the cap, and their bytes (*bytes; may be NULL). */
uint64_t evlog_strings_not_kept(const struct evlog *log, uint64_t *bytes);
/* Is id a string not kept whose bytes are gone (evlog_str returns NULL)? */
bool evlog_str_lost(const struct evlog *log, uint32_t id);
/* The bytes of string 'id' (NUL-terminated; *len excludes the NUL). id 0, or a string lost -> NULL. */
const char *evlog_str(const struct evlog *log, uint32_t id, size_t *len);
/* Number of distinct strings interned so far (ids are 1..count). */
uint32_t evlog_str_count(const struct evlog *log);

/* Store a vector of string ids; returns its id. */
uint32_t evlog_strv(struct evlog *log, const uint32_t *ids, uint32_t n);
/* The ids of vector 'id'; *n receives the count. */
const uint32_t *evlog_strv_get(const struct evlog *log, uint32_t id, uint32_t *n);

/* Draft helpers. ev_init sets the category from the type's default. */
void ev_init(struct ev_draft *d, unsigned type, uint64_t t, int pid, int tid);
void ev_add(struct ev_draft *d, unsigned key, enum ev_kind kind, uint64_t v);
static inline void ev_int(struct ev_draft *d, unsigned key, int64_t v) { ev_add(d, key, EVF_INT, (uint64_t)v); }
static inline void ev_uint(struct ev_draft *d, unsigned key, uint64_t v) { ev_add(d, key, EVF_UINT, v); }
static inline void ev_hex(struct ev_draft *d, unsigned key, uint64_t v) { ev_add(d, key, EVF_HEX, v); }
static inline void ev_bool(struct ev_draft *d, unsigned key, bool v) { ev_add(d, key, EVF_BOOL, v); }
static inline void ev_dur(struct ev_draft *d, uint64_t ns) { ev_add(d, EVK_DUR, EVF_DUR, ns); }
static inline void ev_err(struct ev_draft *d, int err) { ev_add(d, EVK_ERR, EVF_ERRNO, (uint64_t)(int64_t)err); }
static inline void ev_sig(struct ev_draft *d, unsigned key, int sig) { ev_add(d, key, EVF_SIG, (uint64_t)(int64_t)sig); }
static inline void ev_strid(struct ev_draft *d, unsigned key, uint32_t id) { ev_add(d, key, EVF_STR, id); }
void ev_str(struct ev_draft *d, struct evlog *log, unsigned key, const void *s, size_t n);
void ev_cstr(struct ev_draft *d, struct evlog *log, unsigned key, const char *s);
/* 'json' must be one complete, valid JSON value produced by json.c's encoder. */
void ev_json(struct ev_draft *d, struct evlog *log, unsigned key, const char *json, size_t n);
void ev_double(struct ev_draft *d, unsigned key, double v);

/*
 * Append a copy of the draft, stamp its fold kind into the copy's flags
 * (evlog_fold_classify), and call every subscriber with the
 * stored record. Returns the stored record (valid until evlog_free).
 */
const struct ev *evlog_append(struct evlog *log, const struct ev_draft *d);

/* Subscribers run synchronously inside evlog_append, in subscription order. */
typedef void (*evlog_sink_fn)(void *ctx, const struct evlog *log, const struct ev *e);
void evlog_subscribe(struct evlog *log, evlog_sink_fn fn, void *ctx);

/* Iterate in append order: struct evlog_cursor c = {0}; while ((e = evlog_next(log, &c))) */
struct evlog_cursor {
	size_t chunk;
	size_t off;
};
const struct ev *evlog_next(const struct evlog *log, struct evlog_cursor *c);

uint64_t evlog_count(const struct evlog *log);
/* Bytes used by records (not strings), for the memory-per-event benchmark. */
size_t evlog_record_bytes(const struct evlog *log);
size_t evlog_string_bytes(const struct evlog *log);

/* Names. Unknown ids give "?" for types/cats; keys registered at run time work. */
const char *ev_type_name(unsigned type);
const char *ev_cat_name(unsigned cat);
const char *ev_key_name(unsigned key);
/* Look names up (-1 if unknown). */
int ev_type_lookup(const char *name);
int ev_cat_lookup(const char *name);
/* The id of a field name, registering it if new (for --from of newer logs). */
unsigned evkey_intern(const char *name);
/* The id of a type name, registering it if new (category OTHER). */
unsigned evtype_intern(const char *name);
unsigned ev_type_default_cat(unsigned type);

#endif
