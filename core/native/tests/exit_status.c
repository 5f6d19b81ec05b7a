/*
 * exit_status.c — exit(7) becomes the guest's exit status, after stdio is
 * flushed.
 * EXPECT-STATUS: 7
 * EXPECT-OUTPUT: SUCCESS
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("SUCCESS");                  /* no newline: exit must flush it */
    exit(7);
}
