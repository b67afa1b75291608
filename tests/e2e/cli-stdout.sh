#!/bin/sh
# SPDX-License-Identifier: MIT
# --json - makes stdout pure JSON Lines: the launched command's stdout goes
# to compendium's stderr, nothing it printed is lost, and jq parses the
# stream. Also the small user-facing contracts around the command line:
# --help prints what it means, NO_COLOR follows no-color.org, the README
# names only real options, the man SYNOPSIS has every form, and the
# installed systemd unit cites only installed documentation.
. "$TOP/tests/lib.sh"

# a command that writes to stdout, a lot and in pieces, and to stderr
cat >"$T/talk.sh" <<'SH'
echo first-line-on-stdout
i=0; while [ $i -lt 300 ]; do echo "stdout line $i"; i=$((i+1)); done
echo on-stderr >&2
cat /etc/hostname
SH
cmp --json - -q -- sh "$T/talk.sh" >"$T/out" 2>"$T/err"
rc=$?
expect "--json - -q: the command's exit status is compendium's" "$rc" 0
if command -v jq >/dev/null 2>&1; then
	if jq -e . "$T/out" >/dev/null 2>"$T/jqerr"; then ok "--json - | jq: every stdout line parses"
	else fail "--json - | jq: $(head -1 "$T/jqerr")"; fi
	n=$(jq -r 'select(.type=="header") | .type' "$T/out" | wc -l)
	expect "--json - | jq: one header" "$n" 1
else
	skip "jq not installed"
fi
check "--json -: stdout is strict JSON Lines (header first, end last)" \
	jl "$T/out" 'hdr is not None and end is not None and len(evs) > 0'
check "--json -: the command's stdout is on compendium's stderr" grep -q '^first-line-on-stdout$' "$T/err"
n=$(grep -c '^stdout line ' "$T/err")
expect "--json -: none of the command's 300 lines is lost" "$n" 300
check "--json -: the command's own stderr is still there" grep -q '^on-stderr$' "$T/err"
check "--json -: /etc/hostname's content is on stderr" grep -qxF "$(cat /etc/hostname)" "$T/err"
check "--json -: nothing of the command on stdout" sh -c "! grep -q 'stdout line' '$T/out'"
# the log records the write to fd 1 as it really happened (fd 1 is the
# stderr of compendium, whatever that is)
n=$(jl "$T/out" "sum(1 for e in evs if e.get('type') == 'write' and e.get('fd') == 1)")
check "--json -: the command's writes to fd 1 are in the log ($n)" test "$n" -ge 1

# narrative and log together: the narrative stays on stderr too
cmp --json - -- sh -c 'echo hi' >"$T/out2" 2>"$T/err2"
check "--json - with the narrative: stdout still parses" jl "$T/out2" 'hdr is not None and end is not None'
check "--json - with the narrative: the command's output is on stderr" grep -q '^hi$' "$T/err2"

# the log and the narrative cannot share stdout
cmp --json - -o - -- true >"$T/o3" 2>"$T/e3"
rc=$?
expect "--json - -o -: a usage error (exit 2)" "$rc" 2
expect "--json - -o -: one line naming both" "$(grep -c -- '--json - and -o -' "$T/e3")/$(wc -l <"$T/e3")" "1/1"
check "--json - -o -: nothing on stdout" test ! -s "$T/o3"

# without --json -, stdout is the command's, untouched
out=$(cmp -q -- sh -c 'echo plain')
expect "without --json -: the command's stdout is stdout" "$out" plain

# --help prints what it means (it is not a printf format)
help=$("$C" --help)
# (%%stat is a real class name, strace's; CPU%% is a printf escape printed as is)
case $help in *"CPU%%"*) fail "--help has a literal CPU%% in it" ;; *) ok "--help has no printf-escaped CPU%%" ;; esac
case $help in *"CPU% "*) ok "--help says CPU%" ;; *) fail "--help does not say CPU%" ;; esac
case $help in *"stdout goes to stderr"*) ok "--help says where the command's stdout goes with --json -" ;;
	*) fail "--help does not say where the command's stdout goes with --json -" ;; esac

# NO_COLOR: set and non-empty disables colour; empty changes nothing
if command -v script >/dev/null 2>&1; then
	esc=$(printf '\033[')
	colored() { # NO_COLOR-setting: 0 if the narrative on a terminal has colour
		env $1 script -qec "$C -- sh -c 'exit 3'" /dev/null 2>&1 | grep -qF "$esc"
	}
	check "NO_COLOR unset: colour on a terminal" colored "-u NO_COLOR"
	check "NO_COLOR= (empty): colour on a terminal" colored "NO_COLOR="
	check "NO_COLOR=1: no colour" sh -c "! env NO_COLOR=1 script -qec \"$C -- sh -c 'exit 3'\" /dev/null 2>&1 | grep -qF '$esc'"
else
	skip "script(1) not installed"
fi

# the README names only options compendium has (or says whose they are)
grep -oE -- '`compendium [^`]*`|`--[a-z][a-z-]*[^`]*`' "$TOP/README.md" | grep -oE -- '--[a-z][a-z-]*' | sort -u >"$T/readme.long"
bad=""
for o in $(cat "$T/readme.long"); do
	printf '%s\n' "$help" | grep -qE -- "(^| )$o([ =,]|$)" || bad="$bad $o"
done
expect "every --option the README shows in code is in --help" "$bad" ""

# the man SYNOPSIS has every form --help's usage has
if command -v mandoc >/dev/null 2>&1; then
	syn=$(mandoc -Tascii "$TOP/man/compendium.1" | col -b | sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | tr -s ' \n' '  ')
	case $syn in *"--watch -p pid"*) ok "man SYNOPSIS: --watch -p pid" ;; *) fail "man SYNOPSIS lacks --watch -p pid: $syn" ;; esac
	case $syn in *"--list-dumps [--dump-dir dir] [--json -]"*) ok "man SYNOPSIS: --list-dumps --json -" ;;
		*) fail "man SYNOPSIS lacks --list-dumps [--json -]: $syn" ;; esac
else
	skip "mandoc not installed"
fi

# installed files cite only what is installed: the unit goes to
# /lib/systemd/system, the man page with it, the doc/ tree does not
unit="$TOP/assets/systemd/compendium-watch.service"
check "the systemd unit cites no doc/ file (not installed)" sh -c "! grep -n 'doc/\|\.md' '$unit'"
check "the systemd unit points to the man page" grep -q 'man compendium\|man:compendium(1)' "$unit"
