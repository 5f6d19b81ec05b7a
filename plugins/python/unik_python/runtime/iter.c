/* itertools: permutations, combinations (with replacement) and product, in CPython's
 * order (lexicographic by position), each built as a list of tuples. */
#include <stdlib.h>
#include <string.h>

#include "pyrt.h"

static Tuple *pick(List *xs, const int64_t *idx, int64_t r) {
    unsigned char kinds[256];
    memset(kinds, (unsigned char)xs->kind, sizeof kinds);
    Tuple *t = rt_tuple_new((int)r, kinds);
    for (int64_t i = 0; i < r; i++) t->items[i] = xs->items[idx[i]];
    return t;
}

/* mode 0: permutations, 1: combinations, 2: combinations with replacement;
 * r < 0: len(xs) (permutations only). */
List *rt_it_choose(List *xs, int64_t r, int mode) {
    int64_t n = xs->len;
    if (r < 0 && mode == 0) r = n;
    if (r < 0) rt_raise_new(&T_ValueError, "r must be non-negative");
    if (r > 256) rt_raise_new(&T_ValueError, "tuples of more than 256 items are not supported");
    List *out = rt_list_new(RK_OBJ, 0);
    if (r > n && mode != 2) return out;
    if (n == 0 && r > 0) return out;
    int64_t *idx = malloc(sizeof(int64_t) * (size_t)(r + 1));
    bool *used = calloc((size_t)n + 1, 1);
    if (!idx || !used) rt_raise_new(&T_MemoryError, "out of memory");
    /* an odometer over positions; each state is checked against the mode's rule */
    for (int64_t i = 0; i < r; i++) idx[i] = mode == 0 ? i : (mode == 1 ? i : 0);
    for (;;) {
        bool ok = true;
        if (mode == 0) {
            memset(used, 0, (size_t)n);
            for (int64_t i = 0; i < r && ok; i++) {
                if (used[idx[i]]) ok = false;
                used[idx[i]] = true;
            }
        }
        if (ok) rt_list_append(out, rt_vp(pick(xs, idx, r)));
        /* next state */
        int64_t i = r - 1;
        if (mode == 0) {
            while (i >= 0 && idx[i] == n - 1) idx[i--] = 0;
            if (i < 0) break;
            idx[i]++;
        } else if (mode == 1) {
            while (i >= 0 && idx[i] == i + n - r) i--;
            if (i < 0) break;
            idx[i]++;
            for (int64_t j = i + 1; j < r; j++) idx[j] = idx[j - 1] + 1;
        } else {
            while (i >= 0 && idx[i] == n - 1) i--;
            if (i < 0) break;
            idx[i]++;
            for (int64_t j = i + 1; j < r; j++) idx[j] = idx[i];
        }
        if (r == 0) break;
    }
    free(idx);
    free(used);
    return out;
}

/* product(a, b, …): every tuple taking one item of each list, the last varying fastest */
List *rt_it_product(int n, const char *kinds, List **lists) {
    List *out = rt_list_new(RK_OBJ, 0);
    for (int i = 0; i < n; i++)
        if (lists[i]->len == 0) return out;
    int64_t idx[64] = {0};
    unsigned char k[64];
    if (n < 1 || n > 64) rt_raise_new(&T_ValueError, "product() of 1 to 64 iterables here");
    for (int i = 0; i < n; i++) k[i] = (unsigned char)(kinds[i] - '0');
    for (;;) {
        Tuple *t = rt_tuple_new(n, k);
        for (int i = 0; i < n; i++) t->items[i] = lists[i]->items[idx[i]];
        rt_list_append(out, rt_vp(t));
        int i = n - 1;
        while (i >= 0 && idx[i] == lists[i]->len - 1) idx[i--] = 0;
        if (i < 0) break;
        idx[i]++;
    }
    return out;
}
