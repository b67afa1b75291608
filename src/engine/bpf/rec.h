/* SPDX-License-Identifier: MIT */
/*
 * rec: the records the in-kernel program (trace.bpf.c) writes to its ring
 * buffer and src/engine/bpf_run.c reads, and the capture table user space
 * gives the program. Shared by both sides: fixed-width types only, every
 * record 8-byte aligned (doc/BPF.md, 'Records').
 */
#ifndef COMPENDIUM_BPF_REC_H
#define COMPENDIUM_BPF_REC_H

#ifndef __bpf__
#include <linux/types.h>
#endif

#define BREC_SYS 1      /* one syscall (or a run of coalesced reads/writes) */
#define BREC_EXECARGS 2 /* execve's path and argv, read at its entry */
#define BREC_FORK 3     /* a task created by a traced one */
#define BREC_EXEC 4     /* an execve succeeded (sched_process_exec) */
#define BREC_EXIT 5     /* a traced task ended (sched_process_exit) */

#define BCAP_SLOTS 3      /* memory captures per syscall */
#define BCAP_STR_MAX 4096 /* bytes of one string capture, NUL included */
#define BCAP_MEM_MAX 128  /* bytes of one sockaddr capture */
#define BCAP_AREA 16384   /* the data area of a syscall record (a mask: power of two) */
#define BEXEC_AREA 8192   /* path + argv of an execve (a mask: power of two) */
#define BEXEC_ARGS 64     /* argv strings read at most */
#define BPATH_AREA 4096   /* an exe path built from dentries (a mask) */
#define BPATH_DEPTH 40    /* components walked at most */

/* How one capture slot reads memory at a syscall's exit (struct bcap_spec). */
#define BCK_NONE 0
#define BCK_STR 1     /* NUL-terminated string at args[arg] */
#define BCK_FIXED 2   /* size bytes at args[arg] */
#define BCK_LENARG 3  /* args[aux] bytes at args[arg] (at most BCAP_MEM_MAX) */
#define BCK_LENPTR 4  /* *(u32 *)args[aux] bytes at args[arg] (at most BCAP_MEM_MAX) */

struct bcap_spec {
	__u8 kind[BCAP_SLOTS];
	__u8 arg[BCAP_SLOTS];
	__u8 aux[BCAP_SLOTS];
	__u8 size[BCAP_SLOTS];
	__u8 coalesce; /* read/write: runs on one fd become one record */
	__u8 pad[3];
};

#define BCAPF_FAULT 1 /* nothing readable at addr */
#define BCAPF_TRUNC 2 /* the string filled the slot: maybe longer */

struct bcap {
	__u64 addr;
	__u32 len;   /* bytes in the data area */
	__u32 flags; /* BCAPF_* */
};

#define BSYS_NOEXIT 1 /* the task ended inside the call (exit, exit_group, a kill) */
#define BSYS_COMPAT 2 /* i386 numbering (int 0x80) */

struct brec_hdr {
	__u32 type;
	__u32 size; /* of the whole record */
	__u32 tid, tgid;
};

struct brec_sys {
	struct brec_hdr h;
	__u64 t_enter, t_exit; /* CLOCK_MONOTONIC ns */
	__s64 nr;
	__u64 args[6];
	__s64 ret;   /* coalesced: the bytes of every call */
	__u32 calls; /* 1, or the calls of a coalesced run */
	__u16 flags; /* BSYS_* */
	__u16 ncap;
	struct bcap cap[BCAP_SLOTS];
	/* then the captured bytes, each capture padded to 8 */
};

#define BEXA_NOPATH 1    /* the path pointer was NULL or unreadable */
#define BEXA_TRUNC 2     /* argv cut at BEXEC_ARGS strings or BEXEC_AREA bytes */

struct brec_execargs {
	struct brec_hdr h;
	__u64 t;
	__u32 argc;
	__u32 flags;   /* BEXA_* */
	__u32 len;     /* bytes that follow: path NUL argv[0] NUL ... */
	__u32 pad;
};

struct brec_fork {
	struct brec_hdr h; /* the parent */
	__u64 t;
	__u32 child_tid, child_tgid;
	__u64 flags; /* CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_THREAD, CLONE_VFORK as found */
	__s64 nr;    /* the creating syscall (-1: unknown) */
};

struct brec_exec {
	struct brec_hdr h; /* tid: the leader's tid after the exec */
	__u64 t;
	__u32 old_tid;
	__u32 len; /* bytes of the exe path that follow, NUL included (0: unknown) */
};

struct brec_exit {
	struct brec_hdr h;
	__u64 t;
	__u32 exit_code;  /* wait status of the thread (code << 8, or signal | 0x80 core) */
	__u32 group_dead; /* the last thread of its process */
	__u32 group_exit; /* the process ended by exit_group or a fatal signal */
	__u32 group_code; /* its wait status then */
};

#endif
