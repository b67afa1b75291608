// SPDX-License-Identifier: MIT
// A program with a seccomp filter of its own (doc/ENGINE.md, 'Seccomp
// filters of the tracee'): SECCOMP_RET_TRACE (data 0x5eed) for mkdir and
// sched_yield, SECCOMP_RET_ERRNO(EACCES) for unlink. Untraced, or under a
// tracer that answers the way the kernel does without one, mkdir and
// sched_yield fail with ENOSYS and unlink with EACCES. Prints one line per
// call: "NAME: ok" or "NAME: ERRNO-NAME".
//   sec_own [-p] [-w] [-n] DIR
//   sec_own [-p] -x COMMAND [ARG...]
//   -p  install the filter with prctl(PR_SET_SECCOMP) instead of seccomp(2)
//   -w  after installing it, print "ready PID" and wait until DIR/go exists
//   -n  install no filter (the calls only: under a filter inherited with -x)
//   -t  install it from a second thread with SECCOMP_FILTER_FLAG_TSYNC
//   -x  install the filter, then execute COMMAND (which inherits it)
// Then, in DIR: mkdir d, create and write f, unlink f, sched_yield, rmdir
// of a missing directory (a normal failure), and the same mkdir and unlink
// from a thread and from a forked child (filters are inherited).
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *dir;

static void say(const char *what, long r)
{
	const char *e = "ok";
	char num[32];
	if (r < 0) {
		switch (errno) {
		case ENOSYS: e = "ENOSYS"; break;
		case EACCES: e = "EACCES"; break;
		case ENOENT: e = "ENOENT"; break;
		case EEXIST: e = "EEXIST"; break;
		case EPERM: e = "EPERM"; break;
		default:
			snprintf(num, sizeof(num), "errno %d", errno);
			e = num;
		}
	}
	printf("%s: %s\n", what, e);
	fflush(stdout);
}

static long in_dir(long nr, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return nr == SYS_mkdir ? syscall(nr, path, 0755) : syscall(nr, path);
}

static void *thread_main(void *arg)
{
	(void)arg;
	say("thread mkdir", in_dir(SYS_mkdir, "td"));
	say("thread unlink", in_dir(SYS_unlink, "f"));
	return NULL;
}

static int install(int use_prctl, unsigned flags)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mkdir, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sched_yield, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_unlink, 2, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 0x5eed),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	if (use_prctl)
		return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

static void *tsync_main(void *arg)
{
	*(int *)arg = install(0, SECCOMP_FILTER_FLAG_TSYNC);
	return NULL;
}

int main(int argc, char **argv)
{
	int use_prctl = 0, wait_go = 0, none = 0, run = 0, tsync = 0, o;
	while ((o = getopt(argc, argv, "+pwnxt")) != -1) {
		if (o == 'p')
			use_prctl = 1;
		else if (o == 'w')
			wait_go = 1;
		else if (o == 'n')
			none = 1;
		else if (o == 'x')
			run = 1;
		else if (o == 't')
			tsync = 1;
		else
			return 2;
	}
	if (run ? optind >= argc : optind != argc - 1)
		return 2;
	dir = argv[optind];
	int rc = 0;
	pthread_t th;
	if (tsync && (pthread_create(&th, NULL, tsync_main, &rc) || pthread_join(th, NULL)))
		return 3;
	if (!none && !tsync)
		rc = install(use_prctl, 0);
	if (rc < 0) {
		perror("seccomp filter");
		return 3;
	}
	if (run) {
		execvp(argv[optind], argv + optind);
		perror(argv[optind]);
		return 127;
	}
	if (wait_go) {
		char go[4096];
		struct stat st;
		snprintf(go, sizeof(go), "%s/go", dir);
		printf("ready %d\n", (int)getpid());
		fflush(stdout);
		for (int i = 0; i < 6000 && stat(go, &st) != 0; i++)
			usleep(10000);
	}
	say("mkdir", in_dir(SYS_mkdir, "d"));
	char path[4096];
	snprintf(path, sizeof(path), "%s/f", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	say("open", fd);
	say("write", write(fd, "hello\n", 6));
	say("close", close(fd));
	say("unlink", in_dir(SYS_unlink, "f"));
	say("sched_yield", syscall(SYS_sched_yield));
	say("rmdir", in_dir(SYS_rmdir, "missing"));
	if (pthread_create(&th, NULL, thread_main, NULL) == 0)
		pthread_join(th, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		say("child mkdir", in_dir(SYS_mkdir, "cd"));
		say("child unlink", in_dir(SYS_unlink, "f"));
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	return 0;
}
