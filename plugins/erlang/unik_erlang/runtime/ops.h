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
#define OP_X_CALL_UNDEF 205       /* Module Function Arity: a call to a function that does not exist */             /* where the first call of a process returns to: it ends normally */

#endif
