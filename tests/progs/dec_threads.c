// SPDX-License-Identifier: MIT
// A multi-threaded program with deterministic file I/O for the strace comparison:
// 4 threads each write then read back their own file; a forked child exits 3.
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void *work(void *arg)
{
	long i = (long)arg;
	char name[32], buf[4096];
	snprintf(name, sizeof(name), "t%ld.dat", i);
	memset(buf, 'a' + (int)i, sizeof(buf));
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (long k = 0; k <= i; k++)
		write(fd, buf, 1000);
	lseek(fd, 0, SEEK_SET);
	while (read(fd, buf, 700) > 0)
		;
	close(fd);
	return NULL;
}

int main(void)
{
	pthread_t th[4];
	for (long i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, work, (void *)i);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	if (open("missing.cfg", O_RDONLY) < 0)
		printf("no config\n");
	pid_t c = fork();
	if (c == 0) {
		int fd = open("child.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		write(fd, "child\n", 6);
		_exit(3);
	}
	int st;
	waitpid(c, &st, 0);
	printf("child %d\n", WEXITSTATUS(st));
	return 0;
}
