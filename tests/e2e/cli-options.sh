#!/bin/sh
# SPDX-License-Identifier: MIT
# The command line: every option is in --help and in the man page (and the
# other way round), the man page is lint-clean, and bad input gets one clear
# line and a non-zero exit before anything runs.
. "$TOP/tests/lib.sh"

help=$("$C" --help)
check "--help exits 0 and shows usage" test -n "$help"

# options named in --help (-x and --long forms at the start of help lines)
echo "$help" | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' | grep -oE -- '--[a-z-]+' | sort -u >"$T/help.long"
echo "$help" | grep -oE '^ +-[a-zA-Z],' | grep -oE -- '-[a-zA-Z]' | sort -u >"$T/help.short"
# options in the man page: .It Fl x , Fl \-long
grep -E '^\.It Fl' "$TOP/man/compendium.1" | grep -oE 'Fl \\-[a-z\\-]+' | sed 's/\\//g; s/^Fl -/--/' | sort -u >"$T/man.long"
grep -E '^\.It Fl [a-zA-Z] ' "$TOP/man/compendium.1" | sed -E 's/^\.It Fl ([a-zA-Z]).*/-\1/' | sort -u >"$T/man.short"
d=$(diff "$T/help.long" "$T/man.long")
expect "long options: --help and the man page agree" "$d" ""
d=$(diff "$T/help.short" "$T/man.short")
expect "short options: --help and the man page agree" "$d" ""
n=$(wc -l <"$T/help.long")
check "--help lists at least 25 long options (got $n)" test "$n" -ge 25

if command -v mandoc >/dev/null 2>&1; then
	out=$(mandoc -Tlint -W warning "$TOP/man/compendium.1" 2>&1)
	expect "man page is lint-clean under mandoc -Tlint" "$out" ""
else
	skip "mandoc not installed"
fi

v=$("$C" --version)
case $v in "compendium "[0-9]*) ok "--version prints the version" ;; *) fail "--version printed '$v'" ;; esac

# bad input: exactly one line on stderr, naming the problem; non-zero exit
bad() { # description expected-status grep-pattern args...
	d=$1 want=$2 pat=$3; shift 3
	cmp "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	lines=$(wc -l <"$T/err")
	if [ "$rc" -ne "$want" ]; then fail "$d: exit $rc, want $want ($(cat "$T/err"))"; return; fi
	if [ "$lines" -ne 1 ]; then fail "$d: $lines lines on stderr, want 1: $(cat "$T/err")"; return; fi
	if ! grep -qE -- "$pat" "$T/err"; then fail "$d: message '$(cat "$T/err")' lacks /$pat/"; return; fi
	ok "$d"
}
bad "no command" 2 "no command given" 
bad "unknown option" 2 "unknown option" --bogus-option -- true
bad "--pid abc" 2 "not a number" --pid abc
bad "--pid 0" 2 "positive" --pid 0
bad "--pid -1" 2 "positive" --pid -1
bad "--pid 99999999999" 2 "out of range" --pid 99999999999
bad "command and --pid together" 2 "not both" --pid 1 -- true
bad "-s not a number" 2 "byte count" -s lots -- true
bad "--report-mode not octal" 2 "octal" --report-mode 999 --report "$T/r.html" -- true
bad "--from without --report" 2 "needs --report" --from "$T/x.jsonl"
bad "--sample not a number" 2 "seconds" --sample fast -- true
bad "--color bad" 2 "auto, always or never" --color sometimes -- true
bad "--tree bad" 2 "auto or all" --tree some -- true
bad "--watch with a command" 2 "takes no command" --watch -- true

# output paths are checked before the command starts: the command must not run
marker=$T/ran
bad "--json into a missing directory" 1 "cannot open" --json "$T/missing/dir/x.jsonl" -- sh -c "touch $marker"
check "... and the command did not run" test ! -e "$marker"
bad "-o into a missing directory" 1 "cannot open" -o "$T/missing/x.txt" -- sh -c "touch $marker"
mkdir "$T/adir"
bad "--json to a directory" 1 "is a directory" --json "$T/adir" -- sh -c "touch $marker"
check "... and the command still did not run" test ! -e "$marker"
bad "unknown short option" 2 "unknown option '-j'" -j -- true
bad "strace's -i is refused by name" 2 "strace's -i .instruction pointer. is not supported; -k records the call stack" -i -- true
bad "strace's -e inject= is refused by name" 2 "strace's -e inject= .fault injection. is not supported" -e inject=open:error=ENOENT -- true
bad "strace's --seccomp-bpf is refused by name" 2 "strace's --seccomp-bpf is not supported" --seccomp-bpf -- true
bad "option missing its argument" 2 "--json needs an argument" --json

# user strings in messages are escaped for the terminal: one line, no ESC
esc=$(printf '\033')
cmp --pid "$(printf 'a\033[2Jb\nc')" 2>"$T/err" >/dev/null
if [ "$(wc -l <"$T/err")" -eq 1 ] && ! grep -q "$esc" "$T/err" && grep -q 'a\\x1b\[2Jb\\nc' "$T/err"; then
	ok "hostile --pid text is escaped in the one-line message"
else
	fail "hostile --pid text not escaped: $(od -c "$T/err" | head -3)"
fi
cmp -- "$(printf '/nonexistent\033]0;owned\007')" 2>"$T/err" >/dev/null
rc=$?
expect "missing command exits 127" "$rc" 127
if [ "$(wc -l <"$T/err")" -eq 1 ] && ! grep -q "$esc" "$T/err" && grep -q 'command not found' "$T/err"; then
	ok "missing hostile command name: one escaped line 'command not found'"
else
	fail "missing command message: $(od -c "$T/err" | head -3)"
fi
