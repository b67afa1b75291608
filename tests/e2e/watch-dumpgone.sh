#!/bin/sh
# SPDX-License-Identifier: MIT
# The dump directory removed while --watch runs (doc/SAFETY.md, 'The dump
# directory'): recreated with the start's rules and named in one warning per
# disappearance; the next dump lands in it. When it cannot be recreated (a
# file took its place) that is said once, sampling goes on, and the lost
# dumps are counted at exit.
. "$TOP/tests/lib.sh"
prio_script
W="setsid $T/prio $P/watch_load"
WPID=
trap '[ -n "$WPID" ] && stop_bg "$WPID"; rm -rf "$T"' EXIT
printf 'sampling_interval_seconds = 0.1\npost_trigger_seconds = 0.5\n' >"$T/c.conf"
chmod 0600 "$T/c.conf"
D=$T/dumps
L=$T/w.err
setsid "$T/prio" $ENVI "$C" --watch --config "$T/c.conf" --dump-dir "$D" 2>"$L" &
WPID=$!
wait_for 20 grep -q 'watching every process' "$L"
check "sampler started" kill -0 "$WPID"

GONE="dump directory $D disappeared (removed or moved away); recreated it"
rm -rf "$D"
check "rm -rf of the dump directory: a warning names it" wait_for 20 grep -q -F "$GONE" "$L"
check "the directory is back" [ -d "$D" ] && [ ! -L "$D" ]
expect "recreated with the start's mode (0750 under umask 077)" "$(stat -c %a "$D" 2>/dev/null)" 700

$W hog gonehog_a 1 >/dev/null
check "a following dump lands in the recreated directory" wait_for 30 grep -q "dump written: $D/spike_newproc_" "$L"
check "that dump names the hog" sh -c "grep -l gonehog_a '$D'/spike_newproc_* >/dev/null"
expect "one warning for one disappearance (not one per sample)" "$(grep -c -F "$GONE" "$L")" 1

# file_in_place: a file takes the directory's place in one step (renameat2
# RENAME_EXCHANGE). With rm -rf then a write there was a window in which
# the sampler, on a loaded machine, recreated the directory first: the
# write failed and the checks below waited for a message that never came.
file_in_place() {
	echo not-a-directory >"$T/f"
	python3 - "$T/f" "$D" <<'PY' && rm -rf "$T/f"
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, RENAME_EXCHANGE = -100, 2
if libc.renameat2(AT_FDCWD, sys.argv[1].encode(), AT_FDCWD, sys.argv[2].encode(), RENAME_EXCHANGE):
    sys.exit('renameat2: ' + os.strerror(ctypes.get_errno()))
PY
}
# a file takes the directory's place: it cannot be recreated; once the path is free again, it is
file_in_place
NOWAY="the dump directory disappeared and cannot be recreated (dump directory $D is not a directory); sampling goes on"
check "cannot be recreated: said, naming it" wait_for 20 grep -q -F "$NOWAY" "$L"
check "the file in its place is left alone" [ "$(cat "$D")" = not-a-directory ]
rm -f "$D"
check "recreated once the path is free (a second disappearance, a second line)" \
	wait_for 20 sh -c "[ \$(grep -c -F '$GONE' '$L') = 2 ]"
check "... as a directory" [ -d "$D" ]

# gone for good: sampling goes on, the dumps are lost and counted at exit
file_in_place
check "cannot be recreated again: said again" wait_for 20 sh -c "[ \$(grep -c -F '$NOWAY' '$L') = 2 ]"
$W hog gonehog_b 1 >/dev/null
check "sampling goes on (the next trigger is seen)" wait_for 30 grep -q 'trigger newproc: .*gonehog_b' "$L"
expect "said once per disappearance, not once per sample" "$(grep -c -F 'cannot be recreated' "$L")" 2
kill -TERM "$WPID"
wait "$WPID"
expect "stops with status 0" "$?" 0
WPID=
check "the lost dumps are counted at exit" grep -q 'stopped (SIGTERM); [0-9]* dumps\{0,1\} written, [1-9][0-9]* lost (the dump directory was gone' "$L"
check "no dump was written while it was gone" [ "$(cat "$D")" = not-a-directory ]
