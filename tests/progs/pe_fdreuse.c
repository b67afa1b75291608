// SPDX-License-Identifier: MIT
/*
 * pe_fdreuse: fds closed and reused by calls a filtered run does not stop
 * at (pipe, eventfd, dup2, threads, exec), then used as dirfd or in a
 * traced call, so stale fd-table entries would show. Usage:
 * pe_fdreuse pipe|eventfd|dupdir|sock|exec|threads BASE (BASE holds dirs
 * A and B, file F). Exits 0 when every call behaved as the kernel says.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static char A[4096], B[4096], F[4096], S[4096];

static int must(int r, const char *what)
{
	if (r < 0) {
		fprintf(stderr, "pe_fdreuse: %s: %s\n", what, strerror(errno));
		exit(2);
	}
	return r;
}

/* Open A as the lowest free fd, close it, and let make() reuse that number unseen. */
static int reuse_dirfd(int (*make)(void))
{
	int n = must(open(A, O_RDONLY | O_DIRECTORY), "open A");
	close(n);
	int got = make();
	if (got != n) {
		fprintf(stderr, "pe_fdreuse: fd %d reused as %d\n", n, got);
		exit(2);
	}
	return n;
}

static int make_pipe(void)
{
	int p[2];
	must(pipe(p), "pipe");
	return p[0];
}

static int make_eventfd(void)
{
	return must(eventfd(0, 0), "eventfd");
}

static int bfd = -1;
static int make_dup_b(void)
{
	return must(dup(bfd), "dup");
}

static void *thread_reuse(void *arg)
{
	int n = *(int *)arg;
	close(n);
	must(dup2(bfd, n), "dup2 in thread");
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	snprintf(A, sizeof(A), "%s/A", argv[2]);
	snprintf(B, sizeof(B), "%s/B", argv[2]);
	snprintf(F, sizeof(F), "%s/F", argv[2]);
	snprintf(S, sizeof(S), "%s/S.sock", argv[2]);
	const char *how = argv[1];
	struct stat st;
	if (!strcmp(how, "pipe") || !strcmp(how, "eventfd")) {
		int n = reuse_dirfd(!strcmp(how, "pipe") ? make_pipe : make_eventfd);
		/* the dirfd is no directory now: ENOTDIR, and no event may say A/x */
		if (openat(n, "x", O_RDONLY) >= 0 || errno != ENOTDIR)
			return 1;
		/* a file event on the fd itself (utimensat): it names what fd n is now */
		(void)futimens(n, NULL);
		return 0;
	}
	if (!strcmp(how, "dupdir")) {
		bfd = must(open(B, O_RDONLY | O_DIRECTORY), "open B");
		int n = reuse_dirfd(make_dup_b);
		/* a dup of B: B/f exists, A/f does not */
		if (fstatat(n, "f", &st, 0) < 0)
			return 1;
		int f = openat(n, "f", O_RDONLY);
		return f >= 0 ? 0 : 1;
	}
	if (!strcmp(how, "sock")) {
		int k = must(open(F, O_RDONLY), "open F");
		int l = must(socket(AF_UNIX, SOCK_STREAM, 0), "socket");
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		if (strlen(S) >= sizeof(sa.sun_path))
			return 2;
		memcpy(sa.sun_path, S, strlen(S));
		unlink(S);
		must(bind(l, (struct sockaddr *)&sa, sizeof(sa)), "bind");
		must(listen(l, 1), "listen");
		int n = must(socket(AF_UNIX, SOCK_STREAM, 0), "socket");
		must(connect(n, (struct sockaddr *)&sa, sizeof(sa)), "connect");
		if (send(n, "x", 1, 0) != 1)
			return 1;
		close(n);
		must(dup2(k, n), "dup2"); /* fd n: the file F now */
		if (send(n, "y", 1, 0) >= 0 || errno != ENOTSOCK)
			return 1;
		if (futimens(n, NULL) < 0) /* a file event on fd n: F, no socket */
			return 1;
		return 0;
	}
	if (!strcmp(how, "exec")) {
		must(open(A, O_RDONLY | O_DIRECTORY | O_CLOEXEC), "open A");
		must(open(B, O_RDONLY | O_DIRECTORY), "open B");
		execl("/proc/self/exe", argv[0], "exec2", argv[2], (char *)NULL);
		return 2;
	}
	if (!strcmp(how, "exec2")) {
		/* fd 3 (A, close-on-exec) is gone; fd 4 (B) is still there */
		if (openat(3, "x", O_RDONLY) >= 0 || errno != EBADF)
			return 1;
		int g = openat(4, "g", O_RDONLY);
		if (g < 0)
			return 1;
		close(g);
		int p[2];
		must(pipe(p), "pipe"); /* fd 3 again, as a pipe */
		if (openat(3, "y", O_RDONLY) >= 0 || errno != ENOTDIR)
			return 1;
		return 0;
	}
	if (!strcmp(how, "threads")) {
		bfd = must(open(B, O_RDONLY | O_DIRECTORY), "open B");
		int n = must(open(A, O_RDONLY | O_DIRECTORY), "open A");
		if (openat(n, "a1", O_RDONLY) < 0) /* seen as A: A/a1 */
			return 1;
		pthread_t th;
		if (pthread_create(&th, NULL, thread_reuse, &n) || pthread_join(th, NULL))
			return 2;
		if (openat(n, "f", O_RDONLY) < 0) /* B/f: the other thread made n a dup of B */
			return 1;
		return 0;
	}
	return 2;
}
