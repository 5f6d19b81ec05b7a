/*
 * string.c — memcpy, memmove, memset, memcmp, strlen and strcmp in place of musl's.
 *
 * musl's are portable: memcpy is `rep movsq` for any size from 8 bytes (its
 * start-up costs more than a short copy) plus single-byte moves, strlen
 * reads a word at a time, strcmp and memcmp a byte at a time. Programs spend
 * much of their libc time on short strings and small copies (hash-table
 * keys, strdup, realloc growth, formatted output), where glibc's SSE/AVX
 * versions were 1.5-3x faster (bench/libc.py). These use SSE2, which every
 * x86-64 CPU has, 16 bytes at a time:
 *  - copies and fills of up to 64 bytes are two or four possibly overlapping
 *    moves (every load before any store, so memmove shares them); longer
 *    ones loop over 64-byte blocks, with the head and tail loaded first
 *    (memmove: direction by overlap); from REP_FROM bytes on `rep movsq` /
 *    `rep stosq`, fast for large sizes on hardware and 8x fewer steps than
 *    the byte forms where they are emulated;
 *  - strlen and strcmp never read past the end of a string's page: strlen
 *    reads aligned blocks, strcmp reads 16 bytes only when neither string
 *    is within 16 bytes of a page end (else one byte at a time).
 * The core is compiled with -fno-builtin and no loop here is a plain
 * byte copy or fill that GCC could turn back into a call to these.
 */
#include <stddef.h>
#include <stdint.h>

typedef char v16 __attribute__((vector_size(16), may_alias));
typedef char v16u __attribute__((vector_size(16), aligned(1), may_alias));
typedef uint64_t u64u __attribute__((aligned(1), may_alias));
typedef uint32_t u32u __attribute__((aligned(1), may_alias));
typedef uint16_t u16u __attribute__((aligned(1), may_alias));

#define REP_FROM 4096           /* rep movsq / stosq from this size on */
#define PAGE 4096

static inline v16 ld(const unsigned char *p) { return *(const v16u *)p; }
static inline void st(unsigned char *p, v16 v) { *(v16u *)p = v; }
static inline unsigned mask(v16 v) { return (unsigned)__builtin_ia32_pmovmskb128(v); }

/* n <= 64, every load before a store: also right for overlapping buffers. */
static inline void copy_small(unsigned char *d, const unsigned char *s, size_t n)
{
    if (n >= 16) {
        if (n <= 32) {
            v16 a = ld(s), b = ld(s + n - 16);
            st(d, a);
            st(d + n - 16, b);
        } else {
            v16 a = ld(s), b = ld(s + 16), c = ld(s + n - 32), e = ld(s + n - 16);
            st(d, a);
            st(d + 16, b);
            st(d + n - 32, c);
            st(d + n - 16, e);
        }
    } else if (n >= 8) {
        uint64_t a = *(const u64u *)s, b = *(const u64u *)(s + n - 8);
        *(u64u *)d = a;
        *(u64u *)(d + n - 8) = b;
    } else if (n >= 4) {
        uint32_t a = *(const u32u *)s, b = *(const u32u *)(s + n - 4);
        *(u32u *)d = a;
        *(u32u *)(d + n - 4) = b;
    } else if (n >= 2) {
        uint16_t a = *(const u16u *)s, b = *(const u16u *)(s + n - 2);
        *(u16u *)d = a;
        *(u16u *)(d + n - 2) = b;
    } else if (n) {
        *d = *s;
    }
}

/* n > 64, forward in 64-byte blocks; the last 64 bytes were loaded before
 * the loop (a forward memmove may overwrite them), stored after it. */
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
    v16 t0 = ld(s + n - 64), t1 = ld(s + n - 48), t2 = ld(s + n - 32), t3 = ld(s + n - 16);
    size_t i = 0;
    for (; i + 64 < n; i += 64) {
        v16 a = ld(s + i), b = ld(s + i + 16), c = ld(s + i + 32), e = ld(s + i + 48);
        st(d + i, a);
        st(d + i + 16, b);
        st(d + i + 32, c);
        st(d + i + 48, e);
    }
    st(d + n - 64, t0);
    st(d + n - 48, t1);
    st(d + n - 32, t2);
    st(d + n - 16, t3);
}

/* n > 64, backward (dst above an overlapping src): the first 64 bytes first. */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
    v16 h0 = ld(s), h1 = ld(s + 16), h2 = ld(s + 32), h3 = ld(s + 48);
    size_t i = n;
    for (; i > 64; i -= 64) {
        v16 a = ld(s + i - 64), b = ld(s + i - 48), c = ld(s + i - 32), e = ld(s + i - 16);
        st(d + i - 16, e);
        st(d + i - 32, c);
        st(d + i - 48, b);
        st(d + i - 64, a);
    }
    st(d, h0);
    st(d + 16, h1);
    st(d + 32, h2);
    st(d + 48, h3);
}

/* n >= 8, no overlap: whole quadwords with `rep movsq`, then the last 8
 * bytes (overlapping). Quadwords, not `rep movsb`: as fast on hardware, and
 * 8x fewer steps where the instruction is emulated (the runner's software
 * CPU, QEMU's TCG). */
static inline void rep_movsq(unsigned char *d, const unsigned char *s, size_t n)
{
    uint64_t last = *(const u64u *)(s + n - 8);
    unsigned char *tail = d + n - 8;
    size_t q = n >> 3;
    __asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(q) : : "memory");
    *(u64u *)tail = last;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (n <= 64)
        copy_small(d, s, n);
    else if (n < REP_FROM)
        copy_forward(d, s, n);
    else
        rep_movsq(d, s, n);
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (n <= 64)
        copy_small(d, s, n);
    else if ((uintptr_t)d - (uintptr_t)s >= n) {  /* dst below src, or apart: forward */
        if (n >= REP_FROM && (uintptr_t)s - (uintptr_t)d >= n)
            rep_movsq(d, s, n);                     /* no overlap at all */
        else
            copy_forward(d, s, n);
    } else
        copy_backward(d, s, n);
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    uint64_t w = (unsigned char)c * 0x0101010101010101ull;
    if (n <= 16) {
        if (n >= 8) {
            *(u64u *)d = w;
            *(u64u *)(d + n - 8) = w;
        } else if (n >= 4) {
            *(u32u *)d = (uint32_t)w;
            *(u32u *)(d + n - 4) = (uint32_t)w;
        } else if (n >= 2) {
            *(u16u *)d = (uint16_t)w;
            *(u16u *)(d + n - 2) = (uint16_t)w;
        } else if (n) {
            *d = (unsigned char)c;
        }
        return dst;
    }
    if (n >= REP_FROM) {
        void *p = d;
        size_t q = n >> 3;
        __asm__ volatile("rep stosq" : "+D"(p), "+c"(q) : "a"(w) : "memory");
        *(u64u *)(d + n - 8) = w;
        return dst;
    }
    v16 v = (v16){0} + (char)c;
    st(d, v);
    st(d + n - 16, v);
    if (n <= 32)
        return dst;
    st(d + 16, v);
    st(d + n - 32, v);
    for (size_t i = 32; i + 32 < n; i += 32) {
        st(d + i, v);
        st(d + i + 16, v);
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        unsigned m = mask(ld(x + i) == ld(y + i)) ^ 0xFFFF;
        if (m) {
            i += (unsigned)__builtin_ctz(m);
            return x[i] - y[i];
        }
    }
    for (; i < n; i++)
        if (x[i] != y[i])
            return x[i] - y[i];
    return 0;
}

size_t strlen(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    uintptr_t off = (uintptr_t)s & 15;
    const unsigned char *p = s - off;           /* aligned: never crosses a page */
    v16 zero = {0};
    unsigned m = mask(ld(p) == zero) >> off;
    if (m)
        return (size_t)__builtin_ctz(m);
    for (;;) {
        p += 16;
        m = mask(*(const v16 *)p == zero);
        if (m)
            return (size_t)(p - s) + (size_t)__builtin_ctz(m);
    }
}

static inline int near_page_end(const unsigned char *p)
{
    return ((uintptr_t)p & (PAGE - 1)) > PAGE - 16;
}

int strcmp(const char *l, const char *r)
{
    const unsigned char *a = (const unsigned char *)l, *b = (const unsigned char *)r;
    v16 zero = {0};
    for (;;) {
        if (near_page_end(a) || near_page_end(b)) {
            /* One byte at a time until both can be read 16 at a time. */
            for (int k = 0; k < 16; k++, a++, b++)
                if (*a != *b || !*a)
                    return *a - *b;
            continue;
        }
        v16 va = ld(a), vb = ld(b);
        unsigned m = (mask(va == vb) ^ 0xFFFF) | mask(va == zero);
        if (m) {
            unsigned i = (unsigned)__builtin_ctz(m);
            return a[i] - b[i];
        }
        a += 16;
        b += 16;
    }
}
