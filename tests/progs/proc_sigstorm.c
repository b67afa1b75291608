/* SPDX-License-Identifier: MIT */
/*
 * proc_sigstorm: N restart|norestart: a child sends N SIGUSR1 to this
 * process, one at a time (each acknowledged by the handler), while it
 * blocks in read(); prints "handled H eintr E sender S".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t handled;
static int ack[2];

static void on_usr1(int s)
{
	(void)s;
	handled++;
	char c = 'a';
	if (write(ack[1], &c, 1) != 1)
		_exit(90);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int n = atoi(argv[1]);
	int data[2];
	if (pipe(ack) < 0 || pipe(data) < 0)
		return 2;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = strcmp(argv[2], "restart") == 0 ? SA_RESTART : 0;
	sigaction(SIGUSR1, &sa, NULL);
	pid_t parent = getpid();
	pid_t c = fork();
	if (c == 0) {
		char x;
		for (int i = 0; i < n; i++) {
			kill(parent, SIGUSR1);
			if (read(ack[0], &x, 1) != 1)
				_exit(91);
		}
		if (write(data[1], "x", 1) != 1)
			_exit(92);
		_exit(0);
	}
	int eintr = 0;
	char x;
	for (;;) {
		ssize_t r = read(data[0], &x, 1);
		if (r == 1)
			break;
		if (r < 0 && errno == EINTR) {
			eintr++;
			continue;
		}
		return 3;
	}
	waitpid(c, NULL, 0);
	printf("handled %d eintr %d sender %d\n", (int)handled, eintr, c);
	return 0;
}
