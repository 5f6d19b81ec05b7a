/*
 * realloc_grow.c — the core's realloc (core/native/libc/realloc.c): blocks
 * that realloc grows past 1 MiB become growable blocks, extended in place
 * when the pages after them are free and moved when not; everything else
 * is mimalloc's. Contents survive every growth, move and shrink; free,
 * malloc_usable_size, reallocarray, reallocf and realloc(p, 0) tell the
 * two kinds apart; hundreds of growable blocks live at once (the address
 * table grows) and come and go (its dead entries are reused).
 * EXPECT-STATUS: 0
 * EXPECT-OUTPUT: SUCCESS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>

static int failures;

#define FAIL(...)                                                                  \
    do {                                                                           \
        printf("FAIL: " __VA_ARGS__);                                              \
        printf("\n");                                                              \
        failures++;                                                                \
    } while (0)

static unsigned char at(size_t i, unsigned tag)
{
    return (unsigned char)(i * 131 + (i >> 12) + tag);
}

/* Every byte up to 64 KiB, then one in 4093 (never page-aligned twice in a
 * row): enough to see a lost or misplaced page, fast on the software CPU too. */
static size_t next_byte(size_t i)
{
    return i < 65536 ? i + 1 : (i / 4093 + 1) * 4093;
}

static void fill(unsigned char *p, size_t from, size_t to, unsigned tag)
{
    size_t i = from < 65536 ? from : (from + 4092) / 4093 * 4093;
    for (; i < to; i = next_byte(i))
        p[i] = at(i, tag);
}

static int intact(const unsigned char *p, size_t n, unsigned tag)
{
    for (size_t i = 0; i < n; i = next_byte(i))
        if (p[i] != at(i, tag))
            return 0;
    return 1;
}

static unsigned char *grow(unsigned char *p, size_t old, size_t n, unsigned tag)
{
    unsigned char *q = realloc(p, n);
    if (!q) {
        FAIL("realloc(%zu) returned NULL", n);
        exit(1);
    }
    if (malloc_usable_size(q) < n)
        FAIL("malloc_usable_size %zu < %zu", malloc_usable_size(q), n);
    if (!intact(q, old < n ? old : n, tag))
        FAIL("contents lost growing %zu -> %zu", old, n);
    if (n > old)
        fill(q, old, n, tag);
    return q;
}

static void one_buffer(void)
{
    size_t n = 16;
    unsigned char *p = malloc(n);
    fill(p, 0, n, 1);
    while (n < (6u << 20)) {                   /* +37 % and an odd step: never page-sized */
        size_t m = n + n * 3 / 8 + 4097;
        p = grow(p, n, m, 1);
        n = m;
    }
    int moves = 0;
    for (int k = 0; k < 300; k++) {             /* many small steps: the in-place path */
        unsigned char *before = p;
        p = grow(p, n, n + 1000, 1);
        n += 1000;
        moves += p != before;
    }
    if (moves > 2)                              /* nothing else allocates: the pages after it are free */
        FAIL("a growable block moved %d times in 300 small steps", moves);
    p = grow(p, n, n / 3, 1);                   /* shrink in place */
    n /= 3;
    p = grow(p, n, 100000, 1);                  /* back to mimalloc */
    n = 100000;
    p = grow(p, n, 3u << 20, 1);                /* and growable again */
    free(p);
}

static void two_buffers(void)
{
    /* Grown in turn, each blocks the other's pages: growth moves, contents stay. */
    size_t na = 1000, nb = 1000;
    unsigned char *a = malloc(na), *b = malloc(nb);
    fill(a, 0, na, 2);
    fill(b, 0, nb, 3);
    for (int k = 0; k < 12; k++) {
        a = grow(a, na, na * 2, 2);
        na *= 2;
        b = grow(b, nb, nb * 2 + 123, 3);
        nb = nb * 2 + 123;
    }
    if (!intact(a, na, 2) || !intact(b, nb, 3))
        FAIL("two buffers: contents lost");
    free(b);
    free(a);
}

static void edges(void)
{
    unsigned char *p = realloc(NULL, 2u << 20);   /* realloc(NULL) is malloc */
    if (!p)
        FAIL("realloc(NULL, 2 MiB)");
    fill(p, 0, 2u << 20, 4);
    p = grow(p, 2u << 20, 5u << 20, 4);
    errno = 0;
    void *q = reallocarray(p, SIZE_MAX / 2, 3);
    if (q || errno != ENOMEM)
        FAIL("reallocarray overflow: %p errno %d", q, errno);
    if (!intact(p, 5u << 20, 4))
        FAIL("reallocarray overflow changed the block");
    p = reallocarray(p, 3u << 20, 2);
    if (!p || !intact(p, 5u << 20, 4))
        FAIL("reallocarray growth");
    p = realloc(p, 0);                              /* a live minimal block, not NULL */
    if (!p)
        FAIL("realloc(growable, 0) returned NULL");
    free(p);
    p = malloc(10);
    p = reallocf(p, 4u << 20);
    if (!p)
        FAIL("reallocf growth");
    free(p);
    free(NULL);
}

#define MANY 420

static void many(void)
{
    static unsigned char *blk[MANY];
    static void *small[4096];
    /* More than the table's first 512 slots hold at 3/4 where RAM allows
     * (each block takes 1 MiB of it, though few of its pages are touched). */
    struct sysinfo si;
    int count = MANY;
    if (sysinfo(&si) == 0) {
        unsigned long mib = si.freeram * si.mem_unit >> 20;
        if (mib < MANY + 64)
            count = mib > 96 ? (int)(mib - 64) : (int)(mib / 4) + 1;
    }
    printf("%d growable blocks at once\n", count);
    for (int i = 0; i < count; i++) {
        blk[i] = malloc(40);
        fill(blk[i], 0, 40, (unsigned)i);
        blk[i] = grow(blk[i], 40, (1u << 20) + (size_t)i * 16, (unsigned)i);
    }
    for (int i = 0; i < 4096; i++)              /* mimalloc blocks, many 16 bytes into a page */
        small[i] = malloc(16);
    for (int i = 0; i < count; i++)
        if (!intact(blk[i], (1u << 20) + (size_t)i * 16, (unsigned)i))
            FAIL("block %d lost its contents", i);
    for (int i = 0; i < 4096; i++)
        free(small[i]);
    for (int i = 0; i < count; i += 2)
        free(blk[i]);
    for (int i = 1; i < count; i += 2)
        free(blk[i]);
    for (int round = 0; round < 600; round++) {   /* churn: dead table entries reused */
        unsigned char *p = malloc(8);
        fill(p, 0, 8, 9);
        p = grow(p, 8, (1u << 20) + 1, 9);
        free(p);
    }
}

int main(void)
{
    one_buffer();
    two_buffers();
    edges();
    many();
    if (failures)
        printf("%d failures\n", failures);
    else
        printf("SUCCESS\n");
    return failures != 0;
}
