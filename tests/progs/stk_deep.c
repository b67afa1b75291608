// SPDX-License-Identifier: MIT
// Stack benchmark tracee: a failing openat under N recursive frames, repeated M times (stk_deep N M).
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int stk_rec(int n);

int stk_rec(int n)
{
	if (n <= 0)
		return (int)syscall(SYS_openat, AT_FDCWD, "/nonexistent/stk_deep_marker", O_RDONLY) < 0;
	return stk_rec(n - 1) + 1;
}

int main(int argc, char **argv)
{
	int depth = argc > 1 ? atoi(argv[1]) : 5;
	int reps = argc > 2 ? atoi(argv[2]) : 1;
	int r = 0;

	for (int i = 0; i < reps; i++)
		r += stk_rec(depth);
	printf("stk_deep %d %d %d\n", depth, reps, r);
	return 0;
}
