/* SPDX-License-Identifier: MIT */
/*
 * tmem: reads from a ptrace-stopped child: partial reads stop at an
 * unmapped page (doc/ENGINE.md, 'Reading tracee memory'), unmapped -> -EFAULT, strings ending at a page end,
 * long multi-page reads, and the same through the PEEKDATA fallback.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "tracee/tmem.h"


#define PG 4096
#define BIG_PAGES 40

/* Filled by the child before it stops. */
struct layout {
	uint64_t edge;   /* a page followed by an unmapped page */
	uint64_t hole;   /* the unmapped page */
	uint64_t big;    /* BIG_PAGES readable pages of a known pattern */
	volatile int ready;
};

static struct layout *L;
static pid_t child;

static int setup(void **state)
{
	(void)state;
	L = mmap(NULL, sizeof(*L), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	child = fork();
	if (child == 0) {
		char *two = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		munmap(two + PG, PG);
		for (int i = 0; i < PG; i++)
			two[i] = (char)('a' + i % 26);
		memcpy(two + 100, "hello\0", 6);
		unsigned char *big = mmap(NULL, BIG_PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (int i = 0; i < BIG_PAGES * PG; i++)
			big[i] = (unsigned char)(i * 7);
		L->edge = (uint64_t)(uintptr_t)two;
		L->hole = (uint64_t)(uintptr_t)(two + PG);
		L->big = (uint64_t)(uintptr_t)big;
		L->ready = 1;
		for (;;)
			pause();
	}
	while (!L->ready)
		usleep(1000);
	int st;
	if (ptrace(PTRACE_SEIZE, child, 0L, 0L) < 0 || ptrace(PTRACE_INTERRUPT, child, 0L, 0L) < 0)
		return -1;
	waitpid(child, &st, __WALL);
	return WIFSTOPPED(st) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	kill(child, SIGKILL);
	waitpid(child, NULL, __WALL);
	return 0;
}

static void reads(bool peek)
{
	char buf[PG * 2];
	int trunc;
	tmem_force_peekdata(peek);

	/* 200 bytes from 96 before the hole: the 96 readable ones */
	ssize_t n = tmem_read(child, L->hole - 96, buf, 200);
	assert_int_equal(n, 96);
	assert_int_equal(buf[0], 'a' + (PG - 96) % 26);
	assert_int_equal(tmem_read(child, L->hole, buf, 16), -EFAULT);
	assert_int_equal(tmem_read(child, 0, buf, 8), -EFAULT);
	assert_int_equal(tmem_read(child, L->edge, buf, 0), 0);

	/* a NUL-terminated string */
	n = tmem_read_str(child, L->edge + 100, buf, 64, &trunc);
	assert_int_equal(n, 5);
	assert_string_equal(buf, "hello");
	assert_int_equal(trunc, 0);
	/* cut at max */
	n = tmem_read_str(child, L->edge, buf, 10, &trunc);
	assert_int_equal(n, 10);
	assert_memory_equal(buf, "abcdefghij", 11);
	assert_int_equal(trunc, 1);
	/* a string running into the hole: partial, marked truncated */
	n = tmem_read_str(child, L->hole - 30, buf, 1000, &trunc);
	assert_int_equal(n, 30);
	assert_int_equal(strlen(buf), 30);
	assert_int_equal(trunc, 1);
	/* not even one byte readable */
	n = tmem_read_str(child, L->hole + 5, buf, 10, &trunc);
	assert_int_equal(n, -EFAULT);

	/* many pages, unaligned start: all of it, byte for byte */
	size_t len = (BIG_PAGES - 1) * PG;
	unsigned char *big = malloc(len);
	n = tmem_read(child, L->big + 123, big, len);
	assert_int_equal(n, (ssize_t)len);
	for (size_t i = 0; i < len; i++)
		if (big[i] != (unsigned char)((i + 123) * 7))
			fail_msg("byte %zu differs", i);
	free(big);
	tmem_force_peekdata(false);
}

static void test_vm_readv(void **state)
{
	(void)state;
	reads(false);
}

static void test_peekdata(void **state)
{
	(void)state;
	reads(true);
}

static void test_no_such_task(void **state)
{
	(void)state;
	char b[8];
	/* a pid that cannot exist */
	assert_true(tmem_read(0x3fffffff, 0x1000, b, sizeof(b)) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_readv),
		cmocka_unit_test(test_peekdata),
		cmocka_unit_test(test_no_such_task),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
