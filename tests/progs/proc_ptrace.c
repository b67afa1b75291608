/* SPDX-License-Identifier: MIT */
/*
 * proc_ptrace: try PTRACE_ATTACH and PTRACE_SEIZE on the parent (the
 * tracer when launched by compendium) and PTRACE_TRACEME; prints
 * "attach R ERRNO", "seize R ERRNO", "traceme R ERRNO".
 */
#include <errno.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <unistd.h>

int main(void)
{
	pid_t pp = getppid();
	errno = 0;
	long r = ptrace(PTRACE_ATTACH, pp, 0L, 0L);
	printf("attach %ld %d\n", r, errno);
	errno = 0;
	r = ptrace(PTRACE_SEIZE, pp, 0L, 0L);
	printf("seize %ld %d\n", r, errno);
	errno = 0;
	r = ptrace(PTRACE_TRACEME, 0, 0L, 0L);
	printf("traceme %ld %d\n", r, errno);
	return 0;
}
