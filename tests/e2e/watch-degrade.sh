#!/bin/sh
# SPDX-License-Identifier: MIT
# Where the kernel's exit events are not available (a network namespace of
# its own, as in many containers) --watch says so in one warning line and
# goes on sampling /proc; a dump renders as an HTML report.
. "$TOP/tests/lib.sh"
prio_script
WPID=
trap '[ -n "$WPID" ] && kill -TERM $WPID 2>/dev/null; rm -rf "$T"' EXIT
if ! unshare -n true 2>/dev/null; then
	skip "no network namespaces here"
	exit 0
fi
mkdir -m 0700 "$T/d"
printf 'sampling_interval_seconds = 0.1\npost_trigger_seconds = 0.5\n' >"$T/c.conf"
chmod 0600 "$T/c.conf"
setsid "$T/prio" unshare -n $ENVI "$C" --watch --config "$T/c.conf" --dump-dir "$T/d" 2>"$T/w.err" &
WPID=$!
i=0
while ! grep -q 'watching every process' "$T/w.err" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
setsid "$T/prio" "$P/watch_load" hog nsholder_wt 1.2 >"$T/hog.out"
HP=$(sed -n 's/^pid //p' "$T/hog.out")
sleep 1
kill -TERM $WPID
wait $WPID
expect "exits 0" "$?" 0
WPID=
expect "one warning line about the missing exit events" "$(grep -c 'warning: taskstats' "$T/w.err")" 1
check "the warning says what is lost" grep -q 'processes shorter than one interval will be missed' "$T/w.err"
f=$(grep -l "\"pid\":$HP,\"start\"" "$T"/d/spike_newproc_* 2>/dev/null | head -1)
check "sampling still catches a hog" [ -n "$f" ]
if [ -n "$f" ]; then
	cmp --report "$T/spike.html" --from "$f" 2>"$T/r.err"
	expect "--report --from a dump succeeds" "$?" 0
	check "the report names the trigger kind" grep -q 'newproc' "$T/spike.html"
fi
