#!/bin/sh
# SPDX-License-Identifier: MIT
# The HTML report in a real browser (Debian's chromium, headless, driven by
# playwright-core from tests/browser): lanes for every process and thread,
# filters, search, the URL fragment, keys, export; a 100,000-event table
# scrolled to its last row; hostile file names shown as text with no dialog
# and no CSP violation. Any page error, console error, dialog or network
# request fails the checks.
. "$TOP/tests/lib.sh"

browser() { # mode report args...
	$ENVI node "$TOP/tests/browser/report-test.js" "$@" 2>"$T/node.err"
	rc=$?
	if [ "$rc" -ne 0 ] && ! grep -q . "$T/node.err"; then :; fi
	[ -s "$T/node.err" ] && sed 's/^/# /' "$T/node.err" | head -20
	return 0
}
if ! command -v node >/dev/null 2>&1; then
	skip "browser checks: node is not installed (sh .ci/deps.sh test)"; exit 0
fi
if [ ! -x /usr/bin/chromium ]; then
	skip "browser checks: /usr/bin/chromium is not installed (sh .ci/deps.sh test)"; exit 0
fi
if [ ! -f "$TOP/tests/browser/node_modules/playwright-core/package.json" ]; then
	skip "browser checks: playwright-core is not installed (sh .ci/deps.sh test runs npm ci in tests/browser)"; exit 0
fi

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
