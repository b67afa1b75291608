#!/bin/sh
# SPDX-License-Identifier: MIT
# The HTML report in a real browser (Debian's chromium, headless, driven by
# playwright-core from tests/browser): lanes for every process and thread,
# filters, search, the URL fragment, keys, export; a 100,000-event table
# scrolled to its last row; hostile file names shown as text with no dialog
# and no CSP violation. Any page error, console error, dialog or network
# request fails the checks.
. "$TOP/tests/lib.sh"

browser_checks report-test.js

# lanes: one process with two threads and two forked children
mkdir "$T/lanes"
cmp -q --json "$T/lanes.jsonl" --report "$T/lanes.html" -- "$P/rep_lanes" "$T/lanes" 2>"$T/err"
check "report of rep_lanes written" test -s "$T/lanes.html"
pids=$(jl "$T/lanes.jsonl" "','.join(str(p) for p in sorted(set(e['pid'] for e in evs if e['pid'] > 0)))")
tids=$(jl "$T/lanes.jsonl" "','.join(str(t) for t in sorted(set(e['tid'] for e in evs if e['tid'] != e['pid'])))")
expect "rep_lanes made 3 processes" "$(echo "$pids" | tr ',' '\n' | grep -c .)" 3
expect "rep_lanes made 2 threads" "$(echo "$tids" | tr ',' '\n' | grep -c .)" 2
browser lanes "$T/lanes.html" --pids "$pids" --tids "$tids" --file lane-child-b.txt

# 100,000 syscalls: the table scrolls to the last row
cmp -q --json "$T/many.jsonl" --report "$T/many.html" -- "$P/rep_many" 100000 "$T/nope" 2>"$T/err"
n=$(jl "$T/many.jsonl" "len(evs)")
last=$(jl "$T/many.jsonl" "sorted(evs, key=lambda e: e['t'])[-1]['type']")
check "the 100k trace has at least 100,000 events ($n)" test "$n" -ge 100000
browser scroll "$T/many.html" --count "$n" --last "$last"

# hostile names
mkdir "$T/hostile"
cmp -q --report "$T/hostile.html" -- "$P/rep_hostile" "$T/hostile" 2>"$T/err"
check "report of rep_hostile written" test -s "$T/hostile.html"
browser hostile "$T/hostile.html"

# a crash: marked on the timeline, details with disassembly, registers, stack
cmp -q -k --report "$T/crash.html" -- "$P/proc_segv" 2>"$T/err"
check "report of a crashing program written" test -s "$T/crash.html"
browser crash "$T/crash.html"

# 450,000 events: 9M px of rows, past the 8M px spacer cap, so the table maps
# scroll position to row by ratio; the last row must still be reachable
python3 - "$T/big.jsonl" <<'PY'
import sys
out = open(sys.argv[1], 'w')
out.write('{"type":"header","version":1,"argv":["big"],"start":"2026-01-01T00:00:00Z","host":"h","kernel":"k","compendium":"0.1.0","mode":"trace"}\n')
line = '{"t":%.6f,"pid":100,"tid":100,"type":"read","cat":"io","fd":3,"bytes":%d,"dur":0.000002}\n'
out.writelines(line % (i * 1e-6, i % 4096) for i in range(449999))
out.write('{"t":0.500000,"pid":100,"tid":100,"type":"exit","cat":"process","code":7}\n')
out.write('{"type":"end","duration":0.5,"status":7,"exit":{"code":7},"events":450000,"interrupted":false}\n')
PY
cmp --report "$T/big.html" --from "$T/big.jsonl" 2>"$T/err"
check "a 450,000-event log renders" test -s "$T/big.html"
browser scroll "$T/big.html" --count 450000 --last "code=7"

# level of detail: ~72,000 events in dense bursts; the timeline drawn from the
# per-lane bins must show the same marks (lanes, spans, exec/exit, bursts and
# gaps) as the one drawn event by event (#lod=0)
python3 "$TOP/tests/browser/lod-log.py" "$T/lod.jsonl"
cmp --report "$T/lod.html" --from "$T/lod.jsonl" 2>"$T/err"
check "the level-of-detail log renders" test -s "$T/lod.html"
browser lod "$T/lod.html"

# the view's first pixel column: a short event less than a pixel before the
# view's start is marked there by the bins and event by event alike
python3 "$TOP/tests/browser/edge-log.py" "$T/edge.jsonl"
cmp --report "$T/edge.html" --from "$T/edge.jsonl" 2>"$T/err"
check "the left-edge log renders" test -s "$T/edge.html"
browser lodedge "$T/edge.html"
