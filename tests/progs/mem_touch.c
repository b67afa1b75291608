// SPDX-License-Identifier: MIT
/*
 * mem_touch: touch MB megabytes of fresh memory, keep them, and print the
 * process's own VmHWM in bytes ("mem_touch pid=N hwm=BYTES"), the kernel's
 * peak resident set as the process itself sees it.
 * Usage: mem_touch MB [hold FIFO | late]
 *   hold FIFO  after printing, wait until FIFO can be opened and read (for --pid)
 *   late       the leader calls pthread_exit first; a thread touches the
 *              memory afterwards, then the process ends (the peak grows
 *              after the leader's exit stop)
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t mb;

static unsigned long long hwm(void)
{
	char line[256];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/thread-self/status", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmHWM:", 6))
			kb = strtoull(line + 6, NULL, 10);
	fclose(f);
	return kb * 1024;
}

static void touch(void)
{
	char *p = malloc(mb << 20);
	if (!p)
		exit(2);
	for (size_t i = 0; i < mb << 20; i += 4096)
		p[i] = 1;
	printf("mem_touch pid=%d hwm=%llu\n", getpid(), hwm());
	fflush(stdout);
}

static void *late(void *arg)
{
	(void)arg;
	usleep(50000); /* the leader is gone by now (it does nothing but exit) */
	touch();
	exit(0);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	mb = strtoul(argv[1], NULL, 10);
	if (argc > 2 && !strcmp(argv[2], "late")) {
		pthread_t t;
		if (pthread_create(&t, NULL, late, NULL))
			return 2;
		pthread_exit(NULL);
	}
	touch();
	if (argc > 3 && !strcmp(argv[2], "hold")) {
		char c;
		int fd = open(argv[3], O_RDONLY);
		if (fd < 0 || read(fd, &c, 1) < 0)
			return 2;
	}
	return 0;
}
