/*
 * realloc.c — realloc that grows large blocks in place, in front of mimalloc.
 *
 * A buffer grown by realloc (a string builder, a vector, a file read into
 * memory) moves on every growth in mimalloc: a new block, a copy, the old
 * block freed. Each move touches fresh pages, and a guest pays for the first
 * touch of a page far more than a process does (the host populates it: ~2-30
 * µs per 4 KiB here, PLATFORM.md). glibc grows such blocks without copying
 * (mremap); bench/libc.py's string building touched 2.5x the memory glibc
 * did and its time followed the host's page costs.
 *
 * So a block that realloc grows past GROW_FROM becomes a "growable" block:
 * its own mapping (header + data), which later growth extends in place with
 * mmap(MAP_FIXED_NOREPLACE) over the pages right after it — RAM the core's
 * vm layer hands out only if they are free — and moves (one copy) only when
 * they are taken. free, realloc, malloc_usable_size and the other calls that
 * take a pointer recognise growable blocks by a table of their addresses and
 * hand every other pointer to mimalloc, whose own definitions of these names
 * are made weak when it is built (core/toolchain/mimalloc.py).
 *
 * One vCPU and no threads in a guest: no locking.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <unik/kernel.h>
#include <unik/linux.h>

void *mi_malloc(size_t size);
void *mi_realloc(void *p, size_t newsize);
void mi_free(void *p);
size_t mi_usable_size(const void *p);

#define PAGE 4096ul
#define HEAD 16ul                       /* header before the data: keeps 16-byte alignment */
#define GROW_FROM (1ul << 20)           /* realloc growth to this size makes a growable block */
#define SHRINK_BELOW (GROW_FROM / 4)    /* a growable block shrunk below this goes back */
#define EXTEND_STEP (64ul << 10)        /* in-place growth in steps of at least this */

struct head {
    size_t map_len;                     /* bytes mapped, header included */
    size_t magic;
};
#define MAGIC 0x756e696b67726f77ull     /* "unikgrow": for whoever reads a dump */
#define MAP_PRIVATE_ 0x02

/* ---- the table of growable blocks (open addressing, keys = data pointers) ---- */

static uintptr_t *table;
static size_t table_cap, table_used, table_dead;
/* Every growable block ever made lies in [lowest, highest): a pointer
 * outside is mimalloc's without a look at the table (most are: mimalloc's
 * segments and growable blocks are apart in RAM). */
static uintptr_t lowest = UINTPTR_MAX, highest;
#define DEAD ((uintptr_t)1)

static size_t slot_of(uintptr_t p, size_t cap)
{
    return (size_t)((p >> 12) * 0x9E3779B97F4A7C15ull >> 17) & (cap - 1);
}

static void *map(size_t len)
{
    long r = vm_mmap(0, len, L_PROT_READ | L_PROT_WRITE, L_MAP_ANONYMOUS | MAP_PRIVATE_, -1, 0);
    return r < 0 ? NULL : (void *)(uintptr_t)r;
}

static int table_grow(void)
{
    size_t cap = table_cap ? table_cap * 2 : 512;
    if (table_used - table_dead < table_cap / 4)
        cap = table_cap;                /* mostly dead entries: rebuild at the same size */
    uintptr_t *t = map(cap * sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < table_cap; i++) {
        uintptr_t p = table[i];
        if (p > DEAD) {
            size_t s = slot_of(p, cap);
            while (t[s])
                s = (s + 1) & (cap - 1);
            t[s] = p;
        }
    }
    if (table)
        vm_munmap((uintptr_t)table, table_cap * sizeof *table);
    table = t;
    table_cap = cap;
    table_used -= table_dead;
    table_dead = 0;
    return 0;
}

static int table_add(uintptr_t p)
{
    if ((table_used + 1) * 4 > table_cap * 3 && table_grow())
        return -1;
    size_t s = slot_of(p, table_cap);
    while (table[s] > DEAD)
        s = (s + 1) & (table_cap - 1);
    if (!table[s])
        table_used++;
    else
        table_dead--;
    table[s] = p;
    return 0;
}

/* The slot that holds p, or -1. */
static long table_find(uintptr_t p)
{
    if (!table_used)
        return -1;
    for (size_t s = slot_of(p, table_cap);; s = (s + 1) & (table_cap - 1)) {
        if (table[s] == p)
            return (long)s;
        if (!table[s])
            return -1;
    }
}

static void table_remove(long slot)
{
    table[slot] = DEAD;
    table_dead++;
}

/* Is p a growable block? Data pointers sit HEAD bytes into a page, so most
 * pointers are told apart without a look at the table. */
static inline long growable(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    if ((a & (PAGE - 1)) != HEAD || a < lowest || a >= highest)
        return -1;
    return table_find(a);
}

static inline struct head *head_of(void *p)
{
    return (struct head *)((char *)p - HEAD);
}

static inline size_t usable(void *p)
{
    return head_of(p)->map_len - HEAD;
}

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) & ~(to - 1);
}

/* ---- growable blocks ---- */

/* A new growable block of at least n bytes holding the first `keep` bytes of old. */
static void *grow_new(const void *old, size_t keep, size_t n)
{
    if (n > SIZE_MAX - HEAD - PAGE)
        return NULL;
    size_t len = round_up(n + HEAD, PAGE);
    struct head *h = map(len);
    if (!h)
        return NULL;
    h->map_len = len;
    h->magic = MAGIC;
    void *p = (char *)h + HEAD;
    if (table_add((uintptr_t)p)) {
        vm_munmap((uintptr_t)h, len);
        return NULL;
    }
    if ((uintptr_t)p < lowest)
        lowest = (uintptr_t)p;
    if ((uintptr_t)p + 1 > highest)
        highest = (uintptr_t)p + 1;
    if (keep)
        __builtin_memcpy(p, old, keep);
    return p;
}

static void grow_free(void *p, long slot)
{
    struct head *h = head_of(p);
    table_remove(slot);
    vm_munmap((uintptr_t)h, h->map_len);
}

/* Resize a growable block: in place when the pages after it are free, else moved. */
static void *grow_resize(void *p, long slot, size_t n)
{
    struct head *h = head_of(p);
    size_t have = h->map_len - HEAD;
    if (n < SHRINK_BELOW) {             /* small again: back to mimalloc */
        void *q = mi_malloc(n);
        if (!q)
            return NULL;
        __builtin_memcpy(q, p, n);
        grow_free(p, slot);
        return q;
    }
    if (n > SIZE_MAX - HEAD - PAGE)
        return NULL;
    size_t want = round_up(n + HEAD, PAGE);
    if (n <= have) {                    /* shrink: give back whole pages past the end */
        if (want + EXTEND_STEP <= h->map_len) {
            vm_munmap((uintptr_t)h + want, h->map_len - want);
            h->map_len = want;
        }
        return p;
    }
    size_t step = want - h->map_len;
    if (step < EXTEND_STEP)
        step = EXTEND_STEP;
    uintptr_t end = (uintptr_t)h + h->map_len;
    long r = vm_mmap(end, step, L_PROT_READ | L_PROT_WRITE,
                     L_MAP_ANONYMOUS | MAP_PRIVATE_ | L_MAP_FIXED_NOREPLACE, -1, 0);
    if (r == (long)end) {
        h->map_len += step;
        return p;
    }
    void *q = grow_new(p, have, n);
    if (q)
        grow_free(p, slot);
    return q;
}

/* ---- the malloc-family entry points that take a pointer ---- */

void free(void *p)
{
    long slot = growable(p);
    if (slot < 0)
        mi_free(p);
    else
        grow_free(p, slot);
}

void *realloc(void *p, size_t n)
{
    long slot = growable(p);
    if (slot >= 0) {
        void *q = grow_resize(p, slot, n ? n : 1);
        if (!q)
            errno = ENOMEM;
        return q;
    }
    if (p && n >= GROW_FROM) {
        size_t have = mi_usable_size(p);
        if (n > have) {
            void *q = grow_new(p, have, n);
            if (q) {
                mi_free(p);
                return q;
            }
        }
    }
    return mi_realloc(p, n);
}

void *reallocarray(void *p, size_t m, size_t n)
{
    if (n && m > SIZE_MAX / n) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, m * n);
}

/* BSD: like realloc, but p is freed when it fails. */
void *reallocf(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q && p && n)
        free(p);
    return q;
}

/* NetBSD: *pp resized to m*n bytes; 0, or an errno value with *pp unchanged. */
int reallocarr(void *pp, size_t m, size_t n)
{
    void *old;
    __builtin_memcpy(&old, pp, sizeof old);
    if (n && m > SIZE_MAX / n)
        return EOVERFLOW;
    if (!m || !n) {
        free(old);
        old = NULL;
        __builtin_memcpy(pp, &old, sizeof old);
        return 0;
    }
    void *q = realloc(old, m * n);
    if (!q)
        return ENOMEM;
    __builtin_memcpy(pp, &q, sizeof q);
    return 0;
}

size_t malloc_usable_size(void *p)
{
    long slot = growable(p);
    return slot < 0 ? mi_usable_size(p) : usable(p);
}

size_t malloc_size(const void *p)
{
    return malloc_usable_size((void *)p);
}

void cfree(void *p)
{
    free(p);
}

void vfree(void *p)
{
    free(p);
}
