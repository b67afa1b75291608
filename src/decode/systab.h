/* SPDX-License-Identifier: MIT */
/*
 * systab: the syscall tables generated from syscalls/ARCH.tbl (x86_64 and
 * i386): names, categories, argument types. Static data; nothing to free.
 */
#ifndef COMPENDIUM_SYSTAB_H
#define COMPENDIUM_SYSTAB_H

#include <stdint.h>

#include "log/evlog.h"

/* Words of a bitmap over x86_64 syscall numbers (-e trace=, the seccomp stop set). */
#define SC_BITMAP_WORDS 8 /* 512 syscalls */

/* A class mask bit: SYSC(FILE) == 1u << EVC_FILE (classes are event categories). */
#define SYSC(c) (1u << EVC_##c)
/*
 * Classes that only select (strace's %creds, %clock, %stat, %lstat, %fstat,
 * %%stat, %statfs, %fstatfs, %%statfs, %pure): bits above the event
 * categories, never an event's category. SYSX(CREDS) == 1u << SYSX_CREDS.
 */
enum sysx_class {
	SYSX_CREDS = 16, SYSX_CLOCK, SYSX_STAT, SYSX_LSTAT, SYSX_FSTAT, SYSX_STAT_LIKE,
	SYSX_STATFS, SYSX_FSTATFS, SYSX_STATFS_LIKE, SYSX_PURE
};
#define SYSX(c) (1u << SYSX_##c)
_Static_assert((int)EVC__COUNT <= (int)SYSX_CREDS, "event categories overlap the selection-only classes");
/* Every event-category class -e trace= knows. */
#define SYSC_ALL (SYSC(PROCESS) | SYSC(FILE) | SYSC(NETWORK) | SYSC(MEMORY) | SYSC(IO) | \
		  SYSC(SIGNAL) | SYSC(IPC) | SYSC(DESC))
/* Every selection-only class. */
#define SYSX_ALL (((1u << (SYSX_PURE + 1)) - 1) & ~((1u << SYSX_CREDS) - 1))

/* Argument types of syscalls/ARCH.tbl (keep in step with ARGTYPES in syscalls/gen.sh). */
enum sys_argtype {
	SAT_INT,         /* int, signed decimal (32 bits) */
	SAT_UINT,        /* unsigned int, decimal (32 bits) */
	SAT_LONG,        /* long, signed decimal */
	SAT_ULONG,       /* unsigned long, decimal */
	SAT_HEX,         /* flags or opaque value: 0x... */
	SAT_PTR,         /* pointer: NULL or 0x... */
	SAT_FD,          /* file descriptor, annotated with what it is */
	SAT_DIRFD,       /* fd or AT_FDCWD */
	SAT_PATH,        /* NUL-terminated path in tracee memory */
	SAT_STR,         /* NUL-terminated string in tracee memory */
	SAT_SIZE,        /* size_t, decimal */
	SAT_OFFSET,      /* off_t, signed decimal */
	SAT_OPENFLAGS,   /* O_RDONLY|O_CLOEXEC... */
	SAT_OPENMODE,    /* mode, shown only when the open flags create (O_CREAT, O_TMPFILE) */
	SAT_MODE,        /* permission bits, octal */
	SAT_PROT,        /* PROT_READ|PROT_WRITE or PROT_NONE */
	SAT_MMAPFLAGS,   /* MAP_PRIVATE|MAP_ANONYMOUS */
	SAT_MREMAPFLAGS, /* MREMAP_MAYMOVE */
	SAT_SIGNAL,      /* SIGTERM */
	SAT_SIGSET,      /* pointer to a sigset: [INT TERM] */
	SAT_SIGHOW,      /* SIG_BLOCK... */
	SAT_SOCKADDR,    /* pointer to a sockaddr, length in argument aux */
	SAT_SOCKADDR_OUT,/* sockaddr filled by the call, length pointer in argument aux */
	SAT_SOCKLEN,     /* socklen_t, decimal */
	SAT_SOCKLENP,    /* pointer to a socklen_t: [16] */
	SAT_SOCKFAMILY,  /* AF_INET */
	SAT_SOCKTYPE,    /* SOCK_STREAM|SOCK_CLOEXEC */
	SAT_CLONEFLAGS,  /* CLONE_VM|CLONE_FS|...|SIGCHLD */
	SAT_FCNTLCMD,    /* F_SETFD */
	SAT_FCNTLARG,    /* fcntl's third argument, decoded by the command */
	SAT_ATFLAGS,     /* AT_SYMLINK_NOFOLLOW... */
	SAT_BUF_IN,      /* bytes the call reads; length in argument aux */
	SAT_BUF_OUT,     /* bytes the call writes; length = return value */
	SAT_IOVEC_IN,    /* struct iovec array the call reads; count in argument aux */
	SAT_IOVEC_OUT,   /* struct iovec array the call fills; count in argument aux */
	SAT_PID,         /* pid, signed decimal */
	SAT_UID,         /* uid, decimal (-1 as -1) */
	SAT_GID,         /* gid, decimal (-1 as -1) */
	SAT_STRV,        /* NULL-terminated array of strings (argv, envp) */
	SAT_INTP,        /* pointer to an int filled by the call: [0] */
	SAT_FDPAIR,      /* int[2] filled by the call: [3, 4] */
	SAT_WHENCE,      /* SEEK_SET... */
	SAT_ACCMODE,     /* F_OK or R_OK|W_OK|X_OK */
	SAT_TIMESPEC,    /* pointer to struct timespec: {tv_sec=1, tv_nsec=0} */
	SAT_OFLAGS,      /* O_* flags without an access mode (pipe2, dup3): O_CLOEXEC or 0 */
	SAT_CLOSEFD,     /* an fd the call closes or replaces: annotated as it was at entry */
	SAT_ENUM,        /* enum:TABLE: the name of the value in xlat/TABLE.xlat, else decimal */
	SAT_FLAGS,       /* flags:TABLE: bits by name from xlat/TABLE.xlat, rest as 0x... */
	SAT_SOCKPROTO,   /* socket protocol, by the family in argument 0 (IPPROTO_TCP, NETLINK_ROUTE) */
	SAT_WSTATUS,     /* int *wstatus filled by wait4: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}] */
	SAT__COUNT
};

/* Return types (keep in step with RETTYPES in syscalls/gen.sh). */
enum sys_rettype {
	SRET_INT,    /* decimal */
	SRET_LONG,
	SRET_ULONG,
	SRET_HEX,    /* 0x... */
	SRET_ADDR,   /* an address (mmap, brk): 0x... */
	SRET_FD,     /* a new descriptor, annotated */
	SRET_SIZE,   /* a byte count */
	SRET_OFF,    /* a file offset */
	SRET_PID,
	SRET_UID,
	SRET_GID,
	SRET_MODE,   /* octal (umask) */
	SRET_NONE,   /* does not return (exit, exit_group): "= ?" */
	SRET_SIGRET, /* rt_sigreturn: the restored rax, not an error code */
	SRET__COUNT
};

struct xlat;

struct sysarg {
	uint8_t type;          /* enum sys_argtype */
	uint8_t aux;           /* index of a related argument (length, count), or 0 */
	const struct xlat *x;  /* the constant table of SAT_ENUM / SAT_FLAGS, else NULL */
};

/* One syscall as described by its table row. */
struct sysent {
	const char *name;
	unsigned classes;      /* SYSC() mask */
	uint8_t ret;           /* enum sys_rettype */
	uint8_t nargs;         /* 0..6 */
	struct sysarg args[6];
};

/* Name of syscall nr of 'arch' (AUDIT_ARCH_*); NULL if out of range or unknown. */
const char *systab_name(uint32_t arch, int64_t nr);

/*
 * The table row of syscall nr of 'arch' (AUDIT_ARCH_X86_64 or
 * AUDIT_ARCH_I386); NULL for any other arch, any number outside the table
 * (negative, x32-flagged, huge) or a hole in it. The tracee chooses nr.
 */
const struct sysent *systab_get(uint32_t arch, int64_t nr);

/* The x86_64 number of syscall 'name', or -1. */
int systab_lookup(const char *name);

/* The x86_64 number of the syscall of 'arch' with the same name (or x86_64 twin, e.g. i386 stat64 -> stat), or -1. */
int64_t systab_native_nr(uint32_t arch, int64_t nr);

/* Set in 'bitmap' (SC_BITMAP_WORDS words) the x86_64 numbers in any class of class_mask. */
void systab_class_bitmap(unsigned class_mask, uint64_t *bitmap);

/* Number of slots of the table of 'arch' (highest number + 1); 0 for an unknown arch. */
unsigned systab_size(uint32_t arch);

#endif
