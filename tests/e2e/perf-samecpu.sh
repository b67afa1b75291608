#!/bin/sh
# SPDX-License-Identifier: MIT
# --same-cpu (issue 8): compendium and the launched command, with all it
# starts, run on the one CPU compendium started on; the JSON header and
# stderr name it; a second thread or process brings a note that parallel
# work now shares that CPU; with --pid the option changes nothing.
. "$TOP/tests/lib.sh"

cmp --same-cpu --json "$T/s.jsonl" -q -- sh -c 'grep Cpus_allowed_list /proc/self/status; sh -c "grep Cpus_allowed_list /proc/self/status"' >"$T/out" 2>"$T/err"
rc=$?
expect "--same-cpu: the command runs and exits 0" "$rc" "0"
cpu=$(jl "$T/s.jsonl" 'hdr.get("same_cpu")')
case $cpu in
[0-9]*) ok "the JSON header names the CPU (same_cpu $cpu)" ;;
*) fail "the JSON header has no same_cpu (got '$cpu')" ;;
esac
expect "the command and its child are allowed that CPU only" "$(sort -u "$T/out")" "Cpus_allowed_list:	$cpu"
expect "stderr names the CPU" "$(grep -c "same-cpu: compendium and the command run on CPU $cpu only" "$T/err")" "1"
expect "a child process brings the note about shared CPU time, once" \
	"$(grep -c "same-cpu: dash started a process; it shares CPU $cpu" "$T/err")" "1"

cmp --same-cpu -q -- "$P/bench_threads" 2 10 >/dev/null 2>"$T/err2"
expect "threads bring the note too" "$(grep -c 'started a thread; it shares CPU' "$T/err2")" "1"

# without the option nothing is pinned and nothing is said
cmp --json "$T/n.jsonl" -q -- sh -c 'grep Cpus_allowed_list /proc/self/status' >"$T/out3" 2>"$T/err3"
expect "without --same-cpu the header has no same_cpu" "$(jl "$T/n.jsonl" '"same_cpu" in hdr')" "False"
expect "without --same-cpu the command keeps compendium's CPUs" \
	"$(cat "$T/out3")" "$(grep Cpus_allowed_list /proc/self/status)"
expect "without --same-cpu no note" "$(grep -c same-cpu "$T/err3")" "0"

# --pid: the target's affinity is left alone
sleep 30 &
tp=$!
before=$(grep Cpus_allowed_list /proc/$tp/status)
timeout -s INT 2 $ENVI "$C" --same-cpu -q --json "$T/p.jsonl" -p $tp >/dev/null 2>"$T/err4"
expect "--pid: a warning says --same-cpu is for launched commands" \
	"$(grep -c 'same-cpu applies to launched commands' "$T/err4")" "1"
expect "--pid: the target's CPU affinity is unchanged" "$(grep Cpus_allowed_list /proc/$tp/status)" "$before"
expect "--pid: no same_cpu in the header" "$(jl "$T/p.jsonl" '"same_cpu" in hdr')" "False"
kill $tp 2>/dev/null
wait $tp 2>/dev/null
# the choice is shown in the summary
cmp --same-cpu -- true >/dev/null 2>"$T/sum"
if grep -q "CPU use:  tracer and command on CPU [0-9]* only (--same-cpu)" "$T/sum"; then
	ok "the summary shows the --same-cpu choice"
else
	fail "the summary does not show --same-cpu: $(cat "$T/sum")"
fi
cmp -- true >/dev/null 2>"$T/sum"
if grep -q "CPU use:" "$T/sum"; then fail "summary shows a CPU choice without --same-cpu"; else ok "no CPU line without --same-cpu"; fi

exit 0
