#!/bin/sh
# SPDX-License-Identifier: MIT
# The bar: for real programs, what `compendium --no-filter --json` reports
# (files opened with access, failed opens, bytes per regular file, connection
# attempts, execs, processes and threads, exit codes) must equal what
# `strace -f -y -s 4096` shows for a second run of the same program in the
# same directory. tests/e2e/strace_compare.py parses both and compares
# multisets; its docstring lists the normalisations (deliberate differences).
. "$TOP/tests/lib.sh"

if ! command -v strace >/dev/null 2>&1; then
	skip "strace is not installed"
	exit 0
fi
W=$T/w
CMP=$TOP/tests/e2e/strace_compare.py
# fixed identity and dates keep git's object names identical between runs
RUNENV="$ENVI TMPDIR=$W/tmp PYTHONDONTWRITEBYTECODE=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@e GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@e GIT_AUTHOR_DATE=1700000000+0000 GIT_COMMITTER_DATE=1700000000+0000 GIT_CONFIG_NOSYSTEM=1"

# case NAME SETUP-FUNCTION CMD...: run under compendium, then under strace on a fresh copy, compare;
# then the same filtered: compendium -e trace=file,network,process (lazy fd naming: fds named
# from /proc, no stops at close/dup/fcntl) against strace --seccomp-bpf -e trace=%file,%network,%process
case_run() {
	name=$1 setup=$2
	shift 2
	for mode in full filtered; do
		if [ $mode = full ]; then
			copts="--no-filter" sopts="" label=$name
		else
			copts="-e trace=file,network,process" label="$name (filtered)"
			sopts="--seccomp-bpf -e trace=%file,%network,%process"
		fi
		rm -rf "$W" && mkdir -p "$W/tmp" && (cd "$W" && $setup)
		# shellcheck disable=SC2086
		(cd "$W" && $RUNENV "$C" -q $copts --json "$T/$name.jsonl" -- "$@" >"$T/$name.out" 2>&1)
		crc=$?
		rm -rf "$W" && mkdir -p "$W/tmp" && (cd "$W" && $setup)
		# shellcheck disable=SC2086
		(cd "$W" && $RUNENV strace -f -y -s 4096 $sopts -o "$T/$name.strace" -- "$@" >"$T/$name.out" 2>&1)
		src=$?
		expect "$label: same exit status under compendium and strace" "$crc" "$src"
		python3 "$CMP" "$label" "$T/$name.jsonl" "$T/$name.strace" "$W"
	done
}

setup_text() {
	i=0
	while [ $i -lt 300 ]; do echo "line $((i * 7919 % 1000)) of the input"; i=$((i + 1)); done >in.txt
}
case_run pipeline setup_text sh -c 'cat in.txt | tr a-z A-Z | sort > out.txt && wc -c out.txt > n.txt; cp in.txt copy.txt; cat nothere.txt 2>/dev/null; exit 0'

setup_make() {
	mkdir src
	for n in a b c; do printf 'int f_%s(int x) { return x + 1; }\n' $n >src/$n.c; done
	printf 'int f_a(int); int f_b(int); int f_c(int);\nint main(void) { return f_a(0) + f_b(0) + f_c(0) - 3; }\n' >src/main.c
	printf 'OBJS = src/a.o src/b.o src/c.o src/main.o\nprog: $(OBJS)\n\tgcc -o $@ $(OBJS)\n%%.o: %%.c\n\tgcc -O1 -c -o $@ $<\n' >Makefile
}
if command -v gcc >/dev/null && command -v make >/dev/null; then
	case_run make setup_make make -j2
else
	skip "make/gcc not installed"
fi

setup_git() {
	mkdir d && echo hello >d/a.txt && echo world >d/b.txt
	# old mtimes: no "racily clean" re-reads that depend on timing
	touch -d 2020-01-01 d/a.txt d/b.txt d
}
if command -v git >/dev/null; then
	case_run git setup_git sh -c 'git init -q . && git add d && git commit -q -m first && git log --oneline > log.txt'
else
	skip "git not installed"
fi

setup_tree() {
	mkdir d && i=0 && while [ $i -lt 20 ]; do seq 1 $((i * 50)) >d/f$i.txt; i=$((i + 1)); done
	# fixed times: the archive (and so gzip's output size) is the same in both runs
	touch -d 2020-01-01 d/* d
}
case_run tar setup_tree tar czf out.tgz d

setup_dd() {
	head -c 100000 /dev/zero >in.bin
}
case_run dd setup_dd dd if=in.bin of=out.bin bs=4096 count=16 status=none

setup_sort() {
	# big enough for sort to start a second thread
	seq 1 300000 | awk '{ print ($1 * 7919) % 1000003 }' >big.txt
}
case_run sort setup_sort sort --parallel=2 -n big.txt -o sorted.txt

case_run threads true "$P/dec_threads"

setup_final() {
	echo "the old target" >target.txt && echo old >old.txt
}
# renames over a file, unlinks (one while open), O_TMPFILE files (their "#INODE" names)
case_run final setup_final "$P/dec_final" .

setup_py() {
	cat >web.py <<'PYEOF'
import http.server, subprocess, sys, threading, urllib.request
port = int(sys.argv[1])
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(('127.0.0.1', port), H)
t = threading.Thread(target=lambda: [srv.handle_request() for _ in range(2)])
t.start()
cmd = ['curl', '-s', '-o', 'got1.txt', 'http://127.0.0.1:%d/page.txt' % port]
r = subprocess.run(cmd)
data = urllib.request.urlopen('http://127.0.0.1:%d/page.txt' % port).read()
open('got2.txt', 'wb').write(data)
t.join()
srv.server_close()
sys.exit(r.returncode)
PYEOF
	seq 1 2000 >page.txt
}
if command -v curl >/dev/null; then
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	case_run python setup_py python3 web.py "$port"
else
	skip "curl not installed"
fi
