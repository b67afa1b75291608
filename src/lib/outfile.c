/* SPDX-License-Identifier: MIT */
/* outfile: streaming output files opened without following links (doc/SAFETY.md, 'Output files'). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/msg.h"
#include "lib/outfile.h"
#include "lib/util.h"

#define OUT_FLAGS (O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)

/* Whether path's directory is sticky and writable by others (like /tmp). */
static bool in_shared_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xasprintf("%.*s", (int)(slash == path ? 1 : slash - path), path) : xstrdup(".");
	struct stat st;
	bool shared = stat(dir, &st) == 0 && (st.st_mode & S_ISVTX) && (st.st_mode & (S_IWGRP | S_IWOTH));
	free(dir);
	return shared;
}

static int fail(int fd, int err, const char **why, const char *text)
{
	if (fd >= 0)
		close(fd);
	*why = text;
	return -err;
}

int outfile_open(const char *path, const char **why)
{
	struct stat st;
	*why = "cannot open for writing";
	/* O_NONBLOCK only for the open: a FIFO without a reader fails at once (ENXIO) */
	int fd = open(path, OUT_FLAGS | O_NONBLOCK, 0600);
	if (fd < 0 && errno == ENXIO) {
		notemsg("%s is a FIFO with no reader yet; waiting for one (Ctrl-C to give up)", path);
		fd = open(path, OUT_FLAGS, 0600);
	}
	if (fd < 0) {
		int err = errno;
		if (err == ELOOP && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			return fail(-1, err, why, "is a symbolic link; compendium does not write through one "
						  "(remove it, or give the path of the file it points to)");
		if (err == EISDIR)
			return fail(-1, err, why, "is a directory; give a file name");
		return fail(-1, err, why, "cannot open for writing");
	}
	if (fstat(fd, &st) < 0)
		return fail(fd, errno, why, "cannot stat it");
	if (S_ISREG(st.st_mode)) {
		/*
		 * Someone else's file in /tmp or the like: writing the trace into it
		 * would hand them what was traced (fs.protected_regular's rule, kept
		 * whatever that sysctl says).
		 */
		if (st.st_uid != geteuid() && in_shared_dir(path))
			return fail(fd, EPERM, why, "belongs to another user in a shared sticky directory; "
						    "remove it or choose another name");
		if (st.st_size && ftruncate(fd, 0) < 0)
			return fail(fd, errno, why, "cannot truncate it");
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		return fail(fd, errno, why, "cannot set it blocking");
	return fd;
}
