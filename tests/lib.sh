# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Shared helpers for tests/e2e/*.sh (POSIX sh). Source it first:
#   . "$TOP/tests/lib.sh"
# Then: ok/fail/skip "description", check "description" command..., and
# $C (the compendium binary), $P (test programs dir), $T (a fresh temp dir
# removed at exit). Tests run hermetically: env -i with a minimal PATH.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
C=$BUILD/compendium
# shellcheck disable=SC2034 # used by the tests that source this file
P=$BUILD/progs
T=$(mktemp -d /tmp/compendium-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
# Sanitizer settings of a SANITIZE= build are not user config: keep them.
ENVI="env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=$T LANG=C.UTF-8${ASAN_OPTIONS:+ ASAN_OPTIONS=$ASAN_OPTIONS}${UBSAN_OPTIONS:+ UBSAN_OPTIONS=$UBSAN_OPTIONS}"
# SANITIZE is set (e.g. "address,undefined") when the binary is a sanitizer build.
SANITIZE=${SANITIZE:-}

# count_names DIR REGEX: how many entries of DIR (dot files too) have a name matching REGEX
count_names() { find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' | grep -c -- "$2"; }

ok() { echo "ok - $*"; }
fail() { echo "not ok - $*"; }
skip() { echo "skip - $*"; }

# check "description" cmd args...: ok if the command exits 0.
check() {
	_check_desc=$1; shift
	if "$@"; then ok "$_check_desc"; else fail "$_check_desc"; fi
}

# Run compendium hermetically: cmp [args...]
cmp() { $ENVI "$C" "$@"; }

# jq-like checks in python3 over a JSON Lines file:
#   jl FILE 'python expression over evs (list of dicts), hdr, end'
# prints the value; exits non-zero if the expression raises or the file is
# not strictly valid JSON Lines (UTF-8, one object per line).
jl() {
	python3 - "$1" "$2" <<'PY'
import json, sys
path, expr = sys.argv[1], sys.argv[2]
raw = open(path, 'rb').read()
text = raw.decode('utf-8')  # strict: invalid UTF-8 raises
lines = [l for l in text.split('\n') if l]
objs = [json.loads(l) for l in lines]
hdr = objs[0] if objs and objs[0].get('type') == 'header' else None
end = objs[-1] if objs and objs[-1].get('type') == 'end' else None
evs = [o for o in objs if o.get('type') not in ('header', 'end')]
def of(t): return [e for e in evs if e.get('type') == t]
v = eval(expr)
if isinstance(v, (dict, list)):
    print(json.dumps(v, sort_keys=True))
else:
    print(v)
PY
}

# expect "description" "$actual" "$expected"
expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1 (got '$2', want '$3')"; fi
}

# wait_grep PATTERN FILE: wait (up to 10 s) until FILE has a line matching PATTERN; 1 if it never does
wait_grep() {
	_wg_i=0
	while ! grep -q -- "$1" "$2" 2>/dev/null; do
		[ $_wg_i -ge 500 ] && return 1
		sleep 0.02
		_wg_i=$((_wg_i + 1))
	done
}

# wait_for SECONDS cmd...: run cmd every 50 ms until it succeeds (returns 0)
# or SECONDS have passed (returns 1): wait for a condition, not a fixed time.
wait_for() {
	_wf_end=$(($(date +%s) + $1)); shift
	until "$@"; do
		[ "$(date +%s)" -ge "$_wf_end" ] && return 1
		sleep 0.05
	done
}

# stop_bg PID: end a background process the test started (for EXIT traps):
# SIGTERM, then SIGKILL if it is still there after 5 s.
stop_bg() {
	kill -TERM "$1" 2>/dev/null
	wait_for 5 sh -c "! kill -0 $1 2>/dev/null" || kill -KILL "$1" 2>/dev/null
}

# prio_script: write $T/prio, which runs a command at the highest priority it
# can get (its own autogroup at -20, nice -20): a sampler under test keeps its
# schedule on a busy machine. Run it as 'setsid $T/prio ...': the autogroup is
# the whole session's, so $T/prio raises it only when it leads its session;
# run from the caller's session it would raise everything started there
# (make check's, a terminal's: two busy loops beside make check took both
# cores at -20 and starved the machine). Then only nice -20 applies.
prio_script() {
	cat >"$T/prio" <<'PRIO'
#!/bin/sh
[ "$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f4)" = $$ ] && echo -20 >/proc/self/autogroup 2>/dev/null
exec nice -n -20 "$@"
PRIO
	chmod +x "$T/prio"
}

# browser_checks SCRIPT: the test's checks in a real browser, by
# tests/browser/SCRIPT (doc/TESTING.md, "Browser tests"). Skips the whole test
# (exit 0) when node, chromium or playwright-core is missing; then
# `browser MODE REPORT ARGS...` runs SCRIPT and passes its ok/not ok lines on.
browser_checks() {
	BROWSER_JS=$TOP/tests/browser/$1
	if ! command -v node >/dev/null 2>&1; then
		skip "browser checks: node is not installed (sh .ci/deps.sh test)"; exit 0
	fi
	if [ ! -x /usr/bin/chromium ]; then
		skip "browser checks: /usr/bin/chromium is not installed (sh .ci/deps.sh test)"; exit 0
	fi
	if [ ! -f "$TOP/tests/browser/node_modules/playwright-core/package.json" ]; then
		skip "browser checks: playwright-core is not installed (sh .ci/deps.sh test runs npm ci in tests/browser)"; exit 0
	fi
}
browser() {
	$ENVI node "$BROWSER_JS" "$@" >"$T/node.out" 2>"$T/node.err"
	rc=$?
	cat "$T/node.out"
	sed 's/^/# /' "$T/node.err" | head -20
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$T/node.out"; then
		fail "browser check '$1' exited $rc without reporting a failure"
	fi
}
