#!/bin/sh
# SPDX-License-Identifier: MIT
# A --watch dump rendered with --report --from opens on its incident (issue
# 16): a real memgrow dump of a 200 MiB allocation by a process named with
# markup and a fake field (test-low threshold, the
# other detectors off so that a busy machine adds no noise), checked in the
# browser against the dump's own records: the incident panel names the kind,
# the process (comm and pid), value and threshold; the process's CPU and RSS
# tracks come first; the process table at open is the trigger snapshot's
# samples (marked), ] and [ step to the next snapshot's samples and back;
# the cards count the dump's snapshots, processes, exits and thread states,
# with no trace cards (I/O, Files, Failures). A plain trace's report has no
# incident panel and its old cards.
. "$TOP/tests/lib.sh"

browser_checks dump-test.js

# a plain trace: no incident panel, the trace cards
cmp -q --report "$T/plain.html" -- /bin/true 2>"$T/err"
check "report of /bin/true written" test -s "$T/plain.html"
browser plain "$T/plain.html"

prio_script
WPID='' MPID=''
cleanup() {
	[ -n "$MPID" ] && stop_bg "$MPID"
	[ -n "$WPID" ] && stop_bg "$WPID"
	rm -rf "$T"
}
trap cleanup EXIT
mkdir -m 0700 "$T/d"
cat >"$T/c.conf" <<'CONF'
sampling_interval_seconds = 0.1
post_trigger_seconds = 1
process_mem_growth_threshold_mib = 100
enable_cpu_detection = false
enable_psi_detection = false
enable_burst_detection = false
enable_swap_detection = false
mem_drop_threshold_mib = 1000000
mem_pressure_threshold_pct = 100
CONF
chmod 0600 "$T/c.conf"
setsid "$T/prio" $ENVI "$C" --watch --config "$T/c.conf" --dump-dir "$T/d" 2>"$T/w.err" &
WPID=$!
wait_for 20 grep -q 'watching every process' "$T/w.err"
check "watch started" grep -q 'watching every process' "$T/w.err"
# its name holds markup and a fake field: shown as text, not taken for a field
setsid "$T/prio" "$P/watch_load" mem '<i>" state="D' 200 30 >"$T/mem.out" &
MPID=$!
wait_for 30 grep -q allocated "$T/mem.out"
MP=$(sed -n 's/^pid //p' "$T/mem.out")
# the dump whose trigger names the grower (written post_trigger_seconds later)
dump_of() {
	python3 - "$T/d" "$MP" <<'PY'
import json, os, sys
d, mp = sys.argv[1], int(sys.argv[2] or 0)
for f in sorted(os.listdir(d)):
    for l in open(os.path.join(d, f), 'rb'):
        o = json.loads(l)
        if o.get('type') == 'trigger':
            if o['kind'] == 'memgrow' and o['procs'] and o['procs'][0]['pid'] == mp:
                print(os.path.join(d, f))
                sys.exit(0)
            break
sys.exit(1)
PY
}
[ -n "$MP" ] && wait_for 30 dump_of >/dev/null
DUMP=$(dump_of)
stop_bg "$MPID"; MPID=''
stop_bg "$WPID"; WPID=''
if [ -z "$DUMP" ]; then
	fail "a memgrow dump names the 200 MiB grower (pid $MP)"
	sed 's/^/# /' "$T/w.err"
	exit 0
fi
ok "a memgrow dump names the 200 MiB grower (pid $MP)"

# what the dump holds, from its records
python3 - "$DUMP" >"$T/expect.json" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], 'rb').read().decode('utf-8').splitlines() if l]
ev = [r for r in recs if r.get('type') not in ('header', 'end')]
trig = next(r for r in ev if r['type'] == 'trigger')
times = sorted(set(r['t'] for r in ev if r['type'] == 'sysstat'))
k = min(range(len(times)), key=lambda j: abs(times[j] - trig['t']))
def snap(j):
    return [{'pid': r['pid'], 'cpu': r.get('cpu'), 'rss': r['rss'], 'state': r['state'], 'threads': r.get('threads', 0)}
            for r in ev if r['type'] == 'sample' and r['t'] == times[j]]
# the trigger process's ancestors in the dump (its lane's tree comes first)
ppid = {r['pid']: r['ppid'] for r in ev if r['type'] == 'sample'}
anc, q = [], ppid.get(trig['procs'][0]['pid'])
while q in ppid and q not in anc:
    anc.append(q)
    q = ppid[q]
out = {
    'ancestors': anc,
    'kind': trig['kind'], 'pid': trig['procs'][0]['pid'], 'comm': trig['procs'][0]['comm'],
    'value': trig['value'], 'threshold': trig['threshold'], 'ongoing': trig['ongoing'],
    'times': times, 'trig': k, 'at_trig': snap(k), 'next': snap(k + 1) if k + 1 < len(times) else None,
    'snapshots': len(times), 'processes': len(set(r['pid'] for r in ev if r['type'] == 'sample')),
    'exits': sum(1 for r in ev if r['type'] == 'procexit'), 'threads': sum(1 for r in ev if r['type'] == 'threadstate'),
    'r': sum(1 for r in ev if r['type'] == 'threadstate' and r['state'] == 'R'),
    'd': sum(1 for r in ev if r['type'] == 'threadstate' and r['state'] == 'D'),
    'unseen': sum(1 for r in ev if r['type'] == 'procexit' and r['seen'] is False),
}
json.dump(out, sys.stdout)
PY
n=$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(len(e["times"]) - e["trig"] - 1)' "$T/expect.json")
check "the dump has a snapshot after the trigger's ($n)" test "$n" -ge 1
cmp --report "$T/dump.html" --from "$DUMP" 2>"$T/err"
check "the dump renders" test -s "$T/dump.html"
browser dump "$T/dump.html" --expect "$T/expect.json"

# the same dump with the trigger's baseline and a related cause (one
# incident per cause): the panel shows both
python3 - "$DUMP" >"$T/rel.jsonl" <<'PY'
import json, sys
for l in open(sys.argv[1], 'rb').read().decode('utf-8').splitlines():
    o = json.loads(l)
    if o.get('type') == 'trigger':
        o['baseline'] = 12.5
        o['related'] = [{'kind': 'memdrop', 'scope': 'system', 'value': 600.25, 'threshold': 512, 'baseline': 20000,
                         'msg': 'MemAvailable 600 MiB <b>below</b> its baseline'}]
    print(json.dumps(o))
PY
cmp --report "$T/rel.html" --from "$T/rel.jsonl" 2>"$T/err"
check "the dump with a related cause renders" test -s "$T/rel.html"
browser related "$T/rel.html"
