#!/bin/sh
# SPDX-License-Identifier: MIT
# The report's details panel, export and header in a real browser (issue
# 16): the fields of a known open, read, write, mmap and connect as a table
# with exact values and units, flags split, errno meanings; the fd links
# (open event, previous and next on the fd) land on the events the JSON
# Lines log of the same run says; a file name made to look like more fields
# adds none; the export parsed back has every field of every event of the
# log as its own arg, named processes and threads, and the --sample
# counters as counter events; the header says how the command ended.
. "$TOP/tests/lib.sh"

browser_checks detail-test.js

# the fields of known calls, and the fd links
mkdir "$T/d"
cmp -q --json "$T/d.jsonl" --report "$T/d.html" -- "$P/rep_detail" "$T/d" >"$T/d.out" 2>"$T/err"
check "rep_detail ran and its report was written" test -s "$T/d.html"
port=$(sed -n 's/^port //p' "$T/d.out")
check "rep_detail said its port" test -n "$port"
browser fields "$T/d.html" --jsonl "$T/d.jsonl" --port "$port"
browser export "$T/d.html" --jsonl "$T/d.jsonl"
browser header "$T/d.html" --text "exit 0"

# processes, threads and --sample counters in the export
mkdir "$T/l"
cmp -q --sample 0.05 --json "$T/l.jsonl" --report "$T/l.html" -- sh -c "'$P/rep_lanes' '$T/l'; sleep 0.5" 2>"$T/err"
check "report with --sample written" test -s "$T/l.html"
browser export "$T/l.html" --jsonl "$T/l.jsonl" --counters 1

# how the command ended, in the summary's words
cmp -q --report "$T/x3.html" -- sh -c 'exit 3' 2>"$T/err"
browser header "$T/x3.html" --text "exit 3"
cmp -q --report "$T/k9.html" -- sh -c 'kill -9 $$' 2>"$T/err"
browser header "$T/k9.html" --text "killed by SIGKILL; compendium exit 137"
# a watch dump ran no command: no outcome
python3 - "$T/w.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    w = lambda o: f.write(json.dumps(o) + "\n")
    w({"type": "header", "version": 2, "argv": ["compendium", "--watch"], "start": "2026-01-01T00:00:00Z",
       "host": "dump-host", "kernel": "6.1.0", "compendium": "0.1.0", "mode": "watch"})
    w({"t": 1.0, "pid": 0, "tid": 0, "type": "sysstat", "cat": "system", "cpu": 10.0, "mem_avail": 1 << 30})
    w({"t": 1.5, "pid": 0, "tid": 0, "type": "trigger", "cat": "system", "kind": "cpu", "value": 95.0, "msg": "cpu hog"})
    w({"type": "end", "duration": 2.0, "interrupted": False})
PY
cmp -q --report "$T/w.html" --from "$T/w.jsonl" 2>"$T/err"
check "report of a watch dump written" test -s "$T/w.html"
browser header "$T/w.html" --text none
