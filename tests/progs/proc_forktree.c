/* SPDX-License-Identifier: MIT */
/*
 * proc_forktree: FILE DEPTH BREADTH CODE: every process below depth DEPTH
 * forks BREADTH children and waits for them; each process appends
 * "pid ppid depth" to FILE; a child at depth d exits with code d, the root
 * with CODE.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int fd;

static void note(int depth)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%d %d %d\n", getpid(), getppid(), depth);
	if (write(fd, line, (size_t)n) != n)
		_exit(99);
}

static void tree(int depth, int maxdepth, int breadth)
{
	note(depth);
	if (depth >= maxdepth)
		return;
	for (int i = 0; i < breadth; i++) {
		pid_t p = fork();
		if (p == 0) {
			tree(depth + 1, maxdepth, breadth);
			_exit(depth + 1);
		}
	}
	while (wait(NULL) > 0)
		;
}

int main(int argc, char **argv)
{
	if (argc < 5)
		return 2;
	fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
	if (fd < 0)
		return 2;
	tree(0, atoi(argv[2]), atoi(argv[3]));
	return atoi(argv[4]);
}
