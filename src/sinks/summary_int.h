/* SPDX-License-Identifier: MIT */
/* summary_int: the state shared by the FINAL block's scan (summary_scan.c) and printers. */
#ifndef COMPENDIUM_SUMMARY_INT_H
#define COMPENDIUM_SUMMARY_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/u64map.h"
#include "lib/util.h"
#include "log/evlog.h"
#include "log/run.h"

struct summary_cfg;
struct wfiles;

/* One entry of a table: a file, a failure kind, a connection, a signal, a pid... */
struct ent {
	uint64_t key;
	uint64_t a, b, c; /* per-table meaning */
	uint32_t id;      /* a string id to show */
	uint32_t extra;
	bool many;        /* failures: several paths share the directory */
	uint32_t order;   /* creation order: ties sort by first appearance */
	const struct ev *ev; /* connections: the first one stands for all */
	uint64_t dirs;    /* failures: a PATH search that found nothing: directories tried */
};

/* A table of entries by 64-bit key, in creation order until sorted. */
struct table {
	struct ent *e;
	size_t n, cap;
	struct u64map idx; /* key -> index + 1 into e; stale once e is sorted */
};

/* One process of the tree. */
struct pinfo {
	int pid, ppid;
	uint32_t argv;      /* strv id (0 = unknown) */
	bool forked_only;   /* no exec seen: argv is the parent's */
	bool exited, core, is_root;
	int code, sig;
	unsigned threads;
	uint64_t maxrss;    /* bytes: peak resident set at its exit or detach (0 = unknown) */
	unsigned first_child, next_sibling; /* index + 1 */
	bool printed;
	uint32_t exe;       /* path of the last successful exec (string id, 0 = none) */
	size_t exec_mark;   /* processes known at that exec: children below it came before */
};

/* The FINAL block being computed: what the scan of the log found. */
struct sum {
	struct run *r;
	const struct summary_cfg *cfg;
	const struct evlog *log;
	uint64_t t_last;
	int64_t heap;
	uint64_t mmap_bytes, mmap_regions;
	uint64_t file_rd, file_wr, other_rd, other_wr, net_tx, net_rx;
	uint64_t unk_rd, unk_wr;           /* on fds named by nothing: "unknown" (memory not readable) */
	uint32_t unk_why;                  /* the first such event's reason (string id) */
	struct table files_rd, files_wr;   /* key: path id; a = bytes, b = calls */
	uint64_t hidden_files;
	struct wfiles *wf;                 /* files written, followed by name (summary_files.c) */
	struct table heap_by_pid;          /* key: pid; a = growth (signed) */
	struct table conns;                /* unused (summary_conn.c lists connections) */
	uint64_t hidden_conns;
	const struct ev **connlist;        /* the conn events */
	size_t nconnlist;
	uint32_t *connnext;                /* summary_conn.c's chains over connlist */
	const struct ev **connects;        /* connect events (not cut for restart) */
	size_t nconnects;
	struct table fails;                /* key: (type, errno, dir id); a = count, id = example */
	uint64_t nfails, hidden_fails;
	struct table sigs;                 /* key: signal; a = count, b = last sender */
	uint64_t opens, hidden_opens;
	struct table rss;                  /* key: pid; a = peak rss */
	struct pinfo *procs;
	size_t nprocs, procs_cap;
	struct table pidx;                 /* key: pid -> a = index + 1 (latest) */
	uint64_t nthreads;
	const struct ev **crashes;
	size_t ncrashes;
	uint64_t mem_events, io_events, conn_events; /* were these traced at all? */
	uint64_t brk_events, mmap_events, file_io_events; /* ... and these parts of them? */
	const struct ev **warnings;
	size_t nwarnings;
	uint64_t faults_seen;
	struct table searches;             /* key: tid; a PATH search under way (summary_probe.c) */
	size_t searching;                  /* searches under way */
	uint64_t probe_locale, probe_path; /* failed lookups that are probing, not failures */
};

/* The entry of key, created (zeroed but for key and order) if new. */
struct ent *summary_table_get(struct table *t, uint64_t key);
void summary_table_free(struct table *t);
/* Entries by a descending, then by creation (qsort comparator). */
int summary_by_a_desc(const void *x, const void *y);

/*
 * Walk s->log once and fill s (summary_scan.c): summary_scan_event for
 * each event in log order, then summary_scan_end. summary_follow runs the
 * first as the events are appended, while every string they name can be
 * read (log/evlog.h: strings not kept).
 */
void summary_scan(struct sum *s);
void summary_scan_event(struct sum *s, const struct ev *e);
void summary_scan_end(struct sum *s);
/* Free what the scan allocated. */
void summary_sum_free(struct sum *s);

/*
 * Probing (summary_probe.c). summary_probe_event: every event, before its
 * own handling (it ends a PATH search of its task). summary_probe_fail: a
 * failure that is probing, counted apart (true) or not (false).
 * summary_probe_end: after the scan. summary_probe_print: the "probing"
 * line of the failures.
 */
void summary_probe_event(struct sum *s, const struct ev *e);
bool summary_probe_fail(struct sum *s, const struct ev *e);
void summary_probe_end(struct sum *s);
void summary_probe_print(const struct sum *s, struct buf *b);

#define SUMMARY_TREE_MAX 300 /* lines of the process tree shown without --tree=all */
/* The process tree (summary_tree.c): links s->procs into a tree and prints it. */
void summary_tree_print(struct sum *s, struct buf *b);

/* Files written as they end up on disk (summary_files.c): a write of bytes to path (an id), */
void summary_files_write(struct sum *s, uint32_t path, uint64_t bytes);
/* an open, rename, link or unlink event, */
void summary_files_change(struct sum *s, const struct ev *e);
/* the "Files written" lines, temporary files and files deleted. */
void summary_files_print(struct sum *s, struct buf *b);
void summary_files_free(struct sum *s);

/*
 * The Memory line (summary_mem.c): the peak resident set first (the run's
 * peak_rss, and the process that reached it), then the address space
 * mapped (heap growth and mmap lengths summed, not memory used).
 */
void summary_print_memory(struct sum *s, struct buf *b);
/* The largest peak RSS known: the run's, or any process's (0 = unknown). */
uint64_t summary_peak_rss(const struct sum *s);

/* A connect, accept or conn event (summary_conn.c). */
void summary_conn_add(struct sum *s, const struct ev *e);
/* The lines of "Network connections" after its label (summary_conn.c). */
void summary_conn_print(struct sum *s, struct buf *b);

/* What a string not kept (log/evlog.h) shows as. */
#define SUMMARY_NOT_KEPT "[not kept]"
/* The bytes of string id escaped for the terminal, "?" when there is none (summary.c). */
void summary_add_str(struct buf *b, const struct evlog *log, uint32_t id);

/* The -c table (summary_sc.c): from the run's rows, else from the log's syscall records. */
void summary_sc_print(struct buf *b, const struct run *r);

#endif
