/* SPDX-License-Identifier: MIT */
/*
 * proc_nlexec: FILE: 8 threads spin while thread 3 execs /bin/true ARGS
 * (a non-leader execve, doc/ENGINE.md, 'Exec from a non-leader thread'). Writes "pid P" and "exec T" (the
 * execing thread's tid) to FILE first.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int go;
static const char *path;

static void *spin(void *arg)
{
	long idx = (long)arg;
	while (!go)
		;
	if (idx == 3) {
		FILE *f = fopen(path, "a");
		fprintf(f, "exec %ld\n", (long)syscall(SYS_gettid));
		fclose(f);
		char *av[] = { "/bin/true", "from-thread-3", NULL };
		execv("/bin/true", av);
		_exit(98);
	}
	for (;;)
		;
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	path = argv[1];
	FILE *f = fopen(path, "w");
	fprintf(f, "pid %d\n", getpid());
	fclose(f);
	pthread_t th[9];
	for (long i = 1; i <= 8; i++)
		pthread_create(&th[i], NULL, spin, (void *)i);
	go = 1;
	for (;;)
		pause();
}
