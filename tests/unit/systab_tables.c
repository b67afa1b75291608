// SPDX-License-Identifier: MIT
// systab: the generated tables are consistent (names, numbers, types, bounds) and agree with libc's SYS_ numbers.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/audit.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>

#include "decode/systab.h"
#include "lib/xlat.h"

extern const struct xlat xt_rlimit;


static const uint32_t arches[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386 };

static void every_row_is_well_formed(void **state)
{
	(void)state;
	for (size_t a = 0; a < 2; a++) {
		unsigned n = systab_size(arches[a]), rows = 0;
		assert_true(n > 400);
		for (unsigned nr = 0; nr < n; nr++) {
			const struct sysent *e = systab_get(arches[a], nr);
			if (!e)
				continue;
			rows++;
			assert_non_null(e->name);
			assert_string_equal(systab_name(arches[a], nr), e->name);
			assert_true(e->nargs <= 6);
			assert_true(e->ret < SRET__COUNT);
			assert_int_equal(e->classes & ~(SYSC_ALL | SYSX_ALL), 0);
			for (int i = 0; i < e->nargs; i++) {
				assert_true(e->args[i].type < SAT__COUNT);
				assert_true(e->args[i].aux < e->nargs);
				/* enum:/flags: rows carry their table, nothing else does */
				bool tabled = e->args[i].type == SAT_ENUM || e->args[i].type == SAT_FLAGS;
				assert_int_equal(e->args[i].x != NULL, tabled);
			}
			/* no duplicate names within an arch */
			for (unsigned m = nr + 1; m < n; m++) {
				const struct sysent *o = systab_get(arches[a], m);
				if (o && strcmp(o->name, e->name) == 0)
					fail_msg("%s appears as %u and %u", e->name, nr, m);
			}
		}
		assert_true(rows > 380);
	}
}

static void lookups_round_trip(void **state)
{
	(void)state;
	for (unsigned nr = 0; nr < systab_size(AUDIT_ARCH_X86_64); nr++) {
		const char *n = systab_name(AUDIT_ARCH_X86_64, nr);
		if (n)
			assert_int_equal(systab_lookup(n), (int)nr);
		assert_int_equal(systab_native_nr(AUDIT_ARCH_X86_64, nr), n ? (int64_t)nr : -1);
	}
	assert_int_equal(systab_lookup("nosuchcall"), -1);
	assert_int_equal(systab_lookup(""), -1);
	/* i386-only names are not x86_64 syscalls */
	assert_int_equal(systab_lookup("socketcall"), -1);
}

static void numbers_match_libc(void **state)
{
	(void)state;
	assert_int_equal(systab_lookup("read"), SYS_read);
	assert_int_equal(systab_lookup("openat"), SYS_openat);
	assert_int_equal(systab_lookup("execve"), SYS_execve);
	assert_int_equal(systab_lookup("rt_sigreturn"), SYS_rt_sigreturn);
	assert_int_equal(systab_lookup("restart_syscall"), SYS_restart_syscall);
	assert_int_equal(systab_lookup("clone3"), SYS_clone3);
	assert_int_equal(systab_lookup("set_mempolicy_home_node"), 450);
	/* newer than the installed headers; numbers from the kernel's syscall_64.tbl */
	assert_int_equal(systab_lookup("cachestat"), 451);
	assert_int_equal(systab_lookup("mseal"), 462);
	assert_int_equal(systab_lookup("file_setattr"), 469);
	assert_int_equal(systab_lookup("uretprobe"), 335);
	assert_int_equal(systab_lookup("uprobe"), 336);
}

static void bounds_are_checked(void **state)
{
	(void)state;
	assert_null(systab_get(AUDIT_ARCH_X86_64, -1));
	assert_null(systab_get(AUDIT_ARCH_X86_64, INT64_MIN));
	assert_null(systab_get(AUDIT_ARCH_X86_64, 0x7fffffff));
	assert_null(systab_get(AUDIT_ARCH_X86_64, 0x40000000 | 39)); /* x32 getpid */
	assert_null(systab_get(AUDIT_ARCH_X86_64, systab_size(AUDIT_ARCH_X86_64)));
	assert_null(systab_get(AUDIT_ARCH_X86_64, 400)); /* hole between 336 and 424 */
	assert_null(systab_get(AUDIT_ARCH_I386, 0xffff));
	assert_null(systab_get(AUDIT_ARCH_I386, -1));
	assert_null(systab_get(AUDIT_ARCH_I386, 453)); /* map_shadow_stack is 64-bit only */
	assert_null(systab_get(0x12345678, 0));
	assert_null(systab_name(AUDIT_ARCH_X86_64, -1));
	assert_int_equal(systab_native_nr(AUDIT_ARCH_I386, 0xffff), -1);
	assert_int_equal(systab_native_nr(0x12345678, 1), -1);
	assert_int_equal(systab_size(0x12345678), 0);
}

static void rows_say_what_strace_says(void **state)
{
	(void)state;
	const struct sysent *e = systab_get(AUDIT_ARCH_X86_64, SYS_openat);
	assert_string_equal(e->name, "openat");
	assert_int_equal(e->classes, SYSC(FILE) | SYSC(DESC));
	assert_int_equal(e->ret, SRET_FD);
	assert_int_equal(e->nargs, 4);
	assert_int_equal(e->args[0].type, SAT_DIRFD);
	assert_int_equal(e->args[1].type, SAT_PATH);
	assert_int_equal(e->args[2].type, SAT_OPENFLAGS);
	assert_int_equal(e->args[3].type, SAT_OPENMODE);
	e = systab_get(AUDIT_ARCH_X86_64, SYS_read);
	assert_int_equal(e->classes, SYSC(IO) | SYSC(DESC));
	assert_int_equal(e->args[1].type, SAT_BUF_OUT);
	assert_int_equal(e->args[1].aux, 2);
	e = systab_get(AUDIT_ARCH_X86_64, SYS_mmap);
	assert_int_equal(e->ret, SRET_ADDR);
	assert_int_equal(e->classes, SYSC(MEMORY));
	assert_int_equal(systab_get(AUDIT_ARCH_X86_64, SYS_exit_group)->ret, SRET_NONE);
	assert_int_equal(systab_get(AUDIT_ARCH_X86_64, SYS_rt_sigreturn)->ret, SRET_SIGRET);
	assert_int_equal(systab_get(AUDIT_ARCH_X86_64, SYS_connect)->classes & SYSC(NETWORK), SYSC(NETWORK));
	e = systab_get(AUDIT_ARCH_X86_64, SYS_prlimit64);
	assert_int_equal(e->args[1].type, SAT_ENUM);
	assert_ptr_equal(e->args[1].x, &xt_rlimit);
}

static void i386_table(void **state)
{
	(void)state;
	assert_string_equal(systab_name(AUDIT_ARCH_I386, 0), "restart_syscall");
	assert_string_equal(systab_name(AUDIT_ARCH_I386, 1), "exit");
	assert_string_equal(systab_name(AUDIT_ARCH_I386, 4), "write");
	assert_string_equal(systab_name(AUDIT_ARCH_I386, 20), "getpid");
	assert_string_equal(systab_name(AUDIT_ARCH_I386, 64), "getppid");
	assert_string_equal(systab_name(AUDIT_ARCH_I386, 102), "socketcall");
	assert_string_equal(systab_name(AUDIT_ARCH_I386, 295), "openat");
	assert_string_equal(systab_name(AUDIT_ARCH_I386, 462), "mseal");
	assert_int_equal(systab_native_nr(AUDIT_ARCH_I386, 5), SYS_open);
	assert_int_equal(systab_native_nr(AUDIT_ARCH_I386, 64), SYS_getppid);
	assert_int_equal(systab_native_nr(AUDIT_ARCH_I386, 195), SYS_stat);   /* stat64 */
	assert_int_equal(systab_native_nr(AUDIT_ARCH_I386, 221), SYS_fcntl);  /* fcntl64 */
	assert_int_equal(systab_native_nr(AUDIT_ARCH_I386, 192), SYS_mmap);   /* mmap2 */
	assert_int_equal(systab_native_nr(AUDIT_ARCH_I386, 102), -1);         /* socketcall */
	/* inherited rows take the x86_64 description */
	const struct sysent *w = systab_get(AUDIT_ARCH_I386, 4);
	assert_int_equal(w->classes, SYSC(IO) | SYSC(DESC));
	assert_int_equal(w->args[1].type, SAT_BUF_IN);
	/* i386 clone orders its arguments differently but still starts with the flags */
	assert_int_equal(systab_get(AUDIT_ARCH_I386, 120)->args[0].type, SAT_CLONEFLAGS);
}

static int in(const uint64_t *bm, unsigned nr)
{
	return (int)(bm[nr / 64] >> (nr % 64) & 1);
}

static void class_bitmap(void **state)
{
	(void)state;
	uint64_t bm[SC_BITMAP_WORDS] = { 0 };
	systab_class_bitmap(SYSC(NETWORK), bm);
	assert_true(in(bm, SYS_connect));
	assert_true(in(bm, SYS_socket));
	assert_false(in(bm, SYS_read));
	assert_false(in(bm, SYS_openat));
	memset(bm, 0, sizeof(bm));
	systab_class_bitmap(SYSC(FILE) | SYSC(MEMORY), bm);
	assert_true(in(bm, SYS_openat));
	assert_true(in(bm, SYS_execve));
	assert_true(in(bm, SYS_mmap));
	assert_false(in(bm, SYS_close));
	assert_false(in(bm, SYS_getpid));
	memset(bm, 0, sizeof(bm));
	systab_class_bitmap(0, bm);
	for (int w = 0; w < SC_BITMAP_WORDS; w++)
		assert_int_equal(bm[w], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_row_is_well_formed),
		cmocka_unit_test(lookups_round_trip),
		cmocka_unit_test(numbers_match_libc),
		cmocka_unit_test(bounds_are_checked),
		cmocka_unit_test(rows_say_what_strace_says),
		cmocka_unit_test(i386_table),
		cmocka_unit_test(class_bitmap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
