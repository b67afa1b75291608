/* SPDX-License-Identifier: MIT */
/* traceexpr: strace's -e expressions (trace=, status=, signal=, quiet=) into selections. */
#include <errno.h>
#include <linux/audit.h>
#include <regex.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "decode/systab.h"
#include "decode/traceexpr.h"
#include "lib/xlat.h"

#define CLASS_LIST                                                                                    \
	"%file, %network, %memory, %io, %process, %signal, %ipc, %desc, %creds, %clock, %stat, %lstat, " \
	"%fstat, %%stat, %statfs, %fstatfs, %%statfs, %pure"

/* Classes; 'bare' ones may be written without '%' (strace's deprecated spelling). */
static const struct {
	const char *name;
	unsigned mask;
	bool bare;
} classes[] = {
	{ "file", SYSC(FILE), true },        { "network", SYSC(NETWORK), true },
	{ "net", SYSC(NETWORK), true },      { "memory", SYSC(MEMORY), true },
	{ "io", SYSC(IO), true },            { "process", SYSC(PROCESS), true },
	{ "signal", SYSC(SIGNAL), true },    { "ipc", SYSC(IPC), true },
	{ "desc", SYSC(DESC), true },        { "creds", SYSX(CREDS), false },
	{ "clock", SYSX(CLOCK), false },     { "stat", SYSX(STAT), false },
	{ "lstat", SYSX(LSTAT), false },     { "fstat", SYSX(FSTAT), false },
	{ "%stat", SYSX(STAT_LIKE), false }, { "statfs", SYSX(STATFS), false },
	{ "fstatfs", SYSX(FSTATFS), false }, { "%statfs", SYSX(STATFS_LIKE), false },
	{ "pure", SYSX(PURE), false },
};

struct sel {
	uint64_t bits[SC_BITMAP_WORDS];
	unsigned cats;
};

static void sel_all(struct sel *s)
{
	memset(s->bits, 0, sizeof(s->bits));
	for (unsigned nr = 0; nr < systab_size(AUDIT_ARCH_X86_64); nr++)
		if (systab_name(AUDIT_ARCH_X86_64, nr))
			s->bits[nr / 64] |= 1ull << (nr % 64);
	s->cats = ~0u;
}

static bool sel_empty(const struct sel *s)
{
	for (int w = 0; w < SC_BITMAP_WORDS; w++)
		if (s->bits[w])
			return false;
	return true;
}

/* The syscalls whose names the POSIX extended regex re matches. 0, or -EINVAL with a message. */
static int regex_sel(const char *re, struct sel *one, const char *expr, struct buf *err)
{
	regex_t rx;
	int rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		char msg[128];
		regerror(rc, &rx, msg, sizeof(msg));
		buf_printf(err, "bad regular expression '/%s' in -e %s: %s (POSIX extended syntax, as strace)",
			   re, expr, msg);
		return -EINVAL;
	}
	for (unsigned nr = 0; nr < systab_size(AUDIT_ARCH_X86_64); nr++) {
		const char *name = systab_name(AUDIT_ARCH_X86_64, nr);
		if (name && regexec(&rx, name, 0, NULL, 0) == 0)
			one->bits[nr / 64] |= 1ull << (nr % 64);
	}
	regfree(&rx);
	return 0;
}

/*
 * What one item (without '!' and '?') selects, into *one: 0, -ENOENT
 * (unknown), -EINVAL (message in err). *unnamed: the item does not name
 * its syscalls (struct trace_sel, 'named'): "all", and the event-category
 * classes (%file ... %desc), whose calls tell themselves through their
 * events and whose other members stay -v's (no stop for them otherwise).
 */
static int item_sel(const char *item, struct sel *one, bool *unnamed, const char *expr, struct buf *err)
{
	bool pct = *item == '%';
	const char *name = pct ? item + 1 : item;

	*unnamed = false;
	if (*item == '/')
		return regex_sel(item + 1, one, expr, err);
	if (strcmp(name, "all") == 0) {
		sel_all(one);
		*unnamed = true;
		return 0;
	}
	if (strcmp(name, "none") == 0)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
		if (strcmp(name, classes[i].name) == 0 && (pct || classes[i].bare)) {
			systab_class_bitmap(classes[i].mask, one->bits);
			one->cats = classes[i].mask & SYSC_ALL;
			*unnamed = one->cats != 0;
			return 0;
		}
	}
	/* "%read" was accepted as read before the new classes: kept */
	int nr = systab_lookup(name);
	if (nr < 0)
		return -ENOENT;
	one->bits[nr / 64] |= 1ull << (nr % 64);
	return 0;
}

int traceexpr_parse(const char *expr, struct trace_sel *sel, struct buf *err)
{
	const char *list = expr;
	const char *eq = strchr(expr, '=');
	struct sel s = { { 0 }, 0 }, all;
	uint64_t named[SC_BITMAP_WORDS] = { 0 };
	bool group_neg = false;
	int rc = 0;

	if (eq && *expr != '/') {
		size_t k = (size_t)(eq - expr);
		if (!((k == 5 && strncmp(expr, "trace", 5) == 0) || (k == 1 && expr[0] == 't'))) {
			buf_printf(err, "-e %.*s=: only -e trace=LIST is supported", (int)k, expr);
			return -EINVAL;
		}
		list = eq + 1;
	}
	if (*list == '!') {
		/* strace: a leading '!' negates the whole list (trace=!read,write) */
		group_neg = true;
		list++;
	}
	char *copy = xstrdup(list), *save = NULL;
	int items = 0;
	for (char *it = strtok_r(copy, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
		bool neg = false, optional = false, unnamed = false;
		if (*it == '!' && items > 0) {
			neg = true;
			it++;
		}
		if (*it == '?') {
			optional = true;
			it++;
		}
		items++;
		struct sel one = { { 0 }, 0 };
		rc = *it ? item_sel(it, &one, &unnamed, expr, err) : -ENOENT;
		if (rc == 0 && *it == '/' && sel_empty(&one))
			rc = -ENOENT;
		if (rc == -ENOENT && optional) {
			rc = 0;
		} else if (rc == -ENOENT) {
			if (*it == '/')
				buf_printf(err, "no syscall matches '%s' in -e %s; write ?%s to allow that", it, expr, it);
			else
				buf_printf(err, "unknown syscall or class '%s' in -e %s; classes are %s, or all, none",
					   it, expr, CLASS_LIST);
			rc = -EINVAL;
		}
		if (rc < 0)
			goto out;
		for (int w = 0; w < SC_BITMAP_WORDS; w++) {
			s.bits[w] = neg ? s.bits[w] & ~one.bits[w] : s.bits[w] | one.bits[w];
			named[w] = neg ? named[w] & ~one.bits[w] : unnamed ? named[w] : named[w] | one.bits[w];
		}
		s.cats = neg ? s.cats & ~one.cats : s.cats | one.cats;
	}
	if (items == 0 || list[strlen(list) - 1] == ',' || strstr(list, ",,")) {
		buf_printf(err, "empty syscall list in -e %s; give classes (%s) or syscall names", expr, CLASS_LIST);
		rc = -EINVAL;
		goto out;
	}
	sel_all(&all);
	if (group_neg) {
		for (int w = 0; w < SC_BITMAP_WORDS; w++)
			s.bits[w] = all.bits[w] & ~s.bits[w];
		s.cats = SYSC_ALL & ~s.cats;
		memset(named, 0, sizeof(named));
	}
	memcpy(sel->bits, s.bits, sizeof(sel->bits));
	memcpy(sel->named, named, sizeof(sel->named));
	sel->cats = s.cats;
	sel->all = memcmp(s.bits, all.bits, sizeof(s.bits)) == 0;
out:
	free(copy);
	return rc;
}

void expr_quals_init(struct expr_quals *q)
{
	q->status = EXPR_ST_ALL;
	q->signals = ~0ull;
	q->quiet = 0;
}

struct word {
	const char *name;
	unsigned bits;
};

/*
 * A strace set "[!]item[,item]..." with all/none: *out gets the bits of the
 * items (of 'full'), complemented by a leading '!'. lookup returns an
 * item's bits or 0 when it is unknown. 0, or -EINVAL with a message.
 */
static int parse_set(const char *qual, const char *list, uint64_t full, uint64_t (*lookup)(const char *, const void *),
		     const void *ctx, const char *known, uint64_t *out, struct buf *err)
{
	bool inv = false;
	uint64_t v = 0;
	int rc = 0;

	while (*list == '!') {
		inv = !inv;
		list++;
	}
	if (!*list || list[strlen(list) - 1] == ',' || strstr(list, ",,")) {
		buf_printf(err, "empty list in -e %s=; give %s", qual, known);
		return -EINVAL;
	}
	char *copy = xstrdup(list), *save = NULL;
	for (char *it = strtok_r(copy, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
		uint64_t bits = strcmp(it, "all") == 0 ? full : strcmp(it, "none") == 0 ? 0 : lookup(it, ctx);
		if (!bits && strcmp(it, "none") != 0) {
			buf_printf(err, "unknown item '%s' in -e %s=%s; give %s", it, qual, list, known);
			rc = -EINVAL;
			break;
		}
		v |= bits;
	}
	free(copy);
	if (rc == 0)
		*out = inv ? full & ~v : v;
	return rc;
}

static uint64_t word_lookup(const char *it, const void *ctx)
{
	const struct word *w = ctx;
	for (; w->name; w++)
		if (strcmp(it, w->name) == 0)
			return w->bits;
	return 0;
}

static uint64_t signal_lookup(const char *it, const void *ctx)
{
	(void)ctx;
	int sig = xlat_signal_lookup(it);
	return sig >= 1 && sig <= 64 ? 1ull << (sig - 1) : 0;
}

/* strace qualifiers compendium does not implement, and what to use instead. */
static const struct {
	const char *names[4];
	const char *what, *hint;
} unsupported[] = {
	{ { "inject" }, "fault injection", "compendium only observes" },
	{ { "fault" }, "fault injection", "compendium only observes" },
	{ { "read", "reads", "r" }, "hex dumps of data read", "-v shows the bytes read (-s sets how many)" },
	{ { "write", "writes", "w" }, "hex dumps of data written", "-v shows the bytes written (-s sets how many)" },
	{ { "kvm" }, "KVM exit reasons", "compendium has no equivalent" },
	{ { "raw", "x" }, "raw arguments", "-v decodes arguments" },
	{ { "abbrev", "a" }, "abbreviation control", "-v prints what compendium decodes" },
	{ { "verbose", "v" }, "structure dereferencing control", "-v prints what compendium decodes" },
	{ { "decode-fds", "decode-fd" }, "fd decoding control", "fds are always named (-yy adds sockets in -v)" },
	{ { "decode-pids", "decode-pid" }, "pid decoding control", "compendium has no equivalent" },
};

int traceexpr_qualify(const char *expr, struct trace_sel *sel, struct expr_quals *q, struct buf *err)
{
	const char *eq = *expr == '/' ? NULL : strchr(expr, '=');
	if (!eq)
		return traceexpr_parse(expr, sel, err);
	size_t k = (size_t)(eq - expr);
	char qual[32];
	if (k >= sizeof(qual)) {
		buf_printf(err, "-e %.*s...: unknown qualifier", 16, expr);
		return -EINVAL;
	}
	memcpy(qual, expr, k);
	qual[k] = '\0';
	const char *list = eq + 1;
	uint64_t v;
	int rc;

	if (!strcmp(qual, "trace") || !strcmp(qual, "t"))
		return traceexpr_parse(expr, sel, err);
	if (!strcmp(qual, "status")) {
		static const struct word w[] = {
			{ "successful", EXPR_ST_SUCCESSFUL }, { "failed", EXPR_ST_FAILED },
			{ "unfinished", EXPR_ST_UNFINISHED }, { "unavailable", EXPR_ST_UNAVAILABLE },
			{ "detached", EXPR_ST_DETACHED },     { NULL, 0 },
		};
		rc = parse_set("status", list, EXPR_ST_ALL, word_lookup, w,
			       "successful, failed, unfinished, unavailable, detached, all or none", &v, err);
		if (rc == 0)
			q->status = (unsigned)v;
		return rc;
	}
	if (!strcmp(qual, "signal") || !strcmp(qual, "signals") || !strcmp(qual, "s")) {
		rc = parse_set(qual, list, ~0ull, signal_lookup, NULL,
			       "signal names (SIGINT or INT), numbers 1-64, all or none", &v, err);
		if (rc == 0)
			q->signals = v;
		return rc;
	}
	if (!strcmp(qual, "quiet") || !strcmp(qual, "silent") || !strcmp(qual, "silence") || !strcmp(qual, "q")) {
		static const struct word w[] = {
			{ "attach", EXPR_QUIET_ATTACH },       { "exit", EXPR_QUIET_EXIT },
			{ "exits", EXPR_QUIET_EXIT },          { "path-resolution", EXPR_QUIET_PATH },
			{ "personality", EXPR_QUIET_PERSONALITY }, { "thread-execve", EXPR_QUIET_EXECVE },
			{ "superseded", EXPR_QUIET_EXECVE },   { NULL, 0 },
		};
		rc = parse_set(qual, list, EXPR_QUIET_ALL, word_lookup, w,
			       "attach, exit, path-resolution, personality, thread-execve, superseded, all or none", &v,
			       err);
		if (rc == 0)
			q->quiet = (unsigned)v;
		return rc;
	}
	for (size_t i = 0; i < ARRAY_SIZE(unsupported); i++)
		for (size_t j = 0; j < ARRAY_SIZE(unsupported[i].names) && unsupported[i].names[j]; j++)
			if (!strcmp(qual, unsupported[i].names[j])) {
				buf_printf(err, "strace's -e %s= (%s) is not supported; %s", qual, unsupported[i].what,
					   unsupported[i].hint);
				return -EINVAL;
			}
	buf_printf(err, "-e %s=: unknown qualifier; compendium takes trace=, status=, signal= and quiet=", qual);
	return -EINVAL;
}

/* strace 6.1 options compendium does not implement: letter or long name, what it does, what to do instead. */
static const struct {
	char ch;
	const char *lng, *what, *hint;
} strace_opts[] = {
	{ 'a', "columns", "-a (result column)", "the narrative does not align results" },
	{ 'A', "output-append-mode", "-A (append to -o FILE)", "-o FILE replaces FILE" },
	{ 'b', "detach-on", "-b (detach on execve)", "compendium follows the whole process tree" },
	{ 'C', NULL, "-C (trace and table)", "-c adds the table to the summary and the narrative stays" },
	{ 'd', "debug", "-d (strace's own debug output)", "compendium has no equivalent" },
	{ 'D', "daemonize", "-D/-DD/-DDD (tracer as a grandchild)", "compendium has no equivalent" },
	{ 'E', "env", "-E (environment changes)", "run the command under env(1): compendium -- env VAR=VAL CMD" },
	{ 'i', "instruction-pointer", "-i (instruction pointer)", "-k records the call stack" },
	{ 'I', "interruptible", "-I (signal blocking policy)", "compendium has no equivalent" },
	{ 'n', "syscall-number", "-n (syscall numbers)", "compendium has no equivalent" },
	{ 'O', "summary-syscall-overhead", "-O (overhead correction for -c)", "compendium has no equivalent" },
	{ 'S', "summary-sort-by", "-S (sort order of -c)", "compendium has no equivalent" },
	{ 'u', "user", "-u (run as another user)", "run the command under setpriv(1) or runuser(1)" },
	{ 'U', "summary-columns", "-U (columns of -c)", "compendium has no equivalent" },
	{ 'w', "summary-wall-clock", "-w (wall-clock time in -c)", "compendium has no equivalent" },
	{ 'X', "const-print-style", "-X (constant print style)", "compendium has no equivalent" },
	{ 'Y', "decode-pids", "-Y (command names of pids)", "compendium has no equivalent" },
	{ 0, "seccomp-bpf", "--seccomp-bpf", "compendium uses a seccomp filter by default (--no-seccomp turns it off)" },
	{ 0, "kvm", "--kvm (KVM exit reasons)", "compendium has no equivalent" },
	{ 0, "inject", "--inject (fault injection)", "compendium only observes" },
	{ 0, "fault", "--fault (fault injection)", "compendium only observes" },
	{ 0, "raw", "--raw (raw arguments)", "-v decodes arguments" },
	{ 0, "read", "--read (hex dumps of data read)", "-v shows the bytes (-s sets how many)" },
	{ 0, "write", "--write (hex dumps of data written)", "-v shows the bytes (-s sets how many)" },
};

const char *strace_unsupported_option(int ch, const char *arg)
{
	static char msg[256];
	size_t len = 0;

	if (!ch && arg && strncmp(arg, "--", 2) == 0) {
		arg += 2;
		len = strcspn(arg, "=");
	}
	for (size_t i = 0; i < ARRAY_SIZE(strace_opts); i++) {
		bool hit = ch ? ch == strace_opts[i].ch
			      : len && strace_opts[i].lng && strlen(strace_opts[i].lng) == len &&
					strncmp(arg, strace_opts[i].lng, len) == 0;
		if (hit) {
			snprintf(msg, sizeof(msg), "strace's %s is not supported; %s", strace_opts[i].what,
				 strace_opts[i].hint);
			return msg;
		}
	}
	return NULL;
}

void trace_sel_name_path_calls(struct trace_sel *s)
{
	for (unsigned nr = 0; nr < SC_BITMAP_WORDS * 64; nr++) {
		const struct sysent *se = systab_get(AUDIT_ARCH_X86_64, nr);
		if (!se || !trace_sel_has(s, nr))
			continue;
		for (unsigned i = 0; i < se->nargs; i++) {
			unsigned type = se->args[i].type;
			if (type == SAT_PATH || type == SAT_FD || type == SAT_DIRFD || type == SAT_CLOSEFD) {
				s->named[nr / 64] |= 1ull << (nr % 64);
				break;
			}
		}
	}
}
