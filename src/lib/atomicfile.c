/* SPDX-License-Identifier: MIT */
/* atomicfile: temporary file in the final directory, fsync, rename, fsync the directory. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/atomicfile.h"
#include "lib/util.h"

int atomicfile_open(struct atomicfile *af, int dirfd, const char *prefix, const char *suffix,
		    mode_t mode)
{
	*af = (struct atomicfile){.dirfd = dirfd, .fd = -1};
	int err = -EEXIST;
	for (int i = 0; i < 100 && err == -EEXIST; i++) {
		unsigned r = 0;
		if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
			r = (unsigned)(now_ns() ^ (uint64_t)getpid() << 20 ^ (uint64_t)i * 2654435761u);
		char *tmp = xasprintf("%s%08x%s", prefix, r, suffix);
		int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 07777);
		if (fd < 0) {
			err = -errno;
			free(tmp);
			continue;
		}
		if (fchmod(fd, mode & 07777) < 0) {
			err = -errno;
			close(fd);
			unlinkat(dirfd, tmp, 0);
			free(tmp);
			return err;
		}
		af->fd = fd;
		af->tmp = tmp;
		return 0;
	}
	return err;
}

int atomicfile_fd(const struct atomicfile *af)
{
	return af->fd;
}

int atomicfile_commit(struct atomicfile *af, const char *name, bool noreplace)
{
	int rc = 0;
	if (af->fd >= 0) {
		if (fsync(af->fd) < 0)
			rc = -errno;
		if (close(af->fd) < 0 && !rc)
			rc = -errno;
		af->fd = -1;
		if (rc)
			goto fail;
	}
	if (!af->tmp)
		return -EINVAL;
	if (renameat2(af->dirfd, af->tmp, af->dirfd, name, noreplace ? RENAME_NOREPLACE : 0) < 0) {
		rc = -errno;
		if (noreplace && rc == -EEXIST)
			return rc;
		goto fail;
	}
	free(af->tmp);
	af->tmp = NULL;
	/* the rename itself is durable once the directory is synced */
	const char *slash = strrchr(name, '/');
	char *dir = slash ? xstrndup(name, slash == name ? 1 : (size_t)(slash - name)) : NULL;
	int dfd = openat(af->dirfd, dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (dfd >= 0) {
		if (fsync(dfd) < 0)
			rc = -errno;
		close(dfd);
	}
	return rc;
fail:
	atomicfile_abort(af);
	return rc;
}

void atomicfile_abort(struct atomicfile *af)
{
	if (af->fd >= 0)
		close(af->fd);
	af->fd = -1;
	if (af->tmp)
		unlinkat(af->dirfd, af->tmp, 0);
	free(af->tmp);
	af->tmp = NULL;
}
