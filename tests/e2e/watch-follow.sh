#!/bin/sh
# SPDX-License-Identifier: MIT
# --watch --pid PID follows a process, its threads and children without
# ptrace as a JSON Lines time series with a summary; --sample SECONDS while
# tracing records CPU% and RSS of the traced processes as counter events.
. "$TOP/tests/lib.sh"
prio_script
# the autogroup's priority is the session's: prio must not raise the test's own
ag0=$(cat /proc/$$/autogroup)
W=$P/watch_load

cmp --watch --pid 999999999 --json "$T/x.jsonl" 2>"$T/err"
check "--watch --pid of no process fails" [ $? -ne 0 ]
check "--watch --pid of no process: reason" grep -q 'no such process' "$T/err"

# a tree: a shell with a CPU child, a memory child and a threaded child
setsid "$T/prio" sh -c "sleep 0.5; $W hog kidhog_wt 1.5 & $W mem memkid_wt 64 2 & $W threads 6 1.5 & wait" >"$T/tree.out" &
ROOT=$!
cmp --watch --pid $ROOT --interval 0.2 --json "$T/f.jsonl" 2>"$T/f.err"
rc=$?
expect "--watch --pid ends by itself when the tree is gone (status 0)" "$rc" 0
wait $ROOT
python3 - "$T/f.jsonl" "$ROOT" <<'PY'
import json, sys
L = [json.loads(l) for l in open(sys.argv[1], 'rb').read().decode('utf-8').splitlines()]
root = int(sys.argv[2])
def say(c, m): print(('ok - ' if c else 'not ok - ') + m)
hdr, end = L[0], L[-1]
say(hdr['type'] == 'header' and hdr['mode'] == 'watch' and hdr['follow'] == [root], 'header: mode watch, the pid followed')
say(end['type'] == 'end' and end['exit'] == {'gone': True}, 'end record: every followed process gone')
S = [o for o in L if o.get('type') == 'sample' and o.get('kind') != 'summary']
by = {}
for o in S:
    by.setdefault(o['comm'], []).append(o)
say(root in {o['pid'] for o in S}, 'the root process is sampled')
need = {'cpu', 'rss', 'threads', 'fds', 'state', 'start', 'ppid'}
say(all(need <= set(o) for o in S), 'every sample has cpu, rss, threads, fds, state, start, ppid')
say(any('read_bytes' in o and 'write_bytes' in o for o in S), 'I/O bytes recorded')
hog = by.get('kidhog_wt', [])
say(hog and max(o['cpu'] for o in hog) > 50, 'child hog followed with its CPU%% (max %s)' % max([o['cpu'] for o in hog] or [0]))
mem = by.get('memkid_wt', [])
say(mem and max(o['rss'] for o in mem) >= 64 << 20, 'child allocation followed with its RSS (max %s)' % max([o['rss'] for o in mem] or [0]))
thr = [o for o in S if o['comm'] == 'watch_load' and o['pid'] != root]
say(any(o['threads'] == 7 for o in thr), 'threads counted (%s)' % sorted({o['threads'] for o in thr}))
say(all(o['ppid'] == root for o in hog + mem), 'children have the root as parent')
ex = [o for o in L if o.get('type') == 'procexit']
say({'kidhog_wt', 'memkid_wt'} <= {o['comm'] for o in ex}, 'children exits recorded')
sm = [o for o in L if o.get('type') == 'sample' and o.get('kind') == 'summary']
say(len(sm) >= 4 and all('cpu_max' in o and 'rss_max' in o and 'samples' in o for o in sm), 'a summary per process (%d)' % len(sm))
h = [o for o in sm if o['comm'] == 'kidhog_wt']
say(h and h[0]['cpu_max'] > 50 and h[0]['cpu_time'] > 0.5, 'hog summary: max CPU and CPU time')
ts = [o['t'] for o in S if o['pid'] == root]
say(all(b > a for a, b in zip(ts, ts[1:])), 'time series is ordered')
PY

# --sample while tracing
# compendium and the hog at raised priority in a session of their own: the
# sampler keeps its 0.1 s schedule while the hog has a core
setsid "$T/prio" $ENVI "$C" -q --sample 0.1 --json "$T/s.jsonl" -- "$W" hog samplehog_wt 1 >"$T/s.out" 2>"$T/s.err"
HP=$(sed -n 's/^pid //p' "$T/s.out")
expect "the test's session keeps its autogroup priority" "$(cat /proc/$$/autogroup)" "$ag0"
python3 - "$T/s.jsonl" "$HP" <<'PY'
import json, sys
L = [json.loads(l) for l in open(sys.argv[1], 'rb').read().decode('utf-8').splitlines()]
pid = int(sys.argv[2]) if sys.argv[2] else -1
def say(c, m): print(('ok - ' if c else 'not ok - ') + m)
C = [o for o in L if o.get('type') == 'counter' and o['pid'] == pid]
say(len(C) >= 5, '--sample: counter events for the traced process (%d)' % len(C))
say(C and max(o['cpu'] for o in C) > 50 and all(o['rss'] > 0 for o in C), '--sample: CPU%% and RSS in them (max CPU %s)' % max([o['cpu'] for o in C] or [0]))
PY
