// SPDX-License-Identifier: MIT
// Fd tables and paths that move under the tracer (issue 15, 5 and 6), one case per argument:
//   unshare DIR     a thread unshare(CLONE_FILES)s and opens DIR/t as its fd 3; then
//                   the main thread writes "main" on its own fd 3 (DIR/m)
//   rawclone DIR    the same with a raw clone thread created without CLONE_FILES
//   closerange DIR  the same with close_range(3, 3, CLOSE_RANGE_UNSHARE) in the thread
//   renamecwd DIR   mkdir DIR/a/c, chdir there, open "." as a dirfd, rename DIR/a to
//                   DIR/b, then create f1 relative to the cwd and f2 relative to the dirfd
//   renamechild DIR the same with the rename made by a forked child
//   empty           open(""), unlink(""), mkdir(""), execve(""), execve(NULL), open(NULL)
//   fdmem N         fd 19999 open, N forked children alive at once, each closing it
//   opens N [R]     N failed opens of distinct 4 KB paths, then R more passes over the last 300
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <pthread.h>
#include <stdbool.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *dir;
static int how;
static volatile int thread_done;

static void wr(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		perror("write");
}

/* The other thread: its own table, fd 3 made DIR/t there. */
static int other(void *arg)
{
	(void)arg;
	if (how == 'u' && syscall(SYS_unshare, CLONE_FILES) < 0)
		perror("unshare");
	if (how == 'c' && syscall(SYS_close_range, 3, 3, CLOSE_RANGE_UNSHARE) < 0)
		perror("close_range");
	close(3);
	char p[4096];
	snprintf(p, sizeof(p), "%s/t", dir);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd != 3)
		fprintf(stderr, "thread: got fd %d\n", fd);
	wr(fd, "thread");
	__atomic_store_n(&thread_done, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static void *other_pt(void *arg)
{
	other(arg);
	return NULL;
}

static int split(void)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/m", dir);
	close(3);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd != 3) {
		fprintf(stderr, "main: got fd %d\n", fd);
		return 1;
	}
	if (how == 'r') {
		static char stack[65536] __attribute__((aligned(16)));
		int fl = CLONE_VM | CLONE_FS | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;
		if (clone(other, stack + sizeof(stack), fl, NULL) < 0) {
			perror("clone");
			return 1;
		}
		while (!__atomic_load_n(&thread_done, __ATOMIC_SEQ_CST))
			usleep(1000);
	} else {
		pthread_t th;
		pthread_create(&th, NULL, other_pt, NULL);
		pthread_join(th, NULL);
	}
	wr(3, "main");
	close(3);
	return 0;
}

static int renamecwd(bool by_child)
{
	char p[4096], q[4096];
	snprintf(p, sizeof(p), "%s/b", dir);
	snprintf(q, sizeof(q), "%s/a", dir);
	/* the child exists before the cwd and the dirfd: it shares neither */
	int go[2], done[2];
	pid_t c = -1;
	if (by_child) {
		if (pipe(go) || pipe(done))
			return 1;
		c = fork();
		if (c == 0) {
			char b;
			if (read(go[0], &b, 1) != 1)
				_exit(1);
			b = rename(q, p) ? 'n' : 'y';
			_exit(write(done[1], &b, 1) != 1);
		}
	}
	char cdir[4096];
	snprintf(cdir, sizeof(cdir), "%s/a/c", dir);
	if (mkdir(q, 0755) || mkdir(cdir, 0755) || chdir(cdir))
		return 1;
	int d = open(".", O_RDONLY | O_DIRECTORY);
	if (d < 0)
		return 1;
	if (by_child) {
		char b = 'g';
		if (write(go[1], &b, 1) != 1 || read(done[0], &b, 1) != 1 || b != 'y')
			return 1;
		waitpid(c, NULL, 0);
	} else if (rename(q, p)) {
		return 1;
	}
	int f1 = open("f1", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int f2 = openat(d, "f2", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	wr(f1, "one");
	wr(f2, "two");
	return f1 < 0 || f2 < 0;
}

static int empty(void)
{
	char *argv[] = { "x", NULL }, *envp[] = { NULL };
	open("", O_RDONLY);
	unlink("");
	mkdir("", 0755);
	syscall(SYS_execve, "", argv, envp);
	syscall(SYS_execve, NULL, argv, envp);
	syscall(SYS_open, NULL, O_RDONLY);
	return 0;
}

static int fdmem(int n)
{
	if (dup2(1, 19999) != 19999)
		return 1;
	int pfd[2];
	if (pipe(pfd))
		return 1;
	for (int i = 0; i < n; i++) {
		pid_t c = fork();
		if (c == 0) {
			char b;
			close(pfd[1]);
			while (read(pfd[0], &b, 1) > 0)
				;
			close(19999);
			_exit(0);
		}
		if (c < 0)
			return 1;
	}
	close(pfd[1]);
	while (wait(NULL) > 0)
		;
	return 0;
}

static int opens(int n, int r)
{
	static char p[4097];
	memset(p, 'x', 4000);
	p[0] = '/';
	for (int k = 0; k <= r; k++)
		for (int i = k ? (n > 300 ? n - 300 : 0) : 0; i < n; i++) {
			snprintf(p + 1, 16, "%08d/", i);
			p[10] = 'y';
			if (open(p, O_RDONLY) >= 0)
				return 1;
		}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	dir = argc > 2 ? argv[2] : ".";
	if (!strcmp(argv[1], "unshare") || !strcmp(argv[1], "rawclone") || !strcmp(argv[1], "closerange")) {
		how = argv[1][0] == 'u' ? 'u' : argv[1][0] == 'r' ? 'r' : 'c';
		return split();
	}
	if (!strcmp(argv[1], "renamecwd") || !strcmp(argv[1], "renamechild"))
		return renamecwd(!strcmp(argv[1], "renamechild"));
	if (!strcmp(argv[1], "empty"))
		return empty();
	if (!strcmp(argv[1], "fdmem"))
		return fdmem(atoi(dir));
	if (!strcmp(argv[1], "opens"))
		return opens(atoi(dir), argc > 3 ? atoi(argv[3]) : 0);
	return 2;
}
