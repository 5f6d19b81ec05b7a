/* The core's memcpy, memmove, memset, memcmp, strlen and strcmp
 * (core/native/libc/string.c) against plain byte loops: every size up to
 * 300 and some large ones, every alignment of source and destination mod 16,
 * overlapping moves both ways, and strings that end just before a page the
 * guest may not read (a read past the end would be a CPU exception).
 * EXPECT-STATUS: 0
 * EXPECT-OUTPUT: SUCCESS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static int failures;

#define CHECK(cond, ...)                      \
    do {                                      \
        if (!(cond) && failures++ < 10) {     \
            printf("FAIL: " __VA_ARGS__);     \
            printf("\n");                     \
        }                                     \
    } while (0)

/* Calls through volatile pointers: the compiler may not replace them by its
 * own inline code, so the library's functions are what is tested. */
static void *(*volatile p_memcpy)(void *restrict, const void *restrict, size_t) = memcpy;
static void *(*volatile p_memmove)(void *, const void *, size_t) = memmove;
static void *(*volatile p_memset)(void *, int, size_t) = memset;
static int (*volatile p_memcmp)(const void *, const void *, size_t) = memcmp;
static size_t (*volatile p_strlen)(const char *) = strlen;
static int (*volatile p_strcmp)(const char *, const char *) = strcmp;

static uint32_t rng = 12345;
static unsigned char rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return (unsigned char)(rng >> 16);
}

static int sign(int v) { return (v > 0) - (v < 0); }

static int ref_memcmp(const unsigned char *a, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] - b[i];
    return 0;
}

static int ref_strcmp(const unsigned char *a, const unsigned char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a - *b;
}

enum { BUF = 40000 };
static unsigned char src[BUF], dst[BUF], ref[BUF], tmp[BUF];

static void fill(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = rnd();
}

static void test_copies(size_t n, size_t so, size_t dof)
{
    fill(src, n + 64);
    fill(dst, n + 64);
    for (size_t i = 0; i < n + 64; i++)
        ref[i] = dst[i];
    for (size_t i = 0; i < n; i++)
        ref[dof + i] = src[so + i];
    CHECK(p_memcpy(dst + dof, src + so, n) == dst + dof, "memcpy's return");
    CHECK(!ref_memcmp(dst, ref, n + 64), "memcpy n=%zu src+%zu dst+%zu", n, so, dof);

    /* Overlapping memmove inside one buffer, both directions. */
    fill(dst, n + 64);
    for (size_t i = 0; i < n + 64; i++)
        ref[i] = dst[i];
    for (size_t i = 0; i < n; i++)
        tmp[i] = ref[so + i];
    for (size_t i = 0; i < n; i++)
        ref[dof + i] = tmp[i];
    p_memmove(dst + dof, dst + so, n);
    CHECK(!ref_memcmp(dst, ref, n + 64), "memmove n=%zu from +%zu to +%zu", n, so, dof);

    int c = rnd();
    for (size_t i = 0; i < n; i++)
        ref[dof + i] = (unsigned char)c;
    p_memset(dst + dof, c, n);
    CHECK(!ref_memcmp(dst, ref, n + 64), "memset n=%zu +%zu", n, dof);

    /* memcmp: equal, then one byte changed at a random place. */
    CHECK(p_memcmp(dst, ref, n + 64) == 0, "memcmp of equal buffers n=%zu", n + 64);
    if (n) {
        size_t k = dof + rnd() % n;
        ref[k] ^= (unsigned char)(1 + rnd() % 255);
        CHECK(sign(p_memcmp(dst + dof, ref + dof, n)) ==
              sign(ref_memcmp(dst + dof, ref + dof, n)), "memcmp n=%zu diff at %zu", n,
              k - dof);
    }
}

static void test_strings_at_page_end(unsigned char *a, unsigned char *b, size_t page)
{
    for (size_t len = 0; len < 200; len++) {
        for (int t = 0; t < 8; t++) {
            /* a: ends right before the guard page; b: at a random offset. */
            unsigned char *s = a + page - len - 1;
            unsigned char *u = b + page - len - 1 - (t & 1 ? rnd() % 64 : 0);
            for (size_t i = 0; i < len; i++)
                s[i] = (unsigned char)(1 + rnd() % 3 + (t & 2 ? 0x7d : 0));
            s[len] = 0;
            for (size_t i = 0; i <= len; i++)
                u[i] = s[i];
            if (len && (t & 4))
                u[rnd() % len] = rnd() % 4 ? (unsigned char)(1 + rnd()) : 0;
            CHECK(p_strlen((char *)s) == len, "strlen %zu", len);
            CHECK(sign(p_strcmp((char *)s, (char *)u)) == sign(ref_strcmp(s, u)),
                  "strcmp len=%zu", len);
            CHECK(sign(p_strcmp((char *)u, (char *)s)) == sign(ref_strcmp(u, s)),
                  "strcmp (swapped) len=%zu", len);
        }
    }
}

int main(void)
{
    for (size_t n = 0; n <= 300; n++)
        test_copies(n, rnd() % 16, rnd() % 16);
    size_t big[] = {1000, 4095, 4096, 4097, 8191, 20000, 39000 - 64};
    for (size_t i = 0; i < sizeof big / sizeof *big; i++)
        for (int k = 0; k < 4; k++)
            test_copies(big[i] - (size_t)(k & 1), rnd() % 64, rnd() % 64);

    /* Two pages each followed by a PROT_NONE one. */
    size_t page = 4096;
    unsigned char *m = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED, "mmap");
    if (m != MAP_FAILED) {
        CHECK(mprotect(m + page, page, PROT_NONE) == 0, "mprotect");
        CHECK(mprotect(m + 3 * page, page, PROT_NONE) == 0, "mprotect");
        test_strings_at_page_end(m, m + 2 * page, page);
    }
    if (failures)
        return 1;
    printf("SUCCESS\n");
    return 0;
}
