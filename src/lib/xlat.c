/* SPDX-License-Identifier: MIT */
/* xlat: names of constants from the generated tables, and flag formatters. */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/xlat.h"

#include "xlat_gen.h"

#define OPEN_ACCMODE 03u
#define MAP_TYPE_MASK 0xfu
#define MAP_HUGETLB_BIT 0x40000u
#define MAP_HUGE_SHIFT_ 26
#define MAP_HUGE_MASK_ 0x3fu
#define SOCK_TYPE_MASK 0xfu
#define KSIGRTMIN 32 /* the kernel's; glibc reserves 32 and 33 and calls 34 SIGRTMIN */
#define KSIGRTMAX 64

static const char *const rt_names[] = {
	"SIGRTMIN", "SIGRTMIN+1", "SIGRTMIN+2", "SIGRTMIN+3", "SIGRTMIN+4", "SIGRTMIN+5",
	"SIGRTMIN+6", "SIGRTMIN+7", "SIGRTMIN+8", "SIGRTMIN+9", "SIGRTMIN+10", "SIGRTMIN+11",
	"SIGRTMIN+12", "SIGRTMIN+13", "SIGRTMIN+14", "SIGRTMIN+15", "SIGRTMIN+16", "SIGRTMIN+17",
	"SIGRTMIN+18", "SIGRTMIN+19", "SIGRTMIN+20", "SIGRTMIN+21", "SIGRTMIN+22", "SIGRTMIN+23",
	"SIGRTMIN+24", "SIGRTMIN+25", "SIGRTMIN+26", "SIGRTMIN+27", "SIGRTMIN+28", "SIGRTMIN+29",
	"SIGRTMIN+30", "SIGRTMIN+31", "SIGRTMIN+32",
};
_Static_assert(sizeof(rt_names) / sizeof(rt_names[0]) == KSIGRTMAX - KSIGRTMIN + 1, "rt_names");

static const struct xlat_ent *find(const struct xlat *x, int64_t val)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->e[i].val == val)
			return &x->e[i];
	return NULL;
}

const char *xlat_name(const struct xlat *x, int64_t val)
{
	const struct xlat_ent *e = find(x, val);
	return e ? e->name : NULL;
}

int64_t xlat_value(const struct xlat *x, const char *name, int *found)
{
	for (size_t i = 0; i < x->n; i++) {
		if (strcmp(x->e[i].name, name) == 0) {
			*found = 1;
			return x->e[i].val;
		}
	}
	*found = 0;
	return 0;
}

const char *xlat_errno_name(int err)
{
	return xlat_name(&xt_errno, err);
}

const char *xlat_errno_text(int err)
{
	const struct xlat_ent *e = find(&xt_errno, err);
	return e ? e->text : NULL;
}

int xlat_errno_lookup(const char *name)
{
	int found;
	int64_t v = xlat_value(&xt_errno, name, &found);
	return found ? (int)v : -1;
}

const char *xlat_signal_name(int sig)
{
	if (sig >= KSIGRTMIN && sig <= KSIGRTMAX)
		return rt_names[sig - KSIGRTMIN];
	return xlat_name(&xt_signals, sig);
}

const char *xlat_errno_label(int err, char tmp[XLAT_LABEL_MAX])
{
	const char *n = xlat_errno_name(err);
	if (n)
		return n;
	snprintf(tmp, XLAT_LABEL_MAX, "E%d", err);
	return tmp;
}

const char *xlat_signal_label(int sig, char tmp[XLAT_LABEL_MAX])
{
	const char *n = xlat_signal_name(sig);
	if (n)
		return n;
	snprintf(tmp, XLAT_LABEL_MAX, "SIG%d", sig);
	return tmp;
}

int xlat_signal_lookup(const char *name)
{
	long long v;

	if (!name || !*name)
		return -1;
	if (parse_ll(name, 1, KSIGRTMAX, &v) == 0)
		return (int)v;
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	if (strncasecmp(name, "RTMIN", 5) == 0) {
		if (name[5] == '\0')
			return KSIGRTMIN;
		if (name[5] == '+' && parse_ll(name + 6, 0, KSIGRTMAX - KSIGRTMIN, &v) == 0)
			return KSIGRTMIN + (int)v;
		return -1;
	}
	if (strcasecmp(name, "RTMAX") == 0)
		return KSIGRTMAX;
	for (size_t i = 0; i < xt_signals.n; i++)
		if (strcasecmp(xt_signals.e[i].name + 3, name) == 0)
			return (int)xt_signals.e[i].val;
	if (strcasecmp(name, "POLL") == 0) /* SIGPOLL is SIGIO */
		return xlat_signal_lookup("SIGIO");
	return -1;
}

int xlat_flags(struct buf *out, const struct xlat *x, uint64_t val)
{
	int terms = 0;

	for (size_t i = 0; i < x->n && val; i++) {
		uint64_t m = (uint64_t)x->e[i].val;
		if (m && (val & m) == m) {
			if (terms++)
				buf_addc(out, '|');
			buf_adds(out, x->e[i].name);
			val &= ~m;
		}
	}
	if (val || !terms) {
		if (terms++)
			buf_addc(out, '|');
		buf_printf(out, val ? "%#llx" : "0", (unsigned long long)val);
	}
	return terms;
}

void xlat_enum(struct buf *out, const struct xlat *x, int64_t val, int hex)
{
	const char *n = xlat_name(x, val);
	if (n)
		buf_adds(out, n);
	else if (hex)
		buf_printf(out, "%#llx", (unsigned long long)val);
	else
		buf_printf(out, "%lld", (long long)val);
}

void xlat_open_flags_str(struct buf *out, uint64_t flags)
{
	xlat_enum(out, &xt_open_access, (int64_t)(flags & OPEN_ACCMODE), 1);
	flags &= ~(uint64_t)OPEN_ACCMODE;
	if (flags) {
		buf_addc(out, '|');
		xlat_flags(out, &xt_open_flags, flags);
	}
}

const char *xlat_open_access(uint64_t flags)
{
	switch (flags & OPEN_ACCMODE) {
	case 0:
		return "r";
	case 1:
		return "w";
	default:
		return "rw";
	}
}

const char *xlat_prot_str(uint64_t prot)
{
	static const char *const s[] = { "---", "r--", "-w-", "rw-", "--x", "r-x", "-wx", "rwx" };
	return s[prot & 7];
}

void xlat_prot_flags(struct buf *out, uint64_t prot)
{
	if (prot == 0)
		buf_adds(out, "PROT_NONE");
	else
		xlat_flags(out, &xt_prot, prot);
}

void xlat_mmap_flags(struct buf *out, uint64_t flags)
{
	uint64_t huge = 0;

	xlat_enum(out, &xt_mmap_type, (int64_t)(flags & MAP_TYPE_MASK), 1);
	flags &= ~(uint64_t)MAP_TYPE_MASK;
	if (flags & MAP_HUGETLB_BIT) {
		huge = (flags >> MAP_HUGE_SHIFT_) & MAP_HUGE_MASK_;
		flags &= ~((uint64_t)MAP_HUGE_MASK_ << MAP_HUGE_SHIFT_);
	}
	if (flags) {
		buf_addc(out, '|');
		xlat_flags(out, &xt_mmap_flags, flags);
	}
	if (huge) {
		static const char *const unit[] = { "B", "KB", "MB", "GB", "TB", "PB", "EB" };
		buf_printf(out, "|MAP_HUGE_%llu%s", 1ull << (huge % 10), unit[huge / 10]);
	}
}

const char *xlat_sockfamily(int family)
{
	return xlat_name(&xt_sock_family, family);
}

void xlat_socktype(struct buf *out, uint64_t type)
{
	xlat_enum(out, &xt_sock_type, (int64_t)(type & SOCK_TYPE_MASK), 0);
	type &= ~(uint64_t)SOCK_TYPE_MASK;
	if (type) {
		buf_addc(out, '|');
		xlat_flags(out, &xt_sock_flags, type);
	}
}

const char *xlat_fcntl_cmd(int cmd)
{
	return xlat_name(&xt_fcntl_cmd, cmd);
}

const char *xlat_sicode(int sig, int code)
{
	const struct xlat *x = NULL;

	/* Codes <= 0 and SI_KERNEL mean the same for every signal. */
	if (code <= 0 || code == 0x80)
		return xlat_name(&xt_sicode_generic, code);
	switch (sig) {
	case 4: x = &xt_sicode_ill; break;
	case 8: x = &xt_sicode_fpe; break;
	case 11: x = &xt_sicode_segv; break;
	case 7: x = &xt_sicode_bus; break;
	case 5: x = &xt_sicode_trap; break;
	case 17: x = &xt_sicode_chld; break;
	case 29: x = &xt_sicode_poll; break;
	case 31: x = &xt_sicode_sys; break;
	default: return NULL;
	}
	return xlat_name(x, code);
}

void xlat_clone_flags(struct buf *out, uint64_t flags)
{
	int sig = (int)(flags & 0xff);
	int terms = 0;

	flags &= ~(uint64_t)0xff;
	if (flags)
		terms = xlat_flags(out, &xt_clone_flags, flags);
	if (sig || !terms) {
		const char *n = xlat_signal_name(sig);
		if (terms)
			buf_addc(out, '|');
		if (n)
			buf_adds(out, n);
		else
			buf_printf(out, "%d", sig);
	}
}
