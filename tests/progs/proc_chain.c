/* SPDX-License-Identifier: MIT */
/* proc_chain: DEPTH: each process forks one child and waits, DEPTH levels; the deepest exits 0. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int depth = atoi(argv[1]);
	for (int d = 0; d < depth; d++) {
		pid_t p = fork();
		if (p > 0) {
			int st;
			waitpid(p, &st, 0);
			_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
		}
	}
	return 0;
}
