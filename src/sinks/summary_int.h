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

/* One entry of a table: a file, a failure kind, a connection, a signal, a pid... */
struct ent {
	uint64_t key;
	uint64_t a, b, c; /* per-table meaning */
	uint32_t id;      /* a string id to show */
	uint32_t extra;
	bool many;        /* failures: several paths share the directory */
	uint32_t order;   /* creation order: ties sort by first appearance */
	const struct ev *ev; /* connections: the first one stands for all */
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
	unsigned first_child, next_sibling; /* index + 1 */
	bool printed;
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
	struct table files_rd, files_wr;   /* key: path id; a = bytes, b = calls */
	uint64_t hidden_files;
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
	const struct ev **warnings;
	size_t nwarnings;
	uint64_t faults_seen;
};

/* The entry of key, created (zeroed but for key and order) if new. */
struct ent *summary_table_get(struct table *t, uint64_t key);
void summary_table_free(struct table *t);
/* Entries by a descending, then by creation (qsort comparator). */
int summary_by_a_desc(const void *x, const void *y);

/* Walk s->log once and fill s (summary_scan.c). */
void summary_scan(struct sum *s);
/* Free what the scan allocated. */
void summary_sum_free(struct sum *s);

/* A connect, accept or conn event (summary_conn.c). */
void summary_conn_add(struct sum *s, const struct ev *e);
/* The lines of "Network connections" after its label (summary_conn.c). */
void summary_conn_print(struct sum *s, struct buf *b);

/* The -c table (summary_sc.c): from the run's rows, else from the log's syscall records. */
void summary_sc_print(struct buf *b, const struct run *r);

#endif
