/* SPDX-License-Identifier: MIT */
/* proc_jobctl: FILE: write "stopping PID", raise(SIGSTOP), then "continued" after a SIGCONT; exit 0. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	FILE *f = fopen(argv[1], "w");
	fprintf(f, "stopping %d\n", getpid());
	fflush(f);
	raise(SIGSTOP);
	fprintf(f, "continued\n");
	fclose(f);
	return 0;
}
