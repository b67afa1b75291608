// SPDX-License-Identifier: MIT
// unwind: the walk's guards (depth cap, cycles, SP order) on fake steppers, and a real
// libunwind-ptrace stack of progs/stk_chain at its marker openat naming main > f0 > f1 > f2 > f3.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
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

/* main.c (not linked into unit tests) owns the options. */

static char progdir[PATH_MAX];

/* ---- fake steppers ---- */

struct fake {
	const uint64_t *ip, *sp;
	const int *rc;
	const bool *sig;
	unsigned n, i;
	unsigned calls;
};

static int fake_step(void *ctx, uint64_t *ip, uint64_t *sp, bool *sigframe)
{
	struct fake *f = ctx;
	f->calls++;
	if (f->i >= f->n)
		return 0;
	*ip = f->ip[f->i];
	*sp = f->sp[f->i];
	*sigframe = f->sig ? f->sig[f->i] : false;
	return f->rc ? f->rc[f->i++] : (f->i++, 1);
}

static void test_walk_normal(void **state)
{
	(void)state;
	uint64_t ip[] = {0x20, 0x30, 0x40}, sp[] = {0x108, 0x110, 0x120}, out[8];
	struct fake f = {ip, sp, NULL, NULL, 3, 0, 0};
	const char *why = "x";
	unsigned n = unwind_walk(0x10, 0x100, fake_step, &f, out, 8, &why);
	assert_int_equal(n, 4);
	assert_null(why);
	assert_int_equal(out[0], 0x10);
	assert_int_equal(out[3], 0x40);
}

static void test_walk_self_loop(void **state)
{
	(void)state;
	/* a self-referencing frame: the same (IP, SP) forever */
	uint64_t ip[200], sp[200], out[UNWIND_MAX_DEPTH];
	for (int i = 0; i < 200; i++)
		ip[i] = 0x10, sp[i] = 0x100;
	struct fake f = {ip, sp, NULL, NULL, 200, 0, 0};
	const char *why;
	unsigned n = unwind_walk(0x10, 0x100, fake_step, &f, out, UNWIND_MAX_DEPTH, &why);
	assert_int_equal(n, 1);
	assert_string_equal(why, "cycle");
	assert_int_equal(f.calls, 1);
}

static void test_walk_longer_cycle(void **state)
{
	(void)state;
	/* A -> B -> A with a signal frame excusing the SP drop: caught as a cycle */
	uint64_t ip[] = {0x20, 0x10, 0x20}, sp[] = {0x200, 0x100, 0x200}, out[16];
	bool sig[] = {false, true, false};
	struct fake f = {ip, sp, NULL, sig, 3, 0, 0};
	const char *why;
	unsigned n = unwind_walk(0x10, 0x100, fake_step, &f, out, 16, &why);
	assert_int_equal(n, 2);
	assert_string_equal(why, "cycle");
}

static void test_walk_sp_down(void **state)
{
	(void)state;
	uint64_t ip[] = {0x20, 0x30}, sp[] = {0x108, 0x50}, out[16];
	struct fake f = {ip, sp, NULL, NULL, 2, 0, 0};
	const char *why;
	unsigned n = unwind_walk(0x10, 0x100, fake_step, &f, out, 16, &why);
	assert_int_equal(n, 2);
	assert_string_equal(why, "sp");
	/* the same drop right after a signal trampoline is allowed (sigaltstack) */
	bool sig[] = {false, true};
	struct fake g = {ip, sp, NULL, sig, 2, 0, 0};
	n = unwind_walk(0x10, 0x100, fake_step, &g, out, 16, &why);
	assert_int_equal(n, 3);
	assert_null(why);
}

static void test_walk_depth_and_error(void **state)
{
	(void)state;
	uint64_t ip[1000], sp[1000], out[UNWIND_MAX_DEPTH];
	for (int i = 0; i < 1000; i++)
		ip[i] = 0x1000 + (uint64_t)i, sp[i] = 0x10000 + 16 * (uint64_t)i;
	struct fake f = {ip, sp, NULL, NULL, 1000, 0, 0};
	const char *why;
	/* the cap holds even when the caller asks for more */
	unsigned n = unwind_walk(0x10, 0x100, fake_step, &f, out, 100000, &why);
	assert_int_equal(n, UNWIND_MAX_DEPTH);
	assert_string_equal(why, "depth");
	int rc[] = {1, -1};
	struct fake g = {ip, sp, rc, NULL, 2, 0, 0};
	n = unwind_walk(0x10, 0x100, fake_step, &g, out, 16, &why);
	assert_int_equal(n, 2);
	assert_string_equal(why, "unreadable");
	/* IP 0 is the end of the chain, not a frame */
	uint64_t zip[] = {0x20, 0}, zsp[] = {0x200, 0x300};
	struct fake h = {zip, zsp, NULL, NULL, 2, 0, 0};
	n = unwind_walk(0x10, 0x100, fake_step, &h, out, 16, &why);
	assert_int_equal(n, 2);
	assert_null(why);
}

/* ---- a real stack ---- */

static pid_t start_traced(char *const argv[])
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		execv(argv[0], argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSTOPPED(st));
	assert_int_equal(ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL), 0);
	return pid;
}

static bool is_marker(pid_t pid, uint64_t addr)
{
	const char want[] = "/nonexistent/stk_chain_marker";
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

/* Run until the marker openat's entry stop. */
static void run_to_marker(pid_t pid)
{
	int st;
	for (;;) {
		assert_int_equal(ptrace(PTRACE_SYSCALL, pid, 0, 0), 0);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFSTOPPED(st));
		if (WSTOPSIG(st) != (SIGTRAP | 0x80))
			continue;
		struct user_regs_struct r;
		assert_int_equal(ptrace(PTRACE_GETREGS, pid, 0, &r), 0);
		if (r.orig_rax == SYS_openat && (long)r.rax == -ENOSYS && is_marker(pid, r.rsi))
			return;
	}
}

static cJSON *take_stack(struct evlog *log, struct task *t)
{
	struct ev_draft d;
	ev_init(&d, EVT_OPEN, 0, t->proc->pid, t->tid);
	unwind_attach_stack(log, t, &d);
	const struct ev *e = evlog_append(log, &d);
	const struct ev_field *f = ev_find(e, EVK_STACK);
	assert_non_null(f);
	assert_int_equal(f->kind, EVF_JSON);
	const char *js = evlog_str(log, (uint32_t)evf_u64(f), NULL);
	cJSON *a = cJSON_Parse(js);
	if (!a)
		fail_msg("invalid JSON: %s", js);
	return a;
}

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void test_chain(void **state)
{
	(void)state;
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/../progs/stk_chain", progdir);
	char two[] = "2";
	char *argv[] = {path, two, NULL};
	pid_t pid = start_traced(argv);
	struct proc p = {.pid = pid, .t_start = 1};
	struct task t = {.tid = pid, .proc = &p};
	struct evlog *log = evlog_new();

	for (int round = 0; round < 2; round++) { /* the second one runs on warm caches */
		run_to_marker(pid);
		cJSON *a = take_stack(log, &t);
		const char *want[] = {"f3", "f2", "f1", "f0", "main"};
		int n = cJSON_GetArraySize(a), w = 0, first = -1;
		assert_true(n >= 6);
		for (int i = 0; i < n && w < 5; i++) {
			const cJSON *fr = cJSON_GetArrayItem(a, i);
			const char *sym = jstr(fr, "sym");
			assert_non_null(jstr(fr, "ip"));
			if (sym && strcmp(sym, want[w]) == 0) {
				if (first < 0)
					first = i;
				/* consecutive frames once the chain starts */
				assert_int_equal(i, first + w);
				const char *mod = jstr(fr, "module");
				assert_non_null(mod);
				assert_non_null(strstr(mod, "/progs/stk_chain"));
				assert_non_null(jstr(fr, "offset"));
				w++;
			}
		}
		assert_int_equal(w, 5);
		/* frame 0 is inside libc's syscall() wrapper, right at the syscall */
		assert_int_equal(first, 1);
		assert_non_null(strstr(jstr(cJSON_GetArrayItem(a, 0), "module"), "libc.so"));
		/* the walk ended normally: no truncated marker */
		const cJSON *last = cJSON_GetArrayItem(a, n - 1);
		assert_null(cJSON_GetObjectItemCaseSensitive(last, "truncated"));
		cJSON_Delete(a);
	}
	/* A thread that is gone: a truncated marker, no crash. */
	kill(pid, SIGKILL);
	int st;
	waitpid(pid, &st, 0);
	cJSON *a = take_stack(log, &t);
	int n = cJSON_GetArraySize(a);
	assert_true(n >= 1);
	const cJSON *last = cJSON_GetArrayItem(a, n - 1);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(last, "truncated")));
	cJSON_Delete(a);
	unwind_flush(&p);
	evlog_free(log);
}

static void test_wanted(void **state)
{
	(void)state;
	unwind_configure(&(struct unwind_cfg){ .stack = false });
	assert_false(unwind_wanted("openat", "open"));
	unwind_configure(&(struct unwind_cfg){ .stack = true, .stack_on = NULL });
	assert_true(unwind_wanted("read", "read"));
	unwind_configure(&(struct unwind_cfg){ .stack = true, .stack_on = "" });
	assert_true(unwind_wanted("read", "read"));
	unwind_configure(&(struct unwind_cfg){ .stack = true, .stack_on = "open,connect" });
	assert_true(unwind_wanted("openat", "open"));
	assert_true(unwind_wanted("connect", NULL));
	assert_false(unwind_wanted("read", "read"));
	assert_false(unwind_wanted("conn", NULL));
	assert_false(unwind_wanted(NULL, NULL));
	unwind_configure(&(struct unwind_cfg){ .stack = false });
}

int main(int argc, char **argv)
{
	(void)argc;
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	snprintf(progdir, sizeof(progdir), "%s", dirname(self));
	(void)argv;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_normal),
		cmocka_unit_test(test_walk_self_loop),
		cmocka_unit_test(test_walk_longer_cycle),
		cmocka_unit_test(test_walk_sp_down),
		cmocka_unit_test(test_walk_depth_and_error),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_wanted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
