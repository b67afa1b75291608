#!/bin/sh
# SPDX-License-Identifier: MIT
# Attached (-p), compendium takes SIGINT even when it started with SIGINT
# ignored, as a background job of a script does: kill -INT detaches and
# leaves the target running, untraced (doc/ENGINE.md, 'Ctrl-C and signals
# to the tracer'). The same for SIGTERM, SIGHUP and SIGQUIT.
. "$TOP/tests/lib.sh"
cd "$T" || exit 1

for s in INT TERM HUP QUIT; do
	# a non-interactive sh starts background jobs with SIGINT and SIGQUIT ignored
	$ENVI sh -c '
		sleep 60 & t=$!
		"$0" -q --json "$1" -p $t 2>"$2" & c=$!
		i=0; while [ "$(awk "/^TracerPid/ {print \$2}" /proc/$t/status)" != "$c" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
		kill -'$s' $c
		i=0; while kill -0 $c 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
		if kill -0 $c 2>/dev/null; then echo "still-running"; kill -9 $c; else wait $c; echo "rc=$?"; fi
		echo "tracer=$(awk "/^TracerPid/ {print \$2}" /proc/$t/status) alive=$(kill -0 $t 2>/dev/null && echo yes)"
		kill $t' "$C" "$T/a$s.json" "$T/a$s.err" >"$T/a$s.out"
	expect "kill -$s of a background compendium -p: it detaches and ends (exit 0)" "$(head -1 "$T/a$s.out")" "rc=0"
	expect "kill -$s: the target runs on, untraced" "$(tail -1 "$T/a$s.out")" "tracer=0 alive=yes"
	expect "kill -$s: the log is whole and says detached" "$(jl "$T/a$s.json" "end is not None and len(of('detach')) >= 1")" True
done
