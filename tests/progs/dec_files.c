// SPDX-License-Identifier: MIT
// Exact file syscalls for the decode tests; prints what it did, one "key value" line each.
// Usage: dec_files DIR   (DIR exists and is empty; the program chdirs into it)
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static int thread_fd = -1;

static void *opener(void *arg)
{
	(void)arg;
	thread_fd = (int)syscall(SYS_openat, AT_FDCWD, "thread.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--after-exec")) {
		/* fd argv[2] was CLOEXEC: gone; fd 9 was not: still the file */
		int fd = atoi(argv[2]);
		long r1 = syscall(SYS_write, fd, "x", 1);
		long r2 = syscall(SYS_write, 9, "kept\n", 5);
		printf("after_exec cloexec_write %ld %d\nafter_exec kept_write %ld\n", r1, r1 < 0 ? errno : 0, r2);
		return 0;
	}
	if (argc != 2 || chdir(argv[1]))
		return 2;
	setvbuf(stdout, NULL, _IONBF, 0);
	char buf[256];
	memset(buf, 'a', sizeof(buf));

	int fd = (int)syscall(SYS_open, "a.txt", O_WRONLY | O_CREAT | O_TRUNC, 0640);
	printf("open_a %d\n", fd);
	printf("write %ld\n", (long)syscall(SYS_write, fd, buf, 100));
	struct iovec iov[2] = { { buf, 10 }, { buf, 20 } };
	printf("writev %ld\n", (long)syscall(SYS_writev, fd, iov, 2));
	printf("pwrite64 %ld\n", (long)syscall(SYS_pwrite64, fd, buf, 7, 200));
	syscall(SYS_close, fd);

	int dfd = (int)syscall(SYS_open, ".", O_RDONLY | O_DIRECTORY);
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };
	fd = (int)syscall(SYS_openat2, dfd, "a.txt", &how, sizeof(how));
	printf("openat2 %d\n", fd);
	printf("read %ld\n", (long)syscall(SYS_read, fd, buf, 50));
	printf("pread64 %ld\n", (long)syscall(SYS_pread64, fd, buf, 40, 5));
	printf("readv %ld\n", (long)syscall(SYS_readv, fd, iov, 2));
	printf("preadv2 %ld\n", (long)syscall(SYS_preadv2, fd, iov, 2, 0, 0, 0));
	printf("read_eof %ld\n", (long)syscall(SYS_read, fd, buf, sizeof(buf)));

	long r = syscall(SYS_openat, AT_FDCWD, "missing/file", O_RDONLY);
	printf("open_missing %ld %d\n", r, errno);
	fd = (int)syscall(SYS_creat, "c.txt", 0600);
	printf("creat %d\n", fd);

	/* dup2 over an open fd: fd now refers to a.txt (opened for reading) */
	int ro = (int)syscall(SYS_openat, dfd, "a.txt", O_RDONLY);
	printf("dup2 %ld\n", (long)syscall(SYS_dup2, ro, fd));
	printf("read_dup2 %ld\n", (long)syscall(SYS_read, fd, buf, 3));
	int d3 = (int)syscall(SYS_dup3, ro, 20, O_CLOEXEC);
	int fdup = (int)syscall(SYS_fcntl, ro, F_DUPFD, 30);
	printf("dup3 %d fdupfd %d\n", d3, fdup);
	printf("read_fdup %ld\n", (long)syscall(SYS_read, fdup, buf, 4));

	/* pipe */
	int p[2];
	syscall(SYS_pipe2, p, O_CLOEXEC);
	struct stat st;
	fstat(p[0], &st);
	printf("pipe %d %d %lu\n", p[0], p[1], (unsigned long)st.st_ino);
	printf("pipe_write %ld\n", (long)syscall(SYS_write, p[1], "hello", 5));
	printf("pipe_read %ld\n", (long)syscall(SYS_read, p[0], buf, 10));

	/* fd-to-fd transfers from b.txt (40 bytes) */
	int bfd = (int)syscall(SYS_open, "b.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
	syscall(SYS_write, bfd, buf, 40);
	int cfd = (int)syscall(SYS_open, "copy.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	off_t off = 0;
	printf("sendfile %ld\n", (long)syscall(SYS_sendfile, cfd, bfd, &off, 20));
	loff_t o1 = 20;
	printf("copy_file_range %ld\n", (long)syscall(SYS_copy_file_range, bfd, &o1, cfd, NULL, 15, 0));
	loff_t o2 = 0;
	printf("splice %ld\n", (long)syscall(SYS_splice, bfd, &o2, p[1], NULL, 9, 0));

	/* file-system changes */
	syscall(SYS_mkdir, "d", 0750);
	syscall(SYS_mkdirat, dfd, "d/e", 0700);
	syscall(SYS_rename, "c.txt", "d/c2.txt");
	syscall(SYS_renameat2, dfd, "d/c2.txt", dfd, "c3.txt", 0);
	syscall(SYS_symlink, "a.txt", "sym");
	syscall(SYS_link, "a.txt", "hard");
	syscall(SYS_chmod, "a.txt", 0604);
	syscall(SYS_fchmodat, dfd, "hard", 0644);
	syscall(SYS_chown, "a.txt", -1, -1);
	syscall(SYS_truncate, "a.txt", 10);
	syscall(SYS_utimensat, AT_FDCWD, "a.txt", NULL, 0);
	syscall(SYS_unlink, "sym");
	syscall(SYS_unlinkat, dfd, "hard", 0);
	syscall(SYS_rmdir, "d/e");
	syscall(SYS_unlinkat, dfd, "d", AT_REMOVEDIR);
	r = syscall(SYS_rmdir, "nonexistent");
	printf("rmdir_missing %ld %d\n", r, errno);

	/* chdir/fchdir: relative opens follow */
	syscall(SYS_mkdir, "sub", 0755);
	syscall(SYS_chdir, "sub");
	fd = (int)syscall(SYS_open, "in_sub.txt", O_RDWR | O_CREAT, 0644);
	printf("open_in_sub %d\n", fd);
	syscall(SYS_write, fd, buf, 11);
	syscall(SYS_fchdir, dfd);
	int fd2 = (int)syscall(SYS_open, "top.txt", O_WRONLY | O_CREAT | O_APPEND, 0644);
	syscall(SYS_write, fd2, buf, 12);

	/* fd opened by a thread, used by main: one shared table */
	pthread_t th;
	pthread_create(&th, NULL, opener, NULL);
	pthread_join(th, NULL);
	printf("thread_fd %d\n", thread_fd);
	printf("thread_write %ld\n", (long)syscall(SYS_write, thread_fd, buf, 13));

	/* close_range: 20 and 30 closed, then a write to 30 fails */
	printf("close_range %ld\n", (long)syscall(SYS_close_range, 20, 30, 0));
	r = syscall(SYS_write, 30, buf, 1);
	printf("write_closed %ld %d\n", r, errno);

	/* CLOEXEC across exec: fd2 (top.txt) cloexec, thread_fd moved to 9 without */
	syscall(SYS_fcntl, fd2, F_SETFD, FD_CLOEXEC);
	syscall(SYS_dup2, thread_fd, 9);
	char num[16];
	snprintf(num, sizeof(num), "%d", fd2);
	execl("/proc/self/exe", argv[0], "--after-exec", num, (char *)NULL);
	return 3;
}
