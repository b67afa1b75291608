/* SPDX-License-Identifier: MIT */
/* report_path: where the report goes, checked before tracing, and the atomic write there. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/atomicfile.h"
#include "lib/msg.h"
#include "lib/util.h"
#include "sinks/report.h"
#include "sinks/report_int.h"

void report_err(const char *path, const char *what, int err)
{
	if (err)
		notemsg("error: --report %s: %s (%s)", path, what, strerror(err));
	else
		notemsg("error: --report %s: %s", path, what);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

char *report_path_target(const char *path, int *err)
{
	struct stat st;
	*err = 0;
	if (!path || !*path) {
		report_err("''", "empty path; give a file name such as trace.html", 0);
		*err = -EINVAL;
		return NULL;
	}
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return xstrdup(path);
		report_err(path, "cannot inspect the path", errno);
		*err = -errno;
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		report_err(path, "is a directory; give a file name inside it, e.g. DIR/trace.html", 0);
		*err = -EISDIR;
		return NULL;
	}
	if (S_ISLNK(st.st_mode)) {
		struct stat tst;
		if (stat(path, &tst) < 0) {
			report_err(path, "is a dangling symbolic link; remove it or choose another name", 0);
			*err = -ENOENT;
			return NULL;
		}
		if (geteuid() == 0) {
			report_err(path, "is a symbolic link; as root compendium does not write through links"
				   " (remove it or choose another name)", 0);
			*err = -ELOOP;
			return NULL;
		}
		if (!S_ISREG(tst.st_mode) || tst.st_uid != geteuid()) {
			report_err(path, "is a symbolic link to something that is not your regular file;"
				   " choose another name", 0);
			*err = -EPERM;
			return NULL;
		}
		char *real = realpath(path, NULL);
		if (!real) {
			report_err(path, "cannot resolve the symbolic link", errno);
			*err = -errno;
			return NULL;
		}
		char *res = xstrdup(real);
		free(real);
		return res;
	}
	if (!S_ISREG(st.st_mode)) {
		report_err(path, "exists and is not a regular file; choose another name", 0);
		*err = -EINVAL;
		return NULL;
	}
	return xstrdup(path);
}

/* Start the temporary file next to target ("DIR/.NAME.PID.XXXXXXXX.tmp"). 0 or -errno. */
static int open_temp(const char *target, unsigned mode, struct atomicfile *af)
{
	char *dir = dir_of(target);
	const char *base = strrchr(target, '/');
	base = base ? base + 1 : target;
	char *prefix = xasprintf("%s/.%s.%ld.", dir, base, (long)getpid());
	int rc = atomicfile_open(af, AT_FDCWD, prefix, ".tmp", mode);
	free(prefix);
	free(dir);
	return rc;
}

/*
 * report_path_target() vets the path itself; a real probe here (a
 * temporary file created and removed) shows permissions, read-only mounts
 * and ACLs, all before any tracing starts.
 */
int report_check_path(const char *path)
{
	int err;
	char *target = report_path_target(path, &err);
	if (!target)
		return err;
	char *dir = dir_of(target);
	struct stat st;
	int rc = 0;
	if (stat(dir, &st) < 0) {
		rc = -errno;
		report_err(path, errno == ENOENT ? "its directory does not exist; create it first"
						 : "cannot reach its directory", errno == ENOENT ? 0 : errno);
	} else if (!S_ISDIR(st.st_mode)) {
		rc = -ENOTDIR;
		report_err(path, "its parent is not a directory", 0);
	} else {
		/* A real probe: permissions, read-only mounts and ACLs all show up here. */
		struct atomicfile af;
		rc = open_temp(target, 0600, &af);
		if (rc < 0)
			report_err(path, "cannot create files in its directory; choose a writable place", -rc);
		else
			atomicfile_abort(&af);
	}
	free(dir);
	free(target);
	return rc;
}

int report_path_write(const char *path, const char *target, unsigned mode, const struct buf *data)
{
	struct atomicfile af;
	int rc = open_temp(target, mode, &af);
	if (rc < 0) {
		report_err(path, "cannot create the temporary file next to it", -rc);
		return rc;
	}
	if ((rc = write_all(atomicfile_fd(&af), data->data, data->len)) < 0) {
		report_err(path, "writing the report failed", -rc);
		atomicfile_abort(&af);
		return rc;
	}
	if ((rc = atomicfile_commit(&af, target, false)) < 0)
		report_err(path, "could not put the report in place", -rc);
	return rc;
}
