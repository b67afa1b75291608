/* SPDX-License-Identifier: MIT */
/* seccomp: the BPF filter that makes a launched tracee stop only at the syscalls compendium needs. */
#include "seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "decode.h"
#include "options.h"
#include "util.h"

#define X32_BIT 0x40000000u
#define NBITS (SC_BITMAP_WORDS * 64)

static bool bit(const uint64_t *bm, unsigned nr)
{
	return (bm[nr / 64] >> (nr % 64)) & 1;
}

size_t seccomp_build(const uint64_t *bitmap, struct sock_filter **prog)
{
	return seccomp_build_rules(bitmap, NULL, 0, prog);
}

size_t seccomp_build_rules(const uint64_t *bitmap, const struct decode_argrule *rules, size_t nrules,
			   struct sock_filter **prog)
{
	uint64_t bm[SC_BITMAP_WORDS];
	/* Worst case: 5 fixed + 3 per range (at most NBITS/2 ranges) + 2, and each rule. */
	size_t cap = 8 + 3 * (NBITS / 2 + 1), n = 0;
	for (size_t r = 0; r < nrules; r++)
		cap += 4 + ARRAY_SIZE(rules[r].vals);
	struct sock_filter *p = xcalloc(cap, sizeof(*p));

#define EMIT(code, k, jt, jf) (p[n++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf))
	/* [0] arch; i386 (int 0x80) and unknown arches are always traced */
	EMIT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
	EMIT(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	EMIT(BPF_RET | BPF_K, SECCOMP_RET_TRACE, 0, 0);
	/* nr: x32 bit, negative or beyond the bitmap -> traced (bogus numbers are shown) */
	EMIT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
	EMIT(BPF_JMP | BPF_JGE | BPF_K, NBITS, 0, 1);
	EMIT(BPF_RET | BPF_K, SECCOMP_RET_TRACE, 0, 0);
	memcpy(bm, bitmap, sizeof(bm));
	for (size_t r = 0; r < nrules; r++) {
		const struct decode_argrule *ru = &rules[r];
		unsigned nv = ru->nvals < ARRAY_SIZE(ru->vals) ? ru->nvals : (unsigned)ARRAY_SIZE(ru->vals);
		if (ru->nr >= NBITS || ru->arg >= 6 || !bit(bm, ru->nr))
			continue;
		bm[ru->nr / 64] &= ~(1ULL << (ru->nr % 64));
		/* if (nr == rule.nr) return arg's low word in vals ? TRACE : ALLOW; A keeps nr otherwise */
		EMIT(BPF_JMP | BPF_JEQ | BPF_K, ru->nr, 0, (uint8_t)(nv + 3));
		EMIT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args) + 8 * ru->arg, 0, 0);
		for (unsigned j = 0; j < nv; j++)
			EMIT(BPF_JMP | BPF_JEQ | BPF_K, ru->vals[j], (uint8_t)(nv - j), 0);
		EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
		EMIT(BPF_RET | BPF_K, SECCOMP_RET_TRACE, 0, 0);
	}
	for (unsigned lo = 0; lo < NBITS; lo++) {
		if (!bit(bm, lo))
			continue;
		unsigned hi = lo;
		while (hi + 1 < NBITS && bit(bm, hi + 1))
			hi++;
		/* if (nr >= lo && nr <= hi) return TRACE */
		EMIT(BPF_JMP | BPF_JGE | BPF_K, lo, 0, 2);
		EMIT(BPF_JMP | BPF_JGT | BPF_K, hi, 1, 0);
		EMIT(BPF_RET | BPF_K, SECCOMP_RET_TRACE, 0, 0);
		lo = hi;
	}
	EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
#undef EMIT
	*prog = p;
	return n;
}

int seccomp_install(const struct sock_filter *prog, size_t n)
{
	struct sock_fprog fp = { .len = (unsigned short)n, .filter = (struct sock_filter *)prog };

	if (n > BPF_MAXINSNS)
		return -E2BIG;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) == 0)
		return 0;
	if (errno != EACCES)
		return -errno;
	/* unprivileged: the kernel requires no_new_privs */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
		return -errno;
	return 0;
}
