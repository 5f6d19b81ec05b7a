/*
 * The tracing GC of the Python runtime: mark-and-sweep, non-moving.
 *
 * Small objects (up to 256 bytes, nearly all of them) live in 64 KiB blocks of
 * one size class each, with an allocation bitmap: a word on a stack is a pointer
 * to an object when its block is one of ours and its slot is allocated, and the
 * sweep walks the bitmaps block by block. Larger objects are malloc'd, threaded
 * on one list and found through a hash set of their addresses. Roots are found
 * conservatively (the C stack, the stacks of generators, frames).
 * Children are traced precisely through Type.trace. A collection runs when the
 * bytes allocated since the last one exceed the live bytes after it (at least
 * 4 MiB), so a program's heap stays within about twice its live data.
 */
#include <stdio.h>
#include <stdlib.h>

#include "pyrt.h"

/* A large object: malloc'd with a link to the next one before it. */
typedef struct Big {
    struct Big *next;
    uint64_t pad;       /* keeps the object 16-byte aligned */
    Obj obj[];
} Big;
static Big *bigs;
static uintptr_t *objset;          /* open addressing; 0 empty, 1 deleted */
static size_t objset_cap, objset_used, objset_tomb;
static uintptr_t addr_lo = UINTPTR_MAX, addr_hi;
static size_t allocated_since, threshold = 4u << 20, live_bytes;
static uint32_t epoch = 1;
static void **roots[4096];
static size_t nroots;
static int64_t *introots[4096];
static size_t nintroots;
static void *stack_bottom;
static Obj **markstack;
void rt_gc_account(size_t bytes) { allocated_since += bytes; }
static size_t markstack_len, markstack_cap;
static bool collecting;

extern Gen *rt_cur_gen;

static size_t hash_ptr(uintptr_t p) {
    uint64_t h = p >> 4;      /* a mix whose low bits depend on every bit of the address */
    h ^= h >> 17;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
    return (size_t)h;
}

static void objset_insert(uintptr_t p) {
    size_t mask = objset_cap - 1, i = hash_ptr(p) & mask;
    while (objset[i] > 1) i = (i + 1) & mask;
    objset[i] = p;
    objset_used++;
}

static void objset_rebuild(size_t cap) {
    free(objset);
    objset_cap = cap;
    objset = calloc(cap, sizeof *objset);
    if (!objset) {
        fputs("MemoryError: out of memory (GC object table)\n", stderr);
        rt_exit(1);
    }
    objset_used = objset_tomb = 0;
    for (Big *b = bigs; b; b = b->next) objset_insert((uintptr_t)b->obj);
}

/* A dead object's slot becomes a tombstone (1): the table is rebuilt only when
 * tombstones pile up, so a collection costs O(dead), not O(live). */
static void objset_remove(uintptr_t p) {
    size_t mask = objset_cap - 1, i = hash_ptr(p) & mask;
    while (objset[i]) {
        if (objset[i] == p) {
            objset[i] = 1;
            objset_used--;
            objset_tomb++;
            return;
        }
        i = (i + 1) & mask;
    }
}

static bool objset_has(uintptr_t p) {
    if (!objset_cap || (p & 7) || p < addr_lo || p > addr_hi) return false;
    size_t mask = objset_cap - 1, i = hash_ptr(p) & mask;
    while (objset[i]) {
        if (objset[i] == p) return true;
        i = (i + 1) & mask;
    }
    return false;
}


/* ---- small objects: size-class blocks ---- */
#define BLOCK_SIZE 65536u
#define NCLASS 16                   /* 16, 32, …, 256 bytes */
#define MAXSMALL (NCLASS * 16)

typedef struct Block {
    struct Block *next;             /* all blocks of this class */
    uint32_t size, nobj, nfree;
    uint32_t bump;                  /* slots from here on were never used: no page touched */
    void *freelist;
    char *data;
    uint64_t used[BLOCK_SIZE / 16 / 64];
} Block;

static Block *classes[NCLASS];      /* blocks of each class */
static Block *current[NCLASS];      /* where allocation of each class looks first */
static Block *tails[NCLASS];        /* new blocks go last: allocation moves forward */
static uintptr_t *blockset;         /* open addressing set of block addresses */
static size_t blockset_cap, nblocks;

static size_t hash_block(uintptr_t b) { return (size_t)((b >> 16) * 0x9E3779B97F4A7C15ull >> 20); }

static void blockset_add(uintptr_t b) {
    if ((nblocks + 1) * 2 > blockset_cap) {
        size_t cap = blockset_cap ? blockset_cap * 2 : 64;
        uintptr_t *nb = calloc(cap, sizeof *nb);
        if (!nb) { fputs("MemoryError: out of memory\n", stderr); rt_exit(1); }
        for (size_t i = 0; i < blockset_cap; i++) {
            if (!blockset[i]) continue;
            size_t j = hash_block(blockset[i]) & (cap - 1);
            while (nb[j]) j = (j + 1) & (cap - 1);
            nb[j] = blockset[i];
        }
        free(blockset);
        blockset = nb;
        blockset_cap = cap;
    }
    size_t j = hash_block(b) & (blockset_cap - 1);
    while (blockset[j]) j = (j + 1) & (blockset_cap - 1);
    blockset[j] = b;
    nblocks++;
}

static bool blockset_has(uintptr_t b) {
    if (!blockset_cap) return false;
    size_t j = hash_block(b) & (blockset_cap - 1);
    while (blockset[j]) {
        if (blockset[j] == b) return true;
        j = (j + 1) & (blockset_cap - 1);
    }
    return false;
}

/* Blocks are carved 16 at a time out of one malloc'd region (aligned_alloc of each
 * would waste up to a block per block in musl's malloc). */
#define BLOCKS_PER_CHUNK 16
static char *chunk_next, *chunk_end;

static Block *grab_block(void) {
    if (chunk_next == chunk_end) {
        char *raw = malloc((size_t)(BLOCKS_PER_CHUNK + 1) * BLOCK_SIZE);
        if (!raw) return NULL;
        rt_gc_account(BLOCKS_PER_CHUNK * BLOCK_SIZE);
        chunk_next = (char *)(((uintptr_t)raw + BLOCK_SIZE - 1) & ~(uintptr_t)(BLOCK_SIZE - 1));
        chunk_end = chunk_next + (size_t)BLOCKS_PER_CHUNK * BLOCK_SIZE;
    }
    Block *b = (Block *)chunk_next;
    chunk_next += BLOCK_SIZE;
    return b;
}

static Block *new_block(int c) {
    Block *b = grab_block();
    if (!b) return NULL;
    memset(b, 0, sizeof *b);
    b->size = (uint32_t)((c + 1) * 16);
    b->data = (char *)b + ((sizeof(Block) + 15) & ~(size_t)15);
    b->nobj = (uint32_t)((BLOCK_SIZE - (size_t)(b->data - (char *)b)) / b->size);
    b->nfree = b->nobj;
    if (tails[c]) tails[c]->next = b;
    else classes[c] = b;
    tails[c] = b;
    blockset_add((uintptr_t)b);
    return b;
}

static void *small_alloc(size_t size) {
    int c = (int)((size + 15) / 16) - 1;
    Block *b = current[c];
    if (!b || (!b->freelist && b->bump == b->nobj)) {
        for (b = b ? b->next : classes[c]; b && !b->freelist && b->bump == b->nobj;
             b = b->next) {}
        if (!b) b = new_block(c);
        if (!b) return NULL;
        current[c] = b;
    }
    void **slot;
    if (b->freelist) {
        slot = b->freelist;
        b->freelist = *slot;
    } else {
        slot = (void **)(b->data + (size_t)b->bump++ * b->size);
    }
    b->nfree--;
    size_t i = (size_t)((char *)slot - b->data) / b->size;
    b->used[i / 64] |= (uint64_t)1 << (i % 64);
    return slot;
}

/* The object a word points into (interior pointers count), or NULL. */
static Obj *small_find(uintptr_t w) {
    uintptr_t base = w & ~(uintptr_t)(BLOCK_SIZE - 1);
    if (!blockset_has(base)) return NULL;
    Block *b = (Block *)base;
    if (w < (uintptr_t)b->data) return NULL;
    size_t i = (w - (uintptr_t)b->data) / b->size;
    if (i >= b->nobj || !(b->used[i / 64] >> (i % 64) & 1)) return NULL;
    return (Obj *)(b->data + i * b->size);
}

static size_t sweep_small(void) {
    size_t live = 0;
    for (int c = 0; c < NCLASS; c++) {
        for (Block *b = classes[c]; b; b = b->next) {
            for (uint32_t w = 0; w * 64 < b->nobj; w++) {
                uint64_t bits = b->used[w];
                while (bits) {
                    int k = __builtin_ctzll(bits);
                    bits &= bits - 1;
                    size_t i = (size_t)w * 64 + (size_t)k;
                    Obj *o = (Obj *)(b->data + i * b->size);
                    if (o->mark == epoch) {
                        live += b->size;   /* (the slot, whatever the object's flags) */
                        continue;
                    }
                    if (o->type->fin) o->type->fin(o);
                    b->used[w] &= ~((uint64_t)1 << k);
                    void **slot = (void **)o;
                    *slot = b->freelist;
                    b->freelist = slot;
                    b->nfree++;
                }
            }
        }
        current[c] = classes[c];
    }
    return live;
}

void rt_gc_root(void *addr) {
    if (nroots < sizeof roots / sizeof roots[0]) roots[nroots++] = addr;
}

void rt_gc_mark(void *p) {
    Obj *o = p;
    if (!o || o->mark == epoch) return;
    o->mark = epoch;
    if (!o->type->trace) return;
    if (markstack_len == markstack_cap) {
        markstack_cap = markstack_cap ? markstack_cap * 2 : 1024;
        markstack = realloc(markstack, markstack_cap * sizeof *markstack);
        if (!markstack) {
            fputs("MemoryError: out of memory (GC mark stack)\n", stderr);
            rt_exit(1);
        }
    }
    markstack[markstack_len++] = o;
}

void rt_gc_mark_val(Val v, int kind) {
    if (kind == RK_OBJ) rt_gc_mark(v.p);
    else if (kind == RK_INT) rt_gc_mark_int(v.i);
}

/* An int that may encode a BigInt (see bigint.c). */
void rt_gc_mark_int(int64_t i) {
    if (RT_BIG(i)) rt_gc_mark((void *)(uintptr_t)((uint64_t)i - (uint64_t)INT64_MIN));
}

void rt_gc_root_int(int64_t *addr) {
    if (nintroots < sizeof introots / sizeof introots[0]) introots[nintroots++] = addr;
}

static void mark_maybe(uintptr_t w) {
    if (RT_BIG((int64_t)w)) w -= (uintptr_t)INT64_MIN;   /* an int holding a BigInt */
    if (w < 4096) return;
    Obj *o = small_find(w);
    if (o) rt_gc_mark(o);
    else if (objset_has(w)) rt_gc_mark((Obj *)w);
}

void rt_gc_scan(const void *lo, const void *hi) {
    const uintptr_t *p = (const uintptr_t *)(((uintptr_t)lo) & ~(uintptr_t)7);
    for (; (const void *)p < hi; p++) mark_maybe(*p);
}

static void drain(void) {
    while (markstack_len) {
        Obj *o = markstack[--markstack_len];
        o->type->trace(o);
    }
}

void rt_gc_scan_contexts(void *sp);

__attribute__((noinline)) static void mark_roots(void) {
    jmp_buf regs;           /* callee-saved registers land here, on the stack */
    setjmp(regs);
    void *sp = &regs;
    rt_gc_scan_contexts(sp);
    for (size_t i = 0; i < nroots; i++) rt_gc_mark(*roots[i]);
    for (size_t i = 0; i < nintroots; i++) rt_gc_mark_int(*introots[i]);
    rt_gc_mark(rt_exc);
}

/* The running stack, then each stack that resumed a generator (see gen.c). */
void rt_gc_scan_contexts(void *sp) {
    Gen *g = rt_cur_gen;
    const void *top = g ? (char *)g->stack + g->stack_size : stack_bottom;
    rt_gc_scan(sp, top);
    for (; g; g = g->resumer) {
        Gen *r = g->resumer;
        const void *rtop = r ? (char *)r->stack + r->stack_size : stack_bottom;
        rt_gc_scan(g->caller_sp, rtop);
        rt_gc_mark(g);
    }
}

void rt_gc_collect(void) {
    if (collecting) return;
    collecting = true;
    epoch++;
    if (epoch == 0) epoch = 2;
    mark_roots();
    drain();
    Big **link = &bigs;
    size_t live = 0, n = 0;
    while (*link) {
        Big *b = *link;
        Obj *o = b->obj;
        if (o->mark != epoch) {
            *link = b->next;
            if (o->type->fin) o->type->fin(o);
            objset_remove((uintptr_t)o);
            free(b);
        } else {
            live += o->flags & 0x7fffffffu;
            n++;
            link = &b->next;
        }
    }
    live += sweep_small();
    live_bytes = live;
    if (objset_tomb * 4 > objset_cap) {
        size_t cap = 1024;
        while (cap < n * 2 + 64) cap *= 2;
        objset_rebuild(cap);
    }
    threshold = live / 2 > (4u << 20) ? live / 2 : (4u << 20);
    allocated_since = 0;
    collecting = false;
}


void *rt_alloc(const Type *t, size_t size) {
    if (allocated_since > threshold) rt_gc_collect();
    if (size <= MAXSMALL) {
        Obj *o = small_alloc(size);
        if (!o) {
            rt_gc_collect();
            o = small_alloc(size);
            if (!o) {
                fputs("MemoryError: out of memory\n", stderr);
                rt_exit(1);
            }
        }
        memset(o, 0, size);
        o->type = t;
        o->flags = (uint32_t)size;
        allocated_since += size;
        return o;
    }
    Big *b = malloc(sizeof(Big) + size);
    if (!b) {
        rt_gc_collect();
        b = malloc(sizeof(Big) + size);
        if (!b) {
            fputs("MemoryError: out of memory\n", stderr);
            rt_exit(1);
        }
    }
    Obj *o = b->obj;
    memset(o, 0, size);
    o->type = t;
    o->flags = (uint32_t)(size > 0x7fffffffu ? 0x7fffffffu : size);
    b->next = bigs;
    bigs = b;
    if ((uintptr_t)o < addr_lo) addr_lo = (uintptr_t)o;
    if ((uintptr_t)o > addr_hi) addr_hi = (uintptr_t)o;
    if ((objset_used + objset_tomb + 1) * 2 > objset_cap) {
        size_t cap = 1024;
        while (cap < (objset_used + 1) * 4) cap *= 2;
        objset_rebuild(cap);     /* includes o */
    } else {
        objset_insert((uintptr_t)o);
    }
    allocated_since += size;
    return o;
}

void rt_gc_set_bottom(void *bottom) { stack_bottom = bottom; }
