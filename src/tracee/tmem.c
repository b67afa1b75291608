/* SPDX-License-Identifier: MIT */
/* tmem: reading a stopped tracee's memory (process_vm_readv, PEEKDATA fallback). */
#include "tracee/tmem.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <unistd.h>

#define PAGE 4096u
#define IOV_PAGES 16 /* pages per process_vm_readv call */

static bool vm_readv_broken; /* ENOSYS: never try again */
static bool force_peek;
static tmem_denied_fn denied_hook;

void tmem_set_denied_hook(tmem_denied_fn fn)
{
	denied_hook = fn;
}

void tmem_force_peekdata(bool on)
{
	force_peek = on;
}

static const struct tmem_chunk *ov_chunks;
static size_t ov_n;
static int ov_tid;

void tmem_set_overlay(int tid, const struct tmem_chunk *chunks, size_t n)
{
	ov_tid = tid;
	ov_chunks = n ? chunks : NULL;
	ov_n = n;
}

/* A read served by the overlay: bytes copied, -EFAULT, or -ENOENT when no chunk holds addr. */
static ssize_t overlay_read(uint64_t addr, void *buf, size_t n)
{
	for (size_t i = 0; i < ov_n; i++) {
		const struct tmem_chunk *c = &ov_chunks[i];
		if (c->fault && addr == c->addr)
			return -EFAULT;
		if (addr < c->addr || addr - c->addr >= c->len)
			continue;
		size_t off = (size_t)(addr - c->addr), k = c->len - off;
		if (k > n)
			k = n;
		memcpy(buf, (const char *)c->data + off, k);
		return (ssize_t)k;
	}
	return -ENOENT;
}

/* Word-by-word PTRACE_PEEKDATA; the task must be ptrace-stopped. */
static ssize_t peek_read(int tid, uint64_t addr, void *buf, size_t n)
{
	size_t done = 0;
	char *out = buf;

	while (done < n) {
		uint64_t a = addr + done;
		uint64_t aligned = a & ~(uint64_t)7;
		size_t off = (size_t)(a - aligned);
		errno = 0;
		long w = ptrace(PTRACE_PEEKDATA, tid, (void *)aligned, NULL);
		if (w == -1 && errno) {
			if (done)
				return (ssize_t)done;
			return errno == EIO ? -EFAULT : -errno;
		}
		size_t k = 8 - off;
		if (k > n - done)
			k = n - done;
		memcpy(out + done, (char *)&w + off, k);
		done += k;
	}
	return (ssize_t)done;
}

/*
 * One process_vm_readv over page-bounded remote iovecs: the kernel stops at
 * the first unreadable page, so the result is the readable prefix.
 */
static ssize_t vm_read(int tid, uint64_t addr, void *buf, size_t n, size_t *covered)
{
	struct iovec local = { buf, n };
	struct iovec remote[IOV_PAGES];
	size_t done = 0;
	int cnt = 0;

	while (done < n && cnt < IOV_PAGES) {
		uint64_t a = addr + done;
		size_t k = PAGE - (size_t)(a % PAGE);
		if (k > n - done)
			k = n - done;
		remote[cnt].iov_base = (void *)(uintptr_t)a;
		remote[cnt].iov_len = k;
		cnt++;
		done += k;
	}
	local.iov_len = done;
	*covered = done;
	ssize_t r = process_vm_readv(tid, &local, 1, remote, (unsigned long)cnt, 0);
	return r < 0 ? -errno : r;
}

ssize_t tmem_read(int tid, uint64_t addr, void *buf, size_t n)
{
	size_t done = 0;
	char *out = buf;

	if (n == 0)
		return 0;
	if (ov_chunks && tid == ov_tid) {
		ssize_t r = overlay_read(addr, buf, n);
		if (r != -ENOENT)
			return r;
	}
	if (addr + n < addr)
		n = (size_t)(UINT64_MAX - addr) + 1; /* no wrap-around */
	while (done < n) {
		size_t want = n - done;
		ssize_t r = -ENOSYS;
		if (!force_peek && !vm_readv_broken) {
			r = vm_read(tid, addr + done, out + done, want, &want);
			if (r == -ENOSYS)
				vm_readv_broken = true;
		}
		/*
		 * EPERM: the kernel refuses us the whole address space (a
		 * non-dumpable tracee: doc/ENGINE.md, 'Non-dumpable tracees');
		 * PEEKDATA may still work for a tracer with CAP_SYS_PTRACE.
		 */
		bool refused = r == -EPERM;
		if (r == -EPERM || r == -ENOSYS)
			r = peek_read(tid, addr + done, out + done, want);
		if (r < 0 && refused) {
			r = -EPERM; /* not "unmapped": nothing can be read there */
			if (denied_hook)
				denied_hook(tid);
		}
		if (r < 0)
			return done ? (ssize_t)done : r;
		done += (size_t)r;
		if ((size_t)r < want)
			break; /* stopped at an unreadable page */
	}
	return (ssize_t)done;
}

int tmem_probe(int tid)
{
	char c;
	struct iovec local = { &c, 1 }, remote = { NULL, 1 };
	if (force_peek || vm_readv_broken)
		return 0;
	/* address 0 is never mapped: EFAULT once the kernel let us in, EPERM if it did not */
	if (process_vm_readv(tid, &local, 1, &remote, 1, 0) >= 0)
		return 0;
	if (errno != EPERM)
		return errno == ESRCH ? -ESRCH : 0;
	/* PEEKDATA at the stack pointer, for a tracer that may still read that way */
	errno = 0;
	long sp = ptrace(PTRACE_PEEKUSER, tid, (void *)offsetof(struct user_regs_struct, rsp), NULL);
	if (sp == -1 && errno)
		return -errno;
	errno = 0;
	if (ptrace(PTRACE_PEEKDATA, tid, (void *)((uint64_t)sp & ~(uint64_t)7), NULL) != -1 || !errno)
		return 0;
	return errno == ESRCH ? -ESRCH : -EPERM;
}

ssize_t tmem_read_str(int tid, uint64_t addr, char *buf, size_t max, int *truncated)
{
	size_t done = 0;

	*truncated = 0;
	buf[0] = '\0';
	while (done < max) {
		uint64_t a = addr + done;
		size_t k = PAGE - (size_t)(a % PAGE);
		if (k > max - done)
			k = max - done;
		ssize_t r = tmem_read(tid, a, buf + done, k);
		if (r <= 0) {
			if (done == 0)
				return r < 0 ? r : -EFAULT;
			*truncated = 1;
			break;
		}
		char *nul = memchr(buf + done, '\0', (size_t)r);
		if (nul) {
			done = (size_t)(nul - buf);
			buf[done] = '\0';
			return (ssize_t)done;
		}
		done += (size_t)r;
		if ((size_t)r < k) {
			*truncated = 1;
			break;
		}
	}
	if (done >= max)
		*truncated = 1;
	buf[done] = '\0';
	return (ssize_t)done;
}
