#!/bin/sh
# SPDX-License-Identifier: MIT
# --list-dumps lists the dumps in time order, oldest trigger first (the
# newest ends next to the prompt), whatever their kinds: file names start
# with the kind, so name order mixed times (issue 16). --sort kind groups
# them by kind (then time), --sort size puts the largest first; a dump with
# no readable trigger time is placed by its file's time. A bad --sort value,
# or --sort without --list-dumps, is one error line and exit 2.
. "$TOP/tests/lib.sh"
D=$T/dumps
mkdir -m 0700 "$D"
# name (kind in the name) | trigger time | padding bytes (size)
python3 - "$D" <<'PY'
import json, os, sys
d = sys.argv[1]
dumps = [
    ('spike_aaa_20300101T000003.000Z.jsonl', 'aaa', '2030-01-01T00:00:03.000Z', 10),
    ('spike_cpu_20300101T000001.500Z.jsonl', 'cpu', '2030-01-01T00:00:01.500Z', 3000),
    ('spike_zzz_20300101T000001.000Z.jsonl', 'zzz', '2030-01-01T00:00:01.000Z', 500),
    ('spike_cpu_20300101T000002.000Z.jsonl', 'cpu', '2030-01-01T00:00:02.000Z', 100),
    # the name says 2020 but the trigger was later: the trigger's time wins
    ('spike_memgrow_20200101T000000.000Z.jsonl', 'memgrow', '2030-01-01T00:00:02.500Z', 2000),
]
for name, kind, when, pad in dumps:
    hdr = {"type": "header", "version": 2, "mode": "watch"}
    trig = {"type": "trigger", "t": 0, "kind": kind, "when": when, "msg": "m " + "x" * pad, "scope": "system"}
    with open(os.path.join(d, name), 'w') as f:
        f.write(json.dumps(hdr) + '\n' + json.dumps(trig) + '\n')
# no trigger record: placed by its file's time (2030-01-01T00:00:00.500Z, before every other)
p = os.path.join(d, 'spike_broken_20990101T000000.000Z.jsonl')
with open(p, 'w') as f:
    f.write('{"type":"header","version":2}\n')
t = 1893456000.5
os.utime(p, (t, t))
PY
chmod 0600 "$D"/*

# files DESCRIPTION WANT [ARGS...]: the listing's file names in order, as one line
files() {
	_d=$1 _w=$2
	shift 2
	$ENVI "$C" --list-dumps --dump-dir "$D" "$@" >"$T/out" 2>"$T/err"
	_rc=$?
	_got=$(awk '{for (i = 1; i <= NF; i++) if ($i ~ /^spike_/) {sub(/^spike_/, "", $i); sub(/_.*/, "", $i); printf "%s%s", s, $i; s = " "; break}} END {print ""}' "$T/out")
	expect "$_d (status $_rc)" "$_got" "$_w"
}
BYTIME="broken zzz cpu cpu memgrow aaa"
files "default: time order, oldest first" "$BYTIME"
# the two cpu dumps: 1.5 s before 2.0 s (sizes 3000 and 100 tell them apart)
$ENVI "$C" --list-dumps --dump-dir "$D" >"$T/out"
expect "default: the two cpu dumps in their time order" \
	"$(grep -o 'spike_cpu_[^ ]*' "$T/out" | tr '\n' ' ')" \
	"spike_cpu_20300101T000001.500Z.jsonl spike_cpu_20300101T000002.000Z.jsonl "
files "--sort time is the default" "$BYTIME" --sort time
# a dump without a trigger record has no kind: it comes first
files "--sort kind: by kind, then time" "broken aaa cpu cpu memgrow zzz" --sort kind
files "--sort size: largest first" "cpu memgrow zzz cpu aaa broken" --sort size
$ENVI "$C" --list-dumps --dump-dir "$D" --json - >"$T/json" 2>"$T/err"
expect "--json -: the same time order" \
	"$(python3 -c 'import json,sys; print(" ".join(json.loads(l)["file"].split("_")[1] for l in open(sys.argv[1])))' "$T/json")" \
	"$BYTIME"

# bad values: one line naming the problem, nothing listed, exit 2
$ENVI "$C" --list-dumps --dump-dir "$D" --sort name >"$T/out" 2>"$T/err"
expect "--sort name: exit 2" "$?" 2
expect "--sort name: one error line" "$(wc -l <"$T/err")" 1
check "--sort name: the line names the value and the choices" grep -q "^compendium: error: --sort 'name': expected time, kind or size" "$T/err"
expect "--sort name: nothing on stdout" "$(wc -c <"$T/out")" 0
$ENVI "$C" --sort time -- true >"$T/out" 2>"$T/err"
expect "--sort without --list-dumps: exit 2" "$?" 2
check "--sort without --list-dumps: said in one line" sh -c "[ \$(wc -l <'$T/err') = 1 ] && grep -q -- '--sort orders the --list-dumps listing' '$T/err'"
