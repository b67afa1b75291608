// SPDX-License-Identifier: MIT
// sel_strace: the calls of strace's classes (%creds, %clock, %stat..., %pure), raw so that libc adds
// nothing (no vDSO), files touched by name, through a symlink and by fd, two handled signals and one
// failing call of each kind, for tests/e2e/strace-select.sh. Run in a directory holding t.txt and
// link.txt -> t.txt.
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void on_signal(int sig)
{
	(void)sig;
}

int main(void)
{
	struct stat st;
	struct statfs sf;
	struct statx sx;
	struct timespec ts;
	char buf[16];
	unsigned id[3];
	gid_t groups[64];
	struct __user_cap_header_struct ch = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct cd[2];

	/* %creds */
	syscall(SYS_getuid);
	syscall(SYS_geteuid);
	syscall(SYS_getgid);
	syscall(SYS_getegid);
	syscall(SYS_getgroups, 64, groups);
	syscall(SYS_getresuid, &id[0], &id[1], &id[2]);
	syscall(SYS_getresgid, &id[0], &id[1], &id[2]);
	syscall(SYS_setresuid, -1, -1, -1);
	syscall(SYS_capget, &ch, cd);
	syscall(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0);
	/* %clock */
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	syscall(SYS_clock_getres, CLOCK_REALTIME, &ts);
	syscall(SYS_gettimeofday, NULL, NULL);
	syscall(SYS_time, NULL);
	/* %pure */
	syscall(SYS_getpid);
	syscall(SYS_gettid);
	syscall(SYS_getppid);
	syscall(SYS_getpgrp);
	/* %stat, %lstat, %fstat, %statfs, %fstatfs: by name, through the symlink, by fd */
	syscall(SYS_stat, "link.txt", &st);
	syscall(SYS_lstat, "link.txt", &st);
	syscall(SYS_stat, "missing.txt", &st); /* fails: ENOENT */
	int fd = (int)syscall(SYS_openat, AT_FDCWD, "t.txt", O_RDONLY);
	syscall(SYS_read, fd, buf, sizeof(buf));
	syscall(SYS_fstat, fd, &st);
	syscall(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH);
	syscall(SYS_statx, AT_FDCWD, "t.txt", 0, STATX_SIZE, &sx);
	syscall(SYS_statfs, "t.txt", &sf);
	syscall(SYS_fstatfs, fd, &sf);
	syscall(SYS_close, fd);
	int dir = (int)syscall(SYS_openat, AT_FDCWD, ".", O_RDONLY | O_DIRECTORY);
	int fd2 = (int)syscall(SYS_openat, dir, "t.txt", O_RDONLY);
	syscall(SYS_close, fd2);
	syscall(SYS_close, dir);
	syscall(SYS_rename, "t.txt", "u.txt");
	syscall(SYS_rename, "u.txt", "t.txt");
	syscall(SYS_openat, AT_FDCWD, "other.txt", O_RDONLY); /* fails: ENOENT */
	/* two handled signals */
	signal(SIGUSR1, on_signal);
	signal(SIGUSR2, on_signal);
	syscall(SYS_kill, syscall(SYS_getpid), SIGUSR1);
	syscall(SYS_kill, syscall(SYS_getpid), SIGUSR2);
	return 0;
}
