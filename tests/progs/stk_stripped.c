// SPDX-License-Identifier: MIT
// stk_chain linked stripped (no .symtab): its frames must show module+offset, never a guessed name.
// build: lib_stk_f0.c lib_stk_f1.c lib_stk_f2.c lib_stk_f3.c
// cflags: -s
#include "stk_chain.c"
