/* SPDX-License-Identifier: MIT */
/*
 * fmt: human formatting shared by the text sinks: sizes ("8.0 KiB"),
 * durations ("0.34s") and -k stacks and crash disassembly as lines.
 */
#ifndef COMPENDIUM_FMT_H
#define COMPENDIUM_FMT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/util.h"

/* Bytes in powers of 1024 with IEC names, as the report and the watch say them: "0 B", "517 B", "1.4 KiB", "8.5 MiB", "2.0 GiB". */
void fmt_size(struct buf *b, uint64_t bytes);
/* Seconds: "0.34s" below 10 s, "12.3s" below a minute, "4m05s", "2h03m". */
void fmt_secs(struct buf *b, double secs);

/*
 * A -k stack (the JSON array of unwind.h) as lines: each is indent, "#N ",
 * the frame and "\n"; a frame reads "f3 (stk_chain+0x1149)" (symbol, then module base
 * name + file offset), "(stk_stripped+0x1149)" without a trusted symbol,
 * "0x7f12345000 (no module)" outside any file; then, when the walk stopped
 * early and 'truncated' is set, indent "… truncated (REASON)". At most
 * max frames (0 = all) are written, then "… N more frames". Tracee bytes are
 * escaped for the terminal. Invalid JSON writes nothing. Returns the frames
 * written.
 */
unsigned fmt_stack(struct buf *b, const char *json, const char *indent, unsigned max, bool truncated);
/*
 * The disassembly of a crash (EVK_DISASM: [{addr, text, fault}]) as lines
 * indent "   0x401136  mov ...\n", with " → " instead of the spaces before
 * the faulting instruction. Returns the instructions written.
 */
unsigned fmt_disasm(struct buf *b, const char *json, const char *indent);
/* The faulting instruction of a crash's disassembly: "0x401136: ud2"; false if none. */
bool fmt_disasm_fault(struct buf *b, const char *json);

#endif
