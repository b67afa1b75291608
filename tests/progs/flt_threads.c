// SPDX-License-Identifier: MIT
// Attach target for --faults --pid: starts 3 threads that each wait for a byte on the FIFO given as
// argv[1] (one per thread), then write to 100 fresh anonymous pages and print their range:
//   flt_threads pid=P tid=T start=0x... pages=100
// The main thread joins them and exits. Prints "flt_threads ready pid=P" once all threads wait.
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NTHREADS 3
#define PAGES 100

static int fifo;
static pthread_barrier_t ready;
static pthread_mutex_t out = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	char c;
	(void)arg;
	pthread_barrier_wait(&ready);
	if (read(fifo, &c, 1) != 1)
		return NULL;
	volatile char *p = mmap(NULL, (size_t)PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	for (int i = 0; i < PAGES; i++)
		p[i * 4096] = 1;
	pthread_mutex_lock(&out);
	printf("flt_threads pid=%d tid=%ld start=%p pages=%d\n", getpid(), syscall(SYS_gettid), (void *)p, PAGES);
	fflush(stdout);
	pthread_mutex_unlock(&out);
	return (void *)p;
}

int main(int argc, char **argv)
{
	pthread_t th[NTHREADS];

	if (argc < 2)
		return 2;
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	fifo = open(argv[1], O_RDONLY | O_CLOEXEC); /* blocks until the test opens the writer */
	if (fifo < 0)
		return 3;
	pthread_barrier_init(&ready, NULL, NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++)
		if (pthread_create(&th[i], NULL, worker, NULL))
			return 3;
	pthread_barrier_wait(&ready);
	printf("flt_threads ready pid=%d\n", getpid());
	fflush(stdout);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	return 0;
}
