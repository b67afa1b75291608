/* SPDX-License-Identifier: MIT */
/* util: allocation that never returns NULL, growable byte buffers, messages. */
#ifndef COMPENDIUM_UTIL_H
#define COMPENDIUM_UTIL_H

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define NORETURN __attribute__((noreturn))

/* Allocation: abort with a message on out-of-memory; callers never check. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

/*
 * A growable byte buffer. Zero-initialise (struct buf b = {0}) to use;
 * buf_free() releases it. data is always NUL-terminated after any append
 * (the NUL is not counted in len) once something was appended.
 */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};
void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
/* "0x%llx" of v, without printf's cost (addresses are many). */
void buf_addhex(struct buf *b, uint64_t v);
void buf_printf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* Hand the contents to the caller (who frees them); the buffer is reset. */
char *buf_steal(struct buf *b);

/* Program name used as the prefix of every message ("compendium"). */
extern const char *util_progname;

/* Monotonic clock in nanoseconds. */
uint64_t now_ns(void);

/* write() the whole buffer, retrying on EINTR and short writes. 0 or -errno. */
int write_all(int fd, const void *p, size_t n);

/* Count the entries of d other than "." and ".." (and dot files), then closedir(d). */
long count_dir_entries(DIR *d);

/* Parse a decimal integer in [min, max]; 0 on success, -EINVAL/-ERANGE. */
int parse_ll(const char *s, long long min, long long max, long long *out);

#endif
