/* SPDX-License-Identifier: MIT */
/* disasm: capstone 4 decoding of the instructions around a crash site. */
#include <capstone/capstone.h>
#include <stdio.h>
#include <string.h>

#include "disasm.h"
#include "util.h"

#define X86_MAX_INSN 15

static csh handle;
static int state; /* 0 untried, 1 open, -1 unavailable */

static bool cs_ready(void)
{
	int major = 0, minor = 0;

	if (state)
		return state > 0;
	state = -1;
	cs_version(&major, &minor);
	/* written against Debian's 4.0.2; 5.x renamed some enums but keeps this API */
	if (major < 4) {
		warnmsg("capstone %d.%d is too old (4.0 or later needed); no disassembly in crash reports",
			major, minor);
		return false;
	}
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK)
		return false;
	cs_option(handle, CS_OPT_DETAIL, CS_OPT_OFF);
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
	size_t cnt = cs_disasm(handle, p, k, addr, 0, insn);
	size_t sum = 0;

	for (size_t i = 0; i < cnt; i++)
		sum += (*insn)[i].size;
	if (cnt && sum == k)
		return cnt;
	if (cnt)
		cs_free(*insn, cnt);
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
			cs_free(insn, cnt);
	}
	cnt = after ? cs_disasm(handle, buf + at, n - at, rip, after, &insn) : 0;
	if (after && cnt == 0)
		*note = n - at < X86_MAX_INSN ? "truncated at page end" : "undecodable instruction at RIP";
	for (size_t i = 0; i < cnt; i++)
		fill(&out[k++], &insn[i], fault_ip);
	if (cnt)
		cs_free(insn, cnt);
	return k;
}
