// SPDX-License-Identifier: MIT
// stk_chain link 0: a separate translation unit so nothing is inlined across the chain.
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int f0(int depth);
int f1(int depth);

int f0(int depth)
{
	return f1(depth + 1) + 1;
}
