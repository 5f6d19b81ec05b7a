/*
 * mmap_reserve.c — reserve-then-commit, as GHC's heap does it: reserve
 * 1 TiB PROT_NONE, commit 16 MiB inside with MAP_FIXED, touch it (fresh
 * pages read 0), move part of it through mprotect(PROT_NONE) and back
 * (contents kept), madvise(MADV_DONTNEED) (zero again), munmap. Also
 * MAP_FIXED_NOREPLACE and mprotect-commit, and GHC's megablocks: 1 MiB
 * commits that share 2 MiB pages.
 * EXPECT-STATUS: 0
 * EXPECT-OUTPUT: SUCCESS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#define TIB (1ull << 40)
#define MIB (1ull << 20)

static int fail(const char *what)
{
    printf("FAIL: %s (errno %d)\n", what, errno);
    return 1;
}

int main(void)
{
    char *base = mmap(NULL, TIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        return fail("reserving 1 TiB");
    printf("reserved 1 TiB at %p\n", (void *)base);

    char *at = base + 100 * 1024 * MIB + 4096 * 3;     /* somewhere inside, not 2 MiB aligned */
    char *c = mmap(at, 16 * MIB, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (c != at)
        return fail("committing 16 MiB with MAP_FIXED");
    for (uint64_t i = 0; i < 16 * MIB; i += 4096) {
        if (c[i] != 0 || c[i + 4095] != 0)
            return fail("fresh committed page is not zero");
        c[i] = (char)(i >> 12);
    }
    for (uint64_t i = 0; i < 16 * MIB; i += 4096)
        if (c[i] != (char)(i >> 12))
            return fail("committed page lost its contents");

    if (mprotect(c, 4 * MIB, PROT_NONE) != 0)
        return fail("mprotect(PROT_NONE)");
    if (mprotect(c, 4 * MIB, PROT_READ | PROT_WRITE) != 0)
        return fail("mprotect(PROT_READ|PROT_WRITE)");
    for (uint64_t i = 0; i < 4 * MIB; i += 4096)
        if (c[i] != (char)(i >> 12))
            return fail("contents changed across PROT_NONE and back");

    if (madvise(c, MIB, MADV_DONTNEED) != 0)
        return fail("madvise(MADV_DONTNEED)");
    for (uint64_t i = 0; i < MIB; i += 4096)
        if (c[i] != 0)
            return fail("page not zero after MADV_DONTNEED");

    void *again = mmap(c, 4096, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (again != MAP_FAILED || errno != EEXIST)
        return fail("MAP_FIXED_NOREPLACE over a mapping did not fail with EEXIST");

    if (munmap(c, 16 * MIB) != 0)
        return fail("munmap of the committed part");
    /* Commit by mprotect, elsewhere in the reservation. */
    char *m = base + 512 * 1024 * MIB;
    if (mprotect(m, 256 * 1024, PROT_READ | PROT_WRITE) != 0)
        return fail("committing with mprotect");
    m[0] = 1;
    m[256 * 1024 - 1] = 2;

    /* Megablocks: 1 MiB commits one after the other from a 2 MiB boundary,
     * as GHC grows its heap (the core may commit each 2 MiB at once and map
     * it as one large page: the other half must still read as fresh). */
    char *mb = base + 600 * 1024 * MIB;
    for (int k = 0; k < 8; k++) {
        char *p = mmap(mb + k * MIB, MIB, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (p != mb + k * MIB)
            return fail("committing a megablock");
        for (uint64_t i = 0; i < MIB; i += 4096) {
            if (p[i] != 0)
                return fail("fresh megablock page is not zero");
            p[i] = (char)(k + 1);
        }
    }
    if (munmap(mb, MIB) != 0)                   /* half of a 2 MiB */
        return fail("munmap of a megablock");
    for (uint64_t i = 0; i < MIB; i += 4096)
        if (mb[MIB + i] != 2)
            return fail("munmap of one megablock changed its neighbour");
    if (mmap(mb, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
             -1, 0) != mb || mb[0] != 0 || mb[MIB - 4096] != 0)
        return fail("megablock committed again is not zero");
    if (mmap(mb + 3 * MIB, MIB, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != mb + 3 * MIB ||
        mb[3 * MIB] != 0 || mb[2 * MIB] != 3)
        return fail("MAP_FIXED over a megablock did not replace only it");
    if (mprotect(mb + 4 * MIB, MIB, PROT_NONE) != 0 ||
        mprotect(mb + 4 * MIB, MIB, PROT_READ | PROT_WRITE) != 0 ||
        mb[4 * MIB] != 5 || mb[5 * MIB] != 6)
        return fail("megablock contents across PROT_NONE and back");
    if (munmap(mb, 8 * MIB) != 0)
        return fail("munmap of the megablocks");

    if (munmap(base, TIB) != 0)
        return fail("munmap of the reservation");

    /* An ordinary mapping still works, and is zeroed. */
    unsigned char *o = mmap(NULL, 3 * MIB, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (o == MAP_FAILED)
        return fail("ordinary mmap");
    for (uint64_t i = 0; i < 3 * MIB; i++)
        if (o[i])
            return fail("ordinary mmap not zeroed");
    munmap(o, 3 * MIB);
    printf("SUCCESS\n");
    return 0;
}
