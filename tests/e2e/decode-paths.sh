#!/bin/sh
# SPDX-License-Identifier: MIT
# Paths that move and fd tables that split under the tracer (issue 15.5),
# each against strace -f -y where it applies (tests/progs/dec_fdshare.c):
#  - a thread that unshare(CLONE_FILES)s, a raw clone thread made without
#    CLONE_FILES, and close_range(CLOSE_RANGE_UNSHARE) in a thread each get
#    their own fd 3; the main thread's write on its fd 3 is its own file
#    (before: attributed to the other thread's file);
#  - a directory above the cwd, held as a dirfd too, renamed by the program
#    or by another process: files made relative to the cwd and the dirfd
#    are under the new name in the narrative, the JSON and "Files written";
#  - open(""), unlink(""), mkdir(""), execve("") are "" with ENOENT and a
#    NULL path pointer is NULL with EFAULT, never the cwd.
. "$TOP/tests/lib.sh"
STRACE=$(command -v strace 2>/dev/null || true)

# under_strace CASE: dec_fdshare CASE run again under strace -f -y into $T/CASE.st
under_strace() {
	rm -rf "${T:?}/$1" && mkdir -p "$T/$1"
	$STRACE -f -y -qq -e trace=write -o "$T/$1.st" -- "$P/dec_fdshare" "$1" "$T/$1" >/dev/null 2>&1
}

# split CASE: the main thread's and the other thread's write on fd 3, as "who:path"
for c in unshare rawclone closerange; do
	mkdir -p "$T/$c"
	cmp -q -o /dev/null --json "$T/$c.jsonl" -- "$P/dec_fdshare" "$c" "$T/$c" >/dev/null 2>&1
	got=$(jl "$T/$c.jsonl" '" ".join(sorted(("main" if e["tid"] == e["pid"] else "thread") + ":" + e["path"].rsplit("/", 1)[-1]
		for e in of("write") if e.get("fd") == 3))')
	expect "$c: each thread's write on fd 3 is its own file" "$got" "main:m thread:t"
	if [ -n "$STRACE" ]; then
		under_strace "$c"
		want=$(grep -c "write(3<$T/$c/m>, \"main\"" "$T/$c.st")
		expect "$c: strace -f -y agrees (main's write on $T/$c/m)" "$want" 1
	fi
done

# rename CASE: the paths of f1 (cwd-relative) and f2 (dirfd-relative), relative to $T/CASE
for c in renamecwd renamechild; do
	mkdir -p "$T/$c"
	cmp -o "$T/$c.out" --json "$T/$c.jsonl" -- "$P/dec_fdshare" "$c" "$T/$c" >/dev/null 2>&1
	got=$(jl "$T/$c.jsonl" '" ".join(e["type"] + ":" + e["path"] for e in evs if e["type"] in ("open", "write")
		and e.get("path", "").endswith(("/f1", "/f2")))' | sed "s|$T/$c/||g")
	expect "$c: JSON paths of files made after the rename" "$got" "open:b/c/f1 open:b/c/f2 write:b/c/f1 write:b/c/f2"
	got=$(grep -c "write $T/$c/b/c/f[12] 3 B" "$T/$c.out")
	expect "$c: the narrative writes name b/c" "$got" 2
	got=$(sed -n '/Files written/,/^ [A-Z]/p' "$T/$c.out" | grep -c "3 B  $T/$c/b/c/f[12]$")
	expect "$c: Files written lists b/c/f1 and b/c/f2" "$got" 2
	if [ -n "$STRACE" ]; then
		under_strace "$c"
		want=$(grep -c "write([0-9]*<$T/$c/b/c/f[12]>" "$T/$c.st")
		expect "$c: strace -f -y names the same files" "$want" 2
	fi
done

# empty and NULL paths
cmp -o "$T/e.out" --json "$T/e.jsonl" -- "$P/dec_fdshare" empty >/dev/null 2>&1
got=$(jl "$T/e.jsonl" '[[e["type"], e.get("path"), e.get("err")] for e in evs if e["type"] in ("open", "unlink", "mkdir", "exec")
	and e.get("err")]')
expect "empty and NULL paths in the JSON" "$got" \
	'[["open", "", "ENOENT"], ["unlink", "", "ENOENT"], ["mkdir", "", "ENOENT"], ["exec", "", "ENOENT"], ["exec", null, "EFAULT"], ["open", null, "EFAULT"]]'
got=$(grep -E '\] (open|unlink|mkdir|exec) ' "$T/e.out" | grep -E 'ENOENT|EFAULT' | sed 's/^\[[^]]*\] //' | tr '\n' '|')
expect "empty and NULL paths in the narrative" "$got" \
	'open "" (read) ENOENT|unlink "" ENOENT|mkdir "" 0755 ENOENT|exec "" ENOENT|exec NULL EFAULT|open NULL (read) EFAULT|'
got=$(sed -n '/Failed operations/,/Noise/p' "$T/e.out" | grep -c 'ENOENT ×1  ""$')
expect "empty paths in the summary's failures" "$got" 4

# a relative chdir as the process's first cwd-relative call: the paths after
# it are under the directory once (the cwd read at chdir's exit stop is
# already the new one; before: ".../w/w/a.txt"), in both stop modes
for mode in "" --no-seccomp; do
	rm -rf "$T/cd" && mkdir -p "$T/cd/w"
	(cd "$T/cd" && cmp -q $mode -o /dev/null --json "$T/cd.jsonl" -- "$P/dec_files" w >/dev/null 2>&1)
	got=$(jl "$T/cd.jsonl" 'sorted({e["path"].replace("'"$T/cd/"'", "T") for e in evs if e.get("path", "").endswith("/a.txt")})')
	expect "relative chdir first${mode:+ ($mode)}: a.txt under the directory once" "$got" '["Tw/a.txt"]'
done
