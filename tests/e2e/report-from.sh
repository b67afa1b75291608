#!/bin/sh
# SPDX-License-Identifier: MIT
# --report FILE --from LOG: a saved --json log renders to the same report;
# a truncated log, one with a garbage line, one without a header give a
# report of what was readable with the reader's warning visible in the page
# (or a clear error naming the line), never a crash or an empty page; a
# --watch dump (sysstat, sample, trigger, procexit, threadstate events)
# renders with system and per-process counter tracks and the trigger marked.
. "$TOP/tests/lib.sh"

meta() { # report python-expression-over-m
	python3 - "$1" "$2" <<'PY'
import json, re, sys
h = open(sys.argv[1], encoding='utf-8').read()
m = json.loads(re.search(r'<script type="application/json" id="meta">(.*?)</script>', h, re.S).group(1))
print(eval(sys.argv[2]))
PY
}
have_browser() {
	command -v node >/dev/null 2>&1 && [ -x /usr/bin/chromium ] &&
		[ -f "$TOP/tests/browser/node_modules/playwright-core/package.json" ]
}
browser() { # mode report args...: the node script's ok/not ok lines
	$ENVI node "$TOP/tests/browser/report-test.js" "$@" >"$T/node.out" 2>"$T/node.err"
	rc=$?
	cat "$T/node.out"
	sed 's/^/# /' "$T/node.err" | head -20
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$T/node.out"; then
		fail "browser check '$1' exited $rc without reporting a failure"
	fi
}

mkdir "$T/w"
cmp -q --json "$T/log.jsonl" -- "$P/rep_lanes" "$T/w" 2>"$T/err"
n=$(jl "$T/log.jsonl" "len(evs)")
cmp --report "$T/full.html" --from "$T/log.jsonl" 2>"$T/err"
check "--from of a complete log exits 0" test $? -eq 0
expect "the report holds every event of the log" "$(meta "$T/full.html" "m['count']")" "$n"
expect "no warning for a complete log" "$(meta "$T/full.html" "repr(m['warnings'])")" "None"
expect "the header facts come from the log" "$(meta "$T/full.html" "m['argv'][0].endswith('rep_lanes') and m['mode']")" trace

bad_log() { # name description
	f=$T/$1.jsonl
	cmp --report "$T/$1.html" --from "$f" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		if [ -e "$T/$1.html" ]; then fail "$2: exit $rc but a report was written"
		elif grep -q "line [0-9]" "$T/err"; then ok "$2: a clear error naming the line ($(head -1 "$T/err"))"
		else fail "$2: exit $rc without naming a line: $(cat "$T/err")"; fi
		return 1
	fi
	w=$(meta "$T/$1.html" "m['warnings'] or ''")
	case $w in *"line "[0-9]*) ok "$2: a report with the reader's warning ($(echo "$w" | head -1))" ;;
	*) fail "$2: report without a warning naming the line ('$w')" ;; esac
	return 0
}
size=$(wc -c <"$T/log.jsonl")
head -c $((size - 40)) "$T/log.jsonl" >"$T/trunc.jsonl"
awk 'NR == 10 { print "{\"t\": 1.0, garbage" } { print }' "$T/log.jsonl" >"$T/garbage.jsonl"
tail -n +2 "$T/log.jsonl" >"$T/nohdr.jsonl"
for c in "trunc:a truncated log" "garbage:a log with a garbage line" "nohdr:a log without a header"; do
	name=${c%%:*} desc=${c#*:}
	if bad_log "$name" "$desc"; then
		if have_browser; then browser warning "$T/$name.html" --text "line " --min 10
		else skip "$desc: browser check (no chromium/node/playwright-core)"; fi
	fi
done
printf 'not json at all\n\001\002\003\n' >"$T/junk.jsonl"
cmp --report "$T/junk.html" --from "$T/junk.jsonl" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -ne 0 ] && [ ! -e "$T/junk.html" ] && [ "$(wc -l <"$T/err")" -ge 1 ]; then
	ok "a file with nothing readable fails clearly ($(head -1 "$T/err"))"
else
	fail "a file with nothing readable: rc=$rc, report $(test -e "$T/junk.html" && echo written || echo absent)"
fi

# a --watch dump: system and per-process samples, a trigger, an exit, thread states
python3 - "$T/dump.jsonl" <<'PY'
import json, sys
out = open(sys.argv[1], 'w')
w = lambda o: out.write(json.dumps(o) + '\n')
w({"type": "header", "version": 1, "argv": ["compendium", "--watch"], "start": "2026-01-01T00:00:00Z",
   "host": "dump-host", "kernel": "6.1.0", "compendium": "0.1.0", "mode": "watch"})
for k in range(40):
    t = k * 0.25
    w({"t": t, "pid": 0, "tid": 0, "type": "sysstat", "cat": "system", "cpu": 10.0 + (80.0 if 20 <= k < 30 else 0.0),
       "mem_avail": 8_000_000_000 - k * 10_000_000, "forks": 1000 + k})
    for pid, base in ((4242, 5.0), (4343, 1.0)):
        w({"t": t + 0.01, "pid": pid, "tid": pid, "type": "sample", "cat": "system", "comm": "hog" if pid == 4242 else "idle",
           "cpu": base + (90.0 if pid == 4242 and k >= 20 else 0.0), "rss": 1_000_000 * (k + 1) if pid == 4242 else 500_000, "ppid": 1})
    if k == 25:
        w({"t": t + 0.02, "pid": 4242, "tid": 4243, "type": "threadstate", "cat": "system", "state": "R", "comm": "hog", "syscall": "running"})
w({"t": 5.05, "pid": 0, "tid": 0, "type": "trigger", "cat": "system", "kind": "cpu", "value": 95.0, "msg": "cpu hog 4242"})
w({"t": 9.5, "pid": 5555, "tid": 5555, "type": "procexit", "cat": "system", "comm": "shortlived", "ppid": 4242, "code": 0})
w({"type": "end", "duration": 10.0, "status": 0, "exit": {"code": 0}, "events": 124, "interrupted": False})
PY
cmp --report "$T/dump.html" --from "$T/dump.jsonl" 2>"$T/err"
check "a --watch dump renders (exit 0)" test $? -eq 0
expect "the dump's tracks: system cpu and per-process rss" \
	"$(meta "$T/dump.html" "sorted(set((s['pid'], s['type'], s['key']) for s in m['series']) & {(0, 'sysstat', 'cpu'), (4242, 'sample', 'rss'), (4343, 'sample', 'cpu')})")" \
	"[(0, 'sysstat', 'cpu'), (4242, 'sample', 'rss'), (4343, 'sample', 'cpu')]"
expect "the trigger is counted" "$(meta "$T/dump.html" "m['summary']['triggers']")" 1
if have_browser; then browser watch "$T/dump.html"
else skip "watch dump: browser check (no chromium/node/playwright-core)"; fi
