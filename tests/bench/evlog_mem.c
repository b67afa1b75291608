// SPDX-License-Identifier: MIT
// Memory per event of the event log for a million events of a realistic mix
// (what a traced build produces: reads/writes, opens, mmaps, closes, execs).
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "log/evlog.h"
#include "lib/util.h"

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	struct evlog *log = evlog_new();
	char path[64];
	uint64_t t0 = now_ns();
	for (long i = 0; i < n; i++) {
		struct ev_draft d;
		int pid = 1000 + (int)(i % 7);
		switch (i % 10) {
		case 0: case 1: case 2: case 3: /* read/write: fd, path, bytes, dur */
			ev_init(&d, i % 2 ? EVT_WRITE : EVT_READ, (uint64_t)i * 1000, pid, pid);
			ev_int(&d, EVK_FD, 3 + i % 5);
			snprintf(path, sizeof(path), "/src/file%ld.c", i % 500);
			ev_cstr(&d, log, EVK_PATH, path);
			ev_uint(&d, EVK_BYTES, 4096);
			ev_dur(&d, 1200);
			break;
		case 4: case 5: /* open: path, fd, access, flags, dur (+err sometimes) */
			ev_init(&d, EVT_OPEN, (uint64_t)i * 1000, pid, pid);
			snprintf(path, sizeof(path), "/usr/include/h%ld.h", i % 3000);
			ev_cstr(&d, log, EVK_PATH, path);
			ev_int(&d, EVK_FD, 3);
			ev_cstr(&d, log, EVK_ACCESS, "r");
			ev_cstr(&d, log, EVK_FLAGS, "O_RDONLY|O_CLOEXEC");
			ev_dur(&d, 3000);
			if (i % 3 == 0)
				ev_err(&d, 2);
			break;
		case 6: /* mmap: addr, len, prot, flags, path, dur */
			ev_init(&d, EVT_MMAP, (uint64_t)i * 1000, pid, pid);
			ev_hex(&d, EVK_ADDR, 0x7f0000000000ULL + (uint64_t)i * 4096);
			ev_uint(&d, EVK_LEN, 8192);
			ev_cstr(&d, log, EVK_PROT, "rw-");
			ev_cstr(&d, log, EVK_FLAGS, "MAP_PRIVATE|MAP_ANONYMOUS");
			ev_dur(&d, 900);
			break;
		case 7: case 8: /* close: fd, path, dur */
			ev_init(&d, EVT_CLOSE, (uint64_t)i * 1000, pid, pid);
			ev_int(&d, EVK_FD, 3);
			snprintf(path, sizeof(path), "/src/file%ld.c", i % 500);
			ev_cstr(&d, log, EVK_PATH, path);
			ev_dur(&d, 500);
			break;
		default: /* a generic syscall line as -v stores it */
			ev_init(&d, EVT_SYSCALL, (uint64_t)i * 1000, pid, pid);
			ev_cstr(&d, log, EVK_NAME, "fstat");
			ev_int(&d, EVK_RET, 0);
			ev_dur(&d, 700);
			break;
		}
		evlog_append(log, &d);
	}
	double secs = (double)(now_ns() - t0) / 1e9;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("evlog: %ld events, %.1f bytes/event in records (limit 100), "
	       "%zu bytes of unique strings, %.0f ns/append, max RSS %.1f MB\n",
	       n, (double)evlog_record_bytes(log) / (double)n, evlog_string_bytes(log),
	       secs * 1e9 / (double)n, ru.ru_maxrss / 1024.0);
	int rc = evlog_record_bytes(log) / (size_t)n <= 100 ? 0 : 1;
	evlog_free(log);
	return rc;
}
