#!/bin/sh
# SPDX-License-Identifier: MIT
# The README's first command: trace a small demo (a shell pipeline that
# reads, writes, forks and execs) into a narrative, a JSON log and a report.
set -eu
BUILD=${1:-build}
out=$BUILD/demo
mkdir -p "$out"
"$BUILD/compendium" --json "$out/demo.jsonl" --report "$out/demo.html" -- \
	sh -c 'cat /etc/os-release | grep -c ID > /tmp/compendium-demo.txt; ls / | wc -l; rm -f /tmp/compendium-demo.txt'
echo "demo: narrative above; JSON Lines in $out/demo.jsonl; open $out/demo.html in a browser"
