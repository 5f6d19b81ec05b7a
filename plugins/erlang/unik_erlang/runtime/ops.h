/*
 * ops.h — opcode numbers of the VM: OTP 25's generic numbers (genop.tab) for
 * the instructions it runs as they are, and numbers from 200 up for the forms
 * link.py rewrites them into (calls resolved to BIFs). link.py reads the
 * OP_X_* lines below; keep them one per line.
 */
#ifndef ERL_OPS_H
#define ERL_OPS_H

#define OP_X_CALL_BIF 200         /* Arity Bif */
#define OP_X_CALL_BIF_LAST 201    /* Arity Bif Dealloc */
#define OP_X_CALL_BIF_ONLY 202    /* Arity Bif */
#define OP_X_UNDEF 203            /* Module Function Arity: a call into no code */
#define OP_X_ADD 210             /* Fail Live A B Dst: erlang:'+'/2 as gc_bif2, small ints inline */
#define OP_X_SUB 211
#define OP_X_MUL 212
#define OP_X_BAND 213
#define OP_X_BOR 214
#define OP_X_BSR 215
#define OP_X_BSL 216
#define OP_X_REM 217
#define OP_X_IDIV 218
#define OP_X_EXIT 204
#define OP_X_CALL_UNDEF 205       /* Module Function Arity: a call to a function that does not exist */
/* operand-specialised forms link.py picks at build time: registers as raw
 * indexes (x: n, y: n + 1, an offset from E), constants as immediate terms */
#define OP_X_MOVE_XX 230          /* Xsrc Xdst */
#define OP_X_MOVE_XY 231          /* Xsrc Ydst */
#define OP_X_MOVE_YX 232          /* Ysrc Xdst */
#define OP_X_MOVE_YY 233          /* Ysrc Ydst */
#define OP_X_MOVE_CX 234          /* Const Xdst */
#define OP_X_MOVE_CY 235          /* Const Ydst */
#define OP_X_IS_LT_XC 236         /* Fail X SmallConst */
#define OP_X_IS_GE_XC 237         /* Fail X SmallConst */
#define OP_X_IS_LT_CX 238         /* Fail SmallConst X */
#define OP_X_IS_GE_CX 239         /* Fail SmallConst X */
#define OP_X_IS_LT_XX 240         /* Fail X X */
#define OP_X_IS_GE_XX 241         /* Fail X X */
#define OP_X_IS_EQ_EXACT_XC 242   /* Fail X ImmediateConst */
#define OP_X_IS_NE_EXACT_XC 243   /* Fail X ImmediateConst */
#define OP_X_ADD_C 244            /* Fail Live A SmallConst Dst: A + C */
#define OP_X_SUB_C 245            /* Fail Live A SmallConst Dst: A - C */
#define OP_X_GET_TUPLE_ELEMENT_XX 246 /* Xsrc Index Xdst */
#define OP_X_GET_LIST_XXX 247     /* Xsrc Xhd Xtl */
#define OP_X_PUT_LIST_XXX 248     /* Xhd Xtl Xdst */
/* two moves in one dispatch (link.py fuses adjacent moves of these kinds) */
#define OP_X_MOVE2_CX_CX 249
#define OP_X_MOVE2_XX_CX 250
#define OP_X_MOVE2_XY_XX 251
#define OP_X_MOVE2_XY_CX 252
#define OP_X_MOVE2_XY_XY 253
#define OP_X_MOVE2_YX_YX 254
#define OP_X_MOVE2_XX_YX 255
#define OP_X_DEALLOC_RETURN 256   /* N: deallocate N, then return (every non-tail function end) */

/* superinstructions: two or three adjacent instructions in one dispatch (link.py) */
#define OP_X_IS_LT_XC_RETURN 257  /* Fail X SmallConst, then return */
#define OP_X_IS_GE_XC_RETURN 258  /* Fail X SmallConst, then return */
#define OP_X_IS_EQ_EXACT_XC_RETURN 259 /* Fail X ImmediateConst, then return */
#define OP_X_IS_NE_EXACT_XC_RETURN 260 /* Fail X ImmediateConst, then return */
#define OP_X_MOVE_CX_RETURN 261   /* Const Xdst, then return */
#define OP_X_MOVE2_XY_XX_CALL 262 /* Xs Yd Xs Xd Arity Label: two moves, then call */
#define OP_X_TEST_HEAP_PUT_TUPLE2 263 /* Need Live Dst N Elements…: test_heap, then put_tuple2 */
#define OP_X_GET_TUPLE_ELEMENT2_XX 264 /* Xsrc I1 Xd1 I2 Xd2: two elements of one tuple */

/* arithmetic on registers given as raw indexes (x: n, y: n + 1 from E), the
 * words laid out as the generic forms' (Fail Live A B Dst); a failure never
 * carries a BIF frame here (no operand is a literal non-integer) */
#define OP_X_ADD_C_XX 265         /* Fail Live Xsrc SmallConst Xdst */
#define OP_X_ADD_C_XY 266         /* Fail Live Xsrc SmallConst Ydst */
#define OP_X_ADD_C_YX 267         /* Fail Live Ysrc SmallConst Xdst */
#define OP_X_ADD_C_YY 268         /* Fail Live Ysrc SmallConst Ydst */
#define OP_X_SUB_C_XX 269
#define OP_X_SUB_C_XY 270
#define OP_X_SUB_C_YX 271
#define OP_X_SUB_C_YY 272
#define OP_X_ADD_XX_X 273         /* Fail Live X X Xdst */
#define OP_X_ADD_YX_X 274         /* Fail Live Y X Xdst */
#define OP_X_SUB_XX_X 275         /* Fail Live X X Xdst */
#define OP_X_SUB_YX_X 276         /* Fail Live Y X Xdst */
/* floats with float registers as raw indexes, one handler (and dispatch) each */
#define OP_X_FADD 277             /* Fail Fa Fb Fdst */
#define OP_X_FSUB 278
#define OP_X_FMUL 279
#define OP_X_FDIV 280
#define OP_X_FMOVE_XF 281         /* Xsrc Fdst: the x register holds a float */
#define OP_X_FMOVE_YF 282         /* Ysrc Fdst */
#define OP_X_FMOVE_CF 283         /* RawDoubleBits Fdst: a float literal */
#define OP_X_FMOVE_FX 284         /* Fsrc Xdst: boxed on the heap (test_heap made room) */
#define OP_X_FMOVE_FY 285         /* Fsrc Ydst */

#define OP_X_TEST_ARITY_X 286     /* Fail X TupleHeader: a tuple of that arity (the header word) */

#define OP_X_TEST_HEAP_PUT_TUPLE2_RETURN 287 /* Need Live Dst N Elements…, then return */
#define OP_X_TEST_HEAP_PUT_TUPLE2_DEALLOC_RETURN 288 /* Need Live Dst N Elements… Dealloc */
#define OP_X_ALLOCATE_MOVE2_XY_XX_CALL 289 /* N ClearMask Xs Yd Xs Xd Arity Label: allocate (bit i of
                                              ClearMask: E[i] = [], the y registers the move does not set), two moves, call */

#define OP_X_ADD_YX_X_DEALLOC_RETURN 290 /* Fail Live Y X Xdst Dealloc: +, then deallocate and return */
#define OP_X_ADD_C_XX_DEALLOC_RETURN 291 /* Fail Live Xsrc SmallConst Xdst Dealloc */
#define OP_X_IS_EQ_EXACT2_XC 292  /* Fail X ImmediateConst Fail2 X2 ImmediateConst2: two =:= tests */

#define OP_X_PUT_LIST_YXX 293     /* Yhd Xtl Xdst */
#define OP_X_PUT_LIST_XYX 294     /* Xhd Ytl Xdst */
#define OP_X_PUT_LIST_XCX 295     /* Xhd ConstTl Xdst ([] mostly) */

#define OP_X_FMOVE2_XF_XF 296     /* Xsrc Fdst _ Xsrc Fdst: two fmoves */
#define OP_X_GET_TUPLE_ELEMENT_YX 297 /* Ysrc Index Xdst */
/* two float operators (Fail Fa Fb Fd _ Fail Fa Fb Fd): FIRST_SECOND */
#define OP_X_FADD_FADD 298
#define OP_X_FADD_FSUB 299
#define OP_X_FADD_FMUL 300
#define OP_X_FADD_FDIV 301
#define OP_X_FSUB_FADD 302
#define OP_X_FSUB_FSUB 303
#define OP_X_FSUB_FMUL 304
#define OP_X_FSUB_FDIV 305
#define OP_X_FMUL_FADD 306
#define OP_X_FMUL_FSUB 307
#define OP_X_FMUL_FMUL 308
#define OP_X_FMUL_FDIV 309
#define OP_X_FDIV_FADD 310
#define OP_X_FDIV_FSUB 311
#define OP_X_FDIV_FMUL 312
#define OP_X_FDIV_FDIV 313

#define OP_X_TEST_HEAP_PAIR_XX_RETURN 314 /* Need Live Xdst X1 X2: a pair of registers (raw indexes), then return */
#define OP_X_TEST_HEAP_PAIR_XX_DEALLOC_RETURN 315 /* Need Live Xdst X1 X2 Dealloc */

#define OP_X_MOVE2_YX_YY 316
#define OP_X_IS_EQ_EXACT_XC_MOVE_CX_RETURN 317 /* Fail X ImmediateConst Const Xdst: =:=, move, return */

#define OP_X_TRIM_CALL 318        /* N Remaining Arity Label: trim, then call */

#define OP_X_TEST_ARITY_GET2_X 319 /* Fail X TupleHeader I1 Xd1 I2 Xd2: a tuple of that arity, two of its elements */

#define OP_X_IS_EQ_EXACT2_XC_MOVE_CX_RETURN 320 /* Fail X Imm Fail2 X2 Imm2 Const Xdst: f(a, b) -> c; */

#define OP_X_TEST_HEAP_PAIR_XY_DEALLOC_RETURN 322 /* Need Live Xdst X1 Y2 Dealloc */
#define OP_X_TEST_HEAP_PAIR_YX_DEALLOC_RETURN 323 /* Need Live Xdst Y1 X2 Dealloc */
#define OP_X_TEST_HEAP_PAIR_YY_DEALLOC_RETURN 324 /* Need Live Xdst Y1 Y2 Dealloc */

/* an arithmetic instruction with a constant, then a call prologue, laid out as
   the two instructions (the second's opcode kept): a slow path runs the first
   alone and carries on at the second */
#define OP_X_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL 325
#define OP_X_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL 326
#define OP_X_ADD_C_YX_MOVE2_XY_XX_CALL 327
#define OP_X_SUB_C_YX_MOVE2_XY_XX_CALL 328

/* "then" pairs, chosen by link.py's last pass over a function: the first
   instruction's fast path, then a direct jump into the second's handler (no
   dispatch). The words stay both instructions' own, the second's opcode kept,
   so a slow path is the first's own handler and a jump to the second lands on
   its own opcode. FIRST_THEN_SECOND: always into the second; TEST_ELSE_SECOND:
   a test + return whose fail label is the second (f(0) -> …; f(N) -> …). */
#define OP_X_MOVE2_YX_YY_THEN_TRIM_CALL 329
#define OP_X_ADD_C_XY_THEN_MOVE2_YX_YY_THEN_TRIM_CALL 330
#define OP_X_TEST_ARITY_GET2_X_THEN_IS_EQ_EXACT2_XC_MOVE_CX_RETURN 331
#define OP_X_TEST_ARITY_GET2_X_THEN_IS_EQ_EXACT2_XC_MOVE_CX_RETURN_ELSE_ALLOCATE_MOVE2_XY_XX_CALL 332
#define OP_X_IS_EQ_EXACT2_XC_MOVE_CX_RETURN_ELSE_ALLOCATE_MOVE2_XY_XX_CALL 333
#define OP_X_IS_LT_XC_RETURN_ELSE_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL 334
#define OP_X_IS_LT_XC_RETURN_ELSE_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL 335
#define OP_X_IS_GE_XC_RETURN_ELSE_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL 336
#define OP_X_IS_GE_XC_RETURN_ELSE_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL 337
#define OP_X_IS_EQ_EXACT_XC_RETURN_ELSE_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL 338
#define OP_X_IS_EQ_EXACT_XC_RETURN_ELSE_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL 339
#define OP_X_IS_EQ_EXACT_XC_MOVE_CX_RETURN_ELSE_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL 340
#define OP_X_IS_EQ_EXACT_XC_MOVE_CX_RETURN_ELSE_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL 341

#define OP_COUNT 342               /* the dispatch table's size: every opcode is below it */

#endif
