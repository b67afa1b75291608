#!/bin/sh
# SPDX-License-Identifier: MIT
# Under --pid, fds and the cwd that existed before tracing are resolved
# lazily from /proc: a write to an fd opened before the attach names the
# file, and a relative open after the attach is made absolute.
. "$TOP/tests/lib.sh"

mkdir "$T/a"
$ENVI "$P/dec_late" "$T/a" >"$T/prog.txt" 2>&1 &
bg=$!
i=0
while ! grep -q '^ready' "$T/prog.txt" 2>/dev/null && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
# shellcheck disable=SC2046 # "ready PID FD": split into $1 $2 $3
set -- $(grep '^ready' "$T/prog.txt")
pid=$2 fd=$3
cmp -q --no-filter --json "$T/out.jsonl" --pid "$pid" >"$T/c.txt" 2>&1 &
cpid=$!
# wait (bounded) until compendium has attached before letting the program go on
i=0
while ! grep -q '"attach"' "$T/out.jsonl" 2>/dev/null && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
touch "$T/a/go"
wait $bg
wait $cpid
expect "compendium --pid ended" "$?" 0
expect "write to the fd opened before the attach names pre.txt" \
	"$(jl "$T/out.jsonl" "[(e['path'], e['bytes']) for e in of('write') if e['fd'] == $fd]")" "[[\"$T/a/pre.txt\", 7]]"
expect "relative open after the attach resolves against the lazily read cwd" \
	"$(jl "$T/out.jsonl" "[(e['path'], e['access']) for e in of('open') if e['path'].endswith('rel.txt')]")" "[[\"$T/a/rel.txt\", \"rw\"]]"
