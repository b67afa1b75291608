#!/bin/sh
# SPDX-License-Identifier: MIT
# --watch config files must be regular files (doc/SAFETY.md, 'Configuration
# files'): a FIFO, a directory, /dev/zero, a symlink to a FIFO and a 1 GB
# file are refused at start with one line naming the file and what it is,
# without hanging; a link we own to a good file is followed. A SIGHUP reload
# of a broken file, a FIFO or a file that disappeared keeps the previous
# configuration, says why on one line, and the sampler goes on.
. "$TOP/tests/lib.sh"
D=$T/dumps
mkdir -m 0700 "$D"
WPID=
trap '[ -n "$WPID" ] && stop_bg "$WPID"; rm -rf "$T"' EXIT

# refused NAME FILE WHAT: --watch --config FILE exits non-zero at once with one line naming FILE and WHAT
refused() {
	timeout 20 $ENVI "$C" --watch --config "$2" --dump-dir "$D" >"$T/out" 2>"$T/err"
	rc=$?
	expect "$1: refused at once with status 1 (124: it hung)" "$rc" 1
	expect "$1: one line on stderr" "$(wc -l <"$T/err")" 1
	check "$1: the line names the file and what it is" grep -q -F "$2: $3" "$T/err"
}

mkfifo "$T/fifo.conf"
refused "config is a FIFO" "$T/fifo.conf" "is a FIFO, not a regular file"
mkdir "$T/dir.conf"
refused "config is a directory" "$T/dir.conf" "is a directory, not a regular file"
refused "config is /dev/zero" /dev/zero "is a character device, not a regular file"
ln -s "$T/fifo.conf" "$T/tofifo.conf"
refused "config is a symlink to a FIFO" "$T/tofifo.conf" "is a symbolic link to $T/fifo.conf, which is a FIFO, not a regular file"
truncate -s 1G "$T/big.conf"
chmod 0600 "$T/big.conf"
refused "config of 1 GB (sparse)" "$T/big.conf" "1073741824 bytes, over the 65536-byte limit of a config file"
check "nothing was created in the dump directory" [ -z "$(ls -A "$D")" ]

# start_watch CONF LOG: run the sampler in the background and wait until it samples
start_watch() {
	$ENVI "$C" --watch --config "$1" --interval 0.2 --dump-dir "$D" 2>"$2" &
	WPID=$!
	wait_for 20 grep -q 'watching every process' "$2"
}
stop_watch() {
	kill -TERM "$WPID"
	wait "$WPID"
	_rc=$?
	WPID=
	return $_rc
}

# a symlink we own to a good file (configuration management's way) is followed
printf '[sampling]\nring_buffer_capacity = 30\ncontext_snapshots_per_dump = 5\n' >"$T/real.conf"
chmod 0600 "$T/real.conf"
ln -s "$T/real.conf" "$T/good.conf"
start_watch "$T/good.conf" "$T/w1.err"
check "a symlink we own to a good config is followed" grep -q 'watching every process every 0.2 s' "$T/w1.err"
stop_watch
expect "... and the sampler stops cleanly" "$?" 0

# reloads
C1=$T/w.conf
printf '[sampling]\nring_buffer_capacity = 30\ncontext_snapshots_per_dump = 5\n' >"$C1"
chmod 0600 "$C1"
start_watch "$C1" "$T/w.err"
check "sampler started" grep -q 'watching every process' "$T/w.err"

# reload WHAT GREP: send SIGHUP and wait for the line (one line: the problem and the decision)
reload() {
	kill -HUP "$WPID"
	if wait_for 20 grep -q -F "$2" "$T/w.err"; then ok "reload of $1: '$2'"; else fail "reload of $1: no line '$2'"; fi
}
printf '[sampling]\nring_buffer_capacity 25\n' >"$C1"
reload "a syntax error" "SIGHUP: $C1:2: expected 'key = value', got 'ring_buffer_capacity 25'; keeping the previous configuration"
check "the sampler is still running" kill -0 "$WPID"

rm -f "$C1"
mkfifo "$C1"
reload "a FIFO" "SIGHUP: $C1: is a FIFO, not a regular file; keeping the previous configuration"
check "the sampler is still running" kill -0 "$WPID"

rm -f "$C1"
reload "a file that disappeared" "SIGHUP: $C1: cannot open: No such file or directory; keeping the previous configuration"

# the sampler did not stop sampling: a good file is taken at the next SIGHUP
printf 'ring_buffer_capacity = 25\ncontext_snapshots_per_dump = 5\n' >"$C1"
chmod 0600 "$C1"
reload "a good file after the failures" "config reloaded: interval 0.2 s, ring 25 snapshots"
expect "no reload applied anything before the good file" "$(grep -c 'config reloaded' "$T/w.err")" 1
stop_watch
expect "stops cleanly after the failed reloads" "$?" 0
