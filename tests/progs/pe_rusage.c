// SPDX-License-Identifier: MIT
/*
 * pe_rusage: run a command and print its tree's voluntary context
 * switches to stderr ("nvcsw N"). Under a tracer every ptrace stop is one
 * voluntary switch of the tracee, so this counts stops. Also "maxrss N":
 * the peak resident size in kB of the largest process of the tree (a
 * tracer and its tracees: the tracer's when it is the largest), measured
 * from this small process rather than from a big interpreter whose size
 * a fork child keeps as its peak. Usage: pe_rusage CMD ARGS...
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return 2;
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	fprintf(stderr, "nvcsw %ld\nmaxrss %ld\n", ru.ru_nvcsw, ru.ru_maxrss);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
