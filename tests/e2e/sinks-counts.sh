#!/bin/sh
# SPDX-License-Identifier: MIT
# One count everywhere (log/evcount.h; man page, "The summary"): the
# narrative's "N×", the summary's "(N calls)", the JSON read events, the
# -c table and the report's per-file row agree on a file read in 5 calls
# (the final 0-byte read included); the failure count is the same in the
# summary, the JSON end record and the report, and is what the rule gives
# over the JSON events; summary parts that -e leaves out say "not traced";
# CPU time of processes left running at detach is "not measured"; --json
# and -o files are created 0600 (an existing file keeps its mode) and keep
# secrets as traced, while the report redacts them.
. "$TOP/tests/lib.sh"
cd "$T" || exit 1
umask 022

# meta FILE EXPR: EXPR over the report's meta M and its string table S (ids are 1-based), as the page decodes them
meta() {
	python3 - "$1" "$2" <<'PY'
import base64, gzip, json, re, sys
h = open(sys.argv[1], encoding='utf-8').read()
M = json.loads(re.search(r'<script type="application/json" id="meta">(.*?)</script>', h, re.S).group(1))
blocks = re.findall(r'<script type="application/octet-stream" class="trace-data">(.*?)</script>', h, re.S)
raw = gzip.decompress(b''.join(base64.b64decode(b) for b in blocks))
L = [l for l in M['layout'] if l['name'] == 'strings'][0]
S = raw[L['off']:L['off'] + L['n']].decode('utf-8').split('\n')
def path(i): return S[i - 1] if i else ''
print(eval(sys.argv[2]))
PY
}

# --- a 4000-byte file read in 1000-byte blocks: 4 reads and the 0-byte read at its end
head -c 4000 /dev/zero >in.bin
cmp -c -o dd.txt --json dd.jsonl --report dd.html -- dd if="$T/in.bin" of=/dev/null bs=1000 2>/dev/null
expect "dd under compendium exits 0" "$?" 0
narr=$(sed -n "s|^\[+[0-9.]*s\] read $T/in.bin \([0-9]*\)× 3.9 KiB\$|\1|p" dd.txt)
summ=$(sed -n "s|^ *3.9 KiB  $T/in.bin (\([0-9]*\) calls)\$|\1|p" dd.txt)
json=$(jl dd.jsonl "len([e for e in of('read') if e.get('path') == '$T/in.bin' and 'err' not in e])")
zero=$(jl dd.jsonl "len([e for e in of('read') if e.get('path') == '$T/in.bin' and e.get('bytes') == 0])")
rep=$(meta dd.html "[r[4] for r in M['summary']['top_files'] if path(r[0]) == '$T/in.bin']")
expect "the JSON log has 5 read events on the file, one of 0 bytes" "$json $zero" "5 1"
expect "narrative count == JSON count" "$narr" "$json"
expect "summary count == JSON count" "$summ" "$json"
expect "report's read calls on the file == JSON count" "$rep" "[$json]"
# -c counts by syscall: its read-family rows (ld.so's pread64 too) are the JSON read events
crow=$(awk '$NF ~ /^(read|pread64|readv|preadv|preadv2)$/ { n += $4 } END { print n }' dd.txt)
expect "-c read-family calls == the JSON read events" "$crow" "$(jl dd.jsonl "len(of('read'))")"
expect "the end record's read calls and bytes are the events'" "$(jl dd.jsonl "[end['calls']['read'], end['bytes']['read']]")" \
	"$(jl dd.jsonl "[len([e for e in of('read') if 'err' not in e]), sum(e.get('bytes', 0) for e in of('read'))]")"
expect "the report's read calls and bytes are the end record's" \
	"$(meta dd.html "[M['summary']['reads'], M['summary']['bytes_read']]")" "$(jl dd.jsonl "[end['calls']['read'], end['bytes']['read']]")"

# --- failures: refused and in-progress connects, missing files, /proc noise, a failed exec
cat >fails.py <<'PY'
import os, socket, subprocess
for p in ('/nonexistent/a', '/nonexistent/b', '/proc/self/nope'):
    try:
        open(p)
    except OSError:
        pass
free = socket.socket()
free.bind(('127.0.0.1', 0))
port = free.getsockname()[1]
free.close()
s = socket.socket()
print('refused', s.connect_ex(('127.0.0.1', port)))
l = socket.socket()
l.bind(('127.0.0.1', 0))
l.listen()
c = socket.socket()
c.setblocking(False)
print('nonblocking', c.connect_ex(l.getsockname()))
try:
    subprocess.run(['/nonexistent-cmd'])
except OSError:
    pass
PY
cmp -o f.txt --json f.jsonl --report f.html -- python3 fails.py >f.out 2>/dev/null
check "the program refused a connect" grep -q '^refused 111$' f.out
# the rule (log/evcount.h), written again over the JSON events
failed="[e for e in evs if 'err' in e and e['type'] not in ('syscall', 'conn') and e['err'] not in
	('ERESTARTSYS', 'ERESTARTNOINTR', 'ERESTARTNOHAND', 'ENOIOCTLCMD', 'ERESTART_RESTARTBLOCK')
	and not (e['type'] == 'connect' and e['err'] == 'EINPROGRESS')]"
want=$(jl f.jsonl "len($failed)")
noise=$(jl f.jsonl "len([e for e in $failed if e.get('noise')])")
head=$(sed -n 's/^ Failed operations: \([0-9]*\).*/\1/p' f.txt)
expect "the summary's failures are the rule's count over the JSON events" "$head" "$want"
expect "the end record's failed is the same" "$(jl f.jsonl "end['failed']")" "$want"
expect "the report's failed is the same" "$(meta f.html "M['summary']['failed']")" "$want"
if [ "$noise" -gt 0 ]; then
	check "the summary says how many are noise, not listed" grep -q -E "^ Failed operations: $want \(([0-9]+ probing, )?$noise not listed: noise\)\$" f.txt
else
	check "no noise failure, no note" grep -q "^ Failed operations: $want\$" f.txt
fi
# loopback connects are noise: --no-filter lists them
cmp --no-filter -o fn.txt -- python3 fails.py >f.out 2>/dev/null
check "a refused connect is a failed operation" grep -q '^   connect ECONNREFUSED ×1$' fn.txt
if grep -q '^nonblocking 115$' f.out; then
	check "a non-blocking connect's EINPROGRESS is not" sh -c '! grep -q "^   connect EINPROGRESS" fn.txt'
else
	skip "the non-blocking connect completed at once; no EINPROGRESS to check"
fi

# --- -e: a part of the summary the selection cannot see says so
cmp -e trace=network -o n.txt -- python3 fails.py >/dev/null 2>&1
check "-e trace=network: file bytes are not traced" \
	grep -q '^ I/O:      Files not traced (-e trace= left read/write out)   Net sent ' n.txt
cmp -e 'trace=!mmap,!munmap' -o m.txt -- python3 fails.py >/dev/null 2>&1
check "-e trace=!mmap,!munmap: mmap is not traced, the heap is" \
	grep -qE '^ Memory:   (Peak RSS .*   )?mapped: heap [0-9.]+ ([KMG]i)?B, mmap not traced \(-e trace= left these calls out\)$' m.txt
cmp -e trace=file -o fi.txt -- python3 fails.py >/dev/null 2>&1
check "-e trace=file: memory and I/O are not traced" \
	test "$(grep -cE '^ (Memory:   (Peak RSS .*   mapped: )?|I/O:      )not traced' fi.txt)" -eq 2

# --- attach, then detach with the process still running: its CPU time is not known
sh -c 'while :; do sleep 0.05; done' &
spin=$!
# env execs compendium: $! is its pid
$ENVI "$C" -o a.txt --json a.jsonl -p "$spin" &
cpid=$!
i=0
while [ $i -lt 100 ] && ! grep -q 'attached' a.txt 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
kill -TERM "$cpid"
wait "$cpid"
kill "$spin"
check "attach: the summary says CPU was not measured" grep -q '   CPU not measured (left running at detach' a.txt
expect "attach: the end record says its CPU time is partial" "$(jl a.jsonl "end['cpu'].get('partial')")" True

# --- files: --json and -o are created 0600; an existing file keeps its mode
mode() { stat -c %a "$1"; }
cmp -o o.txt --json j.jsonl -- true
expect "--json creates its file 0600" "$(mode j.jsonl)" 600
expect "-o creates its file 0600" "$(mode o.txt)" 600
: >old.jsonl; : >old.txt
chmod 644 old.jsonl old.txt
cmp -o old.txt --json old.jsonl -- true
expect "an existing --json file keeps 0644" "$(mode old.jsonl)" 644
expect "an existing -o file keeps 0644" "$(mode old.txt)" 644

# --- secrets: the report redacts; the JSON log and the narrative keep what was traced (documented)
cmp -o s.txt --json s.jsonl --report s.html -- sh -c ':' x 'https://bob:hunter2@example.com/' \
	'Authorization: Bearer t0kenXYZ' 2>/dev/null
check "the JSON log keeps URL userinfo" grep -q 'bob:hunter2@' s.jsonl
check "the JSON log keeps an Authorization header" grep -q 'Bearer t0kenXYZ' s.jsonl
check "the narrative file keeps them" grep -q 'bob:hunter2@' s.txt
expect "the report has neither" "$(meta s.html "any('hunter2' in x or 't0kenXYZ' in x for x in S + M['argv'])")" False
