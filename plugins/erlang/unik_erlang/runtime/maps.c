/*
 * maps.c — flat maps up to 32 keys (keys in exact term order, binary search)
 * and hash array mapped tries above (maps.h has both layouts). Updates never
 * write into an existing map: a flat map is copied, a trie copies the nodes on
 * the path to the key (O(log16 n) nodes of at most 16 entries).
 */
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "bits.h"
#include "maps.h"

#define HBITS 4
#define HLEVELS 64           /* 8 salted 32-bit hashes; deeper: collision nodes */

/* ------------------------------------------------------- hash cursors */

/*
 * The nibble of a key's hash for trie level d: levels 0..7 are the 4-bit
 * slices of the key's 32-bit hash (map_hash.c), low slice first, as in BEAM;
 * levels 8..15 slice the hash with salt 1, and so on. A cursor computes the
 * salted hashes only when a path gets that deep (32-bit collisions).
 */
typedef struct { Term key; uint32_t h; unsigned salt; } HCur;

static inline void hc_init(HCur *c, Term key)
{
    c->key = key;
    c->h = map_key_hash(key, 0);
    c->salt = 0;
}

static inline unsigned hc_nib(HCur *c, unsigned d)
{
    unsigned s = d >> 3;
    if (s != c->salt) {
        c->h = map_key_hash(c->key, s);
        c->salt = s;
    }
    return (c->h >> (HBITS * (d & 7))) & 15u;
}

/* -------------------------------------------------------------- flat maps */

static int64_t flat_find(Term m, Term key)
{
    Term *k = tuple_ptr(flatmap_keys(m));
    int64_t lo = 0, hi = (int64_t)(box_arity(m) - 1) - 1;
    while (lo <= hi) {
        int64_t mid = (lo + hi) / 2;
        int c = term_cmp_exact(k[mid], key);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -(lo + 1);
}

static Term alloc_flat(Proc *p, uint64_t n, Term **keys, Term **vals)
{
    Term kt = make_tuple(p, n);
    Term *m = halloc(p, 2 + n);
    m[0] = make_header(1 + n, S_MAP);
    m[1] = kt;
    *keys = tuple_ptr(kt);
    *vals = m + 2;
    return make_boxed(m);
}

/* ------------------------------------------------------------------ tries */

static inline uint64_t node_info(const Term *n) { return (uint64_t)small_val(n[1]); }
static inline uint64_t node_entries(const Term *n) { return hdr_arity(n[0]) - 1; }
static inline uint64_t info_count(uint64_t info) { return info >> 16; }
static inline unsigned info_bitmap(uint64_t info) { return (unsigned)(info & 0xffff); }
static inline Term make_info(uint64_t count, unsigned bitmap)
{
    return make_small((SInt)(count << 16 | bitmap));
}

static Term *new_node(Proc *p, unsigned subtag, uint64_t entries, uint64_t count, unsigned bitmap)
{
    Term *n = halloc(p, 2 + entries);
    n[0] = make_header(entries + 1, subtag);
    n[1] = make_info(count, bitmap);
    return n;
}

static Term *copy_node(Proc *p, const Term *n)
{
    uint64_t w = 2 + node_entries(n);
    Term *r = halloc(p, w);
    memcpy(r, n, w * sizeof(Term));
    return r;
}

static Term hamt_get(Term m, Term key, HCur *h)
{
    const Term *n = box_ptr(m);
    for (unsigned d = 0;; d++) {
        if (d == HLEVELS) {
            for (uint64_t i = 0; i < node_entries(n); i++)
                if (term_eq_exact(CAR(n[2 + i]), key))
                    return CDR(n[2 + i]);
            return NONV;
        }
        unsigned bm = info_bitmap(node_info(n)), bit = 1u << hc_nib(h, d);
        if (!(bm & bit))
            return NONV;
        Term e = n[2 + __builtin_popcount(bm & (bit - 1))];
        if (is_cons(e))
            return term_eq_exact(CAR(e), key) ? CDR(e) : NONV;
        n = box_ptr(e);
    }
}

/* a node at depth d holding two leaves whose keys differ */
static Term pair_node(Proc *p, unsigned d, Term l1, HCur *h1, Term l2, HCur *h2)
{
    if (d == HLEVELS) {
        Term *n = new_node(p, S_HNODE, 2, 2, 0);
        int first = term_cmp_exact(CAR(l1), CAR(l2)) < 0;
        n[2] = first ? l1 : l2;
        n[3] = first ? l2 : l1;
        return make_boxed(n);
    }
    unsigned i1 = hc_nib(h1, d), i2 = hc_nib(h2, d);
    if (i1 == i2) {
        Term sub = pair_node(p, d + 1, l1, h1, l2, h2);
        Term *n = new_node(p, S_HNODE, 1, 2, 1u << i1);
        n[2] = sub;
        return make_boxed(n);
    }
    Term *n = new_node(p, S_HNODE, 2, 2, (1u << i1) | (1u << i2));
    n[2] = i1 < i2 ? l1 : l2;
    n[3] = i1 < i2 ? l2 : l1;
    return make_boxed(n);
}

/* the node with key => val; the same node when nothing changes; *added when the key is new */
static Term hamt_put(Proc *p, Term node, unsigned d, HCur *h, Term key, Term val, int *added)
{
    const Term *n = box_ptr(node);
    uint64_t info = node_info(n), ne = node_entries(n);
    if (d == HLEVELS) {
        uint64_t i = 0;
        int c = 1;
        for (; i < ne; i++)
            if ((c = term_cmp_exact(CAR(n[2 + i]), key)) >= 0)
                break;
        if (i < ne && c == 0) {
            if (CDR(n[2 + i]) == val)
                return node;
            Term leaf = cons(p, key, val);
            Term *r = copy_node(p, n);
            r[2 + i] = leaf;
            return make_boxed(r);
        }
        Term leaf = cons(p, key, val);
        Term *r = new_node(p, S_HNODE, ne + 1, info_count(info) + 1, 0);
        memcpy(r + 2, n + 2, i * sizeof(Term));
        r[2 + i] = leaf;
        memcpy(r + 3 + i, n + 2 + i, (ne - i) * sizeof(Term));
        *added = 1;
        return make_boxed(r);
    }
    unsigned bm = info_bitmap(info), bit = 1u << hc_nib(h, d);
    unsigned pos = (unsigned)__builtin_popcount(bm & (bit - 1));
    if (!(bm & bit)) {
        Term leaf = cons(p, key, val);
        Term *r = new_node(p, hdr_subtag(n[0]), ne + 1, info_count(info) + 1, bm | bit);
        memcpy(r + 2, n + 2, pos * sizeof(Term));
        r[2 + pos] = leaf;
        memcpy(r + 3 + pos, n + 2 + pos, (ne - pos) * sizeof(Term));
        *added = 1;
        return make_boxed(r);
    }
    Term e = n[2 + pos], repl;
    if (is_cons(e)) {
        if (term_eq_exact(CAR(e), key)) {
            if (CDR(e) == val)
                return node;
            repl = cons(p, key, val);
        } else {
            HCur he;
            hc_init(&he, CAR(e));
            repl = pair_node(p, d + 1, e, &he, cons(p, key, val), h);
            *added = 1;
        }
    } else {
        repl = hamt_put(p, e, d + 1, h, key, val, added);
        if (repl == e)
            return node;
    }
    Term *r = copy_node(p, n);
    r[2 + pos] = repl;
    if (*added)
        r[1] = make_info(info_count(info) + 1, bm);
    return make_boxed(r);
}

/*
 * The node without key; the same node when the key is absent. An inner node
 * left with one key is replaced by that key's leaf, so a trie's shape depends
 * only on its keys (equal maps have equal tries).
 */
static Term hamt_remove(Proc *p, Term node, unsigned d, HCur *h, Term key)
{
    const Term *n = box_ptr(node);
    uint64_t info = node_info(n), ne = node_entries(n), pos;
    unsigned bm = info_bitmap(info);
    Term repl = NONV;                   /* NONV: the entry goes */
    if (d == HLEVELS) {
        for (pos = 0; pos < ne; pos++)
            if (term_eq_exact(CAR(n[2 + pos]), key))
                break;
        if (pos == ne)
            return node;
    } else {
        unsigned bit = 1u << hc_nib(h, d);
        if (!(bm & bit))
            return node;
        pos = (uint64_t)__builtin_popcount(bm & (bit - 1));
        Term e = n[2 + pos];
        if (is_cons(e)) {
            if (!term_eq_exact(CAR(e), key))
                return node;
            bm &= ~bit;
        } else {
            repl = hamt_remove(p, e, d + 1, h, key);
            if (repl == e)
                return node;
        }
    }
    uint64_t count = info_count(info) - 1;
    int inner = hdr_subtag(n[0]) == S_HNODE;
    if (inner && count == 1) {
        /* one key left here: the parent takes its leaf */
        if (repl != NONV)
            return repl;
        return n[2 + (pos == 0 ? 1 : 0)];
    }
    if (repl != NONV) {
        Term *r = copy_node(p, n);
        r[1] = make_info(count, bm);
        r[2 + pos] = repl;
        return make_boxed(r);
    }
    Term *r = new_node(p, hdr_subtag(n[0]), ne - 1, count, bm);
    memcpy(r + 2, n + 2, pos * sizeof(Term));
    memcpy(r + 2 + pos, n + 3 + pos, (ne - pos - 1) * sizeof(Term));
    return make_boxed(r);
}

static void hamt_foreach(Term node, MapVisit *fn, void *ctx)
{
    const Term *n = box_ptr(node);
    for (uint64_t i = 0, ne = node_entries(n); i < ne; i++) {
        Term e = n[2 + i];
        if (is_cons(e))
            fn(CAR(e), CDR(e), ctx);
        else
            hamt_foreach(e, fn, ctx);
    }
}

/* ---- building a trie in one go (no intermediate garbage) ---- */

typedef struct { Term k, v; uint64_t order; uint32_t h; } KV;

static uint32_t nibble_reverse(uint32_t h)
{
    /* sorting by this puts keys in trie order: nibble 0 is the most significant */
    h = __builtin_bswap32(h);
    return ((h & 0x0f0f0f0fU) << 4) | ((h >> 4) & 0x0f0f0f0fU);
}

/* trie order of the keys (deeper salted hashes for 32-bit collisions, then
   term order), equal keys by their order of arrival */
static int kv_hash_cmp(const void *a, const void *b)
{
    const KV *x = a, *y = b;
    if (x->h != y->h)
        return nibble_reverse(x->h) < nibble_reverse(y->h) ? -1 : 1;
    if (!term_eq_exact(x->k, y->k)) {
        for (unsigned s = 1; s < HLEVELS / 8; s++) {
            uint32_t hx = map_key_hash(x->k, s), hy = map_key_hash(y->k, s);
            if (hx != hy)
                return nibble_reverse(hx) < nibble_reverse(hy) ? -1 : 1;
        }
        return term_cmp_exact(x->k, y->k);
    }
    return x->order < y->order ? -1 : x->order > y->order;
}

static int kv_term_cmp(const void *a, const void *b)
{
    const KV *x = a, *y = b;
    int c = term_cmp_exact(x->k, y->k);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static inline unsigned kv_nib(const KV *e, unsigned d)
{
    uint32_t h = d < 8 ? e->h : map_key_hash(e->k, d >> 3);
    return (h >> (HBITS * (d & 7))) & 15u;
}

static Term build(Proc *p, const KV *a, uint64_t lo, uint64_t hi, unsigned d, unsigned subtag)
{
    if (d == HLEVELS) {
        Term *n = new_node(p, S_HNODE, hi - lo, hi - lo, 0);
        for (uint64_t i = lo; i < hi; i++)
            n[2 + i - lo] = cons(p, a[i].k, a[i].v);
        return make_boxed(n);
    }
    unsigned bm = 0, ne = 0;
    for (uint64_t i = lo; i < hi; i++) {
        unsigned bit = 1u << kv_nib(&a[i], d);
        if (!(bm & bit)) {
            bm |= bit;
            ne++;
        }
    }
    Term *n = new_node(p, subtag, ne, hi - lo, bm);
    uint64_t i = lo;
    for (unsigned e = 0; e < ne; e++) {
        unsigned nib = kv_nib(&a[i], d);
        uint64_t j = i + 1;
        while (j < hi && kv_nib(&a[j], d) == nib)
            j++;
        n[2 + e] = j - i == 1 ? cons(p, a[i].k, a[i].v) : build(p, a, i, j, d + 1, S_HNODE);
        i = j;
    }
    return make_boxed(n);
}

/* a map of kv[0..n) (keys in any order, the later of two equal keys wins); kv is reordered */
static Term map_from_kv(Proc *p, KV *kv, uint64_t n)
{
    if (n <= MAP_FLAT_MAX) {
        qsort(kv, n, sizeof(KV), kv_term_cmp);
        uint64_t u = 0;
        for (uint64_t i = 0; i < n; i++) {
            if (u > 0 && term_cmp_exact(kv[u - 1].k, kv[i].k) == 0)
                kv[u - 1] = kv[i];
            else
                kv[u++] = kv[i];
        }
        Term *mk, *mv;
        Term m = alloc_flat(p, u, &mk, &mv);
        for (uint64_t i = 0; i < u; i++) {
            mk[i] = kv[i].k;
            mv[i] = kv[i].v;
        }
        return m;
    }
    for (uint64_t i = 0; i < n; i++)
        kv[i].h = map_key_hash(kv[i].k, 0);
    qsort(kv, n, sizeof(KV), kv_hash_cmp);
    /* equal keys are neighbours now: the later one wins */
    uint64_t u = 0;
    for (uint64_t i = 0; i < n; i++) {
        if (u > 0 && kv[u - 1].h == kv[i].h && term_eq_exact(kv[u - 1].k, kv[i].k))
            kv[u - 1] = kv[i];
        else
            kv[u++] = kv[i];
    }
    if (u <= MAP_FLAT_MAX)
        return map_from_kv(p, kv, u);
    return build(p, kv, 0, u, 0, S_HMAP);
}

static KV *kv_alloc(uint64_t n)
{
    KV *kv = malloc((n ? n : 1) * sizeof(KV));
    if (kv == NULL)
        fatal("out of memory (a map of %lu keys)", (unsigned long)n);
    return kv;
}

struct kv_ctx { KV *kv; uint64_t n; };

static void kv_add(Term k, Term v, void *ctx)
{
    struct kv_ctx *c = ctx;
    c->kv[c->n].k = k;
    c->kv[c->n].v = v;
    c->kv[c->n].order = c->n;
    c->n++;
}

/* m (flat or hashed) with extra pairs appended (they win), as a new map */
static Term rebuild(Proc *p, Term m, const Term *keys, const Term *vals, uint64_t extra)
{
    uint64_t sz = map_size(m);
    struct kv_ctx c = {kv_alloc(sz + extra), 0};
    map_foreach(m, kv_add, &c);
    for (uint64_t i = 0; i < extra; i++)
        kv_add(keys[i], vals[i], &c);
    Term r = map_from_kv(p, c.kv, c.n);
    free(c.kv);
    return r;
}

/* ------------------------------------------------------------- interface */

uint64_t map_size(Term m)
{
    return map_is_flat(m) ? box_arity(m) - 1 : info_count(node_info(box_ptr(m)));
}

Term map_get(Term m, Term key)
{
    if (map_is_flat(m)) {
        int64_t i = flat_find(m, key);
        return i >= 0 ? flatmap_vals(m)[i] : NONV;
    }
    HCur h;
    hc_init(&h, key);
    return hamt_get(m, key, &h);
}

Term map_new(Proc *p, Term *keys, Term *vals, uint64_t n)
{
    KV *kv = kv_alloc(n);
    for (uint64_t i = 0; i < n; i++) {
        kv[i].k = keys[i];
        kv[i].v = vals[i];
        kv[i].order = i;
    }
    Term m = map_from_kv(p, kv, n);
    free(kv);
    return m;
}

Term map_put(Proc *p, Term m, Term key, Term val)
{
    if (!map_is_flat(m)) {
        int added = 0;
        HCur h;
        hc_init(&h, key);
        return hamt_put(p, m, 0, &h, key, val, &added);
    }
    int64_t i = flat_find(m, key);
    uint64_t n = map_size(m);
    Term *ok = tuple_ptr(flatmap_keys(m)), *ov = flatmap_vals(m);
    if (i >= 0) {
        if (ov[i] == val)
            return m;
        if (n > MAP_FLAT_MAX)           /* a large literal: a trie from now on */
            return rebuild(p, m, &key, &val, 1);
        Term *nv = halloc(p, 2 + n);
        memcpy(nv, box_ptr(m), (2 + n) * sizeof(Term));
        nv[2 + i] = val;
        return make_boxed(nv);
    }
    if (n + 1 > MAP_FLAT_MAX)
        return rebuild(p, m, &key, &val, 1);
    uint64_t at = (uint64_t)(-(i + 1));
    Term *mk, *mv;
    Term r = alloc_flat(p, n + 1, &mk, &mv);
    memcpy(mk, ok, at * sizeof(Term));
    memcpy(mv, ov, at * sizeof(Term));
    mk[at] = key;
    mv[at] = val;
    memcpy(mk + at + 1, ok + at, (n - at) * sizeof(Term));
    memcpy(mv + at + 1, ov + at, (n - at) * sizeof(Term));
    return r;
}

Term map_remove(Proc *p, Term m, Term key)
{
    if (!map_is_flat(m)) {
        HCur h;
        hc_init(&h, key);
        Term r = hamt_remove(p, m, 0, &h, key);
        if (r != m && map_size(r) <= MAP_FLAT_MAX)
            return rebuild(p, r, NULL, NULL, 0);
        return r;
    }
    int64_t i = flat_find(m, key);
    if (i < 0)
        return m;
    uint64_t n = map_size(m), at = (uint64_t)i;
    if (n - 1 > MAP_FLAT_MAX) {
        Term r = rebuild(p, m, NULL, NULL, 0);
        return map_remove(p, r, key);
    }
    Term *ok = tuple_ptr(flatmap_keys(m)), *ov = flatmap_vals(m);
    Term *mk, *mv;
    Term r = alloc_flat(p, n - 1, &mk, &mv);
    memcpy(mk, ok, at * sizeof(Term));
    memcpy(mv, ov, at * sizeof(Term));
    memcpy(mk + at, ok + at + 1, (n - at - 1) * sizeof(Term));
    memcpy(mv + at, ov + at + 1, (n - at - 1) * sizeof(Term));
    return r;
}

/*
 * A literal flat map of more than 32 keys (the image's literal maps are flat
 * at any size) iterates in trie order like any large map: the permutation of
 * its term-ordered pairs, computed once per literal (literals never move).
 * Such a map on a heap (rare) is ordered afresh each time.
 */
#define LIT_ORDERS 64
static struct { const Term *map; uint32_t *perm; } lit_orders[LIT_ORDERS];
static unsigned lit_orders_next;

static uint32_t *trie_perm(Term m)
{
    uint64_t n = map_size(m);
    Term *k = tuple_ptr(flatmap_keys(m)), *v = flatmap_vals(m);
    KV *kv = kv_alloc(n);
    for (uint64_t i = 0; i < n; i++) {
        kv[i].k = k[i];
        kv[i].v = v[i];
        kv[i].order = i;
        kv[i].h = map_key_hash(k[i], 0);
    }
    qsort(kv, n, sizeof(KV), kv_hash_cmp);
    uint32_t *perm = malloc(n * sizeof(uint32_t));
    if (perm == NULL)
        fatal("out of memory (a map of %lu keys)", (unsigned long)n);
    for (uint64_t i = 0; i < n; i++)
        perm[i] = (uint32_t)kv[i].order;
    free(kv);
    return perm;
}

/* the order of a large flat map's pairs; *tofree is set when not cached */
static const uint32_t *flat_order(Term m, uint32_t **tofree)
{
    *tofree = NULL;
    if (!is_literal(m))
        return *tofree = trie_perm(m);
    for (unsigned i = 0; i < LIT_ORDERS; i++)
        if (lit_orders[i].map == box_ptr(m))
            return lit_orders[i].perm;
    unsigned slot = lit_orders_next++ % LIT_ORDERS;
    free(lit_orders[slot].perm);
    lit_orders[slot].map = box_ptr(m);
    return lit_orders[slot].perm = trie_perm(m);
}

void map_foreach(Term m, MapVisit *fn, void *ctx)
{
    if (map_is_flat(m)) {
        Term *k = tuple_ptr(flatmap_keys(m)), *v = flatmap_vals(m);
        uint64_t n = map_size(m);
        if (n <= MAP_FLAT_MAX) {
            for (uint64_t i = 0; i < n; i++)
                fn(k[i], v[i], ctx);
            return;
        }
        uint32_t *tofree;
        const uint32_t *perm = flat_order(m, &tofree);
        for (uint64_t i = 0; i < n; i++)
            fn(k[perm[i]], v[perm[i]], ctx);
        free(tofree);
        return;
    }
    hamt_foreach(m, fn, ctx);
}

struct arr_ctx { Term *k, *v; uint64_t n; };

static void arr_add(Term k, Term v, void *ctx)
{
    struct arr_ctx *c = ctx;
    c->k[c->n] = k;
    c->v[c->n] = v;
    c->n++;
}

void map_to_arrays(Term m, Term *keys, Term *vals)
{
    struct arr_ctx c = {keys, vals, 0};
    map_foreach(m, arr_add, &c);
}

Term *map_arrays(Term m, Term **keys, Term **vals)
{
    uint64_t n = map_size(m);
    if (n == 0) {
        *keys = *vals = NULL;
        return NULL;
    }
    Term *w = malloc_words(2 * n);
    *keys = w;
    *vals = w + n;
    map_to_arrays(m, w, w + n);
    return w;
}

void map_sorted(Term m, Term *keys, Term *vals)
{
    if (map_is_flat(m)) {
        uint64_t n = map_size(m);
        memcpy(keys, tuple_ptr(flatmap_keys(m)), n * sizeof(Term));
        memcpy(vals, flatmap_vals(m), n * sizeof(Term));
        return;
    }
    uint64_t n = map_size(m);
    struct kv_ctx c = {kv_alloc(n), 0};
    map_foreach(m, kv_add, &c);
    qsort(c.kv, n, sizeof(KV), kv_term_cmp);
    for (uint64_t i = 0; i < n; i++) {
        keys[i] = c.kv[i].k;
        vals[i] = c.kv[i].v;
    }
    free(c.kv);
}

void map_nth(Term m, uint64_t i, Term *key, Term *val)
{
    if (map_is_flat(m)) {
        uint32_t *tofree = NULL;
        if (map_size(m) > MAP_FLAT_MAX)
            i = flat_order(m, &tofree)[i];
        free(tofree);
        *key = tuple_ptr(flatmap_keys(m))[i];
        *val = flatmap_vals(m)[i];
        return;
    }
    /* down the trie by the nodes' key counts */
    const Term *n = box_ptr(m);
    for (;;) {
        uint64_t ne = node_entries(n), j = 0;
        for (; j < ne; j++) {
            Term e = n[2 + j];
            if (is_cons(e)) {
                if (i == 0) {
                    *key = CAR(e);
                    *val = CDR(e);
                    return;
                }
                i--;
            } else {
                uint64_t c = info_count(node_info(box_ptr(e)));
                if (i < c) {
                    n = box_ptr(e);
                    break;
                }
                i -= c;
            }
        }
        if (j == ne)
            fatal("map_nth: index out of range");
    }
}

static int hamt_equal(Term a, Term b, int exact, int (*cmp)(Term, Term, int))
{
    const Term *x = box_ptr(a), *y = box_ptr(b);
    if (x[0] != y[0] || x[1] != y[1])
        return 0;
    for (uint64_t i = 0, ne = node_entries(x); i < ne; i++) {
        Term ex = x[2 + i], ey = y[2 + i];
        if (is_cons(ex) != is_cons(ey))
            return 0;
        if (is_cons(ex)) {
            if (!term_eq_exact(CAR(ex), CAR(ey)) || cmp(CDR(ex), CDR(ey), exact) != 0)
                return 0;
        } else if (!hamt_equal(ex, ey, exact, cmp)) {
            return 0;
        }
    }
    return 1;
}

int hmap_equal(Term a, Term b, int exact, int (*cmp)(Term, Term, int))
{
    return hamt_equal(a, b, exact, cmp);
}

Term map_put_many(Proc *p, Term m, const uint64_t *pairs, uint64_t n, Term *E, int exact)
{
    if (!is_map(m))
        return raise(p, AM(error), mk_tuple2(p, AM(badmap), m));
    uint64_t np = n / 2, sz = map_size(m);
    if (exact) {
        if (map_is_flat(m) && sz <= MAP_FLAT_MAX) {
            /* only existing keys: the key tuple is shared */
            Term *nm = halloc(p, 2 + sz);
            memcpy(nm, box_ptr(m), (2 + sz) * sizeof(Term));
            for (uint64_t i = 0; i < n; i += 2) {
                Term k = SRC(pairs[i]);
                int64_t at = flat_find(m, k);
                if (at < 0)
                    return raise(p, AM(error), mk_tuple2(p, AM(badkey), k));
                nm[2 + at] = SRC(pairs[i + 1]);
            }
            return make_boxed(nm);
        }
        for (uint64_t i = 0; i < np; i++) {
            Term k = SRC(pairs[2 * i]);
            if (map_get(m, k) == NONV)
                return raise(p, AM(error), mk_tuple2(p, AM(badkey), k));
            m = map_put(p, m, k, SRC(pairs[2 * i + 1]));
        }
        return m;
    }
    if (np <= 4 || np * 8 < sz || !map_is_flat(m)) {
        /* a few keys into a map (or into a trie): one at a time */
        for (uint64_t i = 0; i < np; i++)
            m = map_put(p, m, SRC(pairs[2 * i]), SRC(pairs[2 * i + 1]));
        return m;
    }
    Term *kv = malloc((np + 1) * 2 * sizeof(Term));
    if (kv == NULL)
        fatal("out of memory (map)");
    for (uint64_t i = 0; i < np; i++) {
        kv[i] = SRC(pairs[2 * i]);
        kv[np + i] = SRC(pairs[2 * i + 1]);
    }
    Term r = rebuild(p, m, kv, kv + np, np);
    free(kv);
    return r;
}
