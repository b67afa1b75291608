// SPDX-License-Identifier: MIT
// Crash tracee: dies the way argv[1] says (null, jump, ud2, abort, stack, badsp, pageend, int3, fpe, bus),
// after printing the addresses a test needs ("crash_kinds MODE key=value ...").
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* Overwrite this frame's return address and everything above it with garbage. */
static void __attribute__((noinline)) smash(void)
{
	volatile uintptr_t *fp = __builtin_frame_address(0);
	for (int i = 0; i < 48; i++)
		fp[i] = 0x0000414141414100ull + (uintptr_t)i * 8;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "null";
	struct rlimit nocore = {0, 0};

	setrlimit(RLIMIT_CORE, &nocore); /* no core files from the tests */
	if (strcmp(mode, "null") == 0) {
		say("crash_kinds null addr=0x10\n");
		*(volatile int *)(uintptr_t)0x10 = 1;
	} else if (strcmp(mode, "jump") == 0) {
		void (*fn)(void) = (void (*)(void))(uintptr_t)0xdead0000;
		say("crash_kinds jump addr=0xdead0000\n");
		fn();
	} else if (strcmp(mode, "ud2") == 0) {
		say("crash_kinds ud2\n");
		__asm__ volatile("ud2");
	} else if (strcmp(mode, "int3") == 0) {
		say("crash_kinds int3\n");
		__asm__ volatile("int3");
	} else if (strcmp(mode, "abort") == 0) {
		say("crash_kinds abort\n");
		abort();
	} else if (strcmp(mode, "stack") == 0) {
		say("crash_kinds stack addr=0x414141414108\n");
		smash();
	} else if (strcmp(mode, "badsp") == 0) {
		say("crash_kinds badsp addr=0x8\n");
		__asm__ volatile("mov $0x10, %%rsp\n\tpush %%rax\n\t" ::: "memory");
	} else if (strcmp(mode, "pageend") == 0) {
		/* "mov eax, imm32" whose first byte is the last byte of a page followed by nothing */
		uint8_t *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 2;
		munmap(p + 4096, 4096);
		p[4095] = 0xb8;
		say("crash_kinds pageend rip=%p addr=%p\n", (void *)(p + 4095), (void *)(p + 4096));
		((void (*)(void))(p + 4095))();
	} else if (strcmp(mode, "fpe") == 0) {
		volatile int zero = 0;
		say("crash_kinds fpe\n");
		return 10 / zero;
	} else if (strcmp(mode, "bus") == 0) {
		/* a file mapping beyond the file's end */
		char path[] = "/tmp/crash_kinds.XXXXXX";
		int fd = mkstemp(path);
		if (fd < 0)
			return 2;
		unlink(path);
		volatile char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			return 2;
		say("crash_kinds bus addr=%p\n", (void *)m);
		m[0] = 1;
	}
	say("crash_kinds %s: did not crash\n", mode);
	return 3;
}
