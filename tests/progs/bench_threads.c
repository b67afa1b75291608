// SPDX-License-Identifier: MIT
// Benchmark workload: N threads each doing M small syscalls (getppid + write to /dev/null).
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static int iters;
static int devnull;

static void *worker(void *arg)
{
	(void)arg;
	char c = 'x';
	for (int i = 0; i < iters; i++) {
		if (write(devnull, &c, 1) != 1)
			abort();
		getppid();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4;
	iters = argc > 2 ? atoi(argv[2]) : 10000;
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	pthread_t t[64];
	if (n > 64)
		n = 64;
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}
