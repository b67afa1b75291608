#!/bin/sh
# SPDX-License-Identifier: MIT
# Output files (-o, --json) are opened the safe way (doc/SAFETY.md,
# 'Output files'): a symbolic link planted at the name is refused and its
# target left alone, someone else's file in a sticky shared directory is
# refused, a new file is 0600, an existing one keeps its mode, a FIFO with
# no reader is waited for with a note, devices work.
. "$TOP/tests/lib.sh"
umask 022

printf 'precious\n' >"$T/victim"
chmod 0644 "$T/victim"
for opt in --json -o; do
	ln -sf "$T/victim" "$T/link$opt"
	cmp $opt "$T/link$opt" -q -- true >"$T/out" 2>"$T/err"
	rc=$?
	expect "$opt through a planted symlink: refused (exit 1)" "$rc" 1
	expect "$opt through a planted symlink: one line saying so" \
		"$(grep -c 'symbolic link' "$T/err")/$(wc -l <"$T/err")" "1/1"
	expect "$opt through a planted symlink: the target is untouched" "$(cat "$T/victim")" precious
done

# someone else's file in a sticky, world-writable directory (like /tmp)
mkdir "$T/shared" && chmod 1777 "$T/shared"
printf 'theirs\n' >"$T/shared/trace.jsonl"
if [ "$(id -u)" = 0 ] && chown 65534 "$T/shared/trace.jsonl" 2>/dev/null; then
	cmp --json "$T/shared/trace.jsonl" -q -- true >"$T/out" 2>"$T/err"
	rc=$?
	expect "--json onto another user's file in a sticky dir: refused (exit 1)" "$rc" 1
	check "--json onto another user's file in a sticky dir: says why" grep -q 'another user' "$T/err"
	expect "--json onto another user's file in a sticky dir: it is untouched" "$(cat "$T/shared/trace.jsonl")" theirs
else
	skip "not root: cannot give a file to another user"
fi
# our own file there is fine
cmp --json "$T/shared/mine.jsonl" -q -- true 2>"$T/err"
check "--json: a new file in a sticky dir is written" jl "$T/shared/mine.jsonl" 'hdr is not None and end is not None'

# modes: new files 0600 whatever the umask; an existing file keeps its mode
cmp --json "$T/new.jsonl" -o "$T/new.out" -- true 2>/dev/null
expect "--json: a new file is 0600" "$(stat -c %a "$T/new.jsonl")" 600
expect "-o: a new file is 0600" "$(stat -c %a "$T/new.out")" 600
printf '%4096s\n' old >"$T/old.jsonl"
chmod 0640 "$T/old.jsonl"
cmp --json "$T/old.jsonl" -q -- true 2>/dev/null
expect "--json: an existing file keeps its mode" "$(stat -c %a "$T/old.jsonl")" 640
check "--json: an existing file is truncated (only the new log in it)" jl "$T/old.jsonl" 'hdr is not None and end is not None'

# a FIFO with no reader: a note, then the log once a reader comes
mkfifo "$T/fifo"
cmp --json "$T/fifo" -q -- true 2>"$T/ferr" &
pid=$!
i=0
while [ $i -lt 200 ] && ! grep -q 'waiting' "$T/ferr"; do i=$((i+1)); sleep 0.05; done
check "--json FIFO without a reader: a note says compendium waits" grep -q 'FIFO with no reader' "$T/ferr"
timeout 20 cat "$T/fifo" >"$T/fifo.out"
wait $pid
rc=$?
expect "--json FIFO: exit 0 once a reader came" "$rc" 0
check "--json FIFO: the reader got the whole log" jl "$T/fifo.out" 'hdr is not None and end is not None'

# devices are used as they are
cmp --json /dev/null -o /dev/null -- true
expect "--json /dev/null -o /dev/null: exit 0" "$?" 0
check "/dev/null is still a character device" test -c /dev/null

# a directory is named as one
cmp --json "$T" -q -- true >"$T/out" 2>"$T/err"
expect "--json DIR: exit 1" "$?" 1
check "--json DIR: says it is a directory" grep -q 'is a directory' "$T/err"

# a setup error (command not found, no such pid) leaves no empty log or narrative behind
cmp --json "$T/nf.jsonl" -o "$T/nf.out" -- /nonexistent/command 2>/dev/null
expect "command not found: exit 127" "$?" 127
check "command not found: no --json file left" test ! -e "$T/nf.jsonl"
check "command not found: no -o file left" test ! -e "$T/nf.out"
cmp --json "$T/np.jsonl" -p 2147483646 2>/dev/null
check "no such pid: non-zero exit" test $? -ne 0
check "no such pid: no --json file left" test ! -e "$T/np.jsonl"
