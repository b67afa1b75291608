// SPDX-License-Identifier: MIT
// i386 syscalls (int $0x80) from a 64-bit process: open, write, close, unlink of DIR/i386.txt.
// Strings live below 4 GiB (MAP_32BIT) so 32-bit pointers reach them. Prints each result.
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static long i386_call(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (low == MAP_FAILED)
		return 3;
	snprintf(low, 2048, "%s/i386.txt", argv[1]);
	strcpy(low + 2048, "hello");
	long fd = i386_call(5 /* open */, (long)low, 01101 /* O_WRONLY|O_CREAT|O_TRUNC */, 0644);
	long w = i386_call(4 /* write */, fd, (long)(low + 2048), 5);
	long c = i386_call(6 /* close */, fd, 0, 0);
	long u = i386_call(10 /* unlink */, (long)low, 0, 0);
	printf("i386 %ld %ld %ld %ld\n", fd, w, c, u);
	return 0;
}
