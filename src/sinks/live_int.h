/* SPDX-License-Identifier: MIT */
/* live_int: the narrator's state and output helpers, shared by live.c and live_lines.c. */
#ifndef COMPENDIUM_LIVE_INT_H
#define COMPENDIUM_LIVE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/u64map.h"
#include "lib/util.h"
#include "log/evlog.h"
#include "log/run.h"

#define LIVE_MAX_CRASHES 8   /* crashes told in full at the end; the rest are counted */
#define LIVE_CRASH_FRAMES 16 /* stack frames of a crash told at the end */
#define LIVE_INDENT "          " /* -k frames under their event (10 columns, as before the stamp had microseconds) */

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"

/* A read/write/send/recv line being coalesced with the ones that follow it. */
struct pending {
	bool on;
	uint16_t type;
	int pid, tid;
	int64_t fd;
	uint32_t what;   /* string id of path / desc / peer (0 = none) */
	uint64_t t;      /* time of the first one */
	uint64_t count, bytes;
	uint64_t dur;    /* -T: the calls' time, summed */
	uint32_t unknown; /* string id of why the fd is unknown ("memory not readable"), 0 = not */
};

/* -ff -o FILE (live_ff.c): lines buffered per thread, appended to FILE.TID. */
struct live_ff;
struct live_ff *live_ff_new(const char *base);
void live_ff_add(struct live_ff *f, int tid, const char *s, size_t n);
/* Write one thread's lines now (at its exit) / everyone's. */
void live_ff_flush_tid(struct live_ff *f, int tid);
void live_ff_flush_all(struct live_ff *f);
/* Flush everything, say how many files could not be written, free. */
/* Flush and free; returns how many files could not be written (each said). */
unsigned live_ff_free(struct live_ff *f);

struct live {
	struct live *next_retired;
	struct run *r;
	bool verbose, no_filter, quiet; /* from struct live_cfg (live.h) */
	bool quiet_attach, quiet_exit;  /* likewise (-e quiet=) */
	int strsize;
	int tstamp;         /* struct live_cfg's stamp settings */
	bool relstamp, call_times;
	bool rel_started;   /* -r: a line was stamped */
	uint64_t rel_prev;  /* -r: the latest stamp so far */
	struct live_ff *ff; /* -ff: per-thread files, or NULL */
	int ff_tid;         /* -ff: the thread whose line l->out holds */
	int fd;
	struct outq *q;     /* cfg->out_label: the writer thread's queue, or NULL (written here) */
	bool tty, color, done;
	uint64_t t_flushed; /* log time of the last flush */
	int err;
	struct buf out;
	struct pending pend;
	struct u64map pids; /* distinct pids seen */
	bool threads_seen;
	/* crash events, told in full at the end of the narrative (records live as long as the log) */
	const struct ev *crashes[LIVE_MAX_CRASHES];
	size_t ncrashes;
	/* routine work being folded, per process (live_fold.c) */
	struct live_fold *folds;
	size_t nfolds, folds_cap;
	struct u64map fold_idx; /* pid -> index + 1 into folds */
};


/* Output helpers (live.c): everything a line writes goes to l->out. */
void live_color(struct live *l, const char *c);
/* Tracee bytes, escaped for the terminal. */
void live_add_str(struct live *l, const char *s, size_t n);
/* A string field escaped, or "?" when absent. */
void live_add_field(struct live *l, const struct evlog *log, const struct ev *e, unsigned key);
/* "unknown (memory not readable)" when e says why what it names is unknown; false if it does not. */
bool live_add_unknown(struct live *l, const struct evlog *log, const struct ev *e);
/* "[+0.002s] " and the pid column once there is more than one process or thread. */
void live_prefix(struct live *l, uint64_t t, int pid, int tid);
/* -T: " <0.000123>" (dim), the time in the call(s). */
void live_add_dur(struct live *l, uint64_t ns);
/* " ENOENT" in red when the event failed; nothing otherwise. */
void live_add_err(struct live *l, const struct evlog *log, const struct ev *e);
/* A signal field's name ("SIGSEGV"). */
void live_add_sig(struct live *l, const struct evlog *log, const struct ev *e, unsigned key);
/* A size right-aligned in 8 columns after a space. */
void live_size_col(struct live *l, uint64_t bytes);

/* End the line being written and flush as the narrative does. */
void live_end_line(struct live *l, uint64_t t);

/*
 * Folding (live_fold.c). live_fold_absorb: true if e is routine work of a
 * kind being folded (never with -v or --no-filter), counted instead of
 * narrated. live_fold_before: before the line of e, tell what its process
 * was folding that e ends. live_fold_finish: tell everything still open.
 */
bool live_fold_absorb(struct live *l, const struct evlog *log, const struct ev *e);
void live_fold_before(struct live *l, const struct evlog *log, const struct ev *e);
void live_fold_finish(struct live *l, const struct evlog *log);

/* The text of one event line (live_lines.c), between the prefix and the newline. */
void live_line(struct live *l, const struct evlog *log, const struct ev *e);
/* -k: the event's stack, one indented line per frame under it. */
void live_add_stack(struct live *l, const struct evlog *log, const struct ev *e);
/* The crashes again, in full, at the end of the narrative. */
void live_crash_blocks(struct live *l, const struct evlog *log);

#endif
