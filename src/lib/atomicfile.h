/* SPDX-License-Identifier: MIT */
/*
 * atomicfile: a file that appears whole or not at all. It is written under
 * a fresh temporary name in its final directory (created with O_EXCL and
 * O_NOFOLLOW, so nothing planted there is followed or reused), synced, and
 * renamed into place; the directory is synced after the rename. A reader
 * never sees a half-written file under the final name.
 */
#ifndef COMPENDIUM_ATOMICFILE_H
#define COMPENDIUM_ATOMICFILE_H

#include <stdbool.h>
#include <sys/types.h>

struct atomicfile {
	int dirfd;  /* borrowed: the directory (AT_FDCWD for the cwd) */
	int fd;     /* the temporary file, -1 once closed */
	char *tmp;  /* owned: its name, relative to dirfd */
};

/*
 * Create the temporary file "<prefix><8 hex digits><suffix>" in dirfd with
 * exactly mode (fchmod: not filtered through the umask). prefix may hold a
 * directory part when dirfd is AT_FDCWD. 0 or -errno; on failure nothing
 * is left behind.
 */
int atomicfile_open(struct atomicfile *af, int dirfd, const char *prefix, const char *suffix,
		    mode_t mode);
/* The temporary file's descriptor, to write to. */
int atomicfile_fd(const struct atomicfile *af);
/*
 * Sync and close the temporary file, rename it to name (relative to
 * dirfd), sync the directory. With noreplace the rename fails with -EEXIST
 * when name exists, and the temporary file is kept so that the caller can
 * try another name or atomicfile_abort(). Any other failure removes the
 * temporary file. 0 or -errno.
 */
int atomicfile_commit(struct atomicfile *af, const char *name, bool noreplace);
/* Remove the temporary file (when still there) and free; safe after commit. */
void atomicfile_abort(struct atomicfile *af);

#endif
