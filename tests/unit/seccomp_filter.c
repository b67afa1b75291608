// SPDX-License-Identifier: MIT
// Unit tests of the seccomp filter: every number in and out of the bitmap, arg rules, x32, i386, beyond the range, cost, and the kernel's verdict.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "decode/decode.h"
#include "engine/seccomp.h"


#define NBITS (SC_BITMAP_WORDS * 64)
#define X32_BIT 0x40000000u

/*
 * Whether the last bpf_run took only what the kernel's seccomp action cache
 * can evaluate without the call's arguments (seccomp_is_const_allow: loads
 * of nr and arch, constant jumps, returns).
 */
static bool path_const;

/* A classic-BPF interpreter of what seccomp programs may use; counts instructions run. */
static uint32_t bpf_run(const struct sock_filter *p, size_t n, const struct seccomp_data *d, unsigned *steps)
{
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = { 0 };
	const uint8_t *data = (const uint8_t *)d;
	*steps = 0;
	path_const = true;
	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *f = &p[pc];
		(*steps)++;
		if (BPF_CLASS(f->code) != BPF_JMP && BPF_CLASS(f->code) != BPF_RET &&
		    !(f->code == (BPF_LD | BPF_W | BPF_ABS) &&
		      (f->k == offsetof(struct seccomp_data, nr) || f->k == offsetof(struct seccomp_data, arch))))
			path_const = false;
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k + 4 > sizeof(*d) || f->k % 4)
				return 0xdeadbeef;
			memcpy(&A, data + f->k, 4);
			break;
		case BPF_LD | BPF_IMM: A = f->k; break;
		case BPF_LD | BPF_MEM: A = M[f->k % BPF_MEMWORDS]; break;
		case BPF_ST: M[f->k % BPF_MEMWORDS] = A; break;
		case BPF_ALU | BPF_AND | BPF_K: A &= f->k; break;
		case BPF_ALU | BPF_LSH | BPF_X: A = X < 32 ? A << X : 0; break;
		case BPF_MISC | BPF_TAX: X = A; break;
		case BPF_JMP | BPF_JA: pc += f->k; break;
		case BPF_JMP | BPF_JEQ | BPF_K: pc += A == f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGT | BPF_K: pc += A > f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGE | BPF_K: pc += A >= f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JSET | BPF_K: pc += (A & f->k) ? f->jt : f->jf; break;
		case BPF_RET | BPF_K: return f->k;
		default: return 0xbadc0de;
		}
	}
	return 0xfa11; /* ran off the end */
}

static uint32_t verdict(const struct sock_filter *p, size_t n, uint32_t arch, uint32_t nr, uint64_t arg1,
			unsigned *steps)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = arch };
	d.args[1] = arg1;
	unsigned s;
	uint32_t v = bpf_run(p, n, &d, steps ? steps : &s);
	assert_true(v == SECCOMP_TRACE_OURS || v == SECCOMP_RET_ALLOW);
	return v;
}

static bool has(const uint64_t *bm, unsigned nr)
{
	return (bm[nr / 64] >> (nr % 64)) & 1;
}

static unsigned ceil_log2(size_t x)
{
	unsigned l = 0;
	while (((size_t)1 << l) < x)
		l++;
	return l;
}

/* Runs of equal bits below NBITS, plus the traced run beyond when the last is not traced. */
static size_t runs_of(const uint64_t *bm)
{
	size_t r = 1;
	for (unsigned nr = 1; nr < NBITS; nr++)
		r += has(bm, nr) != has(bm, nr - 1);
	return r + !has(bm, NBITS - 1);
}

/* Every number of the bitmap and around it classified right, in about log2(runs) steps. */
static void check_bitmap(const uint64_t *bm)
{
	struct sock_filter *p;
	size_t n = seccomp_build(bm, &p);
	assert_true(n > 0 && n <= BPF_MAXINSNS);
	size_t runs = runs_of(bm);
	/* 4 for arch and nr, one compare per level (two when a BPF_JA carries it), the return */
	unsigned bound = 4 + 2 * ceil_log2(runs) + 1;
	for (uint32_t nr = 0; nr < NBITS; nr++) {
		unsigned steps;
		uint32_t want = has(bm, nr) ? SECCOMP_TRACE_OURS : SECCOMP_RET_ALLOW;
		assert_int_equal(verdict(p, n, AUDIT_ARCH_X86_64, nr, 0, &steps), want);
		assert_true(steps <= bound);
		assert_true(path_const); /* the kernel can cache the verdict: no filter run per call */
		/* the same number with the x32 bit, and as an i386 call: always traced */
		assert_int_equal(verdict(p, n, AUDIT_ARCH_X86_64, nr | X32_BIT, 0, NULL), SECCOMP_TRACE_OURS);
		assert_int_equal(verdict(p, n, AUDIT_ARCH_I386, nr, 0, NULL), SECCOMP_TRACE_OURS);
	}
	static const uint32_t beyond[] = { NBITS, NBITS + 1, NBITS + 100, 0x3fffffff, X32_BIT, 0x7fffffff,
					   0x80000000, 0xfffffffe, 0xffffffff };
	for (unsigned i = 0; i < sizeof(beyond) / sizeof(*beyond); i++)
		assert_int_equal(verdict(p, n, AUDIT_ARCH_X86_64, beyond[i], 0, NULL), SECCOMP_TRACE_OURS);
	/* unknown arches (x32 has its own in seccomp_data only on some kernels) */
	assert_int_equal(verdict(p, n, 0, 0, 0, NULL), SECCOMP_TRACE_OURS);
	assert_int_equal(verdict(p, n, AUDIT_ARCH_AARCH64, 1, 0, NULL), SECCOMP_TRACE_OURS);
	free(p);
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_bitmaps(void **state)
{
	(void)state;
	uint64_t bm[SC_BITMAP_WORDS];
	memset(bm, 0, sizeof(bm));
	check_bitmap(bm); /* nothing: only i386, x32 and bogus numbers */
	memset(bm, 0xff, sizeof(bm));
	check_bitmap(bm); /* everything */
	memset(bm, 0x55, sizeof(bm));
	check_bitmap(bm); /* every other number: the most runs, long jumps through BPF_JA */
	memset(bm, 0xaa, sizeof(bm));
	check_bitmap(bm);
	memset(bm, 0, sizeof(bm));
	bm[0] = 1; /* read alone */
	check_bitmap(bm);
	memset(bm, 0, sizeof(bm));
	bm[SC_BITMAP_WORDS - 1] = 1ull << 63; /* the last number alone */
	check_bitmap(bm);
	for (int i = 0; i < 200; i++) {
		uint64_t dens = next_rand() % 4;
		for (unsigned w = 0; w < SC_BITMAP_WORDS; w++) {
			bm[w] = next_rand();
			for (uint64_t k = 0; k < dens; k++)
				bm[w] &= next_rand(); /* sparser */
		}
		check_bitmap(bm);
	}
}

static void test_arg_rules(void **state)
{
	(void)state;
	uint64_t bm[SC_BITMAP_WORDS] = { 0 };
	unsigned sel[] = { SYS_openat, SYS_close, SYS_fcntl, SYS_dup, SYS_dup2, SYS_execve, SYS_clone3 };
	for (unsigned i = 0; i < sizeof(sel) / sizeof(*sel); i++)
		bm[sel[i] / 64] |= 1ull << (sel[i] % 64);
	struct decode_argrule rules[] = {
		{ .nr = SYS_fcntl, .arg = 1, .nvals = 3, .vals = { F_DUPFD, F_DUPFD_CLOEXEC, F_SETFD } },
		{ .nr = SYS_getpid, .arg = 0, .nvals = 1, .vals = { 7 } }, /* not in the bitmap: ignored */
		{ .nr = NBITS + 3, .arg = 0, .nvals = 1, .vals = { 7 } }, /* out of range: ignored */
		{ .nr = SYS_dup, .arg = 6, .nvals = 1, .vals = { 7 } },    /* no such argument: ignored */
		{ .nr = SYS_dup2, .arg = 0, .nvals = 9, .vals = { 3, 4, 5, 6 } }, /* nvals capped at 4 */
	};
	struct sock_filter *p;
	size_t n = seccomp_build_rules(bm, rules, sizeof(rules) / sizeof(*rules), &p);
	for (uint32_t nr = 0; nr < NBITS; nr++) {
		uint32_t want = has(bm, nr) ? SECCOMP_TRACE_OURS : SECCOMP_RET_ALLOW;
		if (nr == SYS_fcntl || nr == SYS_dup2)
			continue;
		assert_int_equal(verdict(p, n, AUDIT_ARCH_X86_64, nr, F_GETFL, NULL), want);
		assert_true(path_const); /* only the rules' numbers read an argument */
		assert_int_equal(verdict(p, n, AUDIT_ARCH_X86_64, nr, F_SETFD, NULL), want);
	}
	verdict(p, n, AUDIT_ARCH_X86_64, SYS_fcntl, F_GETFL, NULL);
	assert_false(path_const);
	/* fcntl: traced for the listed commands only, by the low 32 bits of the argument */
	for (uint64_t cmd = 0; cmd < 2048; cmd++) {
		bool in = cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_SETFD;
		uint32_t want = in ? SECCOMP_TRACE_OURS : SECCOMP_RET_ALLOW;
		assert_int_equal(verdict(p, n, AUDIT_ARCH_X86_64, SYS_fcntl, cmd, NULL), want);
		assert_int_equal(verdict(p, n, AUDIT_ARCH_X86_64, SYS_fcntl, cmd | 0xabcd00000000ull, NULL), want);
	}
	/* the rule's number with the x32 bit or as i386 stays traced whatever the argument */
	assert_int_equal(verdict(p, n, AUDIT_ARCH_X86_64, SYS_fcntl | X32_BIT, F_GETFL, NULL), SECCOMP_TRACE_OURS);
	assert_int_equal(verdict(p, n, AUDIT_ARCH_I386, SYS_fcntl, F_GETFL, NULL), SECCOMP_TRACE_OURS);
	/* dup2's rule reads argument 0: args[0] is 0 here, not one of its values */
	assert_int_equal(verdict(p, n, AUDIT_ARCH_X86_64, SYS_dup2, 0, NULL), SECCOMP_RET_ALLOW);
	struct seccomp_data d = { .nr = SYS_dup2, .arch = AUDIT_ARCH_X86_64, .args = { 6 } };
	unsigned steps;
	assert_int_equal(bpf_run(p, n, &d, &steps), SECCOMP_TRACE_OURS);
	free(p);
}

/* The kernel takes the worst-case program, and its verdicts are the interpreter's. */
static void test_kernel(void **state)
{
	(void)state;
	uint64_t bm[SC_BITMAP_WORDS];
	memset(bm, 0x55, sizeof(bm)); /* the most runs */
	/* the child's own way out must not be traced: there is no tracer */
	unsigned allow[] = { SYS_exit, SYS_exit_group, SYS_write };
	for (unsigned i = 0; i < 3; i++)
		bm[allow[i] / 64] &= ~(1ull << (allow[i] % 64));
	bm[SYS_getppid / 64] |= 1ull << (SYS_getppid % 64);
	bm[SYS_getpid / 64] &= ~(1ull << (SYS_getpid % 64));
	bm[SYS_fcntl / 64] |= 1ull << (SYS_fcntl % 64);
	struct decode_argrule rule = { .nr = SYS_fcntl, .arg = 1, .nvals = 1, .vals = { F_SETFD } };
	struct sock_filter *p;
	size_t n = seccomp_build_rules(bm, &rule, 1, &p);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		char res[5] = "xxxx";
		if (seccomp_install(p, n) == 0) {
			/* traced without a tracer: ENOSYS; allowed: the real result */
			res[0] = syscall(SYS_getppid) < 0 && errno == ENOSYS ? 'T' : 'A';
			res[1] = syscall(SYS_getpid) < 0 && errno == ENOSYS ? 'T' : 'A';
			res[2] = syscall(SYS_fcntl, 0, F_GETFD) < 0 && errno == ENOSYS ? 'T' : 'A';
			res[3] = syscall(SYS_fcntl, 0, F_SETFD, 0) < 0 && errno == ENOSYS ? 'T' : 'A';
		}
		(void)!write(fds[1], res, 4);
		syscall(SYS_exit_group, 0);
	}
	close(fds[1]);
	char got[5] = { 0 };
	assert_int_equal(read(fds[0], got, 4), 4);
	close(fds[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_string_equal(got, "TAAT"); /* getppid traced, getpid allowed, F_GETFD allowed, F_SETFD traced */
	/* the interpreter agrees */
	assert_int_equal(verdict(p, n, AUDIT_ARCH_X86_64, SYS_getppid, 0, NULL), SECCOMP_TRACE_OURS);
	assert_int_equal(verdict(p, n, AUDIT_ARCH_X86_64, SYS_getpid, 0, NULL), SECCOMP_RET_ALLOW);
	free(p);
}

/* What the bench's -e trace=file,network,process costs dd's read and write: a handful of instructions. */
static void test_cost(void **state)
{
	(void)state;
	uint64_t bm[SC_BITMAP_WORDS] = { 0 };
	struct decode_cfg dc = { .sel.cats = 1 }; /* some selection: what decode_wanted_syscalls adds on its own */
	dc.sel.bits[SYS_openat / 64] |= 1ull << (SYS_openat % 64);
	dc.sel.bits[SYS_connect / 64] |= 1ull << (SYS_connect % 64);
	decode_init(NULL, &dc);
	assert_true(decode_wanted_syscalls(bm));
	struct sock_filter *p;
	size_t n = seccomp_build(bm, &p);
	unsigned steps;
	assert_int_equal(verdict(p, n, AUDIT_ARCH_X86_64, SYS_read, 0, &steps), SECCOMP_RET_ALLOW);
	assert_true(steps <= 4 + ceil_log2(runs_of(bm)) + 1);
	assert_int_equal(verdict(p, n, AUDIT_ARCH_X86_64, SYS_openat, 0, &steps), SECCOMP_TRACE_OURS);
	free(p);
	decode_fini();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bitmaps),
		cmocka_unit_test(test_arg_rules),
		cmocka_unit_test(test_kernel),
		cmocka_unit_test(test_cost),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
