// SPDX-License-Identifier: MIT
// Unit tests of the decoders' helpers: absolute paths, noise rules, socket addresses, the memory map.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <sched.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "decode/decode.h"
#include "decode/decode_int.h"
#include "decode/sockaddr.h"
#include "log/run.h"


static void check_abs(struct dec_call *c, int dirfd, const char *in, const char *want)
{
	struct buf b = { 0 };
	assert_true(dec_abs_path(c, dirfd, in, strlen(in), &b));
	assert_string_equal(b.data, want);
	buf_free(&b);
}

static void test_abs_path(void **state)
{
	(void)state;
	struct proc p = { .pid = getpid() };
	struct dec_call c = { .p = &p, .dp = dec_proc(&p) };
	dec_set_cwd(&c, "/home/u/src");
	check_abs(&c, AT_FDCWD, "a.c", "/home/u/src/a.c");
	check_abs(&c, AT_FDCWD, "./x//y/./z/", "/home/u/src/x/y/z");
	check_abs(&c, AT_FDCWD, "../inc/h.h", "/home/u/src/../inc/h.h"); /* ".." kept: symlinks */
	check_abs(&c, AT_FDCWD, ".", "/home/u/src");
	check_abs(&c, AT_FDCWD, "/etc//passwd", "/etc/passwd");
	check_abs(&c, AT_FDCWD, "/", "/");
	/* relative to a directory fd */
	fdtable_install(c.dp->fds, 5, fd_obj_new(FD_FILE, FD_R, "/var/lib"), false);
	check_abs(&c, 5, "dpkg/status", "/var/lib/dpkg/status");
	check_abs(&c, 5, "/abs", "/abs");
	/* a dirfd that is a pipe has no path: the relative path is kept, and said so */
	fdtable_install(c.dp->fds, 6, fd_obj_new(FD_PIPE, FD_R, "pipe:[1]"), false);
	struct buf b = { 0 };
	assert_false(dec_abs_path(&c, 6, "rel", 3, &b));
	assert_string_equal(b.data, "rel");
	/* bytes that are not UTF-8, newlines and ESC pass through untouched */
	assert_true(dec_abs_path(&c, AT_FDCWD, "a\nb\033[2J\xff", 8, &b));
	assert_memory_equal(b.data, "/home/u/src/a\nb\033[2J\xff", 20);
	buf_free(&b);
	decode_proc_free(&p);
	assert_null(p.dec);
}

static void test_noise(void **state)
{
	(void)state;
	const char *noise[] = { "/proc/self/maps", "/proc", "/sys/devices/x", "/dev/null",
				"/etc/ld.so.cache", "/lib64/ld-linux-x86-64.so.2",
				"/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/libfoo.so",
				"/usr/lib/libz.so.1.2.13" };
	const char *quiet[] = { "/etc/passwd", "/procfs/x", "/device", "/tmp/a.so.txt",
				"/home/u/notes.solution", "/usr/lib/python3/x.py" };
	for (unsigned i = 0; i < sizeof(noise) / sizeof(*noise); i++)
		assert_true(dec_noise_path(noise[i], strlen(noise[i])));
	for (unsigned i = 0; i < sizeof(quiet) / sizeof(*quiet); i++)
		assert_false(dec_noise_path(quiet[i], strlen(quiet[i])));
}

static void test_sockaddr(void **state)
{
	(void)state;
	struct sockaddr_info a;
	char s[SOCKADDR_STRLEN], fb[24];
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(443) };
	inet_pton(AF_INET, "93.184.216.34", &in.sin_addr);
	assert_int_equal(sockaddr_parse(&in, sizeof(in), &a), 0);
	sockaddr_str(&a, s, sizeof(s));
	assert_string_equal(s, "93.184.216.34:443");
	assert_false(a.loopback);
	assert_int_equal(sockaddr_parse(&in, 8, &a), -EINVAL); /* short */
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(22) };
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	assert_int_equal(sockaddr_parse(&in6, sizeof(in6), &a), 0);
	sockaddr_str(&a, s, sizeof(s));
	assert_string_equal(s, "[::1]:22");
	assert_true(a.loopback);
	inet_pton(AF_INET6, "::ffff:127.0.0.53", &in6.sin6_addr);
	sockaddr_parse(&in6, sizeof(in6), &a);
	assert_true(a.loopback);
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	memcpy(un.sun_path, "\0abstract", 9);
	assert_int_equal(sockaddr_parse(&un, offsetof(struct sockaddr_un, sun_path) + 9, &a), 0);
	assert_string_equal(a.addr, "@abstract");
	strcpy(un.sun_path, "/run/x.sock");
	sockaddr_parse(&un, sizeof(un), &a);
	assert_string_equal(a.addr, "/run/x.sock");
	sockaddr_parse(&un, sizeof(sa_family_t), &a); /* unnamed */
	assert_string_equal(a.addr, "");
	/* a full-length path without NUL stays bounded */
	memset(un.sun_path, 'x', sizeof(un.sun_path));
	sockaddr_parse(&un, sizeof(un), &a);
	assert_int_equal(strlen(a.addr), sizeof(un.sun_path));
	assert_string_equal(sockaddr_family_name(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, fb, sizeof(fb)), "tcp4");
	assert_string_equal(sockaddr_family_name(AF_INET6, SOCK_DGRAM, fb, sizeof(fb)), "udp6");
	assert_string_equal(sockaddr_family_name(AF_UNIX, SOCK_STREAM, fb, sizeof(fb)), "unix");
	assert_string_equal(sockaddr_family_name(AF_NETLINK, SOCK_RAW, fb, sizeof(fb)), "netlink");
	assert_string_equal(sockaddr_family_name(99, 0, fb, sizeof(fb)), "af99");
}

static void test_memmap(void **state)
{
	(void)state;
	struct proc p = { .pid = getpid() };
	struct memmap *mm = decode_memmap(&p);
	memmap_map(mm, 0x10000, 0x3000, MEM_FILE, "/bin/x");
	const char *path;
	/* the lazy /proc read on the first lookup replaces the map with the real one */
	enum mem_region r = memmap_region_of(mm, (uint64_t)(uintptr_t)&test_memmap, &path);
	assert_int_equal(r, MEM_FILE);
	assert_non_null(path);
	int local;
	assert_int_equal(memmap_region_of(mm, (uint64_t)(uintptr_t)&local, NULL), MEM_STACK);
	assert_int_equal(memmap_region_of(mm, 0x10000, NULL), MEM_OTHER);
	/* after the real map, mmap/munmap/mremap bookkeeping */
	memmap_map(mm, 0x1000000, 0x4000, MEM_ANON, NULL);
	assert_int_equal(memmap_region_of(mm, 0x1003fff, NULL), MEM_ANON);
	memmap_unmap(mm, 0x1001000, 0x1000); /* a hole in the middle */
	assert_int_equal(memmap_region_of(mm, 0x1001000, NULL), MEM_OTHER);
	assert_int_equal(memmap_region_of(mm, 0x1002000, NULL), MEM_ANON);
	memmap_map(mm, 0x1000000, 0x1000, MEM_FILE, "/data"); /* MAP_FIXED over anon */
	assert_int_equal(memmap_region_of(mm, 0x1000000, &path), MEM_FILE);
	assert_string_equal(path, "/data");
	memmap_remap(mm, 0x1000000, 0x1000, 0x2000000, 0x3000);
	assert_int_equal(memmap_region_of(mm, 0x1000000, NULL), MEM_OTHER);
	assert_int_equal(memmap_region_of(mm, 0x2002000, &path), MEM_FILE);
	assert_string_equal(path, "/data");
	/* brk: the heap is initial..current break */
	memmap_reset(mm);
	memmap_map(mm, 0x5000, 0x1000, MEM_ANON, NULL);
	assert_int_equal(memmap_brk(mm, 0x600000), 0);
	assert_int_equal(memmap_brk(mm, 0x621000), 0x600000);
	assert_int_equal(memmap_heap_bytes(mm), 0x21000);
	unsigned n;
	memmap_mmap_bytes(mm, &n);
	decode_proc_free(&p);
}

static bool has(const uint64_t *bm, unsigned nr)
{
	return (bm[nr / 64] >> (nr % 64)) & 1;
}

/* decode_wanted_syscalls under the settings dc. */
static bool wanted(const struct decode_cfg *dc, uint64_t *bm)
{
	decode_init(NULL, dc);
	return decode_wanted_syscalls(bm);
}

static void test_wanted_syscalls(void **state)
{
	(void)state;
	uint64_t bm[SC_BITMAP_WORDS];
	struct decode_cfg dc;
	memset(&dc, 0, sizeof(dc));
	dc.verbose = true;
	dc.sel.all = true;
	assert_false(wanted(&dc, bm)); /* -v of everything: stop at everything */
	dc.sel.all = false;
	dc.sel.bits[SYS_openat / 64] |= 1ull << (SYS_openat % 64);
	memset(bm, 0, sizeof(bm));
	assert_true(wanted(&dc, bm)); /* -v of a selection: the filter stays */
	assert_true(has(bm, SYS_openat) && has(bm, SYS_exit_group) && has(bm, SYS_fchdir));
	assert_false(has(bm, SYS_read) || has(bm, SYS_getpid));
	/* openat is file class: fds named at use, no stop at close, dup or fcntl */
	assert_true(decode_fds_lazy());
	assert_false(has(bm, SYS_close) || has(bm, SYS_dup2) || has(bm, SYS_fcntl) || has(bm, SYS_pipe2));
	struct decode_argrule rules[4];
	assert_int_equal(decode_arg_rules(rules, 4), 0);
	dc.sel.bits[SYS_openat / 64] = 0;
	dc.verbose = false;
	dc.summary = true;
	assert_false(wanted(&dc, bm)); /* -c counts every call */
	assert_false(decode_fds_lazy());
	dc.summary = false;

	/* everything selected: the decoded calls, not the ones without events; the exact fd table */
	dc.sel.all = true;
	memset(bm, 0, sizeof(bm));
	assert_true(wanted(&dc, bm));
	unsigned want[] = { SYS_read, SYS_openat, SYS_close, SYS_mmap, SYS_brk, SYS_connect, SYS_execve,
			    SYS_clone3, SYS_exit_group, SYS_unlinkat, SYS_sendmmsg, SYS_dup2, SYS_fcntl };
	for (unsigned i = 0; i < sizeof(want) / sizeof(*want); i++)
		assert_true(has(bm, want[i]));
	assert_false(has(bm, SYS_getpid));
	assert_false(has(bm, SYS_futex));
	assert_false(decode_fds_lazy());
	/* fcntl stops only for the commands that change the table */
	assert_int_equal(decode_arg_rules(rules, 4), 1);
	assert_int_equal(rules[0].nr, SYS_fcntl);

	/* only connect selected (network): processes and cwd, fds named at use */
	dc.sel.all = false;
	dc.sel.bits[SYS_connect / 64] |= 1ull << (SYS_connect % 64);
	memset(bm, 0, sizeof(bm));
	assert_true(wanted(&dc, bm));
	assert_true(decode_fds_lazy());
	assert_true(has(bm, SYS_connect) && has(bm, SYS_clone) && has(bm, SYS_execve) && has(bm, SYS_chdir));
	assert_false(has(bm, SYS_socket) || has(bm, SYS_dup2) || has(bm, SYS_close_range) || has(bm, SYS_openat));
	assert_false(has(bm, SYS_read));
	assert_false(has(bm, SYS_mmap));
	/* a desc or io call selected (close, read): the exact table, stops at every fd change */
	unsigned exact[] = { SYS_close, SYS_read, SYS_dup2 };
	for (unsigned i = 0; i < sizeof(exact) / sizeof(*exact); i++) {
		dc.sel.bits[exact[i] / 64] |= 1ull << (exact[i] % 64);
		memset(bm, 0, sizeof(bm));
		assert_true(wanted(&dc, bm));
		assert_false(decode_fds_lazy());
		assert_true(has(bm, SYS_socket) && has(bm, SYS_dup2) && has(bm, SYS_close_range) &&
			    has(bm, SYS_openat) && has(bm, SYS_pipe2) && has(bm, SYS_recvmsg));
		dc.sel.bits[exact[i] / 64] &= ~(1ull << (exact[i] % 64));
	}
	/* pidfd_send_signal is desc but also process (-v of trace=process): still lazy */
	dc.verbose = true;
	dc.sel.bits[SYS_pidfd_send_signal / 64] |= 1ull << (SYS_pidfd_send_signal % 64);
	memset(bm, 0, sizeof(bm));
	assert_true(wanted(&dc, bm));
	assert_true(decode_fds_lazy() && has(bm, SYS_pidfd_send_signal));
	dc.sel.bits[SYS_pidfd_send_signal / 64] &= ~(1ull << (SYS_pidfd_send_signal % 64));
	dc.verbose = false;
	/* sendto is io, network and desc: network keeps fd naming lazy */
	dc.sel.bits[SYS_sendto / 64] |= 1ull << (SYS_sendto % 64);
	memset(bm, 0, sizeof(bm));
	assert_true(wanted(&dc, bm));
	assert_true(decode_fds_lazy());
	dc.sel.bits[SYS_sendto / 64] &= ~(1ull << (SYS_sendto % 64));
	/* --faults needs the memory map for region attribution */
	dc.faults = true;
	memset(bm, 0, sizeof(bm));
	wanted(&dc, bm);
	assert_true(has(bm, SYS_mmap) && has(bm, SYS_munmap) && has(bm, SYS_mremap) && has(bm, SYS_brk));
	/* -k flushes its caches where code is mapped and unmapped */
	dc.faults = false;
	dc.stack = true;
	memset(bm, 0, sizeof(bm));
	wanted(&dc, bm);
	assert_true(has(bm, SYS_mmap) && has(bm, SYS_munmap) && has(bm, SYS_mremap) && has(bm, SYS_mprotect));
	assert_false(has(bm, SYS_brk));
	memset(&dc, 0, sizeof(dc));
	decode_fini(); /* back to the exact table for the other tests */
	assert_false(decode_fds_lazy());
}

static void test_proc_lifecycle(void **state)
{
	(void)state;
	struct proc parent = { .pid = 1000001 }, forked = { .pid = 1000002 }, sibling = { .pid = 1000003 };
	struct dec_call pc = { .p = &parent, .dp = dec_proc(&parent) };
	dec_set_cwd(&pc, "/work");
	fdtable_close_range(pc.dp->fds, 0, ~0u, false); /* no pre-existing fds (no such pids in /proc) */
	fdtable_install(pc.dp->fds, 3, fd_obj_new(FD_FILE, FD_R, "/a"), false);
	fdtable_install(pc.dp->fds, 4, fd_obj_new(FD_FILE, FD_W, "/b"), true);

	decode_proc_new(&forked, &parent, 0);                        /* fork */
	decode_proc_new(&sibling, &parent, CLONE_FILES | CLONE_FS); /* shares fds and cwd */
	assert_string_equal(decode_fd_desc(&forked, 3), "/a");
	assert_string_equal(decode_fd_desc(&sibling, 4), "/b");
	fdtable_install(sibling.dec->fds, 5, fd_obj_new(FD_FILE, FD_R, "/c"), false);
	assert_string_equal(decode_fd_desc(&parent, 5), "/c");
	assert_null(decode_fd_desc(&forked, 5));
	struct dec_call sc = { .p = &sibling, .dp = sibling.dec };
	dec_set_cwd(&sc, "/elsewhere");
	assert_string_equal(dec_cwd(&pc), "/elsewhere");           /* CLONE_FS */
	struct dec_call fc = { .p = &forked, .dp = forked.dec };
	assert_string_equal(dec_cwd(&fc), "/work");

	/* exec in the sibling: its table is unshared first, then CLOEXEC fds go */
	decode_proc_exec(&sibling);
	assert_null(decode_fd_desc(&sibling, 4));
	assert_string_equal(decode_fd_desc(&sibling, 3), "/a");
	assert_string_equal(decode_fd_desc(&parent, 4), "/b");
	decode_proc_exec(&forked);
	assert_null(decode_fd_desc(&forked, 4));
	decode_proc_free(&sibling);
	decode_proc_free(&forked);
	decode_proc_free(&parent);
	decode_proc_free(&parent); /* idempotent */
}

static void test_stats(void **state)
{
	(void)state;
	struct evlog *log = evlog_new();
	struct decode_cfg dc = { .summary = true };
	decode_init(log, &dc);
	struct proc p = { .pid = getpid() };
	struct task t = { .tid = getpid(), .proc = &p };
	int64_t rets[] = { 5, -4 /* EINTR: an error */, -512 /* ERESTARTSYS: not one */, 0 };
	for (unsigned i = 0; i < 4; i++) {
		t.sc = (struct syscall){ .nr = SYS_read, .arch = AUDIT_ARCH_X86_64, .t_entry = evlog_now(log),
					 .ret = rets[i], .is_error = rets[i] < 0 };
		decode_syscall_entry(&t);
		decode_syscall_exit(&t);
	}
	t.sc = (struct syscall){ .nr = 20 /* i386 getpid */, .arch = AUDIT_ARCH_I386, .compat = true, .ret = 1 };
	decode_syscall_exit(&t);
	t.sc = (struct syscall){ .nr = 0x7fffffff, .arch = AUDIT_ARCH_X86_64, .ret = -38, .is_error = true };
	decode_syscall_exit(&t); /* a bogus number is not counted anywhere, nor a crash */
	unsigned n;
	const struct sc_stat *st = decode_stats(AUDIT_ARCH_X86_64, &n);
	assert_true(n > SYS_read);
	assert_int_equal(st[SYS_read].calls, 4);
	assert_int_equal(st[SYS_read].errors, 1);
	st = decode_stats(AUDIT_ARCH_I386, &n);
	assert_int_equal(st[20].calls, 1);
	assert_int_equal(st[SYS_read].calls, 0);
	assert_int_equal(evlog_count(log), 0); /* read is not selected: no events */
	/* the -c rows on the run: called syscalls only, in number order, named */
	struct run r = { 0 };
	decode_fill_run_stats(&r);
	assert_int_equal(r.sc64.n, 1);
	assert_string_equal(r.sc64.rows[0].name, "read");
	assert_int_equal(r.sc64.rows[0].calls, 4);
	assert_int_equal(r.sc64.rows[0].errors, 1);
	assert_int_equal(r.sc32.n, 1);
	assert_string_equal(r.sc32.rows[0].name, "getpid");
	run_free_results(&r);
	decode_proc_free(&p);
	decode_fini();
	evlog_free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_abs_path),
		cmocka_unit_test(test_noise),
		cmocka_unit_test(test_sockaddr),
		cmocka_unit_test(test_memmap),
		cmocka_unit_test(test_wanted_syscalls),
		cmocka_unit_test(test_proc_lifecycle),
		cmocka_unit_test(test_stats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
