// SPDX-License-Identifier: MIT
// Stack-trace tracee: main -> f0 -> f1 -> f2 -> f3 -> openat of a marker path (N times: stk_chain N).
// build: lib_stk_f0.c lib_stk_f1.c lib_stk_f2.c lib_stk_f3.c
#include <stdio.h>
#include <stdlib.h>

int f0(int depth);

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	int r = 0;

	for (int i = 0; i < n; i++)
		r = f0(0);
	printf("stk_chain %d %d\n", n, r);
	return 0;
}
