#!/bin/sh
# SPDX-License-Identifier: MIT
# What people read stays readable (issue 13): routine work folds into one
# line (anonymous memory, locale loading, PATH searches) while --json keeps
# every event with its "fold" kind; probing is not counted as failure; the
# process tree shows a script's own children before its shim's helpers,
# folds identical children, and prints argv shell-quoted.
. "$TOP/tests/lib.sh"

before_final() { sed '/ FINAL: /,$d' "$1"; }

# --- a Python script with threads and subprocesses behind a pyenv-style shim
real_py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
if [ -z "$real_py" ] || [ ! -x "$real_py" ] || [ ! -x /usr/bin/env ] || ! command -v bash >/dev/null 2>&1; then
	skip "python3, env or bash missing: the shim run"
else
	mkdir -p "$T/shims"
	# like a pyenv shim: '#!/usr/bin/env bash' (a PATH search for bash), helpers, then exec
	cat >"$T/shims/python3" <<SHIM
#!/usr/bin/env bash
for i in \$(seq 42); do v=\$(basename /x/helper); done
exec "$real_py" "\$@"
SHIM
	chmod +x "$T/shims/python3"
	cat >"$T/script.py" <<'PY'
import subprocess, threading
def work(i):
    return len([bytearray(100000) for _ in range(20)])
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join()
for i in range(3):
    subprocess.run(["/bin/echo", "child %d" % i], check=True, stdout=subprocess.DEVNULL)
subprocess.run(["ls", "-d", "/"], check=True, stdout=subprocess.DEVNULL)
PY
	spath=$T/shims:/usr/local/bin:/usr/bin:/bin
	cmp -o "$T/py.txt" --json "$T/py.jsonl" -- env PATH="$spath" python3 "$T/script.py"
	expect "the script exits 0 under compendium" "$?" 0
	cmp --no-filter -o "$T/pyall.txt" -- env PATH="$spath" python3 "$T/script.py"
	before_final "$T/py.txt" >"$T/py.narr"
	before_final "$T/pyall.txt" >"$T/pyall.narr"
	n=$(wc -l <"$T/py.narr"); nall=$(wc -l <"$T/pyall.narr")
	check "the narrative is at most a third of --no-filter's ($n vs $nall lines)" test $((n * 3)) -le "$nall"
	n=$(grep -cE '\] ([0-9]+ +)?mmap .* anon$' "$T/py.narr")
	expect "no anonymous mmap line of its own" "$n" 0
	n=$(grep -cE '\] ([0-9]+ +)?mmap .* anon$' "$T/pyall.narr")
	check "--no-filter shows anonymous mmaps one by one ($n)" test "$n" -gt 10
	n=$(grep -c 'LC_' "$T/py.narr")
	expect "no line names a locale file" "$n" 0
	# the folded counts are the log's counts
	got=$(sed -nE 's/.*\] ([0-9]+ +)?memory: ([0-9]+) anonymous maps? .*/\2/p' "$T/py.narr" | awk '{s+=$1} END {print s+0}')
	want=$(jl "$T/py.jsonl" "len([e for e in of('mmap') if e.get('fold') == 'memory'])")
	expect "memory lines count every anonymous mmap of the log" "$got" "$want"
	got=$(sed -nE 's/.*\] ([0-9]+ +)?probed ([0-9]+) locale files?.*/\2/p' "$T/py.narr" | awk '{s+=$1} END {print s+0}')
	want=$(jl "$T/py.jsonl" "len([e for e in of('open') if e.get('fold') == 'locale'])")
	expect "locale lines count every locale file opened or probed" "$got" "$want"
	check "the log has locale probing to fold ($want)" test "$want" -gt 0
	pypid=$(jl "$T/py.jsonl" "[e['pid'] for e in of('exec') if e['argv'][-1:] == ['$T/script.py'] and 'err' not in e][-1]")
	check "the interpreter's exec is in the log (pid $pypid)" test -n "$pypid"
	# from the interpreter's exec on, its locale loading is one line
	n=$(sed -n "/\] $pypid  *─── python[0-9.]* exec ───/,\$p" "$T/py.narr" | grep -cE "\] $pypid +probed [0-9]+ locale files?")
	expect "the interpreter's locale loading is one line" "$n" 1
	n=$(grep -cE "\] ($pypid +)?memory: " "$T/py.narr")
	# a line per program, and one more per second it ran (a loaded machine makes more seconds)
	want=$(jl "$T/py.jsonl" "len([e for e in of('exec') if e['pid'] == $pypid and 'err' not in e]) + int(max([e['t'] for e in evs if e['pid'] == $pypid]) - min([e['t'] for e in evs if e['pid'] == $pypid])) + 1")
	check "one memory line per program and second of the process ($n lines, at most $want)" test "$n" -le "$want"
	# env's search for bash: every directory of PATH before the one holding bash
	dirs=0
	for d in $(echo "$spath" | tr : ' '); do [ -x "$d/bash" ] && break; dirs=$((dirs + 1)); done
	want=$(jl "$T/py.jsonl" "len([e for e in of('exec') if e.get('err') == 'ENOENT' and e['argv'][:1] == ['bash']])")
	expect "the log has env's PATH search for bash" "$want" "$dirs"
	n=$(grep -cE "\] ([0-9]+ +)?PATH search: $dirs director(y|ies) before /(usr/)?bin/bash$" "$T/py.narr")
	expect "the PATH search for bash is one line" "$n" 1
	n=$(grep -c 'exec .*/bash ENOENT' "$T/py.narr")
	expect "no failed exec line per PATH directory" "$n" 0
	# every event stays in --json
	n=$(jl "$T/py.jsonl" "len([e for e in evs if e.get('fold') not in (None, 'memory', 'locale', 'path')])")
	expect "fold kinds in the log are memory, locale, path" "$n" 0
	# summary: the script's own children first, the shim's helpers after and folded
	sed -n '/^ Processes: /,/^ [A-Z]/p' "$T/py.txt" >"$T/py.tree"
	l_child=$(grep -nE "^   └ [0-9]+ /bin/echo 'child 0'  → exit 0(, peak RSS( up to)? [0-9.]+ ([KMG]i)?B)?$" "$T/py.tree" | cut -d: -f1)
	l_ls=$(grep -nE "^   └ [0-9]+ ls -d /  → exit 0(, peak RSS( up to)? [0-9.]+ ([KMG]i)?B)?$" "$T/py.tree" | cut -d: -f1)
	l_before=$(grep -nE '^   └ started before it became python3[.0-9]* \([0-9]+ process(es)?\):$' "$T/py.tree" | cut -d: -f1)
	check "the script's children are in the tree, before the shim's helpers ($l_child, $l_ls < $l_before)" \
		test -n "$l_child" -a -n "$l_ls" -a -n "$l_before" -a "${l_child:-0}" -lt "${l_before:-0}" -a "${l_ls:-0}" -lt "${l_before:-0}"
	n=$(grep -cE '^     └ 42 × basename /x/helper  → exit 0(, peak RSS( up to)? [0-9.]+ ([KMG]i)?B)?$' "$T/py.tree")
	expect "the 42 identical helpers are one folded line" "$n" 1
	n=$(grep -cE "^   [0-9]+ $real_py $T/script.py \[4 threads\]  → exit 0(, peak RSS( up to)? [0-9.]+ ([KMG]i)?B)?$" "$T/py.tree")
	expect "the root is the interpreter with its 4 threads" "$n" 1
	n=$(grep -c '^   ... and' "$T/py.tree")
	expect "every process is shown" "$n" 0
	want=$(jl "$T/py.jsonl" "len(set(e['child'] for e in of('spawn') if not e.get('thread') and 'err' not in e)) + 1")
	n=$(grep -cE '^ Processes: '"$want"' \(\+4 threads\)$' "$T/py.tree")
	expect "the process count is the log's ($want)" "$n" 1
	# failures: probing apart
	loc=$(jl "$T/py.jsonl" "len([e for e in evs if e.get('fold') == 'locale' and 'err' in e])")
	# every search found its program here (bash for env, ls for subprocess)
	pth=$(jl "$T/py.jsonl" "len([e for e in evs if e.get('fold') == 'path'])")
	n=$(grep -cE "^   probing: $loc locale files? not found, $pth PATH director(y|ies) tried before the program \(expected misses, counted above\)$" "$T/py.txt")
	expect "probing is one line, with the log's counts" "$n" 1
	n=$(sed -n '/^ Failed operations/,/^   probing/p' "$T/py.txt" | grep -v '^   probing' | grep -c 'LC_\|/locale/')
	expect "no locale file among the failures" "$n" 0
fi

# --- a shell loop of 12 identical children: one folded line
cmp -o "$T/rl.txt" -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do readlink -f /tmp >/dev/null; done'
n=$(grep -cE '^   └ 12 × readlink -f /tmp  → exit 0(, peak RSS( up to)? [0-9.]+ ([KMG]i)?B)?$' "$T/rl.txt")
expect "12 identical readlink children are one line" "$n" 1
cmp -q --tree=all -o "$T/rl-all.txt" -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do readlink -f /tmp >/dev/null; done'
n=$(grep -cE '^   └ [0-9]+ readlink -f /tmp  → exit 0(, peak RSS( up to)? [0-9.]+ ([KMG]i)?B)?$' "$T/rl-all.txt")
expect "--tree=all shows the 12 one by one" "$n" 12
cmp -q -o "$T/rl2.txt" -- sh -c 'readlink -f /tmp >/dev/null; readlink -f /nonexistent/x >/dev/null; readlink -f /tmp >/dev/null'
n=$(grep -cE '^   └ 2 × readlink -f /tmp  → exit 0(, peak RSS( up to)? [0-9.]+ ([KMG]i)?B)?$' "$T/rl2.txt")
expect "only children with the same command line fold" "$n" 1

# --- a PATH search that finds nothing is one failure; found programs are not failures
if command -v git >/dev/null 2>&1; then
	cmp -o "$T/ps.txt" -- sh -c 'env nosuchcmd; git --version' >/dev/null 2>&1
	dirs=$(echo "/usr/local/bin:/usr/bin:/bin" | tr : '\n' | wc -l)
	n=$(grep -cE "\] [0-9]+ +PATH search: nosuchcmd not found in $dirs directories ENOENT$" "$T/ps.txt")
	expect "env's failed search is one narrative line" "$n" 1
	n=$(grep -c 'exec /.*/nosuchcmd' "$T/ps.txt")
	expect "no line per directory" "$n" 0
	n=$(grep -cE "^   exec ENOENT ×1  nosuchcmd \(not found in $dirs PATH directories\)$" "$T/ps.txt")
	expect "the failed search is one failure in the summary" "$n" 1
	n=$(grep -cE '─── git exec ─── /usr/bin/git --version$' "$T/ps.txt")
	expect "git runs" "$n" 1
else
	skip "git missing: PATH search"
fi

# --- argv shell-quoted: what is printed parses back to the original argv
cmp -q -o "$T/q.txt" -- /bin/echo 'first commit' "it's" 'a"b' '$HOME' '' 'x;y' >/dev/null
line=$(grep -E '^   [0-9]+ /bin/echo ' "$T/q.txt" | sed -E 's/^   [0-9]+ //; s/  → exit 0(, peak RSS.*)?$//')
got=$(python3 -c 'import shlex, sys; print(shlex.split(sys.argv[1]) == ["/bin/echo", "first commit", "it'"'"'s", "a\"b", "$HOME", "", "x;y"])' "$line")
expect "the tree's argv round-trips through shlex.split ($line)" "$got" True
n=$(grep -cF "/bin/echo 'first commit' 'it'\\''s' 'a\"b' '\$HOME' '' 'x;y'" "$T/q.txt")
expect "quoted only where needed, in the FINAL line and the tree" "$n" 2
n=$(grep -cF " FINAL: /bin/echo 'first commit'" "$T/q.txt")
expect "the FINAL line is quoted too" "$n" 1
