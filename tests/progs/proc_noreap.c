// SPDX-License-Identifier: MIT
// proc_noreap CMD [ARGS...]: run CMD as a child, wait until it has exited
// without reaping it (waitid WNOWAIT), then exit: the child's zombie is left
// to the reaper it moves to, so its CPU time is in no traced process's
// rusage (engine-cpu.sh checks compendium still counts it, once).
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	pid_t c = fork();
	if (c < 0)
		return 1;
	if (c == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	siginfo_t si;
	if (waitid(P_PID, (id_t)c, &si, WEXITED | WNOWAIT) < 0)
		return 1;
	return 0;
}
