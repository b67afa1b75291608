// SPDX-License-Identifier: MIT
// stk_chain link 2: a separate translation unit so nothing is inlined across the chain.
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int f2(int depth);
int f3(int depth);

int f2(int depth)
{
	return f3(depth + 1) + 1;
}
