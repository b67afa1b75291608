// SPDX-License-Identifier: MIT
// xlat: constant names agree with libc's values and strings; flag formatters name known bits and show the rest in hex.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "lib/xlat.h"


static struct buf b;

static const char *S(void)
{
	return b.data ? b.data : "";
}

static void errno_names(void **state)
{
	(void)state;
	assert_string_equal(xlat_errno_name(ENOENT), "ENOENT");
	assert_string_equal(xlat_errno_name(ECONNREFUSED), "ECONNREFUSED");
	assert_string_equal(xlat_errno_name(EHWPOISON), "EHWPOISON");
	assert_string_equal(xlat_errno_name(512), "ERESTARTSYS");
	assert_string_equal(xlat_errno_name(513), "ERESTARTNOINTR");
	assert_string_equal(xlat_errno_name(514), "ERESTARTNOHAND");
	assert_string_equal(xlat_errno_name(515), "ENOIOCTLCMD");
	assert_string_equal(xlat_errno_name(516), "ERESTART_RESTARTBLOCK");
	assert_null(xlat_errno_name(0));
	assert_null(xlat_errno_name(-2));
	assert_null(xlat_errno_name(134));
	assert_null(xlat_errno_name(517));
	assert_string_equal(xlat_errno_text(ENOENT), "No such file or directory");
	assert_string_equal(xlat_errno_text(512), "To be restarted if SA_RESTART is set");
	assert_int_equal(xlat_errno_lookup("EACCES"), EACCES);
	assert_int_equal(xlat_errno_lookup("ENOPE"), -1);
	/* every name and text agrees with glibc's */
	for (int e = 1; e <= 133; e++) {
		const char *n = strerrorname_np(e);
		if (!n) {
			assert_null(xlat_errno_name(e));
			continue;
		}
		assert_string_equal(xlat_errno_name(e), n);
		assert_string_equal(xlat_errno_text(e), strerror(e));
	}
}

static void signal_names(void **state)
{
	(void)state;
	assert_string_equal(xlat_signal_name(SIGKILL), "SIGKILL");
	assert_string_equal(xlat_signal_name(SIGSEGV), "SIGSEGV");
	assert_string_equal(xlat_signal_name(SIGIO), "SIGIO");
	assert_string_equal(xlat_signal_name(SIGSYS), "SIGSYS");
	assert_string_equal(xlat_signal_name(32), "SIGRTMIN");
	assert_string_equal(xlat_signal_name(35), "SIGRTMIN+3");
	assert_string_equal(xlat_signal_name(64), "SIGRTMIN+32");
	assert_null(xlat_signal_name(0));
	assert_null(xlat_signal_name(65));
	assert_null(xlat_signal_name(-1));
	for (int s = 1; s < 32; s++) {
		char want[32] = "SIG";
		strcat(want, s == SIGIO ? "IO" : sigabbrev_np(s));
		assert_string_equal(xlat_signal_name(s), want);
		assert_int_equal(xlat_signal_lookup(want), s);
	}
	assert_int_equal(xlat_signal_lookup("SIGINT"), SIGINT);
	assert_int_equal(xlat_signal_lookup("int"), SIGINT);
	assert_int_equal(xlat_signal_lookup("2"), 2);
	assert_int_equal(xlat_signal_lookup("SIGRTMIN+2"), 34);
	assert_int_equal(xlat_signal_lookup("RTMIN"), 32);
	assert_int_equal(xlat_signal_lookup("SIGRTMAX"), 64);
	assert_int_equal(xlat_signal_lookup("SIGPOLL"), SIGIO);
	assert_int_equal(xlat_signal_lookup("SIGRTMIN+33"), -1);
	assert_int_equal(xlat_signal_lookup("0"), -1);
	assert_int_equal(xlat_signal_lookup("65"), -1);
	assert_int_equal(xlat_signal_lookup("SIGNOPE"), -1);
	assert_int_equal(xlat_signal_lookup(""), -1);
	assert_int_equal(xlat_signal_lookup("SIG"), -1);
}

static void open_flags(void **state)
{
	(void)state;
	buf_reset(&b);
	xlat_open_flags_str(&b, O_WRONLY | O_CREAT | O_TRUNC);
	assert_string_equal(S(), "O_WRONLY|O_CREAT|O_TRUNC");
	buf_reset(&b);
	xlat_open_flags_str(&b, O_RDONLY | O_CLOEXEC);
	assert_string_equal(S(), "O_RDONLY|O_CLOEXEC");
	buf_reset(&b);
	xlat_open_flags_str(&b, O_RDWR | O_TMPFILE);
	assert_string_equal(S(), "O_RDWR|O_TMPFILE");
	buf_reset(&b);
	xlat_open_flags_str(&b, O_RDONLY | O_DIRECTORY | O_SYNC);
	assert_string_equal(S(), "O_RDONLY|O_SYNC|O_DIRECTORY");
	buf_reset(&b);
	xlat_open_flags_str(&b, O_WRONLY | O_DSYNC | 0x8000);
	assert_string_equal(S(), "O_WRONLY|O_DSYNC|O_LARGEFILE");
	buf_reset(&b);
	xlat_open_flags_str(&b, 0x40000000 | O_APPEND | 3);
	assert_string_equal(S(), "0x3|O_APPEND|0x40000000");
	assert_string_equal(xlat_open_access(O_RDONLY | O_CREAT), "r");
	assert_string_equal(xlat_open_access(O_WRONLY | O_TRUNC), "w");
	assert_string_equal(xlat_open_access(O_RDWR), "rw");
	int found;
	assert_int_equal(xlat_value(&xt_open_flags, "O_CREAT", &found), O_CREAT);
	assert_int_equal(found, 1);
	assert_int_equal(xlat_value(&xt_open_flags, "O_NOATIME", &found), O_NOATIME);
	assert_int_equal(xlat_value(&xt_open_flags, "O_PATH", &found), O_PATH);
	assert_int_equal(xlat_value(&xt_open_flags, "O_NOPE", &found), 0);
	assert_int_equal(found, 0);
}

static void generic_flags(void **state)
{
	(void)state;
	buf_reset(&b);
	assert_int_equal(xlat_flags(&b, &xt_at_flags, 0), 1);
	assert_string_equal(S(), "0");
	buf_reset(&b);
	assert_int_equal(xlat_flags(&b, &xt_at_flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x10000000), 3);
	assert_string_equal(S(), "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|0x10000000");
	buf_reset(&b);
	xlat_enum(&b, &xt_whence, SEEK_END, 0);
	xlat_enum(&b, &xt_whence, 99, 0);
	xlat_enum(&b, &xt_whence, 99, 1);
	assert_string_equal(S(), "SEEK_END990x63");
}

static void memory_flags(void **state)
{
	(void)state;
	assert_string_equal(xlat_prot_str(PROT_READ | PROT_WRITE), "rw-");
	assert_string_equal(xlat_prot_str(PROT_READ | PROT_EXEC), "r-x");
	assert_string_equal(xlat_prot_str(PROT_NONE), "---");
	assert_string_equal(xlat_prot_str(7), "rwx");
	buf_reset(&b);
	xlat_prot_flags(&b, PROT_NONE);
	assert_string_equal(S(), "PROT_NONE");
	buf_reset(&b);
	xlat_prot_flags(&b, PROT_READ | PROT_EXEC | 0x100);
	assert_string_equal(S(), "PROT_READ|PROT_EXEC|0x100");
	buf_reset(&b);
	xlat_mmap_flags(&b, MAP_PRIVATE | MAP_ANONYMOUS);
	assert_string_equal(S(), "MAP_PRIVATE|MAP_ANONYMOUS");
	buf_reset(&b);
	xlat_mmap_flags(&b, MAP_PRIVATE | MAP_FIXED | MAP_DENYWRITE);
	assert_string_equal(S(), "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE");
	buf_reset(&b);
	xlat_mmap_flags(&b, MAP_SHARED_VALIDATE | MAP_SYNC);
	assert_string_equal(S(), "MAP_SHARED_VALIDATE|MAP_SYNC");
	buf_reset(&b);
	xlat_mmap_flags(&b, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (21u << 26));
	assert_string_equal(S(), "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_2MB");
	buf_reset(&b);
	xlat_mmap_flags(&b, 0);
	assert_string_equal(S(), "0");
}

static void socket_names(void **state)
{
	(void)state;
	assert_string_equal(xlat_sockfamily(AF_INET), "AF_INET");
	assert_string_equal(xlat_sockfamily(AF_INET6), "AF_INET6");
	assert_string_equal(xlat_sockfamily(AF_UNIX), "AF_UNIX");
	assert_string_equal(xlat_sockfamily(AF_NETLINK), "AF_NETLINK");
	assert_string_equal(xlat_sockfamily(AF_VSOCK), "AF_VSOCK");
	assert_null(xlat_sockfamily(200));
	buf_reset(&b);
	xlat_socktype(&b, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK);
	assert_string_equal(S(), "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC");
	buf_reset(&b);
	xlat_socktype(&b, SOCK_DGRAM);
	assert_string_equal(S(), "SOCK_DGRAM");
	buf_reset(&b);
	xlat_socktype(&b, 15 | 0x100);
	assert_string_equal(S(), "15|0x100");
}

static void fcntl_and_sicode(void **state)
{
	(void)state;
	assert_string_equal(xlat_fcntl_cmd(F_SETFD), "F_SETFD");
	assert_string_equal(xlat_fcntl_cmd(F_DUPFD_CLOEXEC), "F_DUPFD_CLOEXEC");
	assert_string_equal(xlat_fcntl_cmd(F_OFD_SETLKW), "F_OFD_SETLKW");
	assert_null(xlat_fcntl_cmd(999));
	assert_string_equal(xlat_sicode(SIGSEGV, SEGV_MAPERR), "SEGV_MAPERR");
	assert_string_equal(xlat_sicode(SIGSEGV, SEGV_ACCERR), "SEGV_ACCERR");
	assert_string_equal(xlat_sicode(SIGBUS, BUS_ADRERR), "BUS_ADRERR");
	assert_string_equal(xlat_sicode(SIGILL, ILL_ILLOPN), "ILL_ILLOPN");
	assert_string_equal(xlat_sicode(SIGFPE, FPE_INTDIV), "FPE_INTDIV");
	assert_string_equal(xlat_sicode(SIGTRAP, TRAP_TRACE), "TRAP_TRACE");
	assert_string_equal(xlat_sicode(SIGCHLD, CLD_KILLED), "CLD_KILLED");
	assert_string_equal(xlat_sicode(SIGSYS, 1), "SYS_SECCOMP");
	assert_string_equal(xlat_sicode(SIGSEGV, SI_USER), "SI_USER");
	assert_string_equal(xlat_sicode(SIGSEGV, SI_KERNEL), "SI_KERNEL");
	assert_string_equal(xlat_sicode(SIGTERM, SI_TKILL), "SI_TKILL");
	assert_string_equal(xlat_sicode(SIGTERM, SI_QUEUE), "SI_QUEUE");
	assert_null(xlat_sicode(SIGTERM, 1));
	assert_null(xlat_sicode(SIGSEGV, 99));
	assert_null(xlat_sicode(SIGSEGV, -99));
}

static void clone_flags(void **state)
{
	(void)state;
	buf_reset(&b); /* glibc pthread_create */
	xlat_clone_flags(&b, CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
				     CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID);
	assert_string_equal(S(), "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|"
				 "CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID");
	buf_reset(&b); /* glibc fork */
	xlat_clone_flags(&b, CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD);
	assert_string_equal(S(), "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
	buf_reset(&b);
	xlat_clone_flags(&b, 0);
	assert_string_equal(S(), "0");
	buf_reset(&b);
	xlat_clone_flags(&b, CLONE_NEWUSER | 100);
	assert_string_equal(S(), "CLONE_NEWUSER|100");
	buf_reset(&b);
	xlat_clone_flags(&b, 0x200000000ull | CLONE_VFORK | CLONE_VM | SIGCHLD);
	assert_string_equal(S(), "CLONE_VM|CLONE_VFORK|CLONE_INTO_CGROUP|SIGCHLD");
}

static void tables_agree_with_libc(void **state)
{
	(void)state;
	int f;
#define V(t, n) assert_int_equal(xlat_value(&t, #n, &f), n), assert_int_equal(f, 1)
	V(xt_mmap_flags, MAP_FIXED); V(xt_mmap_flags, MAP_ANONYMOUS); V(xt_mmap_flags, MAP_STACK);
	V(xt_mmap_flags, MAP_FIXED_NOREPLACE); V(xt_mmap_flags, MAP_POPULATE);
	V(xt_prot, PROT_READ); V(xt_prot, PROT_WRITE); V(xt_prot, PROT_EXEC);
	V(xt_sock_family, AF_PACKET); V(xt_sock_family, AF_BLUETOOTH); V(xt_sock_family, AF_XDP);
	V(xt_clone_flags, CLONE_NEWPID); V(xt_clone_flags, CLONE_PIDFD); V(xt_clone_flags, CLONE_NEWTIME);
	V(xt_fcntl_cmd, F_GETPIPE_SZ); V(xt_fcntl_cmd, F_ADD_SEALS);
	V(xt_at_flags, AT_REMOVEDIR); V(xt_at_flags, AT_RECURSIVE);
	V(xt_mremap_flags, MREMAP_DONTUNMAP);
#undef V
}

static int teardown(void **state)
{
	(void)state;
	buf_free(&b);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errno_names),
		cmocka_unit_test(signal_names),
		cmocka_unit_test(open_flags),
		cmocka_unit_test(generic_flags),
		cmocka_unit_test(memory_flags),
		cmocka_unit_test(socket_names),
		cmocka_unit_test(fcntl_and_sicode),
		cmocka_unit_test(clone_flags),
		cmocka_unit_test(tables_agree_with_libc),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
