#!/bin/sh
# SPDX-License-Identifier: MIT
# Non-dumpable tracees (doc/ENGINE.md, 'Non-dumpable tracees'): an
# execute-only copy of dec_nodump traced by a user who cannot read it, and a
# dumpable program that calls prctl(PR_SET_DUMPABLE, 0). Its memory and /proc
# entries are closed to the tracer: one warning names the process, and what
# cannot be known is "unknown (memory not readable)" in the narrative, the
# summary, the JSON and the report, never anon memory or a pipe. The same
# program readable by the tracer is unaffected. Run as root, the traces are
# made as nobody (setpriv); as another user, with a copy of mode 0111.
. "$TOP/tests/lib.sh"

chmod 0755 "$T"
mkdir "$T/o" && chmod 1777 "$T/o"
head -c 5000 /dev/urandom >"$T/data" && chmod 0644 "$T/data"
cp "$P/dec_nodump" "$T/nd_exec" && chmod 0111 "$T/nd_exec"
cp "$P/dec_nodump" "$T/nd_read" && chmod 0755 "$T/nd_read"
if [ "$(id -u)" = 0 ]; then
	if ! command -v setpriv >/dev/null 2>&1; then
		skip "non-dumpable tracees: setpriv is not installed (needed to trace as nobody)"
		exit 0
	fi
	AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	if ! $AS test -x "$C" || ! $AS test -r "$T/data"; then
		skip "non-dumpable tracees: nobody cannot run $C"
		exit 0
	fi
else
	AS=
fi

# has / lacks "description" PATTERN FILE: FILE has a line matching PATTERN, or none
has() { if grep -q -- "$2" "$3"; then ok "$1"; else fail "$1"; fi; }
lacks() { if grep -q -- "$2" "$3"; then fail "$1"; else ok "$1"; fi; }

# run NAME ARGS...: trace as the unprivileged user; narrative and summary in
# $T/o/NAME.txt, JSON in $T/o/NAME.jsonl, report $T/o/NAME.html, stderr $T/o/NAME.err
run() {
	_n=$1; shift
	$ENVI $AS "$C" --no-filter -o "$T/o/$_n.txt" --json "$T/o/$_n.jsonl" --report "$T/o/$_n.html" \
		-- "$@" >"$T/o/$_n.out" 2>"$T/o/$_n.err"
}

run x "$T/nd_exec" "$T/data"
expect "the execute-only program ran under compendium" "$?" 0
if ! grep -q "^read 5000" "$T/o/x.out"; then
	fail "the execute-only program read its file ($(cat "$T/o/x.out" "$T/o/x.err"))"
fi
pid=$(jl "$T/o/x.jsonl" "[e['pid'] for e in of('exec')][0]")

# the warning: once, on stderr, in the narrative, the summary and the log
n=$(grep -c "warning: pid $pid (nd_exec): memory not readable" "$T/o/x.err")
expect "one warning line on stderr names the process (pid, comm)" "$n" 1
has "the warning says what will be missing" "the paths it passes and the names of its files, pipes and mappings are unknown" "$T/o/x.err"
n=$(grep -c "\] warning: pid $pid (nd_exec): memory not readable" "$T/o/x.txt")
expect "one warning in the narrative" "$n" 1
n=$(grep -c "^ Warning:  pid $pid (nd_exec): memory not readable" "$T/o/x.txt")
expect "one warning in the summary" "$n" 1
expect "one warning event marks the process in the log" \
	"$(jl "$T/o/x.jsonl" "[[e['pid'], e.get('kind'), e.get('comm')] for e in of('warning')]")" \
	"[[$pid, \"unreadable\", \"nd_exec\"]]"

# the JSON: every event that would name a file, pipe or mapping says why it cannot
expect "the open of the data file: path unknown, not guessed" \
	"$(jl "$T/o/x.jsonl" "[[e.get('path'), e.get('unknown')] for e in of('open')][-1]")" \
	'[null, "memory not readable"]'
expect "its read: 5000 bytes on an unknown fd" \
	"$(jl "$T/o/x.jsonl" "[[e.get('path'), e.get('desc'), e.get('unknown')] for e in of('read') if e.get('bytes') == 5000]")" \
	'[[null, null, "memory not readable"]]'
expect "its mapping: a file mapping of unknown name, not anonymous" \
	"$(jl "$T/o/x.jsonl" "[[e.get('path'), e.get('unknown')] for e in of('mmap') if e.get('len') == 4096 and 'fd' in e]")" \
	'[[null, "memory not readable"]]'
expect "no read, write or file mapping is left unnamed without saying why" \
	"$(jl "$T/o/x.jsonl" "[e for e in evs if (e['type'] in ('read', 'write') or (e['type'] == 'mmap' and 'fd' in e)) and not ('path' in e or 'desc' in e or 'unknown' in e)]")" '[]'
expect "the unknown reads add up to every byte read" \
	"$(jl "$T/o/x.jsonl" "sum(e.get('bytes', 0) for e in of('read') if 'unknown' in e) == end['bytes']['read'] > 5000")" True

# the narrative and the summary
has "narrative: the open says unknown (memory not readable)" "open unknown (memory not readable) (read)" "$T/o/x.txt"
has "narrative: the read says unknown (memory not readable)" "read fd [0-9]* unknown (memory not readable) *4.9 KiB" "$T/o/x.txt"
has "narrative: the file mapping says unknown (memory not readable)" "mmap [0-9a-f]*-[0-9a-f]* r-- *4.0 KiB unknown (memory not readable)" "$T/o/x.txt"
n=$(grep "mmap .* anon$" "$T/o/x.txt" | grep -c "4.0 KiB")
expect "narrative: no page-sized mapping is called anon" "$n" 0
has "summary: an Unknown (memory not readable) I/O bucket with the reads" "Unknown (memory not readable) read [0-9.]* KiB   written " "$T/o/x.txt"
lacks "summary: nothing counted under Pipes/ttys/other" "Pipes/ttys/other" "$T/o/x.txt"
lacks "summary: no 'Files read 0 B' claimed as known" "Files read 0 B " "$T/o/x.txt"
has "summary: the files' figure is what is known (at least)" "Files read at least 0 B" "$T/o/x.txt"

# the report's string table carries the label
python3 - "$T/o/x.html" <<'PY'
import base64, gzip, json, re, sys
h = open(sys.argv[1], encoding='utf-8').read()
meta = json.loads(re.search(r'<script type="application/json" id="meta">(.*?)</script>', h, re.S).group(1))
blocks = re.findall(r'<script type="application/octet-stream" class="trace-data">(.*?)</script>', h, re.S)
raw = gzip.decompress(b''.join(base64.b64decode(b) for b in blocks))
strings = raw[[l for l in meta['layout'] if l['name'] == 'strings'][0]['off']:].decode('utf-8')
ok = 'unknown (memory not readable)' in strings
print(('ok - ' if ok else 'not ok - ') + 'report: unknown (memory not readable) in its paths')
PY

# the same program, readable: unaffected
run r "$T/nd_read" "$T/data"
expect "the readable copy ran" "$?" 0
expect "readable: no warning" "$(grep -c "memory not readable" "$T/o/r.err")" 0
expect "readable: nothing unknown in the log" "$(jl "$T/o/r.jsonl" "[e['type'] for e in evs if 'unknown' in e or e['type'] == 'warning']")" '[]'
expect "readable: the read and the mapping name the file" \
	"$(jl "$T/o/r.jsonl" "sorted(set(e['type'] for e in evs if e.get('path') == '$T/data'))")" '["close", "mmap", "open", "read"]'
grep -q "Files read [0-9.]* [KM]*i*B   written " "$T/o/r.txt" && grep -q "Pipes/ttys/other read 2 B" "$T/o/r.txt" &&
	has "readable: the summary counts the file and the pipe as before" "^ *4.9 KiB  $T/data\$" "$T/o/r.txt"
lacks "readable: no unknown in the narrative or summary" "unknown" "$T/o/r.txt"

# a dumpable program that makes itself non-dumpable: found at its first refused read
run p "$T/nd_read" "$T/data" nodump
expect "the prctl program ran" "$?" 0
n=$(grep -c "warning: pid [0-9]* (nd_read): memory not readable" "$T/o/p.err")
expect "prctl: one warning" "$n" 1
expect "prctl: its read after the prctl is unknown, the loader's before it are files" \
	"$(jl "$T/o/p.jsonl" "[sorted(set(e.get('unknown', 'file' if (e.get('path') or '').startswith('/') else 'other') for e in of('read'))), [e.get('unknown') for e in of('read') if e.get('bytes') == 5000]]")" \
	'[["file", "memory not readable"], ["memory not readable"]]'
