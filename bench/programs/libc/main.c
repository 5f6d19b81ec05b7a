/*
 * libc hot paths: malloc/free, qsort and string building, the way ordinary C
 * programs use them. `main TEST [N]` runs one test and prints "TEST_ns T
 * check C" (its own time; C proves the work was done). The same source runs
 * as a unik guest, a glibc process and a static musl process.
 *   trees    binary trees of depth N (default 18): allocate, walk, free
 *   hash     a chained hash table, N (10^6) inserts of strdup'ed keys, lookups, free
 *   qsort    qsort of N (10^6) pseudo-random ints
 *   strings  building N (10^6) short strings: snprintf, strlen, realloc growth
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

struct node {
    struct node *l, *r;
};

static struct node *make(int d)
{
    struct node *n = malloc(sizeof *n);
    if (!n)
        abort();
    n->l = d ? make(d - 1) : NULL;
    n->r = d ? make(d - 1) : NULL;
    return n;
}

static long check(const struct node *n)
{
    return n->l ? 1 + check(n->l) + check(n->r) : 1;
}

static void drop(struct node *n)
{
    if (n->l) {
        drop(n->l);
        drop(n->r);
    }
    free(n);
}

static long trees(long depth)
{
    long sum = 0;
    struct node *longlived = make((int)depth);
    for (long d = 4; d <= depth; d += 2) {
        long iters = 1l << (depth - d + 4);
        for (long i = 0; i < iters; i++) {
            struct node *t = make((int)d);
            sum += check(t);
            drop(t);
        }
    }
    sum += check(longlived);
    drop(longlived);
    return sum;
}

struct entry {
    struct entry *next;
    char *key;
    long value;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

static long hash(long n)
{
    size_t nb = 1024;
    size_t count = 0;
    struct entry **b = calloc(nb, sizeof *b);
    char key[32];
    for (long i = 0; i < n; i++) {
        snprintf(key, sizeof key, "key-%lu", (unsigned long)(next() % (uint64_t)(n * 4)));
        uint64_t h = hash_str(key);
        struct entry *e;
        for (e = b[h & (nb - 1)]; e; e = e->next)
            if (!strcmp(e->key, key))
                break;
        if (e) {
            e->value++;
            continue;
        }
        e = malloc(sizeof *e);
        e->key = strdup(key);
        e->value = 1;
        e->next = b[h & (nb - 1)];
        b[h & (nb - 1)] = e;
        if (++count > nb * 2) {                 /* grow: rehash into twice the buckets */
            struct entry **nbk = calloc(nb * 2, sizeof *nbk);
            for (size_t j = 0; j < nb; j++)
                for (struct entry *x = b[j], *nx; x; x = nx) {
                    nx = x->next;
                    uint64_t hx = hash_str(x->key) & (nb * 2 - 1);
                    x->next = nbk[hx];
                    nbk[hx] = x;
                }
            free(b);
            b = nbk;
            nb *= 2;
        }
    }
    long sum = 0;
    for (size_t j = 0; j < nb; j++)
        for (struct entry *x = b[j], *nx; x; x = nx) {
            nx = x->next;
            sum += x->value;
            free(x->key);
            free(x);
        }
    free(b);
    return sum + (long)count;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static long sort(long n)
{
    int *v = malloc((size_t)n * sizeof *v);
    for (long i = 0; i < n; i++)
        v[i] = (int)(next() >> 33);
    qsort(v, (size_t)n, sizeof *v, cmp_int);
    long bad = 0;
    for (long i = 1; i < n; i++)
        bad += v[i - 1] > v[i];
    long r = bad ? -1 : v[n / 2];
    free(v);
    return r;
}

static long strings(long n)
{
    size_t cap = 16, len = 0;
    char *out = malloc(cap);
    long total = 0;
    for (long i = 0; i < n; i++) {
        char word[48];
        int k = snprintf(word, sizeof word, "%ld:%s;", i, (i & 1) ? "odd" : "even");
        char *copy = strdup(word);              /* short-lived strings, as parsers make */
        total += (long)strlen(copy);
        if (len + (size_t)k + 1 > cap) {
            cap *= 2;
            out = realloc(out, cap);
        }
        memcpy(out + len, copy, (size_t)k + 1);
        len += (size_t)k;
        free(copy);
    }
    total += (long)strlen(out);
    free(out);
    return total;
}

int main(int argc, char **argv)
{
    const char *test = argc > 1 ? argv[1] : "trees";
    long n = argc > 2 ? atol(argv[2]) : 0;
    long r;
    int64_t t0 = now_ns();
    if (!strcmp(test, "trees"))
        r = trees(n ? n : 18);
    else if (!strcmp(test, "hash"))
        r = hash(n ? n : 1000000);
    else if (!strcmp(test, "qsort"))
        r = sort(n ? n : 1000000);
    else if (!strcmp(test, "strings"))
        r = strings(n ? n : 1000000);
    else {
        fprintf(stderr, "unknown test %s\n", test);
        return 2;
    }
    int64_t t1 = now_ns();
    printf("%s_ns %lld check %ld\n", test, (long long)(t1 - t0), r);
    return 0;
}
