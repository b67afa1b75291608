/* SPDX-License-Identifier: MIT */
/*
 * procfs: the one reader of /proc files for every layer (the tracer, the
 * page-fault probe, the watch sampler, symbols, the memory map). Everything
 * read from /proc is the traced program's data: parsers never trust it
 * (comm may hold ')' and newlines; maps paths may hold anything).
 */
#ifndef COMPENDIUM_PROCFS_H
#define COMPENDIUM_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Read fd from offset 0 (one pread) into buf, NUL-terminated. Bytes or -errno. */
ssize_t procfs_pread(int fd, char *buf, size_t size);
/* openat(dirfd, name) then procfs_pread. Bytes or -errno. */
ssize_t procfs_readat(int dirfd, const char *name, char *buf, size_t size);
/* Read a whole small file (up to size - 1 bytes), NUL-terminated. Bytes or -errno. */
ssize_t procfs_read_file(const char *path, char *buf, size_t size);
/* /proc/PID/NAME (NAME may hold a '/': "task/123/stat") read whole. Bytes or -errno. */
ssize_t procfs_read(int pid, const char *name, char *buf, size_t size);
/* readlink of /proc/PID/NAME into out, NUL-terminated. Length or -errno. */
ssize_t procfs_link(int pid, const char *name, char *out, size_t size);

/* "/proc/PID/fd/FD" into buf (for statx of the open file); returns buf. */
#define PROCFS_FD_PATH_MAX 48
char *procfs_fd_path(char buf[PROCFS_FD_PATH_MAX], int pid, int fd);
/* What fd of pid is: "/etc/passwd", "pipe:[123]", "socket:[7]". Length or -errno (-ENOENT: not open). */
ssize_t procfs_fd_link(int pid, int fd, char *out, size_t size);
/* The open flags of fd of pid, from /proc/PID/fdinfo/FD ("flags:\t0100002"); -errno on failure. */
long procfs_fd_flags(int pid, int fd);

/* /proc/PID/stat, the fields compendium uses. */
struct procfs_stat {
	int pid, ppid, pgrp, session;
	char state;
	char comm[64];                /* raw bytes between the first '(' and the last ')' */
	size_t comm_len;
	unsigned long flags;          /* PF_* */
	uint64_t minflt, majflt;      /* this task's (or the whole group's, for a process) */
	uint64_t utime, stime;        /* clock ticks */
	long num_threads;
	uint64_t start;               /* starttime, ticks since boot */
	uint64_t vsize;               /* bytes */
	uint64_t rss_pages;
	uint64_t arg_start, arg_end;  /* where argv lives (0 when the kernel hides it) */
};
/* Parse /proc/PID/stat text (split on the last ')'). 0 or -EINVAL. */
int procfs_stat_parse(const char *buf, size_t n, struct procfs_stat *ps);
/* Read and parse /proc/PID/stat. 0, -errno (-ESRCH when empty), or -EINVAL. */
int procfs_stat(int pid, struct procfs_stat *ps);

/*
 * The value after "Name:" in /proc status text (leading blanks skipped);
 * NULL if the line is not there. The value ends at the next newline.
 */
const char *procfs_status_value(const char *text, const char *name);
/* A number from /proc/PID/status ("Tgid", "TracerPid"; base 16 for masks); dflt if unavailable. */
long long procfs_status_num(int pid, const char *name, int base, long long dflt);

/* One line of /proc/PID/maps. path points into the parsed line (not NUL-terminated). */
struct procfs_map {
	uint64_t start, end, offset;
	char perms[5];                /* "r-xp" */
	uint64_t inode;
	const char *path;             /* "" for anonymous mappings; "[heap]", "/usr/lib/..." */
	size_t path_len;
};
/*
 * Parse one maps line of length n (without or with its '\n'). 0 or -EINVAL.
 * A path that ends in " (deleted)" keeps that suffix, as the kernel wrote it.
 */
int procfs_map_parse(const char *line, size_t n, struct procfs_map *m);

#endif
