#!/bin/sh
# SPDX-License-Identifier: MIT
# .ci/deps.sh decides what to install from dpkg's state: exercised with
# stand-ins for dpkg-query, apt-get and id that record what they are asked,
# so the LLVM libunwind-14-dev conflict path is tested without touching the
# machine's packages.
. "$TOP/tests/lib.sh"
stub=$T/stub
mkdir -p "$stub"
# installed packages come from $T/installed (one name a line)
cat >"$stub/dpkg-query" <<'S'
#!/bin/sh
p=$(eval echo "\${$#}")
if grep -qx "$p" "$STUBDIR/installed"; then echo "install ok installed"; else exit 1; fi
S
cat >"$stub/apt-get" <<'S'
#!/bin/sh
echo "apt-get $*" >>"$STUBDIR/calls"
S
cat >"$stub/id" <<'S'
#!/bin/sh
echo 0
S
chmod +x "$stub"/*
all="gcc make pkg-config libunwind-dev libcapstone-dev libcjson-dev zlib1g-dev libbpf-dev bpftool clang"
run() { # set
	: >"$T/calls"
	STUBDIR=$T PATH=$stub:/usr/bin:/bin sh "$TOP/.ci/deps.sh" "$1" >"$T/out" 2>&1
}

printf '%s\n' $all >"$T/installed"
run build
expect "everything installed: exit 0" "$?" 0
expect "everything installed: apt-get is not called" "$(cat "$T/calls")" ""

printf '%s\n' gcc make pkg-config libcapstone-dev libcjson-dev zlib1g-dev libbpf-dev bpftool clang libunwind-14-dev >"$T/installed"
run build
expect "LLVM libunwind present: exit 0" "$?" 0
calls=$(cat "$T/calls")
first=$(sed -n 1p "$T/calls")
expect "it is removed first, explicitly" "$first" "apt-get remove -y -q libunwind-14-dev"
if echo "$calls" | grep -q 'apt-get install -y -q --no-install-recommends libunwind-dev$'; then
	ok "then libunwind-dev is installed"
else
	fail "libunwind-dev not installed after the removal: $calls"
fi
grep -q "conflicts with libunwind-dev" "$T/out" && ok "it says why it removes a package" || fail "no reason given: $(cat "$T/out")"

printf '%s\n' gcc make pkg-config libunwind-dev zlib1g-dev libbpf-dev bpftool clang libunwind-14-dev libc++-14-dev >"$T/installed"
run build
first=$(sed -n 1p "$T/calls")
expect "libc++-14-dev (which needs LLVM libunwind) goes too" "$first" "apt-get remove -y -q libunwind-14-dev libc++-14-dev"
if grep -q 'install .* libcapstone-dev libcjson-dev libunwind-dev$' "$T/calls"; then
	ok "exactly the missing packages are installed"
else
	fail "install line: $(grep install "$T/calls")"
fi

cat >"$stub/id" <<'S'
#!/bin/sh
echo 1000
S
printf '%s\n' gcc make >"$T/installed"
run build
rc=$?
if [ "$rc" -ne 0 ] && grep -q "missing packages:" "$T/out" && [ ! -s "$T/calls" ]; then
	ok "not root: one clear message, non-zero exit, nothing attempted"
else
	fail "not root: rc=$rc out=$(cat "$T/out") calls=$(cat "$T/calls")"
fi

# plain make with build packages missing: one line naming them and
# 'make deps', a non-zero exit, nothing installed (the stubs record apt-get)
cat >"$stub/id" <<'S'
#!/bin/sh
echo 0
S
printf '%s\n' gcc make pkg-config libunwind-dev libcjson-dev libbpf-dev bpftool clang >"$T/installed"
: >"$T/calls"
# as a user types it: not a sub-make of `make -j2 check` (no inherited jobserver flags)
STUBDIR=$T PATH=$stub:/usr/bin:/bin env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	make -s -C "$TOP" BUILD="$T/b" PKG_CONFIG=false >"$T/out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && [ "$(wc -l <"$T/out")" -eq 1 ] &&
	grep -q "missing: libcapstone-dev zlib1g-dev; run 'make deps'" "$T/out" && [ ! -s "$T/calls" ] && [ ! -e "$T/b" ]; then
	ok "plain make: one line naming the missing packages and make deps, nothing installed or built"
else
	fail "plain make: rc=$rc out=$(cat "$T/out") calls=$(cat "$T/calls")"
fi
