/* SPDX-License-Identifier: MIT */
/* Unit tests of the FINAL summary's "Network connections" from conn events: exact lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sinks/summary.h"
#include "summary_text.h"

static const uint64_t MS = 1000000;

static char *run_summary(struct run *r, bool no_filter)
{
	struct summary_cfg cfg = {.no_filter = no_filter, .traced = SUMMARY_TRACED_CONN | SUMMARY_TRACED_IO};
	return summary_text(r, &cfg);
}

static void init_run(struct run *r)
{
	static char a0[] = "x";
	static char *argv[] = {a0, NULL};
	memset(r, 0, sizeof(*r));
	r->log = evlog_new();
	r->argv = argv;
	r->argc = 1;
	r->root_pid = 100;
	r->end = RUN_EXITED;
	r->t_end = 900 * MS;
}

static void add_connect(struct evlog *log, uint64_t t, int fd, const char *addr, int port, int err)
{
	struct ev_draft d;
	ev_init(&d, EVT_CONNECT, t, 100, 100);
	ev_int(&d, EVK_FD, fd);
	ev_cstr(&d, log, EVK_FAMILY, "tcp4");
	ev_cstr(&d, log, EVK_ADDR, addr);
	ev_uint(&d, EVK_PORT, (uint64_t)port);
	if (err)
		ev_err(&d, err);
	evlog_append(log, &d);
}

static void add_conn(struct evlog *log, uint64_t t, int fd, const char *kind, const char *outcome,
		     const char *peer, const char *local, uint64_t sent, uint64_t recvd, uint64_t dur, int err,
		     bool noise)
{
	struct ev_draft d;
	ev_init(&d, EVT_CONN, t, 100, 100);
	ev_int(&d, EVK_FD, fd);
	ev_cstr(&d, log, EVK_FAMILY, "tcp4");
	ev_cstr(&d, log, EVK_KIND, kind);
	ev_cstr(&d, log, EVK_OUTCOME, outcome);
	ev_cstr(&d, log, EVK_PEER, peer);
	if (local)
		ev_cstr(&d, log, EVK_LOCAL, local);
	ev_uint(&d, EVK_BYTES_SENT, sent);
	ev_uint(&d, EVK_BYTES_RECEIVED, recvd);
	ev_dur(&d, dur);
	if (err)
		ev_err(&d, err);
	if (noise)
		d.h.flags |= EVFL_NOISE;
	evlog_append(log, &d);
}

/* A connect that went EINPROGRESS then connected is listed as connected, once, with its bytes. */
static void test_resolved(void **st)
{
	(void)st;
	struct run r;
	init_run(&r);
	add_connect(r.log, 10 * MS, 5, "127.0.0.1", 8000, 115 /* EINPROGRESS */);
	add_connect(r.log, 11 * MS, 5, "127.0.0.1", 8000, 106 /* EISCONN, the same connection */);
	add_connect(r.log, 20 * MS, 6, "127.0.0.1", 1, 111);
	add_conn(r.log, 20 * MS, 6, "connect", "failed", "127.0.0.1:1", NULL, 0, 0, 0, 111, false);
	add_connect(r.log, 30 * MS, 6, "127.0.0.1", 1, 111);
	add_conn(r.log, 30 * MS, 6, "connect", "failed", "127.0.0.1:1", NULL, 0, 0, 0, 111, false);
	add_conn(r.log, 10 * MS, 5, "connect", "connected", "127.0.0.1:8000", "127.0.0.1:40000", 87, 200204,
		 24 * MS, 0, false);
	add_conn(r.log, 40 * MS, 7, "accept", "connected", "127.0.0.1:59128", "127.0.0.1:8000", 2048, 100,
		 1500 * MS, 0, false);
	add_conn(r.log, 50 * MS, 8, "connect", "pending", "10.0.0.1:80", NULL, 0, 0, 1 * MS, 0, false);
	add_conn(r.log, 60 * MS, 9, "connect", "connected", "127.0.0.53:53", NULL, 40, 80, 1 * MS, 0, true);
	char *s = run_summary(&r, false);
	const char *want =
		" Network connections:  tcp4 \u2192 127.0.0.1:8000 connected from 127.0.0.1:40000, sent 87 B, "
		"received 195.5 KiB, 24 ms\n"
		"                       tcp4 \u2192 127.0.0.1:1 ECONNREFUSED \u00d72\n"
		"                       tcp4 \u2190 127.0.0.1:59128 accepted on 127.0.0.1:8000, sent 2.0 KiB, "
		"received 100 B, 1.50s\n"
		"                       tcp4 \u2192 10.0.0.1:80 EINPROGRESS, outcome not seen (closed while "
		"connecting, or not traced)\n"
		" Time:";
	if (!strstr(s, want))
		fail_msg("got:\n%s", s);
	assert_non_null(strstr(s, " Noise filter: not listed: 1 connection "));
	free(s);
	s = run_summary(&r, true);
	assert_non_null(strstr(s, "tcp4 \u2192 127.0.0.53:53 connected, sent 40 B, received 80 B, 1.0 ms\n"));
	free(s);
	evlog_free(r.log);
}

/* Many connections: one line per peer host, the busiest first, bytes summed. */
static void test_grouped(void **st)
{
	(void)st;
	struct run r;
	init_run(&r);
	char peer[64];
	for (int i = 0; i < 12; i++) {
		snprintf(peer, sizeof(peer), "10.0.0.7:%d", 40000 + i);
		add_conn(r.log, (uint64_t)(i + 1) * MS, 10 + i, "accept", "connected", peer, "10.0.0.1:80", 1000, 100,
			 (uint64_t)(i + 1) * MS, 0, false);
	}
	for (int i = 0; i < 3; i++) {
		snprintf(peer, sizeof(peer), "10.0.0.9:%d", 50000 + i);
		add_conn(r.log, (uint64_t)(i + 20) * MS, 30 + i, "accept", "connected", peer, "10.0.0.1:80", 10, 10,
			 1 * MS, 0, false);
	}
	char *s = run_summary(&r, false);
	const char *want =
		" Network connections:  tcp4 \u2190 10.0.0.7 \u00d712 accepted, sent 11.7 KiB, received 1.2 KiB, "
		"longest 12 ms\n"
		"                       tcp4 \u2190 10.0.0.9 \u00d73 accepted, sent 30 B, received 30 B, longest 1.0 ms\n"
		" Time:";
	if (!strstr(s, want))
		fail_msg("got:\n%s", s);
	free(s);
	evlog_free(r.log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolved),
		cmocka_unit_test(test_grouped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
