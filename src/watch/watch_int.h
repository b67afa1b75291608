/* SPDX-License-Identifier: MIT */
/*
 * watch_int: what the --watch modules share (config, /proc records, the
 * snapshot ring, exit records, dumps). Private to src/watch/.
 */
#ifndef COMPENDIUM_WATCH_INT_H
#define COMPENDIUM_WATCH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/procfs.h"
#include "lib/util.h"

/* ---- configuration (watch_conf.c) ---- */

/* Where dumps go when neither the config nor --dump-dir names a directory. */
#define WATCH_DEFAULT_DUMP_DIR "/var/lib/compendium"

struct watch_conf {
	double cpu_delta_threshold_pct;   /* process CPU above its EMA, points (100 = one core) */
	double new_process_threshold_pct; /* new (or short-lived) process CPU% */
	double mem_drop_threshold_mib;    /* MemAvailable below its EMA */
	double mem_pressure_threshold_pct;/* (MemTotal - MemAvailable) / MemTotal */
	double swap_spike_threshold_mib;  /* swap used above its EMA */
	double cooldown_seconds;
	double sampling_interval_seconds;
	long ring_buffer_capacity;        /* snapshots kept in memory */
	long context_snapshots_per_dump;  /* pre-trigger snapshots in a dump */
	bool enable_cpu_detection;
	bool enable_memory_detection;
	bool enable_swap_detection;
	double memory_baseline_alpha;
	double process_baseline_alpha;
	double baseline_warmup_seconds;   /* a process first seen already running is judged after this long */
	/* compendium's own keys */
	double process_mem_growth_threshold_mib; /* one process's RSS + swap growth within ~5 s */
	bool enable_burst_detection;
	long burst_threshold;             /* new processes of one (parent, name) ... */
	double burst_window_seconds;      /* ... within this many seconds */
	bool enable_psi_detection;
	double psi_threshold_pct;         /* some avg10 of cpu, io or memory */
	double post_trigger_seconds;
	long thread_states_top;           /* busiest processes whose R/D threads are sampled */
	long retention_max_dumps;
	double retention_max_age_days;
	double retention_max_total_mib;
	char *dump_dir;                   /* owned */
	bool missing;                     /* there was no file (missing_ok): these are the defaults */
};

void watch_conf_defaults(struct watch_conf *c);
void watch_conf_release(struct watch_conf *c);
/*
 * Parse 'path' into c (defaults first). "/dev/null" gives the defaults.
 * A file that does not parse returns -EINVAL with "file:line: problem"
 * lines in err; a file that cannot be used (missing, not a regular file,
 * unsafe owner or mode, too large: doc/SAFETY.md, 'Configuration files')
 * returns another -errno with one line in err. c is then left with the
 * defaults. A missing file with 'missing_ok' is not an error (c->missing).
 */
int watch_conf_load(struct watch_conf *c, const char *path, bool missing_ok, struct buf *err);
/* Parse text (for tests); 'name' is used in messages. */
int watch_conf_parse(struct watch_conf *c, const char *name, const char *text, size_t n, struct buf *err);
/* The thresholds in force as one JSON object (for the trigger record). */
void watch_conf_json(const struct watch_conf *c, struct buf *out);
/* The dump directory in force: c->dump_dir, or WATCH_DEFAULT_DUMP_DIR (borrowed). */
const char *watch_conf_dump_dir(const struct watch_conf *c);

/* ---- /proc parsing (watch_proc.c; the readers and parsers are lib/procfs) ---- */

/*
 * What the command line depends on: comm and where argv lives. execve
 * changes both (a process keeps its pid and start time across exec), so a
 * changed key means the command line must be read again.
 */
uint64_t pstat_cmd_key(const struct procfs_stat *ps);

#define WATCH_MAXCPU 512

struct sysrec {
	uint16_t ncpu;
	uint32_t cpu_busy10, cpu_iowait10;     /* ×10, % of one core (machine = ncpu×100) */
	uint16_t core_busy10[WATCH_MAXCPU];    /* per core ×10 */
	uint64_t mem_total_kb, mem_avail_kb, swap_total_kb, swap_free_kb;
	int32_t psi_cpu100, psi_io100, psi_mem100; /* some avg10 ×100, -1 = none */
	uint64_t forks;                        /* forks during the interval */
	uint32_t running, blocked, nprocs;
};

struct sys_raw {
	uint64_t busy[WATCH_MAXCPU + 1], total[WATCH_MAXCPU + 1], iowait[WATCH_MAXCPU + 1];
	unsigned ncpu;
	uint64_t processes;
	uint32_t running, blocked;
	bool valid;
};
/* Read /proc/stat, meminfo and pressure into rec, using prev for rates. */
void sys_read(struct sys_raw *prev, struct sysrec *rec, int procfd);

/* ---- the snapshot ring ---- */

/* WP_NO_RATE: first sight of a process older than the watch: no interval measured, cpu10 means nothing */
enum { WP_NEW = 1, WP_NO_RATE = 2 };

struct wproc_rec {          /* one process in one snapshot (56 bytes) */
	uint64_t start;
	int32_t pid, ppid;
	uint32_t rss_kb, swap_kb;
	uint32_t uid;
	uint16_t cpu10;         /* CPU% ×10 over the interval, 100% = one core */
	uint16_t threads;       /* its thread count (65535: that many or more) */
	char state;
	uint8_t flags;          /* WP_* */
	char comm[16];
};

struct wthread_rec {
	int32_t pid, tid;
	char state;
	int32_t syscall;        /* -1 none (user space), -2 unknown */
	char comm[16];
	char wchan[40];
};

struct wexit_rec {           /* from taskstats: a process that exited */
	int32_t pid, ppid;
	uint32_t uid;
	int32_t code;
	uint64_t btime;          /* start, seconds since the epoch */
	uint64_t cpu_us, lifetime_us;
	uint64_t rss_peak_kb;
	uint64_t read_bytes, write_bytes;
	uint64_t mono;           /* when it was received */
	char comm[16];           /* the kernel's comm is at most 15 bytes */
	bool seen;               /* a scan saw it alive */
};

struct wsnap {
	uint64_t seq;
	uint64_t mono;           /* CLOCK_MONOTONIC ns of the scan */
	struct timespec real;
	struct sysrec sys;
	struct wproc_rec *procs;
	uint32_t nprocs, procs_cap;
	struct wthread_rec *threads;
	uint32_t nthreads, threads_cap;
	struct wexit_rec *exits;
	uint32_t nexits, exits_cap;
	uint32_t exits_total;    /* exits in the interval (nexits may be fewer after trimming) */
	uint64_t cost_ns;        /* sampler CPU for this tick */
	uint64_t lag_ns;         /* wake-up later than the deadline */
};

/* ---- taskstats exit listener (watch_nl.c) ---- */

struct watch_nl;
/* Start listening (a thread). NULL with one warning line if refused. */
struct watch_nl *watch_nl_start(void);
/* Move queued exits into *out (xrealloc'd); returns the count. *lost gets drops so far. */
size_t watch_nl_drain(struct watch_nl *nl, struct wexit_rec **out, size_t *cap, uint64_t *lost);
void watch_nl_stop(struct watch_nl *nl);

/* ---- command lines, read on a worker thread (watch_cmd.c) ---- */

#define WATCH_CMDLINE_MAX 1024 /* bytes of /proc/PID/cmdline kept */
#define WATCH_ARGV_MAX 32

struct cmd_result {
	int pid;
	uint64_t start;
	uint64_t key;           /* pstat_cmd_key() of the process when it was read */
	char **argv;            /* owned; argc strings */
	int argc;
	bool truncated;
};
struct watch_cmd;
/* Start the worker; NULL (with a warning) if it cannot run. */
struct watch_cmd *watch_cmd_start(void);
/* Ask for the command line of (pid, start); dirfd is borrowed (duplicated). Never blocks on the worker. */
void watch_cmd_request(struct watch_cmd *c, int pid, uint64_t start, int dirfd);
/* Take the finished results (the caller owns them: watch_cmd_result_free). */
size_t watch_cmd_results(struct watch_cmd *c, struct cmd_result **out, size_t *cap);
void watch_cmd_result_free(struct cmd_result *r);
void watch_cmd_stop(struct watch_cmd *c);
/* Replace secrets in argv (flag values, mysql -p, URL userinfo) in place; true if any. */
bool watch_cmd_redact(char **argv, int argc);

/* ---- dumps (watch_dump.c) ---- */

struct watch_dumpdir;
/* Open and verify the dump directory (create it 0750 when missing). NULL + message in err. */
struct watch_dumpdir *watch_dumpdir_open(const char *path, struct buf *err);
void watch_dumpdir_close(struct watch_dumpdir *d);
/*
 * Before each sample and each dump: if the directory was removed or moved
 * away, recreate it (or open the one now at its path) with the checks of
 * watch_dumpdir_open. One warning line per disappearance. False while
 * it cannot be (dumps are lost then).
 */
bool watch_dumpdir_ensure(struct watch_dumpdir *d);
int watch_dumpdir_fd(const struct watch_dumpdir *d);
/*
 * Write 'text' atomically as a new file spike_<kind>_<time>.jsonl (doc/SAFETY.md, 'Atomic dumps').
 * Returns 0 with the final name in *name (caller frees), or -errno (nothing
 * is left behind).
 */
int watch_dump_write_fn(struct watch_dumpdir *d, const char *kind, const struct timespec *when,
			int (*fill)(void *ctx, int fd), void *ctx, char **name);
/* Remove old dumps beyond the caps. Returns the number removed. */
int watch_dump_retention(struct watch_dumpdir *d, long max_dumps, double max_age_days, double max_total_mib);

/* --watch --pid (watch_pid.c): follow cfg->pids and their children; returns the exit status. */
struct run;
struct watch_cfg;
int watch_pid_main(struct run *r, const struct watch_cfg *cfg);

/* Boot time (seconds since the epoch), read once from /proc/stat; 0 if unreadable. */
uint64_t watch_boot_time(void);
/* Realtime for a CLOCK_MONOTONIC value. */
struct timespec watch_mono_to_real(uint64_t mono);

/* ---- signals and ticks, shared by both samplers (watch_sig.c) ---- */

/* Signal flags set by the handlers: stop holds SIGTERM or SIGINT, hup asks for a config reload. */
extern volatile int watch_sig_stop, watch_sig_hup;
/* Catch SIGTERM, SIGINT and SIGHUP (without SA_RESTART) and ignore SIGPIPE. */
void watch_signals_install(void);
/*
 * Sleep until the tick after 'tick' (CLOCK_MONOTONIC ns), on a fixed
 * schedule: ticks already missed are skipped. Returns early on a stop
 * signal (and on SIGHUP when hup_wakes). Returns the new tick.
 */
uint64_t watch_tick_sleep(uint64_t tick, uint64_t interval_ns, bool hup_wakes);

#endif
