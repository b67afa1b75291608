// SPDX-License-Identifier: MIT
/*
 * summary_conn: the FINAL block's "Network connections": one line per
 * connection from the log's "conn" events (outcome, peer, local address,
 * bytes, duration), identical failures counted together, connections
 * grouped by peer when there are many. A connect event that no conn event
 * covers (a log without them) is listed as it is, with its errno.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/fmt.h"
#include "lib/termesc.h"
#include "lib/xlat.h"
#include "log/evfield.h"
#include "sinks/summary.h"
#include "sinks/summary_int.h"

#define MAX_CONNS 10
#define INDENT "                       "

void summary_conn_add(struct sum *s, const struct ev *e)
{
	if (e->type == EVT_CONN) {
		s->conn_events++;
		s->connlist = xreallocarray(s->connlist, s->nconnlist + 1, sizeof(*s->connlist));
		s->connlist[s->nconnlist++] = e;
		return;
	}
	s->conn_events++;
	if (e->type != EVT_CONNECT)
		return;
	uint32_t en;
	if (evfield_restart_err(evfield_errno(e, &en)))
		return; /* cut by a signal; the restarted call is the attempt to list */
	s->connects = xreallocarray(s->connects, s->nconnects + 1, sizeof(*s->connects));
	s->connects[s->nconnects++] = e;
}

static bool is_kind(const struct sum *s, const struct ev *e, const char *kind)
{
	size_t n;
	const char *k = evfield_str(s->log, e, EVK_KIND, &n);
	return k && n == strlen(kind) && !memcmp(k, kind, n);
}

static uint64_t ev_dur_ns(const struct ev *e)
{
	int64_t v = 0;
	return evfield_num(e, EVK_DUR, &v) && v > 0 ? (uint64_t)v : 0;
}

static int64_t num(const struct ev *e, unsigned key)
{
	int64_t v = 0;
	evfield_num(e, key, &v);
	return v;
}

/* Whether a conn event of kind connect covers connect event c: same process and fd, within its span. */
static bool covered(const struct sum *s, struct u64map *by_fd, const struct ev *c)
{
	uint64_t key = ((uint64_t)(uint32_t)c->pid << 32) | (uint32_t)num(c, EVK_FD);
	uint32_t *slot = u64map_slot(by_fd, key);
	for (uint32_t i = *slot; i; i = s->connnext[i - 1]) {
		const struct ev *k = s->connlist[i - 1];
		if (c->t >= k->t && c->t <= k->t + ev_dur_ns(k))
			return true;
	}
	return false;
}

/* The peer's host: "127.0.0.1:80" -> "127.0.0.1", "[::1]:80" -> "[::1]", paths as they are. */
static size_t host_len(const char *p, size_t n)
{
	if (!n || p[0] == '/' || p[0] == '@')
		return n;
	const char *colon = memrchr(p, ':', n);
	if (!colon || (p[0] == '[' && colon[-1] != ']'))
		return n;
	return (size_t)(colon - p);
}

static uint64_t str_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return h;
}

static void add_err(struct buf *b, const struct evlog *log, const struct ev *e)
{
	uint32_t name;
	int err = evfield_errno(e, &name);
	if (name) {
		summary_add_str(b, log, name);
		return;
	}
	char tmp[XLAT_LABEL_MAX];
	buf_adds(b, xlat_errno_label(err, tmp));
}

static void add_dur(struct buf *b, uint64_t ns)
{
	if (ns < 10000000)
		buf_printf(b, "%.1f ms", (double)ns / 1e6);
	else if (ns < 1000000000)
		buf_printf(b, "%.0f ms", (double)ns / 1e6);
	else
		fmt_secs(b, (double)ns / 1e9);
}

/* A connect event as it was: "tcp4 → 10.0.0.1:80 ECONNREFUSED". */
static void print_connect(const struct sum *s, struct buf *b, const struct ev *e)
{
	uint32_t id;
	int64_t port;
	if ((id = evfield_strid(e, EVK_FAMILY)))
		summary_add_str(b, s->log, id);
	else
		buf_adds(b, "?");
	buf_adds(b, " \u2192 ");
	if ((id = evfield_strid(e, EVK_PATH))) {
		summary_add_str(b, s->log, id);
	} else if ((id = evfield_strid(e, EVK_ADDR))) {
		size_t n;
		const char *a = evlog_str(s->log, id, &n);
		bool v6 = a && memchr(a, ':', n);
		if (v6)
			buf_addc(b, '[');
		summary_add_str(b, s->log, id);
		if (v6)
			buf_addc(b, ']');
		if (evfield_num(e, EVK_PORT, &port))
			buf_printf(b, ":%lld", (long long)port);
	} else if ((id = evfield_strid(e, EVK_PEER))) {
		summary_add_str(b, s->log, id);
	} else {
		buf_adds(b, "?");
	}
	uint32_t en;
	if (evfield_errno(e, &en)) {
		buf_addc(b, ' ');
		add_err(b, s->log, e);
	}
}

/* One line's worth: a conn event, several alike (failures, a group), or a connect event. */
struct item {
	const struct ev *e;
	bool connect;       /* e is a connect event, not a conn */
	bool group;         /* several connections from one host */
	uint64_t count, sent, received, dur;
	uint64_t t;
	uint32_t order;
};

static int by_time(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static int by_count(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return by_time(x, y);
}

static void print_bytes(struct buf *b, uint64_t sent, uint64_t received)
{
	buf_adds(b, "sent ");
	fmt_size(b, sent);
	buf_adds(b, ", received ");
	fmt_size(b, received);
}

static void print_item(const struct sum *s, struct buf *b, const struct item *it)
{
	const struct ev *e = it->e;
	if (it->connect) {
		print_connect(s, b, e);
		if (it->count > 1)
			buf_printf(b, " \u00d7%llu", (unsigned long long)it->count);
		return;
	}
	uint32_t id;
	size_t n;
	bool accept = is_kind(s, e, "accept"), dgram = is_kind(s, e, "datagram");
	if ((id = evfield_strid(e, EVK_FAMILY)))
		summary_add_str(b, s->log, id);
	else
		buf_adds(b, "?");
	buf_adds(b, accept ? " \u2190 " : dgram ? " \u2194 " : " \u2192 ");
	const char *peer = evfield_str(s->log, e, EVK_PEER, &n);
	if (!peer)
		buf_adds(b, "?");
	else if (it->group)
		termesc(b, peer, host_len(peer, n));
	else
		termesc(b, peer, n);
	const char *out = evfield_str(s->log, e, EVK_OUTCOME, &n);
	bool failed = out && n == 6 && !memcmp(out, "failed", 6);
	if (failed || (out && n == 7 && !memcmp(out, "pending", 7))) {
		buf_addc(b, ' ');
		if (failed)
			add_err(b, s->log, e);
		else
			buf_adds(b, "EINPROGRESS, outcome not seen (closed while connecting, or not traced)");
		if (it->count > 1)
			buf_printf(b, " \u00d7%llu", (unsigned long long)it->count);
		return;
	}
	if (it->count > 1)
		buf_printf(b, " \u00d7%llu", (unsigned long long)it->count);
	buf_adds(b, accept ? " accepted" : dgram ? " exchanged" : " connected");
	const char *local = evfield_str(s->log, e, EVK_LOCAL, &n);
	if (local && !it->group) {
		buf_adds(b, accept ? " on " : " from ");
		termesc(b, local, n);
	}
	buf_adds(b, ", ");
	print_bytes(b, it->sent, it->received);
	buf_adds(b, ", ");
	if (it->group)
		buf_adds(b, "longest ");
	add_dur(b, it->dur);
}

/* Key of what lines may be merged into one: kind, family, peer (host when grouping), outcome, errno. */
static uint64_t merge_key(const struct sum *s, const struct ev *e, bool host)
{
	size_t n = 0;
	const char *peer = evfield_str(s->log, e, EVK_PEER, &n);
	uint64_t h = peer ? str_hash(peer, host ? host_len(peer, n) : n) : 0;
	uint32_t en;
	int err = evfield_errno(e, &en);
	return u64map_mix(h) ^ u64map_mix((uint64_t)evfield_strid(e, EVK_KIND) << 8) ^
	       u64map_mix((uint64_t)evfield_strid(e, EVK_FAMILY) << 24) ^
	       u64map_mix((uint64_t)evfield_strid(e, EVK_OUTCOME) << 40) ^
	       u64map_mix((uint64_t)(uint32_t)err * 31 + en + 1);
}

static bool failed_or_pending(const struct sum *s, const struct ev *e)
{
	size_t n;
	const char *out = evfield_str(s->log, e, EVK_OUTCOME, &n);
	return out && ((n == 6 && !memcmp(out, "failed", 6)) || (n == 7 && !memcmp(out, "pending", 7)));
}

/* Merge items by key (group: by host); returns the new count. */
static size_t merge(const struct sum *s, struct item *it, size_t n, bool group)
{
	struct u64map idx = {0};
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t key;
		if (it[i].connect) {
			const struct ev *e = it[i].e;
			uint32_t en;
			int err = evfield_errno(e, &en);
			key = u64map_mix(evfield_strid(e, EVK_FAMILY)) ^ u64map_mix((uint64_t)evfield_strid(e, EVK_ADDR) << 20) ^
			      u64map_mix((uint64_t)evfield_strid(e, EVK_PATH) << 40) ^ u64map_mix((uint64_t)num(e, EVK_PORT) + 7) ^
			      u64map_mix((uint64_t)(uint32_t)err * 31 + en + 1) ^ 0x5bd1e995u;
		} else if (group || failed_or_pending(s, it[i].e)) {
			key = merge_key(s, it[i].e, group);
		} else {
			it[m++] = it[i]; /* a connection of its own */
			continue;
		}
		uint32_t *slot = u64map_slot(&idx, key);
		if (*slot) {
			struct item *x = &it[*slot - 1];
			x->count += it[i].count;
			x->sent += it[i].sent;
			x->received += it[i].received;
			if (it[i].dur > x->dur)
				x->dur = it[i].dur;
			x->group = group;
			continue;
		}
		it[m] = it[i];
		*slot = (uint32_t)++m;
	}
	u64map_free(&idx);
	return m;
}

void summary_conn_print(struct sum *s, struct buf *b)
{
	/* conn events of kind connect, chained by (pid, fd), to find the connect events they cover */
	struct u64map by_fd = {0};
	s->connnext = s->nconnlist ? xcalloc(s->nconnlist, sizeof(*s->connnext)) : NULL;
	for (size_t i = 0; i < s->nconnlist; i++) {
		const struct ev *k = s->connlist[i];
		if (!is_kind(s, k, "connect"))
			continue;
		uint64_t key = ((uint64_t)(uint32_t)k->pid << 32) | (uint32_t)num(k, EVK_FD);
		uint32_t *slot = u64map_slot(&by_fd, key);
		s->connnext[i] = *slot;
		*slot = (uint32_t)i + 1;
	}
	struct item *it = xcalloc(s->nconnlist + s->nconnects + 1, sizeof(*it));
	size_t n = 0;
	uint32_t order = 0;
	for (size_t i = 0; i < s->nconnects; i++) {
		const struct ev *e = s->connects[i];
		if (covered(s, &by_fd, e))
			continue;
		if ((e->flags & EVFL_NOISE) && !s->cfg->no_filter) {
			s->hidden_conns++;
			continue;
		}
		it[n++] = (struct item){.e = e, .connect = true, .count = 1, .t = e->t, .order = order++};
	}
	for (size_t i = 0; i < s->nconnlist; i++) {
		const struct ev *e = s->connlist[i];
		if ((e->flags & EVFL_NOISE) && !s->cfg->no_filter) {
			s->hidden_conns++;
			continue;
		}
		it[n++] = (struct item){.e = e, .count = 1, .sent = (uint64_t)num(e, EVK_BYTES_SENT),
					.received = (uint64_t)num(e, EVK_BYTES_RECEIVED), .dur = ev_dur_ns(e),
					.t = e->t, .order = order++};
	}
	u64map_free(&by_fd);
	qsort(it, n, sizeof(*it), by_time);
	n = merge(s, it, n, false);
	if (n > MAX_CONNS) { /* many: one line per host, the busiest first */
		n = merge(s, it, n, true);
		qsort(it, n, sizeof(*it), by_count);
	}
	if (!n) {
		buf_adds(b, s->hidden_conns ? "none shown" : "none");
		if (s->hidden_conns)
			buf_printf(b, " (%llu resolver/helper hidden)", (unsigned long long)s->hidden_conns);
		buf_addc(b, '\n');
	}
	for (size_t i = 0; i < n && i < MAX_CONNS; i++) {
		if (i)
			buf_adds(b, INDENT);
		print_item(s, b, &it[i]);
		buf_addc(b, '\n');
	}
	if (n > MAX_CONNS)
		buf_printf(b, INDENT "... and %zu more\n", n - MAX_CONNS);
	free(it);
}
