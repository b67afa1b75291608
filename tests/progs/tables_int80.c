// SPDX-License-Identifier: MIT
// tables_int80: i386 syscalls through int $0x80 from a 64-bit process (getpid, write),
// plus numbers no table has (i386 0xffff, x32-flagged getpid), for the -v decoder.
// cflags: -no-pie
#include <stdio.h>
#include <unistd.h>

static long int80(long nr, long a, long b, long c)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return r;
}

static long sys64(long nr)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(nr) : "rcx", "r11", "memory");
	return r;
}

static char msg[] = "hi\n"; /* in the binary's data: below 4 GB for a non-PIE link */

int main(void)
{
	long pid = int80(20, 0, 0, 0);
	int80(4, 1, (long)msg, 3);
	int80(0xffff, 0, 0, 0);
	sys64(0x40000000L | 39);
	printf("pid %ld\n", pid);
	return 0;
}
