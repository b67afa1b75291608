// SPDX-License-Identifier: MIT
// A small reader for the non-dumpable tests: opens FILE, reads it whole, maps its first page,
// moves 2 bytes through a pipe; prints what it did, one "key value" line each.
// Usage: dec_nodump FILE [nodump]   (nodump: prctl(PR_SET_DUMPABLE, 0) first)
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (argc > 2 && !strcmp(argv[2], "nodump") && prctl(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L) != 0)
		return 3;
	char buf[65536];
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		return 4;
	ssize_t n = read(fd, buf, sizeof(buf));
	void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	int p[2];
	if (pipe(p) != 0 || write(p[1], "xy", 2) != 2 || read(p[0], buf, 2) != 2)
		return 5;
	printf("fd %d\nread %zd\nmapped %d\npipe %d %d\n", fd, n, m != MAP_FAILED, p[0], p[1]);
	return 0;
}
