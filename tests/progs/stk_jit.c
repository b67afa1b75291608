// SPDX-License-Identifier: MIT
// Stack through JIT code: main calls generated code in an anonymous RWX mapping (no unwind info,
// no frame pointer), which calls back into jit_callback -> the marker openat. Prints the code's
// address: "stk_jit code=0x...".
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int jit_callback(void);

int jit_callback(void)
{
	return (int)syscall(SYS_openat, AT_FDCWD, "/nonexistent/stk_chain_marker", O_RDONLY);
}

int main(void)
{
	uint8_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t fn = (uintptr_t)jit_callback;
	size_t n = 0;

	if (code == MAP_FAILED)
		return 2;
	/* sub rsp, 8 ; movabs rax, fn ; call rax ; add rsp, 8 ; ret */
	const uint8_t pre[] = {0x48, 0x83, 0xec, 0x08, 0x48, 0xb8};
	const uint8_t post[] = {0xff, 0xd0, 0x48, 0x83, 0xc4, 0x08, 0xc3};
	memcpy(code + n, pre, sizeof(pre));
	n += sizeof(pre);
	memcpy(code + n, &fn, 8);
	n += 8;
	memcpy(code + n, post, sizeof(post));
	printf("stk_jit code=%p\n", (void *)code);
	fflush(stdout);
	int r = ((int (*)(void))code)();
	printf("stk_jit ret=%d\n", r);
	return 0;
}
