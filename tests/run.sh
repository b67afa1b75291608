#!/bin/sh
# SPDX-License-Identifier: MIT
# Run every test: cmocka unit tests (build/unit/*) and end-to-end scripts
# (tests/e2e/*.sh). Each e2e script prints "ok - ...", "not ok - ..." or
# "skip - ..." lines. Ends with one line "N passed, N failed, N skipped".
# TESTS=pattern runs only the e2e scripts whose name contains pattern.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
pass=0 fail=0 skip=0
failed_names=""
logdir=$BUILD/test-logs
rm -rf "$logdir"; mkdir -p "$logdir"

count() { # file name
	p=$(grep -c '^ok ' "$1" 2>/dev/null); f=$(grep -c '^not ok ' "$1" 2>/dev/null); s=$(grep -c '^skip ' "$1" 2>/dev/null)
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	if [ "$f" -gt 0 ]; then
		failed_names="$failed_names $2"
		grep '^not ok ' "$1" | sed "s|^|  [$2] |"
	fi
}

if [ -z "${TESTS:-}" ] || [ "${TESTS:-}" = unit ]; then
for u in "$BUILD"/unit/*; do
	[ -x "$u" ] || continue
	name=unit/$(basename "$u")
	log=$logdir/$(basename "$u").log
	CMOCKA_MESSAGE_OUTPUT=stdout timeout 300 "$u" >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	pass=$((pass + p)); fail=$((fail + f))
	if [ "$f" -gt 0 ]; then
		failed_names="$failed_names $name"
		echo "  [$name] failed (rc=$rc), see $log"; grep -E 'FAILED|ERROR|error' "$log" | head -5
	fi
	echo "$name: $p passed, $f failed"
done
fi

for t in tests/e2e/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	case $name in *"${TESTS:-}"*) ;; *) continue ;; esac
	[ "${TESTS:-}" = unit ] && continue
	log=$logdir/$name.log
	start=$(date +%s)
	BUILD=$BUILD TOP=$top timeout 900 sh "$t" >"$log" 2>&1
	rc=$?
	count "$log" "$name"
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$log"; then
		fail=$((fail + 1)); failed_names="$failed_names $name"
		echo "  [$name] script exited $rc without reporting a failure; last lines:"; tail -5 "$log" | sed 's/^/    /'
	fi
	echo "$name: $(grep -c '^ok ' "$log") passed, $(grep -c '^not ok ' "$log") failed, $(grep -c '^skip ' "$log") skipped ($(( $(date +%s) - start ))s)"
done

[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
