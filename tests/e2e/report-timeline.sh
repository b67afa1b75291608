#!/bin/sh
# SPDX-License-Identifier: MIT
# The report's timeline in a real browser (issue 16; tests/browser/timeline-test.js):
# lanes nested by process tree and folding, span labels when zoomed in, the
# category legend as a filter, the overview strip, the view following the
# selection (search, n, z), a toolbar that stays one line, and an attach run
# whose default view spans its activity with the idle stretch marked.
. "$TOP/tests/lib.sh"

browser_checks timeline-test.js

# a tree: sh, its children (rep_lanes with 2 threads and 2 children,
# proc_forktree with children and grandchildren, rep_hostile), and a cat of
# a long path
mkdir "$T/lanes" "$T/hostile"
long="$T/d"
for k in 01 02 03 04 05 06; do long="$long/a-rather-long-directory-name-$k"; done
mkdir -p "$long"
echo x >"$long/the-file-at-the-end.txt"
cmp -q --json "$T/tree.jsonl" --report "$T/tree.html" -- sh -c \
	'"$1"/rep_lanes "$2"; "$1"/proc_forktree "$3" 2 2 0; "$1"/rep_hostile "$4"; cat "$5"/the-file-at-the-end.txt >/dev/null' \
	sh "$P" "$T/lanes" "$T/ft.txt" "$T/hostile" "$long" 2>"$T/err"
check "report of the tree written" test -s "$T/tree.html"
# root (sh), rep_lanes (its child), a grandchild of proc_forktree's and a thread of rep_lanes'
ids=$(jl "$T/tree.jsonl" "' '.join(str(x) for x in [
  evs[0]['pid'],
  [e['pid'] for e in of('exec') if e['path'].endswith('/rep_lanes')][0],
  [e['pid'] for e in of('exec') if e['path'].endswith('/proc_forktree')][0],
  [l.split()[0] for l in open('$T/ft.txt') if l.split()[2] == '2'][0],
  sorted(set(e['tid'] for e in evs if e['tid'] != e['pid']))[0]])")
set -- $ids
expect "the tree has a root, two children, a grandchild and a thread" "$#" 5
browser tree "$T/tree.html" --root "$1" --child "$2" --forktree "$3" --grand "$4" --thread "$5" --file the-file-at-the-end.txt

# a dense trace: no span is wide enough for a label at full view
cmp -q --report "$T/many.html" -- "$P/rep_many" 100000 "$T/nope" 2>"$T/err"
check "report of 100,000 writes written" test -s "$T/many.html"
browser dense "$T/many.html"

# an attach run: a little work, then a long sleep before the detach
mkfifo "$T/go"
$ENVI sh -c 'read x <"$1"; i=0; while [ $i -lt 30 ]; do cat /etc/hostname; i=$((i + 1)); done >/dev/null; echo done >"$2"; exec sleep 1000' \
	sh "$T/go" "$T/busy-done" &
prog=$!
trap 'stop_bg $prog; rm -rf "$T"' EXIT
$ENVI "$C" -q --report "$T/attach.html" --pid "$prog" >/dev/null 2>"$T/attach.err" &
cpid=$!
traced() { [ "$(awk '/^TracerPid:/ {print $2}' /proc/"$prog"/status 2>/dev/null)" != 0 ]; }
check "compendium attached" wait_for 20 traced
echo go >"$T/go"
check "the attached shell did its work" wait_for 20 test -s "$T/busy-done"
# the idle stretch the test is about: 3 s of sleep after 30 cats
sleep 3
kill -INT "$cpid"
wait "$cpid"
expect "compendium detaches and exits 0" "$?" 0
stop_bg "$prog"
check "report of the attach written" test -s "$T/attach.html"
browser attach "$T/attach.html"
