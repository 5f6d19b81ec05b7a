/*
 * heap.c — per-process heaps and the copying collector.
 *
 * A process allocates from one heap block by bumping htop. When the block is
 * full (BIFs, messages arriving from other processes) words come from heap
 * fragments instead. The collector runs only where the code says how many x
 * registers are live (test_heap, allocate_heap): a Cheney copy of everything
 * reachable from the x registers, the stack, the mailbox and the process's
 * own fields into a fresh block; the old block and all fragments are freed.
 * Literals (the image's literal area) are never copied. Binaries above
 * HEAP_BIN_MAX bytes live off the heap (term.h): the heap holds a 4-word
 * handle, and the collector releases the handles it did not keep.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "vm.h"

#define FWD_MARK make_header(0, 31)   /* in a moved list cell's head */
#define FRAG_MIN 4096

Term *malloc_words(size_t n)
{
    Term *w = malloc((n ? n : 1) * sizeof(Term));
    if (w == NULL)
        fatal("out of memory (%lu words)", (unsigned long)n);
    return w;
}

/*
 * Heap blocks are recycled here instead of going back to malloc: musl hands
 * big blocks back to the "OS" on free, and in the guest every fresh page costs
 * a first touch (~20 µs, PLATFORM.md) — a collection would pay that for its
 * whole to-space each time. Blocks come in power-of-two sizes (in words).
 *
 * Blocks of BLOCK_MAP_LOG and up (2 MiB, a large page) are mappings of
 * their own: address space reserved, then committed, which in the guest
 * takes any free physical pages — first those that freed blocks gave back,
 * already touched — where a malloc (an ordinary mmap) of that size wants one
 * contiguous run of RAM and so never fits in the holes that the smaller
 * blocks before it left. Of them the cache keeps one per size (a nursery and
 * its to-space alternate; a heap that shrank and grows again finds its old
 * size) until a major collection grows an old heap past them
 * (block_release_below): then they are what a growing heap left behind (old
 * heaps of 2, 4, 8, … MiB, each freed after its major collection, and the
 * nurseries of those days), and unmapped, the next, bigger, heaps reuse
 * their pages.
 */
#define BLOCK_MIN_LOG 8
#define BLOCK_CLASSES 40
#define BLOCK_MAP_LOG 18
#define MAP_ALIGN ((size_t)2 << 20)             /* the guest's large pages */
static Term *block_free_list[BLOCK_CLASSES];

static unsigned block_class(size_t words)
{
    unsigned c = BLOCK_MIN_LOG;
    while (((size_t)1 << c) < words)
        c++;
    return c;
}

size_t block_size(size_t words) { return (size_t)1 << block_class(words); }

/* bytes of their own, 2 MiB aligned so that the guest backs them with large pages */
static Term *block_map(size_t bytes)
{
    uint8_t *r = mmap(NULL, bytes + MAP_ALIGN, PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED)
        fatal("out of memory (a heap block of %lu bytes)", (unsigned long)bytes);
    uint8_t *a = (uint8_t *)(((uintptr_t)r + MAP_ALIGN - 1) & ~(uintptr_t)(MAP_ALIGN - 1));
    if (a > r)
        munmap(r, (size_t)(a - r));
    munmap(a + bytes, (size_t)(r + MAP_ALIGN - a));
    if (mprotect(a, bytes, PROT_READ | PROT_WRITE) != 0)
        fatal("out of memory (a heap block of %lu bytes)", (unsigned long)bytes);
    return (Term *)a;
}

Term *block_alloc(size_t words)
{
    unsigned c = block_class(words);
    if (c < BLOCK_CLASSES && block_free_list[c] != NULL) {
        Term *b = block_free_list[c];
        block_free_list[c] = (Term *)b[0];
        return b;
    }
    if (c >= BLOCK_MAP_LOG && c < BLOCK_CLASSES)
        return block_map(((size_t)1 << c) * sizeof(Term));
    return malloc_words((size_t)1 << c);
}

void block_free(Term *b, size_t words)
{
    if (b == NULL)
        return;
    unsigned c = block_class(words);
    if (c >= BLOCK_CLASSES) {
        free(b);
        return;
    }
    if (c >= BLOCK_MAP_LOG && block_free_list[c] != NULL) {
        munmap(b, ((size_t)1 << c) * sizeof(Term));
        return;
    }
    b[0] = (Term)block_free_list[c];
    block_free_list[c] = b;
}

/* unmap the cached big blocks smaller than `words` */
static void block_release_below(size_t words)
{
    for (unsigned c = BLOCK_MAP_LOG; c < BLOCK_CLASSES && ((size_t)1 << c) < words; c++)
        if (block_free_list[c] != NULL) {
            munmap(block_free_list[c], ((size_t)1 << c) * sizeof(Term));
            block_free_list[c] = NULL;
        }
}

int is_literal(Term t)
{
    uintptr_t a = (uintptr_t)(t & ~(Term)7);
    return a >= (uintptr_t)erl_lits && a < (uintptr_t)(erl_lits + erl_lits_len);
}

/* fragments of a block's size are blocks: their pages go where the heaps' go */
#define FRAG_HDR (sizeof(Frag) / sizeof(Term))

static Frag *frag_alloc(size_t size)
{
    Frag *f;
    if (size + FRAG_HDR >= ((size_t)1 << BLOCK_MAP_LOG)) {
        f = (Frag *)block_alloc(size + FRAG_HDR);
    } else {
        f = malloc(sizeof(Frag) + size * sizeof(Term));
        if (f == NULL)
            fatal("out of memory (heap fragment of %lu words)", (unsigned long)size);
    }
    f->size = size;
    return f;
}

void free_frags(Proc *p)
{
    Frag *f = p->frags;
    while (f != NULL) {
        Frag *n = f->next;
        if (f->size + FRAG_HDR >= ((size_t)1 << BLOCK_MAP_LOG))
            block_free((Term *)f, f->size + FRAG_HDR);
        else
            free(f);
        f = n;
    }
    p->frags = NULL;
    p->ftop = p->fend = NULL;
    p->frag_words = 0;
}

Term *halloc(Proc *p, size_t n)
{
    if ((size_t)(p->hend - p->htop) >= n) {
        Term *r = p->htop;
        p->htop += n;
        return r;
    }
    if (p->ftop != NULL && (size_t)(p->fend - p->ftop) >= n) {
        Term *r = p->ftop;
        p->ftop += n;
        return r;
    }
    size_t size = n > FRAG_MIN ? n : FRAG_MIN;
    Frag *f = frag_alloc(size);
    f->next = p->frags;
    p->frags = f;
    p->frag_words += size;
    p->ftop = f->words + n;
    p->fend = f->words + size;
    return f->words;
}

Term make_tuple(Proc *p, size_t n)
{
    Term *t = halloc(p, n + 1);
    t[0] = make_header(n, S_TUPLE);
    return make_boxed(t);
}

Term cons(Proc *p, Term h, Term t)
{
    Term *c = halloc(p, 2);
    c[0] = h;
    c[1] = t;
    return make_cons(c);
}

Term make_float(Proc *p, double d)
{
    union { double d; uint64_t u; } v = {.d = d};
    Term *f = halloc(p, 2);
    f[0] = make_header(1, S_FLOAT);
    f[1] = v.u;
    return make_boxed(f);
}

/* ---- off-heap binaries ---- */

static void offbin_unref(OffBin *o)
{
    if (--o->refc == 0) {
        if (o->reserved)
            munmap(o->data, o->reserved);
        else if (o->data != o->own)
            free(o->data);
        free(o);
    }
}

/* a handle of o on p's heap, on p's off-heap list (o's reference taken) */
static Term refbin_handle(Proc *p, Term *h, OffBin *o, uint64_t bits)
{
    h[0] = make_header(3, S_REFBIN);
    h[1] = bits;
    h[2] = (Term)(uintptr_t)o;
    h[3] = (Term)(uintptr_t)p->mso;
    p->mso = h;
    p->vbin += o->bytes / 8;
    return make_boxed(h);
}

static OffBin *offbin_new(uint64_t cap, uint64_t bits)
{
    /* 8 spare bytes: bit readers may look one byte past the end */
    OffBin *o = malloc(sizeof(OffBin) + cap + 8);
    if (o == NULL)
        fatal("out of memory (a binary of %lu bytes)", (unsigned long)cap);
    o->refc = 1;
    o->bytes = cap;
    o->tip = bits;
    o->data = o->own;
    o->reserved = 0;
    memset(o->data + cap - 1, 0, 9);
    return o;
}

/*
 * Bytes from GROW_MAP on that an append outgrows move once into address
 * space of their own (GROW_RESERVE of it, nothing behind it yet) and then
 * grow where they are, committed 2 MiB at a time: no copy per doubling, and
 * the guest's kernel backs such commits with 2 MiB pages (core/native
 * vm.c), where first touches of fresh 4 KiB pages are hypervisor faults.
 */
#define GROW_MAP (1ull << 20)
#define GROW_RESERVE (1ull << 36)
#define GROW_STEP (2ull << 20)

static int offbin_grow_mapped(OffBin *o, uint64_t cap)
{
    uint64_t want = (cap + 8 + GROW_STEP - 1) & ~(GROW_STEP - 1);
    if (o->reserved == 0) {
        uint8_t *r = mmap(NULL, GROW_RESERVE + GROW_STEP, PROT_NONE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (r == MAP_FAILED)
            return 0;
        /* 2 MiB aligned, the slack given back */
        uint8_t *a = (uint8_t *)(((uintptr_t)r + GROW_STEP - 1) & ~(uintptr_t)(GROW_STEP - 1));
        if (a > r)
            munmap(r, (size_t)(a - r));
        munmap(a + GROW_RESERVE, (size_t)(r + GROW_STEP - a));
        if (mprotect(a, want, PROT_READ | PROT_WRITE) != 0) {
            munmap(a, GROW_RESERVE);
            return 0;
        }
        memcpy(a, o->data, (o->tip + 7) / 8);
        if (o->data != o->own)
            free(o->data);
        o->data = a;
        o->reserved = GROW_RESERVE;
    } else {
        uint64_t have = (o->bytes + 8 + GROW_STEP - 1) & ~(GROW_STEP - 1);
        if (want > o->reserved ||
            (want > have && mprotect(o->data + have, want - have, PROT_READ | PROT_WRITE) != 0))
            fatal("out of memory (a binary of %lu bytes)", (unsigned long)cap);
    }
    o->bytes = want - 8;                /* committed pages are zero: no tail to clear */
    return 1;
}

/* o's bytes with room for at least need (> o->bytes): twice that by realloc
   below GROW_MAP (it may extend them where they are), in a mapping of their
   own above, committed to the next 2 MiB only (growing there costs no copy,
   and pages committed ahead would be zeroed, that is touched, for nothing) */
static void offbin_grow(OffBin *o, uint64_t need)
{
    uint64_t cap = 2 * need;
    if (cap >= GROW_MAP && offbin_grow_mapped(o, need))
        return;
    uint8_t *d;
    if (o->data == o->own) {
        d = malloc(cap + 8);
        if (d != NULL)
            memcpy(d, o->own, (o->tip + 7) / 8);
    } else {
        d = realloc(o->data, cap + 8);
    }
    if (d == NULL)
        fatal("out of memory (a binary of %lu bytes)", (unsigned long)cap);
    memset(d + cap - 1, 0, 9);
    o->data = d;
    o->bytes = cap;
}

/*
 * <<Src/binary, …>> of `total` bits (bs_create_bin's append segment): the
 * result and its bytes. When Src is an off-heap binary (or bitstring) that
 * is its bytes' tip and they have room, the result shares them: *pos is set
 * to Src's size in bits, where the caller writes the other segments (every
 * older binary of those bytes is shorter, so none sees the write; the bits
 * after Src's in its last byte are zero); when they have no room, they grow
 * to twice the size first (as BEAM's writable binaries do: every older
 * binary of them reads its prefix through the same OffBin). Otherwise new
 * bytes with room for as much again (*pos = 0: the caller writes
 * everything). A loop appending to an accumulator is linear, as in BEAM.
 */
Term binary_append(Proc *p, Term src, uint64_t total, uint8_t **out, uint64_t *pos)
{
    uint64_t bytes = (total + 7) / 8;
    Term *b = is_boxed(src) ? box_ptr(src) : NULL;
    if (b != NULL && hdr_subtag(b[0]) == S_REFBIN) {
        OffBin *o = (OffBin *)(uintptr_t)b[2];
        uint64_t sbits = b[1];
        if (o->tip == sbits) {
            if (bytes > o->bytes) {
                uint64_t was = o->bytes;
                offbin_grow(o, bytes);
                p->vbin += (o->bytes - was) / 8;
            }
            Term *h = halloc(p, 4);
            o->refc++;
            o->tip = total;
            h[0] = make_header(3, S_REFBIN);
            h[1] = total;
            h[2] = (Term)(uintptr_t)o;
            h[3] = (Term)(uintptr_t)p->mso;
            p->mso = h;
            p->vbin += (bytes - sbits / 8) / 8;
            *out = o->data;
            *pos = sbits;
            return make_boxed(h);
        }
    }
    OffBin *o = offbin_new(2 * bytes > 256 ? 2 * bytes : 256, total);
    *out = o->data;
    *pos = 0;
    return refbin_handle(p, halloc(p, 4), o, total);
}

void offheap_release(Proc *p)
{
    for (Term *b = p->mso; b != NULL; b = (Term *)(uintptr_t)b[3])
        offbin_unref((OffBin *)(uintptr_t)b[2]);
    p->mso = NULL;
}

Term make_bitstring(Proc *p, const void *data, uint64_t bits)
{
    uint64_t bytes = (bits + 7) / 8;
    if (bytes > HEAP_BIN_MAX) {
        OffBin *o = offbin_new(bytes, bits);
        if (data != NULL)
            memcpy(o->data, data, bytes);
        return refbin_handle(p, halloc(p, 4), o, bits);
    }
    uint64_t w = bin_words(bytes);
    Term *b = halloc(p, 1 + w);
    b[0] = make_header(w, S_BIN);
    b[1] = bits;
    b[w] = 0;        /* the last word's padding */
    if (data != NULL && bytes)
        memcpy(b + 2, data, bytes);
    return make_boxed(b);
}

Term make_binary(Proc *p, const void *data, size_t bytes)
{
    return make_bitstring(p, data, (uint64_t)bytes * 8);
}

/* ---- copying between heaps (messages, spawn, ETS) ---- */

/*
 * Copies go to a process (copy_dest: off-heap binaries are shared, their
 * handles join its list) or to a block of their own (copy_dest NULL: ETS,
 * timers — such binaries are copied onto the block, which has no list).
 */
static Proc *copy_dest;

static size_t tsize(Term t)
{
    size_t n = 0;
    for (;;) {
        if (is_literal(t))
            return n;
        if (is_cons(t)) {
            n += 2 + tsize(CAR(t));
            t = CDR(t);
            continue;
        }
        if (!is_boxed(t))
            return n;
        Term *b = box_ptr(t);
        uint64_t a = hdr_arity(b[0]);
        if (hdr_subtag(b[0]) == S_REFBIN && copy_dest == NULL)
            return n + 1 + bin_words((b[1] + 7) / 8);
        n += 1 + a;
        if (!SUBTAG_SCANNED(hdr_subtag(b[0])) || a == 0)
            return n;
        for (uint64_t i = 1; i < a; i++)
            n += tsize(b[i]);
        t = b[a];
    }
}

size_t term_size(Term t)
{
    copy_dest = current;
    return tsize(t);
}

static Term copy_into(Term t, Term **hp)
{
    if (is_literal(t))
        return t;
    if (is_cons(t)) {
        Term result;
        Term *prev = &result;
        while (is_cons(t) && !is_literal(t)) {
            Term *c = *hp;
            *hp += 2;
            c[0] = copy_into(CAR(t), hp);
            *prev = make_cons(c);
            prev = &c[1];
            t = CDR(t);
        }
        *prev = copy_into(t, hp);
        return result;
    }
    if (!is_boxed(t))
        return t;
    Term *b = box_ptr(t);
    uint64_t a = hdr_arity(b[0]);
    Term *n = *hp;
    if (hdr_subtag(b[0]) == S_REFBIN) {
        OffBin *o = (OffBin *)(uintptr_t)b[2];
        if (copy_dest == NULL) {          /* onto the block */
            uint64_t w = bin_words((b[1] + 7) / 8);
            *hp += 1 + w;
            n[0] = make_header(w, S_BIN);
            n[1] = b[1];
            n[w] = 0;
            memcpy(n + 2, o->data, (b[1] + 7) / 8);
            return make_boxed(n);
        }
        *hp += 4;
        o->refc++;
        return refbin_handle(copy_dest, n, o, b[1]);
    }
    *hp += 1 + a;
    n[0] = b[0];
    if (SUBTAG_SCANNED(hdr_subtag(b[0]))) {
        for (uint64_t i = 1; i <= a; i++)
            n[i] = copy_into(b[i], hp);
    } else {
        memcpy(n + 1, b + 1, a * sizeof(Term));
    }
    return make_boxed(n);
}

Term copy_term(Proc *to, Term t)
{
    copy_dest = to;
    size_t n = tsize(t);
    if (n == 0)
        return t;
    Term *hp = halloc(to, n);
    return copy_into(t, &hp);
}

/* Copy into a block of its own (ETS). */
Term copy_term_block(Term t, Term **block)
{
    copy_dest = NULL;
    size_t n = tsize(t);
    *block = NULL;
    if (n == 0)
        return t;
    Term *hp = malloc_words(n);
    *block = hp;
    return copy_into(t, &hp);
}

/* ---- the collector ---- */

/*
 * Two generations. A minor collection copies what is reachable from the
 * roots out of the young heap and the fragments: what had already survived a
 * collection (below the high-water mark) goes to the old heap, the rest to a
 * fresh young heap; pointers into the old heap are left alone. That is sound
 * because terms are immutable: an object only refers to objects older than
 * itself, so nothing in the old heap refers to the young one. When the old
 * heap has no room for what would be promoted, a major collection copies
 * everything live into a new old heap (sized for as much again) and empties
 * the young heap.
 */
#define NURSERY_MIN 8192       /* words: a process that collects gets at least this */
#define NURSERY_SOFT_MAX (256 * 1024)  /* words (2 MiB): grows more slowly beyond */

static Term *to_top;           /* young destination */
static Term *pro_top;          /* old destination (promotion) */
static Term *keep_lo, *keep_hi;    /* minor: the old heap, not moved */
static Term *pro_lo, *pro_hi;      /* minor: survived once, promoted */

static Term evac(Term t)
{
    if (is_cons(t)) {
        Term *c = cons_ptr(t);
        if ((c >= keep_lo && c < keep_hi) || is_literal(t))
            return t;
        if (c[0] == FWD_MARK)
            return c[1];
        Term **dst = c >= pro_lo && c < pro_hi ? &pro_top : &to_top;
        Term *n = *dst;
        *dst += 2;
        n[0] = c[0];
        n[1] = c[1];
        c[0] = FWD_MARK;
        c[1] = make_cons(n);
        return c[1];
    }
    if (is_boxed(t)) {
        Term *b = box_ptr(t);
        if ((b >= keep_lo && b < keep_hi) || is_literal(t))
            return t;
        if (TAG(b[0]) != T_HEADER)
            return b[0];            /* already moved: the header holds the new address */
        uint64_t size = 1 + hdr_arity(b[0]);
        Term **dst = b >= pro_lo && b < pro_hi ? &pro_top : &to_top;
        Term *n = *dst;
        *dst += size;
        memcpy(n, b, size * sizeof(Term));
        b[0] = make_boxed(n);
        return b[0];
    }
    return t;
}

/* scan [*from, *top) (top moves while scanning); returns whether it did anything */
static int scan(Term **from, Term *const *top)
{
    Term *f = *from;
    if (f >= *top)
        return 0;
    while (f < *top) {
        Term w = *f;
        if (TAG(w) == T_HEADER) {
            uint64_t a = hdr_arity(w);
            if (SUBTAG_SCANNED(hdr_subtag(w)))
                for (uint64_t i = 1; i <= a; i++)
                    f[i] = evac(f[i]);
            f += 1 + a;
        } else {
            f[0] = evac(f[0]);
            f[1] = evac(f[1]);
            f += 2;
        }
    }
    *from = f;
    return 1;
}

static void copy_roots(Proc *p, Term *roots, size_t nroots)
{
    for (size_t i = 0; i < nroots; i++)
        roots[i] = evac(roots[i]);
    for (Term *s = p->E; s < p->stack_hi; s++)
        *s = evac(*s);
    for (Msg *m = p->mq_head; m != NULL; m = m->next)
        m->term = evac(m->term);
    p->dict = evac(p->dict);
    p->fclass = evac(p->fclass);
    p->freason = evac(p->freason);
    p->ftrace = evac(p->ftrace);
    p->exit_reason = evac(p->exit_reason);
}

/*
 * After a copy phase, before its from-space is freed: the off-heap list keeps
 * the handles that were moved (their new copies) or that the collection does
 * not move (the old heap in a minor one); the others died, and so does their
 * reference to the bytes.
 */
static void sweep_offheap(Proc *p)
{
    Term *keep = NULL;
    for (Term *b = p->mso; b != NULL;) {
        Term *next = (Term *)(uintptr_t)b[3], *live = NULL;
        if (b >= keep_lo && b < keep_hi)
            live = b;
        else if (TAG(b[0]) != T_HEADER)
            live = box_ptr(b[0]);           /* moved */
        if (live != NULL) {
            live[3] = (Term)(uintptr_t)keep;
            keep = live;
        } else {
            offbin_unref((OffBin *)(uintptr_t)b[2]);
        }
        b = next;
    }
    p->mso = keep;
}

/* after a collection: the binary words the old heap holds, which call a major
   collection when they pass old_vbin_max (else dead binaries promoted there
   would wait for the old heap to fill up, 4 words each) */
static void count_old_vbin(Proc *p, int major_done)
{
    size_t w = 0;
    for (Term *b = p->mso; b != NULL; b = (Term *)(uintptr_t)b[3])
        if (b >= p->old_heap && b < p->old_htop)
            w += ((OffBin *)(uintptr_t)b[2])->bytes / 8;
    p->old_vbin = w;
    if (major_done || p->old_vbin_max == 0)
        p->old_vbin_max = 2 * w > (1u << 20) ? 2 * w : (1u << 20);
    p->vbin = 0;
}

/* everything live into one block, which becomes the old heap */
static void major(Proc *p, size_t need, Term *roots, size_t nroots)
{
    size_t used = (size_t)(p->htop - p->heap) + p->frag_words +
                  (size_t)(p->old_htop - p->old_heap);
    size_t size = block_size(used + 1);
    Term *to = block_alloc(size);
    keep_lo = keep_hi = pro_lo = pro_hi = NULL;
    to_top = to;
    Term *sc = to;
    copy_roots(p, roots, nroots);
    scan(&sc, &to_top);
    sweep_offheap(p);
    size_t live = (size_t)(to_top - to);
    if (size > 8 * live + 65536) {
        /* far too roomy: once more into a block with room to promote about
           three times what lives before the next major collection */
        size_t want = block_size(4 * live + 4096);
        Term *to2 = block_alloc(want);
        to_top = sc = to2;
        copy_roots(p, roots, nroots);
        scan(&sc, &to_top);
        sweep_offheap(p);
        block_free(to, size);
        to = to2;
        size = want;
    }
    size_t was = (size_t)(p->old_hend - p->old_heap);
    if (size > was)
        block_release_below(was);       /* what the heap outgrew */
    block_free(p->old_heap, was);
    p->old_heap = to;
    p->old_htop = to_top;
    p->old_hend = to + size;
    free_frags(p);
    /* the young heap is empty now: keep its block when `need` fits */
    size_t ywords = (size_t)(p->hend - p->heap);
    if (ywords < need + 256) {
        block_free(p->heap, ywords);
        ywords = block_size(need + 256);
        p->heap = block_alloc(ywords);
        p->hend = p->heap + ywords;
    }
    p->htop = p->hwm = p->heap;
    p->major_count++;
    count_old_vbin(p, 1);
}

/* a minor collection that promotes everything young (a process whose new data
   mostly lives on: copying it into the nursery again would be wasted) */
static void minor_tenure_all(Proc *p, size_t need, Term *roots, size_t nroots)
{
    keep_lo = p->old_heap;
    keep_hi = p->old_htop;
    pro_lo = NULL;
    pro_hi = (Term *)UINTPTR_MAX;
    Term *start = p->old_htop;
    pro_top = start;
    Term *psc = start;
    copy_roots(p, roots, nroots);
    scan(&psc, &pro_top);
    sweep_offheap(p);
    p->old_htop = pro_top;
    size_t young = (size_t)(p->htop - p->heap) + p->frag_words;
    size_t moved = (size_t)(pro_top - start);
    free_frags(p);
    p->tenure_all = 2 * moved > young;
    size_t ywords = (size_t)(p->hend - p->heap);
    if (ywords < need + NURSERY_MIN) {
        block_free(p->heap, ywords);
        ywords = block_size(need + NURSERY_MIN);
        p->heap = block_alloc(ywords);
        p->hend = p->heap + ywords;
    }
    p->htop = p->hwm = p->heap;
    count_old_vbin(p, 0);
}

void gc(Proc *p, size_t need, Term *roots, size_t nroots)
{
    size_t room = (size_t)(p->old_hend - p->old_htop);
    p->gc_count++;
    if (p->old_vbin > p->old_vbin_max) {
        major(p, need, roots, nroots);
        return;
    }
    if (p->tenure_all) {
        if ((size_t)(p->htop - p->heap) + p->frag_words > room)
            major(p, need, roots, nroots);
        else
            minor_tenure_all(p, need, roots, nroots);
        return;
    }
    if ((size_t)(p->hwm - p->heap) > room) {
        major(p, need, roots, nroots);
        return;
    }
    /* minor: the to-space holds at worst everything young that is not promoted */
    size_t ywords = (size_t)(p->hend - p->heap);
    size_t worst = (size_t)(p->htop - p->hwm) + p->frag_words + need;
    size_t size = block_size(worst > ywords ? worst : ywords);
    Term *to = block_alloc(size);
    keep_lo = p->old_heap;
    keep_hi = p->old_htop;
    pro_lo = p->heap;
    pro_hi = p->hwm;
    to_top = to;
    pro_top = p->old_htop;
    Term *ysc = to, *psc = p->old_htop;
    copy_roots(p, roots, nroots);
    while (scan(&ysc, &to_top) | scan(&psc, &pro_top))
        ;
    sweep_offheap(p);
    p->old_htop = pro_top;
    block_free(p->heap, ywords);
    free_frags(p);
    /* the next nursery: room for four times what survived and at least
       NURSERY_MIN, shrinking by half at most per collection; above
       NURSERY_SOFT_MAX only twice what survived (a big nursery leaves the
       caches, and in a guest every page first touched costs a host fault) */
    size_t live = (size_t)(to_top - to);
    size_t target = 4 * live + need + NURSERY_MIN;
    if (target > NURSERY_SOFT_MAX) {
        size_t least = 2 * live + need + NURSERY_MIN;
        target = least > NURSERY_SOFT_MAX ? least : NURSERY_SOFT_MAX;
    }
    if (target < ywords / 2)
        target = ywords / 2;
    target = block_size(target);
    /* a big nursery is written whole before each collection, and so is
       its to-space: above NURSERY_SOFT_MAX the power of two below when it
       still leaves room for a quarter of it */
    if (target > NURSERY_SOFT_MAX && target / 2 >= live + need + target / 8)
        target /= 2;
    if (size > 2 * target || size < target) {
        /* the survivors once more, into a block of that size (they are few when
           the nursery grows, and it shrinks only when fragments made it far
           too roomy); nothing in the old heap refers to them */
        Term *to2 = block_alloc(target);
        keep_hi = p->old_htop;
        pro_lo = pro_hi = NULL;
        to_top = to2;
        Term *sc = to2;
        copy_roots(p, roots, nroots);
        scan(&sc, &to_top);
        sweep_offheap(p);
        block_free(to, size);
        to = to2;
        size = target;
    }
    p->heap = to;
    p->htop = p->hwm = to_top;
    p->hend = to + size;
    p->tenure_all = 2 * live > worst - need;
    count_old_vbin(p, 0);
}
