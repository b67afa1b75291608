#!/bin/sh
# SPDX-License-Identifier: MIT
# -k (issue 7): the marker openat of stk_chain sits under main -> f0 -> f1 -> f2 -> f3 (separate
# translation units, nothing inlined); its stack must name that chain in order, under libc's
# syscall(), with module, file offset and ip as hex strings. --stack-on limits stacks to the named
# syscalls or event types. A stripped build shows module+offset with no guessed names; a static one
# keeps every frame in its own module. 50 stacks of one call site, taken on warm caches, agree.
. "$TOP/tests/lib.sh"

marker='[e for e in of("open") if e.get("path") == "/nonexistent/stk_chain_marker"]'

cmp -q -k --json "$T/k.jsonl" -- "$P/stk_chain" 1 >"$T/out" 2>"$T/err"
expect "stk_chain exits 0 under -k" "$?" 0
expect "one marker open" "$(jl "$T/k.jsonl" "len($marker)")" 1
syms=$(jl "$T/k.jsonl" "[f.get('sym') for f in ${marker}[0]['stack'][:6]]")
expect "the stack names syscall < f3 < f2 < f1 < f0 < main" "$syms" '["syscall", "f3", "f2", "f1", "f0", "main"]'
m=$(jl "$T/k.jsonl" "[f['module'].rsplit('/',1)[-1] for f in ${marker}[0]['stack'][:6]]")
expect "modules: libc, then the program" "$m" '["libc.so.6", "stk_chain", "stk_chain", "stk_chain", "stk_chain", "stk_chain"]'
h=$(jl "$T/k.jsonl" "all(f['ip'].startswith('0x') and f['offset'].startswith('0x') and int(f['offset'],16) < int(f['ip'],16) for f in ${marker}[0]['stack'] if 'ip' in f)")
expect "ip and offset are hex strings" "$h" True
# offsets of the program's frames are file offsets: inside the executable's text
size=$(wc -c <"$P/stk_chain")
o=$(jl "$T/k.jsonl" "all(0 < int(f['offset'],16) < $size for f in ${marker}[0]['stack'][1:6])")
expect "program offsets fall inside the file" "$o" True
t=$(jl "$T/k.jsonl" "any('truncated' in f for f in ${marker}[0]['stack'])")
expect "a complete stack has no truncated marker" "$t" False
keys=$(jl "$T/k.jsonl" "sorted(${marker}[0]['stack'][1].keys())")
expect "frame members" "$keys" '["ip", "module", "offset", "sym"]'
# the address really is in f3: addr2line-free check with nm
if command -v nm >/dev/null; then
	f3=$(nm "$P/stk_chain" | awk '$3 == "f3" {print $1}')
	ok3=$(jl "$T/k.jsonl" "0 < int(${marker}[0]['stack'][1]['offset'],16) - 0x$f3 < 64")
	expect "frame 1's offset lies just past f3's start (nm)" "$ok3" True
else
	skip "nm not installed"
fi

# --stack-on: only the named syscalls/types get stacks
cmp -q -k --stack-on=open --json "$T/so.jsonl" -- "$P/stk_chain" 1 >/dev/null 2>&1
a=$(jl "$T/so.jsonl" "len(${marker}[0].get('stack', []))  > 5")
expect "--stack-on=open: the open has a stack" "$a" True
b=$(jl "$T/so.jsonl" "sorted(set(e['type'] for e in evs if 'stack' in e))")
expect "--stack-on=open: nothing else has one" "$b" '["open"]'
cmp -q -k --stack-on=write --json "$T/sw.jsonl" -- "$P/stk_chain" 1 >/dev/null 2>&1
b=$(jl "$T/sw.jsonl" "[len(${marker}[0].get('stack', [])), sorted(set(e['type'] for e in evs if 'stack' in e))]")
expect "--stack-on=write: the open has none, the write has one" "$b" '[0, ["write"]]'

# stripped: module+offset, no names for the program's frames (doc/ENGINE.md, 'Symbol names can be wrong'), same offsets as the unstripped build
cmp -q -k --json "$T/st.jsonl" -- "$P/stk_stripped" 1 >/dev/null 2>&1
s=$(jl "$T/st.jsonl" "[(f['module'].rsplit('/',1)[-1], f['sym']) for f in ${marker}[0]['stack'][1:6]]")
expect "stripped: program frames are module+offset only" "$s" '[["stk_stripped", null], ["stk_stripped", null], ["stk_stripped", null], ["stk_stripped", null], ["stk_stripped", null]]'
s=$(jl "$T/st.jsonl" "${marker}[0]['stack'][0]['sym']")
expect "stripped: libc's frame keeps its name" "$s" "syscall"

# static: one module, named from its own .symtab (static glibc's syscall() ends the unwind, as with strace -k)
cmp -q -k --json "$T/sa.jsonl" -- "$P/stk_static" 1 >/dev/null 2>&1
s=$(jl "$T/sa.jsonl" "[${marker}[0]['stack'][0]['module'].rsplit('/',1)[-1], ${marker}[0]['stack'][0]['sym'], ${marker}[0]['stack'][0]['offset'].startswith('0x')]")
expect "static: frame 0 in the static binary, named" "$s" '["stk_static", "syscall", true]'

# 50 calls from one site: identical stacks (the cached address space stays right)
cmp -q -k --stack-on=open --json "$T/r.jsonl" -- "$P/stk_chain" 50 >/dev/null 2>&1
r=$(jl "$T/r.jsonl" "[len($marker), len(set(tuple(f.get('ip') for f in e['stack']) for e in $marker))]")
expect "50 marker stacks, all the same" "$r" '[50, 1]'

# JIT code (anonymous RWX, no unwind info): the walk gets through jit_callback into the generated
# code, shows that frame as an address in no module, and says the stack was cut short
cmp -q -k --stack-on=open --json "$T/j.jsonl" -- "$P/stk_jit" >"$T/j.out" 2>/dev/null
expect "stk_jit exits 0 under -k" "$?" 0
code=$(sed -n 's/^stk_jit code=\(0x[0-9a-f]*\)/\1/p' "$T/j.out")
j=$(jl "$T/j.jsonl" "(lambda s: [s[0]['sym'], s[1]['sym'], s[2]['module'], 0 < int(s[2]['ip'],16) - $code < 64, s[-1]])(${marker}[0]['stack'])")
expect "JIT: syscall < jit_callback < code at no module, then truncated" "$j" '["syscall", "jit_callback", null, true, {"reason": "no unwind info", "truncated": true}]'

# The narrative: the stack indented under its event, one line per frame (symbol, module+offset);
# a stack cut short ends with the truncated marker and its reason.
cmp -k --stack-on=open -o "$T/k.txt" -- "$P/stk_chain" 1 >/dev/null 2>&1
v=$(python3 - "$T/k.txt" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
i = [n for n, l in enumerate(lines) if re.search(r'\] open /nonexistent/stk_chain_marker \(read\) ENOENT$', l)]
if len(i) != 1:
    print('marker lines', i); sys.exit()
print([re.sub(r'\+0x[0-9a-f]+\)$', '+X)', l) for l in lines[i[0] + 1:i[0] + 7]])
PY
)
expect "narrative: the open's stack under it, main -> f0 -> f1 -> f2 -> f3 -> syscall" "$v" \
	"['          #0 syscall (libc.so.6+X)', '          #1 f3 (stk_chain+X)', '          #2 f2 (stk_chain+X)', '          #3 f1 (stk_chain+X)', '          #4 f0 (stk_chain+X)', '          #5 main (stk_chain+X)']"
cmp -k --stack-on=open -o "$T/j.txt" -- "$P/stk_jit" >/dev/null 2>&1
v=$(grep -A4 '\] open /nonexistent/stk_chain_marker' "$T/j.txt" | sed 's/^\[+[0-9.]*s\] //; s/0x[0-9a-f]*/X/g')
expect "narrative: JIT frame in no module, then the truncated marker" "$v" "$(printf '%s\n' \
	'open /nonexistent/stk_chain_marker (read) ENOENT' '          #0 syscall (libc.so.6+X)' \
	'          #1 jit_callback (stk_jit+X)' '          #2 X (no module)' '          … truncated (no unwind info)')"
