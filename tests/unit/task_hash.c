/* SPDX-License-Identifier: MIT */
/* task: the tid/pid hashes: add, find, delete, iterate with deletion, proc lifetime. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tracee/task.h"

/* every src object is linked in; main.c (which defines opt) is not */

static void test_add_find_delete(void **state)
{
	(void)state;
	struct taskset *ts = taskset_new();
	/* 3000 processes with 3 threads each: tids p, p+1, p+2 */
	for (int p = 1000; p < 1000 + 3000 * 3; p += 3) {
		struct task *lead = task_add(ts, p, NULL);
		assert_int_equal(lead->proc->pid, p);
		task_add(ts, p + 1, lead->proc);
		task_add(ts, p + 2, lead->proc);
	}
	assert_int_equal(taskset_count(ts), 9000);
	for (int tid = 1000; tid < 1000 + 9000; tid++) {
		struct task *t = task_find(ts, tid);
		assert_non_null(t);
		assert_int_equal(t->tid, tid);
		assert_int_equal(t->proc->pid, tid - (tid - 1000) % 3);
		assert_int_equal(t->proc->nthreads, 3);
	}
	assert_null(task_find(ts, 999));
	assert_null(task_find(ts, 10000));
	assert_non_null(proc_find(ts, 1003));
	assert_null(proc_find(ts, 1004));

	/* delete the leaders: the procs live on through their other threads */
	for (int p = 1000; p < 10000; p += 3)
		task_del(ts, task_find(ts, p));
	assert_int_equal(taskset_count(ts), 6000);
	struct proc *pr = proc_find(ts, 1003);
	assert_non_null(pr);
	assert_int_equal(pr->nthreads, 2);
	assert_int_equal(pr->refs, 2);
	/* the last thread takes the proc with it */
	task_del(ts, task_find(ts, 1004));
	task_del(ts, task_find(ts, 1005));
	assert_null(proc_find(ts, 1003));
	assert_non_null(proc_find(ts, 1006));
	taskset_free(ts);
	taskset_free(NULL);
}

static int visited;

static void del_all_of_proc(struct task *t, void *ctx)
{
	struct taskset *ts = ctx;
	visited++;
	/* delete this task and, from the leader, every other thread of its proc */
	if (t->tid == t->proc->pid) {
		for (int k = 1; k < 4; k++) {
			struct task *o = task_find(ts, t->tid + k);
			if (o)
				task_del(ts, o);
		}
	}
	task_del(ts, t);
}

static void test_each_survives_deletion(void **state)
{
	(void)state;
	struct taskset *ts = taskset_new();
	for (int p = 100; p < 100 + 4 * 500; p += 4) {
		struct task *l = task_add(ts, p, NULL);
		for (int k = 1; k < 4; k++)
			task_add(ts, p + k, l->proc);
	}
	visited = 0;
	taskset_each(ts, del_all_of_proc, ts);
	assert_int_equal(taskset_count(ts), 0);
	/* every leader was visited; threads deleted by their leader first were skipped */
	assert_in_range(visited, 500, 2000);
	assert_null(proc_find(ts, 100));
	taskset_free(ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_find_delete),
		cmocka_unit_test(test_each_survives_deletion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
