// SPDX-License-Identifier: MIT
// stk_chain link 1: a separate translation unit so nothing is inlined across the chain.
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int f1(int depth);
int f2(int depth);

int f1(int depth)
{
	return f2(depth + 1) + 1;
}
