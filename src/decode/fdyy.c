/* SPDX-License-Identifier: MIT */
/*
 * fdyy: what strace -yy adds to an fd in -v lines. A socket is named by
 * its protocol (the kernel's name, the "system.sockprotoname" attribute of
 * /proc/TID/fd/N: "TCP", "TCPv6", "UDP", "UNIX-STREAM", "UNIX" for
 * datagrams, "NETLINK"...) and its endpoints: "TCP:[127.0.0.1:42414->
 * 127.0.0.1:8080]", "TCPv6:[[::1]:8080]" (listening), "UNIX-STREAM:[INODE->
 * PEERINODE,"/run/x.sock"]", or "PROTO:[INODE]" when it has none yet (a
 * TCP socket that neither listens nor is connected, an unbound one, other
 * protocols). Inet endpoints are read from a duplicate of the tracee's fd
 * (pidfd_getfd, then getsockname/getpeername); unix ones from the kernel's
 * unix_diag, by inode, as strace does. A character or block device gets
 * "char 1:3" / "block 8:0" (strace: "/dev/null<char 1:3>").
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "decode/fdyy.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

/* "1.2.3.4:80" or "[::1]:80"; false for an unbound (port 0, any address) end. */
static bool add_inet(struct buf *out, const struct sockaddr_storage *ss, bool need_port)
{
	char ip[INET6_ADDRSTRLEN];
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)ss;
		if (need_port && !in->sin_port)
			return false;
		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		buf_printf(out, "%s:%u", ip, ntohs(in->sin_port));
		return true;
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)ss;
		if (need_port && !in6->sin6_port)
			return false;
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		buf_printf(out, "[%s]:%u", ip, ntohs(in6->sin6_port));
		return true;
	}
	return false;
}

/* The tracee's fd duplicated into compendium, or -1. */
static int dup_tracee_fd(int pid, int fd)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0)
		return -1;
	int dfd = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
	close(pfd);
	return dfd;
}

/* "local->peer" or "local" (listening, bound datagram); false when neither is known. */
static bool inet_ends(struct buf *out, int pid, int fd, bool tcp)
{
	int s = dup_tracee_fd(pid, fd);
	if (s < 0)
		return false;
	struct sockaddr_storage l, p;
	socklen_t ll = sizeof(l), pl = sizeof(p);
	memset(&l, 0, sizeof(l));
	memset(&p, 0, sizeof(p));
	bool have_l = getsockname(s, (struct sockaddr *)&l, &ll) == 0;
	bool have_p = getpeername(s, (struct sockaddr *)&p, &pl) == 0;
	int listening = 0;
	socklen_t il = sizeof(listening);
	if (getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &listening, &il) < 0)
		listening = 0;
	close(s);
	size_t mark = out->len;
	if (have_l && have_p && add_inet(out, &l, false)) {
		buf_adds(out, "->");
		if (add_inet(out, &p, false))
			return true;
	} else if (have_l && (!tcp || listening) && add_inet(out, &l, true)) {
		return true;
	}
	out->len = mark;
	if (out->data)
		out->data[mark] = '\0';
	return false;
}

/* unix_diag of one socket by inode: ",peer" and the bound name. */
static bool unix_ends(struct buf *out, unsigned long ino)
{
	struct {
		struct nlmsghdr nh;
		struct unix_diag_req req;
	} q = {
		.nh = {.nlmsg_len = sizeof(q), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		       .nlmsg_flags = NLM_F_REQUEST},
		.req = {.sdiag_family = AF_UNIX, .udiag_states = ~0u, .udiag_ino = (uint32_t)ino,
			.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER,
			.udiag_cookie = {~0u, ~0u}},
	};
	int s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (s < 0)
		return false;
	union {
		char raw[8192];
		struct nlmsghdr nh;
	} a;
	struct sockaddr_nl nl = {.nl_family = AF_NETLINK};
	ssize_t n = -1;
	if (sendto(s, &q, sizeof(q), 0, (struct sockaddr *)&nl, sizeof(nl)) == (ssize_t)sizeof(q))
		n = recv(s, &a, sizeof(a), 0);
	close(s);
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct unix_diag_msg)) || !NLMSG_OK(&a.nh, (size_t)n) ||
	    a.nh.nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return false;
	const struct unix_diag_msg *m = NLMSG_DATA(&a.nh);
	if (m->udiag_ino != (uint32_t)ino)
		return false;
	uint32_t peer = 0;
	const char *name = NULL;
	size_t nlen = 0;
	size_t left = a.nh.nlmsg_len - NLMSG_LENGTH(sizeof(*m));
	const char *p = (const char *)(m + 1);
	while (left >= sizeof(struct nlattr)) {
		const struct nlattr *at = (const void *)p;
		if (at->nla_len < sizeof(*at) || at->nla_len > left)
			break;
		size_t plen = at->nla_len - NLA_HDRLEN;
		const char *pay = p + NLA_HDRLEN;
		if (at->nla_type == UNIX_DIAG_PEER && plen >= 4)
			memcpy(&peer, pay, 4);
		else if (at->nla_type == UNIX_DIAG_NAME) {
			name = pay;
			nlen = plen;
		}
		size_t step = NLA_ALIGN(at->nla_len);
		if (step > left)
			break;
		p += step;
		left -= step;
	}
	buf_printf(out, "%lu", ino);
	if (peer)
		buf_printf(out, "->%u", peer);
	if (name && nlen) {
		buf_adds(out, ",\"");
		if (name[0] == '\0') { /* abstract: strace writes '@' for the leading NUL */
			buf_addc(out, '@');
			name++;
			nlen--;
		} else {
			nlen = strnlen(name, nlen);
		}
		for (size_t i = 0; i < nlen; i++) {
			unsigned char ch = (unsigned char)name[i];
			if (ch == '"' || ch == '\\')
				buf_addc(out, '\\');
			buf_addc(out, (char)ch);
		}
		buf_addc(out, '"');
	}
	return true;
}

enum fdyy_kind fdyy_describe(struct buf *out, int pid, int tid, int fd)
{
	char link[64];
	struct stat st;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", tid, fd);
	if (stat(link, &st) < 0)
		return FDYY_NONE;
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		buf_printf(out, "%s %u:%u", S_ISCHR(st.st_mode) ? "char" : "block", major(st.st_rdev),
			   minor(st.st_rdev));
		return FDYY_DEVICE;
	}
	if (!S_ISSOCK(st.st_mode))
		return FDYY_NONE;
	char proto[64];
	ssize_t n = getxattr(link, "system.sockprotoname", proto, sizeof(proto) - 1);
	if (n <= 0)
		return FDYY_NONE;
	proto[n] = '\0';
	if (proto[n - 1] == '\0')
		n--;
	buf_printf(out, "%s:[", proto);
	bool tcp = !strncmp(proto, "TCP", 3), udp = !strncmp(proto, "UDP", 3);
	bool done = false;
	if (tcp || udp)
		done = inet_ends(out, pid, fd, tcp);
	else if (!strncmp(proto, "UNIX", 4))
		done = unix_ends(out, (unsigned long)st.st_ino);
	if (!done)
		buf_printf(out, "%lu", (unsigned long)st.st_ino);
	buf_addc(out, ']');
	return FDYY_SOCKET;
}
