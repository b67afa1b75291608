/* SPDX-License-Identifier: MIT */
/*
 * watch_sys: the state of the system-wide sampler (--watch without --pid)
 * and the calls between its files: watch.c (setup and main loop),
 * watch_scan.c (/proc -> a snapshot), watch_ring.c (the snapshot ring),
 * watch_detect.c (triggers and incidents) and watch_spike.c (a trigger's
 * pending dump). Private to those files.
 */
#ifndef COMPENDIUM_WATCH_SYS_H
#define COMPENDIUM_WATCH_SYS_H

#include <dirent.h>

#include "watch/watch_int.h"

#define YOUNG_SECONDS 5.0                 /* a process this young counts as new */
#define MIN_LIFETIME_S 0.25               /* CPU% of a short-lived exit: cpu / max(life, this) */
#define MAX_INVOLVED 8
#define MAX_PENDING 16
#define MAX_INCIDENTS 256

struct watch_cfg;

struct wp {
	int pid;
	uint64_t start;
	int dirfd, statfd;        /* kept open while the fd budget allows (-1 otherwise) */
	uint64_t ticks;
	uint64_t mono;            /* scan that last read it */
	double ema;               /* CPU baseline: the mean of the first readings, then an EMA */
	bool ema_ok;
	uint64_t first_mono;      /* the scan that first saw it */
	uint32_t nrate;           /* interval readings in the baseline */
	bool rate_ok;             /* cpu10 is a measured rate (false at the first sight of an old process: no interval) */
	bool whole_life;          /* first seen young: its CPU since birth is known, no warm-up */
	uint32_t rss_kb, swap_kb, uid;
	int ppid;
	char state;
	uint16_t cpu10;
	uint16_t threads;
	char comm[16];
	bool young;
	struct cmd_result cmd;    /* command line once the worker has read it (argv NULL until then) */
	uint64_t cmd_key;         /* pstat_cmd_key() when it was last asked for */
};

struct involved {
	int pid;
	uint64_t start;
	char comm[16];
	double value;             /* CPU% or growth in KiB */
};

struct inv_cmd {             /* an involved process's command line, owned by the pending dump */
	char **argv;
	int argc;
	bool redacted, truncated;
};

struct incident {
	char kind[16];
	char scope[48];
	uint64_t start, last_true, end;
	struct pending *dump;
	int cause_pid;            /* memory triggers: the process that grew most (0: none) */
	uint64_t cause_start;
	bool open;
};

#define MAX_RELATED 4

struct related {             /* another trigger of the same cause, folded into a pending dump */
	char kind[16];
	char scope[48];
	char *msg;                /* owned */
	double value, threshold, baseline; /* baseline NAN: none */
	struct timespec real;
};

struct pending {
	char kind[16];
	char scope[48];
	char *msg;
	double value, threshold;
	double baseline;          /* what value was compared with (NAN: a fixed threshold only) */
	uint64_t trig_seq, trig_mono, due_mono;
	uint64_t ctx_seq;         /* the incident's first trigger: the pre-trigger context ends here */
	struct related rel[MAX_RELATED];
	int nrel;
	struct timespec trig_real;
	struct involved inv[MAX_INVOLVED];
	struct inv_cmd cmds[MAX_INVOLVED];
	int ninv;
	struct incident *inc;
	char *thresholds_json;
	uint64_t ref_seq;         /* memory/swap: growth is measured from this snapshot */
	bool grow_swap;
};

/* pid -> start (seconds since the epoch) of the last process a scan saw with that pid */
#define SEEN_MASK 0xffff
struct seen_ent {
	int32_t pid;
	uint32_t start_sec;
};

struct birth {
	uint64_t mono;
	int ppid;
	char comm[16];
};

struct watch {
	const struct watch_cfg *cfg; /* the command line's settings (borrowed) */
	struct watch_conf conf;
	struct run *run;
	int procfd;
	DIR *procdir;
	long hz, pagesize_kb;
	double interval;
	uint64_t interval_ns;
	int fds_open, fd_budget;

	struct wp *cur, *nxt;
	size_t ncur, capcur, capnxt;
	int *pids;
	size_t npids, cappids;

	struct wsnap *ring;
	size_t ringcap;
	uint64_t seq;             /* next snapshot's number (first is 1) */
	struct sys_raw sysraw;

	double mem_ema, swap_ema;
	bool mem_ema_ok, swap_ema_ok;

	struct watch_nl *nl;
	struct watch_cmd *cmd;
	struct cmd_result *cres;
	size_t cres_cap;
	struct wexit_rec *exits;
	size_t exits_cap;
	uint64_t exits_lost;

	struct birth *births;
	size_t nbirths, capbirths;
	struct seen_ent *seen;

	struct incident inc[MAX_INCIDENTS];
	struct pending *pend[MAX_PENDING];
	int npend;

	struct watch_dumpdir *dd;
	uint64_t last_fail_log;
	uint64_t cpu_prev;
	uint64_t dumps_written;
	uint64_t dumps_lost;      /* not written: the directory gone, a full disk (said at exit) */
	uint64_t last_trim;       /* when malloc_trim last ran */
	uint64_t first_mono;      /* the first scan */
	bool warmup_said;         /* the end of the baseline warm-up was logged */
	uint64_t fire_ref_seq;    /* set around fire() by the memory/swap detectors */
	bool fire_swap;
};

/* ---- watch_scan.c ---- */

/* One scan: every process, the system counters, thread states, exits; the new newest snapshot. */
struct wsnap *watch_scan(struct watch *w, uint64_t mono);
/* The live process pid in the newest scan, or NULL. */
struct wp *watch_find_cur(struct watch *w, int pid);
/* Close its files and free its command line (safe to repeat). */
void watch_wp_drop(struct watch *w, struct wp *p);

/* ---- watch_ring.c ---- */

/* Snapshot seq if the ring still holds it, else NULL. */
struct wsnap *watch_snap_of(struct watch *w, uint64_t seq);
/* Give the ring cap slots, keeping the newest snapshots that fit. */
void watch_ring_resize(struct watch *w, size_t cap);
/* Keep the ring's process and exit records under their budgets: old snapshots lose their lists first. */
void watch_ring_trim(struct watch *w);
/* The snapshot about 'secs' before s (the oldest in the ring if younger); NULL if none has records. */
const struct wsnap *watch_snap_before(struct watch *w, const struct wsnap *s, double secs);
/* The record of pid in snapshot s, or NULL. */
const struct wproc_rec *watch_snap_find(const struct wsnap *s, int pid);
/*
 * The processes whose RSS (or swap) grew most between 'ref' (may be NULL)
 * and 's', largest first. Returns how many (up to max) grew by more than 1 MiB.
 */
int watch_grown(const struct wsnap *ref, const struct wsnap *s, bool swap, struct involved *out, int max);
/* Sort by value, largest first (the order of watch_grown). */
void watch_involved_sort(struct involved *v, size_t n);

/* ---- watch_detect.c ---- */

/* Run the detectors on the newest snapshot s: fire triggers, update baselines, close quiet incidents. */
void watch_detect(struct watch *w, const struct wsnap *s);

/* ---- watch_fold.c ---- */

/* memgrow, memdrop, swap, mempressure: the triggers one memory incident may hold. */
bool watch_is_mem_kind(const char *kind);
struct trig {                /* a trigger that just fired */
	const char *kind, *scope, *msg;
	double value, threshold, baseline;
};
/*
 * Memory trigger t just opened incident in (in->cause_* set): if another
 * memory incident of the same cause has a dump pending, record t in that
 * dump (a memgrow becomes the dump's own trigger, the system one a related
 * one) and return true; also true, with a log line, when that incident is
 * still open but its dump is written. False: t needs a dump of its own.
 */
bool watch_fold(struct watch *w, const struct wsnap *s, struct incident *in, const struct trig *t);

/* ---- watch_spike.c ---- */

/* Copy (and redact, unless --no-redact) the missing command lines of p's involved processes still alive. */
void watch_take_cmds(struct watch *w, struct pending *p);
/*
 * Write the dump of a pending trigger and free p; 'cut' says why its
 * post-trigger window was cut short (NULL: it was not).
 */
void watch_write_dump(struct watch *w, struct pending *p, const char *cut);
/* Write the dumps whose post-trigger window is over (all of them with 'all'). */
void watch_flush_pending(struct watch *w, uint64_t mono, bool all);

#endif
