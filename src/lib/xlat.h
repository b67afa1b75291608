/* SPDX-License-Identifier: MIT */
/*
 * xlat: constant names from the declarative tables in syscalls/ (errno,
 * signals, open/mmap/clone flags, socket families and types, fcntl
 * commands, si_code). All returned strings are static.
 */
#ifndef COMPENDIUM_XLAT_H
#define COMPENDIUM_XLAT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/util.h"

/* One row of a constant table: value, name, optional text (errno/signal messages). */
struct xlat_ent {
	int64_t val;
	const char *name;
	const char *text;
};
struct xlat {
	const struct xlat_ent *e;
	size_t n;
};

/* The tables generated from syscalls/xlat/NAME.xlat. */
extern const struct xlat xt_errno, xt_signals, xt_open_access, xt_open_flags,
	xt_at_flags, xt_mmap_type, xt_mmap_flags, xt_prot, xt_mremap_flags,
	xt_sock_family, xt_sock_type, xt_sock_flags, xt_clone_flags, xt_fcntl_cmd,
	xt_ptrace_req, xt_whence, xt_access_mode, xt_sigprocmask_how, xt_fd_flags,
	xt_sicode_generic, xt_sicode_ill, xt_sicode_fpe, xt_sicode_segv,
	xt_sicode_bus, xt_sicode_trap, xt_sicode_chld, xt_sicode_poll, xt_sicode_sys,
	xt_ipproto, xt_netlink_proto;
extern const struct xlat xt_rename_flags;

/* "ENOENT"; restart codes 512..516 give "ERESTARTSYS" etc.; NULL if unknown. */
const char *xlat_errno_name(int err);
/* "No such file or directory" (strerror-like, restart codes included); NULL if unknown. */
const char *xlat_errno_text(int err);
/* Error number from "ENOENT"; -1 if unknown. */
int xlat_errno_lookup(const char *name);
/* "SIGSEGV", "SIGRTMIN+3"; NULL if unknown. */
const char *xlat_signal_name(int sig);

/* Room for any label below: a name, or "E-2147483648" / "SIG-2147483648". */
#define XLAT_LABEL_MAX 24
/*
 * The one way every sink names an errno or a signal: the table's name, or
 * "E<n>" / "SIG<n>" for a number the tables do not know (written into tmp,
 * which is returned then).
 */
const char *xlat_errno_label(int err, char tmp[XLAT_LABEL_MAX]);
const char *xlat_signal_label(int sig, char tmp[XLAT_LABEL_MAX]);
/* Signal number from "SIGINT", "INT", "SIGRTMIN+2", "RTMIN+2" or "2"; -1 if unknown. */
int xlat_signal_lookup(const char *name);

/* The name of 'val' in table x (first match); NULL if none. */
const char *xlat_name(const struct xlat *x, int64_t val);
/* The value of 'name' in table x; 0 and *found=0 if none. */
int64_t xlat_value(const struct xlat *x, const char *name, int *found);

/*
 * Append the flags of 'val' by name joined with '|' ("O_CREAT|O_TRUNC"):
 * table order, a name whose bits are all set consumes them; leftover bits
 * as one "0x..." term; 0 as "0". Returns the number of terms.
 */
int xlat_flags(struct buf *out, const struct xlat *x, uint64_t val);
/* Append the name of 'val' or, when unknown, 'val' in decimal (hex if 'hex'). */
void xlat_enum(struct buf *out, const struct xlat *x, int64_t val, int hex);

/* "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC": access mode first, then the other flags. */
void xlat_open_flags_str(struct buf *out, uint64_t flags);
/* "r", "w" or "rw" from open flags (an invalid access mode 3 gives "rw"). */
const char *xlat_open_access(uint64_t flags);
/* "rwx" style from PROT_* bits ("---" for PROT_NONE); returns a static string. */
const char *xlat_prot_str(uint64_t prot);
/* "PROT_READ|PROT_WRITE" or "PROT_NONE". */
void xlat_prot_flags(struct buf *out, uint64_t prot);
/* "MAP_PRIVATE|MAP_ANONYMOUS" (mapping type first; MAP_HUGE_* sizes shown). */
void xlat_mmap_flags(struct buf *out, uint64_t flags);
/* "AF_INET"; NULL if unknown. */
const char *xlat_sockfamily(int family);
/* "SOCK_STREAM|SOCK_CLOEXEC" (unknown type in decimal). */
void xlat_socktype(struct buf *out, uint64_t type);
/* "F_SETFD"; NULL if unknown. */
const char *xlat_fcntl_cmd(int cmd);
/* si_code name for signal 'sig' ("SEGV_MAPERR", "SI_USER"); NULL if unknown. */
const char *xlat_sicode(int sig, int code);
/* "CLONE_VM|CLONE_FS|...|SIGCHLD" (the low byte is the exit signal). */
void xlat_clone_flags(struct buf *out, uint64_t flags);

#endif
