/* SPDX-License-Identifier: MIT */
/* disasm: x86-64 instructions around a crash site, decoded with capstone 4. */
#ifndef COMPENDIUM_DISASM_H
#define COMPENDIUM_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct disasm_insn {
	uint64_t addr;
	uint8_t size;
	bool fault;         /* the faulting instruction */
	char text[200];     /* "mov dword ptr [rax], 1" (Intel syntax) */
};

/* True if capstone (major version 4 or later) could be opened for x86-64. */
bool disasm_available(void);

/*
 * Decode around rip from code bytes buf = memory [base, base + n), with
 * base <= rip <= base + n. Gives up to 'before' instructions that end
 * exactly at rip, then up to 'after' instructions from rip, into out
 * (room for before + after). Bytes before rip are decoded from func_start
 * when base <= func_start < rip (a known function start keeps the decode
 * aligned), else from the earliest offset whose decode ends exactly at rip.
 * The instruction at fault_ip (if any) gets fault = true. Returns the
 * count; *note is NULL, "truncated at page end" (fewer bytes readable at
 * rip than the instruction needs) or "undecodable instruction at RIP".
 */
unsigned disasm_window(const uint8_t *buf, size_t n, uint64_t base, uint64_t rip, uint64_t fault_ip,
		       uint64_t func_start, unsigned before, unsigned after, struct disasm_insn *out,
		       const char **note);

#endif
