/* bif_maps.c — the map BIFs (erlang:map_* and the maps functions BEAM has in C). */
#include <stdlib.h>
#include "vm.h"
#include "bifs_decl.h"
#include "maps.h"

static Term badmap(Proc *p, Term m) { return raise(p, AM(error), mk_tuple2(p, AM(badmap), m)); }

BIF(bif_map_size) { return is_map(a[0]) ? make_small((SInt)map_size(a[0])) : badmap(p, a[0]); }
BIF(bif_map_get)
{
    if (!is_map(a[1]))
        return badmap(p, a[1]);
    Term v = map_get(a[1], a[0]);
    return v == NONV ? raise(p, AM(error), mk_tuple2(p, AM(badkey), a[0])) : v;
}
BIF(bif_is_map_key)
{
    if (!is_map(a[1]))
        return badmap(p, a[1]);
    return map_get(a[1], a[0]) == NONV ? AM(false) : AM(true);
}
BIF(bif_is_map_key_swapped) { return bif_is_map_key(p, a); }
BIF(bif_maps_get) { return bif_map_get(p, a); }
BIF(bif_maps_find)
{
    if (!is_map(a[1]))
        return badmap(p, a[1]);
    Term v = map_get(a[1], a[0]);
    return v == NONV ? AM(error) : mk_tuple2(p, AM(ok), v);
}
BIF(bif_maps_put)
{
    if (!is_map(a[2]))
        return badmap(p, a[2]);
    return map_put(p, a[2], a[0], a[1]);
}
BIF(bif_maps_update)
{
    if (!is_map(a[2]))
        return badmap(p, a[2]);
    if (map_get(a[2], a[0]) == NONV)
        return raise(p, AM(error), mk_tuple2(p, AM(badkey), a[0]));
    return map_put(p, a[2], a[0], a[1]);
}
BIF(bif_maps_remove)
{
    if (!is_map(a[1]))
        return badmap(p, a[1]);
    return map_remove(p, a[1], a[0]);
}
BIF(bif_maps_take)
{
    if (!is_map(a[1]))
        return badmap(p, a[1]);
    Term v = map_get(a[1], a[0]);
    if (v == NONV)
        return AM(error);
    return mk_tuple2(p, v, map_remove(p, a[1], a[0]));
}
/*
 * Keys, values or {K, V} pairs (what = 0, 1, 2) from the from-th pair in
 * iteration order, onto tail. A large map's list is in reverse iteration
 * order, as BEAM's (it conses its pairs while it walks the trie): maps:keys
 * of a large map is its iteration order backwards, and erl prints the same.
 */
static Term map_list(Proc *p, Term m, int what, uint64_t from, Term tail)
{
    uint64_t n = map_size(m);
    Term *w = malloc_words(2 * n);
    map_to_arrays(m, w, w + n);
    int backwards = map_is_hashed(m);
    for (uint64_t j = n; j > from; j--) {
        uint64_t i = backwards ? from + n - j : j - 1;
        Term k = w[i], v = w[n + i];
        tail = cons(p, what == 0 ? k : what == 1 ? v : mk_tuple2(p, k, v), tail);
    }
    free(w);
    return tail;
}

BIF(bif_maps_keys) { return is_map(a[0]) ? map_list(p, a[0], 0, 0, NIL) : badmap(p, a[0]); }
BIF(bif_maps_values) { return is_map(a[0]) ? map_list(p, a[0], 1, 0, NIL) : badmap(p, a[0]); }
BIF(bif_maps_to_list) { return is_map(a[0]) ? map_list(p, a[0], 2, 0, NIL) : badmap(p, a[0]); }
BIF(bif_maps_from_list)
{
    uint64_t n = list_length(a[0]);
    if (n == (uint64_t)-1)
        return badarg(p);
    Term *kv = malloc((n + 1) * 2 * sizeof(Term));
    if (kv == NULL)
        fatal("out of memory");
    Term l = a[0];
    for (uint64_t i = 0; i < n; i++, l = CDR(l)) {
        Term t = CAR(l);
        if (!is_tuple(t) || tuple_size(t) != 2) {
            free(kv);
            return badarg(p);
        }
        kv[i] = tuple_ptr(t)[0];
        kv[n + i] = tuple_ptr(t)[1];
    }
    Term m = map_new(p, kv, kv + n, n);
    free(kv);
    return m;
}
BIF(bif_maps_from_keys)
{
    uint64_t n = list_length(a[0]);
    if (n == (uint64_t)-1)
        return badarg(p);
    Term *kv = malloc((n + 1) * 2 * sizeof(Term));
    if (kv == NULL)
        fatal("out of memory");
    Term l = a[0];
    for (uint64_t i = 0; i < n; i++, l = CDR(l)) {
        kv[i] = CAR(l);
        kv[n + i] = a[1];
    }
    Term m = map_new(p, kv, kv + n, n);
    free(kv);
    return m;
}
BIF(bif_maps_merge)
{
    if (!is_map(a[0]))
        return badmap(p, a[0]);
    if (!is_map(a[1]))
        return badmap(p, a[1]);
    Term m1 = a[0], m2 = a[1];
    uint64_t n1 = map_size(m1), n2 = map_size(m2);
    if (n1 + n2 > MAP_FLAT_MAX && (n1 < n2 / 8 || n2 < n1 / 8)) {
        /* a small map into a large one: put the few keys (the second map's win) */
        int second_small = n1 >= n2;    /* then its keys win */
        Term big = second_small ? m1 : m2, small = second_small ? m2 : m1;
        uint64_t ns = map_size(small);
        Term *w = malloc_words(2 * ns);
        map_to_arrays(small, w, w + ns);
        for (uint64_t i = 0; i < ns; i++)
            if (second_small || map_get(big, w[i]) == NONV)
                big = map_put(p, big, w[i], w[ns + i]);
        free(w);
        return big;
    }
    Term *k = malloc_words((n1 + n2 + 1) * 2);
    Term *v = k + n1 + n2 + 1;
    map_to_arrays(m1, k, v);
    map_to_arrays(m2, k + n1, v + n1);
    Term m = map_new(p, k, v, n1 + n2);
    free(k);
    return m;
}
BIF(bif_maps_new)
{
    (void)a;
    return map_new(p, NULL, NULL, 0);
}

/* erts_internal:map_next(Index, Map, iterator | Acc): the iterator maps:next/1 uses. */
BIF(bif_map_next)
{
    if (!is_small(a[0]) || small_val(a[0]) < 0 || !is_map(a[1]))
        return badarg(p);
    uint64_t i = (uint64_t)small_val(a[0]);
    Term m = a[1];
    if (a[2] == AM(iterator)) {
        if (i >= map_size(m))
            return AM(none);
        Term k, v;
        map_nth(m, i, &k, &v);
        Term next = cons(p, make_small((SInt)i + 1), m);
        return mk_tuple3(p, k, v, next);
    }
    /* a list accumulator: the rest as {K, V} pairs onto it */
    if (i >= map_size(m))
        return a[2];
    return map_list(p, m, 2, i, a[2]);
}
