/* SPDX-License-Identifier: MIT */
/*
 * proc_leader_exit: the leader calls pthread_exit while two threads run
 * for a while: one returns after 100 ms, the other calls exit(5) after
 * 300 ms (doc/ENGINE.md, 'Zombie leader').
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void *worker(void *arg)
{
	struct timespec ts = { 0, (arg ? 300 : 100) * 1000 * 1000 };
	nanosleep(&ts, NULL);
	if (arg)
		exit(5);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, worker, NULL);
	pthread_create(&b, NULL, worker, (void *)1);
	pthread_exit(NULL);
}
