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
#define HLEVELS 16                      /* 64-bit hash / HBITS: then collision nodes */
#define NIBBLE(h, d) ((unsigned)((h) >> (HBITS * (d))) & 15u)

/* ---------------------------------------------------------------- hashing */

static uint64_t fmix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static uint64_t comb(uint64_t h, uint64_t v)
{
    return fmix(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

struct sum_ctx { uint64_t sum; };

static void hash_pair(Term k, Term v, void *ctx)
{
    /* order-independent: a flat and a hashed map of the same pairs hash alike */
    ((struct sum_ctx *)ctx)->sum += comb(map_key_hash(k), map_key_hash(v));
}

uint64_t map_key_hash(Term t)
{
    uint64_t h = 0x5bd1e995;
    for (;;) {
        if (is_cons(t)) {
            h = comb(h, map_key_hash(CAR(t)) ^ 0x11);
            t = CDR(t);
            continue;
        }
        if (!is_boxed(t))
            return comb(h, t);   /* immediates: equal atoms, pids, refs are equal words */
        Term *b = box_ptr(t);
        unsigned s = hdr_subtag(b[0]);
        uint64_t a = hdr_arity(b[0]);
        switch (s) {
        case S_FLOAT: {
            double d = float_val(t);
            if (d == 0)
                d = 0.0;                  /* 0.0 =:= -0.0 */
            union { double d; uint64_t u; } v = {.d = d};
            return comb(h ^ 0xf1, v.u);
        }
        case S_BIGPOS: case S_BIGNEG:
            h = comb(h, s);
            for (uint64_t i = 1; i <= a; i++)
                h = comb(h, b[i]);
            return h;
        case S_BIN: case S_SUBBIN: {
            BitView v;
            bits_view(t, &v);
            uint64_t acc = 0xcbf29ce484222325ULL, i = 0;
            if ((v.off & 7) == 0) {
                const uint8_t *d = v.data + (v.off >> 3);
                for (; i + 8 <= v.bits; i += 8)
                    acc = (acc ^ d[i >> 3]) * 0x100000001b3ULL;
            } else {
                for (; i + 8 <= v.bits; i += 8)
                    acc = (acc ^ bits_byte(&v, i)) * 0x100000001b3ULL;
            }
            for (; i < v.bits; i++)
                acc = (acc ^ (0x100u | bits_bit(&v, i))) * 0x100000001b3ULL;
            return comb(h ^ 0xb1, acc ^ v.bits);
        }
        case S_MAP: case S_HMAP: {
            struct sum_ctx c = {0};
            map_foreach(t, hash_pair, &c);
            return comb(h ^ 0x3a, c.sum ^ map_size(t));
        }
        default:                          /* tuples, funs, exports */
            h = comb(h, s * 1000003ULL + a);
            for (uint64_t i = 1; i <= a; i++)
                h = comb(h, map_key_hash(b[i]));
            return h;
        }
    }
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

static Term hamt_get(Term m, Term key, uint64_t h)
{
    const Term *n = box_ptr(m);
    for (unsigned d = 0;; d++) {
        if (d == HLEVELS) {
            for (uint64_t i = 0; i < node_entries(n); i++)
                if (term_eq_exact(CAR(n[2 + i]), key))
                    return CDR(n[2 + i]);
            return NONV;
        }
        unsigned bm = info_bitmap(node_info(n)), bit = 1u << NIBBLE(h, d);
        if (!(bm & bit))
            return NONV;
        Term e = n[2 + __builtin_popcount(bm & (bit - 1))];
        if (is_cons(e))
            return term_eq_exact(CAR(e), key) ? CDR(e) : NONV;
        n = box_ptr(e);
    }
}

/* a node at depth d holding two leaves whose keys differ */
static Term pair_node(Proc *p, unsigned d, Term l1, uint64_t h1, Term l2, uint64_t h2)
{
    if (d == HLEVELS) {
        Term *n = new_node(p, S_HNODE, 2, 2, 0);
        int first = term_cmp_exact(CAR(l1), CAR(l2)) < 0;
        n[2] = first ? l1 : l2;
        n[3] = first ? l2 : l1;
        return make_boxed(n);
    }
    unsigned i1 = NIBBLE(h1, d), i2 = NIBBLE(h2, d);
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
static Term hamt_put(Proc *p, Term node, unsigned d, uint64_t h, Term key, Term val, int *added)
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
    unsigned bm = info_bitmap(info), bit = 1u << NIBBLE(h, d);
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
            repl = pair_node(p, d + 1, e, map_key_hash(CAR(e)), cons(p, key, val), h);
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
static Term hamt_remove(Proc *p, Term node, unsigned d, uint64_t h, Term key)
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
        unsigned bit = 1u << NIBBLE(h, d);
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

typedef struct { Term k, v; uint64_t h, order; } KV;

static uint64_t nibble_reverse(uint64_t h)
{
    /* sorting by this puts keys in trie order: nibble 0 is the most significant */
    h = __builtin_bswap64(h);
    return ((h & 0x0f0f0f0f0f0f0f0fULL) << 4) | ((h >> 4) & 0x0f0f0f0f0f0f0f0fULL);
}

static int kv_hash_cmp(const void *a, const void *b)
{
    const KV *x = a, *y = b;
    uint64_t rx = nibble_reverse(x->h), ry = nibble_reverse(y->h);
    if (rx != ry)
        return rx < ry ? -1 : 1;
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
        unsigned bit = 1u << NIBBLE(a[i].h, d);
        if (!(bm & bit)) {
            bm |= bit;
            ne++;
        }
    }
    Term *n = new_node(p, subtag, ne, hi - lo, bm);
    uint64_t i = lo;
    for (unsigned e = 0; e < ne; e++) {
        unsigned nib = NIBBLE(a[i].h, d);
        uint64_t j = i + 1;
        while (j < hi && NIBBLE(a[j].h, d) == nib)
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
        kv[i].h = map_key_hash(kv[i].k);
    qsort(kv, n, sizeof(KV), kv_hash_cmp);
    /* equal keys have equal hashes: runs of one hash lose their duplicates
       (the later wins) and, when keys really collide, go in term order */
    uint64_t u = 0;
    for (uint64_t i = 0; i < n;) {
        uint64_t j = i + 1;
        while (j < n && kv[j].h == kv[i].h)
            j++;
        if (j - i == 1) {
            kv[u++] = kv[i];
        } else {
            qsort(kv + i, j - i, sizeof(KV), kv_term_cmp);
            for (uint64_t k = i; k < j; k++) {
                if (k + 1 < j && term_cmp_exact(kv[k].k, kv[k + 1].k) == 0)
                    continue;           /* a later one follows */
                kv[u++] = kv[k];
            }
        }
        i = j;
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
    return hamt_get(m, key, map_key_hash(key));
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
        return hamt_put(p, m, 0, map_key_hash(key), key, val, &added);
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
        Term r = hamt_remove(p, m, 0, map_key_hash(key), key);
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

void map_foreach(Term m, MapVisit *fn, void *ctx)
{
    if (map_is_flat(m)) {
        Term *k = tuple_ptr(flatmap_keys(m)), *v = flatmap_vals(m);
        for (uint64_t i = 0, n = map_size(m); i < n; i++)
            fn(k[i], v[i], ctx);
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
        map_to_arrays(m, keys, vals);
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

#define SRC(w) ({ Term _w = (w); IMM2(_w) == I_XREG ? xreg[_w >> 6] : \
                  IMM2(_w) == I_YREG ? E[(_w >> 6) + 1] : _w; })

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
