// SPDX-License-Identifier: MIT
// rep_detail: the calls whose fields the report's details panel shows, in a
// known order, in the directory argv[1]: an open, reads and an mmap of one
// file, a second file opened on the same fd number after a close, writes of
// 3000 bytes, a pipe on that fd number again (no open event), an anonymous
// mapping, a TCP connect to a loopback listener (accepted), a failed open
// (ENOENT) and a rename whose new name tries to pass for more fields
// (" fd=9 err="EPERM). Prints the listener's port; exits 0 when every call
// did what it should.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

static char buf[4096];

int main(int argc, char **argv)
{
	if (argc != 2 || chdir(argv[1]) != 0)
		return 2;
	memset(buf, 'x', sizeof(buf));
	int fd = open("in.txt", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf) || close(fd) != 0)
		return 1;
	/* in.txt: open, two reads, mmap, close */
	fd = open("in.txt", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, buf, 100) != 100 || read(fd, buf, 1000) != 1000)
		return 1;
	void *m = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED || close(fd) != 0)
		return 1;
	/* out.txt: the same fd number again, two writes of 3000 bytes */
	int fd2 = open("out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd2 != fd || write(fd2, buf, 3000) != 3000 || write(fd2, buf, 3000) != 3000 || close(fd2) != 0)
		return 1;
	/* a pipe takes the fd number again, with no open event of its own */
	int pp[2];
	if (pipe(pp) != 0 || pp[0] != fd || write(pp[1], "hello", 5) != 5 || read(pp[0], buf, 5) != 5 ||
	    close(pp[0]) != 0 || close(pp[1]) != 0)
		return 1;
	void *a = mmap(NULL, 3 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		return 1;
	/* a loopback connection */
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(l, 1) != 0 ||
	    getsockname(l, (struct sockaddr *)&sa, &sl) != 0)
		return 1;
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		return 1;
	int s = accept(l, NULL, NULL);
	if (s < 0 || write(c, "ping", 4) != 4 || read(s, buf, 4) != 4)
		return 1;
	close(s);
	close(c);
	close(l);
	if (open("missing.txt", O_RDONLY) >= 0)
		return 1;
	fd = open("victim", O_WRONLY | O_CREAT, 0600);
	if (fd < 0 || close(fd) != 0 || rename("victim", "evil\" fd=9 err=\"EPERM") != 0)
		return 1;
	printf("port %d\n", ntohs(sa.sin_port));
	return 0;
}
