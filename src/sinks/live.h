/* SPDX-License-Identifier: MIT */
/* live: the human-readable narrative while tracing (stderr or -o FILE). */
#ifndef COMPENDIUM_LIVE_H
#define COMPENDIUM_LIVE_H

#include <stdbool.h>

#include "log/run.h"

struct live;

/* What the narrator shows; main.c fills it from the options. */
struct live_cfg {
	bool verbose;   /* -v: syscall records strace-like instead of semantic lines */
	bool no_filter; /* --no-filter: show noise too */
	bool quiet;     /* -q: narrate nothing */
	bool quiet_attach; /* -e quiet=attach: no attached/detached lines */
	bool quiet_exit;   /* -e quiet=exit: no exit lines */
	bool color;     /* ANSI colours */
	int strsize;    /* -s: bytes of an argument shown (0 or less: all) */
	/*
	 * The stamp: 0 is "[+0.000123s] " (time since the start); -t 1
	 * "HH:MM:SS ", -tt 2 "HH:MM:SS.uuuuuu ", -ttt 3 "SSSSSSSSSS.uuuuuu "
	 * (the log's start realtime plus the event's time: one clock); with
	 * relstamp (-r) strace's "     0.000123 ", the time since the previous
	 * line (0 for the first; a line stamped earlier than the one before it
	 * shows 0 and the next delta counts from the latest stamp, so the deltas
	 * add up to the span of the run), "(+     0.000123) " after a -t stamp.
	 * These strace stamps follow the pid column, as strace puts them.
	 */
	int tstamp;
	bool relstamp;
	bool call_times; /* -T: narrative lines end with the time in the call, summed when coalesced */
	/* -ff -o FILE: one narrative file per thread, FILE.TID, no pid column (fd unused) */
	const char *ff_path;
	/*
	 * "-o FILE": the narrative is written by a thread of its own
	 * (lib/outq.h) and its failures are said under this name; NULL (stderr):
	 * written by the caller's thread, in order with compendium's messages
	 */
	const char *out_label;
};

/*
 * Subscribe to r->log and narrate to fd (borrowed): one line per event,
 * "[+0.002123s] " (or cfg's stamp) then a pid column ("pid" or "pid/tid" for a thread) once a
 * second process or any thread has been seen. Every tracee byte goes
 * through termesc. Consecutive successful read/write/send/recv of one task
 * on one fd and object coalesce into "read PATH 3x 12.0 KiB". Hidden: events
 * flagged EVFL_NOISE (unless cfg->no_filter), close/socket unless failed,
 * relro mprotect (unless cfg->no_filter), no-op brk, samples and counters.
 * Routine work (the record's fold kind, log/evlog.h) is told in one line
 * per process unless cfg->verbose or cfg->no_filter: "memory: 14 anonymous
 * maps +3.2 MiB, brk +132 KiB" per program and per second of its activity
 * (told at its next exec, exit or a second later, with the time it began),
 * "probed 28 locale files (13 not found)" per burst and "PATH search: 9
 * directories before /usr/bin/bash" (or "NAME not found in N directories"),
 * told before the process's next narrated line;
 * with cfg->verbose the syscall records are shown strace-like instead of
 * the per-syscall semantic lines. With -k an event's stack follows it, one
 * indented line per frame (such events never coalesce). A crash is one line
 * when it happens and is told in full (registers, disassembly, stack) at
 * live_finish. Colour only with cfg->color. Output is
 * flushed at every line on a tty, else at 64 KiB, every 200 ms of log time
 * and at live_finish.
 */
struct live *live_new(struct run *r, int fd, const struct live_cfg *cfg);
/*
 * Flush the pending coalesced line and the buffer; the narrator goes
 * silent. Returns 0, or -1 if any of the narrative could not be written
 * (said on stderr, one line per output).
 */
int live_finish(struct live *l);

#endif
