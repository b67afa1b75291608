/* SPDX-License-Identifier: MIT */
/*
 * proc_sleeper: LOG STOPFILE: a writer thread feeds a pipe every 10 ms;
 * the main thread blocks in read() on it and counts; a third thread
 * sleeps in nanosleep. Any EINTR or signal is written to LOG; every 100
 * reads "reads N" is written. Exits 0 when STOPFILE exists.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static FILE *logf;

static void on_sig(int s)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "signal %d\n", s);
	if (write(fileno(logf), line, (size_t)n) < 0)
		_exit(90);
}

static void *writer(void *a)
{
	(void)a;
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	for (;;) {
		if (nanosleep(&ts, NULL) < 0 && errno == EINTR)
			dprintf(fileno(logf), "EINTR nanosleep writer\n");
		if (write(fds[1], "x", 1) < 0)
			dprintf(fileno(logf), "write error %d\n", errno);
	}
	return NULL;
}

static void *sleeper(void *a)
{
	(void)a;
	struct timespec ts = { 3600, 0 };
	for (;;)
		if (nanosleep(&ts, NULL) < 0)
			dprintf(fileno(logf), "EINTR nanosleep sleeper\n");
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3 || pipe(fds) < 0)
		return 2;
	logf = fopen(argv[1], "w");
	setvbuf(logf, NULL, _IONBF, 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP && s != SIGCONT && s != SIGTSTP && s != SIGCHLD)
			sigaction(s, &sa, NULL);
	pthread_t a, b;
	pthread_create(&a, NULL, writer, NULL);
	pthread_create(&b, NULL, sleeper, NULL);
	fprintf(logf, "ready %d\n", getpid());
	long reads = 0;
	char c;
	for (;;) {
		ssize_t r = read(fds[0], &c, 1);
		if (r < 0) {
			fprintf(logf, "EINTR read %d\n", errno);
			continue;
		}
		if (++reads % 100 == 0) {
			fprintf(logf, "reads %ld\n", reads);
			if (access(argv[2], F_OK) == 0)
				break;
		}
	}
	fprintf(logf, "done\n");
	return 0;
}
