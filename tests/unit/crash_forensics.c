// SPDX-License-Identifier: MIT
// crash: progs/crash_kinds dies every way it knows under a minimal ptrace loop; crash_record at the
// signal-delivery-stop must name the signal, code, address, region, the faulting instruction (or say
// why there is none) and give a valid stack, for each.
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
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "forensics/crash.h"
#include "forensics/disasm.h"
#include "log/evlog.h"

/* main.c (not linked into unit tests) owns the options. */

static char progdir[PATH_MAX];

struct crash {
	int sig, status;
	const struct ev *e;
	struct evlog *log;
	char out[512];      /* what the tracee printed */
	unsigned long long rip;
	cJSON *disasm, *stack, *regs;
};

static bool fatal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP || sig == SIGABRT;
}

static void run_crash(const char *mode, struct crash *c)
{
	char path[PATH_MAX + 32];
	int pfd[2], st;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "%s/../progs/crash_kinds", progdir);
	assert_int_equal(pipe(pfd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pfd[1], 1);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		execl(path, path, mode, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL), 0);
	struct proc p = {.pid = pid, .t_start = 1};
	struct task t = {.tid = pid, .proc = &p};
	c->log = evlog_new();
	int inject = 0;
	for (;;) {
		assert_int_equal(ptrace(PTRACE_CONT, pid, 0, inject), 0);
		inject = 0;
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (!WIFSTOPPED(st))
			break;
		if (st >> 16)
			continue; /* exec event */
		inject = WSTOPSIG(st);
		siginfo_t si;
		if (fatal(inject) && ptrace(PTRACE_GETSIGINFO, pid, 0, &si) == 0 && !c->e) {
			crash_record(c->log, &t, &si);
			struct evlog_cursor cur = {0};
			c->e = evlog_next(c->log, &cur);
			c->sig = inject;
		}
	}
	c->status = st;
	ssize_t n = read(pfd[0], c->out, sizeof(c->out) - 1);
	c->out[n > 0 ? n : 0] = '\0';
	close(pfd[0]);
	assert_non_null(c->e);
	assert_int_equal(c->e->type, EVT_CRASH);
	const struct ev_field *f = ev_find(c->e, EVK_DISASM);
	if (f)
		c->disasm = cJSON_Parse(evlog_str(c->log, (uint32_t)evf_u64(f), NULL));
	f = ev_find(c->e, EVK_STACK);
	assert_non_null(f);
	c->stack = cJSON_Parse(evlog_str(c->log, (uint32_t)evf_u64(f), NULL));
	assert_true(cJSON_IsArray(c->stack));
	f = ev_find(c->e, EVK_REGS);
	assert_non_null(f);
	c->regs = cJSON_Parse(evlog_str(c->log, (uint32_t)evf_u64(f), NULL));
	assert_true(cJSON_IsObject(c->regs));
	c->rip = strtoull(cJSON_GetObjectItem(c->regs, "rip")->valuestring, NULL, 16);
	/* the tracee died of the signal, as without a tracer */
	assert_true(WIFSIGNALED(c->status));
	assert_int_equal(WTERMSIG(c->status), c->sig);
}

static void done(struct crash *c)
{
	cJSON_Delete(c->disasm);
	cJSON_Delete(c->stack);
	cJSON_Delete(c->regs);
	evlog_free(c->log);
}

static const char *fstr(struct crash *c, unsigned key)
{
	const struct ev_field *f = ev_find(c->e, key);
	if (!f)
		return NULL;
	assert_int_equal(f->kind, EVF_STR);
	return evlog_str(c->log, (uint32_t)evf_u64(f), NULL);
}

static long long fnum(struct crash *c, unsigned key)
{
	const struct ev_field *f = ev_find(c->e, key);
	assert_non_null(f);
	return evf_i64(f);
}

/* The one instruction marked fault:true; its text, and *addr. */
static const char *fault_insn(struct crash *c, unsigned long long *addr)
{
	const char *text = NULL;
	int nfault = 0;
	assert_true(cJSON_IsArray(c->disasm));
	cJSON *in;
	cJSON_ArrayForEach(in, c->disasm) {
		if (cJSON_IsTrue(cJSON_GetObjectItem(in, "fault"))) {
			nfault++;
			text = cJSON_GetObjectItem(in, "text")->valuestring;
			*addr = strtoull(cJSON_GetObjectItem(in, "addr")->valuestring, NULL, 16);
		}
	}
	assert_int_equal(nfault, 1);
	return text;
}

static bool stack_has(struct crash *c, const char *sym)
{
	cJSON *fr;
	cJSON_ArrayForEach(fr, c->stack) {
		cJSON *s = cJSON_GetObjectItem(fr, "sym");
		if (cJSON_IsString(s) && strcmp(s->valuestring, sym) == 0)
			return true;
	}
	return false;
}

static bool stack_truncated(struct crash *c)
{
	int n = cJSON_GetArraySize(c->stack);
	return n > 0 && cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(c->stack, n - 1), "truncated"));
}

static void test_null(void **state)
{
	(void)state;
	struct crash c;
	unsigned long long a;
	run_crash("null", &c);
	assert_int_equal(c.sig, SIGSEGV);
	assert_int_equal(fnum(&c, EVK_SIGNAL), SIGSEGV);
	assert_string_equal(fstr(&c, EVK_CODE), "SEGV_MAPERR");
	assert_int_equal(fnum(&c, EVK_ADDR), 0x10);
	assert_string_equal(fstr(&c, EVK_CRASH_REGION), "not mapped");
	assert_null(fstr(&c, EVK_MSG));
	const char *text = fault_insn(&c, &a);
	assert_int_equal(a, c.rip);
	assert_non_null(strstr(text, "mov"));
	assert_non_null(strstr(text, "ptr [")); /* a store through a pointer */
	assert_true(stack_has(&c, "main"));
	assert_false(stack_truncated(&c));
	done(&c);
}

static void test_jump(void **state)
{
	(void)state;
	struct crash c;
	run_crash("jump", &c);
	assert_int_equal(c.sig, SIGSEGV);
	assert_int_equal(fnum(&c, EVK_ADDR), 0xdead0000);
	assert_int_equal(c.rip, 0xdead0000);
	assert_string_equal(fstr(&c, EVK_MSG), "RIP not mapped");
	assert_string_equal(fstr(&c, EVK_CRASH_REGION), "not mapped");
	assert_int_equal(cJSON_GetArraySize(c.disasm), 0);
	done(&c);
}

static void test_ud2(void **state)
{
	(void)state;
	struct crash c;
	unsigned long long a;
	run_crash("ud2", &c);
	assert_int_equal(c.sig, SIGILL);
	assert_string_equal(fstr(&c, EVK_CODE), "ILL_ILLOPN");
	assert_int_equal(fnum(&c, EVK_ADDR), (long long)c.rip);
	assert_string_equal(fault_insn(&c, &a), "ud2");
	assert_int_equal(a, c.rip);
	/* the region holding the instruction: the program's own text */
	const char *reg = fstr(&c, EVK_CRASH_REGION);
	assert_non_null(strstr(reg, "file r-xp "));
	assert_non_null(strstr(reg, "/progs/crash_kinds"));
	/* instructions before the faulting one were decoded too */
	assert_true(cJSON_GetArraySize(c.disasm) >= 3);
	assert_true(stack_has(&c, "main"));
	done(&c);
}

static void test_int3(void **state)
{
	(void)state;
	struct crash c;
	unsigned long long a;
	run_crash("int3", &c);
	assert_int_equal(c.sig, SIGTRAP);
	assert_string_equal(fstr(&c, EVK_CODE), "SI_KERNEL");
	/* SI_KERNEL carries no address: neither addr nor a region is made up */
	assert_null(ev_find(c.e, EVK_ADDR));
	assert_null(ev_find(c.e, EVK_CRASH_REGION));
	assert_string_equal(fault_insn(&c, &a), "int3");
	assert_int_equal(a, c.rip - 1); /* int3 leaves RIP after itself */
	done(&c);
}

static void test_abort(void **state)
{
	(void)state;
	struct crash c;
	unsigned long long a;
	run_crash("abort", &c);
	assert_int_equal(c.sig, SIGABRT);
	assert_string_equal(fstr(&c, EVK_CODE), "SI_TKILL");
	assert_null(ev_find(c.e, EVK_ADDR));
	assert_int_equal(fnum(&c, EVK_SENDER), c.e->pid);
	assert_string_equal(fault_insn(&c, &a), "syscall");
	assert_int_equal(a, c.rip - 2);
	assert_true(stack_has(&c, "abort"));
	assert_true(stack_has(&c, "main"));
	done(&c);
}

static void test_smashed_stack(void **state)
{
	(void)state;
	struct crash c;
	run_crash("stack", &c);
	assert_int_equal(c.sig, SIGSEGV);
	assert_int_equal(c.rip, 0x414141414108ull);
	assert_string_equal(fstr(&c, EVK_MSG), "RIP not mapped");
	/* garbage all the way up: the walk stops early and says so */
	assert_true(cJSON_GetArraySize(c.stack) <= 130);
	done(&c);
}

static void test_bad_sp(void **state)
{
	(void)state;
	struct crash c;
	run_crash("badsp", &c);
	assert_int_equal(c.sig, SIGSEGV);
	assert_int_equal(fnum(&c, EVK_ADDR), 0x8);
	assert_string_equal(fstr(&c, EVK_CRASH_REGION), "not mapped");
	assert_true(stack_truncated(&c));
	unsigned long long a;
	assert_non_null(strstr(fault_insn(&c, &a), "push"));
	done(&c);
}

static void test_page_end(void **state)
{
	(void)state;
	struct crash c;
	unsigned long long rip = 0, addr = 0;
	run_crash("pageend", &c);
	assert_int_equal(sscanf(c.out, "crash_kinds pageend rip=%llx addr=%llx", &rip, &addr), 2);
	assert_int_equal(c.sig, SIGSEGV);
	assert_int_equal(c.rip, rip);
	assert_int_equal(fnum(&c, EVK_ADDR), (long long)addr);
	assert_string_equal(fstr(&c, EVK_MSG), "truncated at page end");
	assert_string_equal(fstr(&c, EVK_CRASH_REGION), "not mapped");
	/* nothing at RIP is shown as an instruction */
	cJSON *in;
	cJSON_ArrayForEach(in, c.disasm)
		assert_false(cJSON_IsTrue(cJSON_GetObjectItem(in, "fault")));
	done(&c);
}

static void test_fpe_bus(void **state)
{
	(void)state;
	struct crash c;
	unsigned long long a, addr = 0;
	run_crash("fpe", &c);
	assert_int_equal(c.sig, SIGFPE);
	assert_string_equal(fstr(&c, EVK_CODE), "FPE_INTDIV");
	assert_non_null(strstr(fault_insn(&c, &a), "div"));
	done(&c);
	run_crash("bus", &c);
	assert_int_equal(sscanf(c.out, "crash_kinds bus addr=%llx", &addr), 1);
	assert_int_equal(c.sig, SIGBUS);
	assert_string_equal(fstr(&c, EVK_CODE), "BUS_ADRERR");
	assert_int_equal(fnum(&c, EVK_ADDR), (long long)addr);
	assert_non_null(strstr(fstr(&c, EVK_CRASH_REGION), "file rw-s "));
	done(&c);
}

/* Decoding straight from bytes: alignment from a known start, the page-end note. */
static void test_window(void **state)
{
	(void)state;
	/* push rbp; mov rbp, rsp; mov dword ptr [rax], 1; ret */
	const uint8_t code[] = {0x55, 0x48, 0x89, 0xe5, 0xc7, 0x00, 0x01, 0x00, 0x00, 0x00, 0xc3};
	struct disasm_insn out[8];
	const char *note;
	unsigned n = disasm_window(code, sizeof(code), 0x1000, 0x1004, 0x1004, 0x1000, 5, 3, out, &note);
	assert_null(note);
	assert_int_equal(n, 4);
	assert_string_equal(out[0].text, "push rbp");
	assert_string_equal(out[2].text, "mov dword ptr [rax], 1");
	assert_true(out[2].fault);
	assert_false(out[0].fault);
	/* one byte of "mov eax, imm32" at the end of what is readable */
	const uint8_t cut[] = {0x90, 0xb8};
	n = disasm_window(cut, sizeof(cut), 0x2ffe, 0x2fff, 0x2fff, 0, 5, 3, out, &note);
	assert_string_equal(note, "truncated at page end");
	assert_int_equal(n, 1);
	assert_string_equal(out[0].text, "nop");
}

int main(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	snprintf(progdir, sizeof(progdir), "%s", dirname(self));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_null),
		cmocka_unit_test(test_jump),
		cmocka_unit_test(test_ud2),
		cmocka_unit_test(test_int3),
		cmocka_unit_test(test_abort),
		cmocka_unit_test(test_smashed_stack),
		cmocka_unit_test(test_bad_sp),
		cmocka_unit_test(test_page_end),
		cmocka_unit_test(test_fpe_bus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
