#!/bin/sh
# SPDX-License-Identifier: MIT
# The summary's Memory line against the kernel's own measure (issue 13): every process exit
# carries maxrss, the end record peak_rss, and the summary leads with the peak resident set,
# never a "Total" of mapped address space. Ground truths: getrusage(RUSAGE_CHILDREN).ru_maxrss
# around the same command, and a program's own VmHWM.
. "$TOP/tests/lib.sh"

# bytes (a number) from the summary's size text "126.3 MiB" (fmt_size: powers of 1024)
size_of() {
	python3 -c '
import sys
n, u = sys.argv[1].split()
print(int(float(n) * {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}[u]))' "$1"
}
# the first "Peak RSS <size>" in FILE, in bytes
peak_in() {
	s=$(sed -n 's/^ Memory:   Peak RSS \([0-9.]* [KMG]*i*B\).*/\1/p' "$1" | head -1)
	[ -n "$s" ] && size_of "$s"
}
cmp_files() { command cmp -s "$1" "$2"; }
# within PCT percent: within A B PCT
within() { python3 -c 'import sys; a, b, p = map(float, sys.argv[1:]); sys.exit(0 if abs(a - b) <= b * p / 100 else 1)' "$@"; }

cat >"$T/maxrss.py" <<'PY'
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
PY

# ---- sort of a ~30 MB file ----
python3 -c '
import random, sys
r = random.Random(13)
with open(sys.argv[1], "w") as f:
    for i in range(600000):
        f.write("%016x %s\n" % (r.getrandbits(64), "x" * 35))' "$T/big.txt"
truth=$(cd "$T" && $ENVI python3 "$T/maxrss.py" sort -o out1 big.txt)
(cd "$T" && cmp -q -o "$T/sort.txt" --json "$T/sort.jsonl" -- sort -o out2 big.txt)
expect "sort under compendium exits 0" "$?" 0
check "sort wrote the same output" cmp_files "$T/out1" "$T/out2"
peak=$(peak_in "$T/sort.txt")
if [ -n "$peak" ] && within "$peak" "$truth" 10; then
	ok "sort: summary's peak RSS $peak within 10% of ru_maxrss $truth"
else
	fail "sort: summary's peak RSS '${peak:-none}' vs ru_maxrss $truth: $(grep Memory "$T/sort.txt")"
fi
check "sort: the Memory line leads with the peak and says mapped" \
	grep -q '^ Memory:   Peak RSS [0-9.]* MiB (sort, pid [0-9]*)   mapped [0-9.]* [KMG]*i*B (heap ' "$T/sort.txt"
expect "sort: no Total in the summary" "$(grep -c Total "$T/sort.txt")" 0
got=$(jl "$T/sort.jsonl" "end['peak_rss'] == max(e['maxrss'] for e in of('exit') if not e['thread'])")
expect "sort: end.peak_rss is the largest exit maxrss" "$got" True
got=$(jl "$T/sort.jsonl" "abs(end['peak_rss'] - $truth) <= $truth / 10")
expect "sort: end.peak_rss within 10% of ru_maxrss" "$got" True
check "sort: the process tree shows its peak" \
	grep -q ' sort -o out2 big.txt .*exit 0, peak RSS [0-9.]* MiB$' "$T/sort.txt"
# read back (--from): the report's summary has the same peak
cmp --report "$T/sort.html" --from "$T/sort.jsonl" >/dev/null 2>&1
got=$(python3 -c '
import json, re, sys
h = open(sys.argv[1]).read()
m = re.search(r"<script[^>]*id=\"meta\"[^>]*>(.*?)</script>", h, re.S)
print(json.loads(m.group(1))["summary"]["peak_rss"] if m else "no meta")' "$T/sort.html" 2>&1)
expect "--from: the report's peak_rss is the log's" "$got" "$(jl "$T/sort.jsonl" "end['peak_rss']")"

# ---- a Python script with threads and subprocesses ----
cat >"$T/tree.py" <<'PY'
import subprocess, sys, threading
big = bytearray(40 << 20)          # the parent's own 40 MB, touched
for i in range(0, len(big), 4096):
    big[i] = 1
def child(mb):
    subprocess.run([sys.executable, "-c",
                    "b = bytearray(%d << 20)\nfor i in range(0, len(b), 4096): b[i] = 1" % mb], check=True)
ts = [threading.Thread(target=child, args=(mb,)) for mb in (8, 16, 24)]
for t in ts: t.start()
for t in ts: t.join()
subprocess.run(["sh", "-c", "true"], check=True)
PY
cmp -q -o "$T/py.txt" --json "$T/py.jsonl" -- python3 "$T/tree.py"
expect "python tree exits 0" "$?" 0
got=$(jl "$T/py.jsonl" "len([e for e in of('exit') if not e['thread'] and e.get('maxrss', 0) > 0]) == len([e for e in of('exit') if not e['thread']]) >= 5")
expect "python: every process exit carries maxrss" "$got" True
got=$(jl "$T/py.jsonl" "end['peak_rss'] == max(e['maxrss'] for e in of('exit') if not e['thread'])")
expect "python: end.peak_rss is the largest exit maxrss" "$got" True
got=$(jl "$T/py.jsonl" "end['peak_rss'] >= 40 << 20")
expect "python: peak_rss covers the parent's 40 MB" "$got" True
peak=$(peak_in "$T/py.txt")
want=$(jl "$T/py.jsonl" "end['peak_rss']")
# the summary rounds to 0.1 of its unit
if [ -n "$peak" ] && within "$peak" "$want" 0.3; then
	ok "python: the summary's peak RSS is end.peak_rss ($want)"
else
	fail "python: summary '$(grep Memory "$T/py.txt")' vs end.peak_rss $want"
fi
check "python: the Memory line names the largest process" \
	grep -q '^ Memory:   Peak RSS [0-9.]* MiB (largest process: python3, pid [0-9]*)' "$T/py.txt"
expect "python: the tree gives each process its peak" \
	"$(grep -c '\(exit 0\|killed by .*\), peak RSS [0-9.]* [KMG]*i*B$' "$T/py.txt")" \
	"$(jl "$T/py.jsonl" "len([e for e in of('exit') if not e['thread']])")"

# ---- the leader exits first; a thread touches memory afterwards ----
cmp -q -o "$T/late.txt" --json "$T/late.jsonl" -- "$P/mem_touch" 24 late >"$T/late.out"
hwm=$(sed -n 's/.*hwm=//p' "$T/late.out")
got=$(jl "$T/late.jsonl" "[e for e in of('exit') if not e['thread']][0]['maxrss'] >= $hwm > 24 << 20")
expect "leader exited first: maxrss counts what a thread touched later" "$got" True

# ---- --pid: an attached process that keeps 48 MB ----
mkfifo "$T/go"
$ENVI "$P/mem_touch" 48 hold "$T/go" >"$T/hold.out" 2>&1 &
prog=$!
i=0
while ! grep -q '^mem_touch pid=' "$T/hold.out" && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
hwm=$(sed -n 's/.*hwm=//p' "$T/hold.out")
$ENVI "$C" -q -o "$T/att.txt" --json "$T/att.jsonl" -p "$prog" 2>/dev/null &
cpid=$!
i=0
while [ "$(awk '/^TracerPid:/ {print $2}' /proc/"$prog"/status 2>/dev/null)" = 0 ] && [ $i -lt 500 ]; do
	sleep 0.02; i=$((i + 1))
done
# SIGTERM: a background job of sh starts with SIGINT ignored, and compendium keeps it so
kill -TERM "$cpid"
i=0
while kill -0 "$cpid" 2>/dev/null && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
kill -0 "$cpid" 2>/dev/null && kill -KILL "$cpid"
wait "$cpid"
expect "compendium -p detaches on SIGTERM" "$?" 0
echo x >"$T/go"
wait "$prog"
expect "the attached process carries on and exits 0" "$?" 0
peak=$(peak_in "$T/att.txt")
if [ -n "$peak" ] && [ "$peak" -ge $((48 << 20)) ] && [ "$peak" -ge "$((hwm - hwm / 100))" ]; then
	ok "attached: the summary's peak RSS $peak covers the 48 MB held (VmHWM $hwm)"
else
	fail "attached: summary '$(grep Memory "$T/att.txt")' vs VmHWM $hwm"
fi
got=$(jl "$T/att.jsonl" "of('detach')[0]['maxrss'] == end['peak_rss'] >= $hwm")
expect "attached: the detach carries maxrss, the end record peak_rss" "$got" True
check "attached: the tree says still running with its peak" grep -q 'still running, peak RSS [0-9.]* MiB$' "$T/att.txt"

# ---- --faults: the RSS counter is read while the memory exists ----
cmp -q -o "$T/flt.txt" --faults --json "$T/flt.jsonl" -- "$P/mem_touch" 12 >"$T/flt.out"
hwm=$(sed -n 's/.*hwm=//p' "$T/flt.out")
got=$(jl "$T/flt.jsonl" "abs(max(e['rss'] for e in of('counter') if 'rss' in e) - $hwm) <= $hwm / 10")
expect "--faults: the largest rss counter is within 10% of VmHWM $hwm" "$got" True
got=$(sed -n 's/^ Peak RSS: \([0-9.]* [KMG]*i*B\).*/\1/p' "$T/flt.txt")
if [ -n "$got" ] && within "$(size_of "$got")" "$hwm" 10; then
	ok "--faults: the summary's Peak RSS $got is the process's VmHWM $hwm"
else
	fail "--faults: the summary's Peak RSS '${got:-none}' vs VmHWM $hwm"
fi
