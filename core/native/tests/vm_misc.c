/*
 * vm_misc.c — the rest of the memory system calls: brk growing and
 * shrinking (fresh memory reads 0), mmap hints, MAP_FIXED over an existing
 * mapping (zeroed again), partial munmap, munmap of nothing, mprotect on
 * ordinary memory, mremap refused (musl's realloc copies instead).
 * EXPECT-STATUS: 0
 * EXPECT-OUTPUT: SUCCESS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MIB (1ul << 20)

static int fail(const char *what)
{
    printf("FAIL: %s (errno %d)\n", what, errno);
    return 1;
}

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

int main(void)
{
    /* brk, through the raw system call (musl's sbrk refuses to move it). */
    uintptr_t b0 = (uintptr_t)syscall(SYS_brk, 0);
    if (!b0)
        return fail("brk(0)");
    uintptr_t b1 = (uintptr_t)syscall(SYS_brk, b0 + 3 * MIB + 123);
    if (b1 != b0 + 3 * MIB + 123)
        return fail("growing brk");
    if (!all_zero((unsigned char *)b0, 3 * MIB + 123))
        return fail("new brk memory is not zero");
    memset((void *)b0, 0xab, 3 * MIB + 123);
    if ((uintptr_t)syscall(SYS_brk, b0 + MIB) != b0 + MIB)
        return fail("shrinking brk");
    if ((uintptr_t)syscall(SYS_brk, b0 + 2 * MIB) != b0 + 2 * MIB)
        return fail("growing brk again");
    if (!all_zero((unsigned char *)b0 + MIB, MIB))
        return fail("brk memory given back and taken again is not zero");
    syscall(SYS_brk, b0);

    /* An ordinary mapping, written, then replaced in part with MAP_FIXED. */
    unsigned char *m = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return fail("mmap 32 KiB");
    memset(m, 0x11, 8 * 4096);
    if (mmap(m + 4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
             -1, 0) != m + 4096)
        return fail("MAP_FIXED over a mapping");
    if (!all_zero(m + 4096, 4096) || m[0] != 0x11 || m[2 * 4096] != 0x11)
        return fail("MAP_FIXED did not replace exactly its page");
    if (mprotect(m, 8 * 4096, PROT_READ) != 0 || mprotect(m, 8 * 4096, PROT_READ | PROT_WRITE))
        return fail("mprotect on ordinary memory");
    if (munmap(m + 4 * 4096, 4 * 4096) != 0 || munmap(m, 4 * 4096) != 0)
        return fail("munmap in two halves");
    if (munmap(m, 8 * 4096) != 0)
        return fail("munmap of what is no longer mapped");

    /* A hint in free virtual space is honoured. */
    void *hint = (void *)0x420000000000ul;
    void *h = mmap(hint, 2 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (h == MAP_FAILED)
        return fail("mmap with a hint");
    if (h != hint)
        printf("note: hint %p not used (got %p)\n", hint, h);
    memset(h, 1, 2 * MIB);
    munmap(h, 2 * MIB);

    /* Errors. */
    errno = 0;
    if (mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED ||
        errno != EINVAL)
        return fail("mmap of 0 bytes did not fail with EINVAL");
    if (mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 7, 0) != MAP_FAILED || errno != EBADF)
        return fail("mmap of a file did not fail with EBADF");
    void *r = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mremap(r, 4096, 8192, MREMAP_MAYMOVE) != MAP_FAILED || errno != ENOMEM)
        return fail("mremap did not fail with ENOMEM");
    munmap(r, 4096);
    printf("SUCCESS\n");
    return 0;
}
