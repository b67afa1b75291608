// SPDX-License-Identifier: MIT
/*
 * decode_conn: connections as people think of them. One "conn" event per
 * outbound connect, inbound accept and datagram peer, with the outcome of
 * the connect as what followed on the socket showed it, the local and
 * remote address, the bytes the traced calls moved and the duration.
 *
 * The log is append-only, so the event is written when the connection's
 * story is over: at once for a connect that failed, otherwise when the
 * socket's last fd goes (close, exec, the process's end, or an fd found
 * reused under lazy fd naming) or tracing ends. Its t is the connect's (or
 * accept's, or first datagram's) entry, its dur runs to the last traced
 * call on the socket.
 *
 * A non-blocking connect (EINPROGRESS) is resolved by what follows on
 * that socket: a successful send/recv/read/write or a repeated connect
 * returning 0 or EISCONN means connected; SO_ERROR read with getsockopt
 * gives the errno (0: connected, checked with getpeername through
 * pidfd_getfd when reachable); a failed I/O call with a real errno
 * (ECONNREFUSED, ETIMEDOUT...) means failed. EAGAIN and interrupted calls
 * tell nothing. One never resolved stays "pending".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "decode/decode_int.h"
#include "decode/sockaddr.h"
#include "tracee/tmem.h"

enum { KIND_CONNECT, KIND_ACCEPT, KIND_DGRAM };
enum { ST_PENDING, ST_CONNECTED, ST_FAILED, ST_EXCHANGED };

/* One connection (or datagram peer) of a socket. */
struct dconn {
	unsigned kind, state;
	int err;            /* ST_FAILED: the errno; datagrams: the last failure */
	int pid, tid, fd;
	char *peer, *local;
	bool noise;
	bool moved;         /* datagrams: some call succeeded */
	uint64_t t_start, t_last;
	uint64_t sent, received;
};

/* The connections of one socket (struct fd_obj's conn). */
struct dconn_sock {
	int family, socktype;
	bool queried;         /* the socket's addresses were asked for once (query_local) */
	struct dconn *stream; /* the connect/accept connection still open, or NULL */
	struct dconn **dg;    /* datagram peers */
	size_t ndg;
};

static const char *const kind_names[] = {"connect", "accept", "datagram"};
static const char *const state_names[] = {"pending", "connected", "failed", "exchanged"};

static void conn_free(struct dconn *k)
{
	if (!k)
		return;
	free(k->peer);
	free(k->local);
	free(k);
}

/* Append the conn event of k (and free k). */
static void conn_emit(const struct dconn_sock *s, struct dconn *k)
{
	unsigned shown_st = k->kind == KIND_DGRAM ? (k->moved || !k->err ? ST_EXCHANGED : ST_FAILED) : k->state;
	if (dec_log && dsel_conn_shown(shown_st == ST_FAILED)) {
		struct ev_draft d;
		char fb[24];
		ev_init(&d, EVT_CONN, k->t_start, k->pid, k->tid);
		ev_int(&d, EVK_FD, k->fd);
		if (s->family)
			ev_cstr(&d, dec_log, EVK_FAMILY, sockaddr_family_name(s->family, s->socktype, fb, sizeof(fb)));
		ev_cstr(&d, dec_log, EVK_KIND, kind_names[k->kind]);
		unsigned st = k->state;
		if (k->kind == KIND_DGRAM)
			st = k->moved || !k->err ? ST_EXCHANGED : ST_FAILED;
		ev_cstr(&d, dec_log, EVK_OUTCOME, state_names[st]);
		if (k->peer)
			ev_cstr(&d, dec_log, EVK_PEER, k->peer);
		if (k->local)
			ev_cstr(&d, dec_log, EVK_LOCAL, k->local);
		ev_uint(&d, EVK_BYTES_SENT, k->sent);
		ev_uint(&d, EVK_BYTES_RECEIVED, k->received);
		ev_dur(&d, k->t_last > k->t_start ? k->t_last - k->t_start : 0);
		if (st == ST_FAILED && k->err)
			ev_err(&d, k->err);
		if (k->noise)
			d.h.flags |= EVFL_NOISE;
		evlog_append(dec_log, &d);
	}
	conn_free(k);
}

static struct dconn_sock *sock_of(struct fd_obj *o)
{
	if (!o->conn)
		o->conn = xcalloc(1, sizeof(*o->conn));
	if (o->family)
		o->conn->family = o->family;
	if (o->socktype)
		o->conn->socktype = o->socktype;
	return o->conn;
}

static struct dconn *conn_new(const struct dec_call *c, unsigned kind, int fd, const char *peer, bool noise)
{
	struct dconn *k = xcalloc(1, sizeof(*k));
	k->kind = kind;
	k->pid = c->p->pid;
	k->tid = c->t->tid;
	k->fd = fd;
	k->peer = peer && peer[0] ? xstrdup(peer) : NULL;
	k->noise = noise;
	k->t_start = c->t->sc.t_entry;
	k->t_last = c->t_exit > k->t_start ? c->t_exit : k->t_start;
	return k;
}

/* Errors that say nothing about the connection: try again, interrupted, restarted. */
static bool err_uninformative(int err)
{
	return err == EAGAIN || err == EINTR || err == EINPROGRESS || err == EALREADY ||
	       (err >= 512 && err <= 516);
}

/*
 * The local address of k: asked of the socket once (pidfd_getfd and
 * getsockname, a few microseconds), when it is connected or has sent: the
 * kernel has bound it by then. Later connections of the socket reuse it.
 */
static void query_local(struct dec_call *c, struct fd_obj *o, struct dconn *k)
{
	if (k->local)
		return;
	struct dconn_sock *s = sock_of(o);
	if (!s->queried) {
		s->queried = true;
		fd_obj_sock_query(o, c->p->pid, k->fd);
	}
	if (o->local)
		k->local = xstrdup(o->local);
}

/* k failed with err: its story is over. */
static void stream_failed(struct dconn_sock *s, struct dconn *k, int err)
{
	k->state = ST_FAILED;
	k->err = err;
	s->stream = NULL;
	conn_emit(s, k);
}

void dconn_connect(struct dec_call *c, int fd, struct fd_obj *o, const struct sockaddr_info *a)
{
	int err = c->failed ? (int)-c->ret : 0;
	if (err >= 512 && err <= 516)
		return; /* cut by a signal: the restarted call tells */
	char text[SOCKADDR_STRLEN] = "";
	if (a)
		sockaddr_str(a, text, sizeof(text));
	bool noise = a && sockaddr_helper(a);
	if (!o || o->kind != FD_SOCKET) {
		/* not a socket we know (EBADF, ENOTSOCK): the attempt, failed, on its own */
		struct dconn_sock tmp = {.family = a ? a->family : 0};
		struct dconn *k = conn_new(c, KIND_CONNECT, fd, text, noise);
		k->state = err ? ST_FAILED : ST_CONNECTED;
		k->err = err;
		conn_emit(&tmp, k);
		return;
	}
	struct dconn_sock *s = sock_of(o);
	if (!s->family && a)
		s->family = a->family;
	struct dconn *k = s->stream;
	bool unspec = a && a->family == AF_UNSPEC;
	if (k && (unspec || (text[0] && (!k->peer || strcmp(k->peer, text))))) {
		/* a datagram socket connected elsewhere, or disconnected: that one is over */
		s->stream = NULL;
		conn_emit(s, k);
		k = NULL;
	}
	if (unspec)
		return;
	if (!k) {
		k = conn_new(c, KIND_CONNECT, fd, text, noise);
		k->state = ST_PENDING;
		s->stream = k;
	}
	k->t_last = c->t_exit > k->t_last ? c->t_exit : k->t_last;
	if (!err || err == EISCONN) {
		k->state = ST_CONNECTED;
		query_local(c, o, k);
	} else if (!err_uninformative(err)) {
		stream_failed(s, k, err);
	}
}

void dconn_accept(struct dec_call *c, int fd, struct fd_obj *o, const struct fd_obj *lo)
{
	if (!o || o->kind != FD_SOCKET)
		return;
	struct dconn_sock *s = sock_of(o);
	if (!s->family && lo)
		s->family = lo->family, s->socktype = lo->socktype;
	if (s->stream) {
		conn_emit(s, s->stream);
		s->stream = NULL;
	}
	struct dconn *k = conn_new(c, KIND_ACCEPT, fd, o->peer, o->peer_noise);
	k->state = ST_CONNECTED;
	s->stream = k;
	/*
	 * The listener's address as bound, unless it is a wildcard or port 0:
	 * then the one the kernel gives the accepted socket.
	 */
	const char *l = o->local ? o->local : lo ? lo->local : NULL;
	size_t n = l ? strlen(l) : 0;
	if (n && strncmp(l, "0.0.0.0:", 8) && strncmp(l, "[::]:", 5) && (n < 2 || strcmp(l + n - 2, ":0")))
		k->local = xstrdup(l);
	else
		query_local(c, o, k);
}

/* The datagram peer 'peer' of s, created if new. */
static struct dconn *dgram_peer(struct dec_call *c, struct dconn_sock *s, int fd, const char *peer, bool noise)
{
	for (size_t i = 0; i < s->ndg; i++)
		if (!strcmp(s->dg[i]->peer, peer))
			return s->dg[i];
	s->dg = xreallocarray(s->dg, s->ndg + 1, sizeof(*s->dg));
	struct dconn *k = conn_new(c, KIND_DGRAM, fd, peer, noise);
	k->state = ST_EXCHANGED;
	s->dg[s->ndg++] = k;
	return k;
}

void dconn_io(struct dec_call *c, int fd, struct fd_obj *o, bool write, int64_t bytes, const char *peer,
	      bool noise)
{
	if (!o || o->kind != FD_SOCKET)
		return;
	int err = c->failed ? (int)-c->ret : 0;
	struct dconn_sock *s = o->conn;
	struct dconn *k = s ? s->stream : NULL;
	bool stream = o->socktype == SOCK_STREAM || o->socktype == SOCK_SEQPACKET;
	if (peer && peer[0] && !stream && (!k || !k->peer || strcmp(k->peer, peer))) {
		/* a datagram to or from an address of its own: sendto, recvfrom */
		if (err && err_uninformative(err))
			return;
		s = sock_of(o);
		k = dgram_peer(c, s, fd, peer, noise);
		k->t_last = c->t_exit > k->t_last ? c->t_exit : k->t_last;
		if (err) {
			k->err = err;
			return;
		}
		k->moved = true;
		*(write ? &k->sent : &k->received) += bytes > 0 ? (uint64_t)bytes : 0;
		query_local(c, o, k);
		return;
	}
	if (!k)
		return; /* no connect or accept seen on this socket */
	k->t_last = c->t_exit > k->t_last ? c->t_exit : k->t_last;
	if (!err) {
		*(write ? &k->sent : &k->received) += bytes > 0 ? (uint64_t)bytes : 0;
		if (k->state == ST_PENDING) {
			k->state = ST_CONNECTED;
			query_local(c, o, k);
		}
	} else if (k->state == ST_PENDING && !err_uninformative(err)) {
		stream_failed(s, k, err);
	}
}

void dnet_getsockopt(struct dec_call *c)
{
	if (c->failed || (int)c->a[1] != SOL_SOCKET || (int)c->a[2] != SO_ERROR)
		return;
	int fd = (int)c->a[0], v;
	if (!c->a[3] || tmem_read(c->t->tid, c->a[3], &v, sizeof(v)) != (ssize_t)sizeof(v))
		return;
	struct fd_obj *o = dec_fd(c, fd);
	struct dconn *k = o && o->conn ? o->conn->stream : NULL;
	if (!k || k->state != ST_PENDING)
		return;
	k->t_last = c->t_exit > k->t_last ? c->t_exit : k->t_last;
	if (v) {
		if (!err_uninformative(v))
			stream_failed(o->conn, k, v);
		return;
	}
	/* 0 is also what a connect still under way reads: ask the socket for its peer */
	int r = fd_obj_sock_query(o, c->p->pid, fd);
	o->conn->queried = r >= 0;
	if (r != 0) {
		k->state = ST_CONNECTED; /* connected, or no way to ask: SO_ERROR said 0 */
		query_local(c, o, k);
	}
}

void dconn_touch(struct fd_obj *o, uint64_t t)
{
	if (!o || !o->conn)
		return;
	struct dconn_sock *s = o->conn;
	if (s->stream && t > s->stream->t_last)
		s->stream->t_last = t;
	for (size_t i = 0; i < s->ndg; i++)
		if (t > s->dg[i]->t_last)
			s->dg[i]->t_last = t;
}

void dconn_release(struct fd_obj *o)
{
	struct dconn_sock *s = o->conn;
	o->conn = NULL;
	if (!s)
		return;
	if (s->stream)
		conn_emit(s, s->stream);
	for (size_t i = 0; i < s->ndg; i++)
		conn_emit(s, s->dg[i]);
	free(s->dg);
	free(s);
}
