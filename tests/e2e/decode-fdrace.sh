#!/bin/sh
# SPDX-License-Identifier: MIT
# Threads sharing an fd table reuse numbers at once: one thread's close
# frees fd N and another's open gets N before the tracer has handled the
# close's exit stop. The close must not take the new file's fd with it
# (doc/INTERNALS.md, 'Threads and fd reuse'): every write is named with
# its own file, every close with the file it closed.
. "$TOP/tests/lib.sh"
cd "$T" || exit 1
for mode in --no-filter "-e trace=open,openat,write,close"; do
	# shellcheck disable=SC2086
	cmp -q $mode --json fd.jsonl -- "$P/dec_fdrace"
	expect "$mode: exit 0" "$?" 0
	got=$(jl fd.jsonl "sorted((k, v) for k, v in __import__('collections').Counter(
		e['path'].rsplit('/', 1)[-1] for e in evs for _ in range(e.get('bytes', 0))
		if e['type'] == 'write' and e.get('path', '').endswith('.dat')).items())")
	want="[[\"fdrace_0.dat\", 300], [\"fdrace_1.dat\", 600], [\"fdrace_2.dat\", 900], [\"fdrace_3.dat\", 1200]]"
	expect "$mode: bytes written per file, as the program wrote them" "$got" "$want"
	expect "$mode: the files hold that many bytes" "$(wc -c <fdrace_0.dat) $(wc -c <fdrace_3.dat)" "300 1200"
	unnamed=$(jl fd.jsonl "sum(1 for e in evs if e['type'] in ('write', 'close') and e.get('fd', 0) > 2 and 'path' not in e)")
	expect "$mode: no write or close without its file" "$unnamed" 0
	closes=$(jl fd.jsonl "sorted(__import__('collections').Counter(e['path'].rsplit('/', 1)[-1] for e in evs if e['type'] == 'close' and e.get('path', '').endswith('.dat')).values())")
	expect "$mode: each file closed 300 times" "$closes" "[300, 300, 300, 300]"
	rm -f fdrace_*.dat
done
