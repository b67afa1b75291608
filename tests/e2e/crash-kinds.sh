#!/bin/sh
# SPDX-License-Identifier: MIT
# Crash forensics (issue 7; doc/ENGINE.md, 'Disassembling a crash site' and
# 'The tracee controls the unwind'): crash_kinds dies by a NULL write, a jump to an
# unmapped address, ud2, int3, abort(), a smashed stack, an unmapped stack pointer, an instruction
# cut at a page end, a division by zero and a bus error. Each run must end with compendium exiting
# 128+signal within the timeout (never crashing or hanging itself), a complete JSON log, and one
# crash event with the right signal, si_code name, address, region, faulting instruction (or the
# reason there is none) and a stack; the summary shows the crash.
. "$TOP/tests/lib.sh"

run() { # mode
	$ENVI timeout 60 "$C" --json "$T/$1.jsonl" -o "$T/$1.txt" -- "$P/crash_kinds" "$1" >"$T/$1.out" 2>"$T/$1.err"
	echo $?
}
crash() { # mode expr-over-c (the crash event)
	jl "$T/$1.jsonl" "(lambda c: $2)(of('crash')[0])"
}

for m in null:11 jump:11 ud2:4 int3:5 abort:6 stack:11 badsp:11 pageend:11 fpe:8 bus:7; do
	mode=${m%:*} sig=${m#*:}
	rc=$(run "$mode")
	expect "$mode: compendium exits 128+$sig" "$rc" $((128 + sig))
	n=$(jl "$T/$mode.jsonl" "[len(of('crash')), end['exit']['signal'] if end else None]")
	sname=$(jl "$T/$mode.jsonl" "of('crash')[0]['signal']" 2>/dev/null)
	expect "$mode: one crash event and a complete log" "$n" "[1, \"$sname\"]"
	v=$(crash "$mode" "all(k in c for k in ('signal','code','regs','stack','disasm')) and c['regs']['rip'].startswith('0x') and isinstance(c['stack'], list) and len(c['stack']) <= 129")
	expect "$mode: signal, code, regs, stack and disasm present" "$v" True
	v=$(crash "$mode" "[i for i in c['disasm'] if sorted(i) != ['addr', 'fault', 'text']]")
	expect "$mode: disasm entries are {addr, text, fault}" "$v" "[]"
	check "$mode: the summary shows the crash" grep -q "Crash:.*$sname" "$T/$mode.err" "$T/$mode.txt"
done

v=$(crash null "[c['signal'], c['code'], c['addr'], c['crash_region'], [i['text'] for i in c['disasm'] if i['fault']], [i['addr'] for i in c['disasm'] if i['fault']] == [c['regs']['rip']]]")
expect "null: SEGV_MAPERR at 0x10, not mapped, the store marked" "$v" '["SIGSEGV", "SEGV_MAPERR", "0x10", "not mapped", ["mov dword ptr [0x10], 1"], true]'
v=$(crash null "[f.get('sym') for f in c['stack']][:1]")
expect "null: the stack starts in main" "$v" '["main"]'

v=$(crash jump "[c['addr'], c['regs']['rip'], c['msg'], c['disasm'], c['crash_region']]")
expect "jump: RIP not mapped, no garbage decoded" "$v" '["0xdead0000", "0xdead0000", "RIP not mapped", [], "not mapped"]'
v=$(crash jump "[f.get('sym') for f in c['stack']][1:2]")
expect "jump: the caller (main) is still found" "$v" '["main"]'

v=$(crash ud2 "[c['signal'], c['code'], [i['text'] for i in c['disasm'] if i['fault']], c['crash_region'].split()[0:2], c['addr'] == c['regs']['rip']]")
expect "ud2: SIGILL ILL_ILLOPN on ud2 in the program's text" "$v" '["SIGILL", "ILL_ILLOPN", ["ud2"], ["file", "r-xp"], true]'
v=$(crash ud2 "sum(1 for i in c['disasm'] if int(i['addr'],16) < int(c['regs']['rip'],16)) >= 3")
expect "ud2: instructions before RIP are shown too" "$v" True

v=$(crash int3 "[c['code'], 'addr' in c, [i['text'] for i in c['disasm'] if i['fault']], [int(i['addr'],16) for i in c['disasm'] if i['fault']] == [int(c['regs']['rip'],16) - 1]]")
expect "int3: SI_KERNEL without an address; the int3 before RIP marked" "$v" '["SI_KERNEL", false, ["int3"], true]'

v=$(crash abort "[c['signal'], c['code'], 'addr' in c, c['sender'] == c['pid'], [i['text'] for i in c['disasm'] if i['fault']]]")
expect "abort: SIGABRT SI_TKILL from itself at the tgkill syscall" "$v" '["SIGABRT", "SI_TKILL", false, true, ["syscall"]]'
v=$(crash abort "[s for s in (f.get('sym') for f in c['stack']) if s in ('raise', 'abort', 'main')]")
expect "abort: the stack runs raise < abort < main" "$v" '["raise", "abort", "main"]'

v=$(crash stack "[c['regs']['rip'], c['msg'], len(c['stack']) <= 129]")
expect "smashed stack: RIP not mapped, bounded stack" "$v" '["0x414141414108", "RIP not mapped", true]'
v=$(crash badsp "[c['addr'], c['crash_region'], c['stack'][-1].get('truncated'), [i['text'] for i in c['disasm'] if i['fault']]]")
expect "unmapped rsp: push faults at 0x8; the stack says truncated" "$v" '["0x8", "not mapped", true, ["push rax"]]'

pe=$(sed -n 's/.*rip=\(0x[0-9a-f]*\) addr=\(0x[0-9a-f]*\)/\1 \2/p' "$T/pageend.out")
v=$(crash pageend "[c['regs']['rip'], c['addr'], c['msg'], c['crash_region'], any(i['fault'] for i in c['disasm'])]")
expect "page end: truncated at page end, nothing invented at RIP" "$v" "[\"${pe% *}\", \"${pe#* }\", \"truncated at page end\", \"not mapped\", false]"

v=$(crash fpe "[c['code'], [i['text'] for i in c['disasm'] if i['fault']]]")
expect "fpe: FPE_INTDIV on the idiv" "$v" '["FPE_INTDIV", ["idiv ecx"]]'
ba=$(sed -n 's/.*bus addr=\(0x[0-9a-f]*\).*/\1/p' "$T/bus.out")
v=$(crash bus "[c['code'], c['addr'], c['crash_region'].split()[0:2]]")
expect "bus: BUS_ADRERR in the shared file mapping" "$v" "[\"BUS_ADRERR\", \"$ba\", [\"file\", \"rw-s\"]]"

# the narrative line of a crash (live sink) names the signal and code
check "null: the narrative shows the crash" grep -q "crash.*SIGSEGV.*SEGV_MAPERR" "$T/null.txt"

# The end of the narrative tells each crash in full: after the exit line, a CRASH header with
# signal, code, address and region, the registers, the code with the faulting instruction marked,
# then the stack (module+offset, the symbol when known).
v=$(python3 - "$T/null.txt" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
hdr = [i for i, l in enumerate(lines) if re.search(r'\u2501\u2501\u2501 CRASH of \d+: SIGSEGV SEGV_MAPERR at 0x10 \(not mapped\) \u2501\u2501\u2501$', l)]
ex = [i for i, l in enumerate(lines) if re.search(r'\] exit SIGSEGV$', l)]
if len(hdr) != 1 or not ex or hdr[0] < ex[-1]:
    print('header', hdr, 'exit', ex); sys.exit()
blk = lines[hdr[0] + 1:]
out = [bool(re.match(r' +rip 0x[0-9a-f]+  rsp 0x[0-9a-f]+  rbp 0x[0-9a-f]+$', blk[0]))]
out.append([l.split('  ', 1)[1] if '  ' in l.strip() else l for l in (x.strip() for x in blk) if l.startswith('\u2192 ')])
st = blk.index('          stack:') if '          stack:' in blk else -1
out.append(re.sub(r'\+0x[0-9a-f]+', '+X', blk[st + 1].strip()) if st > 0 else None)
print(out)
PY
)
expect "null: the narrative ends with the crash in full" "$v" "[True, ['mov dword ptr [0x10], 1'], '#0 main (crash_kinds+X)']"
v=$(grep -c '^          (RIP not mapped)$' "$T/jump.txt")
expect "jump: the narrative's crash says RIP not mapped" "$v" 1
v=$(grep -Ec '^            #0 0xdead0000 \(no module\)$' "$T/jump.txt")
expect "jump: its stack starts at the unmapped address, in no module" "$v" 1
v=$(grep -Ec '^            … truncated \(unreadable\)$' "$T/badsp.txt")
expect "badsp: the narrative shows the truncated marker with its reason" "$v" 1
# the summary names the faulting instruction, or why there is none
v=$(grep -Ec '^           at 0x[0-9a-f]+: mov dword ptr \[0x10\], 1$' "$T/null.txt")
expect "null: the summary shows the faulting instruction" "$v" 1
v=$(grep -Ec '^           \(truncated at page end\)$' "$T/pageend.txt")
expect "pageend: the summary says the instruction was cut at the page end" "$v" 1

# capstone is loaded at the first crash (not linked): without it, the run still ends 128+11 with the
# crash and its stack, one warning names the library, and the summary says why there is no disassembly
lib=$(ldconfig -p 2>/dev/null | sed -n 's/^[[:space:]]*libcapstone\.so\.[0-9]* (libc6,x86-64) => //p' | head -n 1)
if [ -z "$lib" ] || ! unshare -m true 2>/dev/null; then
	skip "crash without capstone: needs root's unshare -m and libcapstone in ldconfig's cache"
else
	unshare -m sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' sh "$lib" \
		$ENVI timeout 60 "$C" --json "$T/nocs.jsonl" -o "$T/nocs.txt" -- "$P/crash_kinds" null \
		>"$T/nocs.out" 2>"$T/nocs.err"
	expect "no capstone: compendium still exits 128+11" "$?" 139
	v=$(jl "$T/nocs.jsonl" "[len(of('crash')), of('crash')[0]['disasm'], len(of('crash')[0]['stack']) > 0]")
	expect "no capstone: one crash event with its stack and an empty disassembly" "$v" "[1, [], true]"
	v=$(grep -c "warning: cannot load libcapstone" "$T/nocs.err")
	expect "no capstone: one warning names the library" "$v" 1
	check "no capstone: the summary says why there is no disassembly" grep -q "(capstone unavailable)" "$T/nocs.txt"
fi
