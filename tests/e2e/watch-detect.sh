#!/bin/sh
# SPDX-License-Identifier: MIT
# --watch with default thresholds catches: a CPU hog among ~1,000 idle
# processes, an idle process that starts spinning, five 0.4 s hogs, a burst
# of 300 short-lived children, a 600 MB allocation (memgrow) and a 1.5 GB one
# (memdrop: MemAvailable is system-wide, so only a margin far above the noise
# of other work is certain; its growth trips memgrow too, and the two are one
# incident: one memgrow dump holding the memdrop), each naming the process, a hostile
# comm; dumps hold pre- and post-trigger context; --list-dumps shows them.
# Deterministic on a busy machine: the hogs measure the CPU they got and spin
# until they had it, the waits are for the sampler's log lines (bounded).
. "$TOP/tests/lib.sh"
# Raised priority in a session of its own (autogroup nice, then nice): other
# work on the machine must not starve the hogs below the threshold, nor the
# sampler. Pids are kept: setsid and sh exec.
prio_script
W="setsid $T/prio $P/watch_load"
WPID='' IPID=''
trap 'for p in $IPID $WPID; do kill -TERM $p 2>/dev/null; done; rm -rf "$T"' EXIT
D=$T/dumps
mkdir -m 0700 "$D"
cat >"$T/watch.conf" <<'EOF'
# only the timing is shortened for the test; every threshold is the default
[sampling]
sampling_interval_seconds = 0.1
[dumps]
post_trigger_seconds = 1
EOF
chmod 0600 "$T/watch.conf"

setsid $T/prio $ENVI "$C" --watch --config "$T/watch.conf" --dump-dir "$D" 2>"$T/watch.err" &
WPID=$!
i=0
while ! grep -q 'watching every process' "$T/watch.err" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "watch started" grep -q 'watching every process every 0.1 s' "$T/watch.err"

# wait_log ERE SECONDS: until the sampler's log has a line matching ERE (bounded)
wait_log() {
	_i=0
	while ! grep -Eq "$1" "$T/watch.err" 2>/dev/null && [ $_i -lt $(($2 * 10)) ]; do sleep 0.1; _i=$((_i + 1)); done
}
# hogs measure the CPU they got (watch_load: "starved" if the machine never gave it)
starved() { grep -l starved "$@" 2>/dev/null | tr '\n' ' '; }

# ~1,000 idle processes, then a hog among them
$W idle 1000 >"$T/idle.out" &
IPID=$!
i=0
while ! grep -q ready "$T/idle.out" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1
$W hog cpuhog_wt 1.5 >"$T/hog.out"
HOG=$(sed -n 's/^pid //p' "$T/hog.out")

# an old idle process that starts spinning: CPU above its own baseline
$W hog risehog_wt 1.5 6 >"$T/rise.out"
RISE=$(sed -n 's/^pid //p' "$T/rise.out")

# five 0.4 s hogs, one after the other: hogs that used 0.4 s of CPU and, as
# they measured, at least 60% of a core over their life (the threshold is
# 50%); on a busy machine some get less and are not counted (at most 30)
$W shorts shorthog_wt 0.4 5 0.6 30 >"$T/short.out"
sed -n 's/^good //p' "$T/short.out" >"$T/shorthogs"
n=$(grep -c '^pid ' "$T/short.out")

# a burst of 300 short-lived children in about a second
$W burst 300 1 >"$T/burst.out"
BPPID=$(sed -n 's/^ppid //p' "$T/burst.out")

# 1.5 GB at once: MemAvailable falls far enough below its baseline whatever else runs
nd=$(count_names "$D" '^spike_memgrow_')
$W mem bigmem_wt 1536 20 >"$T/big.out" &
BIGP=$!
i=0
while ! grep -q allocated "$T/big.out" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
BIG=$(sed -n 's/^pid //p' "$T/big.out")
# held until a new dump of the kind is out: its post-trigger window saw all of it
wait_dump() { _i=0; while [ "$(count_names "$D" "^spike_$1_")" -le "$2" ] && [ $_i -lt $(($3 * 10)) ]; do sleep 0.1; _i=$((_i + 1)); done; }
# one incident: the memgrow dump, and the memdrop (folded into it, or said to belong to it once it is written)
wait_dump memgrow "$nd" 15
wait_log "trigger memdrop: .*grew most: bigmem_wt" 15
kill -TERM "$BIGP" 2>/dev/null
wait "$BIGP"

# 600 MB allocated quickly: the process's own growth trips the trigger
nd=$(count_names "$D" '^spike_memgrow_')
$W mem memhog_wt 600 20 >"$T/mem.out" &
MEMP=$!
i=0
while ! grep -q allocated "$T/mem.out" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
MEM=$(sed -n 's/^pid //p' "$T/mem.out")
wait_dump memgrow "$nd" 15
kill -TERM "$MEMP" 2>/dev/null
wait "$MEMP"

# hostile comm: ") Z 1 1", a newline and a clear-screen escape
HOSTILE=$(printf 'x) Z 1 1\n\033[2J')
$W hog "$HOSTILE" 1 >"$T/hostile.out"
HPID=$(sed -n 's/^pid //p' "$T/hostile.out")

# every trigger of the test's processes is logged before the sampler stops (it writes pending dumps then)
for p in $(cat "$T/shorthogs") $HPID; do wait_log "process $p " 10; done
kill -TERM "$IPID" 2>/dev/null
kill -TERM "$WPID"
wait "$WPID"
expect "watch exits 0 on SIGTERM" "$?" 0
wait "$IPID" 2>/dev/null
check "a stop line on SIGTERM" grep -q 'stopped (SIGTERM)' "$T/watch.err"
expect "no hog was starved of CPU" "$(starved "$T/hog.out" "$T/rise.out" "$T/hostile.out")" ""
echo "# short hogs (pid, cpu, life in s): $(sed -n 's/^pid //p' "$T/short.out" | tr '\n' ';')"

# trig KIND PID [related]: the dumps whose trigger is KIND and names PID (with 'related': whose
# trigger names PID and holds KIND among its related triggers); prints their count
trig() {
	python3 - "$D" "$1" "$2" "${3:-}" <<'PY'
import json, os, sys
d, kind, pid, rel = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == 'related'
n = 0
for f in sorted(os.listdir(d)):
    for line in open(os.path.join(d, f), 'rb').read().decode('utf-8').splitlines():
        o = json.loads(line)
        if o.get('type') == 'trigger':
            kinds = [r['kind'] for r in o.get('related', [])] if rel else [o['kind']]
            if kind in kinds and any(p['pid'] == pid for p in o['procs']):
                n += 1
            break
print(n)
PY
}

expect "CPU hog among 1,000 idle processes caught (newproc)" "$(trig newproc "$HOG")" 1
expect "idle process that starts spinning caught (cpu over baseline)" "$(trig cpu "$RISE")" 1
expect "five 0.4 s hogs had the CPU ($n tries)" "$(wc -l <"$T/shorthogs")" 5
caught=0
for p in $(cat "$T/shorthogs"); do
	[ "$(trig newproc "$p")" -ge 1 ] && caught=$((caught + 1))
done
expect "five 0.4 s CPU hogs caught" "$caught" 5
[ "$caught" = 5 ] || { cat "$T/short.out"; grep -a 'shorthog_wt' "$T/watch.err"; }
expect "burst of 300 children caught as a burst of 'true' from its parent" "$(trig burst "$BPPID")" 1
expect "1.5 GB allocation: one memory dump naming it (memgrow)" "$(trig memgrow "$BIG")" 1
expect "1.5 GB allocation: no second dump for its MemAvailable drop" "$(trig memdrop "$BIG")" 0
# the drop is in that dump's related triggers, or (when it fired after the dump was written) said to be the same cause
if [ "$(trig memdrop "$BIG" related)" = 1 ] || grep -q "trigger memdrop: same cause (process $BIG) as the memgrow incident" "$T/watch.err"; then
	ok "1.5 GB allocation trips the MemAvailable trigger (memdrop), tied to its memgrow incident"
else
	fail "1.5 GB allocation trips the MemAvailable trigger (memdrop), tied to its memgrow incident"
	grep -a 'trigger mem' "$T/watch.err"
fi
expect "600 MB allocation trips the memory trigger (memgrow)" "$(trig memgrow "$MEM")" 1
expect "hostile comm process caught" "$(trig newproc "$HPID")" 1

# content checks in python: one line per failed assertion
python3 - "$D" "$HOG" "$MEM" "$HPID" "$HOSTILE" "$BPPID" "$BIG" "$(sed -n 's/^ppid //p' "$T/hostile.out")" >"$T/content.out" <<'PY'
import json, os, sys
d, hog, mem, hpid, hostile, bppid, big, shell = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
dumps = {}
for f in sorted(os.listdir(d)):
    raw = open(os.path.join(d, f), 'rb').read().decode('utf-8')
    objs = [json.loads(l) for l in raw.splitlines()]
    trig = next(o for o in objs if o.get('type') == 'trigger')
    dumps[f] = (objs, trig)
def find(kind, pid):
    for f, (objs, t) in dumps.items():
        if t['kind'] == kind and any(p['pid'] == pid for p in t['procs']):
            return f, objs, t
def say(ok, what):
    print(('ok - ' if ok else 'not ok - ') + what)
f, objs, t = find('newproc', hog)
hdr, end = objs[0], objs[-1]
say(f.startswith('spike_newproc_2') and f.endswith('.jsonl'), 'dump file name spike_<kind>_<time>.jsonl: ' + f)
say(hdr['type'] == 'header' and hdr['mode'] == 'watch' and hdr['ncpu'] >= 1 and hdr['host'] and hdr['kernel'], 'header: mode watch, host, kernel, ncpu')
say(end['type'] == 'end', 'dump ends with the end record')
say(t['procs'][0]['comm'] == 'cpuhog_wt' and t['procs'][0]['start'] > 0, 'trigger names the hog with comm and start time')
say(t['thresholds']['new_process_threshold_pct'] == 50 and t['threshold'] == 50, 'trigger carries the thresholds in force')
sys_t = [o['t'] for o in objs if o.get('type') == 'sysstat']
pre = [x for x in sys_t if x < t['t']]
post = [x for x in sys_t if x > t['t']]
say(len(pre) >= 5, 'pre-trigger snapshots in the dump: %d' % len(pre))
say(len(post) >= 5, 'post-trigger snapshots in the dump: %d' % len(post))
hs = [o for o in objs if o.get('type') == 'sample' and o['pid'] == hog]
# samples from before the hog named itself carry its exec chain's names (setsid, prio, nice,
# watch_load: a loaded machine catches those too); from its first named sample on, only its name
k = next((i for i, o in enumerate(hs) if o['comm'] == 'cpuhog_wt'), len(hs))
say(len(hs) - k >= 5 and all(o['comm'] == 'cpuhog_wt' for o in hs[k:]) and
    all(o['comm'] in ('setsid', 'prio', 'sh', 'nice', 'env', 'watch_load') for o in hs[:k]) and max(o.get('cpu', 0) for o in hs) >= 50,
    'the hog\'s history: %d samples (%d before it named itself: %s), max CPU %s%%'
    % (len(hs), k, sorted(set(o['comm'] for o in hs[:k])), max([o.get('cpu', 0) for o in hs] or [0])))
s0 = [o for o in objs if o.get('type') == 'sample' and abs(o['t'] - t['t']) < 1e-6]
say(len(s0) >= 1000, 'every process at the trigger snapshot (%d samples)' % len(s0))
sy = [o for o in objs if o.get('type') == 'sysstat']
say(all('sampler_cpu' in o and 'lag' in o and 'mem_avail' in o and len(o['cores']) == hdr['ncpu'] for o in sy), 'sysstat records carry cores, memory, sampler cost and lag')
ts = [o for o in objs if o.get('type') == 'threadstate' and o['pid'] == hog]
say(len(ts) >= 1 and ts[0]['state'] == 'R', 'thread states of the busy process recorded (%d)' % len(ts))
# memory attribution: the allocating process is named first, with its growth
r = find('memgrow', big)
say(r and r[2]['procs'][0]['pid'] == big and r[2]['procs'][0]['comm'] == 'bigmem_wt' and r[2]['procs'][0]['value'] >= 256 * 1024, 'the 1.5 GB dump names the process that grew first (%s KiB; the allocation may outlast the window)' % (r and r[2]['procs'][0]['value']))
r = find('memgrow', mem)
say(r and r[2]['procs'][0]['pid'] == mem and r[2]['procs'][0]['comm'] == 'memhog_wt' and r[2]['procs'][0]['value'] >= 512 * 1024 and r[2]['threshold'] == 512, 'memgrow names the process with its growth (%s KiB) and the threshold' % (r and r[2]['procs'][0]['value']))
# hostile comm survives intact and parsing was not fooled
f, objs, t = find('newproc', hpid)
hs = [o for o in objs if o.get('type') == 'sample' and o['pid'] == hpid]
say(t['procs'][0]['comm'] == hostile, 'hostile comm kept exactly in the trigger')
# a parser fooled by the comm reads state 'Z' and ppid 1; the hog printed its real parent. Samples
# from before the hog named itself (its exec chain: sh, nice, watch_load; longer on a loaded
# machine) carry those names and are not what this checks.
hh = [o for o in hs if o['comm'] == hostile]
say(hh and all(o['state'] in 'RSDZ' and o['ppid'] == shell for o in hh) and any(o['state'] == 'R' for o in hh),
    'hostile comm: stat parsed right (state, ppid): %s, its ppid %d; %d of %d samples under the hostile name (others: %s)'
    % (sorted(set((o['state'], o['ppid']) for o in hh)), shell, len(hh), len(hs), sorted(set(o['comm'] for o in hs if o['comm'] != hostile))))
# burst
f, objs, t = find('burst', bppid)
say(t['value'] >= 100 and any(p['comm'] == 'true' for p in t['procs']), 'burst trigger: %d new "true" processes' % t['value'])
ex = [o for o in objs if o.get('type') == 'procexit' and o['ppid'] == bppid]
say(len(ex) >= 100, 'short-lived children recorded as procexit (%d)' % len(ex))
PY
cat "$T/content.out"
check "content checks ran" grep -q '^ok - dump file name' "$T/content.out"

esc=$(printf '\033')
if grep -q "$esc" "$T/watch.err"; then fail "no raw ESC on stderr"; else ok "no raw ESC on stderr"; fi
check "one log line per trigger on stderr" grep -q 'trigger newproc: new process .* (cpuhog_wt)' "$T/watch.err"

# listing: text and JSON Lines
$ENVI "$C" --list-dumps --dump-dir "$D" >"$T/list.txt" 2>&1
check "--list-dumps text names the hog's dump" grep -q 'newproc .*spike_newproc_.*cpuhog_wt' "$T/list.txt"
if grep -q "$esc" "$T/list.txt"; then fail "listing has no raw ESC"; else ok "listing has no raw ESC"; fi
$ENVI "$C" --list-dumps --dump-dir "$D" --json - >"$T/list.jsonl" 2>&1
n=$(python3 -c "
import json,sys
L=[json.loads(l) for l in open(sys.argv[1],'rb').read().decode('utf-8').splitlines()]
print(sum(1 for o in L if o['trigger'] and o['trigger']['kind']=='memgrow' and o['trigger']['procs'][0]['pid']==$MEM and o['file'].startswith('spike_memgrow_')))
" "$T/list.jsonl")
expect "--list-dumps --json - has the memory dump" "$n" 1
n=$(ls "$D" | wc -l)
expect "listing has one line per dump" "$(wc -l <"$T/list.jsonl")" "$n"
