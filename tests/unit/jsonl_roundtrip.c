/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of JSON Lines: the sink writes valid JSON Lines (strict UTF-8,
 * one object per line), the reader gives back a log that re-encodes to the
 * very same bytes, and bad files are read with exact warnings.
 */
#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/json.h"
#include "log/jsonl_read.h"
#include "sinks/jsonl.h"
#include "test_slurp.h"


static void spew(const char *path, const char *s)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
}

static char tmpl[64];

static int setup(void **st)
{
	(void)st;
	strcpy(tmpl, "/tmp/jsonl-test.XXXXXX");
	assert_non_null(mkdtemp(tmpl));
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpl);
	return system(cmd);
}

static char *tpath(const char *name)
{
	static char p[128];
	snprintf(p, sizeof(p), "%s/%s", tmpl, name);
	return p;
}

static const char hostile[] = "a\nb\x1b]0;pwned\x07</script>\xe2\x80\xa8\xff\xfe\\x41\\\"\0z";
#define HOSTILE_BYTES "[97,10,98,27,93,48,59,112,119,110,101,100,7,60,47,115,99,114,105,112,116,62,226,128,168,255,254,92,120,52,49,92,34,0,122]"
#define FFFD "\xef\xbf\xbd"

static void fill(struct run *r)
{
	struct evlog *log = r->log;
	struct ev_draft d;
	uint32_t ids[3] = {evlog_intern_cstr(log, "sh"), evlog_intern_cstr(log, "-c"),
			   evlog_intern(log, hostile, sizeof(hostile) - 1)};
	ev_init(&d, EVT_EXEC, 1234, 10, 10);
	ev_cstr(&d, log, EVK_PATH, "/bin/sh");
	ev_add(&d, EVK_ARGV, EVF_STRV, evlog_strv(log, ids, 3));
	evlog_append(log, &d);
	ev_init(&d, EVT_OPEN, 2000000, 10, 11);
	ev_str(&d, log, EVK_PATH, hostile, sizeof(hostile) - 1);
	ev_err(&d, 2);
	ev_dur(&d, 12345);
	ev_strid(&d, EVK_DESC, 0);
	d.h.flags |= EVFL_NOISE;
	evlog_append(log, &d);
	ev_init(&d, EVT_MMAP, 3000000, 10, 10);
	ev_hex(&d, EVK_ADDR, 0x7f8a12345000);
	ev_uint(&d, EVK_LEN, UINT64_MAX);
	ev_int(&d, EVK_FD, -1);
	ev_bool(&d, EVK_THREAD, false);
	ev_double(&d, EVK_VALUE, 0.25);
	evlog_append(log, &d);
	ev_init(&d, EVT_EXIT, 4000000, 10, 10);
	ev_sig(&d, EVK_SIGNAL, 11);
	ev_bool(&d, EVK_CORE, true);
	const char *js = "[{\"ip\":\"0x401000\",\"sym\":\"main\\u003c\"},{\"truncated\":true}]";
	ev_json(&d, log, EVK_STACK, js, strlen(js));
	evlog_append(log, &d);
	unsigned k = evkey_intern("future_key");
	ev_init(&d, evtype_intern("future_type"), 5000000, 10, 10);
	ev_cstr(&d, log, k, "x");
	ev_int(&d, EVK_COUNT, -(INT64_C(1) << 60));
	evlog_append(log, &d);
}

static void check_valid_jsonl(const char *s, size_t len, unsigned want_lines)
{
	assert_true(json_utf8_valid(s, len));
	unsigned lines = 0;
	const char *p = s;
	while (p < s + len) {
		const char *nl = memchr(p, '\n', (size_t)(s + len - p));
		assert_non_null(nl);
		char *line = xstrndup(p, (size_t)(nl - p));
		cJSON *j = cJSON_ParseWithOpts(line, NULL, 1);
		assert_non_null(j);
		assert_true(cJSON_IsObject(j));
		cJSON_Delete(j);
		free(line);
		for (const char *c = p; c < nl; c++)
			assert_true(*c != '<' && *c != '>' && *c != '&' && (unsigned char)*c >= 0x20);
		lines++;
		p = nl + 1;
	}
	assert_int_equal(lines, want_lines);
}

static void test_sink_and_roundtrip(void **st)
{
	(void)st;
	struct run r = {0};
	r.log = evlog_new();
	char a0[] = "sh", a1[] = "-c", a2[] = "echo <hi>", host[] = "box", kernel[] = "6.18";
	char *argv[] = {a0, a1, a2, NULL};
	r.argv = argv;
	r.argc = 3;
	r.host = host;
	r.kernel = kernel;
	r.mode = "trace";
	r.end = RUN_SIGNALED;
	r.sig = 11;
	r.core = true;
	r.t_end = 6000000;
	r.cpu_user = 0.5;
	r.cpu_sys = 0.25;
	/* --faults results, then another module's extra member after them */
	r.faults = (struct run_faults){.present = true, .minor = 2, .major = 1, .region = {1, 0, 2, 0, 0},
				       .sampled = 3, .throttled = 1, .sampling = "off",
				       .have_logged = true, .logged = 2, .ntop = 2};
	r.faults.top = xcalloc(2, sizeof(*r.faults.top));
	r.faults.top[0] = (struct run_fault_top){.region = RUN_FR_FILE, .path = xstrdup("/x\033\xff"),
						 .path_len = 4, .count = 2};
	r.faults.top[1] = (struct run_fault_top){.region = RUN_FR_HEAP, .count = 1};
	buf_adds(&r.end_extra, "\"samples_dropped\":2");
	buf_adds(&r.header_extra, "\"same_cpu\":1");
	int fd = open(tpath("a.jsonl"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	/* one event before the sink exists is written too */
	struct ev_draft d;
	ev_init(&d, EVT_SPAWN, 1000, 10, 10);
	ev_int(&d, EVK_CHILD, 11);
	ev_bool(&d, EVK_THREAD, true);
	ev_cstr(&d, r.log, EVK_VIA, "clone3");
	evlog_append(r.log, &d);
	struct jsonl_sink *s = jsonl_sink_new(&r, fd);
	fill(&r);
	assert_int_equal(jsonl_sink_finish(s), 0);
	close(fd);

	size_t len;
	char *text = test_slurp(tpath("a.jsonl"), &len);
	check_valid_jsonl(text, len, 8);
	const char *l2 = strchr(text, '\n') + 1;
	assert_memory_equal(l2, "{\"t\":0.000001,\"pid\":10,\"tid\":10,\"type\":\"spawn\",\"cat\":\"process\",\"child\":11,\"thread\":true,\"via\":\"clone3\"}\n", 104);
	assert_non_null(strstr(text, "{\"t\":0.002000,\"pid\":10,\"tid\":11,\"type\":\"open\",\"cat\":\"file\",\"noise\":true,"
		"\"path\":\"a\\nb\\u001b]0;pwned\\u0007\\u003c/script\\u003e\\u2028" FFFD FFFD "\\\\x41\\\\\\\"" FFFD "z\","
		"\"path_bytes\":" HOSTILE_BYTES ","
		"\"err\":\"ENOENT\",\"dur\":0.000012,\"desc\":null}\n"));
	/* a vector: the sibling holds null for the exact elements */
	assert_non_null(strstr(text, "\"argv\":[\"sh\",\"-c\",\"a\\nb"));
	assert_non_null(strstr(text, "z\"],\"argv_bytes\":[null,null," HOSTILE_BYTES "]}\n"));
	assert_non_null(strstr(text, "\"addr\":\"0x7f8a12345000\",\"len\":\"18446744073709551615\",\"fd\":-1,\"thread\":false,\"value\":0.25}\n"));
	assert_non_null(strstr(text, "\"type\":\"future_type\",\"cat\":\"other\",\"future_key\":\"x\",\"count\":\"-1152921504606846976\"}\n"));
	assert_non_null(strstr(text, "\"signal\":\"SIGSEGV\",\"core\":true,\"stack\":[{\"ip\":\"0x401000\",\"sym\":\"main\\u003c\"},{\"truncated\":true}]}\n"));
	assert_non_null(strstr(text, "\"mode\":\"trace\",\"same_cpu\":1}\n"));
	const char *end = strstr(text, "{\"type\":\"end\"");
	assert_non_null(end);
	assert_string_equal(end, "{\"type\":\"end\",\"duration\":0.006000,\"status\":139,"
		"\"exit\":{\"signal\":\"SIGSEGV\",\"core\":true},"
		"\"counts\":{\"spawn\":1,\"exec\":1,\"exit\":1,\"open\":1,\"mmap\":1,\"future_type\":1},"
		"\"events\":6,\"failed\":1,\"calls\":{\"read\":0,\"write\":0,\"send\":0,\"recv\":0},"
		"\"bytes\":{\"read\":0,\"write\":0,\"send\":0,\"recv\":0},\"interrupted\":false,\"cpu\":{\"user\":0.500000,\"sys\":0.250000},"
		"\"faults\":{\"total\":3,\"minor\":2,\"major\":1,\"heap\":1,\"anon\":0,\"file\":2,"
		"\"stack\":0,\"other\":0,\"sampled\":3,\"lost\":0,\"throttled\":1,\"sampling\":\"off\","
		"\"logged\":2,\"top\":[{\"region\":\"file\",\"path\":\"/x\\u001b" FFFD "\",\"path_bytes\":[47,120,27,255],\"count\":2},"
		"{\"region\":\"heap\",\"path\":null,\"count\":1}]},\"samples_dropped\":2}\n");

	/* read it back and write it again: the same bytes */
	struct run r2 = {0};
	struct buf warn = {0};
	unsigned nw = 0;
	assert_int_equal(jsonl_read(tpath("a.jsonl"), &r2, &warn, &nw), 0);
	assert_int_equal(nw, 0);
	assert_int_equal(r2.argc, 3);
	assert_string_equal(r2.argv[2], "echo <hi>");
	assert_string_equal(r2.host, "box");
	assert_string_equal(r2.mode, "trace");
	assert_int_equal(r2.end, RUN_SIGNALED);
	assert_int_equal(r2.sig, 11);
	assert_true(r2.core);
	assert_int_equal(r2.t_end, 6000000);
	/* the faults member comes back typed, the other extra as an extra */
	assert_true(r2.faults.present);
	assert_int_equal(r2.faults.minor, 2);
	assert_int_equal(r2.faults.region[RUN_FR_FILE], 2);
	assert_string_equal(r2.faults.sampling, "off");
	assert_int_equal(r2.faults.ntop, 2);
	assert_int_equal(r2.faults.top[0].path_len, 4);
	assert_memory_equal(r2.faults.top[0].path, "/x\033\xff", 4);
	assert_null(r2.faults.top[1].path);
	assert_string_equal(r2.end_extra.data, "\"samples_dropped\":2");
	struct buf again = {0};
	jsonl_encode_header(&again, &r2);
	struct evlog_cursor c = {0};
	const struct ev *e;
	while ((e = evlog_next(r2.log, &c)))
		jsonl_encode_event(&again, r2.log, e);
	jsonl_encode_end(&again, &r2);
	assert_int_equal(again.len, len);
	assert_memory_equal(again.data, text, len);
	/* the hostile path came back byte-exact */
	c = (struct evlog_cursor){0};
	evlog_next(r2.log, &c);
	evlog_next(r2.log, &c);
	e = evlog_next(r2.log, &c);
	assert_int_equal(e->type, EVT_OPEN);
	const struct ev_field *f = ev_find(e, EVK_PATH);
	size_t n;
	const char *p = evlog_str(r2.log, (uint32_t)evf_u64(f), &n);
	assert_int_equal(n, sizeof(hostile) - 1);
	assert_memory_equal(p, hostile, n);
	/* its sibling went into it, not into a field of its own */
	assert_null(ev_find(e, evkey_intern("path_bytes")));
	assert_int_equal(ev_find(e, EVK_ERR)->kind, EVF_ERRNO);
	assert_int_equal(evf_i64(ev_find(e, EVK_ERR)), 2);
	assert_true(e->flags & EVFL_NOISE);
	/* and the vector's element too */
	c = (struct evlog_cursor){0};
	evlog_next(r2.log, &c);
	e = evlog_next(r2.log, &c);
	assert_int_equal(e->type, EVT_EXEC);
	assert_null(ev_find(e, evkey_intern("argv_bytes")));
	uint32_t nv;
	const uint32_t *av = evlog_strv_get(r2.log, (uint32_t)evf_u64(ev_find(e, EVK_ARGV)), &nv);
	assert_int_equal(nv, 3);
	p = evlog_str(r2.log, av[2], &n);
	assert_int_equal(n, sizeof(hostile) - 1);
	assert_memory_equal(p, hostile, n);
	free(r2.host);
	free(r2.kernel);
	run_free_results(&r2); /* and the argv the reader allocated */
	assert_null(r2.argv);
	evlog_free(r2.log);
	buf_free(&again);
	buf_free(&warn);
	free(text);
	run_free_results(&r);
	evlog_free(r.log);
}

/* "faults":{"unavailable":...}: written, read back and written again, the same bytes. */
static void test_faults_unavailable(void **st)
{
	(void)st;
	struct run r = {0};
	r.log = evlog_new();
	r.end = RUN_EXITED;
	r.faults = (struct run_faults){.present = true, .unavailable = xstrdup("perf_event_open: EACCES")};
	struct buf b = {0};
	jsonl_encode_header(&b, &r);
	jsonl_encode_end(&b, &r);
	assert_non_null(strstr(b.data, ",\"faults\":{\"unavailable\":\"perf_event_open: EACCES\"}}\n"));
	int fd = open(tpath("u.jsonl"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
	close(fd);
	struct run r2 = {0};
	assert_int_equal(jsonl_read(tpath("u.jsonl"), &r2, NULL, NULL), 0);
	assert_true(r2.faults.present);
	assert_string_equal(r2.faults.unavailable, "perf_event_open: EACCES");
	assert_int_equal(r2.end_extra.len, 0);
	struct buf again = {0};
	jsonl_encode_header(&again, &r2);
	jsonl_encode_end(&again, &r2);
	assert_int_equal(again.len, b.len);
	assert_memory_equal(again.data, b.data, b.len);
	free(r2.host);
	free(r2.kernel);
	run_free_results(&r2);
	evlog_free(r2.log);
	run_free_results(&r);
	evlog_free(r.log);
	buf_free(&b);
	buf_free(&again);
}

static const char good_header[] =
	"{\"type\":\"header\",\"version\":1,\"argv\":[\"x\"],\"start\":\"2026-11-22T00:00:00.123456Z\","
	"\"host\":\"h\",\"kernel\":\"k\",\"compendium\":\"0.1.0\",\"mode\":\"trace\"}\n";
static const char good_event[] = "{\"t\":0.5,\"pid\":1,\"tid\":1,\"type\":\"exit\",\"cat\":\"process\",\"code\":0}\n";

static void test_bad_lines(void **st)
{
	(void)st;
	struct buf f = {0};
	buf_adds(&f, good_header);
	buf_adds(&f, "garbage\n");
	buf_adds(&f, "[1,2]\n");
	buf_adds(&f, "\n");
	buf_adds(&f, "{\"no\":\"type\"}\n");
	buf_adds(&f, "{\"type\":\"open\",\"pid\":1,\"tid\":1}\n");
	buf_adds(&f, "{\"type\":\"open\",\"t\":1,\"pid\":\"x\",\"tid\":1}\n");
	buf_adds(&f, "{\"t\":1,\"pid\":1,\"tid\":1,\"type\":\"open\"} trailing\n");
	buf_adds(&f, good_event);
	buf_adds(&f, "{\"type\":\"end\",\"duration\":1.0,\"exit\":{\"code\":3},\"events\":1}\n");
	buf_adds(&f, "{\"t\":0.7,\"pid\":1,\"tid\":1,\"type\":\"op");
	spew(tpath("bad.jsonl"), f.data);
	buf_free(&f);
	struct run r = {0};
	struct buf warn = {0};
	unsigned nw = 0;
	assert_int_equal(jsonl_read(tpath("bad.jsonl"), &r, &warn, &nw), 0);
	assert_string_equal(warn.data,
		"line 2: not valid JSON; skipped\n"
		"line 3: not a JSON object; skipped\n"
		"line 5: no \"type\"; skipped\n"
		"line 6: event without a valid \"t\"; skipped\n"
		"line 7: event without a valid \"pid\"/\"tid\"; skipped\n"
		"line 8: not valid JSON; skipped\n"
		"line 11: truncated last line; skipped\n");
	assert_int_equal(nw, 7);
	assert_int_equal(evlog_count(r.log), 1);
	assert_int_equal(r.end, RUN_EXITED);
	assert_int_equal(r.code, 3);
	struct timespec ts = evlog_start_realtime(r.log);
	assert_int_equal(ts.tv_sec, 1795305600);
	assert_int_equal(ts.tv_nsec, 123456000);
	free(r.argv[0]);
	free(r.argv);
	free(r.host);
	free(r.kernel);
	evlog_free(r.log);
	buf_free(&warn);
}

static void test_no_header_no_end(void **st)
{
	(void)st;
	spew(tpath("nohdr.jsonl"), good_event);
	struct run r = {0};
	struct buf warn = {0};
	unsigned nw = 0;
	assert_int_equal(jsonl_read(tpath("nohdr.jsonl"), &r, &warn, &nw), 0);
	assert_string_equal(warn.data,
		"line 1: no header record; reading the events anyway\n"
		"line 2: no end record; the log is incomplete (outcome unknown)\n");
	assert_int_equal(evlog_count(r.log), 1);
	assert_int_equal(r.end, RUN_RUNNING);
	evlog_free(r.log);
	buf_free(&warn);
}

static void test_not_a_log(void **st)
{
	(void)st;
	struct run r = {0};
	spew(tpath("text"), "hello\nworld\n");
	assert_int_equal(jsonl_read(tpath("text"), &r, NULL, NULL), -EINVAL);
	evlog_free(r.log);
	r = (struct run){0};
	spew(tpath("empty"), "");
	assert_int_equal(jsonl_read(tpath("empty"), &r, NULL, NULL), -EINVAL);
	evlog_free(r.log);
	r = (struct run){0};
	assert_int_equal(jsonl_read(tpath("missing"), &r, NULL, NULL), -ENOENT);
	assert_null(r.log);
	/* deep nesting and a NUL byte never crash */
	struct buf f = {0};
	buf_adds(&f, good_header);
	buf_adds(&f, "{\"t\":1,\"pid\":1,\"tid\":1,\"type\":\"x\",\"deep\":");
	for (int i = 0; i < 5000; i++)
		buf_addc(&f, '[');
	buf_adds(&f, "\n");
	buf_add(&f, "{\"t\":1,\0}\n", 10);
	FILE *fp = fopen(tpath("deep"), "wb");
	fwrite(f.data, 1, f.len, fp);
	fclose(fp);
	buf_free(&f);
	struct buf warn = {0};
	r = (struct run){0};
	assert_int_equal(jsonl_read(tpath("deep"), &r, &warn, NULL), 0);
	assert_string_equal(warn.data, "line 2: not valid JSON; skipped\n"
				       "line 3: contains a NUL byte; skipped\n"
				       "line 4: no end record; the log is incomplete (outcome unknown)\n");
	free(r.argv[0]);
	free(r.argv);
	free(r.host);
	free(r.kernel);
	evlog_free(r.log);
	buf_free(&warn);
}

static void test_write_error(void **st)
{
	(void)st;
	struct run r = {0};
	r.log = evlog_new();
	int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		skip();
	struct jsonl_sink *s = jsonl_sink_new(&r, fd);
	fill(&r);
	assert_int_equal(jsonl_sink_finish(s), -ENOSPC);
	close(fd);
	evlog_free(r.log);
}

/* The path of the first event of a log read back, and the reader's warnings. */
static void first_path(const char *text, const void *want, size_t wn, const char *want_again)
{
	spew(tpath("v.jsonl"), text);
	struct run r = {0};
	struct buf warn = {0};
	unsigned nw = 0;
	assert_int_equal(jsonl_read(tpath("v.jsonl"), &r, &warn, &nw), 0);
	assert_int_equal(nw, 0);
	struct evlog_cursor c = {0};
	const struct ev *e = evlog_next(r.log, &c);
	assert_non_null(e);
	size_t n;
	const char *p = evlog_str(r.log, (uint32_t)evf_u64(ev_find(e, EVK_PATH)), &n);
	assert_int_equal(n, wn);
	assert_memory_equal(p, want, n);
	assert_null(ev_find(e, evkey_intern("path_bytes")));
	/* the argv of the header, too */
	assert_int_equal(r.argc, 2);
	assert_memory_equal(r.argv[1], want, wn + 1);
	/* written again: version 2, the program's string and its bytes */
	struct buf b = {0};
	jsonl_encode_header(&b, &r);
	jsonl_encode_event(&b, r.log, e);
	assert_non_null(strstr(b.data, "{\"type\":\"header\",\"version\":2,"));
	assert_non_null(strstr(b.data, want_again));
	for (int i = 0; i < r.argc; i++)
		free(r.argv[i]);
	free(r.argv);
	free(r.host);
	free(r.kernel);
	evlog_free(r.log);
	buf_free(&warn);
	buf_free(&b);
}

/* Version 1 logs (the \xNN / \\ layer) and version 2 logs of the same strings read to the same bytes. */
static void test_versions(void **st)
{
	(void)st;
	static const char want[] = "a\\b\\x41\xff\"";
	/* version 1: a\\b\\x41 doubled, \xff for the byte */
	first_path("{\"type\":\"header\",\"version\":1,\"argv\":[\"x\",\"a\\\\\\\\b\\\\\\\\x41\\\\xff\\\"\"]}\n"
		   "{\"t\":0.5,\"pid\":1,\"tid\":1,\"type\":\"open\",\"path\":\"a\\\\\\\\b\\\\\\\\x41\\\\xff\\\"\"}\n"
		   "{\"type\":\"end\",\"events\":1}\n",
		   want, sizeof(want) - 1,
		   "\"path\":\"a\\\\b\\\\x41" FFFD "\\\"\",\"path_bytes\":[97,92,98,92,120,52,49,255,34]}");
	/* version 2 */
	first_path("{\"type\":\"header\",\"version\":2,\"argv\":[\"x\",\"a\\\\b\\\\x41" FFFD "\\\"\"],"
		   "\"argv_bytes\":[null,[97,92,98,92,120,52,49,255,34]]}\n"
		   "{\"t\":0.5,\"pid\":1,\"tid\":1,\"type\":\"open\",\"path\":\"a\\\\b\\\\x41" FFFD "\\\"\","
		   "\"path_bytes\":[97,92,98,92,120,52,49,255,34]}\n"
		   "{\"type\":\"end\",\"events\":1}\n",
		   want, sizeof(want) - 1,
		   "\"path\":\"a\\\\b\\\\x41" FFFD "\\\"\",\"path_bytes\":[97,92,98,92,120,52,49,255,34]}");
	/* version 2 without a sibling: the string is the bytes, backslashes and all */
	static const char plain[] = "a\\b\\\\x41";
	first_path("{\"type\":\"header\",\"version\":2,\"argv\":[\"x\",\"a\\\\b\\\\\\\\x41\"]}\n"
		   "{\"t\":0.5,\"pid\":1,\"tid\":1,\"type\":\"open\",\"path\":\"a\\\\b\\\\\\\\x41\"}\n"
		   "{\"type\":\"end\",\"events\":1}\n",
		   plain, sizeof(plain) - 1, "\"path\":\"a\\\\b\\\\\\\\x41\"}");
	/* a KEY_bytes that is no sibling (a number, or no KEY) stays a field */
	spew(tpath("n.jsonl"), "{\"type\":\"header\",\"version\":2}\n"
			       "{\"t\":0.5,\"pid\":1,\"tid\":1,\"type\":\"x\",\"read_bytes\":5,\"q_bytes\":[1]}\n");
	struct run r = {0};
	assert_int_equal(jsonl_read(tpath("n.jsonl"), &r, NULL, NULL), 0);
	struct evlog_cursor c = {0};
	const struct ev *e = evlog_next(r.log, &c);
	assert_non_null(ev_find(e, EVK_READ_BYTES));
	assert_non_null(ev_find(e, evkey_intern("q_bytes")));
	free(r.argv);
	free(r.host);
	free(r.kernel);
	evlog_free(r.log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sink_and_roundtrip), cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_no_header_no_end), cmocka_unit_test(test_not_a_log),
		cmocka_unit_test(test_write_error), cmocka_unit_test(test_faults_unavailable),
		cmocka_unit_test(test_versions),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
