/* unik compare's hashmap (core/compare/spec.py): C has no hash table of its
 * own, so this is a small open-addressing one (linear probing, tombstones,
 * grown at half full), one for integer keys and one for string keys. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { EMPTY, FULL, GONE };

struct slot {
    uint8_t state;
    long key;          /* the integer, or for string keys an index into keys[] */
    long value;
};

struct map {
    struct slot *slots;
    size_t cap, used, live;    /* used: FULL + GONE slots */
    char **keys;               /* string keys, owned (NULL for an integer map) */
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (p == NULL) {
        fputs("out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static uint64_t hash_int(long k)
{
    uint64_t x = (uint64_t)k * 0x9E3779B97F4A7C15u;
    return x ^ (x >> 29);
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u;      /* FNV-1a */
    while (*s)
        h = (h ^ (uint8_t)*s++) * 1099511628211u;
    return h;
}

static uint64_t hash_of(const struct map *m, long key)
{
    return m->keys ? hash_str(m->keys[key]) : hash_int(key);
}

static int same(const struct map *m, long a, const void *b)
{
    return m->keys ? strcmp(m->keys[a], b) == 0 : a == *(const long *)b;
}

static uint64_t hash_probe(const struct map *m, const void *k)
{
    return m->keys ? hash_str(k) : hash_int(*(const long *)k);
}

static struct slot *find(const struct map *m, const void *k)
{
    size_t mask = m->cap - 1;
    for (size_t i = hash_probe(m, k) & mask;; i = (i + 1) & mask) {
        struct slot *s = &m->slots[i];
        if (s->state == EMPTY)
            return NULL;
        if (s->state == FULL && same(m, s->key, k))
            return s;
    }
}

static void place(struct map *m, long key, long value)
{
    size_t mask = m->cap - 1;
    size_t i = hash_of(m, key) & mask;
    while (m->slots[i].state == FULL)
        i = (i + 1) & mask;
    if (m->slots[i].state == EMPTY)
        m->used++;
    m->slots[i] = (struct slot){FULL, key, value};
    m->live++;
}

static void grow(struct map *m)
{
    struct slot *old = m->slots;
    size_t old_cap = m->cap;
    while (m->cap < 4 * (m->live + 1))
        m->cap *= 2;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    m->used = m->live = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].state == FULL)
            place(m, old[i].key, old[i].value);
    free(old);
}

static void map_init(struct map *m, int strings)
{
    m->cap = 16;
    m->used = m->live = 0;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    m->keys = strings ? xcalloc(1, sizeof(char *)) : NULL;
}

static void replace_int(struct map *m, long key, long value)
{
    struct slot *s = find(m, &key);
    if (s) {
        s->value = value;
        return;
    }
    if (2 * (m->used + 1) > m->cap)
        grow(m);
    place(m, key, value);
}

static void remove_int(struct map *m, long key)
{
    struct slot *s = find(m, &key);
    if (s) {
        s->state = GONE;
        m->live--;
    }
}

static void replace_str(struct map *m, const char *key, long value, long *nkeys)
{
    struct slot *s = find(m, key);
    if (s) {
        s->value = value;
        return;
    }
    if (2 * (m->used + 1) > m->cap)
        grow(m);
    char **keys = realloc(m->keys, (size_t)(*nkeys + 1) * sizeof(char *));
    char *copy = strdup(key);
    if (keys == NULL || copy == NULL) {
        fputs("out of memory\n", stderr);
        exit(1);
    }
    m->keys = keys;
    m->keys[*nkeys] = copy;
    place(m, (*nkeys)++, value);
}

static long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    long t0 = now_ns();
    struct map h, hs;
    long sum = 0, nkeys = 0;
    char key[32];
    map_init(&h, 0);
    for (long round = 1; round <= 10; round++) {
        for (long i = 0; i < n; i++)
            replace_int(&h, i * 7919, i * round);
        for (long i = 0; i < n; i++) {
            long k = i * 7919;
            sum += find(&h, &k)->value;
        }
        for (long i = 0; i < n / 2; i++)
            remove_int(&h, 2 * i * 7919);
    }
    map_init(&hs, 1);
    for (long i = 0; i < n; i++) {
        snprintf(key, sizeof key, "key%ld", i);
        replace_str(&hs, key, i, &nkeys);
    }
    for (long i = 0; i < n; i++) {
        snprintf(key, sizeof key, "key%ld", i);
        sum += find(&hs, key)->value;
    }
    long ns = now_ns() - t0;
    printf("sum %ld, %zu + %zu keys\n", sum, h.live, hs.live);
    printf("compute_ns %ld\n", ns);
    return 0;
}
