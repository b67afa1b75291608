// SPDX-License-Identifier: MIT
// Unit tests of the per-process fd table: dup, close_range, CLOEXEC at exec, sharing, lazy /proc resolution.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "decode/fdtable.h"


static struct fd_obj *file(const char *path, unsigned acc)
{
	return fd_obj_new(FD_FILE, acc, path);
}

static void test_install_dup_close(void **state)
{
	(void)state;
	struct fdtable *ft = fdtable_new();
	fdtable_close_range(ft, 0, ~0u, false); /* nothing pre-existing: no /proc lookups */
	fdtable_install(ft, 3, file("/etc/passwd", FD_R), false);
	struct fd_obj *o = fdtable_get(ft, 3, 0);
	assert_non_null(o);
	assert_string_equal(o->path, "/etc/passwd");
	assert_int_equal(o->access, FD_R);
	fdtable_dup(ft, 3, 7, true, 0);
	assert_ptr_equal(fdtable_get(ft, 7, 0), o); /* same open file description */
	assert_int_equal(o->refs, 2);
	assert_true(fdtable_cloexec(ft, 7));
	assert_false(fdtable_cloexec(ft, 3));
	/* dup2 over an open fd replaces it */
	fdtable_install(ft, 4, file("/tmp/x", FD_W), false);
	fdtable_dup(ft, 3, 4, false, 0);
	assert_string_equal(fdtable_get(ft, 4, 0)->path, "/etc/passwd");
	fdtable_close(ft, 3);
	assert_null(fdtable_get(ft, 3, 0));
	assert_string_equal(fdtable_get(ft, 7, 0)->path, "/etc/passwd");
	assert_null(fdtable_get(ft, 100000, 0));
	assert_null(fdtable_get(ft, -1, 0));
	/* dup of a closed fd leaves the target unknown, not a stale object */
	fdtable_dup(ft, 3, 9, false, 0);
	assert_null(fdtable_get(ft, 9, 0));
	fdtable_unref(ft);
}

static void test_close_range_and_exec(void **state)
{
	(void)state;
	struct fdtable *ft = fdtable_new();
	fdtable_close_range(ft, 0, ~0u, false);
	for (int fd = 0; fd < 10; fd++)
		fdtable_install(ft, fd, file("/f", FD_R | FD_W), fd % 2);
	fdtable_close_range(ft, 5, 7, false);
	for (int fd = 0; fd < 10; fd++)
		assert_true((fdtable_get(ft, fd, 0) != NULL) == (fd < 5 || fd > 7));
	fdtable_close_range(ft, 8, ~0u, true); /* CLOSE_RANGE_CLOEXEC */
	assert_true(fdtable_cloexec(ft, 8));
	assert_non_null(fdtable_get(ft, 8, 0));
	fdtable_exec(ft);
	/* odd fds were CLOEXEC, 8 became so */
	int open_fds[] = { 0, 2, 4 }, closed[] = { 1, 3, 8, 9 };
	for (unsigned i = 0; i < 3; i++)
		assert_non_null(fdtable_get(ft, open_fds[i], 0));
	for (unsigned i = 0; i < 4; i++)
		assert_null(fdtable_get(ft, closed[i], 0));
	/* close_range to the end also covers fds never tracked */
	fdtable_close_range(ft, 3, ~0u, false);
	assert_null(fdtable_get(ft, 5000, getpid()));
	assert_non_null(fdtable_get(ft, 2, 0));
	fdtable_unref(ft);
}

static void test_share_and_copy(void **state)
{
	(void)state;
	struct fdtable *a = fdtable_new();
	fdtable_close_range(a, 0, ~0u, false);
	fdtable_install(a, 3, file("/a", FD_R), false);
	struct fdtable *shared = fdtable_ref(a);
	struct fdtable *forked = fdtable_copy(a);
	assert_true(fdtable_shared(a));
	assert_false(fdtable_shared(forked));
	fdtable_install(shared, 4, file("/b", FD_W), false);
	assert_string_equal(fdtable_get(a, 4, 0)->path, "/b"); /* CLONE_FILES: one table */
	assert_null(fdtable_get(forked, 4, 0));                 /* fork: a copy */
	fdtable_close(forked, 3);
	assert_non_null(fdtable_get(a, 3, 0));
	fdtable_unref(shared);
	assert_false(fdtable_shared(a));
	fdtable_unref(a);
	fdtable_unref(forked);
	fdtable_unref(NULL);
}

static void test_lazy_resolution(void **state)
{
	(void)state;
	char dir[] = "/tmp/fdt-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/f", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	int pfd[2];
	assert_int_equal(pipe(pfd), 0);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(0x7f000001) };
	assert_int_equal(connect(s, (struct sockaddr *)&sin, sizeof(sin)), 0);

	struct fdtable *ft = fdtable_new();
	struct fd_obj *o = fdtable_get(ft, fd, getpid());
	assert_non_null(o);
	assert_int_equal(o->kind, FD_FILE);
	assert_string_equal(o->path, path);
	assert_int_equal(o->access, FD_W);
	assert_true(fdtable_cloexec(ft, fd));
	o = fdtable_get(ft, pfd[0], getpid());
	assert_int_equal(o->kind, FD_PIPE);
	assert_int_equal(strncmp(o->path, "pipe:[", 6), 0);
	assert_int_equal(o->access, FD_R);
	o = fdtable_get(ft, s, getpid());
	assert_int_equal(o->kind, FD_SOCKET);
	assert_int_equal(o->family, AF_INET);
	assert_int_equal(o->socktype, SOCK_DGRAM);
	assert_string_equal(o->peer, "127.0.0.1:9");
	assert_true(o->peer_loopback);
	/* resolved once: closing the real fd does not change what the table says */
	close(fd);
	assert_string_equal(fdtable_get(ft, fd, getpid())->path, path);
	/* an fd that does not exist is not there, and costs no table space */
	assert_null(fdtable_get(ft, 900, getpid()));
	fdtable_unref(ft);
	close(pfd[0]);
	close(pfd[1]);
	close(s);
	unlink(path);
	rmdir(dir);
}

/*
 * The sparse table against a dense model: random installs, closes, dups,
 * close_range, exec and forks (copy-on-write copies) over fds that collide
 * in the hash, checked after every step in every live copy.
 */
#define MODEL_FDS 300
struct model {
	struct fdtable *ft;
	int state[MODEL_FDS]; /* 0 closed, else 1 + the file number */
	bool cloexec[MODEL_FDS];
};

static void model_check(const struct model *m)
{
	for (int fd = 0; fd < MODEL_FDS; fd++) {
		struct fd_obj *o = fdtable_get(m->ft, fd, 0);
		if (!m->state[fd]) {
			assert_null(o);
			continue;
		}
		assert_non_null(o);
		char want[16];
		snprintf(want, sizeof(want), "/f%d", m->state[fd] - 1);
		assert_string_equal(o->path, want);
		assert_int_equal(fdtable_cloexec(m->ft, fd), m->cloexec[fd]);
	}
}

static void test_sparse_model(void **state)
{
	(void)state;
	struct model ms[4] = { 0 };
	unsigned nm = 1, seed = 12345, files = 0;
	ms[0].ft = fdtable_new();
	fdtable_close_range(ms[0].ft, 0, ~0u, false);
	for (int step = 0; step < 20000; step++) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = seed >> 8;
		struct model *m = &ms[r % nm];
		int fd = (int)((r >> 4) % MODEL_FDS), fd2 = (int)((r >> 13) % MODEL_FDS);
		switch ((r >> 22) % 10) {
		case 0: case 1: case 2: {
			char p[16];
			snprintf(p, sizeof(p), "/f%u", files);
			fdtable_install(m->ft, fd, file(p, FD_R), r & 1);
			m->state[fd] = (int)++files;
			m->cloexec[fd] = r & 1;
			break;
		}
		case 3: case 4:
			fdtable_close(m->ft, fd);
			m->state[fd] = 0;
			break;
		case 5:
			fdtable_dup(m->ft, fd, fd2, r & 2, 0);
			if (fd != fd2) {
				m->state[fd2] = m->state[fd];
				m->cloexec[fd2] = m->state[fd] && (r & 2);
			}
			break;
		case 6:
			if (fd > fd2)
				break;
			fdtable_close_range(m->ft, (unsigned)fd, (unsigned)fd2, r & 4);
			for (int i = fd; i <= fd2; i++) {
				if (r & 4)
					m->cloexec[i] = m->state[i] != 0;
				else
					m->state[i] = 0;
			}
			break;
		case 7:
			if (r & 0xf)
				break;
			fdtable_exec(m->ft);
			for (int i = 0; i < MODEL_FDS; i++)
				if (m->cloexec[i] && m->state[i])
					m->state[i] = 0;
			break;
		case 8: /* fork (a copy-on-write copy), or a copy dies */
			if (nm < (sizeof(ms) / sizeof(ms[0])) && (r & 1)) {
				ms[nm] = *m;
				ms[nm++].ft = fdtable_copy(m->ft);
			} else if (nm > 1) {
				fdtable_unref(m->ft);
				*m = ms[--nm];
			}
			break;
		default:
			fdtable_set_cloexec(m->ft, fd, r & 8);
			if (m->state[fd])
				m->cloexec[fd] = r & 8;
			break;
		}
		for (unsigned i = 0; i < (sizeof(ms) / sizeof(ms[0])) && i < nm; i++)
			if (step % 97 == 0 || &ms[i] == m)
				model_check(&ms[i]);
	}
	for (unsigned i = 0; i < nm; i++)
		fdtable_unref(ms[i].ft);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_install_dup_close),
		cmocka_unit_test(test_close_range_and_exec),
		cmocka_unit_test(test_share_and_copy),
		cmocka_unit_test(test_lazy_resolution),
		cmocka_unit_test(test_sparse_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
