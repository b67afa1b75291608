/* SPDX-License-Identifier: MIT */
/* procfs: reading and parsing /proc files without trusting their contents. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/procfs.h"
#include "lib/util.h"

ssize_t procfs_pread(int fd, char *buf, size_t size)
{
	ssize_t n;
	do
		n = pread(fd, buf, size - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return n;
}

ssize_t procfs_readat(int dirfd, const char *name, char *buf, size_t size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	ssize_t n = procfs_pread(fd, buf, size);
	close(fd);
	return n;
}

ssize_t procfs_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	size_t got = 0;
	int err = 0;
	while (got + 1 < size) {
		ssize_t n = read(fd, buf + got, size - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return err && !got ? err : (ssize_t)got;
}

ssize_t procfs_read(int pid, const char *name, char *buf, size_t size)
{
	char path[96];
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	return procfs_read_file(path, buf, size);
}

ssize_t procfs_link(int pid, const char *name, char *out, size_t size)
{
	char path[96];
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	ssize_t n = readlink(path, out, size - 1);
	if (n < 0)
		return -errno;
	out[n] = '\0';
	return n;
}

char *procfs_fd_path(char buf[PROCFS_FD_PATH_MAX], int pid, int fd)
{
	snprintf(buf, PROCFS_FD_PATH_MAX, "/proc/%d/fd/%d", pid, fd);
	return buf;
}

ssize_t procfs_fd_link(int pid, int fd, char *out, size_t size)
{
	char path[PROCFS_FD_PATH_MAX];
	ssize_t n = readlink(procfs_fd_path(path, pid, fd), out, size - 1);
	if (n < 0)
		return -errno;
	out[n] = '\0';
	return n;
}

long procfs_fd_flags(int pid, int fd)
{
	char name[48], text[512];
	snprintf(name, sizeof(name), "fdinfo/%d", fd);
	if (procfs_read(pid, name, text, sizeof(text)) <= 0)
		return -EIO;
	const char *v = procfs_status_value(text, "flags");
	if (!v)
		return -EIO;
	return strtol(v, NULL, 8);
}

/* Fields after the comm: " S ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ..." */
int procfs_stat_parse(const char *buf, size_t n, struct procfs_stat *ps)
{
	memset(ps, 0, sizeof(*ps));
	const char *open = memchr(buf, '(', n);
	const char *close = NULL;
	/* comm may contain ')', spaces and newlines: the last ')' ends it */
	for (const char *p = buf + n; p > buf; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (!open || !close || close < open)
		return -EINVAL;
	char *end;
	long pid = strtol(buf, &end, 10);
	if (end == buf || pid <= 0)
		return -EINVAL;
	ps->pid = (int)pid;
	size_t cl = (size_t)(close - open - 1);
	if (cl >= sizeof(ps->comm))
		cl = sizeof(ps->comm) - 1;
	memcpy(ps->comm, open + 1, cl);
	ps->comm[cl] = 0;
	ps->comm_len = cl;

	/* copy the tail so it is NUL-terminated whatever buf was */
	char tail[512];
	size_t tl = (size_t)(buf + n - (close + 1));
	if (tl >= sizeof(tail))
		tl = sizeof(tail) - 1;
	memcpy(tail, close + 1, tl);
	tail[tl] = 0;
	char *p = tail;
	unsigned long long v[52];
	unsigned nv = 0;
	while (*p == ' ')
		p++;
	if (!*p)
		return -EINVAL;
	ps->state = *p++;
	while (nv < ARRAY_SIZE(v)) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		long long x = strtoll(p, &end, 10);
		if (end == p)
			return -EINVAL;
		v[nv++] = (unsigned long long)x;
		p = end;
	}
	/* field k of proc(5) is v[k - 4]: ppid is field 4 */
	if (nv < 21)
		return -EINVAL;
	ps->ppid = (int)v[0];
	ps->pgrp = (int)v[1];
	ps->session = (int)v[2];
	ps->flags = (unsigned long)v[5];
	ps->minflt = v[6];
	ps->majflt = v[8];
	ps->utime = v[10];
	ps->stime = v[11];
	ps->num_threads = (long)v[16];
	ps->start = v[18];
	ps->vsize = v[19];
	ps->rss_pages = v[20];
	/* arg_start, arg_end: fields 48 and 49 (Linux 3.5+) */
	if (nv > 45) {
		ps->arg_start = v[44];
		ps->arg_end = v[45];
	}
	return 0;
}

int procfs_stat(int pid, struct procfs_stat *ps)
{
	char buf[1024];
	ssize_t n = procfs_read(pid, "stat", buf, sizeof(buf));
	if (n <= 0)
		return n < 0 ? (int)n : -ESRCH;
	return procfs_stat_parse(buf, (size_t)n, ps);
}

const char *procfs_status_value(const char *text, const char *name)
{
	size_t nl = strlen(name);
	for (const char *l = text; l && *l; l = strchr(l, '\n')) {
		if (*l == '\n')
			l++;
		if (strncmp(l, name, nl) == 0 && l[nl] == ':') {
			l += nl + 1;
			while (*l == ' ' || *l == '\t')
				l++;
			return l;
		}
	}
	return NULL;
}

long long procfs_status_num(int pid, const char *name, int base, long long dflt)
{
	char buf[4096];
	if (procfs_read(pid, "status", buf, sizeof(buf)) <= 0)
		return dflt;
	const char *v = procfs_status_value(buf, name);
	if (!v)
		return dflt;
	char *end;
	long long x = base == 16 ? (long long)strtoull(v, &end, 16) : strtoll(v, &end, base);
	return end == v ? dflt : x;
}

static const char *hex_field(const char *p, const char *end, uint64_t *out, char stop)
{
	uint64_t v = 0;
	const char *s = p;
	for (; p < end && *p != stop; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
		if (d < 0)
			return NULL;
		v = v << 4 | (unsigned)d;
	}
	if (p == s || p >= end)
		return NULL;
	*out = v;
	return p + 1;
}

/* Skip one blank-separated field; NULL if the line ends first. */
static const char *skip_field(const char *p, const char *end)
{
	while (p < end && *p != ' ')
		p++;
	while (p < end && *p == ' ')
		p++;
	return p < end ? p : NULL;
}

/* "start-end perms offset dev inode   path" */
int procfs_map_parse(const char *line, size_t n, struct procfs_map *m)
{
	const char *end = line + n, *p;
	if (n && end[-1] == '\n')
		end--;
	memset(m, 0, sizeof(*m));
	if (!(p = hex_field(line, end, &m->start, '-')) || !(p = hex_field(p, end, &m->end, ' ')))
		return -EINVAL;
	if (end - p < 5)
		return -EINVAL;
	memcpy(m->perms, p, 4);
	p += 4;
	while (p < end && *p == ' ')
		p++;
	if (!(p = hex_field(p, end, &m->offset, ' ')))
		return -EINVAL;
	if (!(p = skip_field(p, end))) /* dev */
		return -EINVAL;
	const char *digits = p;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		m->inode = m->inode * 10 + (uint64_t)(*p - '0');
	if (p == digits)
		return -EINVAL;
	while (p < end && *p == ' ')
		p++;
	m->path = p;
	m->path_len = (size_t)(end - p);
	return 0;
}
