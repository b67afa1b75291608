#!/bin/sh
# SPDX-License-Identifier: MIT
# Install what compendium needs on Debian 12, as root. Idempotent: a second
# run installs nothing. Usage: deps.sh build | test | missing build|test
# ("missing" installs nothing: it prints the packages that would be
# installed, on one line, and exits 0).
set -eu
what=${1:-build}
list_only=""
if [ "$what" = missing ]; then
	list_only=yes
	what=${2:-build}
fi

build_pkgs="gcc make pkg-config libunwind-dev libcapstone-dev libcjson-dev zlib1g-dev libbpf-dev bpftool clang"
test_pkgs="$build_pkgs libcmocka-dev strace jq mandoc shellcheck chromium nodejs npm python3 gzip tar git"

case $what in
build) want=$build_pkgs ;;
test) want=$test_pkgs ;;
*) echo "deps.sh: unknown set '$what' (use build or test)" >&2; exit 2 ;;
esac

# The browser tests drive Debian's chromium with playwright-core, pinned by
# tests/browser/package-lock.json (one npm package, no browser download).
# Without it those tests print "skip" with the reason, so a failure here is
# a warning, not an error.
browser_deps() {
	[ "$what" = test ] || return 0
	dir=$(cd "$(dirname "$0")/.." && pwd)/tests/browser
	[ -f "$dir/package-lock.json" ] || return 0
	[ -f "$dir/node_modules/playwright-core/package.json" ] && return 0
	if ! command -v npm >/dev/null 2>&1; then
		echo "compendium: npm missing; browser tests will be skipped" >&2
		return 0
	fi
	echo "compendium: installing playwright-core for the browser tests (npm ci in tests/browser)" >&2
	(cd "$dir" && npm ci --no-audit --no-fund >&2) ||
		echo "compendium: warning: npm ci in tests/browser failed; browser tests will be skipped" >&2
}

missing=""
for p in $want; do
	# nodejs/npm may come from elsewhere than Debian: accept the commands.
	case $p in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	python3) command -v python3 >/dev/null 2>&1 && continue ;;
	esac
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed'; then
		missing="$missing $p"
	fi
done

# LLVM's libunwind-14-dev Conflicts/Replaces Debian's libunwind-dev (the
# nongnu libunwind we link), and libc++-14-dev depends on it. Remove
# whichever of them is installed, explicitly, before installing
# libunwind-dev, rather than leaving apt to pick a side.
llvm_unwind=""
for p in libunwind-14-dev libc++-14-dev libc++abi-14-dev; do
	if dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed'; then
		llvm_unwind="$llvm_unwind $p"
	fi
done
if [ -n "$llvm_unwind" ]; then
	case " $missing " in *" libunwind-dev "*) ;; *) missing="$missing libunwind-dev" ;; esac
fi

if [ -n "$list_only" ]; then
	echo $missing
	exit 0
fi
if [ -z "$missing" ] && [ -z "$llvm_unwind" ]; then
	browser_deps
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "compendium: missing packages:$missing; run 'sudo sh .ci/deps.sh $what' or install them" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ -n "$llvm_unwind" ]; then
	echo "compendium: removing$llvm_unwind (LLVM's libunwind, which conflicts with libunwind-dev)" >&2
	# shellcheck disable=SC2086
	apt-get remove -y -q $llvm_unwind >&2
fi
echo "compendium: installing:$missing" >&2
apt-get update -q >&2 || true
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >&2
browser_deps
