// SPDX-License-Identifier: MIT
// stack_bench helper: stops progs/stk_deep DEPTH at its marker openat and times REPS calls of
// unwind_attach_stack (warm caches) plus the first one (cold): "frames cold_us warm_us".
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log/evlog.h"
#include "forensics/unwind.h"
#include "lib/util.h"


static bool marker(pid_t pid, uint64_t addr)
{
	const char want[] = "/nonexistent/stk_deep_marker";
	char got[(sizeof(want) + 7) / 8 * 8];
	for (size_t i = 0; i < sizeof(want); i += 8) {
		errno = 0;
		long w = ptrace(PTRACE_PEEKDATA, pid, addr + i, 0);
		if (errno)
			return false;
		memcpy(got + i, &w, 8);
	}
	return memcmp(got, want, sizeof(want)) == 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: stack_unwind STK_DEEP DEPTH REPS\n");
		return 2;
	}
	int reps = atoi(argv[3]), st;
	pid_t pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		execl(argv[1], argv[1], argv[2], "1", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
	for (;;) {
		struct user_regs_struct r;
		if (ptrace(PTRACE_SYSCALL, pid, 0, 0) < 0 || waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
			return 1;
		if (WSTOPSIG(st) != (SIGTRAP | 0x80) || ptrace(PTRACE_GETREGS, pid, 0, &r) < 0)
			continue;
		if (r.orig_rax == SYS_openat && (long)r.rax == -ENOSYS && marker(pid, r.rsi))
			break;
	}
	struct proc p = {.pid = pid, .t_start = 1};
	struct task t = {.tid = pid, .proc = &p};
	struct evlog *log = evlog_new();
	struct ev_draft d;
	uint64_t t0 = now_ns();
	ev_init(&d, EVT_OPEN, 0, pid, pid);
	unwind_attach_stack(log, &t, &d);
	uint64_t t1 = now_ns();
	for (int i = 0; i < reps; i++) {
		ev_init(&d, EVT_OPEN, 0, pid, pid);
		unwind_attach_stack(log, &t, &d);
	}
	uint64_t t2 = now_ns();
	const char *js = evlog_str(log, (uint32_t)evf_u64(&d.f[0]), NULL);
	int frames = 0;
	for (const char *s = js; (s = strstr(s, "\"ip\"")); s++)
		frames++;
	printf("%d %.1f %.2f\n", frames, (double)(t1 - t0) / 1e3, (double)(t2 - t1) / 1e3 / reps);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	evlog_free(log);
	return 0;
}
