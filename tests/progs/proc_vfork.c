/* SPDX-License-Identifier: MIT */
/*
 * proc_vfork: FILE: vfork+exec /bin/true, vfork+_exit(7), posix_spawn
 * /bin/echo spawned; writes "vexec P", "vexit P", "spawn P" to FILE.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	FILE *f = fopen(argv[1], "w");
	int st;
	pid_t p = vfork();
	if (p == 0) {
		char *av[] = { "/bin/true", "vforked", NULL };
		execv("/bin/true", av);
		_exit(97);
	}
	waitpid(p, &st, 0);
	fprintf(f, "vexec %d %d\n", p, WEXITSTATUS(st));
	p = vfork();
	if (p == 0)
		_exit(7);
	waitpid(p, &st, 0);
	fprintf(f, "vexit %d %d\n", p, WEXITSTATUS(st));
	char *av[] = { "/bin/echo", "spawned", NULL };
	if (posix_spawn(&p, "/bin/echo", NULL, NULL, av, environ) != 0)
		return 3;
	waitpid(p, &st, 0);
	fprintf(f, "spawn %d %d\n", p, WEXITSTATUS(st));
	fclose(f);
	return 0;
}
