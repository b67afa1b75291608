/* SPDX-License-Identifier: MIT */
/* proc_untraced: FILE: clone(CLONE_UNTRACED|SIGCHLD); the child exits 4; writes "child P 4". */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	FILE *f = fopen(argv[1], "w");
	fflush(NULL);
	long p = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0L, 0L, 0L, 0L);
	if (p == 0)
		syscall(SYS_exit_group, 4);
	int st;
	waitpid((pid_t)p, &st, 0);
	fprintf(f, "child %ld %d\n", p, WEXITSTATUS(st));
	fclose(f);
	return 0;
}
