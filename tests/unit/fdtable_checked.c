// SPDX-License-Identifier: MIT
// Unit tests of lazy fd naming: fdtable_get_checked against this process's own /proc/PID/fd.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "decode/fdtable.h"


static char dir[64];
static uint64_t stamp = 100;

static void next_stop(void)
{
	fdtable_now(++stamp, getpid());
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/fdt-checked.XXXXXX");
	assert_non_null(mkdtemp(dir));
	char p[128];
	snprintf(p, sizeof(p), "%s/sub", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static int open_file(const char *name, char *path, size_t n)
{
	snprintf(path, n, "%s/%s", dir, name);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	return fd;
}

static void test_reuse(void **state)
{
	(void)state;
	struct fdtable *ft = fdtable_new();
	char a[128], b[128];
	next_stop();
	int fd = open_file("a", a, sizeof(a));
	fdtable_install(ft, fd, fd_obj_new(FD_FILE, FD_R | FD_W, a), true);
	next_stop();
	struct fd_obj *o = fdtable_get_checked(ft, fd, getpid());
	assert_non_null(o);
	assert_string_equal(o->path, a); /* still the same file: the entry as remembered */
	assert_int_equal(o->access, FD_R | FD_W);

	/* closed and made a pipe behind the table's back */
	close(fd);
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(p[0], fd);
	/* at the same stop the checked entry stands (one look per stop) ... */
	assert_ptr_equal(fdtable_get_checked(ft, fd, getpid()), o);
	/* ... at the next one it is what /proc says */
	next_stop();
	o = fdtable_get_checked(ft, fd, getpid());
	assert_non_null(o);
	assert_int_equal(o->kind, FD_PIPE);
	assert_memory_equal(o->path, "pipe:[", 6);
	assert_int_equal(o->access, 0); /* unknown: not from an open */

	/* a dup of another file at that number */
	close(p[0]);
	int g = open_file("b", b, sizeof(b));
	assert_int_equal(dup2(g, fd), fd);
	next_stop();
	o = fdtable_get_checked(ft, fd, getpid());
	assert_int_equal(o->kind, FD_FILE);
	assert_string_equal(o->path, b);

	/* closed: NULL, and NULL again at a later stop */
	close(fd);
	next_stop();
	assert_null(fdtable_get_checked(ft, fd, getpid()));
	next_stop();
	assert_null(fdtable_get_checked(ft, fd, getpid()));
	/* no such fd, no such thread, negative fd */
	assert_null(fdtable_get_checked(ft, 999999, getpid()));
	assert_null(fdtable_get_checked(ft, -1, getpid()));
	assert_null(fdtable_get_checked(ft, g, 0));
	close(g);
	close(p[1]);
	fdtable_unref(ft);
}

static void test_aliases(void **state)
{
	(void)state;
	struct fdtable *ft = fdtable_new();
	char a[128], alias[160], other[128];
	next_stop();
	int fd = open_file("c", a, sizeof(a));
	/* the program's path with ".." leads to the same inode: kept */
	snprintf(alias, sizeof(alias), "%s/sub/../c", dir);
	fdtable_install(ft, fd, fd_obj_new(FD_FILE, FD_R, alias), false);
	next_stop();
	struct fd_obj *o = fdtable_get_checked(ft, fd, getpid());
	assert_string_equal(o->path, alias);
	/* asked again at every stop: through a symlink retargeted since, the path is not kept */
	char lnk[160], via[200];
	snprintf(lnk, sizeof(lnk), "%s/lnk", dir);
	assert_int_equal(symlink(dir, lnk), 0);
	snprintf(via, sizeof(via), "%s/c", lnk);
	fdtable_install(ft, fd, fd_obj_new(FD_FILE, FD_R, via), false);
	next_stop();
	assert_string_equal(fdtable_get_checked(ft, fd, getpid())->path, via);
	assert_int_equal(unlink(lnk), 0);
	char sub[160];
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	assert_int_equal(symlink(sub, lnk), 0); /* lnk/c is no file now */
	next_stop();
	assert_string_equal(fdtable_get_checked(ft, fd, getpid())->path, a);
	/* a path naming another file now is not kept */
	int h = open_file("d", other, sizeof(other));
	fdtable_install(ft, h, fd_obj_new(FD_FILE, FD_R, a), false);
	next_stop();
	o = fdtable_get_checked(ft, h, getpid());
	assert_string_equal(o->path, other);
	/* unlinked since opened: still the name it was opened as */
	assert_int_equal(unlink(a), 0);
	next_stop();
	fdtable_install(ft, fd, fd_obj_new(FD_FILE, FD_R, a), false);
	next_stop();
	o = fdtable_get_checked(ft, fd, getpid());
	assert_string_equal(o->path, a);
	/* but not another file's name that merely reads like it ("NAME (deleted)" exists) */
	char fake[200];
	snprintf(fake, sizeof(fake), "%s (deleted)", other);
	int k = open(fake, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	assert_true(k >= 0);
	fdtable_install(ft, k, fd_obj_new(FD_FILE, FD_R, other), false);
	next_stop();
	o = fdtable_get_checked(ft, k, getpid());
	assert_string_equal(o->path, fake);
	close(k);
	close(h);
	close(fd);
	fdtable_unref(ft);
}

static void test_inode_kinds(void **state)
{
	(void)state;
	struct fdtable *ft = fdtable_new();
	/* a socket installed at a stop learns "socket:[ino]" there; its peer stays while it matches */
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	next_stop();
	struct fd_obj *s = fd_obj_new(FD_SOCKET, FD_R | FD_W, NULL);
	s->family = AF_UNIX;
	fdtable_install(ft, sv[0], s, true);
	assert_non_null(s->path);
	assert_memory_equal(s->path, "socket:[", 8);
	fd_obj_set(&s->peer, "/run/x.sock");
	next_stop();
	assert_ptr_equal(fdtable_get_checked(ft, sv[0], getpid()), s);
	assert_string_equal(s->peer, "/run/x.sock");
	/* the other end of the pair at that number: rebuilt from the socket, no peer */
	assert_int_equal(dup2(sv[1], sv[0]), sv[0]);
	next_stop();
	struct fd_obj *o = fdtable_get_checked(ft, sv[0], getpid());
	assert_ptr_not_equal(o, s);
	assert_int_equal(o->kind, FD_SOCKET);
	assert_int_equal(o->family, AF_UNIX);
	assert_int_equal(o->socktype, SOCK_STREAM);
	assert_null(o->peer);
	close(sv[0]);
	close(sv[1]);

	/* memfd: "memfd:x" matches /proc's "/memfd:x (deleted)" */
	int m = memfd_create("pe", MFD_CLOEXEC);
	assert_true(m >= 0);
	next_stop();
	struct fd_obj *mo = fd_obj_new(FD_MEMFD, FD_R | FD_W, "memfd:pe");
	fdtable_install(ft, m, mo, true);
	next_stop();
	assert_ptr_equal(fdtable_get_checked(ft, m, getpid()), mo);
	close(m);
	/* without a thread (exact mode) installs read nothing */
	fdtable_now(++stamp, 0);
	int p[2];
	assert_int_equal(pipe(p), 0);
	struct fd_obj *po = fd_obj_new(FD_PIPE, FD_R, NULL);
	po->resolved = false;
	fdtable_install(ft, p[0], po, false);
	assert_null(po->path);
	close(p[0]);
	close(p[1]);
	fdtable_unref(ft);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_inode_kinds),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
