// SPDX-License-Identifier: MIT
// rep_lanes: a process with two threads and two child processes, each
// opening a file named after itself in the directory argv[1], so a report
// has known lanes: 3 processes and 2 threads.
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *dir;

static void touch(const char *who)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/lane-%s.txt", dir, who);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		if (write(fd, who, 1) < 0)
			_exit(3);
		close(fd);
	}
}

static void *thread_main(void *arg)
{
	touch(arg);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	dir = argv[1];
	pthread_t t[2];
	char *names[2] = {"thread-a", "thread-b"};
	for (int i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, thread_main, names[i]) != 0)
			return 1;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			touch(i ? "child-b" : "child-a");
			_exit(0);
		}
		waitpid(pid, NULL, 0);
	}
	touch("parent");
	return 0;
}
