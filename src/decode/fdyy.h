/* SPDX-License-Identifier: MIT */
/* fdyy: strace -yy's socket endpoints and device numbers of a tracee's fd (-v lines). */
#ifndef COMPENDIUM_FDYY_H
#define COMPENDIUM_FDYY_H

#include "lib/util.h"

enum fdyy_kind {
	FDYY_NONE,   /* nothing to add: the fd's usual name stands */
	FDYY_SOCKET, /* out holds the socket's whole name: "TCP:[1.2.3.4:5->6.7.8.9:80]" */
	FDYY_DEVICE, /* out holds what follows the path: "char 1:3" */
};

/*
 * Describe fd of thread tid (process pid) as strace -yy does, appending
 * to out. The tracee's fd is read through /proc/TID/fd and, for inet
 * sockets, a duplicate taken with pidfd_getfd.
 */
enum fdyy_kind fdyy_describe(struct buf *out, int pid, int tid, int fd);

#endif
