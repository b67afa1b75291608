#!/bin/sh
# SPDX-License-Identifier: MIT
# --watch config: file:line errors, unsafe files refused, --config /dev/null,
# command-line overrides, SIGHUP reload (broken -> old kept), no fd leak.
. "$TOP/tests/lib.sh"
D=$T/dumps
mkdir -m 0700 "$D"
WPID=
trap '[ -n "$WPID" ] && kill -TERM $WPID 2>/dev/null; rm -rf "$T"' EXIT

cat >"$T/bad.conf" <<'EOF'
# comment
[sampling]
sampling_interval_seconds = fast
ring_buffer_capacity = 3
[detection]
cpu_delta_threshold_pct = 10
cpu_delta_threshold_pct = 20
no_such_key = 1
max_processes_tracked = 512
enable_cpu_detection = maybe
just a line
[nowhere]
EOF
chmod 0600 "$T/bad.conf"
cmp --watch --config "$T/bad.conf" --dump-dir "$D" >"$T/out" 2>"$T/err"
rc=$?
check "broken config: exit status not 0" [ "$rc" -ne 0 ]
expect "bad number named with file:line" "$(grep -c "^$T/bad.conf:3: sampling_interval_seconds: bad value 'fast': not a number" "$T/err")" 1
expect "out of range value" "$(grep -c "^$T/bad.conf:4: ring_buffer_capacity: bad value '3': out of range" "$T/err")" 1
expect "duplicate key" "$(grep -c "^$T/bad.conf:7: duplicate key 'cpu_delta_threshold_pct'" "$T/err")" 1
expect "unknown key" "$(grep -c "^$T/bad.conf:8: unknown key 'no_such_key'" "$T/err")" 1
expect "spike-daemon key without meaning here" "$(grep -c "^$T/bad.conf:9: 'max_processes_tracked' is not supported" "$T/err")" 1
expect "bad boolean" "$(grep -c "^$T/bad.conf:10: enable_cpu_detection: bad value 'maybe': not a boolean" "$T/err")" 1
expect "not key = value" "$(grep -c "^$T/bad.conf:11: expected 'key = value'" "$T/err")" 1
expect "unknown section" "$(grep -c "^$T/bad.conf:12: unknown section \[nowhere\]" "$T/err")" 1
check "one closing line says what to do" grep -q 'config not valid; fix the lines above' "$T/err"
check "no dump directory created from a broken config" [ -z "$(ls "$D")" ]

printf 'cooldown_seconds = 1\n' >"$T/ww.conf"
chmod 0666 "$T/ww.conf"
cmp --watch --config "$T/ww.conf" --dump-dir "$D" 2>"$T/err"
rc=$?
check "world-writable config refused" [ "$rc" -ne 0 ]
check "world-writable config: reason given" grep -q 'writable by group or others' "$T/err"
# a symbolic link is followed only when root or we own it, and its target is held to the same rules
ln -s "$T/ww.conf" "$T/link.conf"
cmp --watch --config "$T/link.conf" --dump-dir "$D" 2>"$T/err"
rc=$?
check "symlink to a world-writable config refused" [ "$rc" -ne 0 ]
check "symlink to a world-writable config: reason given" grep -q 'writable by group or others' "$T/err"
chmod 0600 "$T/ww.conf"
ln -s "$T/ww.conf" "$T/other.conf"
if chown -h nobody "$T/other.conf" 2>/dev/null; then
	cmp --watch --config "$T/other.conf" --dump-dir "$D" 2>"$T/err"
	rc=$?
	check "symlink owned by another user refused" [ "$rc" -ne 0 ]
	check "symlink owned by another user: reason given" grep -q 'is a symbolic link owned by uid [0-9]* (not root or us)' "$T/err"
else
	skip "symlink owned by another user (cannot chown here)"
fi
cmp --watch --config "$T/missing.conf" --dump-dir "$D" 2>"$T/err"
rc=$?
check "missing --config file is an error" [ "$rc" -ne 0 ]
check "missing config named" grep -q "missing.conf: cannot open" "$T/err"

# good config; the command line overrides the interval
cat >"$T/good.conf" <<'EOF'
[sampling]
sampling_interval_seconds = 0.5
ring_buffer_capacity = 30
context_snapshots_per_dump = 5
EOF
chmod 0600 "$T/good.conf"
$ENVI "$C" --watch --config "$T/good.conf" --interval 0.2 --dump-dir "$D" 2>"$T/watch.err" &
WPID=$!
i=0
while ! grep -q 'watching every process' "$T/watch.err" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "--interval overrides the file" grep -q 'watching every process every 0.2 s' "$T/watch.err"

# SIGHUP with a broken file: old config kept, the reason given
cp "$T/good.conf" "$T/good.bak"
printf 'sampling_interval_seconds = 0\n' >"$T/good.conf"
kill -HUP $WPID
wait_for 10 grep -q 'keeping the previous configuration' "$T/watch.err"
check "SIGHUP with a broken config: the problem named" grep -q "good.conf:1: sampling_interval_seconds: bad value '0': out of range (allowed 0.01 to 3600); keeping the previous configuration" "$T/watch.err"
check "SIGHUP with a broken config: old one kept" grep -q 'keeping the previous configuration' "$T/watch.err"
check "still running after a broken reload" kill -0 $WPID

# a good reload applies
printf 'ring_buffer_capacity = 20\ncontext_snapshots_per_dump = 4\n' >"$T/good.conf"
kill -HUP $WPID
wait_for 10 grep -q 'config reloaded' "$T/watch.err"
check "SIGHUP reload applies the new file" grep -q 'config reloaded: interval 0.2 s, ring 20 snapshots' "$T/watch.err"

# 100 SIGHUPs in a second: no crash, no fd leak
# (fds on /proc/PID files come and go with the processes on the machine)
nfds() {
	_n=0
	for _f in /proc/"$WPID"/fd/*; do
		case $(readlink "$_f") in /proc/* | '') ;; *) _n=$((_n + 1)) ;; esac
	done
	echo "$_n"
}
before=$(nfds)
i=0
while [ $i -lt 100 ]; do kill -HUP $WPID; i=$((i + 1)); sleep 0.01; done
# one more reload with a file of its own: once it is applied, the storm is over
printf 'ring_buffer_capacity = 21\ncontext_snapshots_per_dump = 4\n' >"$T/good.conf"
kill -HUP $WPID
check "the reload after the storm applies" wait_for 20 grep -q 'config reloaded: interval 0.2 s, ring 21 snapshots' "$T/watch.err"
after=$(nfds)
check "alive after 100 SIGHUPs" kill -0 $WPID
n=$((after - before))
check "no fd leak from reloads (fds $before -> $after)" [ "$n" -le 0 ]

kill -INT $WPID
wait $WPID
expect "SIGINT stops cleanly with status 0" "$?" 0
check "stop line names SIGINT" grep -q 'stopped (SIGINT)' "$T/watch.err"
WPID=

# --config /dev/null: built-in defaults
$ENVI "$C" --watch --config /dev/null --dump-dir "$D" 2>"$T/w2.err" &
WPID=$!
i=0
while ! grep -q 'watching every process' "$T/w2.err" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "--config /dev/null: defaults (interval 1 s)" grep -q 'watching every process every 1 s' "$T/w2.err"
kill -TERM $WPID
wait $WPID
WPID=
