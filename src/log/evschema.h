/* SPDX-License-Identifier: MIT */
/*
 * evschema: the names of event types, categories and fields of the event log.
 * These names are the JSON Lines contract (see man/compendium.1): keep them,
 * add new ones at the end of a list, never rename.
 */
#ifndef COMPENDIUM_EVSCHEMA_H
#define COMPENDIUM_EVSCHEMA_H

/* X(ident, "json name") */
#define EV_CATS(X)                 \
	X(PROCESS, "process")      \
	X(FILE, "file")            \
	X(NETWORK, "network")      \
	X(MEMORY, "memory")        \
	X(IO, "io")                \
	X(SIGNAL, "signal")        \
	X(IPC, "ipc")              \
	X(DESC, "desc")            \
	X(FAULT, "fault")          \
	X(SYSTEM, "system")        \
	X(OTHER, "other")

/* X(ident, "json name", default category) */
#define EV_TYPES(X)                           \
	X(SPAWN, "spawn", PROCESS)            \
	X(EXEC, "exec", PROCESS)              \
	X(EXIT, "exit", PROCESS)              \
	X(SIGNAL, "signal", SIGNAL)           \
	X(STOP, "stop", SIGNAL)               \
	X(CONT, "cont", SIGNAL)               \
	X(ATTACH, "attach", PROCESS)          \
	X(DETACH, "detach", PROCESS)          \
	X(WARNING, "warning", OTHER)          \
	X(SYSCALL, "syscall", OTHER)          \
	X(OPEN, "open", FILE)                 \
	X(CLOSE, "close", DESC)               \
	X(READ, "read", IO)                   \
	X(WRITE, "write", IO)                 \
	X(SEND, "send", NETWORK)              \
	X(RECV, "recv", NETWORK)              \
	X(SOCKET, "socket", NETWORK)          \
	X(CONNECT, "connect", NETWORK)        \
	X(ACCEPT, "accept", NETWORK)          \
	X(BIND, "bind", NETWORK)              \
	X(LISTEN, "listen", NETWORK)          \
	X(MMAP, "mmap", MEMORY)               \
	X(MUNMAP, "munmap", MEMORY)           \
	X(MPROTECT, "mprotect", MEMORY)       \
	X(MREMAP, "mremap", MEMORY)           \
	X(BRK, "brk", MEMORY)                 \
	X(UNLINK, "unlink", FILE)             \
	X(RENAME, "rename", FILE)             \
	X(MKDIR, "mkdir", FILE)               \
	X(RMDIR, "rmdir", FILE)               \
	X(SYMLINK, "symlink", FILE)           \
	X(LINK, "link", FILE)                 \
	X(CHMOD, "chmod", FILE)               \
	X(CHOWN, "chown", FILE)               \
	X(TRUNCATE, "truncate", FILE)         \
	X(UTIMES, "utimes", FILE)             \
	X(CHDIR, "chdir", FILE)               \
	X(FAULT, "fault", FAULT)              \
	X(COUNTER, "counter", MEMORY)         \
	X(CRASH, "crash", SIGNAL)             \
	X(SAMPLE, "sample", SYSTEM)           \
	X(SYSSTAT, "sysstat", SYSTEM)         \
	X(TRIGGER, "trigger", SYSTEM)         \
	X(PROCEXIT, "procexit", SYSTEM)       \
	X(THREADSTATE, "threadstate", SYSTEM) \
	X(OTHER, "other", OTHER)              \
	X(CONN, "conn", NETWORK)

/*
 * Field names. X(ident, "json name"). Producers and sinks refer to them as
 * EVK_<ident>. Unknown names met when reading a log (--from) are added at
 * run time by evkey_intern().
 */
#define EV_KEYS(X)                   \
	X(CHILD, "child")            \
	X(THREAD, "thread")          \
	X(VIA, "via")                \
	X(PATH, "path")              \
	X(ARGV, "argv")              \
	X(CODE, "code")              \
	X(SIGNAL, "signal")          \
	X(ROOT, "root")              \
	X(SENDER, "sender")          \
	X(FD, "fd")                  \
	X(ACCESS, "access")          \
	X(FLAGS, "flags")            \
	X(BYTES, "bytes")            \
	X(PEER, "peer")              \
	X(FAMILY, "family")          \
	X(ADDR, "addr")              \
	X(PORT, "port")              \
	X(LEN, "len")                \
	X(PROT, "prot")              \
	X(OLD_ADDR, "old_addr")      \
	X(OLD_LEN, "old_len")        \
	X(BRK, "brk")                \
	X(GROWTH, "growth")          \
	X(TARGET, "target")          \
	X(MODE, "mode")              \
	X(UID, "uid")                \
	X(GID, "gid")                \
	X(SIZE, "size")              \
	X(NAME, "name")              \
	X(NR, "nr")                  \
	X(ARGS, "args")              \
	X(RET, "ret")                \
	X(DUR, "dur")                \
	X(ERR, "err")                \
	X(MSG, "msg")                \
	X(FORMER_TID, "former_tid")  \
	X(SOCKTYPE, "socktype")      \
	X(DESC, "desc")              \
	X(ARCH, "arch")              \
	X(REGION, "region")          \
	X(MAJOR, "major")            \
	X(FAULTS, "faults")          \
	X(RSS, "rss")                \
	X(CPU, "cpu")                \
	X(STACK, "stack")            \
	X(REGS, "regs")              \
	X(DISASM, "disasm")          \
	X(CRASH_REGION, "crash_region") \
	X(COMM, "comm")              \
	X(PPID, "ppid")              \
	X(STATE, "state")            \
	X(START, "start")            \
	X(KIND, "kind")              \
	X(VALUE, "value")            \
	X(COUNT, "count")            \
	X(NEW_PATH, "new_path")      \
	X(STOPPED, "stopped")        \
	X(CORE, "core")              \
	X(RESTART, "restart")        \
	X(PROCS, "procs")            \
	X(DATA, "data")              \
	X(TRUNCATED, "truncated")    \
	X(PATH_ADDR, "path_addr")      \
	X(SWAP, "swap")               \
	X(IOWAIT, "iowait")           \
	X(CORES, "cores")             \
	X(MEM_TOTAL, "mem_total")     \
	X(MEM_AVAIL, "mem_avail")     \
	X(SWAP_TOTAL, "swap_total")   \
	X(PSI_CPU, "psi_cpu")         \
	X(PSI_IO, "psi_io")           \
	X(PSI_MEM, "psi_mem")         \
	X(FORKS, "forks")             \
	X(RUNNING, "running")         \
	X(BLOCKED, "blocked")         \
	X(SAMPLER_CPU, "sampler_cpu") \
	X(LAG, "lag")                 \
	X(THRESHOLD, "threshold")     \
	X(THRESHOLDS, "thresholds")   \
	X(SCOPE, "scope")             \
	X(WHEN, "when")               \
	X(END, "end")                 \
	X(ONGOING, "ongoing")         \
	X(WCHAN, "wchan")             \
	X(SYSCALL, "syscall")         \
	X(THREADS, "threads")         \
	X(READ_BYTES, "read_bytes")   \
	X(WRITE_BYTES, "write_bytes") \
	X(FDS, "fds")                 \
	X(CPU_TIME, "cpu_time")       \
	X(LIFETIME, "lifetime")       \
	X(RSS_PEAK, "rss_peak")       \
	X(BTIME, "btime")             \
	X(EXITS, "exits")             \
	X(SEEN, "seen")               \
	X(CMDLINE, "cmdline")         \
	X(NPROCS, "nprocs")           \
	X(LOST, "lost")               \
	X(RET_TEXT, "ret_text")      \
	X(CPU_MAX, "cpu_max")        \
	X(RSS_MAX, "rss_max")        \
	X(THREADS_MAX, "threads_max") \
	X(SAMPLES, "samples")         \
	X(FD_PATH, "fd_path")         \
	X(REPLACED, "replaced")       \
	X(MAXRSS, "maxrss")         \
	X(OUTCOME, "outcome")        \
	X(LOCAL, "local")            \
	X(BYTES_SENT, "bytes_sent")  \
	X(BYTES_RECEIVED, "bytes_received") \
	X(GENERIC, "generic")         \
	X(UNKNOWN, "unknown")         \
	X(BASELINE, "baseline")       \
	X(RELATED, "related")         \
	X(CALLS, "calls")

#endif
