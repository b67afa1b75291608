#!/bin/sh
# SPDX-License-Identifier: MIT
# --report PATH is checked before anything runs (a directory, an unwritable
# place, a dangling or foreign symlink, a missing directory, a non-regular
# file fail at once with one line and the command never starts), and the
# report is written atomically with mode 0600 unless --report-mode says else.
. "$TOP/tests/lib.sh"

refuse() { # description pattern path
	rm -f "$T/ran"
	cmp -q --report "$3" -- /bin/touch "$T/ran" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	lines=$(wc -l <"$T/err")
	if [ "$rc" -eq 0 ]; then fail "$1: exit 0"
	elif [ -e "$T/ran" ]; then fail "$1: the command ran"
	elif [ "$lines" -ne 1 ]; then fail "$1: $lines lines on stderr: $(cat "$T/err")"
	elif ! grep -q -- "$2" "$T/err"; then fail "$1: message '$(cat "$T/err")' lacks '$2'"
	else ok "$1 ($(cat "$T/err"))"; fi
}

mkdir "$T/dir"
refuse "a directory is refused" "is a directory" "$T/dir"
refuse "a missing directory is refused" "does not exist" "$T/missing/r.html"
ln -s "$T/nowhere/x.html" "$T/dangling.html"
refuse "a dangling symlink is refused" "dangling" "$T/dangling.html"
mkfifo "$T/fifo"
refuse "a fifo is refused" "not a regular file" "$T/fifo"
refuse "an empty path is refused" "empty path" ""
if [ "$(id -u)" = 0 ]; then
	# root ignores permission bits: use a place where files cannot be created
	refuse "an unwritable location is refused" "cannot create files" "/proc/compendium-test.html"
	echo old >"$T/victim"
	ln -s "$T/victim" "$T/link.html"
	refuse "as root, a symlink at the final path is refused" "symbolic link" "$T/link.html"
	expect "the symlink's target is untouched" "$(cat "$T/victim")" old
else
	mkdir "$T/ro"; chmod 0555 "$T/ro"
	refuse "an unwritable location is refused" "cannot create files" "$T/ro/r.html"
	skip "symlink refusal is for root"
fi

# atomic write, default mode 0600 regardless of umask, --report-mode
echo old >"$T/r.html"
ln "$T/r.html" "$T/r.old"
(umask 0; cmp -q --report "$T/r.html" -- /bin/true 2>"$T/err")
expect "the report replaces the old file" "$(head -c 15 "$T/r.html")" "<!DOCTYPE html>"
expect "a hard link to the old file still holds the old content (rename, not overwrite)" "$(cat "$T/r.old")" old
expect "default mode is 0600 even with umask 0" "$(stat -c %a "$T/r.html")" 600
left=$(find "$T" -maxdepth 1 -name '.r.html.*' | wc -l)
expect "no temporary file is left behind" "$left" 0
cmp -q --report "$T/g.html" --report-mode 0640 -- /bin/true 2>"$T/err"
expect "--report-mode 0640 gives 0640" "$(stat -c %a "$T/g.html")" 640
grep -q "may still contain secrets" "$T/err"
check "a one-line warning says reports may contain secrets" test $? -eq 0
