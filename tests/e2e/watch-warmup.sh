#!/bin/sh
# SPDX-License-Identifier: MIT
# Baseline warm-up (issue 16): a process already spinning when the watch
# starts is no CPU spike: its past is unknown, so its baseline starts from
# its first measured interval and it is judged only after
# baseline_warmup_seconds. Before, it triggered 'cpu' at the second scan
# with "baseline 0.0%". Detection still works for everything else: an idle
# process that was there before the watch and starts spinning after the
# warm-up is a 'cpu' spike (its baseline, near 0, in the trigger record),
# and a new process that spins at once is a 'newproc' spike (no warm-up:
# the watch saw its whole life). Processes run at raised priority in
# sessions of their own; every wait is for a log line or a /proc condition.
. "$TOP/tests/lib.sh"
prio_script
W="setsid $T/prio $P/watch_load"
WPID='' OLD='' RISE=''
cleanup() { for q in $WPID $OLD $RISE; do stop_bg "$q"; done; rm -rf "$T"; }
trap cleanup EXIT
D=$T/dumps
mkdir -m 0700 "$D"
cat >"$T/c.conf" <<'CONF'
# only the timing is shortened; every threshold is the default
sampling_interval_seconds = 0.1
baseline_warmup_seconds = 2
post_trigger_seconds = 0.5
CONF
chmod 0600 "$T/c.conf"
HZ=$(getconf CLK_TCK)
# age PID: seconds since PID started (0 when it is gone)
age() { awk -v hz="$HZ" -v up="$(cut -d' ' -f1 /proc/uptime)" '{sub(/.*\) /, ""); print int(up - $20 / hz)}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# ticks PID: user + system CPU ticks of PID
ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat"; }
old_enough() { [ "$(age "$OLD")" -ge 6 ] && [ "$(age "$RISE")" -ge 6 ]; }

# a hog spinning before the watch starts (long enough for the whole test)
$W hog oldhog_wt 110 >"$T/old.out" &
OLD=$!
# an idle process from before the watch that will exec a hog when told (exec keeps its pid and start)
mkfifo "$T/go"
setsid "$T/prio" sh -c 'read x <"$1"; exec "$2" hog riser_wt 2' sh "$T/go" "$P/watch_load" >"$T/rise.out" &
RISE=$!
# both older than a new process (5 s) when the watch starts
check "the two processes are older than 5 s before the watch starts" wait_for 30 old_enough
wait_for 10 grep -q '^pid ' "$T/old.out"

setsid "$T/prio" $ENVI "$C" --watch --config "$T/c.conf" --dump-dir "$D" 2>"$T/w.err" &
WPID=$!
wait_for 20 grep -qs 'watching every process' "$T/w.err"
t0=$(date +%s.%N) k0=$(ticks "$OLD")
check "the warm-up ends (logged)" wait_for 30 grep -q 'baseline warm-up over (2 s)' "$T/w.err"
warm=$(date +%s)

# after the warm-up: the old idle process starts spinning
echo go >"$T/go"
check "an old idle process spinning after the warm-up triggers cpu" \
	wait_for 40 grep -q "trigger cpu: process $RISE (riser_wt)" "$T/w.err"
# a new process spinning at once
$W hog newhog_wt 1.5 >"$T/new.out"
NEW=$(sed -n 's/^pid //p' "$T/new.out")
check "a new process that spins at once triggers newproc" \
	wait_for 20 grep -q "trigger newproc: new process $NEW (newhog_wt)" "$T/w.err"
# the busy process has been judged for a while past the warm-up
wait_for 20 sh -c "[ \$(date +%s) -ge $((warm + 4)) ]"
share=$(awk -v k0="$k0" -v k1="$(ticks "$OLD")" -v hz="$HZ" -v t0="$t0" -v t1="$(date +%s.%N)" \
	'BEGIN {printf "%d", (k1 - k0) / hz / (t1 - t0) * 100}')
kill -TERM "$WPID"
wait "$WPID"
WPID=
wait_for 10 sh -c "grep -q 'dump written.*spike_newproc_' '$T/w.err'"
stop_bg "$OLD"
OLD_PID=$OLD
OLD=
echo "# the busy process had $share% of a core while watched; $(grep -c 'dump written' "$T/w.err") dumps"

if [ "$share" -lt 60 ]; then
	skip "a process busy before the watch makes no cpu dump (the machine gave it only $share% of a core)"
else
	n=$(grep -c "process $OLD_PID " "$T/w.err")
	expect "a process busy before the watch ($share% of a core) triggers nothing" "$n" 0
fi
python3 - "$D" "$OLD_PID" "$RISE" "$NEW" >"$T/checks.out" <<'PY'
import json, os, sys
d, old, rise, new = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def say(ok, what):
    print(('ok - ' if ok else 'not ok - ') + what)
trigs = []
for f in sorted(os.listdir(d)):
    for l in open(os.path.join(d, f), encoding='utf-8'):
        o = json.loads(l)
        if o.get('type') == 'trigger':
            trigs.append(o)
            break
def named(pid):
    return [t for t in trigs if any(p['pid'] == pid for p in t['procs'])]
say(not [t for t in named(old) if t['kind'] in ('cpu', 'newproc')], 'no cpu dump names the process busy before the watch: %s' % [t['msg'] for t in named(old)])
r = [t for t in named(rise) if t['kind'] == 'cpu']
say(len(r) == 1 and isinstance(r[0].get('baseline'), (int, float)) and r[0]['baseline'] < r[0]['value'] - r[0]['threshold'] + 1e-6,
    'the riser\'s cpu dump carries its baseline, the value exceeds it by the threshold: %s' % [(t['value'], t.get('baseline')) for t in r])
n = [t for t in named(new) if t['kind'] == 'newproc']
say(len(n) == 1 and 'baseline' not in n[0], 'one newproc dump for the new hog, without a baseline (a fixed threshold): %d' % len(n))
PY
cat "$T/checks.out"
check "content checks ran" grep -q 'no cpu dump names' "$T/checks.out"
expect "the riser was not starved" "$(grep -c starved "$T/rise.out" "$T/new.out" | awk -F: '{s += $2} END {print s}')" 0
