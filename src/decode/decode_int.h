/* SPDX-License-Identifier: MIT */
/*
 * decode_int: what the decoders (decode_file/net/mem/io.c) share with the
 * dispatcher decode.c: per-process state, the call being decoded, event
 * helpers, tracee path reading. Internal to the decode module.
 */
#ifndef COMPENDIUM_DECODE_INT_H
#define COMPENDIUM_DECODE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "log/evlog.h"
#include "decode/fdtable.h"
#include "decode/memmap.h"
#include "tracee/task.h"
#include "lib/util.h"

struct decode_cfg;

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452 /* newer than the libc headers */
#endif

/* Longest path kept from tracee memory; longer ones are cut and marked "truncated". */
#define DEC_PATH_MAX 4096

/* cwd, shared between CLONE_FS processes. */
struct dec_fs {
	unsigned refs;
	char *cwd; /* absolute; NULL until read lazily from /proc/PID/cwd */
	uint32_t names_gen; /* fd_names_gen when cwd was known right */
};

/* Whether the tracer may read the process's memory (decode_nodump.c). */
enum { DEC_MEM_UNKNOWN, DEC_MEM_OK, DEC_MEM_REFUSED };

struct decode_proc {
	struct fdtable *fds;
	struct dec_fs *fs;
	struct memmap *mm;
	uint8_t mem;     /* DEC_MEM_*: of the process's current image */
	bool mem_warned; /* its refusal was told (once per process) */
};

/* The syscall being decoded at its exit (or entry). */
struct dec_call {
	struct task *t;
	struct proc *p;
	struct decode_proc *dp;
	int nr;             /* native x86_64 number */
	const uint64_t *a;  /* arguments */
	int64_t ret;
	bool failed;        /* ret is -errno (restart codes included) */
	uint64_t t_exit;
	bool emit;          /* the syscall is selected: produce events */
	bool emitted;       /* an event of the call's own type was made (recorded or filtered) */
	const char *name;   /* syscall name */
};

extern struct evlog *dec_log;

/* The decoder state of p, created on first use. */
struct decode_proc *dec_proc(struct proc *p);
/* A new cwd (copied; NULL: read lazily), and dropping a reference. */
struct dec_fs *dec_fs_new(const char *cwd);
void dec_fs_unref(struct dec_fs *fs);
/* The state of child, made from its creator's state pp (NULL: all lazily from /proc). */
void dec_proc_new_from(struct proc *child, struct decode_proc *pp, uint64_t clone_flags);

/* decode_share.c: threads whose fd table or cwd is not their process's. */
/* The state the thread t works with: its own (t->dec) or its process's. */
struct decode_proc *dec_state(struct task *t);
void dec_state_free(struct decode_proc *dp);
/*
 * The call's thread stops sharing its fd table (files) and/or cwd (fs)
 * with the threads and processes it shared them with, as unshare(2) and
 * close_range(CLOSE_RANGE_UNSHARE) do: it keeps a copy. c->dp follows.
 */
void dec_unshare(struct dec_call *c, bool files, bool fs);

/* Start an event of 'type' for call c (t = entry time, pid, tid). */
void dec_ev(struct ev_draft *d, const struct dec_call *c, unsigned type);
/* Finish and append: dur, err when failed, -k stack when asked. */
void dec_emit(struct ev_draft *d, const struct dec_call *c);

/* decode_sel.c: -e status= and -P (set by decode_init). */
void dsel_init(const struct decode_cfg *cfg);
/* At a syscall's entry: note in t->sc.path_hit whether it touches a -P path. */
void dsel_entry(struct task *t);
/* Whether an event of t's call is recorded: its result (finished, failed) by -e status=, and -P. */
bool dsel_shown(const struct task *t, bool finished, bool failed);
/* The same for a connection's outcome record (it names no path: none under -P). */
bool dsel_conn_shown(bool failed);

/* A string read from the tracee. */
struct dec_path {
	char s[DEC_PATH_MAX + 1];
	size_t len;
	bool truncated; /* cut at DEC_PATH_MAX, or memory ended before the NUL */
	bool bad;       /* nothing readable at addr (NULL, garbage): only addr is known */
	uint64_t addr;
};
/* Read a NUL-terminated path at addr (never fails: sets bad). */
void dec_read_path(const struct dec_call *c, uint64_t addr, struct dec_path *out);
/*
 * Make path absolute against dirfd (AT_FDCWD = cwd) into out: the program's
 * string joined to the base, with "//" and "/./" folded; ".." is kept
 * (lexical removal would be wrong across symlinks). Returns false when the
 * base is unknown (out then holds the relative path as given).
 */
bool dec_abs_path(const struct dec_call *c, int dirfd, const char *path, size_t n, struct buf *out);
/*
 * Read the path at addr relative to dirfd and add it as field 'key'
 * (plus "truncated" / "path_addr" when hostile); sets EVFL_NOISE for noise
 * paths. The absolute path is left in 'out' when out is non-NULL.
 */
void dec_add_path(struct ev_draft *d, const struct dec_call *c, unsigned key, int dirfd,
		  uint64_t addr, struct buf *out);
/* Add "fd" and what it is: "path" for files, "desc" otherwise ("pipe:[12]"), noise flag. */
struct fd_obj *dec_add_fd(struct ev_draft *d, const struct dec_call *c, unsigned key, int fd);
/* dec_add_fd with the object already known (o may be NULL: the fd alone). */
struct fd_obj *dec_add_fd_obj(struct ev_draft *d, const struct dec_call *c, unsigned key, int fd,
			      struct fd_obj *o);
/* The fd's object (lazily resolved), NULL if closed/unknown. */
struct fd_obj *dec_fd(const struct dec_call *c, int fd);
/* A path under /proc, /sys, /dev, or a dynamic-linker file. */
bool dec_noise_path(const char *p, size_t n);
/* The description of an object: path, "pipe:[ino]" (resolved lazily), peer... */
const char *dec_obj_desc(const struct dec_call *c, int fd, struct fd_obj *o);

/* The current working directory of the call's process (lazy), or NULL. */
const char *dec_cwd(const struct dec_call *c);
void dec_set_cwd(const struct dec_call *c, const char *path);

/*
 * decode_nodump.c: processes whose memory the tracer may not read. dnd_init
 * hooks tmem's refusals; dnd_stop at every stop (a new process is probed
 * once), dnd_exec at an exec (the new image is probed), dnd_forget when a
 * process is freed. dnd_refused: the call's process refuses its memory;
 * dnd_unknown adds "unknown": "memory not readable" to d when it does (once).
 */
void dnd_init(void);
void dnd_stop(struct task *t);
void dnd_exec(struct proc *p);
void dnd_forget(struct proc *p);
bool dnd_refused(const struct dec_call *c);
void dnd_unknown(struct ev_draft *d, const struct dec_call *c);

/* Flags to text: "O_WRONLY|O_CREAT|0x80000000". */
struct dec_flag {
	uint64_t bit;
	const char *name;
};
void dec_flags(struct buf *b, uint64_t v, const struct dec_flag *tab, size_t n);

/* Exit decoders, one per syscall family (decode_file/net/mem/io.c). */
typedef void (*dec_fn)(struct dec_call *c);

void dfile_open(struct dec_call *c);
void dfile_close_entry(struct dec_call *c);
void dfile_close(struct dec_call *c);
void dfile_close_range(struct dec_call *c);
void dfile_dup(struct dec_call *c);
void dfile_fcntl(struct dec_call *c);
void dfile_pipe(struct dec_call *c);
void dfile_newfd(struct dec_call *c);
void dfile_chdir_entry(struct dec_call *c);
void dfile_chdir(struct dec_call *c);
void dfile_unshare(struct dec_call *c);
void dfile_rename_entry(struct dec_call *c);
void dfile_fschange(struct dec_call *c);

void dnet_socket(struct dec_call *c);
void dnet_socketpair(struct dec_call *c);
void dnet_connect(struct dec_call *c);
void dnet_bind(struct dec_call *c);
void dnet_listen(struct dec_call *c);
void dnet_accept(struct dec_call *c);
void dnet_sendrecv(struct dec_call *c);
void dnet_getsockopt(struct dec_call *c);

/* Connections (decode_conn.c): the "conn" events. */
struct sockaddr_info;
/* connect(fd) to a (NULL when unreadable) returned; o is the socket (NULL if unknown). */
void dconn_connect(struct dec_call *c, int fd, struct fd_obj *o, const struct sockaddr_info *a);
/* accept returned fd, the socket o, from listening socket lo (may be NULL). */
void dconn_accept(struct dec_call *c, int fd, struct fd_obj *o, const struct fd_obj *lo);
/*
 * A send/recv/read/write on socket o moved 'bytes' (or failed): counted on its
 * connection, resolving a pending connect. 'peer' is a sendto/recvfrom address.
 */
void dconn_io(struct dec_call *c, int fd, struct fd_obj *o, bool write, int64_t bytes, const char *peer,
	      bool noise);
/* The socket's last call seen at t (close). */
void dconn_touch(struct fd_obj *o, uint64_t t);
/* The release hook of fd objects (fd_obj_set_release_hook): emit what is left. */
void dconn_release(struct fd_obj *o);

void dmem_mmap(struct dec_call *c);
void dmem_munmap(struct dec_call *c);
void dmem_mprotect(struct dec_call *c);
void dmem_mremap(struct dec_call *c);
void dmem_brk(struct dec_call *c);

void dio_rw(struct dec_call *c);
void dio_transfer(struct dec_call *c);
/*
 * One read/write (or send/recv when fd is a socket or 'sock' is set) event
 * for fd moving 'bytes' (ignored when the call failed). 'peer' overrides the
 * socket's connected peer (sendto/recvfrom addresses); 'peer_noise' says it is
 * a resolver or helper (sockaddr_helper). Counted on the socket's connection.
 */
void dio_event(struct dec_call *c, int fd, bool write, int64_t bytes, bool sock, const char *peer,
	       bool peer_noise);

#endif
