// SPDX-License-Identifier: MIT
// The floor of a ptrace tracer on this machine: runs a command stopping at
// every syscall entry and exit (PTRACE_SYSCALL), one PTRACE_GET_SYSCALL_INFO
// per stop and nothing else. trace_bench.py times it against compendium.
// Single process only (no fork following): for dd-like workloads.
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: ptrace_floor CMD [ARGS...]\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid == 0) {
		raise(SIGSTOP);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (ptrace(PTRACE_SEIZE, pid, 0L, (void *)(long)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)) < 0) {
		perror("PTRACE_SEIZE");
		return 1;
	}
	unsigned long stops = 0;
	int status, sig = 0;
	for (;;) {
		if (waitpid(pid, &status, __WALL) < 0)
			break;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		sig = 0;
		if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
			struct __ptrace_syscall_info si;
			ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(si), &si);
			stops++;
		} else if (!(status >> 16) && WSTOPSIG(status) != SIGSTOP) {
			sig = WSTOPSIG(status);
		}
		ptrace(PTRACE_SYSCALL, pid, 0L, (void *)(long)sig);
	}
	fprintf(stderr, "ptrace_floor: %lu syscall stops\n", stops);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
