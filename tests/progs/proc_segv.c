/* SPDX-License-Identifier: MIT */
/* proc_segv: write through a NULL pointer: killed by SIGSEGV. */
#include <stdio.h>

int main(void)
{
	volatile int *p = (volatile int *)0x10;
	fflush(stdout);
	*p = 1;
	return 0;
}
