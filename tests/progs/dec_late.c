// SPDX-License-Identifier: MIT
// For --pid tests: opens DIR/pre.txt and chdirs to DIR before being traced,
// prints "ready PID FD", waits until DIR/go exists, then writes 7 bytes to
// the old fd and opens "rel.txt" relative to its cwd.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2 || chdir(argv[1]))
		return 2;
	int fd = open("pre.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	printf("ready %d %d\n", (int)getpid(), fd);
	fflush(stdout);
	struct stat st;
	for (int i = 0; i < 6000 && stat("go", &st) != 0; i++)
		usleep(10000);
	write(fd, "late!\n\n", 7);
	int r = open("rel.txt", O_RDWR | O_CREAT, 0600);
	printf("done %d\n", r);
	return 0;
}
