/* SPDX-License-Identifier: MIT */
/* proc_exec2: two threads call execve at the same moment (ptrace(2) example); one wins. */
#include <pthread.h>
#include <unistd.h>

static volatile int go;

static void *run(void *arg)
{
	while (!go)
		;
	char *av[] = { "/bin/true", (char *)arg, NULL };
	execv("/bin/true", av);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, run, "thread-a");
	pthread_create(&b, NULL, run, "thread-b");
	go = 1;
	for (;;)
		pause();
}
