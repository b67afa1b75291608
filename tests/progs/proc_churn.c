/* SPDX-License-Identifier: MIT */
/*
 * proc_churn: LOG STOPFILE: creates and joins short-lived threads without
 * pause (for attaching while threads come and go); writes "rounds N" to
 * LOG every 100 rounds and any error; exits 0 when STOPFILE exists.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *brief(void *a)
{
	return a;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	FILE *log = fopen(argv[1], "w");
	setvbuf(log, NULL, _IONBF, 0);
	for (long r = 1;; r++) {
		pthread_t t[4];
		for (int i = 0; i < 4; i++)
			if (pthread_create(&t[i], NULL, brief, NULL) != 0)
				fprintf(log, "create failed\n");
		for (int i = 0; i < 4; i++)
			pthread_join(t[i], NULL);
		if (r % 100 == 0) {
			fprintf(log, "rounds %ld\n", r);
			if (access(argv[2], F_OK) == 0)
				return 0;
		}
	}
}
