/* SPDX-License-Identifier: MIT */
/*
 * fmt_flags: a run for strace's output flags (tests/e2e/strace-flags.sh):
 * a thread, a child that exits 3, a write of binary bytes to /dev/null, a
 * 0.2 s nanosleep and a loopback TCP connection (client sends "hi").
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void *thread_main(void *arg)
{
	(void)arg;
	getppid();
	return NULL;
}

int main(void)
{
	pthread_t th;
	if (pthread_create(&th, NULL, thread_main, NULL) || pthread_join(th, NULL))
		return 1;
	pid_t p = fork();
	if (p == 0) {
		getpid();
		_exit(3);
	}
	waitpid(p, NULL, 0);
	static const unsigned char bin[] = {'a', 0, 1, 0x7f, 0x80, 0xc3, 0xa9, 0xff, '\n', 'z', '"', '\\'};
	int fd = open("/dev/null", O_WRONLY);
	if (fd < 0 || write(fd, bin, sizeof(bin)) != (ssize_t)sizeof(bin))
		return 1;
	close(fd);
	nanosleep(&(struct timespec){.tv_sec = 0, .tv_nsec = 200000000}, NULL);

	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || c < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &al) || connect(c, (struct sockaddr *)&a, sizeof(a)))
		return 1;
	int s = accept(l, NULL, NULL);
	char buf[2];
	if (s < 0 || send(c, "hi", 2, 0) != 2 || recv(s, buf, 2, MSG_WAITALL) != 2)
		return 1;
	return 0;
}
