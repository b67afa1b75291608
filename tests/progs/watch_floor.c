// SPDX-License-Identifier: MIT
// watch_floor SCANS: the cost floor of a /proc scan: list /proc, then open,
// read and close /proc/PID/stat and /proc/PID/statm of every process.
// Prints "procs N scans S cpu_us_per_scan X".
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void slurp(const char *path)
{
	char buf[1024];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	(void)!read(fd, buf, sizeof(buf));
	close(fd);
}

int main(int argc, char **argv)
{
	int scans = argc > 1 ? atoi(argv[1]) : 20;
	long procs = 0;
	double t0 = cpu_us();
	for (int s = 0; s < scans; s++) {
		DIR *d = opendir("/proc");
		struct dirent *de;
		procs = 0;
		while ((de = readdir(d))) {
			if (de->d_name[0] < '1' || de->d_name[0] > '9')
				continue;
			char p[64];
			snprintf(p, sizeof(p), "/proc/%.16s/stat", de->d_name);
			slurp(p);
			snprintf(p, sizeof(p), "/proc/%.16s/statm", de->d_name);
			slurp(p);
			procs++;
		}
		closedir(d);
	}
	printf("procs %ld scans %d cpu_us_per_scan %.1f\n", procs, scans, (cpu_us() - t0) / scans);
	return 0;
}
