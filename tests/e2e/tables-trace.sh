#!/bin/sh
# SPDX-License-Identifier: MIT
# -e trace=LIST: bad lists are refused with one line; -v shows only the selected syscalls.
. "$TOP/tests/lib.sh"

cmp -e trace=bogus -- true >"$T/out" 2>"$T/err"
rc=$?
expect "-e trace=bogus exits 2" "$rc" 2
expect "-e trace=bogus says so in one line" "$(grep -c "unknown syscall or class 'bogus'" "$T/err") $(wc -l <"$T/err")" "1 1"
cmp -e trace=file,,desc -- true 2>"$T/err2"
expect "-e trace=file,,desc is refused" "$?" 2

sel() { # expr -> the set of syscall names -v printed for cat /etc/hostname
	cmp -v -e "$1" -- cat /etc/hostname 2>&1 >/dev/null |
		sed -n 's/^\[+[0-9.]*s\] \([0-9]* *\)\{0,1\}\([a-z_0-9]*\)(.*/\2/p' | sort -u | tr '\n' ' '
}
expect "-e trace=openat shows only openat" "$(sel trace=openat)" "openat "
expect "-e trace=%memory shows only memory calls" "$(sel %memory)" "brk mmap mprotect munmap "
got=$(sel 'trace=!openat,close')
case " $got " in
*" openat "* | *" close "*) fail "-e trace=!openat,close still shows openat/close: $got" ;;
*" read "*) ok "-e trace=!openat,close hides just those" ;;
*) fail "-e trace=!openat,close shows too little: $got" ;;
esac

# i386 calls are selected through their x86_64 twins: int 0x80 write (4) is write (1), getpid (20) is not
cmp -v -e trace=write -o "$T/i386.txt" -- "$P/tables_int80" >/dev/null
names=$(sed -n 's/^\[+[0-9.]*s\] \([a-z_0-9]*\)(.*/\1/p' "$T/i386.txt" | sort | uniq -c | tr -s ' ' | tr '\n' ';')
expect "-e trace=write under int 0x80: only the writes (i386 and native)" "$names" " 2 write;"
expect "-e trace=write: the int 0x80 write is one of them" "$(grep -c '\] write(1[^,]*, "hi\\n", 3) = 3 ' "$T/i386.txt")" 1

# -v of a selection keeps the seccomp filter (untraced calls cost nothing); -v of everything cannot
s1=$(cmp -v -e trace=openat -o /dev/null -- grep Seccomp: /proc/self/status | tr -d '\t')
s2=$(cmp -v -o /dev/null -- grep Seccomp: /proc/self/status | tr -d '\t')
expect "-v -e trace=openat runs the command under the filter; plain -v without" "$s1 $s2" "Seccomp:2 Seccomp:0"
cmp -v -e trace=openat -o "$T/f1.txt" -- cat /etc/hostname >/dev/null
cmp -v -e trace=openat --no-seccomp -o "$T/f2.txt" -- cat /etc/hostname >/dev/null
a=$(sed -n 's/^\[+[0-9.]*s\] \(openat(.*) = [^<]*\).*/\1/p' "$T/f1.txt")
b=$(sed -n 's/^\[+[0-9.]*s\] \(openat(.*) = [^<]*\).*/\1/p' "$T/f2.txt")
if [ -n "$a" ] && [ "$a" = "$b" ]; then ok "-v -e trace=openat: the same lines with and without the filter"
else fail "-v -e trace=openat: lines differ with the filter"; fi
# the summary does not invent totals for calls left out
expect "-e trace=openat: memory and I/O say not traced" \
	"$(grep -c '^ \(Memory:   Peak RSS [0-9.]* [KMG]*i*B ([^)]*)   mapped: \|I/O:      \)not traced' "$T/f1.txt")" 2
