#!/bin/sh
# SPDX-License-Identifier: MIT
# Outputs that cannot be written (doc/SAFETY.md, 'Output that cannot be
# written'): a write error of -o or --json is said once with the file's
# name and ends in exit status 74 when the command succeeded (its own
# failure is kept); a reader that stops reading (--json - into a pipe, -o
# into a FIFO, attached or launched) never makes compendium deaf to
# SIGTERM, SIGHUP or SIGINT: it stops as usual, says what was not written, and leaves
# no tracee stopped.
. "$TOP/tests/lib.sh"
cd "$T" || exit 1

# --- write errors: one line naming the file, the documented status
for opt in -o --json; do
	cmp $opt /dev/full -- true >/dev/null 2>"$T/full.err"
	rc=$?
	expect "$opt /dev/full: exit 74 (the trace is complete, an output failed)" "$rc" 74
	expect "$opt /dev/full: one line naming the file and the errno" \
		"$(grep -c -- "$opt /dev/full: writing failed: No space left on device" "$T/full.err")" 1
	expect "$opt /dev/full: nothing else said about it" "$(grep -c 'dev/full' "$T/full.err")" 1
	cmp $opt /dev/full -- sh -c 'exit 4' >/dev/null 2>/dev/null
	expect "$opt /dev/full: a failing command's status is kept" "$?" 4
done
cmp -q -o /dev/full -- true >/dev/null 2>"$T/sum.err"
expect "-q -o /dev/full: exit 74" "$?" 74
expect "-q -o /dev/full: the summary's failure is said, once" \
	"$(grep -c -- '-o /dev/full: writing failed: No space left on device; the summary is incomplete' "$T/sum.err")/$(wc -l <"$T/sum.err")" "1/1"
cmp -o "$T/ok.out" --json "$T/ok.json" -- true >/dev/null 2>"$T/ok.err"
expect "outputs that work: exit 0, nothing said" "$?:$(grep -c 'writing\|not written' "$T/ok.err")" "0:0"

# --- a reader that stops reading
pstate() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1; }
alive() { [ -e "/proc/$1" ] && [ "$(pstate "$1")" != Z ]; }
# descendants of pid $1, one per line
desc() {
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		echo "$c"
		desc "$c"
	done
}
# whether some process in the file $1 is in state t (stopped by its tracer)
some_t() { for p in $(cat "$1"); do [ "$(pstate "$p")" = t ] && return 0; done; return 1; }
# record the descendants of $1 in $2 (appending) and say whether one sits in t, and
# stays there (five looks over half a second: a tracee is in t for a moment at
# every stop, a stalled output keeps it there)
stalled() {
	desc "$1" >>"$2"
	for _i in 1 2 3 4 5; do
		some_t "$2" || return 1
		sleep 0.1
	done
}
# none of the pids in file $1 is left in state t
none_t() { ! some_t "$1"; }

# stall NAME SIGNAL CMD...: CMD (compendium, or a shell that execs it) writes into
# the FIFO $T/NAME.fifo, read by a reader that reads one line and sleeps; once a
# tracee (a descendant, or $extra) waits for compendium, SIGNAL to compendium: it
# must end within a few seconds, leave no tracee stopped and say what it did not
# write ($what: the output's name, $content: what it holds)
stall() {
	name=$1 sig=$2; shift 2
	mkfifo "$T/$name.fifo"
	(read -r _line; sleep 60) <"$T/$name.fifo" &
	reader=$!
	$ENVI "$@" 2>"$T/$name.err" &
	cpid=$!
	echo "${extra:-}" >"$T/$name.pids"
	if wait_for 30 stalled "$cpid" "$T/$name.pids"; then
		ok "$name: the reader stalled, a tracee waits for compendium (state t)"
	else
		fail "$name: the reader stalled, a tracee waits for compendium (state t)"
	fi
	kill -"$sig" "$cpid"
	ended=0
	if wait_for 10 sh -c "! kill -0 $cpid 2>/dev/null || [ \"\$(sed 's/.*) //' /proc/$cpid/stat | cut -c1)\" = Z ]"; then
		ok "$name: SIG$sig ends compendium within 10 s"
		ended=1
	else
		fail "$name: SIG$sig ends compendium within 10 s"
	fi
	# before any kill -9 of a compendium that did not end (its EXITKILL would clean up)
	check "$name: no tracee left stopped (state t)" wait_for 5 none_t "$T/$name.pids"
	[ $ended = 1 ] || kill -9 "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
	check "$name: a line says what was not written" \
		grep -q -- "$what: the reader stopped reading; [0-9]* bytes ([0-9]* lines*) of $content were not written" "$T/$name.err"
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
}

what="--json -" content="the log"
stall json TERM sh -c 'exec "$0" --json - -- sh -c "yes | head -c 50000000 >/dev/null" >"$1"' "$C" "$T/json.fifo"
what="-o $T/o.fifo"  content="the narrative"
# -v: a line per call, the narrative outgrows the queue before the command ends
stall o HUP "$C" -v -o "$T/o.fifo" -- sh -c 'yes | head -c 500000000 >/dev/null'

# attached: SIGINT detaches (a background compendium -p takes it), the target runs on
yes >/dev/null &
target=$!
what="--json -" content="the log" extra=$target
stall attach INT sh -c 'exec "$0" -p "$1" --json - >"$2"' "$C" "$target" "$T/attach.fifo"
echo "$target" >"$T/target"
check "attach: the target was detached and runs on (not t)" wait_for 5 none_t "$T/target"
kill -0 "$target" 2>/dev/null
expect "attach: the target is still alive" "$?" 0
kill "$target"

# the command has ended, the reader stalled with the rest of the narrative queued:
# compendium waits for it (losing nothing) until told to stop
mkfifo "$T/end.fifo"
(read -r _line; sleep 60) <"$T/end.fifo" &
reader=$!
$ENVI "$C" -v -o "$T/end.fifo" -- dd if=/dev/zero of=/dev/null bs=1 count=4000 2>"$T/end.err" &
cpid=$!
nokids() { [ -z "$(cat /proc/"$1"/task/*/children 2>/dev/null)" ]; }
# the command ended (dd says so on its way out; a slow start under a
# sanitizer has no children yet either), then compendium reaped it
wait_for 30 grep -q 'records out' "$T/end.err"
wait_for 30 nokids "$cpid"
sleep 0.3
check "after the trace: compendium waits for its reader" kill -0 "$cpid"
kill -TERM "$cpid"
wait_for 10 sh -c "! kill -0 $cpid 2>/dev/null || [ \"\$(sed 's/.*) //' /proc/$cpid/stat | cut -c1)\" = Z ]" || kill -9 "$cpid"
wait "$cpid"
expect "after the trace: SIGTERM ends it, exit 74 (the command succeeded, an output failed)" "$?" 74
check "after the trace: a line says what was not written" \
	grep -q -- "-o $T/end.fifo: the reader stopped reading; [0-9]* bytes ([0-9]* lines*) of the narrative were not written" "$T/end.err"
kill "$reader"
