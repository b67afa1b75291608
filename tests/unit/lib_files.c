/* SPDX-License-Identifier: MIT */
/* lib_files: the /proc reader's parsers on hostile text, and the atomic file writer's promises. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/atomicfile.h"
#include "lib/procfs.h"
#include "lib/util.h"

static void test_stat_hostile_comm(void **state)
{
	(void)state;
	/* a comm holding ") S 1 2" and a newline must not shift the fields */
	static const char text[] = "4242 (a) S 1 2\n(x) R 77 4242 4242 0 -1 4194560 11 0 3 0 "
				   "5 6 0 0 20 0 2 0 999 12345678 321 18446744073709551615 "
				   "1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 100 200 0 0\n";
	struct procfs_stat ps;
	assert_int_equal(procfs_stat_parse(text, sizeof(text) - 1, &ps), 0);
	assert_int_equal(ps.pid, 4242);
	assert_string_equal(ps.comm, "a) S 1 2\n(x");
	assert_int_equal(ps.state, 'R');
	assert_int_equal(ps.ppid, 77);
	assert_int_equal(ps.pgrp, 4242);
	assert_int_equal(ps.session, 4242);
	assert_int_equal(ps.flags, 4194560);
	assert_int_equal(ps.minflt, 11);
	assert_int_equal(ps.majflt, 3);
	assert_int_equal(ps.utime, 5);
	assert_int_equal(ps.stime, 6);
	assert_int_equal(ps.num_threads, 2);
	assert_int_equal(ps.start, 999);
	assert_int_equal(ps.vsize, 12345678);
	assert_int_equal(ps.rss_pages, 321);
	assert_int_equal(ps.arg_start, 100);
	assert_int_equal(ps.arg_end, 200);
}

static void test_stat_malformed(void **state)
{
	(void)state;
	struct procfs_stat ps;
	static const char *const bad[] = {"", "12", "12 (x", "x (y) S 1", "12 (y) S 1 2 3", "-3 (y) S 1"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (procfs_stat_parse(bad[i], strlen(bad[i]), &ps) != -EINVAL)
			fail_msg("'%s' should be rejected", bad[i]);
}

static void test_stat_self(void **state)
{
	(void)state;
	struct procfs_stat ps;
	assert_int_equal(procfs_stat(getpid(), &ps), 0);
	assert_int_equal(ps.pid, getpid());
	assert_int_equal(ps.ppid, getppid());
	assert_int_equal(ps.state, 'R');
	assert_int_equal(procfs_status_num(getpid(), "Tgid", 10, -1), getpid());
	assert_int_equal(procfs_status_num(getpid(), "NoSuchField", 10, -7), -7);
	char exe[4096];
	assert_true(procfs_link(getpid(), "exe", exe, sizeof(exe)) > 0);
	assert_non_null(strstr(exe, "lib_files"));
}

static void test_maps_lines(void **state)
{
	(void)state;
	struct procfs_map m;
	static const char l1[] = "7f0000001000-7f0000002000 r-xp 0001a000 08:01 1234567    /usr/lib/a b (deleted)\n";
	assert_int_equal(procfs_map_parse(l1, sizeof(l1) - 1, &m), 0);
	assert_true(m.start == 0x7f0000001000ull && m.end == 0x7f0000002000ull);
	assert_string_equal(m.perms, "r-xp");
	assert_true(m.offset == 0x1a000);
	assert_int_equal(m.inode, 1234567);
	assert_int_equal(m.path_len, strlen("/usr/lib/a b (deleted)"));
	assert_memory_equal(m.path, "/usr/lib/a b (deleted)", m.path_len);
	static const char l2[] = "00400000-00401000 rw-p 00000000 00:00 0";
	assert_int_equal(procfs_map_parse(l2, sizeof(l2) - 1, &m), 0);
	assert_int_equal(m.path_len, 0);
	static const char *const bad[] = {"", "zz-10 r-xp 0 0:0 0", "10-20", "10-20 r-xp", "10-20 r-xp 0 08:01 x /p"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (procfs_map_parse(bad[i], strlen(bad[i]), &m) != -EINVAL)
			fail_msg("'%s' should be rejected", bad[i]);
}

/* How many entries dir holds, "." and ".." left out. */
static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	for (struct dirent *de; d && (de = readdir(d));)
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

static void test_atomicfile(void **state)
{
	(void)state;
	char dir[] = "/tmp/lib_files.XXXXXX";
	assert_non_null(mkdtemp(dir));
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);

	/* the mode is exact (not filtered by the umask); nothing under the final name until commit */
	mode_t old = umask(077);
	struct atomicfile af;
	assert_int_equal(atomicfile_open(&af, dfd, ".t-", ".tmp", 0644), 0);
	umask(old);
	assert_int_equal(write(atomicfile_fd(&af), "hello", 5), 5);
	assert_int_equal(faccessat(dfd, "out", F_OK, 0), -1);
	assert_int_equal(atomicfile_commit(&af, "out", false), 0);
	struct stat st;
	assert_int_equal(fstatat(dfd, "out", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(st.st_size, 5);
	assert_int_equal(count_entries(dir), 1);

	/* noreplace: the existing file stays, the temporary file waits for another name */
	assert_int_equal(atomicfile_open(&af, dfd, ".t-", ".tmp", 0600), 0);
	assert_int_equal(write(atomicfile_fd(&af), "x", 1), 1);
	assert_int_equal(atomicfile_commit(&af, "out", true), -EEXIST);
	assert_int_equal(count_entries(dir), 2);
	assert_int_equal(atomicfile_commit(&af, "out2", true), 0);
	assert_int_equal(fstatat(dfd, "out", &st, 0), 0);
	assert_int_equal(st.st_size, 5);

	/* abort leaves nothing behind */
	assert_int_equal(atomicfile_open(&af, dfd, ".t-", ".tmp", 0600), 0);
	atomicfile_abort(&af);
	assert_int_equal(count_entries(dir), 2);

	/* AT_FDCWD with a directory in the name */
	char *prefix = xasprintf("%s/.c-", dir), *final = xasprintf("%s/out3", dir);
	assert_int_equal(atomicfile_open(&af, AT_FDCWD, prefix, ".tmp", 0600), 0);
	assert_int_equal(atomicfile_commit(&af, final, false), 0);
	assert_int_equal(count_entries(dir), 3);
	free(prefix);
	free(final);

	close(dfd);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_hostile_comm),
		cmocka_unit_test(test_stat_malformed),
		cmocka_unit_test(test_stat_self),
		cmocka_unit_test(test_maps_lines),
		cmocka_unit_test(test_atomicfile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
