/*
 * arith.c — Erlang arithmetic: small integers on the fast path, bignums when
 * a result does not fit 61 bits, floats when either side is one. Each
 * function returns NONV with badarith set on a bad operand.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "bignum.h"

int to_double(Term t, double *d)
{
    if (is_small(t)) {
        *d = (double)small_val(t);
        return 1;
    }
    if (is_float(t)) {
        *d = float_val(t);
        return 1;
    }
    if (is_bignum(t)) {
        *d = big_to_double(t);
        return isfinite(*d);     /* too large for a float: badarg/badarith, as in erl */
    }
    return 0;
}

Term make_integer(Proc *p, SInt v)
{
    if (fits_small(v))
        return make_small(v);
    return big_from_u64(p, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, v < 0);
}

int int_to_int64(Term t, SInt *out)
{
    if (is_small(t)) {
        *out = small_val(t);
        return 1;
    }
    if (is_bignum(t)) {
        const uint32_t *d;
        int neg;
        size_t n = big_digits(t, &d, &neg);
        if (n > 2 || (n == 2 && d[1] >> 31))
            return 0;
        uint64_t m = n == 2 ? ((uint64_t)d[1] << 32) | d[0] : d[0];
        *out = neg ? -(SInt)m : (SInt)m;
        return 1;
    }
    return 0;
}

int int_cmp(Term a, Term b)
{
    if (is_small(a) && is_small(b))
        return (SInt)a < (SInt)b ? -1 : (SInt)a > (SInt)b;
    uint32_t ba[2], bb[2];
    const uint32_t *da, *db;
    int sa, sb;
    size_t na = int_digits(a, ba, &da, &sa), nb = int_digits(b, bb, &db, &sb);
    if (sa != sb)
        return sa ? -1 : 1;
    int c = mag_cmp(da, na, db, nb);
    return sa ? -c : c;
}

static Term float_result(Proc *p, double r)
{
    if (!isfinite(r))
        return badarith(p);
    return make_float(p, r);
}

#define BOTH_INT(a, b) (is_integer(a) && is_integer(b))

Term arith_add(Proc *p, Term a, Term b)
{
    if (is_small(a) && is_small(b)) {
        SInt r = small_val(a) + small_val(b);
        return make_integer(p, r);
    }
    if (BOTH_INT(a, b))
        return big_add(p, a, b, 0);
    double x, y;
    if (!to_double(a, &x) || !to_double(b, &y))
        return badarith(p);
    return float_result(p, x + y);
}

Term arith_sub(Proc *p, Term a, Term b)
{
    if (is_small(a) && is_small(b))
        return make_integer(p, small_val(a) - small_val(b));
    if (BOTH_INT(a, b))
        return big_add(p, a, b, 1);
    double x, y;
    if (!to_double(a, &x) || !to_double(b, &y))
        return badarith(p);
    return float_result(p, x - y);
}

Term arith_mul(Proc *p, Term a, Term b)
{
    if (is_small(a) && is_small(b)) {
        SInt r;
        if (!__builtin_mul_overflow(small_val(a), small_val(b), &r))
            return make_integer(p, r);
        return big_mul(p, a, b);
    }
    if (BOTH_INT(a, b))
        return big_mul(p, a, b);
    double x, y;
    if (!to_double(a, &x) || !to_double(b, &y))
        return badarith(p);
    return float_result(p, x * y);
}

Term arith_div(Proc *p, Term a, Term b)
{
    double x, y;
    if (!to_double(a, &x) || !to_double(b, &y) || y == 0.0)
        return badarith(p);
    return float_result(p, x / y);
}

Term arith_intdiv(Proc *p, Term a, Term b)
{
    if (!BOTH_INT(a, b) || b == make_small(0))
        return badarith(p);
    if (is_small(a) && is_small(b))
        return make_integer(p, small_val(a) / small_val(b));
    Term q;
    big_divrem(p, a, b, &q, NULL);
    return q;
}

Term arith_rem(Proc *p, Term a, Term b)
{
    if (!BOTH_INT(a, b) || b == make_small(0))
        return badarith(p);
    if (is_small(a) && is_small(b))
        return make_small(small_val(a) % small_val(b));
    Term r;
    big_divrem(p, a, b, NULL, &r);
    return r;
}

Term arith_neg(Proc *p, Term a)
{
    if (is_small(a))
        return make_integer(p, -small_val(a));
    if (is_bignum(a))
        return big_add(p, make_small(0), a, 1);
    if (is_float(a))
        return make_float(p, -float_val(a));
    return badarith(p);
}

Term arith_band(Proc *p, Term a, Term b)
{
    if (is_small(a) && is_small(b))
        return a & b;
    if (!BOTH_INT(a, b))
        return badarith(p);
    return big_bitop(p, a, b, 0);
}

Term arith_bor(Proc *p, Term a, Term b)
{
    if (is_small(a) && is_small(b))
        return a | b;
    if (!BOTH_INT(a, b))
        return badarith(p);
    return big_bitop(p, a, b, 1);
}

Term arith_bxor(Proc *p, Term a, Term b)
{
    if (is_small(a) && is_small(b))
        return (a ^ b) | T_SMALL;
    if (!BOTH_INT(a, b))
        return badarith(p);
    return big_bitop(p, a, b, 2);
}

Term arith_bnot(Proc *p, Term a)
{
    if (is_small(a))
        return make_small(~small_val(a));
    if (!is_bignum(a))
        return badarith(p);
    return big_add(p, arith_neg(p, a), make_small(1), 1);
}

static Term shift(Proc *p, Term a, Term b, int left)
{
    if (!BOTH_INT(a, b))
        return badarith(p);
    SInt n;
    if (!int_to_int64(b, &n)) {
        /* a shift by a huge amount */
        int nb = is_bignum(b) && box_subtag(b) == S_BIGNEG;
        if ((left && !nb) || (!left && nb)) {
            if (a == make_small(0))
                return a;
            return raise(p, AM(error), AM(system_limit));
        }
        return int_cmp(a, make_small(0)) < 0 ? make_small(-1) : make_small(0);
    }
    if (!left)
        n = -n;
    if (is_small(a)) {
        SInt v = small_val(a);
        if (n <= 0) {
            if (n <= -63)
                return make_small(v < 0 ? -1 : 0);
            return make_small(v >> -n);
        }
        if (n < 62) {
            SInt r = (SInt)((uint64_t)v << n);     /* no signed overflow (UB) */
            if ((r >> n) == v && fits_small(r))
                return make_small(r);
        }
    }
    if (n > (SInt)1 << 26)
        return raise(p, AM(error), AM(system_limit));
    return big_shift(p, a, n);
}

Term arith_bsl(Proc *p, Term a, Term b) { return shift(p, a, b, 1); }
Term arith_bsr(Proc *p, Term a, Term b) { return shift(p, a, b, 0); }

Term int_to_string(Proc *p, Term i, int base)
{
    char buf[80];
    const char *s;
    size_t n;
    int neg = 0;
    char *heap_s = NULL;
    if (is_small(i)) {
        SInt v = small_val(i);
        uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        neg = v < 0;
        n = 0;
        do {
            buf[sizeof buf - 1 - n++] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[m % (uint64_t)base];
            m /= (uint64_t)base;
        } while (m);
        s = buf + sizeof buf - n;
    } else {
        heap_s = big_to_chars(i, base, &n, &neg);
        s = heap_s;
    }
    Term l = NIL;
    for (size_t k = n; k > 0; k--)
        l = cons(p, make_small((uint8_t)s[k - 1]), l);
    if (neg)
        l = cons(p, make_small('-'), l);
    free(heap_s);
    return l;
}

Term int_from_chars(Proc *p, const char *s, size_t n, int base)
{
    int neg = 0;
    if (n > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        s++;
        n--;
    }
    if (n == 0)
        return NONV;
    return big_from_chars(p, s, n, base, neg);
}
