/* SPDX-License-Identifier: MIT */
/*
 * proc_forkstorm: N W: W workers each fork N/W children that exit at
 * once (storms overlapping); the root prints "children C" (the total the
 * workers reaped, each child's exit code is i % 200).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int n = atoi(argv[1]), w = atoi(argv[2]);
	int per = n / w, total = 0;
	for (int k = 0; k < w; k++) {
		if (fork() == 0) {
			int got = 0;
			for (int i = 0; i < per; i++)
				if (fork() == 0)
					_exit(i % 200);
			while (wait(NULL) > 0)
				got++;
			_exit(got == per ? 0 : 1);
		}
	}
	int st;
	while (wait(&st) > 0)
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			total += per;
	printf("children %d\n", total);
	return 0;
}
