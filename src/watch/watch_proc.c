/* SPDX-License-Identifier: MIT */
/* watch_proc: hostile-safe parsing of /proc files and the system-wide counters. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "watch/watch.h"
#include "watch/watch_int.h"

uint64_t pstat_cmd_key(const struct procfs_stat *ps)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < ps->comm_len; i++)
		h = (h ^ (unsigned char)ps->comm[i]) * 1099511628211ull;
	h = (h ^ ps->arg_start) * 1099511628211ull;
	h = (h ^ ps->arg_end) * 1099511628211ull;
	return h;
}

static uint64_t cached_boot;
static long cached_hz;

uint64_t watch_boot_time(void)
{
	if (cached_boot)
		return cached_boot;
	char buf[8192];
	int fd = open("/proc/stat", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = procfs_pread(fd, buf, sizeof(buf));
		close(fd);
		const char *p = n > 0 ? strstr(buf, "\nbtime ") : NULL;
		if (p)
			cached_boot = strtoull(p + 7, NULL, 10);
	}
	return cached_boot;
}

long watch_hz(void)
{
	if (!cached_hz) {
		cached_hz = sysconf(_SC_CLK_TCK);
		if (cached_hz <= 0)
			cached_hz = 100;
	}
	return cached_hz;
}

struct timespec watch_mono_to_real(uint64_t mono)
{
	struct timespec rm, rr;
	clock_gettime(CLOCK_MONOTONIC, &rm);
	clock_gettime(CLOCK_REALTIME, &rr);
	int64_t now_m = (int64_t)rm.tv_sec * 1000000000 + rm.tv_nsec;
	int64_t now_r = (int64_t)rr.tv_sec * 1000000000 + rr.tv_nsec;
	int64_t r = now_r - (now_m - (int64_t)mono);
	return (struct timespec){ .tv_sec = r / 1000000000, .tv_nsec = r % 1000000000 };
}

static uint64_t meminfo_kb(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);
	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

static int32_t psi_some_avg10(int procfd, const char *name)
{
	char buf[512];
	if (procfs_readat(procfd, name, buf, sizeof(buf)) <= 0)
		return -1;
	const char *p = strstr(buf, "some avg10=");
	if (!p)
		return -1;
	return (int32_t)(strtod(p + 11, NULL) * 100 + 0.5);
}

static uint32_t permille(uint64_t part, uint64_t whole)
{
	return whole ? (uint32_t)(part * 1000 / whole) : 0;
}

void sys_read(struct sys_raw *prev, struct sysrec *rec, int procfd)
{
	static char buf[65536];
	struct sys_raw cur = { .valid = true };
	memset(rec, 0, sizeof(*rec));
	ssize_t n = procfs_readat(procfd, "stat", buf, sizeof(buf));
	if (n > 0) {
		char *save = NULL;
		for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (!strncmp(line, "cpu", 3)) {
				unsigned idx;
				char *p = line + 3;
				if (*p == ' ')
					idx = 0;
				else {
					idx = (unsigned)strtoul(p, &p, 10) + 1;
					if (idx > WATCH_MAXCPU)
						continue;
				}
				unsigned long long f[10] = {0};
				for (int i = 0; i < 10; i++)
					f[i] = strtoull(p, &p, 10);
				/* user nice system idle iowait irq softirq steal guest guest_nice */
				uint64_t idle = f[3] + f[4];
				uint64_t total = f[0] + f[1] + f[2] + f[3] + f[4] + f[5] + f[6] + f[7];
				cur.busy[idx] = total - idle;
				cur.total[idx] = total;
				cur.iowait[idx] = f[4];
				if (idx > cur.ncpu)
					cur.ncpu = idx;
			} else if (!strncmp(line, "processes ", 10))
				cur.processes = strtoull(line + 10, NULL, 10);
			else if (!strncmp(line, "procs_running ", 14))
				cur.running = (uint32_t)strtoul(line + 14, NULL, 10);
			else if (!strncmp(line, "procs_blocked ", 14))
				cur.blocked = (uint32_t)strtoul(line + 14, NULL, 10);
		}
	}
	rec->ncpu = (uint16_t)cur.ncpu;
	rec->running = cur.running;
	rec->blocked = cur.blocked;
	if (prev->valid) {
		uint64_t dt = cur.total[0] - prev->total[0];
		/* total is summed over cores: ×ncpu turns the share into "% of one core" */
		rec->cpu_busy10 = permille(cur.busy[0] - prev->busy[0], dt) * cur.ncpu;
		rec->cpu_iowait10 = permille(cur.iowait[0] - prev->iowait[0], dt) * cur.ncpu;
		for (unsigned i = 1; i <= cur.ncpu; i++)
			rec->core_busy10[i - 1] = (uint16_t)permille(cur.busy[i] - prev->busy[i], cur.total[i] - prev->total[i]);
		rec->forks = cur.processes - prev->processes;
	}
	*prev = cur;

	n = procfs_readat(procfd, "meminfo", buf, sizeof(buf));
	if (n > 0) {
		rec->mem_total_kb = meminfo_kb(buf, "MemTotal:");
		rec->mem_avail_kb = meminfo_kb(buf, "MemAvailable:");
		rec->swap_total_kb = meminfo_kb(buf, "SwapTotal:");
		rec->swap_free_kb = meminfo_kb(buf, "SwapFree:");
	}
	rec->psi_cpu100 = psi_some_avg10(procfd, "pressure/cpu");
	rec->psi_io100 = psi_some_avg10(procfd, "pressure/io");
	rec->psi_mem100 = psi_some_avg10(procfd, "pressure/memory");
}
