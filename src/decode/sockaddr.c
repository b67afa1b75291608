// SPDX-License-Identifier: MIT
/* sockaddr: socket addresses as text for events and the fd table ("1.2.3.4:80", "tcp4"). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "decode/sockaddr.h"

int sockaddr_parse(const void *sa, size_t len, struct sockaddr_info *out)
{
	memset(out, 0, sizeof(*out));
	out->port = -1;
	if (len < sizeof(sa_family_t))
		return -EINVAL;
	sa_family_t fam;
	memcpy(&fam, sa, sizeof(fam));
	out->family = fam;
	switch (fam) {
	case AF_INET: {
		struct sockaddr_in in;
		if (len < sizeof(in))
			return -EINVAL;
		memcpy(&in, sa, sizeof(in));
		inet_ntop(AF_INET, &in.sin_addr, out->addr, sizeof(out->addr));
		out->port = ntohs(in.sin_port);
		out->loopback = (ntohl(in.sin_addr.s_addr) >> 24) == 127;
		return 0;
	}
	case AF_INET6: {
		struct sockaddr_in6 in6 = { 0 };
		if (len < offsetof(struct sockaddr_in6, sin6_scope_id))
			return -EINVAL;
		memcpy(&in6, sa, len < sizeof(in6) ? len : sizeof(in6));
		inet_ntop(AF_INET6, &in6.sin6_addr, out->addr, sizeof(out->addr));
		out->port = ntohs(in6.sin6_port);
		const uint8_t *b = in6.sin6_addr.s6_addr;
		static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
		out->loopback = IN6_IS_ADDR_LOOPBACK(&in6.sin6_addr) ||
				(!memcmp(b, mapped, 12) && b[12] == 127);
		return 0;
	}
	case AF_UNIX: {
		struct sockaddr_un un;
		size_t n = len > sizeof(un) ? sizeof(un) : len;
		memcpy(&un, sa, n);
		n -= offsetof(struct sockaddr_un, sun_path);
		const char *p = un.sun_path;
		size_t o = 0;
		if (n && !p[0]) { /* abstract: "@name", cut at its first NUL */
			out->addr[o++] = '@';
			p++, n--;
		}
		size_t l = strnlen(p, n);
		if (l > sizeof(out->addr) - 1 - o)
			l = sizeof(out->addr) - 1 - o;
		memcpy(out->addr + o, p, l);
		out->addr[o + l] = 0;
		return 0;
	}
	case AF_NETLINK: {
		struct sockaddr_nl nl;
		if (len < sizeof(nl))
			return -EINVAL;
		memcpy(&nl, sa, sizeof(nl));
		snprintf(out->addr, sizeof(out->addr), "%u", nl.nl_pid);
		return 0;
	}
	default:
		return 0;
	}
}

void sockaddr_str(const struct sockaddr_info *a, char *buf, size_t n)
{
	switch (a->family) {
	case AF_INET:
		snprintf(buf, n, "%s:%d", a->addr, a->port);
		break;
	case AF_INET6:
		snprintf(buf, n, "[%s]:%d", a->addr, a->port);
		break;
	case AF_UNIX:
		snprintf(buf, n, "%s", a->addr);
		break;
	case AF_NETLINK:
		snprintf(buf, n, "netlink:%s", a->addr);
		break;
	default:
		buf[0] = 0;
	}
}

const char *sockaddr_family_name(int family, int socktype, char *buf, size_t n)
{
	socktype &= 0xf;
	if (family == AF_INET || family == AF_INET6) {
		const char *proto = socktype == SOCK_STREAM ? "tcp" : socktype == SOCK_DGRAM ? "udp" :
				    socktype == SOCK_RAW ? "raw" : socktype == SOCK_SEQPACKET ? "sctp" : "inet";
		snprintf(buf, n, "%s%c", proto, family == AF_INET ? '4' : '6');
		return buf;
	}
	switch (family) {
	case AF_UNIX: return "unix";
	case AF_NETLINK: return "netlink";
	case AF_PACKET: return "packet";
	case AF_VSOCK: return "vsock";
	case AF_UNSPEC: return "unspec";
	case AF_BLUETOOTH: return "bluetooth";
	case AF_ALG: return "alg";
	}
	snprintf(buf, n, "af%d", family);
	return buf;
}

bool sockaddr_helper(const struct sockaddr_info *a)
{
	static const char *const helpers[] = {
		"/var/run/nscd/", "/run/nscd/", "/var/run/dbus/", "/run/dbus/", "@/tmp/dbus-",
		"/run/systemd/resolve/", "/run/systemd/userdb/", "/run/systemd/journal/",
	};
	if (a->family == AF_UNIX && !strcmp(a->addr, "/dev/log"))
		return true; /* syslog */
	if (a->family == AF_INET || a->family == AF_INET6)
		return a->loopback && a->port == 53;
	if (a->family != AF_UNIX)
		return false;
	for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++)
		if (!strncmp(a->addr, helpers[i], strlen(helpers[i])))
			return true;
	/* the session bus: /run/user/UID/bus */
	const char *u = "/run/user/";
	if (strncmp(a->addr, u, strlen(u)))
		return false;
	const char *slash = strchr(a->addr + strlen(u), '/');
	return slash && !strcmp(slash, "/bus");
}
