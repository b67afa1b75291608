/* SPDX-License-Identifier: MIT */
/*
 * traceexpr: strace's -e expressions: trace=LIST into a syscall selection,
 * status=, signal= and quiet= into their sets, and one refusal line for the
 * qualifiers compendium does not implement. Plain data; nothing to free.
 */
#ifndef COMPENDIUM_TRACEEXPR_H
#define COMPENDIUM_TRACEEXPR_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/systab.h"
#include "lib/util.h"

/* The syscalls -e trace= selects: when 'all', every one. */
struct trace_sel {
	bool all;
	uint64_t bits[SC_BITMAP_WORDS]; /* x86_64 numbers (traceexpr_parse fills them for "all" too) */
	unsigned cats;                  /* bit per enum ev_cat selected by class */
	/*
	 * The numbers selected explicitly: by a name, a /regex or a
	 * selection-only class (%creds, %clock, %stat...), not by "all", an
	 * event-category class (%file ... %desc: their calls have events) nor
	 * a leading '!' (which selects everything else). A call of this set
	 * that makes no event of its own gets a generic syscall event
	 * (decode/decode.c).
	 */
	uint64_t named[SC_BITMAP_WORDS];
};

/* Whether x86_64 syscall nr is selected. */
static inline bool trace_sel_has(const struct trace_sel *s, unsigned nr)
{
	if (s->all)
		return true;
	if (nr >= SC_BITMAP_WORDS * 64)
		return false;
	return (s->bits[nr / 64] >> (nr % 64)) & 1;
}

/*
 * -P: every selected syscall that takes a path or an fd counts as named, so
 * one without an event of its own (stat, readlink, access...) that touches
 * a -P path gets its generic record, as strace -P shows it.
 */
void trace_sel_name_path_calls(struct trace_sel *s);

/* Whether x86_64 syscall nr was selected explicitly (struct trace_sel, 'named'). */
static inline bool trace_sel_named(const struct trace_sel *s, unsigned nr)
{
	return nr < SC_BITMAP_WORDS * 64 && ((s->named[nr / 64] >> (nr % 64)) & 1);
}

/*
 * Parse "trace=LIST" (or "t=LIST", or "LIST"), as strace 6.1: syscall
 * names, classes (%file ... %desc, also without '%'; %creds, %clock,
 * %stat, %lstat, %fstat, %%stat, %statfs, %fstatfs, %%statfs, %pure),
 * /REGEX (POSIX extended, over syscall names), ?ITEM (no error when ITEM
 * matches nothing), "all", "none", a leading '!' negating the whole list
 * and '!ITEM' removing an item, into *sel (replaced whole: the last -e
 * trace= wins, as in strace). Returns 0, or -EINVAL with one message
 * appended to err (*sel is then unchanged).
 */
int traceexpr_parse(const char *expr, struct trace_sel *sel, struct buf *err);

/* -e status= results (strace's names). */
enum {
	EXPR_ST_SUCCESSFUL = 1u << 0,  /* returned without an error code (-z) */
	EXPR_ST_FAILED = 1u << 1,      /* returned an error code (-Z) */
	EXPR_ST_UNFINISHED = 1u << 2,  /* did not return (exit_group, a thread gone in the call) */
	EXPR_ST_UNAVAILABLE = 1u << 3, /* returned, result unknown: never happens here */
	EXPR_ST_DETACHED = 1u << 4,    /* detached before the return: never recorded here */
	EXPR_ST_ALL = (1u << 5) - 1,
};

/* -e quiet= messages (strace's names). */
enum {
	EXPR_QUIET_ATTACH = 1u << 0,      /* attached / detached lines */
	EXPR_QUIET_EXIT = 1u << 1,        /* exit lines ("exited 0", "killed by SIGTERM") */
	EXPR_QUIET_PATH = 1u << 2,        /* -P's 'Requested path ... resolved into ...' */
	EXPR_QUIET_PERSONALITY = 1u << 3, /* personality changes (compendium prints none) */
	EXPR_QUIET_EXECVE = 1u << 4,      /* a thread superseded by execve in another */
	EXPR_QUIET_ALL = (1u << 5) - 1,
};

/* The qualifiers other than trace=; expr_quals_init sets strace's defaults. */
struct expr_quals {
	unsigned status;  /* EXPR_ST_* shown (default all) */
	uint64_t signals; /* bit N-1 set: signal N shown (default all) */
	unsigned quiet;   /* EXPR_QUIET_* silenced (default none) */
};
void expr_quals_init(struct expr_quals *q);

/* Whether signal sig is in q's -e signal= set. */
static inline bool expr_signal_shown(const struct expr_quals *q, int sig)
{
	return sig < 1 || sig > 64 || ((q->signals >> (sig - 1)) & 1);
}

/*
 * One -e EXPR: trace= (and t=, or no qualifier) into *sel as
 * traceexpr_parse; status=, signal= (signals=, s=), quiet= (silent=,
 * silence=, q=) into *q, each replacing that set (the last one wins, as in
 * strace), each a comma list with a leading '!' negating it, "all" and
 * "none". strace qualifiers compendium does not implement (inject, fault,
 * read, write, kvm, raw, abbrev, verbose, decode-fds, decode-pids) are
 * refused with a line saying so. Returns 0 or -EINVAL with one message in err.
 */
int traceexpr_qualify(const char *expr, struct trace_sel *sel, struct expr_quals *q, struct buf *err);

/*
 * A strace 6.1 option compendium does not implement: by its letter ch, or,
 * when ch is 0, by arg ("--name" or "--name=..."). Returns one line saying
 * so (static storage), or NULL for anything else.
 */
const char *strace_unsupported_option(int ch, const char *arg);

#endif
