// SPDX-License-Identifier: MIT
// Unit tests of --watch internals: hostile /proc/PID/stat parsing, the config
// parser, and symlink-safe atomic dump writes.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/util.h"
#include "watch/watch_int.h"


static const char hostile_stat[] =
	"1234 (x) Z 1 1\n\033[2J) S 77 1234 1234 0 -1 4194304 100 0 0 0 "
	"250 31 0 0 20 0 3 0 987654 12345678 420 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

static void test_stat_hostile_comm(void **state)
{
	(void)state;
	struct procfs_stat ps;
	assert_int_equal(procfs_stat_parse(hostile_stat, strlen(hostile_stat), &ps), 0);
	assert_int_equal(ps.pid, 1234);
	assert_string_equal(ps.comm, "x) Z 1 1\n\033[2J");
	assert_int_equal(ps.comm_len, 13);
	assert_int_equal(ps.state, 'S');
	assert_int_equal(ps.ppid, 77);
	assert_int_equal(ps.utime, 250);
	assert_int_equal(ps.stime, 31);
	assert_int_equal(ps.num_threads, 3);
	assert_int_equal(ps.start, 987654);
	assert_int_equal(ps.rss_pages, 420);
}

static void test_stat_malformed(void **state)
{
	(void)state;
	struct procfs_stat ps;
	const char *bad[] = { "", "1234", "1234 (abc", "1234 (abc) S 1 2", "abc (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21",
			      ") (x( S 1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(procfs_stat_parse(bad[i], strlen(bad[i]), &ps), -EINVAL);
	/* a comm longer than the buffer is cut, the fields after it still parse */
	char big[512];
	snprintf(big, sizeof(big), "5 (%0100d) R 4 0 0 0 0 0 0 0 0 0 7 8 0 0 0 0 1 0 99 0 6 0\n", 0);
	assert_int_equal(procfs_stat_parse(big, strlen(big), &ps), 0);
	assert_int_equal(ps.comm_len, sizeof(ps.comm) - 1);
	assert_int_equal(ps.ppid, 4);
	assert_int_equal(ps.start, 99);
	assert_int_equal(ps.rss_pages, 6);
}

static void test_stat_self(void **state)
{
	(void)state;
	char buf[1024];
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	ssize_t n = procfs_pread(fd, buf, sizeof(buf));
	close(fd);
	assert_true(n > 0);
	struct procfs_stat ps;
	assert_int_equal(procfs_stat_parse(buf, (size_t)n, &ps), 0);
	assert_int_equal(ps.pid, getpid());
	assert_int_equal(ps.ppid, getppid());
	assert_int_equal(ps.state, 'R');
}

static char **main_argv;

static uint64_t self_key(struct procfs_stat *ps, const char *path)
{
	char buf[1024];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	ssize_t n = procfs_pread(fd, buf, sizeof(buf));
	close(fd);
	assert_true(n > 0);
	assert_int_equal(procfs_stat_parse(buf, (size_t)n, ps), 0);
	return pstat_cmd_key(ps);
}

/* The command-line key: argv's address from stat, and it changes with comm and on execve. */
static void test_stat_cmd_key(void **state)
{
	(void)state;
	struct procfs_stat ps;
	uint64_t k1 = self_key(&ps, "/proc/self/stat");
	assert_true(ps.arg_start > 0);
	assert_true(ps.arg_start <= (uintptr_t)main_argv[0] && (uintptr_t)main_argv[0] < ps.arg_end);
	assert_int_equal(self_key(&ps, "/proc/self/stat"), k1);
	char old[16] = "";
	prctl(PR_GET_NAME, old);
	prctl(PR_SET_NAME, "renamed_wt");
	assert_true(self_key(&ps, "/proc/self/stat") != k1);
	prctl(PR_SET_NAME, old);
	assert_int_equal(self_key(&ps, "/proc/self/stat"), k1);

	/* a child named like the program it then execs: comm stays, argv moves */
	int go[2], done[2];
	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	assert_int_equal(pipe2(done, O_CLOEXEC), 0);
	pid_t c = fork();
	if (c == 0) {
		char b;
		close(go[1]);
		close(done[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		prctl(PR_SET_NAME, "sleep");
		if (write(done[1], "r", 1) != 1 || read(go[0], &b, 1) != 1)
			_exit(1);
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	close(go[0]);
	close(done[1]);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", c);
	struct procfs_stat before, after;
	char b;
	assert_int_equal(read(done[0], &b, 1), 1); /* named */
	uint64_t kb = self_key(&before, path);
	assert_string_equal(before.comm, "sleep");
	assert_int_equal(write(go[1], "x", 1), 1);
	assert_int_equal(read(done[0], &b, 1), 0); /* EOF: the exec closed the child's end */
	uint64_t ka = self_key(&after, path);
	assert_int_equal(before.start, after.start);
	assert_string_equal(after.comm, "sleep");
	assert_true(ka != kb);
	close(go[1]);
	close(done[0]);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
}

static void test_conf_defaults_and_sections(void **state)
{
	(void)state;
	struct watch_conf c;
	struct buf err = {0};
	watch_conf_defaults(&c);
	assert_true(c.sampling_interval_seconds == 1);
	assert_int_equal(c.ring_buffer_capacity, 60);
	const char *t = "# spike daemon keys\n[sampling]\nsampling_interval_seconds = 0.5\nring_buffer_capacity=120\n"
			"[detection]\n  cpu_delta_threshold_pct = 25 ; not a comment here? no: value check\n";
	/* "25 ; ..." is not a number: the parser must say which line */
	assert_int_equal(watch_conf_parse(&c, "t.conf", t, strlen(t), &err), -EINVAL);
	assert_non_null(strstr(err.data, "t.conf:6: cpu_delta_threshold_pct: bad value"));
	assert_true(c.sampling_interval_seconds == 1); /* defaults kept on error */
	buf_reset(&err);
	t = "[sampling]\nsampling_interval_seconds = 0.5\nring_buffer_capacity=120\n[detection]\n"
	    "cpu_delta_threshold_pct = 25 # percent of one core\nenable_swap_detection = no\n"
	    "memory_baseline_alpha = 0.5\n[dumps]\ndump_dir = \"/srv/dumps\"\n";
	assert_int_equal(watch_conf_parse(&c, "t.conf", t, strlen(t), &err), 0);
	assert_true(c.sampling_interval_seconds == 0.5);
	assert_int_equal(c.ring_buffer_capacity, 120);
	assert_true(c.cpu_delta_threshold_pct == 25);
	assert_false(c.enable_swap_detection);
	assert_true(c.memory_baseline_alpha == 0.5);
	assert_string_equal(c.dump_dir, "/srv/dumps");
	struct buf j = {0};
	watch_conf_json(&c, &j);
	assert_non_null(strstr(j.data, "\"cpu_delta_threshold_pct\":25,"));
	assert_non_null(strstr(j.data, "\"enable_swap_detection\":false"));
	buf_free(&j);
	watch_conf_release(&c);
	buf_free(&err);
}

static void test_conf_errors_name_lines(void **state)
{
	(void)state;
	struct watch_conf c;
	struct buf err = {0};
	watch_conf_defaults(&c);
	const char *t = "a\nfoo = 1\ncooldown_seconds = -1\n[x]\nring_buffer_capacity = 10\ncontext_snapshots_per_dump = 1\n"
			"key = \033[2J\n";
	assert_int_equal(watch_conf_parse(&c, "w.conf", t, strlen(t), &err), -EINVAL);
	assert_non_null(strstr(err.data, "w.conf:1: expected 'key = value', got 'a'\n"));
	assert_non_null(strstr(err.data, "w.conf:2: unknown key 'foo'\n"));
	assert_non_null(strstr(err.data, "w.conf:3: cooldown_seconds: bad value '-1': out of range"));
	assert_non_null(strstr(err.data, "w.conf:4: unknown section [x]\n"));
	assert_null(strchr(err.data, '\033')); /* escaped for the terminal */
	buf_reset(&err);
	t = "ring_buffer_capacity = 10\ncontext_snapshots_per_dump = 10\n";
	assert_int_equal(watch_conf_parse(&c, "w.conf", t, strlen(t), &err), -EINVAL);
	assert_non_null(strstr(err.data, "must be smaller than ring_buffer_capacity"));
	watch_conf_release(&c);
	buf_free(&err);
}

static int fill_text(void *ctx, int fd)
{
	return write_all(fd, ctx, strlen(ctx));
}

static int fill_enospc(void *ctx, int fd)
{
	(void)ctx;
	(void)!write(fd, "partial", 7);
	return -ENOSPC;
}

static void test_dump_atomic_and_symlink_safe(void **state)
{
	(void)state;
	char dir[] = "/tmp/watch-unit-XXXXXX";
	assert_non_null(mkdtemp(dir));
	chmod(dir, 0700);
	struct buf err = {0};
	struct watch_dumpdir *d = watch_dumpdir_open(dir, &err);
	assert_non_null(d);

	/* a victim file and a symlink planted at the name the dump will get */
	char victim[256], plant[256], path[300];
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	FILE *f = fopen(victim, "w");
	fputs("precious", f);
	fclose(f);
	struct timespec when = { .tv_sec = 1700000000, .tv_nsec = 123000000 };
	snprintf(plant, sizeof(plant), "%s/spike_cpu_20231114T221320.123Z.jsonl", dir);
	assert_int_equal(symlink(victim, plant), 0);

	char *name = NULL;
	assert_int_equal(watch_dump_write_fn(d, "cpu", &when, fill_text, (void *)"{\"a\":1}\n", &name), 0);
	assert_string_equal(name, "spike_cpu_20231114T221320.123Z-1.jsonl");
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0640);
	f = fopen(victim, "r");
	char got[32] = {0};
	assert_non_null(fgets(got, sizeof(got), f));
	fclose(f);
	assert_string_equal(got, "precious");
	assert_int_equal(lstat(plant, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	free(name);

	/* a failed write leaves nothing behind */
	name = NULL;
	assert_int_equal(watch_dump_write_fn(d, "mem", &when, fill_enospc, NULL, &name), -ENOSPC);
	assert_null(name);
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) -eq 3", dir);
	assert_int_equal(system(cmd), 0);

	/* retention: count cap; the symlink is not a dump */
	for (int i = 0; i < 5; i++) {
		when.tv_sec += 1;
		assert_int_equal(watch_dump_write_fn(d, "cpu", &when, fill_text, (void *)"{}\n", &name), 0);
		free(name);
	}
	assert_int_equal(watch_dump_retention(d, 2, 365, 100), 4);
	snprintf(cmd, sizeof(cmd), "test $(ls %s | grep -c '^spike_cpu_.*jsonl$') -eq 3", dir); /* 2 + the symlink */
	assert_int_equal(system(cmd), 0);
	assert_int_equal(lstat(plant, &st), 0);
	watch_dumpdir_close(d);

	/* an unsafe directory is refused with the reason */
	chmod(dir, 0777);
	buf_reset(&err);
	assert_null(watch_dumpdir_open(dir, &err));
	assert_non_null(strstr(err.data, "writable by group or others"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	buf_free(&err);
}

int main(int argc, char **argv)
{
	(void)argc;
	main_argv = argv;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_hostile_comm),
		cmocka_unit_test(test_stat_malformed),
		cmocka_unit_test(test_stat_self),
		cmocka_unit_test(test_stat_cmd_key),
		cmocka_unit_test(test_conf_defaults_and_sections),
		cmocka_unit_test(test_conf_errors_name_lines),
		cmocka_unit_test(test_dump_atomic_and_symlink_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
