/*
 * compare.c — equality and Erlang's term order:
 * number < atom < reference < fun < port < pid < tuple < map < [] < list < bitstring
 */
#include <string.h>
#include <math.h>
#include "vm.h"
#include <stdlib.h>
#include "bits.h"
#include "maps.h"

static int class_of(Term t)
{
    switch (TAG(t)) {
    case T_SMALL: return 0;
    case T_ATOM: return 1;
    case T_PID: return 5;
    case T_CONS: return 9;
    case T_IMM2: return is_ref(t) ? 2 : t == NIL ? 8 : 11;
    case T_BOXED:
        switch (box_subtag(t)) {
        case S_FLOAT: case S_BIGPOS: case S_BIGNEG: return 0;
        case S_FUN: case S_EXPORT: return 3;
        case S_TUPLE: return 6;
        case S_MAP: case S_HMAP: return 7;
        default: return 10;
        }
    default: return 11;
    }
}

/* sign(i - d) for an integer i and a float d of the same rounded value
 * (so d is integral when i is beyond 2^53), without rounding */
static int cmp_int_double(Term i, double d)
{
    if (is_small(i)) {
        SInt v = small_val(i);
        if (v > -9007199254740992LL && v < 9007199254740992LL)
            return 0;                   /* exact as a double: equal */
        SInt dv = (SInt)d;              /* |d| < 2^61 here: exact */
        return v < dv ? -1 : v > dv;
    }
    const uint32_t *bd;
    int neg;
    size_t n = big_digits(i, &bd, &neg);
    int e;
    double m = frexp(fabs(d), &e);      /* |d| = m * 2^e, m in [0.5, 1) */
    uint64_t mant = (uint64_t)ldexp(m, 53);
    e -= 53;                            /* |d| = mant * 2^e, e >= 0 here */
    if (e < 0)
        return neg ? -1 : 1;            /* cannot happen for equal roundings */
    uint32_t dd[40] = {0};              /* |d| < 2^1024: 33 digits */
    size_t w = (size_t)e / 32, sh = (size_t)e % 32;
    unsigned __int128 v = (unsigned __int128)mant << sh;
    for (size_t k = 0; k < 4 && w + k < 40; k++)
        dd[w + k] = (uint32_t)(v >> (32 * k));
    size_t dn = 40;
    while (dn > 0 && dd[dn - 1] == 0)
        dn--;
    int c = 0;
    if (n != dn) {
        c = n < dn ? -1 : 1;
    } else {
        for (size_t k = n; k-- > 0;)
            if (bd[k] != dd[k]) {
                c = bd[k] < dd[k] ? -1 : 1;
                break;
            }
    }
    return neg ? -c : c;
}

static int cmp_num(Term a, Term b, int exact)
{
    if (is_small(a) && is_small(b))
        return (SInt)a < (SInt)b ? -1 : (SInt)a > (SInt)b;
    int fa = is_float(a), fb = is_float(b);
    if (!fa && !fb)
        return int_cmp(a, b);
    if (exact && fa != fb)
        return fa ? 1 : -1;     /* map-key order: every integer before every float */
    double x, y;
    to_double(a, &x);
    to_double(b, &y);
    if (x < y)
        return -1;
    if (x > y)
        return 1;
    if (!fa || !fb) {
        /* an integer whose rounded value equals the float: erl compares them
         * exactly (float(N) == N is false when N is not representable) */
        int c = fa ? -cmp_int_double(b, x) : cmp_int_double(a, y);
        if (c != 0)
            return c;
    }
    return 0;
}

static int cmp_atoms(Term a, Term b)
{
    size_t la, lb;
    const char *sa = atom_name(a, &la), *sb = atom_name(b, &lb);
    int c = memcmp(sa, sb, la < lb ? la : lb);
    if (c)
        return c < 0 ? -1 : 1;
    return la < lb ? -1 : la > lb;
}

static int cmp_bits(Term a, Term b)
{
    BitView x, y;
    bits_view(a, &x);
    bits_view(b, &y);
    uint64_t n = x.bits < y.bits ? x.bits : y.bits;
    for (uint64_t i = 0; i + 8 <= n; i += 8) {
        unsigned ca = bits_byte(&x, i), cb = bits_byte(&y, i);
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    for (uint64_t i = n & ~7ULL; i < n; i++) {
        unsigned ca = bits_bit(&x, i), cb = bits_bit(&y, i);
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    return x.bits < y.bits ? -1 : x.bits > y.bits;
}

static int cmp(Term a, Term b, int exact);

/* size, then the keys in exact term order, then the values in that order */
static int cmp_maps(Term a, Term b, int exact)
{
    uint64_t na = map_size(a), nb = map_size(b);
    if (na != nb)
        return na < nb ? -1 : 1;
    if (map_is_flat(a) && map_is_flat(b)) {
        int c = cmp(flatmap_keys(a), flatmap_keys(b), 1);
        for (uint64_t i = 0; c == 0 && i < na; i++)
            c = cmp(flatmap_vals(a)[i], flatmap_vals(b)[i], exact);
        return c;
    }
    if (!map_is_flat(a) && !map_is_flat(b) && hmap_equal(a, b, exact, cmp))
        return 0;
    Term *w = malloc_words(4 * na);
    map_sorted(a, w, w + na);
    map_sorted(b, w + 2 * na, w + 3 * na);
    int c = 0;
    for (uint64_t i = 0; c == 0 && i < na; i++)
        c = cmp(w[i], w[2 * na + i], 1);
    for (uint64_t i = 0; c == 0 && i < na; i++)
        c = cmp(w[na + i], w[3 * na + i], exact);
    free(w);
    return c;
}

static int cmp(Term a, Term b, int exact)
{
    for (;;) {
        if (a == b)
            return 0;
        int ca = class_of(a), cb = class_of(b);
        if (ca != cb)
            return ca < cb ? -1 : 1;
        switch (ca) {
        case 0: {
            int c = cmp_num(a, b, exact);
            if (c == 0 && exact && is_float(a) != is_float(b))
                return is_float(a) ? 1 : -1;
            return c;
        }
        case 1: return cmp_atoms(a, b);
        case 2: return (a >> 6) < (b >> 6) ? -1 : 1;
        case 5: return a < b ? -1 : 1;
        case 8: return 0;
        case 3: {
            Term *x = box_ptr(a), *y = box_ptr(b);
            if (box_subtag(a) != box_subtag(b))
                return box_subtag(a) == S_EXPORT ? 1 : -1;
            uint64_t n = box_arity(a) < box_arity(b) ? box_arity(a) : box_arity(b);
            for (uint64_t i = 1; i <= n; i++) {
                int c = cmp(x[i], y[i], exact);
                if (c)
                    return c;
            }
            return box_arity(a) < box_arity(b) ? -1 : box_arity(a) > box_arity(b);
        }
        case 6: {
            uint64_t na = tuple_size(a), nb = tuple_size(b);
            if (na != nb)
                return na < nb ? -1 : 1;
            if (na == 0)
                return 0;
            Term *x = tuple_ptr(a), *y = tuple_ptr(b);
            for (uint64_t i = 0; i + 1 < na; i++) {
                int c = cmp(x[i], y[i], exact);
                if (c)
                    return c;
            }
            a = x[na - 1];
            b = y[na - 1];
            continue;
        }
        case 7: return cmp_maps(a, b, exact);
        case 9: {
            int c = cmp(CAR(a), CAR(b), exact);
            if (c)
                return c;
            a = CDR(a);
            b = CDR(b);
            continue;
        }
        case 10: return cmp_bits(a, b);
        default: return a < b ? -1 : a > b;
        }
    }
}

int term_cmp(Term a, Term b) { return cmp(a, b, 0); }
int term_cmp_exact(Term a, Term b) { return cmp(a, b, 1); }

int term_eq(Term a, Term b) { return a == b || cmp(a, b, 0) == 0; }

int term_eq_exact(Term a, Term b)
{
    if (a == b)
        return 1;
    if (TAG(a) != TAG(b) || (!is_boxed(a) && !is_cons(a)))
        return 0;
    return cmp(a, b, 1) == 0;
}
