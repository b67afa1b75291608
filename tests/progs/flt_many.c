// SPDX-License-Identifier: MIT
// Fault-heavy tracee: touches PAGES pages of an anonymous mapping ROUNDS times, dropping them with
// MADV_DONTNEED between rounds, so every touch is a fresh minor fault (flt_many PAGES ROUNDS).
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>

int main(int argc, char **argv)
{
	long pages = argc > 1 ? atol(argv[1]) : 4096;
	long rounds = argc > 2 ? atol(argv[2]) : 10;
	size_t len = (size_t)pages * 4096;

	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 2;
	for (long r = 0; r < rounds; r++) {
		for (long i = 0; i < pages; i++)
			p[i * 4096] = 1;
		madvise((void *)p, len, MADV_DONTNEED);
	}
	printf("flt_many %ld %ld %ld\n", pages, rounds, pages * rounds);
	return 0;
}
