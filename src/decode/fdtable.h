/* SPDX-License-Identifier: MIT */
/*
 * fdtable: a traced process's file descriptors as compendium knows them:
 * what each fd refers to (an fd_obj, shared by dup'ed fds like the kernel's
 * struct file) and its close-on-exec flag. Tables are refcounted so threads
 * and CLONE_FILES siblings share one. Fds never seen being created (those
 * inherited from before tracing) are resolved from /proc/PID/fd once, when
 * first asked for.
 */
#ifndef COMPENDIUM_FDTABLE_H
#define COMPENDIUM_FDTABLE_H

#include <stdbool.h>
#include <stdint.h>

enum fd_kind {
	FD_UNKNOWN,
	FD_FILE,     /* regular file, directory, device, tty: path is absolute */
	FD_SOCKET,
	FD_PIPE,     /* also FIFOs opened by path are FD_FILE */
	FD_EVENTFD,
	FD_SIGNALFD,
	FD_TIMERFD,
	FD_EPOLL,
	FD_MEMFD,
	FD_PIDFD,
	FD_INOTIFY,
	FD_ANON      /* other anonymous inodes (fanotify, userfaultfd, perf, io_uring, bpf) */
};

#define FD_R 1u
#define FD_W 2u

/* What an fd refers to; shared (refcounted) between dup'ed and inherited fds. */
struct fd_obj {
	unsigned refs;
	enum fd_kind kind;
	uint8_t access;      /* FD_R | FD_W (0 when unknown or O_PATH) */
	bool resolved;       /* lazy /proc resolution done (or not needed) */
	char *path;          /* FD_FILE: absolute path; else "pipe:[123]", "memfd:x"...; may be NULL */
	int family, socktype;/* FD_SOCKET: AF_*, SOCK_* (0 = unknown) */
	char *peer, *local;  /* FD_SOCKET: "1.2.3.4:80", "[::1]:22", "/run/x.sock", "@abstract" */
	bool peer_loopback;
	bool peer_noise;     /* the peer is a resolver or helper (sockaddr_helper): noise */
	struct dconn_sock *conn; /* FD_SOCKET: its connections (decode_conn.c), NULL if none */
	uint32_t names_gen;  /* FD_FILE: fd_names_gen when path was last known right */
};

/*
 * Directory renames seen so far (fd_names_moved counts them). A name
 * learnt before the latest one (cwd, an fd's path) may lead through a
 * directory that moved: it is read again from /proc when next needed.
 */
extern uint32_t fd_names_gen;
void fd_names_moved(void);
/*
 * The path of FD_FILE o (fd of thread tid) read again from /proc/TID/fd/N
 * when a directory was renamed since it was known (a deleted file keeps
 * the kernel's last name, without " (deleted)"). One readlink per object
 * and rename, none otherwise.
 */
void fd_obj_refresh(struct fd_obj *o, int tid, int fd);

/* A new object with one reference; path is copied (may be NULL). */
struct fd_obj *fd_obj_new(enum fd_kind kind, unsigned access, const char *path);
void fd_obj_unref(struct fd_obj *o);
/* Another reference to o (NULL passes through). */
struct fd_obj *fd_obj_ref(struct fd_obj *o);
/* Replace a string member (o->path, o->peer, o->local) with a copy of s. */
void fd_obj_set(char **member, const char *s);
/*
 * Called when an object with connections (o->conn) loses its last
 * reference (the socket's last fd closed, or its process gone): the
 * decoder emits them and frees o->conn.
 */
void fd_obj_set_release_hook(void (*fn)(struct fd_obj *o));
/*
 * Read the peer and local address of socket fd of process pid into o
 * (pidfd_getfd, getpeername, getsockname), and its family and type.
 * Returns 1 when the socket has a peer (is connected), 0 when it has none,
 * -1 when the socket cannot be reached (then o is unchanged).
 */
int fd_obj_sock_query(struct fd_obj *o, int pid, int fd);
/* Static name of a kind ("file", "socket", "pipe", ...). */
const char *fd_kind_name(enum fd_kind kind);

struct fdtable;

/* An empty table in which every fd is "never seen" (resolved lazily). */
struct fdtable *fdtable_new(void);
/* Another reference (threads, CLONE_FILES). */
struct fdtable *fdtable_ref(struct fdtable *ft);
/* Drop a reference; frees at zero. NULL is a no-op. */
void fdtable_unref(struct fdtable *ft);
/* A private copy (fork, exec or close_range unsharing); objects are shared. */
struct fdtable *fdtable_copy(const struct fdtable *ft);
bool fdtable_shared(const struct fdtable *ft);

/*
 * The object fd refers to, or NULL if fd is closed or unknowable. A
 * never-seen fd is resolved once from /proc/pid/fd (readlink + fdinfo),
 * sockets further through pidfd_getfd; the result is remembered. Borrowed.
 */
struct fd_obj *fdtable_get(struct fdtable *ft, int fd, int pid);
/*
 * Lazy fd naming (filtered runs that do not stop at close, dup, fcntl...):
 * the entry of fd is used only when it still matches what
 * /proc/TID/fd/N shows now: the same "pipe:[ino]", "socket:[ino]", or a
 * path that is the kernel's name or leads to the same inode (statx with
 * cached attributes);
 * otherwise it is rebuilt from that link (and, for a socket, from the
 * socket itself: family, type, peer and local address), without access
 * mode or close-on-exec flag. NULL when the fd is not open or /proc
 * cannot tell. Entries installed or checked at the current stop
 * (fdtable_now) are taken without a second look. Borrowed.
 */
struct fd_obj *fdtable_get_checked(struct fdtable *ft, int fd, int tid);
/*
 * The decoder's current stop (a number that changes at every stop) and,
 * with lazy fd naming, the stopped thread (0 otherwise): objects installed
 * then without a name (pipes, sockets) read theirs from its /proc/TID/fd.
 */
void fdtable_now(uint64_t stamp, int tid);
/* The close-on-exec flag of an open fd (false if unknown). */
bool fdtable_cloexec(const struct fdtable *ft, int fd);
/* Make fd refer to o (takes over the caller's reference), replacing any old object. */
void fdtable_install(struct fdtable *ft, int fd, struct fd_obj *o, bool cloexec);
/* Mark fd closed. */
void fdtable_close(struct fdtable *ft, int fd);
/* newfd = dup of oldfd (dup, dup2, dup3, F_DUPFD*): resolves oldfd lazily first. */
void fdtable_dup(struct fdtable *ft, int oldfd, int newfd, bool cloexec, int pid);
void fdtable_set_cloexec(struct fdtable *ft, int fd, bool cloexec);
/* close_range(first, last) or, with cloexec_only, CLOSE_RANGE_CLOEXEC. */
void fdtable_close_range(struct fdtable *ft, unsigned first, unsigned last, bool cloexec_only);
/* Forget what fd is (an fd installed by a call not decoded): re-resolved lazily. */
void fdtable_forget(struct fdtable *ft, int fd);
/* exec: drop close-on-exec fds. */
void fdtable_exec(struct fdtable *ft);
/* Call fn for every known-open fd in ascending order (never-seen fds are skipped). */
void fdtable_each(struct fdtable *ft, void (*fn)(void *ctx, int fd, struct fd_obj *o, bool cloexec), void *ctx);

#endif
