/* SPDX-License-Identifier: MIT */
/* Unit tests of the live narrative, fed a synthetic event log: exact lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sinks/live.h"

/* The narrator's settings for the next start() (reset_cfg() between tests). */
static struct live_cfg cfg;


struct fixture {
	struct run r;
	FILE *f;
	struct live *l;
};

static struct fixture *start(void)
{
	struct fixture *x = xcalloc(1, sizeof(*x));
	x->r.log = evlog_new();
	x->f = tmpfile();
	x->l = live_new(&x->r, fileno(x->f), &cfg);
	return x;
}

/* Finish, return the whole narrative (caller frees) and free the fixture. */
static char *finish(struct fixture *x)
{
	live_finish(x->l);
	long n = ftell(x->f);
	char *s = xcalloc(1, (size_t)n + 1);
	rewind(x->f);
	assert_int_equal(fread(s, 1, (size_t)n, x->f), (size_t)n);
	fclose(x->f);
	evlog_free(x->r.log);
	free(x);
	return s;
}

static const uint64_t MS = 1000000;

static void ev_open(struct fixture *x, uint64_t t, int pid, const char *path, size_t plen,
		    const char *acc, int fd, int err, bool noise)
{
	struct ev_draft d;
	ev_init(&d, EVT_OPEN, t, pid, pid);
	ev_str(&d, x->r.log, EVK_PATH, path, plen);
	if (err)
		ev_err(&d, err);
	else
		ev_int(&d, EVK_FD, fd);
	ev_cstr(&d, x->r.log, EVK_ACCESS, acc);
	ev_cstr(&d, x->r.log, EVK_FLAGS, "O_RDONLY|O_CLOEXEC");
	ev_dur(&d, 12000);
	if (noise)
		d.h.flags |= EVFL_NOISE;
	evlog_append(x->r.log, &d);
}

static void ev_rw(struct fixture *x, unsigned type, uint64_t t, int pid, int tid, int fd,
		  const char *path, uint64_t bytes)
{
	struct ev_draft d;
	ev_init(&d, type, t, pid, tid);
	ev_int(&d, EVK_FD, fd);
	if (path)
		ev_cstr(&d, x->r.log, type == EVT_SEND || type == EVT_RECV ? EVK_PEER : EVK_PATH,
			path);
	ev_uint(&d, EVK_BYTES, bytes);
	ev_dur(&d, 1000);
	evlog_append(x->r.log, &d);
}

static void ev_exec(struct fixture *x, uint64_t t, int pid, const char *path, const char **argv,
		    int argc)
{
	struct ev_draft d;
	uint32_t ids[8];
	for (int i = 0; i < argc; i++)
		ids[i] = evlog_intern_cstr(x->r.log, argv[i]);
	ev_init(&d, EVT_EXEC, t, pid, pid);
	ev_cstr(&d, x->r.log, EVK_PATH, path);
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(x->r.log, ids, (uint32_t)argc));
	evlog_append(x->r.log, &d);
}

static void reset_cfg(void)
{
	memset(&cfg, 0, sizeof(cfg));
	cfg.strsize = 64;
}

static void test_basic_lines(void **st)
{
	(void)st;
	reset_cfg();
	cfg.no_filter = true; /* every memory call on its own line (test_fold folds them) */
	struct fixture *x = start();
	const char *argv[] = {"curl", "-s", "https://example.com"};
	ev_exec(x, 0, 100, "/usr/bin/curl", argv, 3);
	struct ev_draft d;
	ev_init(&d, EVT_MMAP, 2 * MS, 100, 100);
	ev_hex(&d, EVK_ADDR, 0x7f8a12345000);
	ev_uint(&d, EVK_LEN, 8192);
	ev_cstr(&d, x->r.log, EVK_PROT, "rw-");
	ev_strid(&d, EVK_PATH, 0);
	evlog_append(x->r.log, &d);
	/* a length that is not a page multiple: the kernel unmaps whole pages */
	ev_init(&d, EVT_MUNMAP, 2 * MS, 100, 100);
	ev_hex(&d, EVK_ADDR, 0x7f8a12345000);
	ev_uint(&d, EVK_LEN, 5000);
	evlog_append(x->r.log, &d);
	ev_init(&d, EVT_MUNMAP, 2 * MS, 100, 100);
	ev_hex(&d, EVK_ADDR, 0xfffffffffffff000ull);
	ev_uint(&d, EVK_LEN, 0xffffffffffffffffull);
	evlog_append(x->r.log, &d);
	ev_open(x, 3 * MS, 100, "/etc/resolv.conf", 16, "r", 3, 0, false);
	ev_open(x, 4 * MS, 100, "/etc/nope", 9, "r", 0, 2, false);
	ev_init(&d, EVT_CONNECT, 15 * MS, 100, 100);
	ev_int(&d, EVK_FD, 4);
	ev_cstr(&d, x->r.log, EVK_FAMILY, "tcp4");
	ev_cstr(&d, x->r.log, EVK_ADDR, "93.184.216.34");
	ev_uint(&d, EVK_PORT, 443);
	evlog_append(x->r.log, &d);
	ev_rw(x, EVT_SEND, 156 * MS, 100, 100, 4, NULL, 517);
	ev_rw(x, EVT_RECV, 234 * MS, 100, 100, 4, NULL, 1434);
	ev_init(&d, EVT_EXIT, 300 * MS, 100, 100);
	ev_int(&d, EVK_CODE, 0);
	ev_bool(&d, EVK_ROOT, true);
	evlog_append(x->r.log, &d);
	char *s = finish(x);
	assert_string_equal(s,
		"[+0.000000s] \u2500\u2500\u2500 curl exec \u2500\u2500\u2500 /usr/bin/curl -s https://example.com\n"
		"[+0.002000s] mmap 7f8a12345000-7f8a12347000 rw-   8.0 KiB anon\n"
		"[+0.002000s] munmap 7f8a12345000-7f8a12347000   8.0 KiB\n"
		"[+0.002000s] munmap fffffffffffff000-ffffffffffffffff  16.0 EiB\n"
		"[+0.003000s] open /etc/resolv.conf (read)\n"
		"[+0.004000s] open /etc/nope (read) ENOENT\n"
		"[+0.015000s] connect tcp4 \u2192 93.184.216.34:443\n"
		"[+0.156000s] send     517 B \u2192 fd 4\n"
		"[+0.234000s] recv   1.4 KiB \u2190 fd 4\n"
		"[+0.300000s] exit 0\n");
	free(s);
}

static void add_mem(struct fixture *x, unsigned type, uint64_t t, int pid, uint64_t len, int64_t growth)
{
	struct ev_draft d;
	ev_init(&d, type, t, pid, pid);
	ev_hex(&d, EVK_ADDR, 0x7f8a12345000);
	if (type == EVT_BRK)
		ev_int(&d, EVK_GROWTH, growth);
	else
		ev_uint(&d, EVK_LEN, len);
	evlog_append(x->r.log, &d);
}

static void add_exec_fail(struct fixture *x, uint64_t t, int pid, const char *path, const char *name)
{
	struct ev_draft d;
	ev_init(&d, EVT_EXEC, t, pid, pid);
	ev_cstr(&d, x->r.log, EVK_PATH, path);
	uint32_t id = evlog_intern_cstr(x->r.log, name);
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(x->r.log, &id, 1));
	ev_err(&d, 2);
	evlog_append(x->r.log, &d);
}

/* Routine work folds: memory per process and second, locale loading, PATH searches. */
static void test_fold(void **st)
{
	(void)st;
	reset_cfg();
	struct fixture *x = start();
	add_mem(x, EVT_MMAP, 1 * MS, 7, 8192, 0);
	add_mem(x, EVT_MMAP, 2 * MS, 7, 5000, 0);
	add_mem(x, EVT_MUNMAP, 3 * MS, 7, 4096, 0);
	add_mem(x, EVT_BRK, 4 * MS, 7, 0, 135168);
	add_mem(x, EVT_MPROTECT, 4 * MS, 7, 4096, 0);
	ev_open(x, 5 * MS, 7, "/usr/lib/locale/C.UTF-8/LC_CTYPE", 32, "r", 0, 2, false);
	ev_open(x, 5 * MS, 7, "/usr/lib/locale/C.utf8/LC_CTYPE", 31, "r", 3, 0, false);
	ev_open(x, 6 * MS, 7, "/etc/hosts", 10, "r", 3, 0, false);
	add_exec_fail(x, 7 * MS, 7, "/usr/local/bin/git", "git");
	add_exec_fail(x, 7 * MS, 7, "/usr/sbin/git", "git");
	const char *argv[] = {"git", "--version"};
	ev_exec(x, 8 * MS, 7, "/usr/bin/git", argv, 2);
	add_exec_fail(x, 9 * MS, 7, "/usr/local/bin/nosuch", "nosuch");
	/* a second later: a new memory line */
	add_mem(x, EVT_MMAP, 1500 * MS, 7, 4096, 0);
	add_mem(x, EVT_MMAP, 2600 * MS, 7, 4096, 0);
	struct ev_draft d;
	ev_init(&d, EVT_EXIT, 2700 * MS, 7, 7);
	ev_int(&d, EVK_CODE, 127);
	evlog_append(x->r.log, &d);
	char *s = finish(x);
	assert_string_equal(s,
		"[+0.005000s] probed 2 locale files (1 not found)\n"
		"[+0.006000s] open /etc/hosts (read)\n"
		"[+0.007000s] PATH search: 2 directories before /usr/bin/git\n"
		"[+0.001000s] memory: 2 anonymous maps +16.0 KiB, 1 unmap -4.0 KiB, brk +132.0 KiB, 1 mprotect\n"
		"[+0.008000s] \u2500\u2500\u2500 git exec \u2500\u2500\u2500 /usr/bin/git --version\n"
		"[+1.500000s] memory: 1 anonymous map +4.0 KiB\n"
		/* a search is told when the process does something else that is narrated */
		"[+0.009000s] PATH search: nosuch not found in 1 directory ENOENT\n"
		"[+2.600000s] memory: 1 anonymous map +4.0 KiB\n"
		"[+2.700000s] exit 127\n");
	free(s);
	/* --no-filter and -v fold nothing */
	reset_cfg();
	cfg.no_filter = true;
	x = start();
	add_mem(x, EVT_MMAP, 1 * MS, 7, 8192, 0);
	ev_open(x, 5 * MS, 7, "/usr/lib/locale/C.UTF-8/LC_CTYPE", 32, "r", 0, 2, false);
	s = finish(x);
	assert_string_equal(s,
		"[+0.001000s] mmap 7f8a12345000-7f8a12347000   8.0 KiB anon\n"
		"[+0.005000s] open /usr/lib/locale/C.UTF-8/LC_CTYPE (read) ENOENT\n");
	free(s);
}

static void test_coalesce(void **st)
{
	(void)st;
	reset_cfg();
	struct fixture *x = start();
	ev_rw(x, EVT_READ, 1 * MS, 7, 7, 3, "/etc/x", 4096);
	ev_rw(x, EVT_READ, 2 * MS, 7, 7, 3, "/etc/x", 4096);
	ev_rw(x, EVT_READ, 3 * MS, 7, 7, 3, "/etc/x", 4096);
	/* a hidden noise event does not break the run */
	ev_open(x, 3 * MS, 7, "/proc/self/maps", 15, "r", 5, 0, true);
	ev_rw(x, EVT_WRITE, 4 * MS, 7, 7, 1, "/dev/pts/0", 10);
	ev_rw(x, EVT_READ, 5 * MS, 7, 7, 3, "/etc/x", 100);
	/* pending at finish is flushed */
	ev_rw(x, EVT_WRITE, 6 * MS, 7, 7, 4, "/tmp/out", 1);
	ev_rw(x, EVT_WRITE, 7 * MS, 7, 7, 4, "/tmp/out", 1);
	char *s = finish(x);
	assert_string_equal(s,
		"[+0.001000s] read /etc/x 3\u00d7 12.0 KiB\n"
		"[+0.004000s] write /dev/pts/0 10 B\n"
		"[+0.005000s] read /etc/x 100 B\n"
		"[+0.006000s] write /tmp/out 2\u00d7 2 B\n");
	free(s);
}

static void test_noise_filter(void **st)
{
	(void)st;
	reset_cfg();
	struct fixture *x = start();
	ev_open(x, 1 * MS, 7, "/usr/lib/libc.so.6", 18, "r", 3, 0, true);
	ev_open(x, 2 * MS, 7, "/home/a", 7, "r", 3, 0, false);
	char *s = finish(x);
	assert_string_equal(s, "[+0.002000s] open /home/a (read)\n");
	free(s);
	cfg.no_filter = true;
	x = start();
	ev_open(x, 1 * MS, 7, "/usr/lib/libc.so.6", 18, "r", 3, 0, true);
	s = finish(x);
	assert_string_equal(s, "[+0.001000s] open /usr/lib/libc.so.6 (read)\n");
	free(s);
	reset_cfg();
	cfg.quiet = true;
	x = start();
	ev_open(x, 1 * MS, 7, "/home/a", 7, "r", 3, 0, false);
	s = finish(x);
	assert_string_equal(s, "");
	free(s);
}

static void test_pid_column(void **st)
{
	(void)st;
	reset_cfg();
	struct fixture *x = start();
	ev_open(x, 1 * MS, 10, "/a", 2, "r", 3, 0, false);
	struct ev_draft d;
	ev_init(&d, EVT_SPAWN, 2 * MS, 10, 10);
	ev_int(&d, EVK_CHILD, 11);
	ev_bool(&d, EVK_THREAD, false);
	ev_cstr(&d, x->r.log, EVK_VIA, "fork");
	evlog_append(x->r.log, &d);
	ev_open(x, 3 * MS, 11, "/b", 2, "w", 3, 0, false);
	ev_init(&d, EVT_SPAWN, 4 * MS, 11, 11);
	ev_int(&d, EVK_CHILD, 12);
	ev_bool(&d, EVK_THREAD, true);
	ev_cstr(&d, x->r.log, EVK_VIA, "clone3");
	evlog_append(x->r.log, &d);
	ev_rw(x, EVT_WRITE, 5 * MS, 11, 12, 3, "/b", 5);
	ev_init(&d, EVT_EXIT, 6 * MS, 11, 12);
	ev_int(&d, EVK_CODE, 0);
	ev_bool(&d, EVK_THREAD, true);
	evlog_append(x->r.log, &d);
	ev_init(&d, EVT_EXIT, 7 * MS, 11, 11);
	ev_sig(&d, EVK_SIGNAL, 11);
	ev_bool(&d, EVK_CORE, true);
	evlog_append(x->r.log, &d);
	char *s = finish(x);
	assert_string_equal(s,
		"[+0.001000s] open /a (read)\n"
		"[+0.002000s] spawn process 11 (fork)\n"
		"[+0.003000s] 11      open /b (write)\n"
		"[+0.004000s] 11      spawn thread 12 (clone3)\n"
		"[+0.005000s] 11/12   write /b 5 B\n"
		"[+0.006000s] 11/12   thread exit 0\n"
		"[+0.007000s] 11      exit SIGSEGV (core dumped)\n");
	free(s);
}

static void test_hostile(void **st)
{
	(void)st;
	reset_cfg();
	struct fixture *x = start();
	static const char evil[] = "/tmp/a\nb\x1b]0;pwned\x07\x9b" "2J\xe2\x80\xae" "fdp.exe\xff\xfe\xc2\x9b";
	ev_open(x, 1 * MS, 5, evil, sizeof(evil) - 1, "w", 3, 0, false);
	const char *argv[] = {"\x1b[2Jsh", "-c", "echo\r\n"};
	ev_exec(x, 2 * MS, 5, "/bin/\x1b[31msh", argv, 3);
	char *s = finish(x);
	assert_string_equal(s,
		"[+0.001000s] open /tmp/a\\nb\\x1b]0;pwned\\x07\\x9b2J\\u202efdp.exe\\xff\\xfe\\xc2\\x9b (write)\n"
		"[+0.002000s] \u2500\u2500\u2500 \\x1b[31msh exec \u2500\u2500\u2500 /bin/\\x1b[31msh (as $'\\x1b[2Jsh') -c $'echo\\r\\n'\n");
	/* one event, one line; no control byte at all */
	int lines = 0;
	for (char *p = s; *p; p++) {
		lines += *p == '\n';
		assert_true((unsigned char)*p >= 0x20 || *p == '\n');
		assert_true(*p != 0x7f);
	}
	assert_int_equal(lines, 2);
	free(s);
}

static void test_verbose_and_color(void **st)
{
	(void)st;
	reset_cfg();
	cfg.verbose = true;
	struct fixture *x = start();
	struct ev_draft d;
	ev_init(&d, EVT_SYSCALL, 1 * MS, 9, 9);
	ev_cstr(&d, x->r.log, EVK_NAME, "openat");
	ev_cstr(&d, x->r.log, EVK_ARGS, "openat(AT_FDCWD, \"/etc/nope\\n\x1b\", O_RDONLY)");
	ev_int(&d, EVK_RET, -2);
	ev_dur(&d, 12000);
	ev_err(&d, 2);
	evlog_append(x->r.log, &d);
	ev_open(x, 1 * MS, 9, "/etc/nope", 9, "r", 0, 2, false); /* repeated by the syscall line */
	ev_init(&d, EVT_SYSCALL, 2 * MS, 9, 9);
	ev_cstr(&d, x->r.log, EVK_NAME, "mmap");
	ev_cstr(&d, x->r.log, EVK_ARGS, "mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)");
	ev_int(&d, EVK_RET, 0x7f0000001000);
	ev_dur(&d, 3000);
	evlog_append(x->r.log, &d);
	ev_init(&d, EVT_SYSCALL, 3 * MS, 9, 9);
	ev_cstr(&d, x->r.log, EVK_NAME, "read");
	ev_cstr(&d, x->r.log, EVK_ARGS, "read(5<pipe:[9]>, 0x7ffc0, 1)");
	ev_int(&d, EVK_RET, -512);
	ev_dur(&d, 58000);
	ev_err(&d, 512);
	evlog_append(x->r.log, &d);
	char *s = finish(x);
	assert_string_equal(s,
		"[+0.001000s] openat(AT_FDCWD, \"/etc/nope\\n\\x1b\", O_RDONLY) = -1 ENOENT <0.000012>\n"
		"[+0.002000s] mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000001000 <0.000003>\n"
		"[+0.003000s] read(5<pipe:[9]>, 0x7ffc0, 1) = ? ERESTARTSYS <0.000058>\n");
	free(s);
	reset_cfg();
	cfg.color = true;
	x = start();
	ev_open(x, 1 * MS, 9, "/etc/nope", 9, "r", 0, 2, false);
	s = finish(x);
	assert_string_equal(s, "\033[2m[+0.001000s] \033[0mopen /etc/nope (read) \033[31mENOENT\033[0m\n");
	free(s);
}

static void test_attach(void **st)
{
	(void)st;
	reset_cfg();
	struct fixture *x = start();
	struct ev_draft d;
	uint32_t ids[2] = {evlog_intern_cstr(x->r.log, "sleep"), evlog_intern_cstr(x->r.log, "1000")};
	ev_init(&d, EVT_ATTACH, 0, 42, 42);
	ev_cstr(&d, x->r.log, EVK_PATH, "/usr/bin/sleep");
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(x->r.log, ids, 2));
	ev_bool(&d, EVK_STOPPED, true);
	evlog_append(x->r.log, &d);
	ev_init(&d, EVT_SIGNAL, 1 * MS, 42, 42);
	ev_sig(&d, EVK_SIGNAL, 18);
	ev_int(&d, EVK_SENDER, 7);
	evlog_append(x->r.log, &d);
	ev_init(&d, EVT_DETACH, 2 * MS, 42, 42);
	evlog_append(x->r.log, &d);
	char *s = finish(x);
	assert_string_equal(s,
		"[+0.000000s] \u2500\u2500\u2500 attached sleep 1000 (stopped)\n"
		"[+0.001000s] signal SIGCONT from 7\n"
		"[+0.002000s] detached\n");
	free(s);
}

/* -k stacks sit indented under their event; a crash is one line at once and told in full at the end. */
static void test_stack_and_crash(void **st)
{
	(void)st;
	reset_cfg();
	struct fixture *x = start();
	struct ev_draft d;
	const char *stk =
		"[{\"ip\":\"0x7f0000101829\",\"module\":\"/usr/lib/libc.so.6\",\"offset\":\"0x101829\",\"sym\":\"syscall\"},"
		"{\"ip\":\"0x401217\",\"module\":\"/tmp/a b/stk\\u001b[2J\",\"offset\":\"0x1217\",\"sym\":\"f3\\n\"},"
		"{\"ip\":\"0x401300\",\"module\":\"/tmp/stk\",\"offset\":\"0x1300\",\"sym\":null},"
		"{\"ip\":\"0x7f0000abc000\",\"module\":null,\"offset\":null,\"sym\":null},"
		"{\"truncated\":true,\"reason\":\"no unwind info\"}]";
	ev_init(&d, EVT_OPEN, 1 * MS, 7, 7);
	ev_cstr(&d, x->r.log, EVK_PATH, "/nonexistent/m");
	ev_cstr(&d, x->r.log, EVK_ACCESS, "r");
	ev_err(&d, 2);
	ev_json(&d, x->r.log, EVK_STACK, stk, strlen(stk));
	evlog_append(x->r.log, &d);
	/* two reads of one fd with stacks: each keeps its own line and stack */
	const char *s1 = "[{\"ip\":\"0x401000\",\"module\":\"/tmp/stk\",\"offset\":\"0x1000\",\"sym\":\"main\"}]";
	for (int i = 0; i < 2; i++) {
		ev_init(&d, EVT_READ, 2 * MS, 7, 7);
		ev_int(&d, EVK_FD, 3);
		ev_cstr(&d, x->r.log, EVK_PATH, "/etc/hostname");
		ev_uint(&d, EVK_BYTES, 5);
		ev_json(&d, x->r.log, EVK_STACK, s1, strlen(s1));
		evlog_append(x->r.log, &d);
	}
	ev_init(&d, EVT_CRASH, 3 * MS, 7, 7);
	ev_sig(&d, EVK_SIGNAL, 11);
	ev_cstr(&d, x->r.log, EVK_CODE, "SEGV_MAPERR");
	ev_hex(&d, EVK_ADDR, 0x10);
	ev_cstr(&d, x->r.log, EVK_CRASH_REGION, "not mapped");
	const char *regs = "{\"rip\":\"0x401591\",\"rsp\":\"0x7ffe0000\",\"rbp\":\"0x0\",\"rax\":\"0x1\"}";
	ev_json(&d, x->r.log, EVK_REGS, regs, strlen(regs));
	const char *dis = "[{\"addr\":\"0x40158c\",\"text\":\"call 0x4011f0\",\"fault\":false},"
			  "{\"addr\":\"0x401591\",\"text\":\"mov dword ptr [0x10], 1\",\"fault\":true},"
			  "{\"addr\":\"0x40159c\",\"text\":\"mov rsi, rbx\",\"fault\":false}]";
	ev_json(&d, x->r.log, EVK_DISASM, dis, strlen(dis));
	const char *cs = "[{\"ip\":\"0x401591\",\"module\":\"/tmp/stk\",\"offset\":\"0x1591\",\"sym\":\"main\"},"
			 "{\"truncated\":true,\"reason\":\"sp\"}]";
	ev_json(&d, x->r.log, EVK_STACK, cs, strlen(cs));
	evlog_append(x->r.log, &d);
	ev_init(&d, EVT_EXIT, 4 * MS, 7, 7);
	ev_sig(&d, EVK_SIGNAL, 11);
	evlog_append(x->r.log, &d);
	char *s = finish(x);
	assert_string_equal(s,
		"[+0.001000s] open /nonexistent/m (read) ENOENT\n"
		"          #0 syscall (libc.so.6+0x101829)\n"
		"          #1 f3\\n (stk\\x1b[2J+0x1217)\n"
		"          #2 (stk+0x1300)\n"
		"          #3 0x7f0000abc000 (no module)\n"
		"          \u2026 truncated (no unwind info)\n"
		"[+0.002000s] read /etc/hostname 5 B\n"
		"          #0 main (stk+0x1000)\n"
		"[+0.002000s] read /etc/hostname 5 B\n"
		"          #0 main (stk+0x1000)\n"
		"[+0.003000s] crash SIGSEGV SEGV_MAPERR at 0x10 (not mapped)\n"
		"[+0.004000s] exit SIGSEGV\n"
		"[+0.003000s] \u2501\u2501\u2501 CRASH of 7: SIGSEGV SEGV_MAPERR at 0x10 (not mapped) \u2501\u2501\u2501\n"
		"          rip 0x401591  rsp 0x7ffe0000  rbp 0x0\n"
		"          code:\n"
		"               0x40158c  call 0x4011f0\n"
		"             \u2192 0x401591  mov dword ptr [0x10], 1\n"
		"               0x40159c  mov rsi, rbx\n"
		"          stack:\n"
		"            #0 main (stk+0x1591)\n"
		"            \u2026 truncated (sp)\n");
	free(s);
}

/* close and socket show only when they fail, once with their errno. */
static void test_close_socket(void **st)
{
	(void)st;
	reset_cfg();
	struct fixture *x = start();
	struct ev_draft d;
	ev_init(&d, EVT_CLOSE, 1 * MS, 5, 5);
	ev_int(&d, EVK_FD, 3);
	ev_cstr(&d, x->r.log, EVK_PATH, "/etc/hosts");
	evlog_append(x->r.log, &d);
	ev_init(&d, EVT_CLOSE, 2 * MS, 5, 5);
	ev_int(&d, EVK_FD, -1);
	ev_err(&d, 9);
	evlog_append(x->r.log, &d);
	ev_init(&d, EVT_CLOSE, 3 * MS, 5, 5);
	ev_int(&d, EVK_FD, 4);
	ev_cstr(&d, x->r.log, EVK_DESC, "pipe:[12]");
	ev_err(&d, 5);
	evlog_append(x->r.log, &d);
	ev_init(&d, EVT_SOCKET, 4 * MS, 5, 5);
	ev_cstr(&d, x->r.log, EVK_FAMILY, "tcp6");
	ev_err(&d, 97);
	evlog_append(x->r.log, &d);
	char *s = finish(x);
	assert_string_equal(s,
		"[+0.002000s] close fd -1 EBADF\n"
		"[+0.003000s] close fd 4 (pipe:[12]) EIO\n"
		"[+0.004000s] socket tcp6 EAFNOSUPPORT\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_lines), cmocka_unit_test(test_coalesce),
		cmocka_unit_test(test_noise_filter), cmocka_unit_test(test_pid_column),
		cmocka_unit_test(test_hostile), cmocka_unit_test(test_verbose_and_color),
		cmocka_unit_test(test_attach), cmocka_unit_test(test_stack_and_crash),
		cmocka_unit_test(test_close_socket), cmocka_unit_test(test_fold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
