// SPDX-License-Identifier: MIT
// Hostile paths for the decode tests: file names with newlines, ESC sequences,
// </script>, U+2028, C1 and invalid UTF-8; NULL, garbage and kernel pointers;
// a path ending at an unmapped page; a 1 MB path. Prints each case's result.
// Usage: dec_hostile DIR
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *const names[] = {
	"new\nline", "esc\033]0;pwned\007\033[2Jx", "</script><script>alert(1)</script>",
	"ls\xe2\x80\xa8ps", "bad\xff\xfeutf8", "c1\xc2\x9b" "31m", "rtl\xe2\x80\xae" "exe.txt", "back\\slash",
};

int main(int argc, char **argv)
{
	if (argc != 2 || chdir(argv[1]))
		return 2;
	setvbuf(stdout, NULL, _IONBF, 0);
	for (unsigned i = 0; i < sizeof(names) / sizeof(*names); i++) {
		int fd = (int)syscall(SYS_openat, AT_FDCWD, names[i], O_WRONLY | O_CREAT, 0600);
		printf("name %u %d ", i, fd);
		for (const char *p = names[i]; *p; p++)
			printf("%02x", (unsigned char)*p);
		printf("\n");
		close(fd);
	}
	long r = syscall(SYS_openat, AT_FDCWD, NULL, O_RDONLY);
	printf("null %ld %d\n", r, errno);
	r = syscall(SYS_openat, AT_FDCWD, (char *)1, O_RDONLY);
	printf("one %ld %d\n", r, errno);
	r = syscall(SYS_openat, AT_FDCWD, (char *)0xffff880000001000ul, O_RDONLY);
	printf("kernel %ld %d\n", r, errno);

	/* "edge" written in the last 4 bytes of a page whose successor is unmapped */
	long pg = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(m + pg, pg);
	memcpy(m + pg - 4, "edge", 4);
	r = syscall(SYS_openat, AT_FDCWD, m + pg - 4, O_RDONLY);
	printf("edge %ld %d\n", r, errno);

	size_t big = 1 << 20;
	char *s = malloc(big + 1);
	memset(s, 'A', big);
	s[big] = 0;
	r = syscall(SYS_openat, AT_FDCWD, s, O_RDONLY);
	printf("huge %ld %d\n", r, errno);
	r = syscall(SYS_mkdir, s, 0755);
	printf("huge_mkdir %ld %d\n", r, errno);
	return 0;
}
