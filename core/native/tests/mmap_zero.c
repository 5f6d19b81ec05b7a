/*
 * mmap_zero.c — anonymous memory reads as zero: pages never used since boot
 * (kernel/page.c does not zero those again) and pages used, dirtied, freed
 * and handed out again (it must zero these).
 * EXPECT-STATUS: 0
 * EXPECT-OUTPUT: SUCCESS
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define PIECE (1u << 20)
#define PIECES 24

static uint64_t *piece[PIECES];

/* Map PIECES MiB, count nonzero words, then fill them with garbage. */
static long round_trip(int dirty)
{
    long bad = 0;
    for (int k = 0; k < PIECES; k++) {
        piece[k] = mmap(NULL, PIECE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                        -1, 0);
        if (piece[k] == MAP_FAILED) {
            printf("FAIL: mmap %d\n", k);
            return -1;
        }
        for (size_t i = 0; i < PIECE / 8; i++)
            bad += piece[k][i] != 0;
        if (dirty)
            memset(piece[k], 0xa5, PIECE);
    }
    for (int k = 0; k < PIECES; k++)
        munmap(piece[k], PIECE);
    return bad;
}

int main(void)
{
    long fresh = round_trip(1);
    long reused = round_trip(0);
    printf("nonzero words: fresh %ld, reused %ld\n", fresh, reused);
    if (fresh == 0 && reused == 0)
        printf("SUCCESS\n");
    return 0;
}
