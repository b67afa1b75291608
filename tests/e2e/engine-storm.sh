#!/bin/sh
# SPDX-License-Identifier: MIT
# Scale: a 1000-child fork storm (overlapping, from 4 workers) and a
# 200-deep fork chain: every child seen exactly once,
# with its exit, in both seccomp and --no-seccomp modes.
. "$TOP/tests/lib.sh"
cd "$T" || exit 1

for m in "" --no-seccomp; do
	$ENVI timeout 300 "$C" -q $m --json "$T/fs.json" -- "$P/proc_forkstorm" 1000 4 >"$T/fs.out" 2>"$T/fs.err"
	rc=$?
	expect "fork storm $m: program saw all 1000 children reaped" "$rc:$(cat "$T/fs.out")" "0:children 1000"
	got=$(jl "$T/fs.json" "[len(of('spawn')), len(set(e['child'] for e in of('spawn'))), len([e for e in of('exit') if not e['thread']]), len(set(e['pid'] for e in of('exit'))), sorted(set(e['child'] for e in of('spawn'))) == sorted(e['pid'] for e in of('exit') if not e.get('root'))]")
	expect "fork storm $m: 1004 spawns, each child once, each with one exit" "$got" "[1004, 1004, 1005, 1005, true]"
	got=$(jl "$T/fs.json" "sorted(set(e['code'] for e in of('exit') if e['pid'] in set(s['child'] for s in of('spawn')) and not e['thread']))[:3] + [len(of('warning'))]")
	expect "fork storm $m: exit codes as the children set them, no warnings" "$got" "[0, 1, 2, 0]"

	$ENVI timeout 300 "$C" -q $m --json "$T/ch.json" -- "$P/proc_chain" 200 >"$T/ch.out" 2>"$T/ch.err"
	expect "chain 200 $m: exit 0" "$?" 0
	got=$(jl "$T/ch.json" "[len(of('spawn')), len([e for e in of('exit') if not e['thread']]), all(s['pid'] == p['child'] for p, s in zip(of('spawn'), of('spawn')[1:]))]")
	expect "chain 200 $m: 200 spawns forming one chain, 201 exits" "$got" "[200, 201, true]"
done
