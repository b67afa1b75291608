#!/bin/sh
# SPDX-License-Identifier: MIT
# The dump directory: symlinked, group-writable or read-only is refused;
# a full disk loses no old dump, leaves no partial file, logs once and
# sampling goes on; retention removes old dumps and never follows a symlink.
. "$TOP/tests/lib.sh"
prio_script
W="setsid $T/prio $P/watch_load"
WPID='' MNT=''
cleanup() {
	[ -n "$WPID" ] && kill -TERM "$WPID" 2>/dev/null
	for m in $MNT; do umount "$m" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
printf 'sampling_interval_seconds = 0.1\npost_trigger_seconds = 0.5\n' >"$T/c.conf"
chmod 0600 "$T/c.conf"

mkdir -m 0700 "$T/real"
ln -s "$T/real" "$T/link"
cmp --watch --config "$T/c.conf" --dump-dir "$T/link" 2>"$T/err"
check "symlinked dump directory refused" [ $? -ne 0 ]
check "symlinked dump directory: reason" grep -q 'is a symbolic link; refusing it' "$T/err"

mkdir -m 0770 "$T/gw"
chmod 0770 "$T/gw"
cmp --watch --config "$T/c.conf" --dump-dir "$T/gw" 2>"$T/err"
check "group-writable dump directory refused" [ $? -ne 0 ]
check "group-writable dump directory: reason" grep -q 'writable by group or others (mode 0770)' "$T/err"

mkdir "$T/ro"
if mount -t tmpfs -o ro,mode=0700 tmpfs "$T/ro" 2>/dev/null; then
	MNT="$T/ro"
	cmp --watch --config "$T/c.conf" --dump-dir "$T/ro" 2>"$T/err"
	check "read-only dump directory refused at startup" [ $? -ne 0 ]
	check "read-only dump directory: reason" grep -q 'cannot write in dump directory .*Read-only file system' "$T/err"
else
	skip "read-only dump directory (cannot mount tmpfs here)"
fi

# start_watch DIR LOG
start_watch() {
	setsid "$T/prio" $ENVI "$C" --watch --config "$T/c.conf" --dump-dir "$1" 2>"$2" &
	WPID=$!
	i=0
	while ! grep -q 'watching every process' "$2" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}

mkdir "$T/full"
if mount -t tmpfs -o size=64k,mode=0700 tmpfs "$T/full" 2>/dev/null; then
	MNT="$MNT $T/full"
	F=$T/full
	printf '{"type":"header"}\n{"type":"trigger","kind":"old"}\n' >"$F/spike_old_20200101T000000.000Z.jsonl"
	old=$(md5sum <"$F/spike_old_20200101T000000.000Z.jsonl")
	dd if=/dev/zero of="$F/filler" bs=1k count=100 2>/dev/null
	start_watch "$F" "$T/full.err"
	$W hog fullhog_a 1 >/dev/null
	sleep 1
	$W hog fullhog_b 1 >/dev/null
	sleep 1
	check "disk full: ENOSPC logged" grep -q 'not written: No space left on device; earlier dumps are kept, sampling goes on' "$T/full.err"
	expect "disk full: logged once per period" "$(grep -c 'not written: No space left' "$T/full.err")" 1
	expect "disk full: no partial file left" "$(count_names "$F" '^\.spike-tmp')" 0
	expect "disk full: no dump under a final name" "$(count_names "$F" '^spike_[a-z]*_2[0-9]*T')" 1
	expect "disk full: the old dump is intact" "$(md5sum <"$F/spike_old_20200101T000000.000Z.jsonl")" "$old"
	check "disk full: still sampling" kill -0 $WPID
	rm -f "$F/filler"
	# and room for a dump however many processes the machine has
	mount -o remount,size=16m "$F"
	$W hog fullhog_c 1 >/dev/null
	sleep 1.2
	check "after space is freed a dump is written again" grep -q "dump written: $F/spike_newproc_" "$T/full.err"
	check "that dump names the new hog" sh -c "grep -l fullhog_c '$F'/spike_newproc_* >/dev/null"
	kill -TERM $WPID
	wait $WPID
	WPID=
else
	skip "disk full (cannot mount tmpfs here)"
fi

# retention: count and age; a symlink with a dump's name is neither followed nor removed
R=$T/ret
mkdir -m 0700 "$R"
echo victim >"$T/victim"
ln -s "$T/victim" "$R/spike_link_20200101T000000.000Z.jsonl"
for d in 01 02 03 04 05; do
	echo '{}' >"$R/spike_fake_202001${d}T000000.000Z.jsonl"
	touch -d "2020-01-$d" "$R/spike_fake_202001${d}T000000.000Z.jsonl"
done
echo '{}' >"$R/spike_recent_21000101T000000.000Z.jsonl"
echo keep >"$R/notes.txt"
printf 'sampling_interval_seconds = 0.1\npost_trigger_seconds = 0.3\nretention_max_dumps = 3\n' >"$T/c.conf"
start_watch "$R" "$T/ret.err"
$W hog rethog 1 >/dev/null
sleep 1
kill -TERM $WPID
wait $WPID
WPID=
expect "retention: no dump older than retention_max_age_days" "$(count_names "$R" '^spike_fake_')" 0
last=$(sed -n 's/^compendium: dump written: \([^ ]*\).*/\1/p' "$T/ret.err" | tail -1)
check "retention: the newest dump kept ($last)" [ -n "$last" ] && [ -f "$last" ]
n=$(find "$R" -type f -name 'spike_*.jsonl' | wc -l)
check "retention: at most 3 dumps kept ($n)" [ "$n" -le 3 ]
check "retention: other files untouched" [ "$(cat "$R/notes.txt")" = keep ]
check "retention: symlink not followed" [ "$(cat "$T/victim")" = victim ]
check "retention: symlink not counted or removed" [ -L "$R/spike_link_20200101T000000.000Z.jsonl" ]
expect "dumps are mode 0640" "$(stat -c %a "$last")" 640
