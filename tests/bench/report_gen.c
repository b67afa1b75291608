/* SPDX-License-Identifier: MIT */
/*
 * report_gen: build a synthetic event log of N events (a mix like a real
 * trace: processes, threads, file and network I/O, memory, failures,
 * counters, a crash) and time report_write() on it. Used by
 * tests/bench/report_bench.sh; links with every src object except main.o.
 * Usage: report_gen N OUT.html
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/evlog.h"
#include "sinks/report.h"
#include "log/run.h"
#include "lib/util.h"


int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: report_gen N OUT.html\n");
		return 2;
	}
	long n = atol(argv[1]);
	struct run r = {0};
	r.log = evlog_new();
	r.mode = "trace";
	char *cmd[] = {"make", "-j2", "--token=hunter2", NULL};
	r.argv = cmd;
	r.argc = 3;
	r.host = "bench-host";
	r.kernel = "6.18.0";
	r.root_pid = 1000;
	r.end = RUN_EXITED;
	struct evlog *log = r.log;
	struct ev_draft d;
	uint64_t t = 0;
	uint64_t seed = 88172645463325252ull;
	const int pids[] = {1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007};
	for (int p = 0; p < 8; p++) {
		ev_init(&d, EVT_EXEC, t, pids[p], pids[p]);
		ev_cstr(&d, log, EVK_PATH, p ? "/usr/bin/cc1" : "/usr/bin/make");
		evlog_append(log, &d);
		t += 1000;
	}
	char path[128];
	for (long i = 0; i < n; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		unsigned rnd = (unsigned)(seed >> 20);
		int pid = pids[rnd % 8];
		int tid = rnd % 5 == 0 ? pid + 100 : pid;
		t += 200 + rnd % 3000;
		unsigned kind = (rnd >> 4) % 10;
		snprintf(path, sizeof(path), "/usr/include/x86_64-linux-gnu/bits/file%u.h", (rnd >> 8) % 2000);
		switch (kind) {
		case 0:
			ev_init(&d, EVT_OPEN, t, pid, tid);
			ev_cstr(&d, log, EVK_PATH, path);
			ev_int(&d, EVK_FD, 3 + rnd % 20);
			if (rnd % 7 == 0)
				ev_err(&d, 2);
			break;
		case 1: case 2: case 3:
			ev_init(&d, EVT_READ, t, pid, tid);
			ev_int(&d, EVK_FD, 3 + rnd % 20);
			ev_cstr(&d, log, EVK_PATH, path);
			ev_uint(&d, EVK_BYTES, rnd % 65536);
			ev_dur(&d, rnd % 50000);
			break;
		case 4: case 5:
			ev_init(&d, EVT_WRITE, t, pid, tid);
			ev_int(&d, EVK_FD, 1);
			ev_uint(&d, EVK_BYTES, rnd % 4096);
			ev_dur(&d, rnd % 20000);
			break;
		case 6:
			ev_init(&d, EVT_CLOSE, t, pid, tid);
			ev_int(&d, EVK_FD, 3 + rnd % 20);
			break;
		case 7:
			ev_init(&d, EVT_MMAP, t, pid, tid);
			ev_hex(&d, EVK_ADDR, 0x7f0000000000ull + (uint64_t)rnd * 4096);
			ev_uint(&d, EVK_LEN, (1 + rnd % 64) * 4096);
			break;
		case 8:
			ev_init(&d, rnd % 2 ? EVT_SEND : EVT_RECV, t, pid, tid);
			ev_int(&d, EVK_FD, 5);
			ev_cstr(&d, log, EVK_PEER, "127.0.0.1:8080");
			ev_uint(&d, EVK_BYTES, rnd % 1500);
			ev_dur(&d, rnd % 100000);
			break;
		default:
			ev_init(&d, EVT_COUNTER, t, pid, pid);
			ev_uint(&d, EVK_RSS, 10000000 + (uint64_t)(rnd % 1000) * 4096 + (uint64_t)i * 64);
			ev_uint(&d, EVK_FAULTS, (uint64_t)i);
			break;
		}
		evlog_append(log, &d);
	}
	for (int p = 0; p < 8; p++) {
		ev_init(&d, EVT_EXIT, t, pids[p], pids[p]);
		ev_int(&d, EVK_CODE, 0);
		evlog_append(log, &d);
	}
	r.t_end = t;
	uint64_t t0 = now_ns();
	int rc = report_write(&r, argv[2], &(struct report_cfg){.mode = 0600});
	uint64_t t1 = now_ns();
	printf("events %llu render_ms %.1f\n", (unsigned long long)evlog_count(log), (double)(t1 - t0) / 1e6);
	evlog_free(log);
	return rc < 0;
}
