// SPDX-License-Identifier: MIT
// tables_calls: a fixed sequence of syscalls whose strace -v-style text is known, for comparing
// compendium -v with strace on the same run. Works in the current directory.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
	static const char msg[] = "line1\nESC\x1b[31m tab\t quote\" bs\\ \xff\xfe end";
	int fd = openat(AT_FDCWD, "tc_out.txt", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	write(fd, msg, sizeof(msg) - 1);
	struct iovec iov[2] = { { (void *)"ab", 2 }, { (void *)"cde", 3 } };
	writev(fd, iov, 2);
	lseek(fd, 0, SEEK_SET);
	close(fd);
	openat(AT_FDCWD, "tc_missing\n<name>", O_RDONLY);
	fd = open("tc_out.txt", O_RDONLY);
	char buf[16];
	read(fd, buf, 5);
	int fd2 = dup3(fd, 10, O_CLOEXEC);
	fcntl(fd2, F_GETFD);
	fcntl(fd2, F_SETFD, FD_CLOEXEC);
	fcntl(fd, F_GETFL);
	close(fd2);
	close(fd);
	int p[2];
	pipe2(p, O_CLOEXEC);
	close(p[0]);
	close(p[1]);
	mkdir("tc_dir", 0755);
	rename("tc_dir", "tc_dir2");
	rmdir("tc_dir2");
	unlink("tc_out.txt");
	access("/nonexistent/x", R_OK | X_OK);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(1) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	connect(s, (struct sockaddr *)&a, sizeof(a));
	close(s);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(0, 0);
	syscall(SYS_getppid);
	syscall(-1L, 1, 2, 3, 4, 5, 6);
	syscall(0x7fffffffL, 0, 0, 0, 0, 0, 0);
	return 0;
}
