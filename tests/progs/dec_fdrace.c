// SPDX-License-Identifier: MIT
// Threads that share one fd table open, write and close their own files in
// a tight loop, so a number one thread closes is handed to another's open
// at once. Thread i writes i+1 bytes per round to fdrace_i.dat: each file's
// total is known (decode-fdrace.sh checks compendium names every write).
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 300

static void *work(void *arg)
{
	long i = (long)arg;
	char name[32], buf[THREADS];
	snprintf(name, sizeof(name), "fdrace_%ld.dat", i);
	memset(buf, 'a' + (int)i, sizeof(buf));
	for (int r = 0; r < ROUNDS; r++) {
		int fd = open(name, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd < 0)
			return NULL;
		if (write(fd, buf, (size_t)i + 1) < 0)
			break;
		close(fd);
	}
	return NULL;
}

int main(void)
{
	pthread_t th[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, work, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	return 0;
}
