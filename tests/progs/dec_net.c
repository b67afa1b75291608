// SPDX-License-Identifier: MIT
// Exact socket syscalls for the decode tests; prints what it did, one "key value..." line each.
// Usage: dec_net DIR   (unix socket and passed-file paths go in DIR)
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static int port_of(int s)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof(ss);
	getsockname(s, (struct sockaddr *)&ss, &l);
	return ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
					: ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static struct sockaddr_in lo4(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	setvbuf(stdout, NULL, _IONBF, 0);
	char buf[256] = "0123456789abcdefghijklmnopqrstuvwxyz";

	/* tcp4 server */
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = lo4(0);
	bind(ls, (struct sockaddr *)&a, sizeof(a));
	listen(ls, 4);
	int port = port_of(ls);
	printf("listen %d %d\n", ls, port);

	/* connection refused: a port that was just closed */
	int tmp = socket(AF_INET, SOCK_STREAM, 0);
	bind(tmp, (struct sockaddr *)&a, sizeof(a));
	int closed_port = port_of(tmp);
	close(tmp);
	int c1 = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in ca = lo4(closed_port);
	int r = connect(c1, (struct sockaddr *)&ca, sizeof(ca));
	printf("refused %d %d %d\n", closed_port, r, errno);
	close(c1);

	/* nonblocking connect to the listener */
	int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ca = lo4(port);
	errno = 0;
	r = connect(c, (struct sockaddr *)&ca, sizeof(ca));
	printf("nbconnect %d %d %d\n", c, r, errno);
	struct sockaddr_in peer;
	socklen_t pl = sizeof(peer);
	int sv = accept4(ls, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
	printf("accept %d %d\n", sv, ntohs(peer.sin_port));
	int fl = fcntl(c, F_GETFL);
	fcntl(c, F_SETFL, fl & ~O_NONBLOCK);
	printf("write %ld\n", (long)write(c, buf, 10));
	printf("sendto %ld\n", (long)sendto(c, buf, 20, 0, NULL, 0));
	size_t got = 0;
	while (got < 30) {
		ssize_t n = recvfrom(sv, buf, 30 - got, 0, NULL, NULL);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	printf("recvd %zu\n", got);
	printf("read_sock %ld\n", (long)(write(sv, buf, 5) == 5 ? read(c, buf, 5) : -1));

	/* udp4 with addresses, and the mmsg calls */
	int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
	a = lo4(0);
	bind(u1, (struct sockaddr *)&a, sizeof(a));
	int uport = port_of(u1);
	struct sockaddr_in ua = lo4(uport);
	printf("udp %d %d\n", u1, uport);
	printf("udp_sendto %ld\n", (long)sendto(u2, buf, 7, 0, (struct sockaddr *)&ua, sizeof(ua)));
	pl = sizeof(peer);
	long got_u = (long)recvfrom(u1, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &pl);
	printf("udp_recvfrom %ld %d\n", got_u, ntohs(peer.sin_port));
	connect(u2, (struct sockaddr *)&ua, sizeof(ua));
	struct iovec iv[2] = { { buf, 3 }, { buf, 4 } };
	struct mmsghdr mm[2] = { { .msg_hdr = { .msg_iov = &iv[0], .msg_iovlen = 1 } },
				 { .msg_hdr = { .msg_iov = &iv[1], .msg_iovlen = 1 } } };
	printf("sendmmsg %d\n", sendmmsg(u2, mm, 2, 0));
	char b1[16], b2[16];
	struct iovec rv[2] = { { b1, sizeof(b1) }, { b2, sizeof(b2) } };
	struct mmsghdr rm[2] = { { .msg_hdr = { .msg_iov = &rv[0], .msg_iovlen = 1 } },
				 { .msg_hdr = { .msg_iov = &rv[1], .msg_iovlen = 1 } } };
	int nm = recvmmsg(u1, rm, 2, MSG_WAITFORONE, NULL);
	printf("recvmmsg %d %u\n", nm, nm == 2 ? rm[0].msg_len + rm[1].msg_len : 0);

	/* unix stream by path, sendmsg/recvmsg, SCM_RIGHTS */
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	snprintf(un.sun_path, sizeof(un.sun_path), "%s/s.sock", argv[1]);
	int us = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(us, (struct sockaddr *)&un, sizeof(un));
	listen(us, 1);
	int uc = socket(AF_UNIX, SOCK_STREAM, 0);
	printf("unix_connect %d\n", connect(uc, (struct sockaddr *)&un, sizeof(un)));
	int ua2 = accept(us, NULL, NULL);
	printf("unix_accept %d\n", ua2);
	char fname[200];
	snprintf(fname, sizeof(fname), "%s/passed.txt", argv[1]);
	int pf = open(fname, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	struct iovec mi = { buf, 6 };
	union { char c[CMSG_SPACE(sizeof(int))]; struct cmsghdr h; } ctl;
	struct msghdr msg = { .msg_iov = &mi, .msg_iovlen = 1, .msg_control = ctl.c, .msg_controllen = sizeof(ctl.c) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET, cm->cmsg_type = SCM_RIGHTS, cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &pf, sizeof(int));
	printf("sendmsg %ld\n", (long)sendmsg(uc, &msg, 0));
	close(pf);
	union { char c[CMSG_SPACE(sizeof(int))]; struct cmsghdr h; } rctl;
	struct iovec ri = { b1, sizeof(b1) };
	struct msghdr rmsg = { .msg_iov = &ri, .msg_iovlen = 1, .msg_control = rctl.c, .msg_controllen = sizeof(rctl.c) };
	long rn = recvmsg(ua2, &rmsg, 0);
	int recvd_fd = -1;
	cm = CMSG_FIRSTHDR(&rmsg);
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&recvd_fd, CMSG_DATA(cm), sizeof(int));
	printf("recvmsg %ld %d\n", rn, recvd_fd);
	printf("passed_write %ld\n", (long)write(recvd_fd, "via scm\n", 8));

	/* abstract unix datagram */
	struct sockaddr_un ab = { .sun_family = AF_UNIX };
	int an = snprintf(ab.sun_path + 1, sizeof(ab.sun_path) - 1, "dec-abstract-%d", (int)getpid());
	socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)an);
	int d1 = socket(AF_UNIX, SOCK_DGRAM, 0), d2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	printf("abstract_bind %d dec-abstract-%d\n", bind(d1, (struct sockaddr *)&ab, alen), (int)getpid());
	printf("abstract_connect %d\n", connect(d2, (struct sockaddr *)&ab, alen));
	printf("abstract_send %ld\n", (long)send(d2, buf, 4, 0));

	/* tcp6 refused on ::1 */
	int s6 = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)closed_port) };
	inet_pton(AF_INET6, "::1", &a6.sin6_addr);
	r = connect(s6, (struct sockaddr *)&a6, sizeof(a6));
	printf("tcp6 %d %d %d\n", s6, r, errno);

	int sp[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	printf("socketpair %d %d %ld\n", sp[0], sp[1], (long)write(sp[0], buf, 3));
	return 0;
}
