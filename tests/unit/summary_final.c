/* SPDX-License-Identifier: MIT */
/* Unit tests of the FINAL summary and the -c table, fed a synthetic event log: exact text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "decode/traceexpr.h"
#include "sinks/summary.h"
#include "summary_text.h"

/* What the command line of each test asks for; run_summary() makes the summary's cfg of it. */
static struct {
	struct trace_sel trace;
	bool no_filter, summary_table, same_cpu;
	int strsize;
} opt;


static const uint64_t MS = 1000000;

static bool opt_selected(void *ctx, unsigned nr)
{
	return trace_sel_has(ctx, nr);
}

/* The FINAL block of r with the settings main.c would derive from opt. */
static char *run_summary(struct run *r)
{
	struct summary_cfg cfg = {.no_filter = opt.no_filter, .sc_table = opt.summary_table,
				  .same_cpu = opt.same_cpu, .strsize = opt.strsize,
				  .traced = summary_traced(opt_selected, &opt.trace)};
	return summary_text(r, &cfg);
}

static void add_open(struct evlog *log, uint64_t t, int pid, const char *path, int err, bool noise)
{
	struct ev_draft d;
	ev_init(&d, EVT_OPEN, t, pid, pid);
	ev_cstr(&d, log, EVK_PATH, path);
	if (err)
		ev_err(&d, err);
	else
		ev_int(&d, EVK_FD, 3);
	ev_cstr(&d, log, EVK_ACCESS, "r");
	if (noise)
		d.h.flags |= EVFL_NOISE;
	evlog_append(log, &d);
}

static void add_rw(struct evlog *log, unsigned type, uint64_t t, int pid, const char *path,
		   unsigned key, uint64_t bytes, bool noise)
{
	struct ev_draft d;
	ev_init(&d, type, t, pid, pid);
	ev_int(&d, EVK_FD, 3);
	ev_cstr(&d, log, key, path);
	ev_uint(&d, EVK_BYTES, bytes);
	if (noise)
		d.h.flags |= EVFL_NOISE;
	evlog_append(log, &d);
}

static void add_exec(struct evlog *log, uint64_t t, int pid, const char *path, int argc,
		     const char **argv)
{
	struct ev_draft d;
	uint32_t ids[8];
	for (int i = 0; i < argc; i++)
		ids[i] = evlog_intern_cstr(log, argv[i]);
	ev_init(&d, EVT_EXEC, t, pid, pid);
	ev_cstr(&d, log, EVK_PATH, path);
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(log, ids, (uint32_t)argc));
	evlog_append(log, &d);
}

static void add_connect(struct evlog *log, uint64_t t, int pid, const char *fam, const char *addr,
			int port, int err, bool noise)
{
	struct ev_draft d;
	ev_init(&d, EVT_CONNECT, t, pid, pid);
	ev_int(&d, EVK_FD, 4);
	ev_cstr(&d, log, EVK_FAMILY, fam);
	ev_cstr(&d, log, EVK_ADDR, addr);
	ev_uint(&d, EVK_PORT, (uint64_t)port);
	if (err)
		ev_err(&d, err);
	if (noise)
		d.h.flags |= EVFL_NOISE;
	evlog_append(log, &d);
}

static void build(struct run *r)
{
	struct evlog *log = r->log;
	struct ev_draft d;
	const char *a1[] = {"curl", "-s", "https://example.com"};
	add_exec(log, 0, 100, "/usr/bin/curl", 3, a1);
	ev_init(&d, EVT_BRK, 1 * MS, 100, 100);
	ev_hex(&d, EVK_BRK, 0x1000);
	ev_int(&d, EVK_GROWTH, 135168);
	evlog_append(log, &d);
	ev_init(&d, EVT_MMAP, 2 * MS, 100, 100);
	ev_hex(&d, EVK_ADDR, 0x7f0000000000);
	ev_uint(&d, EVK_LEN, 8192);
	evlog_append(log, &d);
	ev_init(&d, EVT_MMAP, 2 * MS, 100, 100);
	ev_hex(&d, EVK_ADDR, 0x7f0000100000);
	ev_uint(&d, EVK_LEN, 1048576);
	ev_cstr(&d, log, EVK_PATH, "/usr/lib/libc.so.6");
	d.h.flags |= EVFL_NOISE;
	evlog_append(log, &d);
	add_open(log, 3 * MS, 100, "/usr/lib/libc.so.6", 0, true);
	add_rw(log, EVT_READ, 3 * MS, 100, "/usr/lib/libc.so.6", EVK_PATH, 832, true);
	add_open(log, 4 * MS, 100, "/etc/resolv.conf", 0, false);
	add_rw(log, EVT_READ, 4 * MS, 100, "/etc/resolv.conf", EVK_PATH, 4096, false);
	add_rw(log, EVT_READ, 4 * MS, 100, "/etc/resolv.conf", EVK_PATH, 100, false);
	add_open(log, 5 * MS, 100, "/usr/share/x/a.mo", 2, false);
	add_open(log, 5 * MS, 100, "/usr/share/x/b.mo", 2, false);
	add_open(log, 5 * MS, 100, "/usr/share/x/c.mo", 2, false);
	add_open(log, 5 * MS, 100, "/etc/nope\n\x1b[2J", 2, false);
	add_open(log, 5 * MS, 100, "/etc/secret", 13, false);
	add_open(log, 5 * MS, 100, "/usr/lib/x/libz.so.1", 2, true);
	add_connect(log, 6 * MS, 100, "tcp4", "93.184.216.34", 443, 0, false);
	add_connect(log, 6 * MS, 100, "udp4", "127.0.0.53", 53, 0, true);
	add_connect(log, 6 * MS, 100, "tcp6", "::1", 9, 111, false);
	add_connect(log, 6 * MS, 100, "tcp6", "::1", 9, 111, false);
	add_rw(log, EVT_SEND, 7 * MS, 100, "93.184.216.34:443", EVK_PEER, 517, false);
	add_rw(log, EVT_RECV, 8 * MS, 100, "93.184.216.34:443", EVK_PEER, 2662, false);
	add_rw(log, EVT_WRITE, 9 * MS, 100, "pipe:[77]", EVK_DESC, 10, false);
	ev_init(&d, EVT_SPAWN, 10 * MS, 100, 100);
	ev_int(&d, EVK_CHILD, 101);
	ev_bool(&d, EVK_THREAD, false);
	ev_cstr(&d, log, EVK_VIA, "clone");
	evlog_append(log, &d);
	ev_init(&d, EVT_SPAWN, 10 * MS, 100, 100);
	ev_int(&d, EVK_CHILD, 102);
	ev_bool(&d, EVK_THREAD, true);
	evlog_append(log, &d);
	ev_init(&d, EVT_SPAWN, 11 * MS, 101, 101);
	ev_int(&d, EVK_CHILD, 103);
	ev_bool(&d, EVK_THREAD, false);
	evlog_append(log, &d);
	const char *a2[] = {"sh", "-c", "gzip\x1b]0;x\x07"};
	add_exec(log, 12 * MS, 103, "/bin/sh", 3, a2);
	add_rw(log, EVT_WRITE, 13 * MS, 103, "/tmp/out.gz", EVK_PATH, 20000, false);
	ev_init(&d, EVT_SIGNAL, 14 * MS, 103, 103);
	ev_sig(&d, EVK_SIGNAL, 11);
	evlog_append(log, &d);
	ev_init(&d, EVT_CRASH, 14 * MS, 103, 103);
	ev_sig(&d, EVK_SIGNAL, 11);
	ev_cstr(&d, log, EVK_CODE, "SEGV_MAPERR");
	ev_hex(&d, EVK_ADDR, 0);
	ev_cstr(&d, log, EVK_CRASH_REGION, "not mapped");
	const char *st = "[{\"ip\":\"0x401136\",\"module\":\"/bin/sh\",\"offset\":\"0x1136\",\"sym\":\"f\\u003c1\"},"
			 "{\"ip\":\"0x401200\",\"module\":\"/bin/sh\",\"offset\":\"0x1200\",\"sym\":null},"
			 "{\"truncated\":true,\"reason\":\"depth\"}]";
	ev_json(&d, log, EVK_STACK, st, strlen(st));
	evlog_append(log, &d);
	ev_init(&d, EVT_EXIT, 15 * MS, 103, 103);
	ev_sig(&d, EVK_SIGNAL, 11);
	ev_bool(&d, EVK_CORE, false);
	evlog_append(log, &d);
	ev_init(&d, EVT_SIGNAL, 16 * MS, 101, 101);
	ev_sig(&d, EVK_SIGNAL, 17);
	evlog_append(log, &d);
	ev_init(&d, EVT_SIGNAL, 16 * MS, 100, 100);
	ev_sig(&d, EVK_SIGNAL, 2);
	ev_int(&d, EVK_SENDER, 42);
	evlog_append(log, &d);
	ev_init(&d, EVT_WARNING, 16 * MS, 101, 101);
	ev_cstr(&d, log, EVK_MSG, "child 999 escaped tracing (CLONE_UNTRACED)");
	evlog_append(log, &d);
	ev_init(&d, EVT_EXIT, 17 * MS, 101, 101);
	ev_int(&d, EVK_CODE, 1);
	evlog_append(log, &d);
	ev_init(&d, EVT_EXIT, 18 * MS, 100, 102);
	ev_int(&d, EVK_CODE, 0);
	ev_bool(&d, EVK_THREAD, true);
	evlog_append(log, &d);
	ev_init(&d, EVT_EXIT, 340 * MS, 100, 100);
	ev_int(&d, EVK_CODE, 0);
	ev_bool(&d, EVK_ROOT, true);
	evlog_append(log, &d);
}

static const char RULE[] =
	"\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501"
	"\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501"
	"\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501"
	"\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\n";

static void init_run(struct run *r, char **argv)
{
	memset(r, 0, sizeof(*r));
	r->log = evlog_new();
	r->argv = argv;
	r->argc = 3;
	r->root_pid = 100;
	r->end = RUN_EXITED;
	r->code = 0;
	r->t_end = 340 * MS;
	r->cpu_user = 0.12;
	r->cpu_sys = 0.05;
}

static void test_final(void **st)
{
	(void)st;
	memset(&opt, 0, sizeof(opt));
	opt.trace.all = true;
	opt.strsize = 64;
	char a0[] = "curl", a1[] = "-s", a2[] = "https://example.com";
	char *argv[] = {a0, a1, a2, NULL};
	struct run r;
	init_run(&r, argv);
	build(&r);
	struct run_fault_top top = {.region = RUN_FR_FILE, .path = xstrdup("/usr/lib/libc.so.6"),
				    .path_len = 18, .count = 20};
	r.faults = (struct run_faults){.present = true, .minor = 990, .major = 10,
				       .region = {40, 30, 20, 5, 5}, .sampled = 100,
				       .top = xmalloc(sizeof(top)), .ntop = 1};
	r.faults.top[0] = top;
	char *s = run_summary(&r);
	struct buf want = {0};
	buf_adds(&want, RULE);
	buf_adds(&want, " FINAL: curl -s https://example.com (0.34s)\n");
	buf_adds(&want, RULE);
	buf_adds(&want,
		" Memory:   mapped 1.1 MiB (heap 132.0 KiB, mmap 1.0 MiB in 2 regions)\n"
		" I/O:      Files read 4.9 KiB   written 19.5 KiB   Net sent 517 B   received 2.6 KiB\n"
		"           Pipes/ttys/other read 0 B   written 10 B\n"
		" Network connections:  tcp4 \u2192 93.184.216.34:443\n"
		"                       tcp6 \u2192 [::1]:9 ECONNREFUSED \u00d72\n"
		" Time:     wall 0.34s   CPU 0.17s (user 0.120s, sys 0.050s)\n"
		" Processes: 3 (+1 thread)\n"
		"   100 curl -s https://example.com [1 thread]  \u2192 exit 0\n"
		"   \u2514 101 curl -s https://example.com (fork)  \u2192 exit 1\n"
		"     \u2514 103 sh -c $'gzip\\x1b]0;x\\x07'  \u2192 killed by SIGSEGV\n"
		" Files read (1 file):\n"
		"      4.1 KiB  /etc/resolv.conf (2 calls)\n"
		" Files written (1 file):\n"
		"     19.5 KiB  /tmp/out.gz\n"
		" Failed operations: 8 (1 not listed: noise)\n"
		"   open ENOENT \u00d73  /usr/share/x/ (e.g. a.mo)\n"
		"   connect ECONNREFUSED \u00d72\n"
		"   open ENOENT \u00d71  /etc/nope\\n\\x1b[2J\n"
		"   open EACCES \u00d71  /etc/secret\n"
		" Signals:  SIGSEGV, SIGCHLD, SIGINT (from 42)\n"
		" Crash:    103 SIGSEGV SEGV_MAPERR at 0x0 (not mapped)\n"
		"           #0 f<1 (sh+0x1136)\n"
		"           #1 (sh+0x1200)\n"
		" Page faults: 1000 (minor 990, major 10)\n"
		"   by region: heap 40, anon 30, file 20, stack 5, other 5 (sampled 100 of 1000)\n"
		"          20  /usr/lib/libc.so.6\n"
		" Warning:  child 999 escaped tracing (CLONE_UNTRACED)\n"
		" Noise filter: not listed: 2 opens, 1 connection, 1 failure (/proc, /sys, /dev, shared "
		"libraries, resolver and helper sockets; totals include them; --no-filter lists them)\n"
		" Exit: 0\n");
	buf_adds(&want, RULE);
	assert_string_equal(s, want.data);
	free(s);

	/* --no-filter lists the hidden ones and drops the note */
	opt.no_filter = true;
	s = run_summary(&r);
	assert_non_null(strstr(s, "                       udp4 \u2192 127.0.0.53:53\n"));
	assert_non_null(strstr(s, "    832 B  /usr/lib/libc.so.6\n"));
	assert_non_null(strstr(s, "   open ENOENT \u00d71  /usr/lib/x/libz.so.1\n"));
	assert_null(strstr(s, "Noise filter"));
	free(s);
	buf_free(&want);
	run_free_results(&r);
	evlog_free(r.log);
}

static void test_outcomes(void **st)
{
	(void)st;
	memset(&opt, 0, sizeof(opt));
	opt.trace.all = true;
	char a0[] = "x", a1[] = "y", a2[] = "z";
	char *argv[] = {a0, a1, a2, NULL};
	struct run r;
	init_run(&r, argv);
	r.end = RUN_SIGNALED;
	r.sig = 11;
	r.core = true;
	r.interrupted = true;
	char *s = run_summary(&r);
	assert_non_null(strstr(s, " Exit: killed by SIGSEGV (core dumped) (interrupted)\n"));
	assert_non_null(strstr(s, " Network connections:  none\n"));
	free(s);
	r.end = RUN_DETACHED;
	r.interrupted = false;
	struct ev_draft d;
	uint32_t ids[2] = {evlog_intern_cstr(r.log, "sleep"), evlog_intern_cstr(r.log, "99")};
	ev_init(&d, EVT_ATTACH, 0, 77, 77);
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(r.log, ids, 2));
	evlog_append(r.log, &d);
	s = run_summary(&r);
	assert_non_null(strstr(s, " Exit: detached; the traced processes keep running\n"));
	assert_non_null(strstr(s, "\n   77 sleep 99  \u2192 still running\n"));
	free(s);
	r.faults = (struct run_faults){.present = true, .unavailable = xstrdup("perf_event_open: EACCES")};
	s = run_summary(&r);
	assert_non_null(strstr(s, " Page faults: unavailable (perf_event_open: EACCES)\n"));
	free(s);
	run_free_results(&r);
	evlog_free(r.log);
}

static void add_sc(struct evlog *log, const char *name, uint64_t dur_ns, int err)
{
	struct ev_draft d;
	ev_init(&d, EVT_SYSCALL, 1, 1, 1);
	ev_cstr(&d, log, EVK_NAME, name);
	ev_cstr(&d, log, EVK_ARGS, name);
	ev_int(&d, EVK_RET, err ? -err : 0);
	ev_dur(&d, dur_ns);
	if (err)
		ev_err(&d, err);
	evlog_append(log, &d);
}

static void test_table_from_log(void **st)
{
	(void)st;
	memset(&opt, 0, sizeof(opt));
	opt.trace.all = true;
	opt.summary_table = true;
	char a0[] = "x", a1[] = "y", a2[] = "z";
	char *argv[] = {a0, a1, a2, NULL};
	struct run r;
	init_run(&r, argv);
	add_sc(r.log, "read", 30000, 0);
	add_sc(r.log, "read", 10000, 0);
	add_sc(r.log, "openat", 50000, 2);
	add_sc(r.log, "close", 10000, 0);
	add_sc(r.log, "read", 0, 512); /* a restart code is not an error */
	char *s = run_summary(&r);
	const char *t = strstr(s, "% time");
	assert_non_null(t);
	assert_string_equal(t,
		"% time     seconds  usecs/call     calls    errors syscall\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		" 50.00    0.000050          50         1         1 openat\n"
		" 40.00    0.000040          13         3           read\n"
		" 10.00    0.000010          10         1           close\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		"100.00    0.000100          20         5         1 total\n"
		"wall 0.34s   cpu user 0.120s   sys 0.050s\n");
	free(s);
	evlog_free(r.log);
}

/* Calls cut by a signal for restart (ERESTARTSYS..ERESTART_RESTARTBLOCK) did not fail (doc/ENGINE.md, 'Restarted syscalls'). */
static void test_restart_not_failure(void **st)
{
	(void)st;
	memset(&opt, 0, sizeof(opt));
	opt.trace.all = true;
	char a0[] = "x", a1[] = "y", a2[] = "z";
	char *argv[] = {a0, a1, a2, NULL};
	struct run r;
	init_run(&r, argv);
	struct ev_draft d;
	static const unsigned types[] = {EVT_READ, EVT_WRITE, EVT_RECV, EVT_ACCEPT, EVT_OPEN};
	for (int err = 512; err <= 516; err++) {
		ev_init(&d, types[err - 512], 1 * MS, 100, 100);
		ev_int(&d, EVK_FD, 3);
		ev_cstr(&d, r.log, EVK_PATH, "/tmp/fifo");
		ev_err(&d, err);
		evlog_append(r.log, &d);
	}
	/* the connect cut by a signal, then its restart: one attempt to list */
	add_connect(r.log, 2 * MS, 100, "tcp4", "10.0.0.1", 80, 512, false);
	add_connect(r.log, 3 * MS, 100, "tcp4", "10.0.0.1", 80, 111, false);
	add_open(r.log, 4 * MS, 100, "/etc/nope", 2, false);
	char *s = run_summary(&r);
	/* the refused connect is a failure too (log/evcount.h), listed with the connections as well */
	assert_non_null(strstr(s, " Failed operations: 2\n   connect ECONNREFUSED \u00d71\n"
				  "   open ENOENT \u00d71  /etc/nope\n Exit:"));
	assert_non_null(strstr(s, " Network connections:  tcp4 \u2192 10.0.0.1:80 ECONNREFUSED\n Time:"));
	assert_null(strstr(s, "ERESTART"));
	assert_null(strstr(s, "ENOIOCTLCMD"));
	free(s);
	evlog_free(r.log);
}

/* Crashes: the faulting instruction (or why there is none) and the top five frames. */
static void test_crash_lines(void **st)
{
	(void)st;
	memset(&opt, 0, sizeof(opt));
	opt.trace.all = true;
	char a0[] = "x", a1[] = "y", a2[] = "z";
	char *argv[] = {a0, a1, a2, NULL};
	struct run r;
	init_run(&r, argv);
	struct ev_draft d;
	ev_init(&d, EVT_CRASH, 1 * MS, 100, 100);
	ev_sig(&d, EVK_SIGNAL, 4);
	ev_cstr(&d, r.log, EVK_CODE, "ILL_ILLOPN");
	ev_hex(&d, EVK_ADDR, 0x401136);
	const char *dis = "[{\"addr\":\"0x401130\",\"text\":\"push rbp\",\"fault\":false},"
			  "{\"addr\":\"0x401136\",\"text\":\"ud2\",\"fault\":true}]";
	ev_json(&d, r.log, EVK_DISASM, dis, strlen(dis));
	struct buf stk = {0};
	buf_addc(&stk, '[');
	for (int i = 0; i < 7; i++)
		buf_printf(&stk, "%s{\"ip\":\"0x40%d000\",\"module\":\"/bin/x\",\"offset\":\"0x%d000\",\"sym\":\"f%d\"}",
			   i ? "," : "", i, i, i);
	buf_adds(&stk, ",{\"truncated\":true,\"reason\":\"depth\"}]");
	ev_json(&d, r.log, EVK_STACK, stk.data, stk.len);
	evlog_append(r.log, &d);
	ev_init(&d, EVT_CRASH, 2 * MS, 101, 101);
	ev_sig(&d, EVK_SIGNAL, 11);
	ev_cstr(&d, r.log, EVK_CODE, "SEGV_MAPERR");
	ev_hex(&d, EVK_ADDR, 0xdead0000);
	ev_cstr(&d, r.log, EVK_CRASH_REGION, "not mapped");
	ev_json(&d, r.log, EVK_DISASM, "[]", 2);
	ev_cstr(&d, r.log, EVK_MSG, "RIP not mapped");
	evlog_append(r.log, &d);
	char *s = run_summary(&r);
	assert_non_null(strstr(s,
		" Crash:    100 SIGILL ILL_ILLOPN at 0x401136\n"
		"           at 0x401136: ud2\n"
		"           #0 f0 (x+0x0000)\n"
		"           #1 f1 (x+0x1000)\n"
		"           #2 f2 (x+0x2000)\n"
		"           #3 f3 (x+0x3000)\n"
		"           #4 f4 (x+0x4000)\n"
		"           \u2026 2 more frames\n"
		" Crash:    101 SIGSEGV SEGV_MAPERR at 0xdead0000 (not mapped)\n"
		"           (RIP not mapped)\n"));
	free(s);
	buf_free(&stk);
	evlog_free(r.log);
}

/* Reads and writes whose "path" names a pipe, a socket or an anonymous inode are not file I/O. */
static void test_file_io_only(void **st)
{
	(void)st;
	memset(&opt, 0, sizeof(opt));
	opt.trace.all = true;
	char a0[] = "x", a1[] = "y", a2[] = "z";
	char *argv[] = {a0, a1, a2, NULL};
	struct run r;
	init_run(&r, argv);
	add_rw(r.log, EVT_READ, 1 * MS, 100, "pipe:[123]", EVK_PATH, 100, false);
	add_rw(r.log, EVT_WRITE, 1 * MS, 100, "socket:[77]", EVK_PATH, 7, false);
	add_rw(r.log, EVT_WRITE, 1 * MS, 100, "anon_inode:[eventfd]", EVK_PATH, 8, false);
	add_rw(r.log, EVT_WRITE, 1 * MS, 100, "/dev/shm/seg", EVK_PATH, 1000, false);
	add_rw(r.log, EVT_READ, 1 * MS, 100, "/etc/hosts", EVK_PATH, 2048, false);
	char *s = run_summary(&r);
	assert_non_null(strstr(s,
		" I/O:      Files read 2.0 KiB   written 1000 B   Net sent 0 B   received 0 B\n"
		"           Pipes/ttys/other read 100 B   written 15 B\n"));
	assert_non_null(strstr(s, " Files read (1 file):\n      2.0 KiB  /etc/hosts\n"
				  " Files written (1 file):\n       1000 B  /dev/shm/seg\n"));
	free(s);
	evlog_free(r.log);
}

/* -e trace= without the memory, I/O or connect calls: those lines say so instead of "0 B". */
static void test_not_traced(void **st)
{
	(void)st;
	memset(&opt, 0, sizeof(opt));
	opt.trace.bits[257 / 64] |= 1ull << (257 % 64); /* openat */
	char a0[] = "x", a1[] = "y", a2[] = "z";
	char *argv[] = {a0, a1, a2, NULL};
	struct run r;
	init_run(&r, argv);
	add_open(r.log, 1 * MS, 100, "/etc/nope", 2, false);
	char *s = run_summary(&r);
	assert_non_null(strstr(s, " Memory:   not traced (-e trace= left these calls out)\n"
				  " I/O:      not traced (-e trace= left these calls out)\n"
				  " Network connections:  not traced (-e trace= left these calls out)\n"));
	free(s);
	opt.trace.bits[9 / 64] |= 1ull << (9 % 64);   /* mmap */
	opt.trace.bits[42 / 64] |= 1ull << (42 % 64); /* connect */
	s = run_summary(&r);
	/* mmap without brk: the heap is not known, nor a sum */
	assert_non_null(strstr(s, " Memory:   mapped: heap not traced, mmap 0 B in 0 regions (-e trace= left these calls out)\n"
				  " I/O:      not traced (-e trace= left these calls out)\n"
				  " Network connections:  none\n"));
	free(s);
	/* -e trace=network: send/recv but no read/write, so no file bytes; brk without mmap */
	memset(&opt.trace, 0, sizeof(opt.trace));
	opt.trace.bits[44 / 64] |= 1ull << (44 % 64); /* sendto */
	opt.trace.bits[45 / 64] |= 1ull << (45 % 64); /* recvfrom */
	opt.trace.bits[12 / 64] |= 1ull << (12 % 64); /* brk */
	s = run_summary(&r);
	assert_non_null(strstr(s, " Memory:   mapped: heap 0 B, mmap not traced (-e trace= left these calls out)\n"
				  " I/O:      Files not traced (-e trace= left read/write out)   Net sent 0 B   received 0 B\n"));
	free(s);
	/* everything: the totals */
	opt.trace.all = true;
	s = run_summary(&r);
	assert_non_null(strstr(s, " Memory:   mapped 0 B (heap 0 B, mmap 0 B in 0 regions)\n"
				  " I/O:      Files read 0 B   written 0 B   Net sent 0 B   received 0 B\n"));
	free(s);
	evlog_free(r.log);
}

/* -c from the run's typed rows (what the decoder fills when tracing ends), both ABIs. */
static void test_table_from_run(void **st)
{
	(void)st;
	memset(&opt, 0, sizeof(opt));
	opt.trace.all = true;
	opt.summary_table = true;
	char a0[] = "x", a1[] = "y", a2[] = "z";
	char *argv[] = {a0, a1, a2, NULL};
	struct run r;
	init_run(&r, argv);
	add_sc(r.log, "ignored", 90000, 0); /* the log's records count only without rows */
	struct run_sc_row rows64[] = {{"read", 3, 0, 40000}, {"openat", 1, 1, 50000},
				      {"syscall_999", 1, 0, 10000}};
	struct run_sc_row rows32[] = {{"write", 2, 0, 6000}};
	r.sc64 = (struct run_sc_table){rows64, 3};
	r.sc32 = (struct run_sc_table){rows32, 1};
	char *s = run_summary(&r);
	const char *t = strstr(s, "% time");
	assert_non_null(t);
	assert_string_equal(t,
		"% time     seconds  usecs/call     calls    errors syscall\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		" 50.00    0.000050          50         1         1 openat\n"
		" 40.00    0.000040          13         3           read\n"
		" 10.00    0.000010          10         1           syscall_999\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		"100.00    0.000100          20         5         1 total\n"
		"\nSystem call usage summary for 32 bit mode:\n"
		"% time     seconds  usecs/call     calls    errors syscall\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		"100.00    0.000006           3         2           write\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		"100.00    0.000006           3         2           total\n"
		"wall 0.34s   cpu user 0.120s   sys 0.050s\n");
	free(s);
	/* only 32-bit rows: that table comes without the title */
	r.sc64 = (struct run_sc_table){0};
	s = run_summary(&r);
	t = strstr(s, "% time");
	assert_non_null(t);
	assert_null(strstr(s, "32 bit mode"));
	assert_non_null(strstr(t, "100.00    0.000006           3         2           write\n"));
	free(s);
	evlog_free(r.log);
}

/* --faults: anonymous regions by name, lost samples, at most five places. */
static void test_faults_top(void **st)
{
	(void)st;
	memset(&opt, 0, sizeof(opt));
	opt.trace.all = true;
	char a0[] = "x", a1[] = "y", a2[] = "z";
	char *argv[] = {a0, a1, a2, NULL};
	struct run r;
	init_run(&r, argv);
	r.faults = (struct run_faults){.present = true, .minor = 7, .region = {1, 2, 3, 1, 0},
				       .sampled = 7, .lost = 3, .ntop = 6};
	r.faults.top = xcalloc(6, sizeof(*r.faults.top));
	for (int i = 0; i < 6; i++)
		r.faults.top[i] = (struct run_fault_top){.region = (enum run_fault_region)(i % RUN_FR_N),
							 .count = 6u - (unsigned)i};
	r.faults.top[2].path = xstrdup("/lib/a\nb");
	r.faults.top[2].path_len = 8;
	char *s = run_summary(&r);
	assert_non_null(strstr(s, " Page faults: 7 (minor 7, major 0)\n"
				  "   by region: heap 1, anon 2, file 3, stack 1, other 0, 3 samples lost\n"
				  "           6  heap\n"
				  "           5  anon\n"
				  "           4  /lib/a\\nb\n"
				  "           3  stack\n"
				  "           2  other\n"
				  " Exit:"));
	free(s);
	run_free_results(&r);
	evlog_free(r.log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_final),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_table_from_log),
		cmocka_unit_test(test_restart_not_failure),
		cmocka_unit_test(test_crash_lines),
		cmocka_unit_test(test_file_io_only),
		cmocka_unit_test(test_not_traced),
		cmocka_unit_test(test_table_from_run),
		cmocka_unit_test(test_faults_top),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
