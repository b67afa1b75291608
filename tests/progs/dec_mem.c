// SPDX-License-Identifier: MIT
// Exact memory syscalls with known sizes for the decode tests; prints addresses (hex) and sizes.
// Usage: dec_mem DIR   (a file DIR/map.bin is created and mapped)
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	setvbuf(stdout, NULL, _IONBF, 0);
	long pg = sysconf(_SC_PAGESIZE);
	char *a = (char *)syscall(SYS_mmap, 0, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap %lx %ld\n", (unsigned long)a, 3 * pg);
	memset(a, 1, (size_t)(3 * pg));
	char *b = (char *)syscall(SYS_mremap, a, 3 * pg, 5 * pg, MREMAP_MAYMOVE, 0);
	printf("mremap %lx %ld\n", (unsigned long)b, 5 * pg);
	printf("mprotect %ld\n", (long)syscall(SYS_mprotect, b, pg, PROT_READ));
	printf("munmap %ld\n", (long)syscall(SYS_munmap, b, 5 * pg));

	char path[256];
	snprintf(path, sizeof(path), "%s/map.bin", argv[1]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[8192];
	memset(buf, 7, sizeof(buf));
	write(fd, buf, sizeof(buf));
	char *f = (char *)syscall(SYS_mmap, 0, 8192, PROT_READ, MAP_SHARED, fd, 0);
	printf("filemap %lx %d\n", (unsigned long)f, fd);
	long r = syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_SHARED, 999, 0);
	printf("badmap %ld\n", r);

	unsigned long cur = (unsigned long)syscall(SYS_brk, 0);
	unsigned long grown = (unsigned long)syscall(SYS_brk, cur + 65536);
	unsigned long shrunk = (unsigned long)syscall(SYS_brk, cur + 4096);
	printf("brk %lx %lx %lx\n", cur, grown, shrunk);
	return 0;
}
