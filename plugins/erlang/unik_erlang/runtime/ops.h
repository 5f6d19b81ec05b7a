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
#define OP_X_EXIT 204             /* where the first call of a process returns to: it ends normally */

#endif
