/*
 * maps.c — a map is [header][keys tuple][values…] with keys in exact term
 * order (integers before floats): lookups by binary search, updates by
 * merging into a new map. Iteration order is term order at every size (BEAM
 * switches to hash order above 32 keys).
 */
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "maps.h"

static int64_t find(Term m, Term key)
{
    Term *k = tuple_ptr(map_keys(m));
    int64_t lo = 0, hi = (int64_t)map_size(m) - 1;
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

Term map_get(Term m, Term key)
{
    int64_t i = find(m, key);
    return i >= 0 ? map_vals(m)[i] : NONV;
}

static Term alloc_map(Proc *p, uint64_t n, Term **keys, Term **vals)
{
    Term kt = make_tuple(p, n);
    Term *m = halloc(p, 2 + n);
    m[0] = make_header(1 + n, S_MAP);
    m[1] = kt;
    *keys = tuple_ptr(kt);
    *vals = m + 2;
    return make_boxed(m);
}

typedef struct { Term k, v; uint64_t order; } KV;

static int kv_cmp(const void *a, const void *b)
{
    const KV *x = a, *y = b;
    int c = term_cmp_exact(x->k, y->k);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

Term map_new(Proc *p, Term *keys, Term *vals, uint64_t n)
{
    KV *kv = malloc((n ? n : 1) * sizeof(KV));
    if (kv == NULL)
        fatal("out of memory (map)");
    for (uint64_t i = 0; i < n; i++) {
        kv[i].k = keys[i];
        kv[i].v = vals[i];
        kv[i].order = i;
    }
    qsort(kv, n, sizeof(KV), kv_cmp);
    uint64_t u = 0;
    for (uint64_t i = 0; i < n; i++) {
        if (u > 0 && term_cmp_exact(kv[u - 1].k, kv[i].k) == 0)
            kv[u - 1] = kv[i];          /* the later one wins */
        else
            kv[u++] = kv[i];
    }
    Term *mk, *mv;
    Term m = alloc_map(p, u, &mk, &mv);
    for (uint64_t i = 0; i < u; i++) {
        mk[i] = kv[i].k;
        mv[i] = kv[i].v;
    }
    free(kv);
    return m;
}

Term map_put(Proc *p, Term m, Term key, Term val)
{
    int64_t i = find(m, key);
    uint64_t n = map_size(m);
    Term *ok = tuple_ptr(map_keys(m)), *ov = map_vals(m);
    if (i >= 0) {
        if (ov[i] == val)
            return m;
        Term *nv = halloc(p, 2 + n);
        memcpy(nv, box_ptr(m), (2 + n) * sizeof(Term));
        nv[2 + i] = val;
        return make_boxed(nv);
    }
    uint64_t at = (uint64_t)(-(i + 1));
    Term *mk, *mv;
    Term r = alloc_map(p, n + 1, &mk, &mv);
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
    int64_t i = find(m, key);
    if (i < 0)
        return m;
    uint64_t n = map_size(m), at = (uint64_t)i;
    Term *ok = tuple_ptr(map_keys(m)), *ov = map_vals(m);
    Term *mk, *mv;
    Term r = alloc_map(p, n - 1, &mk, &mv);
    memcpy(mk, ok, at * sizeof(Term));
    memcpy(mv, ov, at * sizeof(Term));
    memcpy(mk + at, ok + at + 1, (n - at - 1) * sizeof(Term));
    memcpy(mv + at, ov + at + 1, (n - at - 1) * sizeof(Term));
    return r;
}

#define SRC(w) ({ Term _w = (w); IMM2(_w) == I_XREG ? xreg[_w >> 6] : \
                  IMM2(_w) == I_YREG ? E[(_w >> 6) + 1] : _w; })

Term map_put_many(Proc *p, Term m, const uint64_t *pairs, uint64_t n, Term *E, int exact)
{
    if (!is_map(m))
        return raise(p, AM(error), mk_tuple2(p, AM(badmap), m));
    if (exact) {
        /* only existing keys: the key tuple is shared */
        uint64_t sz = map_size(m);
        Term *nm = halloc(p, 2 + sz);
        memcpy(nm, box_ptr(m), (2 + sz) * sizeof(Term));
        for (uint64_t i = 0; i < n; i += 2) {
            Term k = SRC(pairs[i]);
            int64_t at = find(m, k);
            if (at < 0)
                return raise(p, AM(error), mk_tuple2(p, AM(badkey), k));
            nm[2 + at] = SRC(pairs[i + 1]);
        }
        return make_boxed(nm);
    }
    uint64_t sz = map_size(m), np = n / 2;
    if (np <= 4 || np * 8 < sz) {
        /* a few keys into a map: insert each by binary search, no re-sort */
        for (uint64_t i = 0; i < np; i++)
            m = map_put(p, m, SRC(pairs[2 * i]), SRC(pairs[2 * i + 1]));
        return m;
    }
    Term *keys = malloc((sz + np + 1) * sizeof(Term) * 2);
    if (keys == NULL)
        fatal("out of memory (map)");
    Term *vals = keys + sz + np + 1;
    memcpy(keys, tuple_ptr(map_keys(m)), sz * sizeof(Term));
    memcpy(vals, map_vals(m), sz * sizeof(Term));
    for (uint64_t i = 0; i < np; i++) {
        keys[sz + i] = SRC(pairs[2 * i]);
        vals[sz + i] = SRC(pairs[2 * i + 1]);
    }
    Term r = map_new(p, keys, vals, sz + np);
    free(keys);
    return r;
}
