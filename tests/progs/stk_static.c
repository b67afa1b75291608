// SPDX-License-Identifier: MIT
// stk_chain linked statically: one module holds every frame, libc's included.
// build: lib_stk_f0.c lib_stk_f1.c lib_stk_f2.c lib_stk_f3.c
// cflags: -static
#include "stk_chain.c"
