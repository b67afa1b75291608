/* SPDX-License-Identifier: MIT */
/* proc_int80: int $0x80 getpid, write "int80\n" to stdout, then exit(3) (i386 numbers 20, 4, 1). */
#include <string.h>
#include <sys/mman.h>

static long int80(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

int main(void)
{
	/* i386 calls see 32-bit pointers: the buffer must live below 4 GiB */
	char *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (buf == MAP_FAILED)
		return 2;
	memcpy(buf, "int80\n", 6);
	int80(20, 0, 0, 0);
	int80(4, 1, (long)buf, 6);
	int80(1, 3, 0, 0);
	return 9;
}
