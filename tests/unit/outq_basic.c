/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/outq: bytes through the writer thread, a write error, a stalled reader given up with an exact count. */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/outq.h"
#include "lib/util.h"

/* every src object is linked in; some of them read the options */

static atomic_bool stop;
static bool check_stop(void *ctx)
{
	(void)ctx;
	return atomic_load(&stop);
}

static double secs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* lines of varying length, 3 MiB or so: more than the queue holds */
static void fill(struct buf *all)
{
	for (unsigned i = 0; all->len < 3u << 20; i++) {
		buf_printf(all, "%u ", i);
		for (unsigned k = 0; k < i % 300; k++)
			buf_addc(all, (char)('a' + k % 26));
		buf_addc(all, '\n');
	}
}

static void *drain(void *arg)
{
	int *fd = arg;
	struct buf *got = xcalloc(1, sizeof(*got));
	char tmp[8192];
	ssize_t n;
	while ((n = read(*fd, tmp, sizeof(tmp))) > 0)
		buf_add(got, tmp, (size_t)n);
	return got;
}

static void test_bytes_exact(void **st)
{
	(void)st;
	int p[2];
	assert_int_equal(pipe(p), 0);
	pthread_t th;
	pthread_create(&th, NULL, drain, &p[0]);
	struct buf all = {0};
	fill(&all);
	struct outq *q = outq_new(p[1], "--json -", "the log");
	for (size_t off = 0; off < all.len;) {
		size_t n = all.len - off < 5000 ? all.len - off : 5000;
		outq_write(q, all.data + off, n);
		off += n;
	}
	unsigned long long lost = 1;
	assert_int_equal(outq_finish(q, &lost), 0);
	assert_int_equal(lost, 0);
	close(p[1]);
	struct buf *got;
	pthread_join(th, (void **)&got);
	assert_int_equal(got->len, all.len);
	assert_memory_equal(got->data, all.data, all.len);
	buf_free(got);
	free(got);
	buf_free(&all);
	close(p[0]);
}

static void test_write_error(void **st)
{
	(void)st;
	int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct outq *q = outq_new(fd, "-o /dev/full", "the narrative");
	outq_write(q, "a line\n", 7);
	outq_write(q, "another\n", 8);
	unsigned long long lost = 0;
	assert_int_equal(outq_finish(q, &lost), -1);
	assert_true(lost >= 8); /* the second line at least: the writer ended at its error */
	close(fd);
}

struct stall {
	struct outq *q;
	const struct buf *all;
	double returned;
};

static void *write_all_lines(void *arg)
{
	struct stall *s = arg;
	for (size_t off = 0; off < s->all->len;) {
		size_t n = s->all->len - off < 4000 ? s->all->len - off : 4000;
		outq_write(s->q, s->all->data + off, n);
		off += n;
	}
	s->returned = secs();
	return NULL;
}

/* Nobody reads: the caller waits (losing nothing) until a stop is asked for, then drops and counts. */
static void test_stalled_reader(void **st)
{
	(void)st;
	int p[2];
	assert_int_equal(pipe(p), 0);
	struct buf all = {0};
	fill(&all);
	atomic_store(&stop, false);
	outq_set_stop_check(check_stop, NULL);
	struct stall s = {.q = outq_new(p[1], "--json -", "the log"), .all = &all};
	pthread_t th;
	pthread_create(&th, NULL, write_all_lines, &s);
	usleep(300 * 1000);
	assert_true(s.returned == 0); /* still waiting for room */
	double t0 = secs();
	atomic_store(&stop, true);
	pthread_join(th, NULL);
	assert_true(s.returned - t0 < 0.5); /* OUTQ_WAIT_MS steps */
	unsigned long long lost = 0;
	assert_int_equal(outq_finish(s.q, &lost), -1);
	double took = secs() - t0;
	assert_true(took < OUTQ_GRACE_MS / 1000.0 + 1.5);
	/* what the pipe holds and what was not written add up to everything */
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	struct buf got = {0};
	char tmp[8192];
	ssize_t n;
	while ((n = read(p[0], tmp, sizeof(tmp))) > 0)
		buf_add(&got, tmp, (size_t)n);
	assert_int_equal(got.len + lost, all.len);
	assert_memory_equal(got.data, all.data, got.len); /* a prefix, in order */
	outq_set_stop_check(NULL, NULL);
	buf_free(&got);
	buf_free(&all);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes_exact),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_stalled_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
