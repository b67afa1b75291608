/* SPDX-License-Identifier: MIT */
/* proc_threads: start N threads (argv[2]), each writes its tid to FILE (argv[1]); exit 0. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static FILE *out;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *run(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	fprintf(out, "thread %ld\n", (long)syscall(SYS_gettid));
	pthread_mutex_unlock(&mu);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int n = atoi(argv[2]);
	out = fopen(argv[1], "w");
	if (!out)
		return 2;
	fprintf(out, "pid %d\n", getpid());
	pthread_t *th = calloc((size_t)n, sizeof(*th));
	for (int i = 0; i < n; i++)
		pthread_create(&th[i], NULL, run, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	fclose(out);
	return 0;
}
