// SPDX-License-Identifier: MIT
// sysfmt: formats calls whose arguments live in this very process (tmem reads its own memory),
// including hostile strings, NULL and unmapped pointers and strings that run into an unmapped page.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "decode/sysfmt.h"
#include "tracee/task.h"


static struct buf b;
static struct task t;
static char *page2; /* two pages: the first readable, the second PROT_NONE */

static void call(int64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
		 int64_t ret)
{
	memset(&t, 0, sizeof(t));
	t.tid = getpid();
	t.sc.arch = AUDIT_ARCH_X86_64;
	t.sc.nr = nr;
	uint64_t a[6] = { a0, a1, a2, a3, a4, a5 };
	memcpy(t.sc.args, a, sizeof(a));
	t.sc.ret = ret;
	t.sc.is_error = ret < 0 && ret >= -4095;
}

static const char *fmt(int strsize)
{
	buf_reset(&b);
	sysfmt_call(&b, &t, strsize);
	return b.data;
}

#define P(x) ((uint64_t)(uintptr_t)(x))

static void openat_like_strace(void **state)
{
	(void)state;
	call(SYS_openat, (uint64_t)-100, P("/etc/passwd"), O_RDONLY | O_CLOEXEC, 0, 0, 0, 3);
	assert_string_equal(fmt(32), "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3");
	call(SYS_openat, 5, P("out.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0644, 0, 0, -2);
	assert_string_equal(fmt(32), "openat(5, \"out.txt\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = -1 ENOENT (No such file or directory)");
	call(SYS_open, P("/tmp"), O_RDWR | O_TMPFILE, 0600, 0, 0, 0, -13);
	assert_string_equal(fmt(32), "open(\"/tmp\", O_RDWR|O_TMPFILE, 0600) = -1 EACCES (Permission denied)");
	/* paths are shown whole: -s limits strings and buffers, not paths */
	call(SYS_unlink, P("/a/rather/long/path/name"), 0, 0, 0, 0, 0, 0);
	assert_string_equal(fmt(4), "unlink(\"/a/rather/long/path/name\") = 0");
}

static void hostile_strings(void **state)
{
	(void)state;
	call(SYS_unlink, P("a\nb\x1b[31m\xff\xc3\xa9\"\\\x1b" "1\t\x7f\xe2\x80\xa8\xc2\x85"), 0, 0, 0, 0, 0, 0);
	assert_string_equal(fmt(64), "unlink(\"a\\nb\\33[31m\\xff\xc3\xa9\\\"\\\\\\0331\\t\\177\\xe2\\x80\\xa8\\xc2\\x85\") = 0");
	/* overlong and surrogate encodings are not valid UTF-8 */
	call(SYS_unlink, P("\xc0\xaf\xed\xa0\x80"), 0, 0, 0, 0, 0, 0);
	assert_string_equal(fmt(64), "unlink(\"\\xc0\\xaf\\xed\\xa0\\x80\") = 0");
	/* one line whatever the input */
	char all[256];
	for (int i = 0; i < 255; i++)
		all[i] = (char)(i + 1);
	all[255] = 0;
	call(SYS_unlink, P(all), 0, 0, 0, 0, 0, 0);
	fmt(64);
	assert_null(strchr(b.data, '\n'));
	assert_null(strchr(b.data, '\x1b'));
	assert_null(strchr(b.data, '\r'));
}

static void bad_pointers(void **state)
{
	(void)state;
	call(SYS_unlink, 0, 0, 0, 0, 0, 0, -14);
	assert_string_equal(fmt(32), "unlink(NULL) = -1 EFAULT (Bad address)");
	call(SYS_unlink, P(page2 + 4096), 0, 0, 0, 0, 0, -14);
	char want[128];
	snprintf(want, sizeof(want), "unlink(%p) = -1 EFAULT (Bad address)", (void *)(page2 + 4096));
	assert_string_equal(fmt(32), want);
	call(SYS_unlink, 1, 0, 0, 0, 0, 0, -14);
	assert_string_equal(fmt(32), "unlink(0x1) = -1 EFAULT (Bad address)");
	call(SYS_unlink, 0xffffffff81000000ull, 0, 0, 0, 0, 0, -14);
	assert_string_equal(fmt(32), "unlink(0xffffffff81000000) = -1 EFAULT (Bad address)");
	/* a string that runs into the unmapped page: what is there, then "..." */
	memcpy(page2 + 4096 - 3, "abc", 3);
	call(SYS_unlink, P(page2 + 4096 - 3), 0, 0, 0, 0, 0, -14);
	assert_string_equal(fmt(32), "unlink(\"abc\"...) = -1 EFAULT (Bad address)");
	/* a buffer that does */
	call(SYS_write, 1, P(page2 + 4096 - 3), 10, 0, 0, 0, -14);
	assert_string_equal(fmt(32), "write(1, \"abc\"..., 10) = -1 EFAULT (Bad address)");
}

static void buffers_and_strsize(void **state)
{
	(void)state;
	call(SYS_write, 1, P("hello world\n"), 12, 0, 0, 0, 12);
	assert_string_equal(fmt(32), "write(1, \"hello world\\n\", 12) = 12");
	assert_string_equal(fmt(5), "write(1, \"hello\"..., 12) = 12");
	assert_string_equal(fmt(0), "write(1, \"\"..., 12) = 12");
	char rb[16] = "abcd\0efgh";
	call(SYS_read, 0, P(rb), sizeof(rb), 0, 0, 0, 6);
	assert_string_equal(fmt(32), "read(0, \"abcd\\0e\", 16) = 6");
	call(SYS_read, 0, P(rb), sizeof(rb), 0, 0, 0, -11);
	char want[128];
	snprintf(want, sizeof(want), "read(0, %p, 16) = -1 EAGAIN (Resource temporarily unavailable)", (void *)rb);
	assert_string_equal(fmt(32), want);
	/* a 1 MB string costs at most strsize bytes of output */
	size_t big = 1 << 20;
	char *s = malloc(big + 1);
	memset(s, 'x', big);
	s[big] = 0;
	call(SYS_write, 2, P(s), big, 0, 0, 0, (int64_t)big);
	fmt(8);
	assert_string_equal(b.data, "write(2, \"xxxxxxxx\"..., 1048576) = 1048576");
	call(SYS_setxattr, P("/f"), P(s), 0, 0, 0, 0, 0);
	fmt(4);
	assert_string_equal(b.data, "setxattr(\"/f\", \"xxxx\"..., NULL, 0, 0) = 0");
	free(s);
	struct iovec iov[2] = { { (void *)"ab", 2 }, { (void *)"cde", 3 } };
	call(SYS_writev, 1, P(iov), 2, 0, 0, 0, 5);
	assert_string_equal(fmt(32), "writev(1, [{iov_base=\"ab\", iov_len=2}, {iov_base=\"cde\", iov_len=3}], 2) = 5");
	char r1[4] = "WXYZ", r2[4] = "QRST";
	struct iovec riov[2] = { { r1, 4 }, { r2, 4 } };
	call(SYS_readv, 0, P(riov), 2, 0, 0, 0, 5);
	assert_string_equal(fmt(32), "readv(0, [{iov_base=\"WXYZ\", iov_len=4}, {iov_base=\"Q\", iov_len=4}], 2) = 5");
}

static void returns(void **state)
{
	(void)state;
	call(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0, 0x7f1234560000);
	assert_string_equal(fmt(32), "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1234560000");
	call(SYS_mmap, 0, 4096, PROT_NONE, MAP_SHARED, 3, 8192, -12);
	assert_string_equal(fmt(32), "mmap(NULL, 4096, PROT_NONE, MAP_SHARED, 3, 8192) = -1 ENOMEM (Cannot allocate memory)");
	call(SYS_brk, 0, 0, 0, 0, 0, 0, 0x55d0c0de0000);
	assert_string_equal(fmt(32), "brk(NULL) = 0x55d0c0de0000");
	call(SYS_exit_group, 3, 0, 0, 0, 0, 0, 0);
	assert_string_equal(fmt(32), "exit_group(3) = ?");
	call(SYS_read, 0, P(page2), 10, 0, 0, 0, -512);
	char want[160];
	snprintf(want, sizeof(want), "read(0, %p, 10) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)", (void *)page2);
	assert_string_equal(fmt(32), want);
	call(SYS_nanosleep, 0, 0, 0, 0, 0, 0, -516);
	assert_string_equal(fmt(32), "nanosleep(NULL, NULL) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)");
	call(SYS_rt_sigreturn, 0, 0, 0, 0, 0, 0, -4);
	assert_string_equal(fmt(32), "rt_sigreturn() = -4");
	call(SYS_getuid, 0, 0, 0, 0, 0, 0, 1000);
	assert_string_equal(fmt(32), "getuid() = 1000");
	call(SYS_umask, 022, 0, 0, 0, 0, 0, 077);
	assert_string_equal(fmt(32), "umask(0022) = 0077");
	call(SYS_close, 3, 0, 0, 0, 0, 0, -4000);
	assert_string_equal(fmt(32), "close(3) = -1 E??? (errno 4000)");
	call(SYS_fcntl, 3, F_GETFL, 0, 0, 0, 0, O_RDWR | 0x8000);
	assert_string_equal(fmt(32), "fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)");
	call(SYS_fcntl, 3, F_SETFD, FD_CLOEXEC, 0, 0, 0, 0);
	assert_string_equal(fmt(32), "fcntl(3, F_SETFD, FD_CLOEXEC) = 0");
	call(SYS_fcntl, 3, F_DUPFD_CLOEXEC, 10, 0, 0, 0, 10);
	assert_string_equal(fmt(32), "fcntl(3, F_DUPFD_CLOEXEC, 10) = 10");
	call(SYS_lseek, 3, (uint64_t)-5, SEEK_END, 0, 0, 0, 95);
	assert_string_equal(fmt(32), "lseek(3, -5, SEEK_END) = 95");
}

static void unknown_numbers(void **state)
{
	(void)state;
	call(-1, 1, 2, 3, 4, 5, 6, -38);
	assert_string_equal(fmt(32), "syscall_0xffffffffffffffff(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)");
	call(0x40000000 | 39, 0, 0, 0, 0, 0, 0, -38);
	assert_string_equal(fmt(32), "syscall_0x40000027(0, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)");
	call(0x7fffffff, 0, 0, 0, 0, 0, 0, -38);
	assert_string_equal(fmt(32), "syscall_0x7fffffff(0, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)");
	call(0xffff, 0, 0, 0, 0, 0, 0, -38);
	t.sc.arch = AUDIT_ARCH_I386;
	t.sc.compat = true;
	assert_string_equal(fmt(32), "syscall_0xffff(0, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)");
	call(400, 0, 0, 0, 0, 0, 0, 0);
	t.sc.arch = 0x1234; /* an arch we have no table for */
	assert_string_equal(fmt(32), "syscall_0x190(0, 0, 0, 0, 0, 0) = 0");
}

static void i386_calls(void **state)
{
	(void)state;
	/* 32-bit arguments: the upper halves of the registers are ignored */
	call(5, P("/etc/passwd") , O_RDONLY | 0xdead00000000ull, 0, 0, 0, 0, 3);
	t.sc.arch = AUDIT_ARCH_I386;
	t.sc.compat = true;
	if (P("/etc/passwd") > 0xffffffffull) {
		/* our own string is above 4 GB: an i386 tracee could not point at it */
		char want[64];
		snprintf(want, sizeof(want), "open(%#llx, O_RDONLY) = 3", (unsigned long long)(uint32_t)P("/etc/passwd"));
		fmt(32);
		assert_true(strstr(b.data, "open(") == b.data);
		assert_non_null(strstr(b.data, ", O_RDONLY) = 3"));
	} else {
		assert_string_equal(fmt(32), "open(\"/etc/passwd\", O_RDONLY) = 3");
	}
	call(20, 0, 0, 0, 0, 0, 0, 42);
	t.sc.arch = AUDIT_ARCH_I386;
	assert_string_equal(fmt(32), "getpid() = 42");
	call(1, 0x100000007ull, 0, 0, 0, 0, 0, 0);
	t.sc.arch = AUDIT_ARCH_I386;
	assert_string_equal(fmt(32), "exit(7) = ?");
}

static void structures(void **state)
{
	(void)state;
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(80) };
	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	call(SYS_connect, 3, P(&in), sizeof(in), 0, 0, 0, 0);
	assert_string_equal(fmt(32), "connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0");
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(443) };
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	call(SYS_connect, 4, P(&in6), sizeof(in6), 0, 0, 0, -111);
	assert_string_equal(fmt(32), "connect(4, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), "
				     "inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused)");
	struct sockaddr_un un = { .sun_family = AF_UNIX, .sun_path = "/run/x\n.sock" };
	call(SYS_bind, 5, P(&un), offsetof(struct sockaddr_un, sun_path) + 13, 0, 0, 0, 0);
	assert_string_equal(fmt(32), "bind(5, {sa_family=AF_UNIX, sun_path=\"/run/x\\n.sock\"}, 15) = 0");
	/* a length that claims more than the kernel allows is cut to what a sockaddr holds */
	call(SYS_bind, 5, P(&in), 100000, 0, 0, 0, -22);
	assert_non_null(strstr(fmt(32), "sin_port=htons(80)"));
	socklen_t alen = sizeof(in);
	call(SYS_accept, 3, P(&in), P(&alen), 0, 0, 0, 6);
	assert_string_equal(fmt(32), "accept(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 6");
	call(SYS_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0, 0, 0, 0, 3);
	assert_string_equal(fmt(32), "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3");
	call(SYS_socket, AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 0, 0, 0, 3);
	assert_string_equal(fmt(32), "socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP) = 3");
	call(SYS_socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0, 0, 0, 0, 3);
	assert_string_equal(fmt(32), "socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 3");
	call(SYS_socket, AF_UNIX, SOCK_STREAM, 0, 0, 0, 0, 3);
	assert_string_equal(fmt(32), "socket(AF_UNIX, SOCK_STREAM, 0) = 3");
	call(SYS_sendto, 3, P("GET"), 3, MSG_NOSIGNAL | MSG_DONTWAIT, 0, 0, 3);
	assert_string_equal(fmt(32), "sendto(3, \"GET\", 3, MSG_DONTWAIT|MSG_NOSIGNAL, NULL, 0) = 3");

	uint64_t set = 1ull << (SIGINT - 1) | 1ull << (SIGTERM - 1);
	call(SYS_rt_sigprocmask, SIG_BLOCK, P(&set), 0, 8, 0, 0, 0);
	assert_string_equal(fmt(32), "rt_sigprocmask(SIG_BLOCK, [INT TERM], NULL, 8) = 0");
	uint64_t most = ~(1ull << (SIGKILL - 1));
	call(SYS_rt_sigprocmask, SIG_SETMASK, P(&most), 0, 8, 0, 0, 0);
	assert_string_equal(fmt(32), "rt_sigprocmask(SIG_SETMASK, ~[KILL], NULL, 8) = 0");
	call(SYS_kill, 123, SIGRTMIN, 0, 0, 0, 0, 0);
	assert_string_equal(fmt(32), "kill(123, SIGRTMIN+2) = 0");

	struct timespec ts = { 1, 500 };
	char want_st[128];
	int fds[2] = { 3, 4 };
	call(SYS_pipe2, P(fds), O_CLOEXEC, 0, 0, 0, 0, 0);
	assert_string_equal(fmt(32), "pipe2([3, 4], O_CLOEXEC) = 0");
	int st = 0x100;
	call(SYS_wait4, (uint64_t)-1, P(&st), 0, 0, 0, 0, 77);
	assert_string_equal(fmt(32), "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL) = 77");
	st = SIGSEGV | 0x80;
	call(SYS_wait4, 77, P(&st), 0x40000000 | 1, 0, 0, 0, 77);
	assert_string_equal(fmt(32), "wait4(77, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}], WNOHANG|__WALL, NULL) = 77");
	st = SIGSTOP << 8 | 0x7f;
	call(SYS_wait4, 77, P(&st), 2, 0, 0, 0, 77);
	assert_string_equal(fmt(32), "wait4(77, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], WUNTRACED, NULL) = 77");
	call(SYS_wait4, 77, P(&st), 1, 0, 0, 0, 0); /* WNOHANG and nothing to reap: status untouched */
	snprintf(want_st, sizeof(want_st), "wait4(77, %p, WNOHANG, NULL) = 0", (void *)&st);
	assert_string_equal(fmt(32), want_st);
	call(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, 0, 0, 0, 0);
	assert_string_equal(fmt(32), "prlimit64(0, RLIMIT_NOFILE, NULL, NULL) = 0");
	call(SYS_arch_prctl, 0x1002, 0x7f0000001000, 0, 0, 0, 0, 0);
	assert_string_equal(fmt(32), "arch_prctl(ARCH_SET_FS, 0x7f0000001000) = 0");
	call(SYS_madvise, 0x1000, 4096, 999, 0, 0, 0, -22);
	assert_string_equal(fmt(32), "madvise(0x1000, 4096, 999) = -1 EINVAL (Invalid argument)");
	call(SYS_madvise, 0x1000, 4096, MADV_DONTNEED, 0, 0, 0, 0);
	assert_string_equal(fmt(32), "madvise(0x1000, 4096, MADV_DONTNEED) = 0");
	call(SYS_clock_gettime, CLOCK_MONOTONIC, P(&ts), 0, 0, 0, 0, 0);
	snprintf(want_st, sizeof(want_st), "clock_gettime(CLOCK_MONOTONIC, %p) = 0", (void *)&ts);
	assert_string_equal(fmt(32), want_st);
	call(SYS_nanosleep, P(&ts), 0, 0, 0, 0, 0, 0);
	assert_string_equal(fmt(32), "nanosleep({tv_sec=1, tv_nsec=500}, NULL) = 0");
	call(SYS_clone, 0x3d0f00, 0, 0, 0, 0, 0, 1234);
	assert_string_equal(fmt(32), "clone(CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|"
				     "CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, NULL, NULL, NULL, 0) = 1234");
	call(SYS_faccessat, (uint64_t)-100, P("x"), R_OK | W_OK, 0, 0, 0, 0);
	assert_string_equal(fmt(32), "faccessat(AT_FDCWD, \"x\", R_OK|W_OK) = 0");
	call(SYS_access, P("x"), F_OK, 0, 0, 0, 0, 0);
	assert_string_equal(fmt(32), "access(\"x\", F_OK) = 0");
	call(SYS_newfstatat, 3, P(""), 0, AT_EMPTY_PATH, 0, 0, 0);
	assert_string_equal(fmt(32), "newfstatat(3, \"\", NULL, AT_EMPTY_PATH) = 0");
	call(SYS_chown, P("f"), (uint64_t)-1, 100, 0, 0, 0, 0);
	assert_string_equal(fmt(32), "chown(\"f\", -1, 100) = 0");
}

static void execve_args(void **state)
{
	(void)state;
	const char *argv[] = { "sh", "-c", "cat /etc/hostname", NULL };
	const char *envp[] = { "A=1", "B=2", NULL };
	call(SYS_execve, P("/bin/sh"), P(argv), P(envp), 0, 0, 0, 0);
	assert_true(sysfmt_needs_entry(&t));
	char want[200];
	snprintf(want, sizeof(want), "execve(\"/bin/sh\", [\"sh\", \"-c\", \"cat /etc/hostname\"], %p /* 2 vars */) = 0",
		 (void *)envp);
	assert_string_equal(fmt(32), want);
	/* arguments captured at entry are used as given */
	buf_reset(&b);
	struct buf args = { 0 };
	sysfmt_entry_args(&args, &t, 32);
	sysfmt_call_with(&b, &t, 32, args.data);
	assert_string_equal(b.data, want);
	buf_free(&args);
	/* an argv that runs into an unmapped page */
	const char **tail = (const char **)(page2 + 4096 - sizeof(char *));
	tail[0] = "x";
	call(SYS_execve, P("/bin/x"), P(tail), 0, 0, 0, 0, -2);
	assert_string_equal(fmt(32), "execve(\"/bin/x\", [\"x\", ...], NULL) = -1 ENOENT (No such file or directory)");
	call(SYS_read, 0, 0, 0, 0, 0, 0, 0);
	assert_false(sysfmt_needs_entry(&t));
	call(SYS_close, 3, 0, 0, 0, 0, 0, 0);
	assert_true(sysfmt_needs_entry(&t));
	call(SYS_dup2, 3, 4, 0, 0, 0, 0, 4);
	assert_true(sysfmt_needs_entry(&t));
	call(-1, 0, 0, 0, 0, 0, 0, -38);
	assert_false(sysfmt_needs_entry(&t));
}

static int setup(void **state)
{
	(void)state;
	page2 = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page2 == MAP_FAILED || mprotect(page2 + 4096, 4096, PROT_NONE) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	buf_free(&b);
	munmap(page2, 8192);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(openat_like_strace),
		cmocka_unit_test(hostile_strings),
		cmocka_unit_test(bad_pointers),
		cmocka_unit_test(buffers_and_strsize),
		cmocka_unit_test(returns),
		cmocka_unit_test(unknown_numbers),
		cmocka_unit_test(i386_calls),
		cmocka_unit_test(structures),
		cmocka_unit_test(execve_args),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
