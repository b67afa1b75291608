/* SPDX-License-Identifier: MIT */
/*
 * proc_clone3: FILE: raw clone3 three ways: plain (exit_signal SIGCHLD,
 * child exits 11), CLONE_VFORK (child exits 12), exit_signal=0 (child
 * exits 13, reaped with __WALL). Writes "plain P", "vfork P", "nosig P".
 */
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t c3(uint64_t flags, int exit_signal)
{
	struct clone_args ca;
	memset(&ca, 0, sizeof(ca));
	ca.flags = flags;
	ca.exit_signal = (uint64_t)exit_signal;
	return (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	FILE *f = fopen(argv[1], "w");
	int st;
	pid_t p = c3(0, SIGCHLD);
	if (p == 0)
		syscall(SYS_exit_group, 11);
	waitpid(p, &st, 0);
	fprintf(f, "plain %d %d\n", p, WEXITSTATUS(st));
	p = c3(CLONE_VFORK, SIGCHLD);
	if (p == 0)
		syscall(SYS_exit_group, 12);
	waitpid(p, &st, 0);
	fprintf(f, "vfork %d %d\n", p, WEXITSTATUS(st));
	p = c3(0, 0);
	if (p == 0)
		syscall(SYS_exit_group, 13);
	waitpid(p, &st, __WALL);
	fprintf(f, "nosig %d %d\n", p, WEXITSTATUS(st));
	fclose(f);
	return 0;
}
