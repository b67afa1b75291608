// SPDX-License-Identifier: MIT
/* decode_net: sockets: socket, connect, bind, listen, accept, send/recv families, SCM_RIGHTS. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "decode/decode.h"
#include "decode/decode_int.h"
#include "decode/sockaddr.h"
#include "tracee/tmem.h"

static const char *socktype_name(int t)
{
	switch (t & 0xf) {
	case SOCK_STREAM: return "stream";
	case SOCK_DGRAM: return "dgram";
	case SOCK_RAW: return "raw";
	case SOCK_SEQPACKET: return "seqpacket";
	case SOCK_RDM: return "rdm";
	case SOCK_PACKET: return "packet";
	}
	return NULL;
}

/* Read a sockaddr of len bytes from the tracee. */
static int read_sockaddr(const struct dec_call *c, uint64_t addr, uint64_t len, struct sockaddr_info *out)
{
	struct sockaddr_storage ss;
	if (!addr || !len)
		return -EINVAL;
	if (len > sizeof(ss))
		len = sizeof(ss);
	ssize_t n = tmem_read(c->t->tid, addr, &ss, len);
	if (n < (ssize_t)sizeof(sa_family_t))
		return -EFAULT;
	return sockaddr_parse(&ss, (size_t)n, out);
}

static struct fd_obj *new_socket(int family, int socktype)
{
	struct fd_obj *o = fd_obj_new(FD_SOCKET, FD_R | FD_W, NULL);
	o->family = family;
	o->socktype = socktype & 0xf;
	o->resolved = false; /* "socket:[ino]" read lazily */
	return o;
}

static void add_family(struct ev_draft *d, int family, int socktype)
{
	char fb[24];
	ev_cstr(d, dec_log, EVK_FAMILY, sockaddr_family_name(family, socktype, fb, sizeof(fb)));
}

void dnet_socket(struct dec_call *c)
{
	int family = (int)c->a[0], type = (int)c->a[1];
	if (c->emit) {
		struct ev_draft d;
		dec_ev(&d, c, EVT_SOCKET);
		if (!c->failed)
			ev_int(&d, EVK_FD, c->ret);
		add_family(&d, family, type);
		if (socktype_name(type))
			ev_cstr(&d, dec_log, EVK_SOCKTYPE, socktype_name(type));
		dec_emit(&d, c);
	}
	if (!c->failed)
		fdtable_install(c->dp->fds, (int)c->ret, new_socket(family, type), type & SOCK_CLOEXEC);
}

void dnet_socketpair(struct dec_call *c)
{
	int family = (int)c->a[0], type = (int)c->a[1], sv[2];
	if (c->failed) {
		if (c->emit) {
			struct ev_draft d;
			dec_ev(&d, c, EVT_SOCKET);
			add_family(&d, family, type);
			dec_emit(&d, c);
		}
		return;
	}
	if (tmem_read(c->t->tid, c->a[3], sv, sizeof(sv)) != (ssize_t)sizeof(sv))
		return;
	for (int i = 0; i < 2; i++) {
		fdtable_install(c->dp->fds, sv[i], new_socket(family, type), type & SOCK_CLOEXEC);
		if (c->emit) {
			struct ev_draft d;
			dec_ev(&d, c, EVT_SOCKET);
			ev_int(&d, EVK_FD, sv[i]);
			add_family(&d, family, type);
			if (socktype_name(type))
				ev_cstr(&d, dec_log, EVK_SOCKTYPE, socktype_name(type));
			dec_emit(&d, c);
		}
	}
}

/* family, then addr+port (inet) or path (unix, made absolute unless abstract). */
static void add_addr(struct ev_draft *d, const struct dec_call *c, const struct fd_obj *o,
		     const struct sockaddr_info *a)
{
	int family = o && o->family ? o->family : a->family;
	add_family(d, family, o ? o->socktype : 0);
	if (a->family == AF_UNIX) {
		if (!a->addr[0])
			return; /* unnamed */
		if (a->addr[0] == '@' || a->addr[0] == '/') {
			ev_cstr(d, dec_log, EVK_PATH, a->addr);
		} else {
			struct buf abs = { 0 };
			dec_abs_path(c, AT_FDCWD, a->addr, strlen(a->addr), &abs);
			ev_str(d, dec_log, EVK_PATH, abs.data, abs.len);
			buf_free(&abs);
		}
		if (dec_noise_path(a->addr, strlen(a->addr)) || sockaddr_helper(a))
			d->h.flags |= EVFL_NOISE;
		return;
	}
	if (a->addr[0])
		ev_cstr(d, dec_log, EVK_ADDR, a->addr);
	if (a->port >= 0)
		ev_int(d, EVK_PORT, a->port);
	if (sockaddr_helper(a))
		d->h.flags |= EVFL_NOISE;
}

struct addr_set {
	struct fd_obj *o;
	unsigned type;
	bool unspec, loopback, noise;
	const char *text;
};

/* Remember a connect's peer or a bind's address on o, and on other objects of the same socket. */
static void addr_set_one(void *ctx, int fd, struct fd_obj *o, bool cloexec)
{
	const struct addr_set *s = ctx;
	(void)fd, (void)cloexec;
	if (o != s->o && (o->kind != FD_SOCKET || !o->path || strcmp(o->path, s->o->path)))
		return;
	if (s->type == EVT_CONNECT) {
		fd_obj_set(&o->peer, s->unspec || !s->text[0] ? NULL : s->text);
		o->peer_loopback = s->loopback;
		o->peer_noise = s->noise;
	} else {
		fd_obj_set(&o->local, s->text[0] ? s->text : NULL);
	}
}

/* connect and bind: the address argument, remembered on the socket. */
static void addr_call(struct dec_call *c, unsigned type)
{
	int fd = (int)c->a[0];
	struct sockaddr_info a;
	int r = read_sockaddr(c, c->a[1], c->a[2], &a);
	struct fd_obj *o = dec_fd(c, fd);
	if (c->emit) {
		struct ev_draft d;
		dec_ev(&d, c, type);
		ev_int(&d, EVK_FD, fd);
		if (!r)
			add_addr(&d, c, o, &a);
		else
			ev_hex(&d, EVK_PATH_ADDR, c->a[1]);
		dec_emit(&d, c);
	}
	bool took = !c->failed || (type == EVT_CONNECT && c->ret == -EINPROGRESS);
	if (o && !r && took) {
		char text[SOCKADDR_STRLEN];
		sockaddr_str(&a, text, sizeof(text));
		struct addr_set set = { o, type, a.family == AF_UNSPEC, a.loopback, sockaddr_helper(&a), text };
		addr_set_one(&set, fd, o, false);
		if (decode_fds_lazy() && o->kind == FD_SOCKET && o->path)
			fdtable_each(c->dp->fds, addr_set_one, &set); /* dups learnt apart from /proc */
	}
	if (type == EVT_CONNECT && c->emit)
		dconn_connect(c, fd, o, r ? NULL : &a);
}

void dnet_connect(struct dec_call *c)
{
	addr_call(c, EVT_CONNECT);
}

void dnet_bind(struct dec_call *c)
{
	addr_call(c, EVT_BIND);
}

/* "1.2.3.4:80" / "[::1]:80" back to address and port. */
static void add_local(struct ev_draft *d, const struct fd_obj *o)
{
	const char *l = o->local;
	if (o->family == AF_UNIX) {
		ev_cstr(d, dec_log, EVK_PATH, l);
		return;
	}
	const char *colon = strrchr(l, ':');
	if (!colon || (o->family != AF_INET && o->family != AF_INET6))
		return;
	const char *s = l;
	size_t n = (size_t)(colon - l);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
		s++, n -= 2;
	ev_str(d, dec_log, EVK_ADDR, s, n);
	ev_int(d, EVK_PORT, atoi(colon + 1));
}

void dnet_listen(struct dec_call *c)
{
	if (!c->emit)
		return;
	int fd = (int)c->a[0];
	struct ev_draft d;
	dec_ev(&d, c, EVT_LISTEN);
	ev_int(&d, EVK_FD, fd);
	struct fd_obj *o = dec_fd(c, fd);
	if (o && o->kind == FD_SOCKET) {
		add_family(&d, o->family, o->socktype);
		if (o->local)
			add_local(&d, o);
	}
	dec_emit(&d, c);
}

void dnet_accept(struct dec_call *c)
{
	int lfd = (int)c->a[0];
	struct fd_obj *lo = dec_fd(c, lfd);
	struct sockaddr_info a;
	int r = -EINVAL;
	int32_t alen = 0;
	if (!c->failed && c->a[1] && c->a[2] &&
	    tmem_read(c->t->tid, c->a[2], &alen, sizeof(alen)) == (ssize_t)sizeof(alen) && alen > 0)
		r = read_sockaddr(c, c->a[1], (uint64_t)alen, &a);
	struct fd_obj *o = NULL;
	if (!c->failed) {
		bool cloexec = c->nr == SYS_accept4 && (c->a[3] & SOCK_CLOEXEC);
		if (lo && lo->kind == FD_SOCKET && !r) {
			char text[SOCKADDR_STRLEN];
			o = new_socket(lo->family, lo->socktype);
			sockaddr_str(&a, text, sizeof(text));
			fd_obj_set(&o->peer, text[0] ? text : NULL);
			o->peer_loopback = a.loopback;
			o->peer_noise = sockaddr_helper(&a);
			if (lo->local)
				fd_obj_set(&o->local, lo->local);
			fdtable_install(c->dp->fds, (int)c->ret, o, cloexec);
		} else {
			fdtable_forget(c->dp->fds, (int)c->ret); /* learn it lazily */
			o = dec_fd(c, (int)c->ret);
		}
	}
	if (!c->emit)
		return;
	if (!c->failed)
		dconn_accept(c, (int)c->ret, o, lo);
	struct ev_draft d;
	dec_ev(&d, c, EVT_ACCEPT);
	if (!c->failed)
		ev_int(&d, EVK_FD, c->ret);
	if (!r) {
		add_addr(&d, c, lo, &a);
	} else if (o && o->kind == FD_SOCKET) {
		add_family(&d, o->family, o->socktype);
		if (o->peer)
			ev_cstr(&d, dec_log, EVK_PEER, o->peer);
		if (o->peer_noise)
			d.h.flags |= EVFL_NOISE;
	} else if (lo && lo->kind == FD_SOCKET) {
		add_family(&d, lo->family, lo->socktype);
	}
	dec_emit(&d, c);
}

/* Fds received with SCM_RIGHTS: learnt lazily from /proc. */
static void scm_rights(struct dec_call *c, const struct msghdr *m)
{
	if (!m->msg_control || m->msg_controllen < sizeof(struct cmsghdr))
		return;
	size_t len = m->msg_controllen > 4096 ? 4096 : m->msg_controllen;
	uint8_t *ctl = xmalloc(len);
	ssize_t n = tmem_read(c->t->tid, (uint64_t)(uintptr_t)m->msg_control, ctl, len);
	for (size_t off = 0; n > 0 && off + sizeof(struct cmsghdr) <= (size_t)n;) {
		struct cmsghdr h;
		memcpy(&h, ctl + off, sizeof(h));
		if (h.cmsg_len < sizeof(h) || h.cmsg_len > (size_t)n - off)
			break;
		if (h.cmsg_level == SOL_SOCKET && h.cmsg_type == SCM_RIGHTS) {
			size_t nfd = (h.cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (size_t i = 0; i < nfd; i++) {
				int fd;
				memcpy(&fd, ctl + off + CMSG_LEN(0) + i * sizeof(int), sizeof(fd));
				fdtable_forget(c->dp->fds, fd);
			}
		}
		off += CMSG_ALIGN(h.cmsg_len);
	}
	free(ctl);
}

void dnet_sendrecv(struct dec_call *c)
{
	int fd = (int)c->a[0];
	bool send = c->nr == SYS_sendto || c->nr == SYS_sendmsg || c->nr == SYS_sendmmsg;
	int64_t bytes = c->ret;
	struct sockaddr_info a;
	int r = -EINVAL;
	switch (c->nr) {
	case SYS_sendto:
		if (c->a[4])
			r = read_sockaddr(c, c->a[4], c->a[5], &a);
		break;
	case SYS_recvfrom: {
		int32_t alen;
		if (!c->failed && c->a[4] && c->a[5] &&
		    tmem_read(c->t->tid, c->a[5], &alen, sizeof(alen)) == (ssize_t)sizeof(alen) && alen > 0)
			r = read_sockaddr(c, c->a[4], (uint64_t)alen, &a);
		break;
	}
	case SYS_sendmsg:
	case SYS_recvmsg: {
		struct msghdr m;
		if (tmem_read(c->t->tid, c->a[1], &m, sizeof(m)) != (ssize_t)sizeof(m))
			break;
		if (m.msg_name && m.msg_namelen && !(c->nr == SYS_recvmsg && c->failed))
			r = read_sockaddr(c, (uint64_t)(uintptr_t)m.msg_name, m.msg_namelen, &a);
		if (c->nr == SYS_recvmsg && !c->failed)
			scm_rights(c, &m);
		break;
	}
	case SYS_sendmmsg:
	case SYS_recvmmsg: {
		/* ret is the number of messages; bytes are the sum of their msg_len */
		if (c->failed)
			break;
		bytes = 0;
		for (int64_t i = 0; i < c->ret && i < 1024; i++) {
			struct mmsghdr mm;
			if (tmem_read(c->t->tid, c->a[1] + (uint64_t)i * sizeof(mm), &mm, sizeof(mm)) !=
			    (ssize_t)sizeof(mm))
				break;
			bytes += mm.msg_len;
			if (c->nr == SYS_recvmmsg)
				scm_rights(c, &mm.msg_hdr);
		}
		break;
	}
	}
	if (!c->emit)
		return;
	char text[SOCKADDR_STRLEN];
	if (!r)
		sockaddr_str(&a, text, sizeof(text));
	dio_event(c, fd, send, bytes, true, !r && text[0] ? text : NULL, !r && sockaddr_helper(&a));
}
