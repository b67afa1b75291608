#!/bin/sh
# SPDX-License-Identifier: MIT
# --faults --pid (issue 5; doc/ENGINE.md, 'Inherit covers only later children'): inherited counters cover only tasks created later, so an
# attached process needs events on every thread it already has. flt_threads starts 3 threads that
# block on a FIFO; once compendium is attached to all of them (TracerPid in /proc), each thread
# writes to 100 fresh pages. Every one of those 300 faults must be sampled under the right tid.
. "$TOP/tests/lib.sh"

mkfifo "$T/go"
$ENVI "$P/flt_threads" "$T/go" >"$T/prog.out" 2>&1 &
prog=$!
exec 3>"$T/go"  # lets flt_threads open its end
i=0
while ! grep -q '^flt_threads ready' "$T/prog.out" && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
$ENVI "$C" -q --faults --json "$T/out.jsonl" --pid "$prog" >/dev/null 2>"$T/err" &
cpid=$!
# wait until every thread is traced
i=0
while [ $i -lt 500 ]; do
	n=0 traced=0
	for s in /proc/"$prog"/task/*/status; do
		n=$((n + 1))
		tp=$(awk '/^TracerPid:/ {print $2}' "$s" 2>/dev/null)
		[ "${tp:-0}" != 0 ] && traced=$((traced + 1))
	done
	[ "$n" -eq 4 ] && [ "$traced" -eq 4 ] && break
	sleep 0.02; i=$((i + 1))
done
expect "all 4 threads traced" "$traced" 4
printf 'abc' >&3
exec 3>&-
wait "$prog"
expect "flt_threads exits 0" "$?" 0
wait "$cpid"
expect "compendium exits 0" "$?" 0
expect "no warnings" "$(grep -c warning "$T/err")" 0

grep '^flt_threads pid=' "$T/prog.out" | sed 's/.*tid=\([0-9]*\) start=\(0x[0-9a-f]*\) pages=\([0-9]*\)/\1 \2 \3/' >"$T/ranges"
expect "three thread ranges" "$(wc -l <"$T/ranges")" 3
while read -r tid start pages; do
	got=$(jl "$T/out.jsonl" "len([e for e in of('fault') if $start <= int(e['addr'],16) < $start + $pages*4096 and e['tid'] == $tid and e['region'] == 'anon'])")
	expect "thread $tid: its $pages faults sampled, anon, under its tid" "$got" "$pages"
done <"$T/ranges"
t=$(jl "$T/out.jsonl" "end['faults']['total'] >= 300 and end['faults']['sampled'] >= 300")
expect "end.faults counts the existing threads' faults" "$t" True
