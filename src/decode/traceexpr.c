/* SPDX-License-Identifier: MIT */
/* traceexpr: -e trace=LIST (classes, syscall names, negation) into a syscall selection. */
#include <errno.h>
#include <linux/audit.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "decode/systab.h"
#include "decode/traceexpr.h"

#define CLASS_LIST "file, network, memory, io, process, signal, ipc, desc"

static const struct {
	const char *name;
	unsigned mask;
} classes[] = {
	{ "file", SYSC(FILE) },       { "network", SYSC(NETWORK) }, { "net", SYSC(NETWORK) },
	{ "memory", SYSC(MEMORY) },   { "io", SYSC(IO) },           { "process", SYSC(PROCESS) },
	{ "signal", SYSC(SIGNAL) },   { "ipc", SYSC(IPC) },         { "desc", SYSC(DESC) },
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

/* Apply one item (without its '!') to s: add, or remove when neg. 0 or -EINVAL. */
static int apply(struct sel *s, const char *item, bool neg)
{
	struct sel one = { { 0 }, 0 };

	if (*item == '%')
		item++;
	if (strcmp(item, "all") == 0) {
		sel_all(&one);
	} else if (strcmp(item, "none") == 0) {
		/* nothing */
	} else {
		size_t i;
		for (i = 0; i < ARRAY_SIZE(classes); i++)
			if (strcmp(item, classes[i].name) == 0)
				break;
		if (i < ARRAY_SIZE(classes)) {
			systab_class_bitmap(classes[i].mask, one.bits);
			one.cats = classes[i].mask;
		} else {
			int nr = systab_lookup(item);
			if (nr < 0)
				return -EINVAL;
			one.bits[nr / 64] |= 1ull << (nr % 64);
		}
	}
	for (int w = 0; w < SC_BITMAP_WORDS; w++)
		s->bits[w] = neg ? s->bits[w] & ~one.bits[w] : s->bits[w] | one.bits[w];
	s->cats = neg ? s->cats & ~one.cats : s->cats | one.cats;
	return 0;
}

int traceexpr_parse(const char *expr, struct trace_sel *sel, struct buf *err)
{
	const char *list = expr;
	const char *eq = strchr(expr, '=');
	struct sel s = { { 0 }, 0 }, all;
	bool group_neg = false;
	int rc = 0;

	if (eq) {
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
		bool neg = false;
		if (*it == '!' && items > 0) {
			neg = true;
			it++;
		}
		items++;
		if (!*it || apply(&s, it, neg) < 0) {
			buf_printf(err, "unknown syscall or class '%s' in -e %s; classes are %s, or all, none",
				   it, expr, CLASS_LIST);
			rc = -EINVAL;
			goto out;
		}
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
	}
	memcpy(sel->bits, s.bits, sizeof(sel->bits));
	sel->cats = s.cats;
	sel->all = memcmp(s.bits, all.bits, sizeof(s.bits)) == 0;
out:
	free(copy);
	return rc;
}
