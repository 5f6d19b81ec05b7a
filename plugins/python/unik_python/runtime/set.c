/* set[T]: CPython's set table, slot for slot — the same probing (9 linear probes,
 * then perturbation), the same fill limit and resize rule, dummies for deleted
 * keys — so a set iterates (and prints) in the order CPython's does wherever the
 * hashes agree (ints, bools, tuples of them). Entries live in Dict.entries, one
 * per slot: used = active; !used && hash == -1 = dummy; else unused. */
#include <stdio.h>
#include <stdlib.h>

#include "pyrt.h"

#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5
#define MINSIZE 8

void rt_gc_account(size_t bytes);

static void alloc_table(Dict *s, int64_t size) {
    s->entries = calloc((size_t)size, sizeof(DictEntry));
    if (!s->entries) rt_raise_new(&T_MemoryError, "out of memory");
    rt_gc_account((size_t)size * sizeof(DictEntry));
    s->cap = s->nentries = size;
}

Dict *rt_set_new(int kind) {
    Dict *d = rt_alloc(&T_Set, sizeof(Dict));
    d->kkind = kind;
    d->vkind = RK_INT;
    d->is_set = true;
    alloc_table(d, MINSIZE);
    return d;
}

static bool is_unused(DictEntry *e) { return !e->used && e->hash != -1; }

static void insert_clean(DictEntry *table, uint64_t mask, Val key, int64_t hash) {
    uint64_t perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    for (;;) {
        DictEntry *e = &table[i];
        if (is_unused(e)) goto found;
        if (i + LINEAR_PROBES <= mask) {
            for (int j = 0; j < LINEAR_PROBES; j++) {
                e++;
                if (is_unused(e)) goto found;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
        continue;
    found:
        e->key = key;
        e->hash = hash;
        e->used = true;
        return;
    }
}

static void resize(Dict *s, int64_t minused) {
    int64_t newsize = MINSIZE;
    while (newsize <= minused) newsize <<= 1;
    DictEntry *old = s->entries;
    int64_t oldsize = s->cap;
    alloc_table(s, newsize);
    s->fill = s->len;
    for (int64_t i = 0; i < oldsize; i++)
        if (old[i].used) insert_clean(s->entries, (uint64_t)newsize - 1, old[i].key, old[i].hash);
    free(old);
}

/* The active entry holding key, or NULL. */
static DictEntry *lookup(Dict *s, Val key, int64_t hash) {
    uint64_t mask = (uint64_t)s->cap - 1, perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    for (;;) {
        DictEntry *e = &s->entries[i];
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (is_unused(e)) return NULL;
            if (e->used && e->hash == hash && rt_eq_val(e->key, key, s->kkind)) return e;
            e++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static void add_entry(Dict *s, Val key, int64_t hash) {
    uint64_t mask = (uint64_t)s->cap - 1, perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    DictEntry *freeslot = NULL;
    for (;;) {
        DictEntry *e = &s->entries[i];
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (is_unused(e)) {
                if (freeslot) {
                    freeslot->key = key;
                    freeslot->hash = hash;
                    freeslot->used = true;
                    s->len++;
                    return;
                }
                e->key = key;
                e->hash = hash;
                e->used = true;
                s->fill++;
                s->len++;
                if ((uint64_t)s->fill * 5 >= mask * 3)
                    resize(s, s->len > 50000 ? s->len * 2 : s->len * 4);
                return;
            }
            if (e->used && e->hash == hash && rt_eq_val(e->key, key, s->kkind)) return;
            if (!e->used && e->hash == -1 && !freeslot) freeslot = e;
            e++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

void rt_set_add(Dict *s, Val v) { add_entry(s, v, rt_hash_val(v, s->kkind)); }

bool rt_set_contains(Dict *s, Val v) { return lookup(s, v, rt_hash_val(v, s->kkind)) != NULL; }

static bool discard(Dict *s, Val v) {
    DictEntry *e = lookup(s, v, rt_hash_val(v, s->kkind));
    if (!e) return false;
    e->used = false;
    e->hash = -1;
    s->len--;
    return true;
}

void rt_set_discard(Dict *s, Val v) { discard(s, v); }

void rt_set_remove(Dict *s, Val v) {
    if (!discard(s, v)) rt_raise(rt_exc_new(&T_KeyError, rt_repr_val(v, s->kkind)));
}

Val rt_set_pop(Dict *s) {
    if (s->len == 0) rt_raise_new(&T_KeyError, "'pop from an empty set'");
    int64_t i = s->finger & (s->cap - 1);
    while (!s->entries[i].used) i = (i + 1) % s->cap;
    Val k = s->entries[i].key;
    s->entries[i].used = false;
    s->entries[i].hash = -1;
    s->len--;
    s->finger = i + 1;
    return k;
}

void rt_set_clear(Dict *s) {
    free(s->entries);
    alloc_table(s, MINSIZE);
    s->len = s->fill = 0;
}

/* set_merge: o's entries into s, in o's table order */
void rt_set_merge(Dict *s, Dict *o) {
    if (s == o || o->len == 0) return;
    if (!o->is_set) {
        for (int64_t i = 0; rt_dict_next(o, &i); i++) rt_set_add(s, o->entries[i].key);
        return;
    }
    if ((s->fill + o->len) * 5 >= (s->cap - 1) * 3) resize(s, (s->len + o->len) * 2);
    if (s->fill == 0 && s->cap == o->cap) {
        for (int64_t i = 0; i < o->cap; i++)
            if (o->entries[i].used) s->entries[i] = o->entries[i];
        s->fill = s->len = o->len;
        return;
    }
    if (s->fill == 0) {
        for (int64_t i = 0; i < o->cap; i++)
            if (o->entries[i].used) {
                insert_clean(s->entries, (uint64_t)s->cap - 1, o->entries[i].key,
                             o->entries[i].hash);
                s->fill++;
                s->len++;
            }
        return;
    }
    for (int64_t i = 0; i < o->cap; i++)
        if (o->entries[i].used) add_entry(s, o->entries[i].key, o->entries[i].hash);
}

Dict *rt_set_copy(Dict *s) {
    Dict *r = rt_set_new(s->kkind);
    rt_set_merge(r, s);
    return r;
}

Dict *rt_set_union(Dict *a, Dict *b) {
    Dict *r = rt_set_copy(a);
    rt_set_merge(r, b);
    return r;
}

Dict *rt_set_inter(Dict *a, Dict *b) {
    Dict *r = rt_set_new(a->kkind);
    if (b->len > a->len) {
        Dict *t = a;
        a = b;
        b = t;
    }
    for (int64_t i = 0; i < b->cap; i++) {
        DictEntry *e = &b->entries[i];
        if (e->used && lookup(a, e->key, e->hash)) add_entry(r, e->key, e->hash);
    }
    return r;
}

Dict *rt_set_diff(Dict *a, Dict *b) {
    if ((a->len >> 2) > b->len) {
        Dict *r = rt_set_copy(a);
        for (int64_t i = 0; i < b->cap; i++)
            if (b->entries[i].used) discard(r, b->entries[i].key);
        return r;
    }
    Dict *r = rt_set_new(a->kkind);
    for (int64_t i = 0; i < a->cap; i++) {
        DictEntry *e = &a->entries[i];
        if (e->used && !lookup(b, e->key, e->hash)) add_entry(r, e->key, e->hash);
    }
    return r;
}

Dict *rt_set_symdiff(Dict *a, Dict *b) {
    Dict *r = rt_set_copy(b);
    for (int64_t i = 0; i < a->cap; i++) {
        DictEntry *e = &a->entries[i];
        if (!e->used) continue;
        if (!discard(r, e->key)) add_entry(r, e->key, e->hash);
    }
    return r;
}

bool rt_set_subset(Dict *a, Dict *b) {
    if (a->len > b->len) return false;
    for (int64_t i = 0; i < a->cap; i++)
        if (a->entries[i].used && !lookup(b, a->entries[i].key, a->entries[i].hash)) return false;
    return true;
}
