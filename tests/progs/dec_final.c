// SPDX-License-Identifier: MIT
// Files as they end up on disk: written under one name and renamed or linked
// to another, written and deleted, O_TMPFILE files linked into place (both
// linkat forms), one never linked. Prints one "key value..." line per case.
// Usage: dec_final DIR   (DIR holds "target.txt" and "old.txt"; the program chdirs into it)
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static unsigned long ino_of(int fd)
{
	struct stat st;
	return fstat(fd, &st) ? 0 : (unsigned long)st.st_ino;
}

/* What /proc calls fd now (the kernel's name, as strace -y shows it). */
static void show_link(const char *key, int fd)
{
	char l[64], name[4096];
	snprintf(l, sizeof(l), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(l, name, sizeof(name) - 1);
	name[n > 0 ? n : 0] = 0;
	printf("%s %s\n", key, name);
}

static int put(const char *name, const char *data)
{
	int fd = (int)syscall(SYS_openat, AT_FDCWD, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0 && syscall(SYS_write, fd, data, strlen(data)) != (long)strlen(data))
		return -1;
	return fd;
}

int main(int argc, char **argv)
{
	if (argc != 2 || chdir(argv[1]))
		return 2;
	setvbuf(stdout, NULL, _IONBF, 0);

	/* written under a temporary name, renamed over an existing file */
	int fd = put("target.txt.tmp", "new contents");
	syscall(SYS_close, fd);
	printf("rename %ld\n", (long)syscall(SYS_rename, "target.txt.tmp", "target.txt"));

	/* written and deleted */
	fd = put("scratch.tmp", "scratch");
	syscall(SYS_close, fd);
	printf("unlink %ld\n", (long)syscall(SYS_unlink, "scratch.tmp"));

	/* deleted while open, written again: the kernel names it "... (deleted)" */
	fd = put("open-deleted.tmp", "abc");
	syscall(SYS_unlinkat, AT_FDCWD, "open-deleted.tmp", 0);
	printf("write_deleted %ld\n", (long)syscall(SYS_write, fd, "defg", 4));
	syscall(SYS_close, fd);

	/* renamed while open, written again under the new name */
	fd = put("moving.part", "12345");
	syscall(SYS_renameat, AT_FDCWD, "moving.part", AT_FDCWD, "moved.txt");
	printf("write_moved %ld\n", (long)syscall(SYS_write, fd, "678", 3));
	syscall(SYS_close, fd);

	/* O_TMPFILE linked with linkat(fd, "", ..., AT_EMPTY_PATH) */
	fd = (int)syscall(SYS_openat, AT_FDCWD, ".", O_RDWR | O_TMPFILE, 0600);
	printf("tmpfile1 %d %lu\n", fd, ino_of(fd));
	syscall(SYS_write, fd, "linked by fd", 12);
	printf("linkat_empty %ld\n",
	       (long)syscall(SYS_linkat, fd, "", AT_FDCWD, "linked-empty.txt", AT_EMPTY_PATH));
	show_link("tmpfile1_after", fd);
	syscall(SYS_close, fd);

	/* O_TMPFILE linked through /proc/self/fd/N */
	fd = (int)syscall(SYS_open, ".", O_WRONLY | O_TMPFILE, 0600);
	printf("tmpfile2 %d %lu\n", fd, ino_of(fd));
	syscall(SYS_write, fd, "linked by /proc", 15);
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	printf("linkat_proc %ld\n",
	       (long)syscall(SYS_linkat, AT_FDCWD, proc, AT_FDCWD, "linked-proc.txt", AT_SYMLINK_FOLLOW));
	show_link("tmpfile2_after", fd);
	syscall(SYS_close, fd);

	/* O_TMPFILE never linked: gone at close */
	fd = (int)syscall(SYS_openat, AT_FDCWD, ".", O_RDWR | O_TMPFILE, 0600);
	printf("tmpfile3 %d %lu\n", fd, ino_of(fd));
	show_link("tmpfile3_name", fd);
	syscall(SYS_write, fd, "never linked", 12);
	char back[4];
	syscall(SYS_pread64, fd, back, sizeof(back), 0);
	syscall(SYS_close, fd);

	/* git's way: write tmp_obj, link it to its final name, unlink the temporary name */
	fd = put("tmp_obj_abc", "object");
	syscall(SYS_close, fd);
	syscall(SYS_link, "tmp_obj_abc", "0d8a47");
	printf("obj_unlink %ld\n", (long)syscall(SYS_unlink, "tmp_obj_abc"));

	/* renameat2 RENAME_EXCHANGE: the two names swap files */
	fd = put("swap-a", "aaaa");
	syscall(SYS_close, fd);
	fd = put("swap-b", "bb");
	syscall(SYS_close, fd);
	printf("exchange %ld\n",
	       (long)syscall(SYS_renameat2, AT_FDCWD, "swap-a", AT_FDCWD, "swap-b", 2 /* RENAME_EXCHANGE */));

	/* a file that was there before, deleted */
	printf("unlink_old %ld\n", (long)syscall(SYS_unlink, "old.txt"));
	return 0;
}
