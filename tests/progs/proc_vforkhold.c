/* SPDX-License-Identifier: MIT */
/* proc_vforkhold: FILE: a vfork child writes its pid to FILE and sleeps 100 s before exec; the parent is held in vfork. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	pid_t p = vfork();
	if (p == 0) {
		char line[32];
		int n = snprintf(line, sizeof(line), "%ld\n", (long)syscall(SYS_getpid));
		int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (write(fd, line, (size_t)n) < 0)
			_exit(3);
		close(fd);
		struct timespec ts = { 100, 0 };
		nanosleep(&ts, NULL);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	return 0;
}
