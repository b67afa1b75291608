#!/bin/sh
# SPDX-License-Identifier: MIT
# PID reuse (forced through ns_last_pid): two processes with one pid are
# never merged: every record carries its start time, each (pid, start) has
# one name, and each process gets its own trigger.
. "$TOP/tests/lib.sh"
prio_script
WPID=
trap '[ -n "$WPID" ] && kill -TERM $WPID 2>/dev/null; rm -rf "$T"' EXIT
if [ ! -w /proc/sys/kernel/ns_last_pid ]; then
	skip "PID reuse (no writable /proc/sys/kernel/ns_last_pid)"
	exit 0
fi
D=$T/dumps
mkdir -m 0700 "$D"
printf 'sampling_interval_seconds = 0.1\npost_trigger_seconds = 1\n' >"$T/c.conf"
chmod 0600 "$T/c.conf"
setsid "$T/prio" $ENVI "$C" --watch --config "$T/c.conf" --dump-dir "$D" 2>"$T/watch.err" &
WPID=$!
i=0
while ! grep -q 'watching every process' "$T/watch.err" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
setsid "$T/prio" "$P/watch_load" reuse reuseA_wt reuseB_wt 1 >"$T/reuse.out"
PID=$(sed -n 's/^reused //p' "$T/reuse.out")
sleep 1.5
kill -TERM $WPID
wait $WPID
WPID=
if [ -z "$PID" ]; then
	skip "PID reuse: could not force reuse ($(cat "$T/reuse.out"))"
	exit 0
fi
ok "pid $PID reused"
python3 - "$D" "$PID" <<'PY'
import json, os, sys
d, pid = sys.argv[1], int(sys.argv[2])
names = {}   # start -> set of comms
trig = {}    # comm -> count of triggers naming pid
for f in sorted(os.listdir(d)):
    for l in open(os.path.join(d, f), 'rb').read().decode('utf-8').splitlines():
        o = json.loads(l)
        if o.get('type') == 'sample' and o['pid'] == pid:
            names.setdefault(o['start'], set()).add(o['comm'])
        if o.get('type') == 'trigger':
            for p in o['procs']:
                if p['pid'] == pid:
                    trig[p['comm']] = trig.get(p['comm'], 0) + 1
def say(c, m): print(('ok - ' if c else 'not ok - ') + m)
mine = {s: n for s, n in names.items() if n & {'reuseA_wt', 'reuseB_wt'}}
say(len(mine) == 2, 'two start times recorded for pid %d: %s' % (pid, sorted(mine)))
say(all(len(n) == 1 for n in mine.values()), 'each (pid, start) has exactly one name: %s' % {k: sorted(v) for k, v in mine.items()})
say(trig.get('reuseA_wt', 0) >= 1 and trig.get('reuseB_wt', 0) >= 1, 'each process got its own trigger: %s' % trig)
PY
