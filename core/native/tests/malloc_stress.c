/*
 * malloc_stress.c — many small and a few large allocations through musl's
 * malloc (hence brk and mmap), with their contents checked, freed in a
 * scrambled order, reallocated, and again. The large blocks are sized
 * from the free memory sysinfo reports, so the test fits any guest size.
 * EXPECT-STATUS: 0
 * EXPECT-OUTPUT: SUCCESS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>

#define SMALL 10000
#define ROUNDS 3

static uint32_t rng = 12345;

static uint32_t next(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

static int fill_check(unsigned char *p, size_t n, unsigned char tag, int check)
{
    for (size_t i = 0; i < n; i += (n > 4096 ? 509 : 1)) {
        unsigned char v = (unsigned char)(tag + i * 7);
        if (check && p[i] != v)
            return 0;
        if (!check)
            p[i] = v;
    }
    return 1;
}

int main(void)
{
    static unsigned char *small[SMALL];
    static size_t size[SMALL];

    struct sysinfo si;
    if (sysinfo(&si) != 0 || si.freeram == 0) {
        printf("FAIL: sysinfo\n");
        return 1;
    }
    size_t free_bytes = (size_t)si.freeram * si.mem_unit;
    printf("%zu KiB free\n", free_bytes >> 10);
    size_t big_sizes[] = { free_bytes / 16, free_bytes / 8, 300 << 10, free_bytes / 4 };

    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < SMALL; i++) {
            size[i] = 1 + next() % 600;
            small[i] = malloc(size[i]);
            if (!small[i]) {
                printf("FAIL: malloc(%zu) #%d returned NULL\n", size[i], i);
                return 1;
            }
            fill_check(small[i], size[i], (unsigned char)i, 0);
        }
        /* A few large blocks (mmap'ed by musl) between the small ones. */
        unsigned char *big[4];
        for (int b = 0; b < 4; b++) {
            big[b] = malloc(big_sizes[b]);
            if (!big[b]) {
                printf("FAIL: malloc(%zu) returned NULL\n", big_sizes[b]);
                return 1;
            }
            memset(big[b], 0x5a + b, big_sizes[b]);
        }
        for (int i = 0; i < SMALL; i++)
            if (!fill_check(small[i], size[i], (unsigned char)i, 1)) {
                printf("FAIL: block %d (%zu bytes) corrupted\n", i, size[i]);
                return 1;
            }
        for (int b = 0; b < 4; b++) {
            for (size_t k = 0; k < big_sizes[b]; k += 4093)
                if (big[b][k] != 0x5a + b) {
                    printf("FAIL: large block %d corrupted at %zu\n", b, k);
                    return 1;
                }
            free(big[b]);
        }
        /* Free half in a scrambled order, grow some of the rest. */
        for (int i = 0; i < SMALL; i += 2) {
            int j = (int)(next() % SMALL);
            free(small[j]);
            small[j] = NULL;
        }
        for (int i = 0; i < SMALL; i++) {
            if (!small[i])
                continue;
            if (i % 5 == 0) {
                unsigned char *q = realloc(small[i], size[i] * 3 + 4000);
                if (!q || !fill_check(q, size[i], (unsigned char)i, 1)) {
                    printf("FAIL: realloc of block %d lost its contents\n", i);
                    return 1;
                }
                small[i] = q;
            }
            free(small[i]);
        }
        /* calloc must give zeroed memory, even when it reuses. */
        for (int i = 0; i < 200; i++) {
            size_t n = 1 + next() % 70000;
            unsigned char *z = calloc(n, 1);
            if (!z) {
                printf("FAIL: calloc(%zu)\n", n);
                return 1;
            }
            for (size_t k = 0; k < n; k++)
                if (z[k]) {
                    printf("FAIL: calloc(%zu) not zero at %zu\n", n, k);
                    return 1;
                }
            memset(z, 0xff, n);
            free(z);
        }
    }
    printf("SUCCESS\n");
    return 0;
}
