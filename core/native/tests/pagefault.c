/*
 * pagefault.c — a write to an unmapped address: the core must report the
 * CPU exception and stop the guest with UNIK_EXIT_CRASH (125); nothing runs
 * after the fault. (The address lies in virtual space that is reserved but
 * not committed, so it is unmapped on every platform.)
 * EXPECT-STATUS: 125
 * EXPECT-OUTPUT: unik: CPU exception #PF page fault (vector 14)
 * EXPECT-NO-OUTPUT: SUCCESS
 */
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
    volatile char *p = mmap(NULL, 1 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                            -1, 0);
    if (p == MAP_FAILED) {
        printf("FAIL: mmap(PROT_NONE)\n");
        return 1;
    }
    printf("writing to %p\n", (void *)(p + 4096));
    fflush(stdout);
    p[4096] = 1;
    printf("SUCCESS (must not be printed)\n");
    return 0;
}
