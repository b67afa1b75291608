// SPDX-License-Identifier: MIT
/* decode_io: read/write families and fd-to-fd transfers as read, write, send and recv events. */
#include <string.h>
#include <sys/socket.h>

#include "decode/decode_int.h"
#include "decode/sockaddr.h"

void dio_event(struct dec_call *c, int fd, bool write, int64_t bytes, bool sock, const char *peer,
	       bool peer_noise)
{
	struct fd_obj *o = dec_fd(c, fd);
	sock = sock || (o && o->kind == FD_SOCKET);
	if (o && o->kind == FD_SOCKET)
		dconn_io(c, fd, o, write, bytes, peer, peer_noise);
	struct ev_draft d;
	dec_ev(&d, c, sock ? (write ? EVT_SEND : EVT_RECV) : (write ? EVT_WRITE : EVT_READ));
	ev_int(&d, EVK_FD, fd);
	if (sock) {
		char fb[24];
		if (o && o->kind == FD_SOCKET && o->family)
			ev_cstr(&d, dec_log, EVK_FAMILY, sockaddr_family_name(o->family, o->socktype, fb, sizeof(fb)));
		if (!peer && o && o->kind == FD_SOCKET) {
			peer = o->peer;
			peer_noise = o->peer_noise;
		}
		if (peer)
			ev_cstr(&d, dec_log, EVK_PEER, peer);
		else if (o && dec_obj_desc(c, fd, o)) /* unnamed peer: say which socket, "socket:[ino]" */
			ev_cstr(&d, dec_log, EVK_DESC, dec_obj_desc(c, fd, o));
		else
			dnd_unknown(&d, c);
		if (peer_noise)
			d.h.flags |= EVFL_NOISE;
	} else {
		const char *desc = o ? dec_obj_desc(c, fd, o) : NULL;
		if (desc) {
			ev_cstr(&d, dec_log, EVK_PATH, desc);
			if (o->kind == FD_FILE && dec_noise_path(desc, strlen(desc)))
				d.h.flags |= EVFL_NOISE;
		} else {
			dnd_unknown(&d, c); /* not a pipe or tty we could not name: unknown */
		}
	}
	if (!c->failed)
		ev_int(&d, EVK_BYTES, bytes);
	if (c->t->sc.calls > 1) /* --engine bpf: a run of calls on this fd, bytes their sum */
		ev_uint(&d, EVK_CALLS, c->t->sc.calls);
	dec_emit(&d, c);
}

void dio_rw(struct dec_call *c)
{
	if (!c->emit)
		return;
	bool write = c->nr == SYS_write || c->nr == SYS_pwrite64 || c->nr == SYS_writev ||
		     c->nr == SYS_pwritev || c->nr == SYS_pwritev2;
	dio_event(c, (int)c->a[0], write, c->ret, false, NULL, false);
}

/*
 * sendfile, copy_file_range, splice, tee: a read event on the input fd and
 * a write (or send) event on the output fd, each with the bytes moved. tee
 * does not consume its input; it is reported the same way.
 */
void dio_transfer(struct dec_call *c)
{
	if (!c->emit)
		return;
	int in, out;
	switch (c->nr) {
	case SYS_sendfile:
		out = (int)c->a[0], in = (int)c->a[1];
		break;
	case SYS_tee:
		in = (int)c->a[0], out = (int)c->a[1];
		break;
	default: /* copy_file_range, splice: (in, off_in, out, off_out, ...) */
		in = (int)c->a[0], out = (int)c->a[2];
		break;
	}
	dio_event(c, in, false, c->ret, false, NULL, false);
	dio_event(c, out, true, c->ret, false, NULL, false);
}
