// SPDX-License-Identifier: MIT
// Counts the ptrace stops a tracer makes it take: runs one kind of call N
// times and prints "KIND N VCSW", VCSW being the voluntary context switches
// of the loop (each ptrace stop puts the thread to sleep once).
// Kinds: getfl setfd clearfd dupfd close stat open getppid, and dupdir: a directory fd
// moved by F_DUPFD_CLOEXEC (the original closed), then openat relative to it;
// cloexec: /etc/hostname as fd 40 made close-on-exec by F_SETFD, then exec of
// "bench_stops read40 1", which reads fd 40 (EBADF: the exec closed it).
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static long vcsw(void)
{
	struct rusage ru;
	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_nvcsw;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_stops KIND N\n");
		return 2;
	}
	const char *kind = argv[1];
	int n = atoi(argv[2]);
	int fd = open("/dev/null", O_RDONLY);
	struct stat st;
	if (fd < 0)
		return 1;
	if (!strcmp(kind, "cloexec")) {
		int h = open("/etc/hostname", O_RDONLY);
		if (h < 0 || dup2(h, 40) != 40)
			return 1;
		close(h);
		syscall(SYS_fcntl, 40, F_SETFD, FD_CLOEXEC);
		execl("/proc/self/exe", argv[0], "read40", "1", (char *)NULL);
		return 1;
	}
	long before = vcsw();
	for (int i = 0; i < n; i++) {
		if (!strcmp(kind, "getfl")) {
			syscall(SYS_fcntl, fd, F_GETFL);
		} else if (!strcmp(kind, "setfd")) {
			syscall(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC);
		} else if (!strcmp(kind, "clearfd")) {
			syscall(SYS_fcntl, fd, F_SETFD, 0);
		} else if (!strcmp(kind, "dupfd")) {
			int d = (int)syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 10);
			if (d >= 0)
				syscall(SYS_close, d);
		} else if (!strcmp(kind, "close")) {
			syscall(SYS_close, 1000 + i % 16); /* EBADF: nothing open there */
		} else if (!strcmp(kind, "stat")) {
			syscall(SYS_newfstatat, AT_FDCWD, "/", &st, 0);
		} else if (!strcmp(kind, "open")) {
			int d = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
			if (d >= 0)
				syscall(SYS_close, d);
		} else if (!strcmp(kind, "dupdir")) {
			int dir = (int)syscall(SYS_openat, AT_FDCWD, "/usr", O_RDONLY | O_DIRECTORY);
			int moved = (int)syscall(SYS_fcntl, dir, F_DUPFD_CLOEXEC, 20 + i % 3);
			syscall(SYS_close, dir);
			int d = (int)syscall(SYS_openat, moved, "lib", O_RDONLY | O_DIRECTORY);
			syscall(SYS_close, d);
			syscall(SYS_close, moved);
		} else if (!strcmp(kind, "read40")) {
			char c;
			if (read(40, &c, 1) >= 0)
				return 3;
		} else if (!strcmp(kind, "getppid")) {
			syscall(SYS_getppid);
		} else {
			fprintf(stderr, "bench_stops: unknown kind %s\n", kind);
			return 2;
		}
	}
	long after = vcsw();
	printf("%s %d %ld\n", kind, n, after - before);
	return 0;
}
