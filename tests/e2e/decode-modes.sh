#!/bin/sh
# SPDX-License-Identifier: MIT
# Decoder modes: i386 (int $0x80) calls decoded like native ones; -v adds one
# syscall record per call (name, args, ret, dur, class as category) next to
# the semantic events; -e trace= selects which events are produced while fd
# tracking stays right for the selected ones.
. "$TOP/tests/lib.sh"

mkdir "$T/i"
cmp -q --no-filter --json "$T/i.jsonl" -- "$P/dec_i386" "$T/i" >"$T/i.txt" 2>&1
expect "dec_i386 ran" "$?" 0
expect "i386 open/write/close/unlink decoded with paths" \
	"$(jl "$T/i.jsonl" "[(e['type'], e.get('path'), e.get('fd'), e.get('bytes')) for e in evs if e['type'] in ('open','write','close','unlink') and 'i386' in str(e.get('path'))]")" \
	"[[\"open\", \"$T/i/i386.txt\", 3, null], [\"write\", \"$T/i/i386.txt\", 3, 5], [\"close\", \"$T/i/i386.txt\", 3, null], [\"unlink\", \"$T/i/i386.txt\", null, null]]"

mkdir "$T/f"
cmp -q -v --no-filter --json "$T/v.jsonl" -- "$P/dec_files" "$T/f" >"$T/v.txt" 2>&1
expect "dec_files ran with -v" "$?" 0
expect "-v: a syscall record for the failed openat, with args, ret, err, dur and category file" \
	"$(jl "$T/v.jsonl" "[(e['name'], e['args'], e['ret'], e['err'], e['cat'], 'dur' in e) for e in of('syscall') if 'missing/file' in e['args']]")" \
	'[["openat", "openat(AT_FDCWD, \"missing/file\", O_RDONLY)", -2, "ENOENT", "file", true]]'
expect "-v: the semantic open event is still there" \
	"$(jl "$T/v.jsonl" "len([e for e in of('open') if e['path'].endswith('/missing/file')])")" 1
expect "-v: one syscall record per open event" \
	"$(jl "$T/v.jsonl" "len([e for e in of('syscall') if e['name'] in ('open','openat','openat2','creat')]) == len(of('open'))")" True

mkdir "$T/n"
cmp -q --no-filter -e trace=network --json "$T/n.jsonl" -- "$P/dec_files" "$T/n" >"$T/n.txt" 2>&1
# sendfile is in the network class as well (as in strace): its read and write stay
expect "-e trace=network: no file, memory or desc events; io only from sendfile" \
	"$(jl "$T/n.jsonl" "sorted({(e['type'], e.get('path', '').rsplit('/', 1)[-1]) for e in evs if e['cat'] in ('file','io','memory','desc')})")" \
	'[["read", "b.txt"], ["write", "copy.txt"]]'

mkdir "$T/w"
cmp -q --no-filter -e trace=write --json "$T/w.jsonl" -- "$P/dec_files" "$T/w" >"$T/w.txt" 2>&1
expect "-e trace=write: writes only, still named by the fds opened unseen" \
	"$(jl "$T/w.jsonl" "[sorted({e['type'] for e in evs if e['cat'] not in ('process',)}), [e['path'] for e in of('write') if e['fd'] == 3][:1]]")" \
	"[[\"write\"], [\"$T/w/a.txt\"]]"

mkdir "$T/k"
cmp -q --no-filter -k --stack-on=open,unlink --json "$T/k.jsonl" -- "$P/dec_files" "$T/k" >"$T/k.txt" 2>&1
expect "--stack-on=open,unlink: stacks on exactly those events" \
	"$(jl "$T/k.jsonl" "sorted({(e['type'], 'stack' in e) for e in evs if e['type'] in ('open','unlink','write','close','mkdir')})")" \
	'[["close", false], ["mkdir", false], ["open", true], ["unlink", true], ["write", false]]'
