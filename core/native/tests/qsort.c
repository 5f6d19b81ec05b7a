/*
 * qsort.c — the core's qsort/qsort_r (core/native/libc/qsort.c): sorted
 * output for many sizes and element widths, stability, qsort_r's argument,
 * and the same multiset of elements before and after.
 * EXPECT-STATUS: 0
 * EXPECT-OUTPUT: SUCCESS
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

struct rec {                    /* key first; seq records the original order */
    int32_t key;
    uint32_t seq;
    char pad[16];
};

static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static int cmp_u64_r(const void *a, const void *b, void *arg)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    ++*(long *)arg;
    return (x > y) - (x < y);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    int ok = 1;
    static const size_t sizes[] = { 0, 1, 2, 3, 7, 8, 9, 16, 17, 100, 1000, 4097, 100000 };
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0] && ok; si++) {
        size_t n = sizes[si];
        int *v = malloc((n + 1) * sizeof *v);
        long long sum = 0, sum2 = 0;
        for (size_t i = 0; i < n; i++) {
            v[i] = (int)(next() % (n < 50 ? 5 : 1000003)) - 100;
            sum += v[i];
        }
        qsort(v, n, sizeof *v, cmp_int);
        for (size_t i = 0; i < n; i++) {
            sum2 += v[i];
            if (i && v[i - 1] > v[i]) {
                printf("FAIL: ints of %zu not sorted at %zu\n", n, i);
                ok = 0;
                break;
            }
        }
        if (sum != sum2) {
            printf("FAIL: ints of %zu changed\n", n);
            ok = 0;
        }
        free(v);

        struct rec *r = malloc((n + 1) * sizeof *r);
        for (size_t i = 0; i < n; i++) {
            r[i].key = (int32_t)(next() % 17);
            r[i].seq = (uint32_t)i;
            memset(r[i].pad, (int)i, sizeof r[i].pad);
        }
        qsort(r, n, sizeof *r, cmp_rec);
        for (size_t i = 1; i < n && ok; i++) {
            if (r[i - 1].key > r[i].key
                || (r[i - 1].key == r[i].key && r[i - 1].seq > r[i].seq)) {
                printf("FAIL: records of %zu not sorted stably at %zu\n", n, i);
                ok = 0;
            }
            if (r[i].pad[15] != (char)r[i].seq) {
                printf("FAIL: record %zu torn\n", i);
                ok = 0;
            }
        }
        free(r);

        uint64_t *u = malloc((n + 1) * sizeof *u);
        for (size_t i = 0; i < n; i++)
            u[i] = next();
        long calls = 0;
        qsort_r(u, n, sizeof *u, cmp_u64_r, &calls);
        for (size_t i = 1; i < n && ok; i++)
            if (u[i - 1] > u[i]) {
                printf("FAIL: qsort_r of %zu not sorted at %zu\n", n, i);
                ok = 0;
            }
        if (n > 1 && calls == 0) {
            printf("FAIL: qsort_r never passed its argument\n");
            ok = 0;
        }
        free(u);
    }
    if (ok)
        printf("SUCCESS\n");
    return ok ? 0 : 1;
}
