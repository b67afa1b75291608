/* SPDX-License-Identifier: MIT */
/*
 * report_int: what the report's files share; report.h is the public face.
 * The report is one pass over the events into typed columns and a string
 * table (report_columns.c, report_stab.c, with report_redact.c), packed as
 * byte planes into one gzip stream on worker threads (report_pack.c,
 * report_zpool.c), described by the meta JSON (report_meta.c) and poured
 * into the HTML template (report_html.c); report_path.c puts it on disk.
 * Everything here is owned by the struct that holds it; report_rep_free()
 * releases a report_rep and all it points to.
 */
#ifndef COMPENDIUM_REPORT_INT_H
#define COMPENDIUM_REPORT_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/util.h"
#include "log/evlog.h"
#include "log/run.h"

#define REPORT_REDACTED "[REDACTED]"
/*
 * An event's fields in the str column: "key=value" joined by REPORT_FSEP,
 * the elements of a string vector joined by REPORT_VSEP. Display strings
 * never hold a byte below 0x20 (report_disp_add), so the page splits the
 * fields exactly, whatever a file name holds (doc/INTERNALS.md, 'The
 * report's event fields').
 */
#define REPORT_FSEP '\x1f'
#define REPORT_VSEP '\x1e'
/* The flags column: bits per event. */
#define REPORT_FL_REDACTED 0x01u /* secrets replaced */
#define REPORT_FL_NOISE 0x02u    /* the log's "noise": true */
#define REPORT_FL_FAILED 0x04u   /* a failure as the summary counts it */
#define REPORT_FL_RET 0x08u      /* a "ret" field equal to "bytes", left to the bytes column */
#define REPORT_FL_BYTES 0x10u    /* a numeric "bytes" field of 0 (the bytes column: a nonzero one says itself) */
#define REPORT_FL_DUR 0x20u      /* a "dur" field of 0 (the dur column: a nonzero one says itself) */
#define REPORT_FL_UNKNOWN 0x40u  /* the path column holds "unknown (...)" made from the "unknown" field */
#define REPORT_ZROWS (64u << 10) /* events per block and per plane piece */

/* ---- report_path.c: the output file */

/* Print "error: --report PATH: WHAT (strerror(err))"; err 0 leaves the reason out. */
void report_err(const char *path, const char *what, int err);
/*
 * Where the report for path really goes (path, or a non-root user's
 * symlink resolved to their own regular file). Returns a new string, or
 * NULL with the error printed and *err set to -errno.
 */
char *report_path_target(const char *path, int *err);
/* Write data to target atomically with mode; errors name path. 0 or -errno. */
int report_path_write(const char *path, const char *target, unsigned mode, const struct buf *data);

/* ---- the state of one report, filled by report_columns.c */

/* Display strings, each stored once; ids are 1-based. */
struct report_stab {
	struct buf text;   /* display strings joined by '\n' */
	uint64_t *off;     /* start of string id (1-based) in text */
	uint32_t *len;
	uint32_t n, cap;
	uint64_t *h;       /* open addressing: hash << 32 | id, 0 = empty */
	uint32_t hcap;
};

/* A growable array of fixed-size elements. */
struct report_col {
	char *p;
	size_t n, cap, size;
};

/* Per process: what the lanes and the processes card show. */
struct report_proc {
	int pid, ppid;
	uint32_t name;        /* string id (display) */
	bool name_from_exec;
	uint64_t first, last;
	uint64_t nev;
	int *tids;
	size_t ntids, tcap;
	bool exited, signaled;
	int code;
	uint64_t bytes_r, bytes_w;
	uint64_t failed;
};

struct report_series {
	int pid;
	unsigned type, key;
	uint32_t kind; /* the event's "kind" string (log id), 0 if none: producers differ */
};

struct report_file {
	uint32_t path;
	uint64_t n, failed, bytes;
	uint64_t reads, writes; /* read and write calls (log/evcount.h) */
};

struct report_rep {
	const struct run *r;
	const struct evlog *log;
	bool redact;
	struct report_stab st;
	uint32_t *scache;  /* evlog string id -> stab id of its display form */
	uint8_t *sred;     /* ... and whether redaction changed it */
	uint32_t nscache;
	struct buf tmp, tmp2, det;
	uint64_t nredacted;
	uint8_t err_seen[1024]; /* errno values of EVF_ERRNO fields seen: the meta's "errtext" */

	/* dense columns, one value per event (time order) */
	size_t nev;
	uint32_t *dt, *th, *dur, *bytes, *str, *path;
	uint16_t *type;
	uint8_t *cat, *flags; /* 8 spare zero bytes at the end: the section's padding */
	/* sparse columns: escapes of the u32 ones, failures, extras, counter tracks */
	struct report_col tx_i, tx_v, err_i, err_v, dux_i, dux_v, byx_i, byx_v, x_i, x_v, s_id, s_t, s_v;
	/* threads seen: (pid, tid) pairs; the th column indexes them */
	int32_t *thr;        /* 2 per thread */
	uint32_t nthr, thr_cap;
	uint32_t *thr_h;     /* open addressing: index + 1, 0 = empty */
	uint32_t thr_hcap, thr_last;
	uint32_t *thr_proc;  /* thread index -> procs index + 1, 0 = not yet */
	const char *kname[512]; /* key names by key id, cached with their length */
	uint8_t klen[512];

	struct report_proc *procs;
	size_t nprocs, pcap, plast;
	struct report_series *series;
	size_t nseries, scap;
	uint32_t types_seen[1024]; /* report type index + 1, by evlog type id (small) */
	unsigned *type_ids;        /* report index -> evlog type id */
	uint64_t *type_counts;
	size_t ntypes;
	uint64_t cat_counts[256];

	/* summary */
	uint64_t bytes_read, bytes_written, bytes_sent, bytes_recv, nread, nwrite, nsend, nrecv;
	uint64_t mmap_bytes, munmap_bytes, brk_growth, nmmap, peak_rss;
	uint64_t nopen, nconnect, nsocket, nfailed, nspawn, nexec, ncrash, ntrigger;
	uint64_t err_counts[4096];
	struct report_file *files;
	size_t nfiles, fcap;
	uint32_t *file_slot; /* string id -> files index + 1 */
	size_t file_slot_cap;
};

/* ---- report_stab.c: display form and the string table */

/* Multiply-mix of 8-byte words (the last one overlapping); only speed depends on it. */
uint32_t report_hash32(const void *p, size_t n);
/* The id of this display string (1-based), adding a copy if new. */
uint32_t report_stab_id(struct report_stab *t, const char *s, size_t n);
/* Room for about n events' strings up front: no moving of big tables while they fill. */
void report_stab_reserve(struct report_stab *t, size_t n);
void report_stab_free(struct report_stab *t);
/*
 * Append the display form of tracee bytes p[0..n) to b: valid UTF-8 passes
 * except controls, a backslash included (one backslash shows as one); a
 * byte that is not valid UTF-8 is "\xNN", controls are \n \t \r or
 * \xNN, so a table cell is one line. A display form, not an escape
 * language: the exact bytes are the JSON Lines log's (lib/json.h).
 */
void report_disp_add(struct buf *b, const void *p, size_t n);
/*
 * Append the JSON text s[0..n) of an EVF_JSON field for the page: strings
 * that carry a KEY_bytes sibling become the display form of those bytes
 * and the sibling goes; anything else is copied as it is.
 */
void report_json_disp(struct buf *b, const char *s, size_t n);

/* ---- report_redact.c: secrets out of the shown text */

/* Append s[0..n) to out with secrets replaced; true if anything was replaced. */
bool report_redact(struct buf *out, const char *s, size_t n);
/* Could report_redact() change s? false means it surely would not. */
bool report_may_hold_secret(const char *s, size_t n);
/* Is this argv word a flag whose value is the next word ("--token X")? */
bool report_secret_flag(const char *s, size_t n);
/*
 * The run's argv, secrets replaced when redact (a flag like --token hides
 * the next word). Returns a NULL-terminated vector of new strings (free
 * with report_strv_free); *red is set if anything was replaced.
 */
char **report_argv_redacted(const struct run *r, bool redact, bool *red);
void report_strv_free(char **v);

/* ---- report_columns.c: events -> columns */

/* Start the columns of n events of r (borrowed until report_rep_free). */
struct report_rep *report_rep_new(const struct run *r, bool redact, size_t n);
/* Turn events evs[a..b) (time order, indexes a..b) into columns; *prev_t carries the last time. */
void report_rep_add(struct report_rep *R, const struct ev *const *evs, size_t a, size_t b, uint64_t *prev_t);
/* Free R and everything it holds; NULL is a no-op. */
void report_rep_free(struct report_rep *R);

/* ---- report_zpool.c: the gzip worker threads */

/*
 * One piece of the raw data to deflate. The input: esz 0: m bytes at src
 * (freed after if own); else byte planes [p0, p1) of m values of esz bytes
 * at src, then pad zeros. key orders the pieces: section << 40 | offset.
 * The pool fills n, out, crc and rc.
 */
struct report_zjob {
	const unsigned char *src;
	size_t m, esz, pad, n;
	unsigned p0, p1;
	bool own, last, dead;
	uint64_t key;
	int strategy;
	struct buf out;
	unsigned long crc;
	int rc;
};

struct report_zpool;

/* Start the worker threads (none if they cannot start: the jobs then run at the end). */
struct report_zpool *report_zpool_new(void);
/* Queue a copy of the job tmpl. */
void report_zpool_add(struct report_zpool *zp, const struct report_zjob *tmpl);
/* Drop the queued or finished jobs of section k (it is queued again whole). */
void report_zpool_kill(struct report_zpool *zp, int k);
/* Finish every job, stop the threads, append the gzip member to out, free zp. 0 or -errno. */
int report_zpool_finish(struct report_zpool *zp, struct buf *out);
/* A helper thread with every signal blocked: signals keep going to the tracer's own thread. */
bool report_start_thread(pthread_t *th, void *(*fn)(void *), void *arg);

/* ---- report_pack.c: columns -> sections of the raw data */

struct report_pack;

/* Start packing the columns of n events (the compressing threads start here). */
struct report_pack *report_pack_new(size_t n);
/* Queue the dense columns' rows [a, b) of R, and the string table's finished pieces. */
void report_pack_block(struct report_pack *pk, const struct report_rep *R, size_t a, size_t b);
/* Queue what is left once every event is in R: the sparse columns and the strings. */
void report_pack_end(struct report_pack *pk, const struct report_rep *R);
/* Append the sections' JSON list of {name, type, off, n}; returns the raw length. */
size_t report_pack_layout(const struct report_pack *pk, struct buf *layout);
/* Wait for the compression, append the gzip data to gz and free pk. 0 or -errno. */
int report_pack_finish(struct report_pack *pk, struct buf *gz);

/* ---- report_meta.c: the meta JSON */

/*
 * Append the meta JSON of R, made safe inside <script>, to out (it sorts
 * R's files). warnings may be NULL; layout is report_pack_layout()'s list.
 */
void report_meta(struct report_rep *R, struct buf *out, const char *warnings, const char *layout,
		 size_t raw_len, bool sorted);

/* ---- report_html.c: the page */

/* Append the <title> text (entity-escaped): "compendium" and up to 8 argv words. */
void report_html_title(struct buf *title, const struct run *r, bool redact);
/* Fill the HTML template into out with the title, the safe meta JSON and the gzip data. */
void report_html_page(struct buf *out, const struct buf *title, const struct buf *meta, const struct buf *gz);

#endif
