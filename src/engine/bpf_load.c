/* SPDX-License-Identifier: MIT */
/*
 * bpf_load: loading and attaching the in-kernel half of --engine bpf
 * (src/engine/bpf/trace.bpf.c through its bpftool skeleton), the capture
 * table it follows, the loss counter. doc/BPF.md, 'Loading'.
 */
#include "engine/bpf_eng.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/audit.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/systab.h"
#include "engine/bpf/rec.h"
#include "lib/msg.h"
#include "lib/util.h"
#include "trace.skel.h"

struct bpf_eng {
	struct cpd_trace *skel;
};

/* libbpf's last message, for the one line said when loading fails. */
static char last_msg[256];

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	static int debug = -1;
	if (debug < 0)
		debug = getenv("COMPENDIUM_BPF_DEBUG") != NULL; /* doc/BPF.md, 'Loading' */
	if (debug) {
		va_list aq;
		va_copy(aq, ap);
		vfprintf(stderr, fmt, aq);
		va_end(aq);
	}
	if (level == LIBBPF_WARN) {
		vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
		size_t n = strlen(last_msg);
		while (n && last_msg[n - 1] == '\n')
			last_msg[--n] = 0;
	}
	return 0;
}

static NORETURN void refuse(const char *what, int err)
{
	if (err == EPERM)
		die(2, "--engine bpf needs root or CAP_BPF and CAP_PERFMON (%s: %s); use --engine ptrace",
		    what, strerror(err));
	die(2, "--engine bpf: %s failed: %s%s%s; use --engine ptrace", what, strerror(err),
	    last_msg[0] ? ": " : "", last_msg);
}

/* What slot i of the capture table reads for argument a of se (BCK_NONE: nothing). */
static unsigned add_slot(struct bcap_spec *sp, unsigned n, unsigned kind, unsigned arg, unsigned aux, unsigned size)
{
	if (n >= BCAP_SLOTS)
		return n;
	sp->kind[n] = (uint8_t)kind;
	sp->arg[n] = (uint8_t)arg;
	sp->aux[n] = (uint8_t)aux;
	sp->size[n] = (uint8_t)size;
	return n + 1;
}

/*
 * The memory each x86_64 syscall's decoders read, from the argument types of
 * syscalls/x86_64.tbl: paths and strings, sockaddrs and their lengths, fd
 * pairs, ints and (for -v) the first bytes of buffers. doc/BPF.md, 'Captures'.
 */
static void fill_spec(int fd, bool coalesce)
{
	for (unsigned nr = 0; nr < 512; nr++) {
		struct bcap_spec sp = { 0 };
		const struct sysent *se = systab_get(AUDIT_ARCH_X86_64, nr);
		const char *name = se ? se->name : "";
		unsigned n = 0;
		/* execve: read at entry (BREC_EXECARGS); at exit the old memory is gone */
		for (unsigned i = 0; se && i < se->nargs && strcmp(name, "execve") && strcmp(name, "execveat"); i++) {
			const struct sysarg *a = &se->args[i];
			switch (a->type) {
			case SAT_PATH:
			case SAT_STR:
				n = add_slot(&sp, n, BCK_STR, i, 0, 0);
				break;
			case SAT_SOCKADDR:
				n = add_slot(&sp, n, BCK_LENARG, i, a->aux, 0);
				break;
			case SAT_SOCKADDR_OUT:
				n = add_slot(&sp, n, BCK_FIXED, a->aux, 0, 4);
				n = add_slot(&sp, n, BCK_LENPTR, i, a->aux, 0);
				break;
			case SAT_FDPAIR:
				n = add_slot(&sp, n, BCK_FIXED, i, 0, 8);
				break;
			case SAT_INTP:
			case SAT_WSTATUS:
				n = add_slot(&sp, n, BCK_FIXED, i, 0, 4);
				break;
			case SAT_TIMESPEC:
				n = add_slot(&sp, n, BCK_FIXED, i, 0, 16);
				break;
			case SAT_SIGSET:
				n = add_slot(&sp, n, BCK_FIXED, i, 0, 8);
				break;
			case SAT_BUF_IN:
			case SAT_BUF_OUT:
				/* -v shows the first bytes; without coalescing only (every call a record) */
				if (!coalesce)
					n = add_slot(&sp, n, BCK_LENARG, i, a->aux, 0);
				break;
			default:
				break;
			}
		}
		if (!strcmp(name, "openat2")) /* struct open_how: flags, mode, resolve */
			n = add_slot(&sp, n, BCK_FIXED, 2, 0, 24);
		sp.coalesce = coalesce && (!strcmp(name, "read") || !strcmp(name, "write"));
		(void)n;
		if (bpf_map_update_elem(fd, &nr, &sp, BPF_ANY) < 0)
			refuse("filling the capture table", errno);
	}
}

struct bpf_eng *bpfe_load(size_t ring_size, bool coalesce)
{
	libbpf_set_print(quiet_print);
	if (access("/sys/kernel/btf/vmlinux", R_OK) < 0)
		die(2, "--engine bpf needs a kernel with BTF (/sys/kernel/btf/vmlinux: %s); use --engine ptrace",
		    strerror(errno));
	struct bpf_eng *b = xcalloc(1, sizeof(*b));
	b->skel = cpd_trace__open();
	if (!b->skel)
		refuse("opening the BPF program", errno);
	if (bpf_map__set_max_entries(b->skel->maps.cpd_events, (uint32_t)ring_size) < 0)
		refuse("sizing the ring buffer", errno);
	int err = cpd_trace__load(b->skel);
	if (err)
		refuse("loading the BPF program", -err);
	fill_spec(bpf_map__fd(b->skel->maps.cpd_spec), coalesce);
	return b;
}

void bpfe_attach(struct bpf_eng *b)
{
	int err = cpd_trace__attach(b->skel);
	if (err)
		refuse("attaching the BPF programs", -err);
}

int bpfe_trace_pid(struct bpf_eng *b, int pid)
{
	uint32_t k = (uint32_t)pid;
	uint8_t one = 1;
	return bpf_map_update_elem(bpf_map__fd(b->skel->maps.cpd_traced), &k, &one, BPF_ANY);
}

int bpfe_ring_fd(struct bpf_eng *b)
{
	return bpf_map__fd(b->skel->maps.cpd_events);
}

uint64_t bpfe_lost(struct bpf_eng *b)
{
	int ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0)
		return 0;
	uint64_t *v = xcalloc((size_t)ncpu, sizeof(*v)), sum = 0;
	uint32_t k = 0;
	if (bpf_map_lookup_elem(bpf_map__fd(b->skel->maps.cpd_lost), &k, v) == 0)
		for (int i = 0; i < ncpu; i++)
			sum += v[i];
	free(v);
	return sum;
}

void bpfe_destroy(struct bpf_eng *b)
{
	if (!b)
		return;
	cpd_trace__destroy(b->skel);
	free(b);
}
