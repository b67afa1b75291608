// SPDX-License-Identifier: MIT
// A shared library for stk_dlopen, built by tests/e2e/stack-dlopen.sh twice with -DSTKDL_FN=stkdl_a
// and -DSTKDL_FN=stkdl_b (same code, same size: the second is likely mapped where the first was).
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef STKDL_FN
#define STKDL_FN stkdl_x
#endif

int STKDL_FN(void);

int STKDL_FN(void)
{
	/* the call the test takes a stack at: a failing openat of a marker path */
	long r = syscall(SYS_openat, AT_FDCWD, "/nonexistent/stk_dlopen_marker", O_RDONLY);
	return (int)r;
}
