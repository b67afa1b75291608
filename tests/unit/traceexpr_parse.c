// SPDX-License-Identifier: MIT
// traceexpr: -e trace= classes, names, '!' negation, all/none, and one clear message for bad input.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include "decode/systab.h"
#include "decode/traceexpr.h"


static struct trace_sel o;
static struct buf err;

static int parse(const char *e)
{
	memset(&o, 0, sizeof(o));
	buf_reset(&err);
	return traceexpr_parse(e, &o, &err);
}

static int sel(unsigned nr)
{
	return trace_sel_has(&o, nr);
}

static void classes(void **state)
{
	(void)state;
	assert_int_equal(parse("trace=file"), 0);
	assert_false(o.all);
	assert_true(sel(SYS_openat));
	assert_true(sel(SYS_open));
	assert_true(sel(SYS_execve));
	assert_true(sel(SYS_unlinkat));
	assert_false(sel(SYS_read));
	assert_false(sel(SYS_close));
	assert_false(sel(SYS_connect));
	assert_int_equal(o.cats, SYSC(FILE));

	assert_int_equal(parse("%network"), 0);
	assert_true(sel(SYS_connect));
	assert_true(sel(SYS_socket));
	assert_false(sel(SYS_openat));
	assert_int_equal(o.cats, SYSC(NETWORK));

	assert_int_equal(parse("trace=memory,io"), 0);
	assert_true(sel(SYS_mmap));
	assert_true(sel(SYS_brk));
	assert_true(sel(SYS_read));
	assert_true(sel(SYS_writev));
	assert_false(sel(SYS_openat));
	assert_int_equal(o.cats, SYSC(MEMORY) | SYSC(IO));

	static const char *const each[] = { "process", "signal", "ipc", "desc" };
	static const unsigned nrs[] = { SYS_clone, SYS_rt_sigaction, SYS_shmget, SYS_close };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(parse(each[i]), 0);
		assert_true(sel(nrs[i]));
		assert_false(sel(SYS_getpid));
	}
}

static void names_and_negation(void **state)
{
	(void)state;
	assert_int_equal(parse("trace=openat,close"), 0);
	assert_true(sel(SYS_openat));
	assert_true(sel(SYS_close));
	assert_false(sel(SYS_open));
	assert_int_equal(o.cats, 0);

	assert_int_equal(parse("trace=file,!openat"), 0);
	assert_true(sel(SYS_open));
	assert_false(sel(SYS_openat));
	assert_int_equal(o.cats, SYSC(FILE));

	/* strace: a leading '!' negates the whole list */
	assert_int_equal(parse("trace=!read,write"), 0);
	assert_false(o.all);
	assert_false(sel(SYS_read));
	assert_false(sel(SYS_write));
	assert_true(sel(SYS_openat));
	assert_true(sel(SYS_getpid));

	assert_int_equal(parse("!file"), 0);
	assert_false(sel(SYS_openat));
	assert_true(sel(SYS_read));
	assert_int_equal(o.cats & SYSC(FILE), 0);
	assert_true(o.cats & SYSC(NETWORK));

	assert_int_equal(parse("t=read"), 0);
	assert_true(sel(SYS_read));
	assert_false(sel(SYS_write));
}

static void all_and_none(void **state)
{
	(void)state;
	assert_int_equal(parse("trace=all"), 0);
	assert_true(o.all);
	assert_int_equal(o.bits[0], ~0ull); /* the seccomp filter reads the bitmap too */

	assert_int_equal(parse("trace=none"), 0);
	assert_false(o.all);
	for (unsigned nr = 0; nr < SC_BITMAP_WORDS * 64; nr++)
		assert_false(sel(nr));

	assert_int_equal(parse("trace=!none"), 0);
	assert_true(o.all);

	assert_int_equal(parse("all,!getpid"), 0);
	assert_false(o.all);
	assert_false(sel(SYS_getpid));
	assert_true(sel(SYS_getppid));
}

static void errors(void **state)
{
	(void)state;
	assert_int_equal(parse("trace=foo"), -EINVAL);
	assert_string_equal(err.data, "unknown syscall or class 'foo' in -e trace=foo; classes are %file, %network, "
				      "%memory, %io, %process, %signal, %ipc, %desc, %creds, %clock, %stat, %lstat, "
				      "%fstat, %%stat, %statfs, %fstatfs, %%statfs, %pure, or all, none");
	assert_int_equal(parse("trace=file,!nope"), -EINVAL);
	assert_non_null(strstr(err.data, "'nope'"));
	assert_int_equal(parse("trace="), -EINVAL);
	assert_non_null(strstr(err.data, "empty syscall list"));
	assert_int_equal(parse("trace=read,,write"), -EINVAL);
	assert_int_equal(parse("trace=read,"), -EINVAL);
	assert_int_equal(parse("trace=!"), -EINVAL);
	assert_int_equal(parse("trace=read,!"), -EINVAL);
	assert_int_equal(parse("signal=SIGINT"), -EINVAL);
	assert_string_equal(err.data, "-e signal=: only -e trace=LIST is supported");
	assert_int_equal(parse("socketcall"), -EINVAL); /* i386 only */
	/* a failed parse leaves the options alone */
	memset(&o, 0, sizeof(o));
	o.all = true;
	buf_reset(&err);
	assert_int_equal(traceexpr_parse("bogus", &o, &err), -EINVAL);
	assert_true(o.all);
	/* one message per failure */
	assert_null(strchr(err.data, '\n'));
}

static int teardown(void **state)
{
	(void)state;
	buf_free(&err);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classes),
		cmocka_unit_test(names_and_negation),
		cmocka_unit_test(all_and_none),
		cmocka_unit_test(errors),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
