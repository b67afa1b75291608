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
};

/*
 * Subscribe to r->log and narrate to fd (borrowed): one line per event,
 * "[+0.002s] " then a pid column ("pid" or "pid/tid" for a thread) once a
 * second process or any thread has been seen. Every tracee byte goes
 * through termesc. Consecutive successful read/write/send/recv of one task
 * on one fd and object coalesce into "read PATH 3x 12.0 KB". Hidden: events
 * flagged EVFL_NOISE (unless cfg->no_filter), close/socket unless failed,
 * relro mprotect (unless cfg->no_filter), no-op brk, samples and counters.
 * Routine work (the record's fold kind, log/evlog.h) is told in one line
 * per process unless cfg->verbose or cfg->no_filter: "memory: 14 anonymous
 * maps +3.2 MB, brk +132 KB" per program and per second of its activity
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
/* Flush the pending coalesced line and the buffer; the narrator goes silent. */
void live_finish(struct live *l);

#endif
