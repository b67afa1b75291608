/* SPDX-License-Identifier: MIT */
/*
 * proc_execfail: DIR: execve of DIR/missing (ENOENT), DIR/noexec (a
 * non-executable file: EACCES), DIR/text (executable text without #!:
 * ENOEXEC); prints each errno and exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	char p[4096];
	const char *names[] = { "missing", "noexec", "text" };
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s", argv[1], names[i]);
		char *av[] = { p, "arg1", NULL };
		execv(p, av);
		printf("%s %d\n", names[i], errno);
	}
	return 0;
}
