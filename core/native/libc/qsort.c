/*
 * qsort.c — qsort and qsort_r in place of musl's: a bottom-up merge sort.
 *
 * musl sorts with smoothsort (in place, no allocation), which makes ~2-3x
 * the comparator calls of a merge sort; with a comparator behind a function
 * pointer those calls are the cost, and sorting 10^6 ints took 4-8x glibc's
 * time (bench/libc.py). This sort makes about n log2 n comparisons, is
 * stable (like glibc's in practice, which programs come to rely on), uses
 * a buffer of n elements (on the stack up to STACK_BUF bytes, else malloc),
 * and falls back to an in-place heapsort when that buffer cannot be had.
 * Elements of 4 and 8 bytes move as words; others with memcpy. (The core is
 * built with -fno-builtin: the fixed-size copies say __builtin_memcpy so
 * that they stay single moves.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RUN 8                   /* runs sorted by insertion before merging */
#define STACK_BUF 1024

typedef int (*cmp_fn)(const void *, const void *);
typedef int (*cmp_r_fn)(const void *, const void *, void *);

struct sorter {
    size_t size;
    cmp_fn cmp;                 /* qsort's comparator, or NULL */
    cmp_r_fn cmp_r;             /* qsort_r's */
    void *arg;
};

static inline int compare(const struct sorter *s, const void *a, const void *b)
{
    return s->cmp ? s->cmp(a, b) : s->cmp_r(a, b, s->arg);
}

static inline void copy(const struct sorter *s, void *dst, const void *src)
{
    switch (s->size) {
    case 4:
        __builtin_memcpy(dst, src, 4);
        break;
    case 8:
        __builtin_memcpy(dst, src, 8);
        break;
    default:
        memcpy(dst, src, s->size);
    }
}

static inline void copy_n(const struct sorter *s, void *dst, const void *src, size_t n)
{
    memcpy(dst, src, n * s->size);
}

static inline void swap(const struct sorter *s, char *a, char *b)
{
    size_t n = s->size;
    if (n == 4) {
        uint32_t t;
        __builtin_memcpy(&t, a, 4);
        __builtin_memcpy(a, b, 4);
        __builtin_memcpy(b, &t, 4);
        return;
    }
    if (n == 8) {
        uint64_t t;
        __builtin_memcpy(&t, a, 8);
        __builtin_memcpy(a, b, 8);
        __builtin_memcpy(b, &t, 8);
        return;
    }
    while (n) {
        char t[64];
        size_t k = n < sizeof t ? n : sizeof t;
        memcpy(t, a, k);
        memcpy(a, b, k);
        memcpy(b, t, k);
        a += k;
        b += k;
        n -= k;
    }
}

/* Insertion sort of base[0..n), moving elements through swaps (n <= RUN). */
static void insertion(const struct sorter *s, char *base, size_t n)
{
    size_t w = s->size;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && compare(s, base + (j - 1) * w, base + j * w) > 0; j--)
            swap(s, base + (j - 1) * w, base + j * w);
}

/* Merge src[lo..mid) and src[mid..hi) into dst[lo..hi); equal keys keep order. */
static void merge(const struct sorter *s, char *dst, const char *src, size_t lo, size_t mid,
                  size_t hi)
{
    size_t w = s->size;
    if (compare(s, src + (mid - 1) * w, src + mid * w) <= 0) {     /* already in order */
        copy_n(s, dst + lo * w, src + lo * w, hi - lo);
        return;
    }
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        if (compare(s, src + j * w, src + i * w) < 0)
            copy(s, dst + k++ * w, src + j++ * w);
        else
            copy(s, dst + k++ * w, src + i++ * w);
    }
    if (i < mid)
        copy_n(s, dst + k * w, src + i * w, mid - i);
    else if (j < hi)
        copy_n(s, dst + k * w, src + j * w, hi - j);
}

static void merge_sort(const struct sorter *s, char *base, size_t n, char *tmp)
{
    for (size_t lo = 0; lo < n; lo += RUN)
        insertion(s, base + lo * s->size, n - lo < RUN ? n - lo : RUN);
    char *src = base, *dst = tmp;
    for (size_t width = RUN; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width, hi = lo + 2 * width;
            if (mid >= n)
                copy_n(s, dst + lo * s->size, src + lo * s->size, n - lo);
            else
                merge(s, dst, src, lo, mid, hi < n ? hi : n);
        }
        char *t = src;
        src = dst;
        dst = t;
    }
    if (src != base)
        copy_n(s, base, src, n);
}

/* In place, no allocation: for when the merge buffer cannot be had. */
static void sift_down(const struct sorter *s, char *base, size_t root, size_t n)
{
    size_t w = s->size;
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && compare(s, base + child * w, base + (child + 1) * w) < 0)
            child++;
        if (compare(s, base + root * w, base + child * w) >= 0)
            return;
        swap(s, base + root * w, base + child * w);
        root = child;
    }
}

static void heap_sort(const struct sorter *s, char *base, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(s, base, i, n);
    for (size_t end = n; end-- > 1;) {
        swap(s, base, base + end * s->size);
        sift_down(s, base, 0, end);
    }
}

static void sort(const struct sorter *s, void *base, size_t n)
{
    if (n < 2 || s->size == 0)
        return;
    if (n <= RUN) {
        insertion(s, base, n);
        return;
    }
    if (n > SIZE_MAX / s->size) {
        heap_sort(s, base, n);
        return;
    }
    size_t bytes = n * s->size;
    _Alignas(16) char stack_buf[STACK_BUF];
    char *tmp = bytes <= sizeof stack_buf ? stack_buf : malloc(bytes);
    if (!tmp) {
        heap_sort(s, base, n);
        return;
    }
    merge_sort(s, base, n, tmp);
    if (tmp != stack_buf)
        free(tmp);
}

void qsort(void *base, size_t n, size_t size, cmp_fn cmp)
{
    struct sorter s = { size, cmp, NULL, NULL };
    sort(&s, base, n);
}

void qsort_r(void *base, size_t n, size_t size, cmp_r_fn cmp, void *arg)
{
    struct sorter s = { size, NULL, cmp, arg };
    sort(&s, base, n);
}
