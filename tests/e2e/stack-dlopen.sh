#!/bin/sh
# SPDX-License-Identifier: MIT
# -k across dlopen/dlclose (doc/ENGINE.md, 'Unwind caches and code that changes'): stk_dlopen loads libstka.so, takes a
# stack inside it, dlcloses it, then loads libstkb.so (same code and size, so the kernel usually
# maps it where libstka was) and takes another. Each stack must name the library loaded at that
# moment: cached maps, symbols and unwind info are flushed when code is unmapped or mapped. The
# same holds when -e trace= leaves the memory calls out of the selection.
. "$TOP/tests/lib.sh"

command -v cc >/dev/null 2>&1 || { skip "no C compiler to build the test libraries"; exit 0; }
for x in a b; do
	cc -O1 -g -shared -fPIC -DSTKDL_FN=stkdl_$x -o "$T/libstk$x.so" "$TOP/tests/progs/lib_stkdl.c" ||
		{ fail "building libstk$x.so"; exit 0; }
done

marker='[e for e in evs if e.get("path") == "/nonexistent/stk_dlopen_marker" and e["type"] == "open"]'
frames="[[(f['module'] or '').rsplit('/',1)[-1], f['sym']] for f in e['stack'][1:2]] for e in $marker"
want='[[["libstka.so", "stkdl_a"]], [["libstkb.so", "stkdl_b"]], [["libstka.so", "stkdl_a"]]]'

for sel in all trace=open,openat; do
	case $sel in all) eopt= ;; *) eopt="-e $sel" ;; esac
	# shellcheck disable=SC2086
	cmp -q -k $eopt --json "$T/$sel.jsonl" -- "$P/stk_dlopen" "$T/libstka.so:stkdl_a" \
		"$T/libstkb.so:stkdl_b" "$T/libstka.so:stkdl_a" >"$T/$sel.out" 2>"$T/$sel.err"
	expect "$sel: stk_dlopen exits 0 under -k" "$?" 0
	expect "$sel: each stack names the library loaded then" "$(jl "$T/$sel.jsonl" "[$frames]")" "$want"
	v=$(jl "$T/$sel.jsonl" "[(lambda m: [m[0], m[2]])([(f.get('module') or '').rsplit('/',1)[-1] for f in e['stack']]) for e in $marker]")
	expect "$sel: syscall in libc, main in the program" "$v" \
		'[["libc.so.6", "stk_dlopen"], ["libc.so.6", "stk_dlopen"], ["libc.so.6", "stk_dlopen"]]'
done

# Where the libraries went: the point of the test is a reused address.
bases=$(sed -n 's/^stk_dlopen .*base=//p' "$T/all.out" | sort -u | wc -l)
if [ "$bases" = 1 ]; then ok "libstkb.so was mapped where libstka.so had been"
else skip "the kernel mapped the libraries at $bases different addresses; only the names were checked"; fi
