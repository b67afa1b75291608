#!/bin/sh
# SPDX-License-Identifier: MIT
# Bounded memory: under process churn (fork storms and 1,000 processes
# coming and going, three rounds) the sampler's resident size plateaus.
. "$TOP/tests/lib.sh"
W=$P/watch_load
WPID= IPID=
trap 'for p in $IPID $WPID; do kill -TERM $p 2>/dev/null; done; rm -rf "$T"' EXIT
mkdir -m 0700 "$T/d"
printf 'sampling_interval_seconds = 0.05\npost_trigger_seconds = 0.5\n' >"$T/c.conf"
chmod 0600 "$T/c.conf"
$ENVI "$C" --watch --config "$T/c.conf" --dump-dir "$T/d" 2>"$T/watch.err" &
WPID=$!
i=0
while ! grep -q 'watching every process' "$T/watch.err" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
rss() { awk '/^VmRSS:/ {print $2}' /proc/$WPID/status; }
round() {
	$W idle 1000 >"$T/idle.out" &
	IPID=$!
	i=0
	while ! grep -q ready "$T/idle.out" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
	$W churn 3 >>"$T/churn.out"
	kill -TERM $IPID
	wait $IPID 2>/dev/null
	IPID=
	sleep 3.5 # the ring forgets the round
}
round
r1=$(rss)
round
round
r3=$(rss)
hwm=$(awk '/^VmHWM:/ {print $2}' /proc/$WPID/status)
kill -TERM $WPID
wait $WPID
WPID=
echo "# VmRSS after round 1: $r1 kB, after round 3: $r3 kB, VmHWM $hwm kB; $(cat "$T/churn.out" | tr '\n' ' ')"
check "resident size plateaus under churn ($r1 kB -> $r3 kB)" [ "$r3" -le $((r1 + r1 / 10 + 1024)) ]
check "peak resident size bounded (VmHWM $hwm kB < 64 MiB)" [ "$hwm" -lt 65536 ]
