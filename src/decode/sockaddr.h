/* SPDX-License-Identifier: MIT */
/*
 * sockaddr: parsing of struct sockaddr bytes (AF_INET, AF_INET6, AF_UNIX,
 * AF_NETLINK) into text, and short names of socket families. Pure: no
 * tracee access, no state; the caller owns every buffer.
 */
#ifndef COMPENDIUM_SOCKADDR_H
#define COMPENDIUM_SOCKADDR_H

#include <stdbool.h>
#include <stddef.h>

/* Room for sockaddr_str's text. */
#define SOCKADDR_STRLEN 160

/* A parsed socket address. */
struct sockaddr_info {
	int family;        /* AF_* */
	char addr[112];    /* numeric address, or unix path ("@name" for abstract) */
	int port;          /* -1 when none */
	bool loopback;
};

/* Parse a sockaddr of len bytes into *out; 0, or -EINVAL when too short for its family. */
int sockaddr_parse(const void *sa, size_t len, struct sockaddr_info *out);
/* "1.2.3.4:80", "[::1]:22", "/run/x.sock", "@abstract" into buf (empty for unnamed unix). */
void sockaddr_str(const struct sockaddr_info *a, char *buf, size_t n);
/*
 * Resolver and helper traffic, the noise of the network lists: DNS on a
 * loopback address (systemd-resolved's stub 127.0.0.53:53, a local
 * dnsmasq), and the unix sockets of nscd, D-Bus, syslog (/dev/log) and
 * systemd's resolver, user database and journal. Loopback as such is not noise: a program
 * talking TCP or UDP to 127.0.0.1 is doing what it was run for.
 */
bool sockaddr_helper(const struct sockaddr_info *a);
/* "tcp4", "udp6", "unix", "netlink", ... for family and SOCK_* type (0 = unknown); static or buf. */
const char *sockaddr_family_name(int family, int socktype, char *buf, size_t n);

#endif
