/* musl's own crash path (a_crash: stack-smashing detected, heap corruption)
 * must be reported like a CPU exception, never hang. Output written before it
 * must reach the console. */
#include <stdio.h>

void __stack_chk_fail(void);

int main(void)
{
    printf("before the crash\n");
    fflush(stdout);
    __stack_chk_fail();
    printf("FAILURE: __stack_chk_fail returned\n");
    return 1;
}
