/* SPDX-License-Identifier: MIT */
/*
 * proc_bogus: syscall(-1), syscall(0x7fffffff), an x32 getpid
 * (0x40000000|39) and int $0x80 with eax=0xffff; prints each result as
 * "NAME RET ERRNO" and exits 0.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long r;
	errno = 0;
	r = syscall(-1L);
	printf("minus1 %ld %d\n", r, errno);
	errno = 0;
	r = syscall(0x7fffffffL);
	printf("huge %ld %d\n", r, errno);
	errno = 0;
	r = syscall(0x40000000L | 39);
	printf("x32 %ld %d\n", r, errno);
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(0xffffL) : "memory");
	printf("int80 %ld\n", r);
	return 0;
}
