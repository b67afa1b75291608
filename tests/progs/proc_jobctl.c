/* SPDX-License-Identifier: MIT */
/* proc_jobctl: FILE: write "stopping", raise(SIGSTOP), then "continued" after a SIGCONT; exit 0. */
#include <signal.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	FILE *f = fopen(argv[1], "w");
	fprintf(f, "stopping\n");
	fflush(f);
	raise(SIGSTOP);
	fprintf(f, "continued\n");
	fclose(f);
	return 0;
}
