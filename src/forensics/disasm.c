/* SPDX-License-Identifier: MIT */
/*
 * disasm: capstone 4 decoding of the instructions around a crash site.
 * libcapstone is loaded with dlopen() at the first crash, not linked: its
 * tables take ~370 page faults and 1.3 ms (30-40% of compendium's start-up,
 * measured tracing /bin/true) to map and relocate, for every run, when
 * most runs never crash.
 */
#include <capstone/capstone.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "forensics/disasm.h"
#include "lib/msg.h"
#include "lib/util.h"

#ifndef CAPSTONE_SONAME
#define CAPSTONE_SONAME "libcapstone.so.4"
#endif
#define X86_MAX_INSN 15

static csh handle;
static int state; /* 0 untried, 1 open, -1 unavailable */
static struct {
	unsigned (*version)(int *major, int *minor);
	cs_err (*open)(cs_arch arch, cs_mode mode, csh *handle);
	cs_err (*option)(csh handle, cs_opt_type type, size_t value);
	size_t (*disasm)(csh handle, const uint8_t *code, size_t size, uint64_t address, size_t count,
			 cs_insn **insn);
	void (*free)(cs_insn *insn, size_t count);
} cs;

static bool cs_load(void)
{
	void *lib = dlopen(CAPSTONE_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		warnmsg("cannot load %s (%s): no disassembly in crash reports; install libcapstone4",
			CAPSTONE_SONAME, dlerror());
		return false;
	}
	*(void **)&cs.version = dlsym(lib, "cs_version");
	*(void **)&cs.open = dlsym(lib, "cs_open");
	*(void **)&cs.option = dlsym(lib, "cs_option");
	*(void **)&cs.disasm = dlsym(lib, "cs_disasm");
	*(void **)&cs.free = dlsym(lib, "cs_free");
	if (cs.version && cs.open && cs.option && cs.disasm && cs.free)
		return true;
	warnmsg("%s lacks the cs_* functions of capstone 4: no disassembly in crash reports",
		CAPSTONE_SONAME);
	dlclose(lib);
	return false;
}

static bool cs_ready(void)
{
	int major = 0, minor = 0;

	if (state)
		return state > 0;
	state = -1;
	if (!cs_load())
		return false;
	cs.version(&major, &minor);
	/* written against Debian's 4.0.2; 5.x renamed some enums but keeps this API */
	if (major < 4) {
		warnmsg("capstone %d.%d is too old (4.0 or later needed); no disassembly in crash reports",
			major, minor);
		return false;
	}
	if (cs.open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK)
		return false;
	cs.option(handle, CS_OPT_DETAIL, CS_OPT_OFF);
	state = 1;
	return true;
}

bool disasm_available(void)
{
	return cs_ready();
}

static void fill(struct disasm_insn *o, const cs_insn *in, uint64_t fault_ip)
{
	o->addr = in->address;
	o->size = (uint8_t)in->size;
	o->fault = in->address == fault_ip;
	if (in->op_str[0])
		snprintf(o->text, sizeof(o->text), "%s %s", in->mnemonic, in->op_str);
	else
		snprintf(o->text, sizeof(o->text), "%s", in->mnemonic);
}

/* Decode [p, p+k) at addr; true if it decodes completely (ends exactly at addr+k). */
static size_t decode_exact(const uint8_t *p, size_t k, uint64_t addr, cs_insn **insn)
{
	size_t cnt = cs.disasm(handle, p, k, addr, 0, insn);
	size_t sum = 0;

	for (size_t i = 0; i < cnt; i++)
		sum += (*insn)[i].size;
	if (cnt && sum == k)
		return cnt;
	if (cnt)
		cs.free(*insn, cnt);
	*insn = NULL;
	return 0;
}

unsigned disasm_window(const uint8_t *buf, size_t n, uint64_t base, uint64_t rip, uint64_t fault_ip,
		       uint64_t func_start, unsigned before, unsigned after, struct disasm_insn *out,
		       const char **note)
{
	size_t at, cnt = 0;
	unsigned k = 0;
	cs_insn *insn = NULL;

	*note = NULL;
	if (!cs_ready() || rip < base || rip - base > n)
		return 0;
	at = (size_t)(rip - base);
	if (before && at) {
		size_t back = 0;
		if (func_start >= base && func_start < rip) {
			back = (size_t)(rip - func_start);
			cnt = decode_exact(buf + at - back, back, func_start, &insn);
		}
		/* Unknown start: the earliest offset whose decode lands on rip (x86 resynchronises fast). */
		for (back = at < 64 ? at : 64; !cnt && back > 0; back--)
			cnt = decode_exact(buf + at - back, back, rip - back, &insn);
		for (size_t i = cnt > before ? cnt - before : 0; i < cnt; i++)
			fill(&out[k++], &insn[i], fault_ip);
		if (cnt)
			cs.free(insn, cnt);
	}
	cnt = after ? cs.disasm(handle, buf + at, n - at, rip, after, &insn) : 0;
	if (after && cnt == 0)
		*note = n - at < X86_MAX_INSN ? "truncated at page end" : "undecodable instruction at RIP";
	for (size_t i = 0; i < cnt; i++)
		fill(&out[k++], &insn[i], fault_ip);
	if (cnt)
		cs.free(insn, cnt);
	return k;
}
