// SPDX-License-Identifier: MIT
// stk_chain link 3: a separate translation unit so nothing is inlined across the chain.
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int f3(int depth);


int f3(int depth)
{
	/* the syscall every stack test looks for: a failing openat of a marker path */
	long r = syscall(SYS_openat, AT_FDCWD, "/nonexistent/stk_chain_marker", O_RDONLY);
	return (int)r + depth;
}
