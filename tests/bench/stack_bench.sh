#!/bin/sh
# SPDX-License-Identifier: MIT
# -k cost (issue 7): microseconds per stack at about 10 and 30 frames. stack_unwind stops stk_deep
# at its marker openat under N recursive frames and times unwind_attach_stack there: the first
# (cold: address space, unwind tables, ELF symbols) and the mean of 2000 more (warm caches), each
# a full capture: registers, unwind, module+offset, symbols, JSON into the log.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
cd "$TOP" || exit 2
mkdir -p "$BUILD/bench"
make -s BUILD="$BUILD" "$BUILD/progs/stk_deep" "$BUILD/compendium" || exit 1
# the objects of today's sources (a build directory may keep objects of moved ones)
objs=$(find src -name '*.c' ! -name main.c ! -name '*.bpf.c' | sed "s|^|$BUILD/obj/|; s|\.c\$|.o|" | sort)
gen=$(find "$BUILD/gen" -name '*.o' | sort)
# pkg-config prints several flags: split them
# shellcheck disable=SC2046,SC2086
cc -std=gnu11 -O2 -D_GNU_SOURCE -Isrc -I"$BUILD/gen" $(pkg-config --cflags libunwind-ptrace capstone libcjson) \
	-o "$BUILD/bench/stack_unwind" tests/bench/stack_unwind.c $objs $gen \
	$(pkg-config --libs libunwind-ptrace libunwind-generic capstone libcjson zlib libbpf) -lpthread -lm || exit 1
echo "stack_bench: us per stack (cold = first, warm = mean of 2000)"
for depth in 5 25; do
	# shellcheck disable=SC2046 # three numbers, split into $1 $2 $3
	set -- $("$BUILD/bench/stack_unwind" "$BUILD/progs/stk_deep" "$depth" 2000)
	printf '  %2s frames: cold %7s us, warm %6s us\n' "$1" "$2" "$3"
done
