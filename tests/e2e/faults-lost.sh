#!/bin/sh
# SPDX-License-Identifier: MIT
# --faults is never silently lossy (doc/ENGINE.md, 'Samples lost without a trace'): with a one-page sample ring
# (COMPENDIUM_FAULT_RING_PAGES=1) a program faulting 200k pages must lose samples; the end record
# then says how many (PERF_FORMAT_LOST), sampled + lost accounts for every counted fault, the
# summary says "sampled N of M", and counting stays exact. Then perf made unavailable (a seccomp
# filter answering EACCES, as paranoid=3 does) is one warning line and tracing carries on.
. "$TOP/tests/lib.sh"

$ENVI COMPENDIUM_FAULT_RING_PAGES=1 timeout 120 "$C" --faults --json "$T/out.jsonl" -o "$T/narr.txt" -- \
	"$P/flt_many" 4096 50 >"$T/stdout" 2>"$T/stderr"
rc=$?
expect "flt_many exits 0 under --faults with a tiny ring" "$rc" 0
expect "the tracee did its 204800 touches" "$(cat "$T/stdout")" "flt_many 4096 50 204800"
total=$(jl "$T/out.jsonl" "end['faults']['total']")
sampled=$(jl "$T/out.jsonl" "end['faults']['sampled']")
lost=$(jl "$T/out.jsonl" "end['faults']['lost']")
check "counting is exact: total >= 204800 touched ($total)" test "$total" -ge 204800
check "samples were lost and counted ($lost)" test "$lost" -gt 0
check "sampled < total ($sampled of $total)" test "$sampled" -lt "$total"
# both come from the same sampling events; the counters open at the same exec
d=$((total - sampled - lost))
check "sampled + lost = total, within 64 ($sampled + $lost vs $total)" test "${d#-}" -le 64
check "the summary says 'sampled N of M'" grep -q "sampled $sampled of $total" "$T/stderr" "$T/narr.txt"
n=$(jl "$T/out.jsonl" "len(of('fault'))")
expect "one fault event per sample" "$n" "$sampled"

# perf unavailable: one warning line, the trace is otherwise complete
$ENVI "$P/flt_noperf" "$C" --faults --json "$T/np.jsonl" -- "$P/stk_chain" 1 >"$T/np.out" 2>"$T/np.err"
rc=$?
expect "perf unavailable: the run still exits 0" "$rc" 0
w=$(grep -c 'warning' "$T/np.err")
expect "perf unavailable: exactly one warning line" "$w" 1
check "the warning names --faults and the cause" grep -q -- '--faults: page-fault events unavailable (perf_event_open: Permission denied' "$T/np.err"
u=$(jl "$T/np.jsonl" "end['faults']['unavailable'].startswith('perf_event_open: Permission denied')")
expect "end.faults.unavailable says why" "$u" True
o=$(jl "$T/np.jsonl" "len([e for e in of('open') if e.get('path') == '/nonexistent/stk_chain_marker'])")
expect "the rest of the trace is there (the marker open)" "$o" 1
expect "the tracee's output is intact" "$(cat "$T/np.out")" "stk_chain 1 5"

# doc/ENGINE.md, 'Locked-memory and fd limits': a ring over the locked-memory limit (root without CAP_IPC_LOCK, RLIMIT_MEMLOCK 0, a 1024-page
# ring per CPU over perf_event_mlock_kb) leaves exact counting, said once
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null || ! command -v prlimit >/dev/null; then
	skip "locked-memory and non-root checks need root, setpriv and prlimit"
	exit 0
fi
mkdir "$T/ml"
$ENVI COMPENDIUM_FAULT_RING_PAGES=1024 prlimit --memlock=0:0 setpriv --bounding-set=-ipc_lock \
	"$C" -q --faults --json "$T/ml/b.jsonl" -- "$P/flt_pages" "$T/ml" >/dev/null 2>"$T/ml.err"
rc=$?
expect "mlock limit: the run still exits 0" "$rc" 0
expect "mlock limit: one warning" "$(grep -c warning "$T/ml.err")" 1
check "mlock limit: the warning says counting only" grep -q 'sampling unavailable (mmap of the sample ring: Operation not permitted); counting only' "$T/ml.err"
s=$(jl "$T/ml/b.jsonl" "[end['faults']['total'] >= 1300, end['faults']['sampled'], end['faults'].get('sampling'), len(of('fault'))]")
expect "mlock limit: exact counts, no samples" "$s" '[true, 0, "unavailable", 0]'
check "mlock limit: the summary says sampled 0 of M" grep -q 'sampled 0 of [0-9]' "$T/ml.err"
# the default ring shrinks or fits under the same limits: sampling works
$ENVI prlimit --memlock=0:0 setpriv --bounding-set=-ipc_lock \
	"$C" -q --faults --json "$T/ml/c.jsonl" -- "$P/flt_pages" "$T/ml" >/dev/null 2>"$T/ml2.err"
expect "mlock limit, default ring: no warning" "$(grep -c warning "$T/ml2.err")" 0
s=$(jl "$T/ml/c.jsonl" "end['faults']['sampled'] >= 1300 and end['faults']['file'] >= 200")
expect "mlock limit, default ring: samples" "$s" True

# doc/ENGINE.md, 'Unprivileged page-fault events': non-root with perf_event_paranoid=2 works through exclude_kernel
par=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo 9)
if [ "$par" -gt 2 ]; then
	skip "kernel.perf_event_paranoid is $par: non-root perf is off here"
elif ! err=$($ENVI setpriv --reuid=65534 --regid=65534 --clear-groups "$C" -q -- /bin/true 2>&1 >/dev/null); then
	skip "compendium cannot trace as nobody here (engine): $(echo "$err" | grep error)"
else
	chmod 755 "$T"
	mkdir "$T/nb" && chmod 777 "$T/nb"
	$ENVI setpriv --reuid=65534 --regid=65534 --clear-groups "$C" -q --faults --json "$T/nb/a.jsonl" -- \
		"$P/flt_pages" "$T/nb" >/dev/null 2>"$T/nb.err"
	expect "as nobody (paranoid $par): no warning" "$(grep -c warning "$T/nb.err")" 0
	s=$(jl "$T/nb/a.jsonl" "end['faults']['total'] >= 1300 and end['faults']['sampled'] >= 1300 and end['faults']['file'] >= 200")
	expect "as nobody: counts and samples" "$s" True
fi
