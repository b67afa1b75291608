#!/bin/sh
# SPDX-License-Identifier: MIT
# Expand the declarative tables in syscalls/ into C (POSIX sh + awk; runs on mawk).
#   gen.sh systab X86_64_TBL I386_TBL   > systab_gen.h   (struct sysent arrays)
#   gen.sh decode X86_64_TBL I386_TBL   > decode_gen.h   (DECODE_ROW X-macro: decoders, stop classes)
#   gen.sh check  TBL ARCH_HEADER        > check.c        (_Static_assert per syscall)
#   gen.sh xlat   FILE.xlat...           > xlat_gen.h     (struct xlat_ent arrays)
set -eu
mode=$1; shift

# Argument and return types known to src/decode/systab.h (enum sys_argtype / sys_rettype).
ARGTYPES="int uint long ulong hex ptr fd dirfd path str size offset openflags openmode mode prot mmapflags mremapflags signal sigset sighow sockaddr sockaddr_out socklen socklenp sockfamily socktype cloneflags fcntlcmd fcntlarg atflags buf_in buf_out iovec_in iovec_out pid uid gid strv intp fdpair whence accmode timespec oflags closefd enum flags sockproto wstatus"
RETTYPES="int long ulong hex addr fd size off pid uid gid mode none sigret"
CLASSES="process file network memory io signal ipc desc"
# Selection-only classes (strace's %creds, %clock, %stat...): SYSX() bits of src/decode/systab.h, no event category.
XCLASSES="creds clock stat lstat fstat stat_like statfs fstatfs statfs_like pure"
# Stop classes: the state a call keeps right (fd table, process table, memory map, -k code map).
STOPS="fd proc mem code"

case $mode in
systab|decode)
	awk -v out="$mode" -v argtypes="$ARGTYPES" -v rettypes="$RETTYPES" -v classes="$CLASSES" -v xclasses="$XCLASSES" -v stops="$STOPS" '
	function fail(msg) { printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"; bad = 1; exit 1 }
	function up(s) { return toupper(s) }
	BEGIN {
		n = split(argtypes, a, " "); for (i = 1; i <= n; i++) okarg[a[i]] = 1
		n = split(rettypes, a, " "); for (i = 1; i <= n; i++) okret[a[i]] = 1
		n = split(classes, a, " "); for (i = 1; i <= n; i++) okcls[a[i]] = 1
		n = split(xclasses, a, " "); for (i = 1; i <= n; i++) { okcls[a[i]] = 1; xcls[a[i]] = 1 }
		n = split(stops, a, " "); for (i = 1; i <= n; i++) okstop[a[i]] = 1
		withaux["sockaddr"] = withaux["sockaddr_out"] = withaux["buf_in"] = withaux["buf_out"] = 1
		withaux["iovec_in"] = withaux["iovec_out"] = 1
	}
	FNR == 1 { file++; fname[file] = FILENAME }
	/^[ \t]*(#|$)/ { next }
	{
		if ($1 !~ /^[0-9]+$/) fail("syscall number expected, got \"" $1 "\"")
		nr = $1 + 0; name = $2; twin = ""
		if (file == 2 && index(name, "=")) {
			twin = substr(name, index(name, "=") + 1); name = substr(name, 1, index(name, "=") - 1)
			if (!(twin in nr64)) fail("twin \"" twin "\": no such x86_64 syscall")
		}
		if (name !~ /^[a-z_][a-z0-9_]*$/) fail("bad syscall name \"" $2 "\"")
		if ((file, nr) in seen) fail("number " nr " appears twice")
		if ((file, "n:" name) in seen) fail("name " name " appears twice")
		seen[file, nr] = 1; seen[file, "n:" name] = 1
		if (nr > max[file]) max[file] = nr
		names[file, nr] = name
		if (file == 1) nr64[name] = nr
		if (file == 2) native[nr] = twin != "" ? nr64[twin] : (name in nr64) ? nr64[name] : -1
		if (file == 2 && NF == 3 && $3 ~ /^=/) {
			src = substr($3, 2); if (src == "") src = name
			if (!(src in row)) fail("\"=" src "\": no such x86_64 syscall")
			rows[file, nr] = row[src]
			native[nr] = nr64[src]
			next
		}
		# x86_64 rows carry DECODER and STOPS after CLASSES; i386 calls are decoded as their twins
		o = file == 1 ? 2 : 0
		if (NF < 4 + o) fail(o ? "expected NR NAME CLASSES DECODER STOPS RET [ARG...]" : "expected NR NAME CLASSES RET [ARG...]")
		if (NF > 10 + o) fail("more than 6 arguments")
		cls = ""
		if ($3 != "-") {
			n = split($3, c, ",")
			for (i = 1; i <= n; i++) {
				if (!(c[i] in okcls)) fail("unknown class \"" c[i] "\"")
				cls = cls (cls == "" ? "" : " | ") ((c[i] in xcls) ? "SYSX(" : "SYSC(") up(c[i]) ")"
			}
		}
		if (cls == "") cls = "0"
		if (!($(4 + o) in okret))
			fail("unknown return type \"" $(4 + o) "\"" (o ? " (x86_64 rows: NR NAME CLASSES DECODER STOPS RET ARG...)" : ""))
		args = ""; fdargs = 0
		for (i = 5 + o; i <= NF; i++) {
			t = $i; aux = 0; xt = "NULL"
			if (t == "enum" || t == "flags") fail("\"" t "\" needs :TABLE (a file in xlat/)")
			if (t ~ /^(enum|flags):/) {
				xn = substr(t, index(t, ":") + 1); t = substr(t, 1, index(t, ":") - 1)
				if (!(xn in xlats)) {
					dir = FILENAME; sub(/[^\/]*$/, "", dir)
					if ((getline line < (dir "xlat/" xn ".xlat")) < 0) fail("no table xlat/" xn ".xlat for \"" $i "\"")
					close(dir "xlat/" xn ".xlat"); xlats[xn] = 1
				}
				xt = "&xt_" xn
			} else if (index(t, ":")) {
				aux = substr(t, index(t, ":") + 1); t = substr(t, 1, index(t, ":") - 1)
				if (aux !~ /^[0-5]$/) fail("bad argument index in \"" $i "\"")
				if (aux + 5 + o > NF) fail("\"" $i "\" refers to a missing argument")
			}
			if (!(t in okarg)) fail("unknown argument type \"" t "\"")
			if ((t in withaux) && index($i, ":") == 0) fail("\"" t "\" needs :N (index of its length argument)")
			if (t == "closefd" || t == "fdpair") fdargs = 1
			args = args (args == "" ? "" : ", ") "{ SAT_" up(t) ", " aux ", " xt " }"
		}
		if (o) {
			entry = "NULL"; exit_fn = "NULL"
			if ($4 != "-") {
				if ($4 !~ /^([a-z_][a-z0-9_]*|-)(\/([a-z_][a-z0-9_]*|-))?$/ || $4 == "-/-")
					fail("bad decoder \"" $4 "\": expected EXIT, ENTRY/EXIT (either may be -) or -")
				if (index($4, "/")) {
					entry = substr($4, 1, index($4, "/") - 1); exit_fn = substr($4, index($4, "/") + 1)
					if (entry == "-") entry = "NULL"
					if (exit_fn == "-") exit_fn = "NULL"
				} else {
					exit_fn = $4
				}
			}
			st = ""; hasfd = 0
			if ($5 != "-") {
				n = split($5, c, ",")
				for (i = 1; i <= n; i++) {
					if (!(c[i] in okstop)) fail("unknown stop class \"" c[i] "\" (known: " stops ")")
					st = st (st == "" ? "" : " | ") "DSTOP_" up(c[i])
					hasfd = hasfd || c[i] == "fd"
				}
			}
			# a decoder that makes, closes or replaces fds must see every such call, or the fd table goes stale
			if ($4 != "-" && ($6 == "fd" || fdargs) && !hasfd)
				fail(name ": its types create, close or replace fds (RET fd, closefd or fdpair) and it has a decoder, but STOPS lacks fd")
			if ($4 != "-" || st != "")
				drows[nr] = sprintf("#line %d \"%s\"\nDECODE_ROW(%d, %s, %s, %s, %s)", FNR, FILENAME, nr, name, entry, exit_fn, st == "" ? "0" : st)
		}
		r = cls ", SRET_" up($(4 + o)) ", " (NF - 4 - o) ", { " args " }"
		if (file == 1) row[name] = r
		rows[file, nr] = r
	}
	END {
		if (bad) exit 1
		if (out == "decode") {
			print "/* Generated by syscalls/gen.sh from " fname[1] "; do not edit. */"
			print "/*"
			print " * DECODE_ROW(NR, NAME, ENTRY, EXIT, STOPS): each x86_64 syscall with a"
			print " * decoder or a stop class. ENTRY and EXIT are decoder functions or NULL;"
			print " * STOPS is an or of DSTOP_FD, DSTOP_PROC, DSTOP_MEM, DSTOP_CODE, or 0."
			print " * #line points compiler errors (an undeclared decoder) at the table row."
			print " */"
			for (nr = 0; nr <= max[1]; nr++)
				if (nr in drows)
					print drows[nr]
			exit 0
		}
		print "/* Generated by syscalls/gen.sh from " fname[1] " and " fname[2] "; do not edit. */"
		for (xn in xlats)
			print "extern const struct xlat xt_" xn ";"
		split("X86_64 I386", arch, " ")
		for (f = 1; f <= 2; f++) {
			printf "#define SYSTAB_%s_SIZE %d\n", arch[f], max[f] + 1
			printf "static const struct sysent systab_%s[SYSTAB_%s_SIZE] = {\n", tolower(arch[f]), arch[f]
			for (nr = 0; nr <= max[f]; nr++)
				if ((f, nr) in rows)
					printf "\t[%d] = { \"%s\", %s },\n", nr, names[f, nr], rows[f, nr]
			print "};"
		}
		print "/* i386 number -> x86_64 number of the same (or twin) syscall, -1 if none. */"
		print "static const int16_t systab_i386_native[SYSTAB_I386_SIZE] = {"
		for (nr = 0; nr <= max[2]; nr++)
			printf "\t[%d] = %d,\n", nr, (nr in native) ? native[nr] : -1
		print "};"
	}' "$@"
	;;
check)
	tbl=$1; hdr=$2
	awk -v hdr="$hdr" '
	BEGIN {
		print "/* Generated by syscalls/gen.sh from " ARGV[1] "; do not edit. */"
		print "/* The build fails here when a number in the table disagrees with <" hdr ">. */"
		print "#include <" hdr ">"
		print "extern const int systab_checked_" substr(hdr, index(hdr, "_") + 1, 2) ";"
		print "const int systab_checked_" substr(hdr, index(hdr, "_") + 1, 2) " = 1;"
	}
	/^[ \t]*(#|$)/ { next }
	{
		name = $2; sub(/=.*/, "", name)
		printf "#ifdef __NR_%s\n_Static_assert(__NR_%s == %d, \"%s: %s is %d but <%s> disagrees\");\n#endif\n", name, name, $1, FILENAME, name, $1, hdr
	}' "$tbl"
	;;
xlat)
	awk '
	function fail(msg) { printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"; bad = 1; exit 1 }
	function flush() {
		if (cur == "") return
		print "};"
	}
	FNR == 1 {
		flush()
		cur = FILENAME; sub(/.*\//, "", cur); sub(/\.xlat$/, "", cur)
		if (n++ == 0) print "/* Generated by syscalls/gen.sh from the syscalls/xlat/ tables; do not edit. */"
		printf "static const struct xlat_ent xlat_%s_ents[] = {\n", cur
		list = list " " cur
	}
	/^[ \t]*(#|$)/ { next }
	{
		if ($1 !~ /^-?(0x[0-9a-fA-F]+|[0-9]+)$/) fail("number expected, got \"" $1 "\"")
		if ($2 !~ /^[A-Za-z_][A-Za-z0-9_]*$/) fail("bad name \"" $2 "\"")
		if ((cur, $2) in seen) fail("name " $2 " appears twice")
		seen[cur, $2] = 1
		text = ""
		for (i = 3; i <= NF; i++) text = text (i > 3 ? " " : "") $i
		gsub(/\\/, "\\\\", text); gsub(/"/, "\\\"", text)
		v = $1; if (v ~ /^-?0x/) v = "(int64_t)" v "ull"; else v = v "ll"
		printf "\t{ %s, \"%s\", %s },\n", v, $2, text == "" ? "NULL" : "\"" text "\""
	}
	END {
		if (bad) exit 1
		flush()
		n = split(list, a, " ")
		for (i = 1; i <= n; i++)
			printf "const struct xlat xt_%s = { xlat_%s_ents, sizeof(xlat_%s_ents) / sizeof(xlat_%s_ents[0]) };\n", a[i], a[i], a[i], a[i]
	}' "$@"
	;;
*)
	echo "usage: gen.sh systab|decode|check|xlat FILES..." >&2; exit 2 ;;
esac
