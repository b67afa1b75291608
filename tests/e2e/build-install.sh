#!/bin/sh
# SPDX-License-Identifier: MIT
# make install / uninstall honour PREFIX and DESTDIR; the dependency
# installer is a no-op when everything is there.
. "$TOP/tests/lib.sh"
cd "$TOP" || exit 1
d=$T/dest
if make -s BUILD="$BUILD" DESTDIR="$d" PREFIX=/opt/cmp install >"$T/log" 2>&1; then
	ok "make install with DESTDIR and PREFIX"
else
	fail "make install failed: $(tail -3 "$T/log")"
fi
check "binary installed under DESTDIR/PREFIX/bin, executable" test -x "$d/opt/cmp/bin/compendium"
check "man page installed under share/man/man1" test -f "$d/opt/cmp/share/man/man1/compendium.1"
check "systemd unit installed" test -f "$d/opt/cmp/lib/systemd/system/compendium-watch.service"
if grep -q "ExecStart=/opt/cmp/bin/compendium" "$d/opt/cmp/lib/systemd/system/compendium-watch.service" 2>/dev/null; then
	ok "the unit's ExecStart names the installed binary"
else
	fail "the unit's ExecStart does not name /opt/cmp/bin/compendium: $(grep ExecStart "$d/opt/cmp/lib/systemd/system/compendium-watch.service" 2>&1)"
fi
v=$("$d/opt/cmp/bin/compendium" --version 2>&1)
case $v in "compendium "*) ok "installed binary runs" ;; *) fail "installed binary: $v" ;; esac
n=$(find "$d" -type f | wc -l)
expect "nothing else installed (3 files)" "$n" 3
make -s BUILD="$BUILD" DESTDIR="$d" PREFIX=/opt/cmp uninstall >"$T/log" 2>&1
n=$(find "$d" -type f | wc -l)
expect "make uninstall removes every installed file" "$n" 0

# A second run of the installer changes nothing and says nothing.
for set in build test; do
	out=$(sh .ci/deps.sh "$set" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
		ok ".ci/deps.sh $set with everything present: silent no-op"
	else
		fail ".ci/deps.sh $set: rc=$rc output: $out"
	fi
done
out=$(sh .ci/deps.sh bogus 2>&1)
rc=$?
if [ "$rc" -ne 0 ] && echo "$out" | grep -q "unknown set"; then ok ".ci/deps.sh rejects an unknown set"; else fail ".ci/deps.sh bogus: rc=$rc $out"; fi
