/* dict[K, V] and set[T]: insertion-ordered hash tables (an entry array plus an
 * open-addressing index), the layout CPython's dict uses. Sets share it. */
#include <stdio.h>
#include <stdlib.h>

#include "pyrt.h"

void rt_gc_account(size_t bytes);

static Str *dict_repr(Obj *o) {
    Dict *d = (Dict *)o;
    if (d->is_set && d->len == 0) return rt_str_c("set()");
    Buf b = {0};
    rt_buf_add(&b, "{", 1);
    bool first = true;
    for (int64_t i = 0; rt_dict_next(d, &i); i++) {
        if (!first) rt_buf_add(&b, ", ", 2);
        first = false;
        rt_buf_str(&b, rt_repr_val(d->entries[i].key, d->kkind));
        if (!d->is_set) {
            rt_buf_add(&b, ": ", 2);
            rt_buf_str(&b, rt_repr_val(d->entries[i].value, d->vkind));
        }
    }
    rt_buf_add(&b, "}", 1);
    return rt_buf_done(&b);
}
static bool dict_eq(Obj *a, Obj *b) {
    Dict *x = (Dict *)a, *y = (Dict *)b;
    if (x->len != y->len) return false;
    for (int64_t i = 0; rt_dict_next(x, &i); i++) {
        Val v;
        if (!rt_dict_get_opt(y, x->entries[i].key, &v)) return false;
        if (!x->is_set && !rt_eq_val(v, x->entries[i].value, x->vkind)) return false;
    }
    return true;
}
static int set_cmp(Obj *a, Obj *b, int op) {
    Dict *x = (Dict *)a, *y = (Dict *)b;
    switch (op) {
    case CMP_LE: return rt_set_subset(x, y);
    case CMP_LT: return x->len < y->len && rt_set_subset(x, y);
    case CMP_GE: return rt_set_subset(y, x);
    default: return y->len < x->len && rt_set_subset(y, x);
    }
}
static void dict_trace(Obj *o) {
    Dict *d = (Dict *)o;
    for (int64_t i = 0; i < d->nentries; i++) {
        if (!d->entries[i].used) continue;
        rt_gc_mark_val(d->entries[i].key, d->kkind);
        if (!d->is_set) rt_gc_mark_val(d->entries[i].value, d->vkind);
    }
}
static void dict_fin(Obj *o) {
    Dict *d = (Dict *)o;
    free(d->entries);
    free(d->index);
}
static int64_t dict_len(Obj *o) { return ((Dict *)o)->len; }
const Type T_Dict = {.name = "dict", .repr = dict_repr, .eq = dict_eq, .trace = dict_trace,
                     .fin = dict_fin, .len = dict_len};
const Type T_Set = {.name = "set", .repr = dict_repr, .eq = dict_eq, .cmp = set_cmp,
                    .trace = dict_trace, .fin = dict_fin, .len = dict_len};

/* frozenset: a set that is never changed after it is built, so it hashes (as
 * CPython's does: the order-free xor of its items' shuffled hashes). Its base
 * is set, so sets and frozensets compare equal and order by inclusion. */
static Str *frozenset_repr(Obj *o) {
    Dict *d = (Dict *)o;
    if (d->len == 0) return rt_str_c("frozenset()");
    Str *inner = dict_repr(o);
    return rt_str_fmt("frozenset(%s)", inner->data);
}

static uint64_t shuffle_bits(uint64_t h) { return ((h ^ 89869747ULL) ^ (h << 16)) * 3644798167ULL; }

static int64_t frozenset_hash(Obj *o) {
    Dict *d = (Dict *)o;
    uint64_t h = 0;
    for (int64_t i = 0; rt_dict_next(d, &i); i++)
        h ^= shuffle_bits((uint64_t)rt_hash_val(d->entries[i].key, d->kkind));
    h ^= ((uint64_t)d->len + 1) * 1927868237ULL;
    h ^= (h >> 11) ^ (h >> 25);
    h = h * 69069U + 907133923ULL;
    return h == (uint64_t)-1 ? 590923713 : (int64_t)h;
}

const Type T_FrozenSet = {.name = "frozenset", .base = &T_Set, .repr = frozenset_repr,
                          .eq = dict_eq, .hash = frozenset_hash, .cmp = set_cmp,
                          .trace = dict_trace, .fin = dict_fin, .len = dict_len};

Dict *rt_frozen(Dict *d) {
    d->h.type = &T_FrozenSet;
    return d;
}

Dict *rt_dict_new(int kkind, int vkind) {
    Dict *d = rt_alloc(&T_Dict, sizeof(Dict));
    d->kkind = kkind;
    d->vkind = vkind;
    return d;
}


static void rebuild(Dict *d, int64_t need) {
    /* compact the entries, then size the index for need live entries */
    int64_t k = 0;
    for (int64_t i = 0; i < d->nentries; i++)
        if (d->entries[i].used) d->entries[k++] = d->entries[i];
    d->nentries = k;
    int64_t cap = 8;
    while (cap < need + need / 2 + 1) cap *= 2;
    if (cap > d->cap || cap < d->cap / 4) {
        DictEntry *e = realloc(d->entries, (size_t)cap * sizeof(DictEntry));
        if (!e) rt_raise_new(&T_MemoryError, "out of memory");
        rt_gc_account((size_t)(cap > d->cap ? cap - d->cap : 0) * sizeof(DictEntry));
        d->entries = e;
        d->cap = cap;
    }
    int64_t ni = 8;
    while (ni < cap * 2) ni *= 2;
    free(d->index);
    d->index = malloc((size_t)ni * sizeof(int64_t));
    if (!d->index) rt_raise_new(&T_MemoryError, "out of memory");
    rt_gc_account((size_t)ni * sizeof(int64_t));
    memset(d->index, 0xff, (size_t)ni * sizeof(int64_t));
    d->nindex = ni;
    for (int64_t i = 0; i < d->nentries; i++) {
        uint64_t m = (uint64_t)ni - 1, j = (uint64_t)d->entries[i].hash & m;
        while (d->index[j] != -1) j = (j + 1) & m;
        d->index[j] = i;
    }
}

/* The index slot holding key k, or the -1 slot where it would go. */
static int64_t lookup(Dict *d, Val k, int64_t h, bool *found) {
    *found = false;
    if (!d->nindex) return -1;
    uint64_t m = (uint64_t)d->nindex - 1, j = (uint64_t)h & m;
    int64_t tomb = -1;
    for (;;) {
        int64_t e = d->index[j];
        if (e == -1) return tomb >= 0 ? tomb : (int64_t)j;
        if (e == -2) {
            if (tomb < 0) tomb = (int64_t)j;
        } else if (d->entries[e].hash == h && rt_eq_val(d->entries[e].key, k, d->kkind)) {
            *found = true;
            return (int64_t)j;
        }
        j = (j + 1) & m;
    }
}

static int64_t hash_key(Dict *d, Val k) { return rt_hash_val(k, d->kkind); }

bool rt_set_contains(Dict *s, Val k);
void rt_set_clear(Dict *s);

bool rt_dict_get_opt(Dict *d, Val k, Val *out) {
    if (d->is_set) {
        out->i = 0;
        return rt_set_contains(d, k);
    }
    bool found;
    int64_t j = lookup(d, k, hash_key(d, k), &found);
    if (found) *out = d->entries[d->index[j]].value;
    return found;
}

Val rt_dict_get(Dict *d, Val k) {
    Val v;
    if (!rt_dict_get_opt(d, k, &v)) {
        Exc *e = rt_exc_new(&T_KeyError, rt_repr_val(k, d->kkind));
        rt_raise(e);
    }
    return v;
}

bool rt_dict_contains(Dict *d, Val k) {
    if (d->is_set) return rt_set_contains(d, k);
    bool found;
    lookup(d, k, hash_key(d, k), &found);
    return found;
}

void rt_dict_set(Dict *d, Val k, Val v) {
    int64_t h = hash_key(d, k);
    bool found;
    int64_t j = lookup(d, k, h, &found);
    if (found) { d->entries[d->index[j]].value = v; return; }
    if (d->nentries + 1 > d->cap || (d->nentries + 1) * 2 > d->nindex) {
        rebuild(d, d->len + 1);
        j = lookup(d, k, h, &found);
    }
    DictEntry *e = &d->entries[d->nentries];
    e->key = k;
    e->value = v;
    e->hash = h;
    e->used = true;
    d->index[j] = d->nentries++;
    d->len++;
}

static bool remove_key(Dict *d, Val k, Val *out) {
    bool found;
    int64_t j = lookup(d, k, hash_key(d, k), &found);
    if (!found) return false;
    DictEntry *e = &d->entries[d->index[j]];
    if (out) *out = e->value;
    e->used = false;
    d->index[j] = -2;
    d->len--;
    return true;
}

void rt_dict_del(Dict *d, Val k) {
    if (d->is_set) {
        rt_set_remove(d, k);
        return;
    }
    if (!remove_key(d, k, NULL)) rt_raise(rt_exc_new(&T_KeyError, rt_repr_val(k, d->kkind)));
}

Val rt_dict_pop(Dict *d, Val k, bool has_default, Val dflt) {
    Val v;
    if (remove_key(d, k, &v)) return v;
    if (has_default) return dflt;
    rt_raise(rt_exc_new(&T_KeyError, rt_repr_val(k, d->kkind)));
}

Tuple *rt_dict_popitem(Dict *d) {
    for (int64_t i = d->nentries - 1; i >= 0; i--) {
        if (!d->entries[i].used) continue;
        unsigned char kinds[2] = {(unsigned char)d->kkind, (unsigned char)d->vkind};
        Tuple *t = rt_tuple_new(2, kinds);
        t->items[0] = d->entries[i].key;
        t->items[1] = d->entries[i].value;
        remove_key(d, d->entries[i].key, NULL);
        return t;
    }
    rt_raise_new(&T_KeyError, "'popitem(): dictionary is empty'");
}

void rt_dict_clear(Dict *d) {
    if (d->is_set) {
        rt_set_clear(d);
        return;
    }
    d->len = d->nentries = 0;
    if (d->index) memset(d->index, 0xff, (size_t)d->nindex * sizeof(int64_t));
}

Dict *rt_set_copy(Dict *s);
void rt_set_merge(Dict *s, Dict *o);
Dict *rt_dict_copy(Dict *d) {
    if (d->is_set) return rt_set_copy(d);
    Dict *r = rt_dict_new(d->kkind, d->vkind);
    for (int64_t i = 0; rt_dict_next(d, &i); i++)
        rt_dict_set(r, d->entries[i].key, d->entries[i].value);
    return r;
}

void rt_dict_update(Dict *d, Dict *o) {
    if (d->is_set) {
        rt_set_merge(d, o);
        return;
    }
    for (int64_t i = 0; rt_dict_next(o, &i); i++)
        rt_dict_set(d, o->entries[i].key, o->entries[i].value);
}

List *rt_dict_keys(Dict *d) {
    List *l = rt_list_new(d->kkind, 0);
    for (int64_t i = 0; rt_dict_next(d, &i); i++) rt_list_append(l, d->entries[i].key);
    return l;
}

List *rt_dict_values(Dict *d) {
    List *l = rt_list_new(d->vkind, 0);
    for (int64_t i = 0; rt_dict_next(d, &i); i++) rt_list_append(l, d->entries[i].value);
    return l;
}

List *rt_dict_items(Dict *d) {
    List *l = rt_list_new(RK_OBJ, 0);
    unsigned char kinds[2] = {(unsigned char)d->kkind, (unsigned char)d->vkind};
    for (int64_t i = 0; rt_dict_next(d, &i); i++) {
        Tuple *t = rt_tuple_new(2, kinds);
        t->items[0] = d->entries[i].key;
        t->items[1] = d->entries[i].value;
        rt_list_append(l, rt_vp(t));
    }
    return l;
}

