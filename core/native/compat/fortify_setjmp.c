/*
 * fortify_setjmp.c — __longjmp_chk, which glibc's longjmp becomes under
 * _FORTIFY_SOURCE (it checks the jump does not go down the stack, onto a
 * frame that has returned). One stack, no signal stacks here: it is longjmp.
 */
#include <setjmp.h>
#include "compat.h"

COMPAT __attribute__((noreturn)) void __longjmp_chk(jmp_buf env, int val)
{
    longjmp(env, val);
}
