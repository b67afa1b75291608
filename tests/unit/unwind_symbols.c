// SPDX-License-Identifier: MIT
// symbols: names from this very binary's .symtab by file offset, /proc maps text parsed
// defensively, and a deterministic fuzz of corrupted ELF files (the tracee controls them): no
// crash, no hang, and never a name for an offset outside every function.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forensics/symbols.h"
#include "lib/util.h"

/* main.c (not linked into unit tests) owns the options. */

int sym_probe_function(int x);

int __attribute__((noinline)) sym_probe_function(int x)
{
	return x * 3 + 1;
}

static void test_self(void **state)
{
	(void)state;
	struct sym_maps *m = sym_maps_read(getpid());
	assert_non_null(m);
	uint64_t addr = (uint64_t)(uintptr_t)sym_probe_function + 2;
	const struct sym_map *mp = sym_maps_find(m, addr);
	assert_non_null(mp);
	assert_non_null(mp->path);
	assert_true(mp->perms[2] == 'x');
	uint64_t start = 0;
	const char *s = sym_lookup(mp->path, addr - mp->start + mp->off, &start);
	assert_non_null(s);
	assert_string_equal(s, "sym_probe_function");
	assert_int_equal(start, addr - 2 - mp->start + mp->off);
	/* cached: the same pointer the second time */
	assert_ptr_equal(sym_lookup(mp->path, addr - mp->start + mp->off, NULL), s);
	/* not a file, or no such file: no name */
	assert_null(sym_lookup("[vdso]", 0x100, NULL));
	assert_null(sym_lookup("/nonexistent/lib.so", 0x100, NULL));
	assert_null(sym_lookup(NULL, 0x100, NULL));
	sym_maps_free(m);
	sym_maps_free(NULL);
}

static void test_maps_text(void **state)
{
	(void)state;
	const char text[] =
		"00400000-00401000 r-xp 00000000 08:01 42 /bin/x\n"
		"garbage line\n"
		"00500000-00400000 r--p 00000000 00:00 0 reversed\n"
		"ffffffffffffffffff-1 r--p 0 0 0\n"
		"00600000-00602000 rw-p 00001000 00:00 0 \n"
		"00700000-00701000 rw-p 00000000 00:00 0                  [heap]\n"
		"00800000-00801000 r-x";
	struct sym_maps *m = sym_maps_parse(text, sizeof(text) - 1);
	const struct sym_map *mp = sym_maps_find(m, 0x400010);
	assert_non_null(mp);
	assert_string_equal(mp->path, "/bin/x");
	assert_string_equal(mp->perms, "r-xp");
	mp = sym_maps_find(m, 0x601000);
	assert_non_null(mp);
	assert_null(mp->path);
	assert_int_equal(mp->off, 0x1000);
	mp = sym_maps_find(m, 0x700000);
	assert_non_null(mp);
	assert_string_equal(mp->path, "[heap]");
	assert_null(sym_maps_find(m, 0x450000));
	assert_null(sym_maps_find(m, 0x800000)); /* cut-off line */
	sym_maps_free(m);
	m = sym_maps_parse("", 0);
	assert_null(sym_maps_find(m, 0));
	sym_maps_free(m);
}

static uint64_t rng = 88172645463325252ull;
static uint64_t xs(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_fuzz_elf(void **state)
{
	(void)state;
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	assert_true(n > 0);
	self[n] = '\0';
	int fd = open(self, O_RDONLY | O_CLOEXEC);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	size_t len = (size_t)st.st_size;
	unsigned char *orig = xmalloc(len), *buf = xmalloc(len);
	assert_int_equal(read(fd, orig, len), (ssize_t)len);
	close(fd);
	char dir[] = "/tmp/unwind_symbols.XXXXXX";
	assert_non_null(mkdtemp(dir));
	for (int round = 0; round < 300; round++) {
		char path[64];
		size_t keep = len;
		memcpy(buf, orig, len);
		switch (round % 4) {
		case 0: /* random bytes in the headers */
			for (int k = 0; k < 8; k++)
				buf[xs() % 512] = (unsigned char)xs();
			break;
		case 1: /* truncated anywhere */
			keep = (size_t)(xs() % len);
			break;
		case 2: /* section headers and symbol tables scribbled on */
			for (int k = 0; k < 64; k++)
				buf[len / 2 + xs() % (len / 2)] = (unsigned char)xs();
			break;
		default: /* huge counts and offsets */
			memset(buf + 0x20, 0xff, 8 + (xs() % 24));
			break;
		}
		snprintf(path, sizeof(path), "%s/f%d", dir, round);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, buf, keep), (ssize_t)keep);
		close(fd);
		for (int q = 0; q < 20; q++)
			(void)sym_lookup(path, xs() % (len + 4096), NULL);
		unlink(path);
	}
	rmdir(dir);
	free(orig);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_maps_text),
		cmocka_unit_test(test_fuzz_elf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
