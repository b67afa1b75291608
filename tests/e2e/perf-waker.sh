#!/bin/sh
# SPDX-License-Identifier: MIT
# The tracer blocks in wait4 alone; a waker thread watches signals, the
# hooks' fds and their ticks and interrupts it (issue 8). While the traced
# command sleeps (no stop for seconds) ticks must still run and a signal
# must still end the trace.
. "$TOP/tests/lib.sh"

cmp --sample 0.05 --json "$T/s.jsonl" -q -- sleep 0.6 >/dev/null 2>&1
n=$(jl "$T/s.jsonl" 'len(of("counter"))')
check "--sample ticks while the tracee sleeps (got $n counter events in 0.6 s at 0.05 s)" test "$n" -ge 2

$ENVI "$C" -q --json "$T/t.jsonl" -- sleep 60 >/dev/null 2>&1 &
cp=$!
sleep 0.5
kill -TERM $cp
i=0
while kill -0 $cp 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 $cp 2>/dev/null; then
	fail "SIGTERM while the tracer waits in wait4: compendium still running after 10 s"
	kill -KILL $cp
else
	ok "SIGTERM while the tracer waits in wait4: compendium ended"
fi
wait $cp 2>/dev/null
expect "the JSON log ends with the end record, interrupted" "$(jl "$T/t.jsonl" 'end["interrupted"]')" "True"
