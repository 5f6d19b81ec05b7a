/*
 * bigint.c — the slow path of Python's int: arbitrary precision.
 *
 * An int is an int64_t. Values in [RT_SMALL_MIN, INT64_MAX] are themselves (the
 * fast path, inline in pyrt.h); a word below RT_SMALL_MIN is a BigInt pointer
 * p encoded as INT64_MIN + p (guest addresses are below 2**47). Every result is
 * normalised: a value that fits the small range is always small, so a BigInt is
 * never equal to a small int and two ints are equal iff their magnitudes are.
 *
 * A BigInt is a sign and a magnitude of 32-bit digits, least significant first.
 * Products and quotients use 64-bit arithmetic; division is Knuth's algorithm D.
 */
#include "pyrt.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
    Obj h;
    int32_t neg;
    int32_t n;          /* digits, the top one non-zero */
    uint32_t d[];
} BigInt;

const Type T_BigInt = {.name = "int"};

/* A number being worked on: a view of a BigInt, a small int or a scratch array. */
typedef struct {
    int neg;
    int n;
    uint32_t *d;
    uint32_t buf[2];
} Num;

static void *scratch(size_t ndigits) {
    /* Temporaries live in the GC heap as raw objects (no trace): the conservative
     * stack scan keeps them while in use; nothing else refers to them. */
    Obj *o = rt_alloc(&T_BigInt, sizeof(BigInt) + (ndigits + 1) * sizeof(uint32_t));
    return ((BigInt *)o)->d;
}

static void load(int64_t x, Num *t) {
    if (x < RT_SMALL_MIN) {
        BigInt *b = (BigInt *)(uintptr_t)((uint64_t)x - (uint64_t)INT64_MIN);
        t->neg = b->neg;
        t->n = b->n;
        t->d = b->d;
        return;
    }
    uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    t->neg = x < 0;
    t->buf[0] = (uint32_t)u;
    t->buf[1] = (uint32_t)(u >> 32);
    t->d = t->buf;
    t->n = t->buf[1] ? 2 : t->buf[0] ? 1 : 0;
}

static int trim(const uint32_t *d, int n) {
    while (n > 0 && d[n - 1] == 0) n--;
    return n;
}

/* The int with this sign and magnitude: small if it fits, else a new BigInt. */
static int64_t finish(int neg, const uint32_t *d, int n) {
    n = trim(d, n);
    if (n <= 2) {
        uint64_t u = n == 0 ? 0 : n == 1 ? d[0] : ((uint64_t)d[1] << 32 | d[0]);
        if (!neg && u <= (uint64_t)INT64_MAX) return (int64_t)u;
        if (neg && u <= (uint64_t)0 - (uint64_t)RT_SMALL_MIN) return (int64_t)((uint64_t)0 - u);
    }
    BigInt *b = rt_alloc(&T_BigInt, sizeof(BigInt) + (size_t)n * sizeof(uint32_t));
    b->neg = neg;
    b->n = n;
    memcpy(b->d, d, (size_t)n * sizeof(uint32_t));
    return (int64_t)((uint64_t)INT64_MIN + (uint64_t)(uintptr_t)b);
}

int64_t rt_int_from_i64(int64_t x) {
    if (x >= RT_SMALL_MIN) return x;
    Num t;
    load(x, &t);
    return finish(t.neg, t.d, t.n);
}

int64_t rt_int_from_u64(uint64_t u) {
    uint32_t d[2] = {(uint32_t)u, (uint32_t)(u >> 32)};
    return finish(0, d, 2);
}

/* ---- magnitudes ---- */
static int mag_cmp(const Num *a, const Num *b) {
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i]) return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

static int mag_add(const Num *a, const Num *b, uint32_t *r) {
    if (a->n < b->n) { const Num *t = a; a = b; b = t; }
    uint64_t c = 0;
    int i = 0;
    for (; i < b->n; i++) { c += (uint64_t)a->d[i] + b->d[i]; r[i] = (uint32_t)c; c >>= 32; }
    for (; i < a->n; i++) { c += a->d[i]; r[i] = (uint32_t)c; c >>= 32; }
    r[i] = (uint32_t)c;
    return i + 1;
}

/* r = a - b with |a| >= |b|. */
static int mag_sub(const Num *a, const Num *b, uint32_t *r) {
    int64_t c = 0;
    int i = 0;
    for (; i < b->n; i++) {
        c += (int64_t)a->d[i] - b->d[i];
        r[i] = (uint32_t)c;
        c = c < 0 ? -1 : 0;
    }
    for (; i < a->n; i++) { c += a->d[i]; r[i] = (uint32_t)c; c = c < 0 ? -1 : 0; }
    return a->n;
}

static int mag_mul(const Num *a, const Num *b, uint32_t *r) {
    int n = a->n + b->n;
    memset(r, 0, (size_t)n * sizeof(uint32_t));
    for (int i = 0; i < a->n; i++) {
        uint64_t c = 0, x = a->d[i];
        if (!x) continue;
        for (int j = 0; j < b->n; j++) {
            c += x * b->d[j] + r[i + j];
            r[i + j] = (uint32_t)c;
            c >>= 32;
        }
        r[i + b->n] = (uint32_t)c;
    }
    return n;
}

/* q = a / v (one digit), returns the remainder; q may be a->d. */
static uint32_t mag_div1(const uint32_t *a, int n, uint32_t v, uint32_t *q) {
    uint64_t rem = 0;
    for (int i = n - 1; i >= 0; i--) {
        uint64_t cur = rem << 32 | a[i];
        q[i] = (uint32_t)(cur / v);
        rem = cur % v;
    }
    return (uint32_t)rem;
}

/* Truncating division of magnitudes (Knuth, TAOCP 4.3.1, algorithm D):
 * q gets a->n - b->n + 1 digits, r gets b->n digits. b is non-zero. */
static void mag_divmod(const Num *a, const Num *b, uint32_t *q, uint32_t *r) {
    int n = b->n, m = a->n - b->n;
    if (m < 0) {
        memcpy(r, a->d, (size_t)a->n * sizeof(uint32_t));
        memset(r + a->n, 0, (size_t)(n - a->n) * sizeof(uint32_t));
        q[0] = 0;
        return;
    }
    if (n == 1) {
        r[0] = mag_div1(a->d, a->n, b->d[0], q);
        return;
    }
    int s = __builtin_clz(b->d[n - 1]);
    uint32_t *vn = scratch((size_t)n), *un = scratch((size_t)a->n + 1);
    for (int i = n - 1; i > 0; i--)
        vn[i] = s ? (b->d[i] << s) | (b->d[i - 1] >> (32 - s)) : b->d[i];
    vn[0] = b->d[0] << s;
    un[a->n] = s ? a->d[a->n - 1] >> (32 - s) : 0;
    for (int i = a->n - 1; i > 0; i--)
        un[i] = s ? (a->d[i] << s) | (a->d[i - 1] >> (32 - s)) : a->d[i];
    un[0] = a->d[0] << s;
    for (int j = m; j >= 0; j--) {
        uint64_t num = (uint64_t)un[j + n] << 32 | un[j + n - 1];
        uint64_t qhat = num / vn[n - 1], rhat = num % vn[n - 1];
        while (qhat >> 32 || qhat * vn[n - 2] > (rhat << 32 | un[j + n - 2])) {
            qhat--;
            rhat += vn[n - 1];
            if (rhat >> 32) break;
        }
        int64_t borrow = 0;
        uint64_t carry = 0;
        for (int i = 0; i < n; i++) {
            uint64_t p = qhat * vn[i] + carry;
            carry = p >> 32;
            int64_t t = (int64_t)un[i + j] - (int64_t)(uint32_t)p + borrow;
            un[i + j] = (uint32_t)t;
            borrow = t >> 32;
        }
        int64_t t = (int64_t)un[j + n] - (int64_t)carry + borrow;
        un[j + n] = (uint32_t)t;
        if (t < 0) {   /* qhat was one too big: add the divisor back */
            qhat--;
            uint64_t c = 0;
            for (int i = 0; i < n; i++) {
                c += (uint64_t)un[i + j] + vn[i];
                un[i + j] = (uint32_t)c;
                c >>= 32;
            }
            un[j + n] += (uint32_t)c;
        }
        q[j] = (uint32_t)qhat;
    }
    for (int i = 0; i < n; i++)
        r[i] = s ? (un[i] >> s) | (un[i + 1] << (32 - s)) : un[i];
}

/* ---- signed arithmetic ---- */
static int64_t add_signed(const Num *a, const Num *b, int bneg) {
    uint32_t *r = scratch((size_t)(a->n > b->n ? a->n : b->n) + 1);
    if (a->neg == bneg) return finish(a->neg, r, mag_add(a, b, r));
    if (mag_cmp(a, b) >= 0) return finish(a->neg, r, mag_sub(a, b, r));
    return finish(bneg, r, mag_sub(b, a, r));
}

int64_t rt_big_add(int64_t x, int64_t y) {
    Num a, b;
    load(x, &a);
    load(y, &b);
    return add_signed(&a, &b, b.neg);
}

int64_t rt_big_sub(int64_t x, int64_t y) {
    Num a, b;
    load(x, &a);
    load(y, &b);
    return add_signed(&a, &b, !b.neg);
}

int64_t rt_big_mul(int64_t x, int64_t y) {
    Num a, b;
    load(x, &a);
    load(y, &b);
    if (!a.n || !b.n) return 0;
    uint32_t *r = scratch((size_t)(a.n + b.n));
    return finish(a.neg != b.neg, r, mag_mul(&a, &b, r));
}

int64_t rt_big_neg(int64_t x) {
    Num a;
    load(x, &a);
    return finish(!a.neg && a.n, a.d, a.n);
}

int64_t rt_big_abs(int64_t x) {
    Num a;
    load(x, &a);
    return finish(0, a.d, a.n);
}

/* Python's floor division and modulo: the remainder has the divisor's sign. */
void rt_big_divmod(int64_t x, int64_t y, int64_t *qo, int64_t *ro) {
    Num a, b;
    load(x, &a);
    load(y, &b);
    if (!b.n) rt_raise_new(&T_ZeroDivisionError, "integer division or modulo by zero");
    int qn = a.n - b.n + 1 > 0 ? a.n - b.n + 1 : 1;
    uint32_t *q = scratch((size_t)qn + 1), *r = scratch((size_t)b.n + 1);
    memset(q, 0, ((size_t)qn + 1) * sizeof(uint32_t));
    mag_divmod(&a, &b, q, r);
    int rn = trim(r, b.n);
    if (rn && a.neg != b.neg) {
        /* floor: q = -(|q| + 1), r = |b| - |r| with b's sign */
        Num qq = {.neg = 0, .n = qn, .d = q}, one = {.neg = 0, .n = 1, .d = (uint32_t[]){1}};
        uint32_t *q2 = scratch((size_t)qn + 1);
        int q2n = mag_add(&qq, &one, q2);
        Num rr = {.neg = 0, .n = rn, .d = r};
        uint32_t *r2 = scratch((size_t)b.n);
        int r2n = mag_sub(&b, &rr, r2);
        if (qo) *qo = finish(1, q2, q2n);
        if (ro) *ro = finish(b.neg, r2, r2n);
        return;
    }
    if (qo) *qo = finish(a.neg != b.neg, q, qn);
    if (ro) *ro = finish(b.neg, r, rn);
}

int64_t rt_big_floordiv(int64_t x, int64_t y) {
    int64_t q;
    rt_big_divmod(x, y, &q, NULL);
    return q;
}

int64_t rt_big_mod(int64_t x, int64_t y) {
    int64_t r;
    rt_big_divmod(x, y, NULL, &r);
    return r;
}

int rt_big_cmp(int64_t x, int64_t y) {
    Num a, b;
    load(x, &a);
    load(y, &b);
    if (!a.n && !b.n) return 0;
    if (a.neg != b.neg) return a.neg ? -1 : 1;
    int c = mag_cmp(&a, &b);
    return a.neg ? -c : c;
}

static int64_t bits_of(const Num *a) {
    return a->n ? (int64_t)a->n * 32 - __builtin_clz(a->d[a->n - 1]) : 0;
}

int64_t rt_int_bit_length(int64_t x) {
    Num a;
    load(x, &a);
    return bits_of(&a);
}

int64_t rt_ipow(int64_t base, int64_t e) {
    if (rt_int_lt(e, 0)) rt_raise_new(&T_ValueError, "negative int exponent: use a float base");
    if (e < RT_SMALL_MIN) {   /* a huge exponent: only 0, 1 and -1 give an answer */
        Num eb;
        load(e, &eb);
        if (eb.neg) rt_raise_new(&T_ValueError, "negative int exponent: use a float base");
        if (base == 0 || base == 1) return base;
        if (base == -1) return eb.d[0] & 1 ? -1 : 1;
        rt_raise_new(&T_MemoryError, "int too large (exponent out of range)");
    }
    int64_t r = 1;
    while (e) {
        if (e & 1) r = rt_mul(r, base);
        e >>= 1;
        if (e) base = rt_mul(base, base);
    }
    return r;
}

int64_t rt_powmod(int64_t base, int64_t e, int64_t m) {
    if (m == 0) rt_raise_new(&T_ValueError, "pow() 3rd argument cannot be 0");
    if (rt_int_lt(e, 0)) rt_raise_new(&T_ValueError, "pow() 2nd argument cannot be negative "
                                      "when 3rd argument specified");
    int64_t r = rt_mod(1, m);
    base = rt_mod(base, m);
    Num eb;
    load(e, &eb);
    for (int i = 0; i < eb.n; i++) {
        uint32_t w = eb.d[i];
        for (int k = 0; k < 32; k++) {
            if (i == eb.n - 1 && !(w >> k)) break;
            if (w >> k & 1) r = rt_mod(rt_mul(r, base), m);
            base = rt_mod(rt_mul(base, base), m);
        }
    }
    return r;
}

/* ---- shifts and bitwise operations (two's complement, as Python defines them) ---- */
int64_t rt_big_lshift(int64_t x, int64_t k) {
    if (rt_int_lt(k, 0)) rt_raise_new(&T_ValueError, "negative shift count");
    if (x == 0) return 0;
    if (k < RT_SMALL_MIN || k > ((int64_t)1 << 40))
        rt_raise_new(&T_OverflowError, "too many digits in integer");
    Num a;
    load(x, &a);
    int w = (int)(k / 32), s = (int)(k % 32);
    uint32_t *r = scratch((size_t)(a.n + w + 1));
    memset(r, 0, (size_t)w * sizeof(uint32_t));
    uint32_t c = 0;
    for (int i = 0; i < a.n; i++) {
        r[i + w] = s ? (a.d[i] << s) | c : a.d[i];
        c = s ? a.d[i] >> (32 - s) : 0;
    }
    r[a.n + w] = c;
    return finish(a.neg, r, a.n + w + 1);
}

int64_t rt_big_rshift(int64_t x, int64_t k) {
    if (rt_int_lt(k, 0)) rt_raise_new(&T_ValueError, "negative shift count");
    Num a;
    load(x, &a);
    if (k < RT_SMALL_MIN || k >= bits_of(&a)) return a.neg ? -1 : 0;
    if (a.neg)   /* floor: -((|x| - 1) >> k) - 1 */
        return rt_sub(-1, rt_big_rshift(rt_sub(rt_neg(x), 1), k));
    int w = (int)(k / 32), s = (int)(k % 32), n = a.n - w;
    uint32_t *r = scratch((size_t)n);
    for (int i = 0; i < n; i++) {
        uint32_t hi = i + w + 1 < a.n ? a.d[i + w + 1] : 0;
        r[i] = s ? (a.d[i + w] >> s) | (hi << (32 - s)) : a.d[i + w];
    }
    return finish(0, r, n);
}

/* x as n two's-complement digits (n is more than its magnitude needs). */
static void twos(const Num *a, uint32_t *t, int n) {
    for (int i = 0; i < n; i++) t[i] = i < a->n ? a->d[i] : 0;
    if (!a->neg) return;
    uint64_t c = 1;
    for (int i = 0; i < n; i++) { c += (uint32_t)~t[i]; t[i] = (uint32_t)c; c >>= 32; }
}

int64_t rt_big_bitop(int64_t x, int64_t y, int op) {
    Num a, b;
    load(x, &a);
    load(y, &b);
    int n = (a.n > b.n ? a.n : b.n) + 1;
    uint32_t *ta = scratch((size_t)n), *tb = scratch((size_t)n);
    twos(&a, ta, n);
    twos(&b, tb, n);
    for (int i = 0; i < n; i++)
        ta[i] = op == '&' ? ta[i] & tb[i] : op == '|' ? ta[i] | tb[i] : ta[i] ^ tb[i];
    int neg = ta[n - 1] >> 31;
    if (neg) {   /* back to sign and magnitude */
        uint64_t c = 1;
        for (int i = 0; i < n; i++) { c += (uint32_t)~ta[i]; ta[i] = (uint32_t)c; c >>= 32; }
    }
    return finish(neg, ta, n);
}

int64_t rt_big_invert(int64_t x) { return rt_sub(rt_neg(x), 1); }

/* ---- conversions ---- */
double rt_big_to_float(int64_t x) {
    Num a;
    load(x, &a);
    int64_t nb = bits_of(&a);
    if (nb <= 64) {
        uint64_t u = a.n == 0 ? 0 : a.n == 1 ? a.d[0] : ((uint64_t)a.d[1] << 32 | a.d[0]);
        return a.neg ? -(double)u : (double)u;
    }
    if (nb > 1024) rt_raise_new(&T_OverflowError, "int too large to convert to float");
    /* The top 64 bits, with a sticky bit for anything below: one correct rounding. */
    int64_t shift = nb - 64;
    uint64_t top = 0;
    bool sticky = false;
    for (int64_t bit = nb - 1; bit >= 0; bit--) {
        int v = a.d[bit / 32] >> (bit % 32) & 1;
        if (bit >= shift) top = top << 1 | (uint64_t)v;
        else if (v) { sticky = true; break; }
    }
    if (sticky) top |= 1;
    double r = ldexp((double)top, (int)shift);
    if (isinf(r)) rt_raise_new(&T_OverflowError, "int too large to convert to float");
    return a.neg ? -r : r;
}

int64_t rt_big_from_float(double d) {
    if (isnan(d)) rt_raise_new(&T_ValueError, "cannot convert float NaN to integer");
    if (isinf(d)) rt_raise_new(&T_OverflowError, "cannot convert float infinity to integer");
    d = trunc(d);
    int neg = d < 0;
    int e;
    double m = frexp(fabs(d), &e);   /* |d| = m * 2**e, 0.5 <= m < 1 */
    uint64_t mant = (uint64_t)ldexp(m, 53);
    int64_t r = rt_int_from_u64(mant);
    r = e >= 53 ? rt_lshift(r, e - 53) : rt_rshift(r, 53 - e);
    return neg ? rt_neg(r) : r;
}

int64_t rt_big_hash(int64_t x) {
    /* CPython: the value mod 2**61 - 1, with the sign; -1 becomes -2. Shifting a
     * residue left by 32 bits mod 2**61 - 1 is a rotation within 61 bits. */
    const uint64_t M = ((uint64_t)1 << 61) - 1;
    Num a;
    load(x, &a);
    uint64_t h = 0;
    for (int i = a.n - 1; i >= 0; i--) {
        h = ((h << 32) & M) | (h >> 29);
        h += a.d[i];
        if (h >= M) h -= M;
    }
    int64_t r = a.neg ? -(int64_t)h : (int64_t)h;
    return r == -1 ? -2 : r;
}

/* The digits of |x| in base 2, 8, 10 or 16 (most significant first); *neg its sign. */
char *rt_int_digits(int64_t x, int base, bool upper, int64_t *len, bool *neg) {
    Num a;
    load(x, &a);
    *neg = a.neg && a.n;
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    if (!a.n) {
        char *s = scratch(1);
        s[0] = '0';
        *len = 1;
        return s;
    }
    int64_t cap;
    char *s;
    int64_t k = 0;
    if (base == 10) {
        cap = (int64_t)a.n * 10 + 10;
        s = scratch((size_t)cap / 4 + 1);
        uint32_t *t = scratch((size_t)a.n);
        memcpy(t, a.d, (size_t)a.n * sizeof(uint32_t));
        int n = a.n;
        while (n) {   /* nine decimal digits at a time, least significant first */
            uint32_t r = mag_div1(t, n, 1000000000u, t);
            n = trim(t, n);
            for (int i = 0; i < 9 && (n || r); i++) { s[k++] = (char)('0' + r % 10); r /= 10; }
        }
    } else {
        int sh = base == 16 ? 4 : base == 8 ? 3 : 1;
        int64_t nb = bits_of(&a);
        cap = nb / sh + 2;
        s = scratch((size_t)cap / 4 + 1);
        for (int64_t bit = 0; bit < nb; bit += sh) {
            int v = 0;
            for (int j = sh - 1; j >= 0; j--) {
                int64_t b = bit + j;
                v = v << 1 | (b < nb ? (int)(a.d[b / 32] >> (b % 32) & 1) : 0);
            }
            s[k++] = dig[v];
        }
    }
    for (int64_t i = 0; i < k / 2; i++) { char c = s[i]; s[i] = s[k - 1 - i]; s[k - 1 - i] = c; }
    *len = k;
    return s;
}

/* Digits (already checked: only valid digits of base, no sign, no '_') to an int. */
int64_t rt_int_parse(const char *p, int64_t n, int base, bool neg) {
    uint32_t *r = scratch((size_t)(n / 9 + 2));
    int rn = 0;
    for (int64_t i = 0; i < n; i++) {
        char ch = p[i];
        uint32_t v = ch >= '0' && ch <= '9' ? (uint32_t)(ch - '0') : ch >= 'a' && ch <= 'z'
                   ? (uint32_t)(ch - 'a' + 10) : (uint32_t)(ch - 'A' + 10);
        uint64_t c = v;
        for (int j = 0; j < rn; j++) {
            c += (uint64_t)r[j] * (uint32_t)base;
            r[j] = (uint32_t)c;
            c >>= 32;
        }
        if (c) r[rn++] = (uint32_t)c;
    }
    return finish(neg, r, rn);
}

/* A literal too big for the fast path (the compiler passes its decimal digits). */
int64_t rt_int_lit(const char *digits) {
    bool neg = digits[0] == '-';
    if (neg) digits++;
    return rt_int_parse(digits, (int64_t)strlen(digits), 10, neg);
}

/* int in a C context that needs a machine integer (an index, a count). */
int64_t rt_int_index_big(int64_t x) {
    (void)x;
    rt_raise_new(&T_OverflowError, "Python int too large to convert to C ssize_t");
}

/* int OP float, exactly as CPython compares them (no rounding of a big int).
 * op: CMP_LT, CMP_LE, CMP_GT, CMP_GE, 4 (==), 5 (!=). */
bool rt_int_fcompare(int64_t i, double f, int op) {
    int c;
    if (isnan(f)) return op == 5;
    if (isinf(f)) c = f > 0 ? -1 : 1;
    else if (i >= RT_SMALL_MIN && i > -((int64_t)1 << 53) && i < ((int64_t)1 << 53)) {
        double d = (double)i;   /* exact */
        c = d < f ? -1 : d > f;
    } else {
        double fl = floor(f);
        int64_t fi = rt_big_from_float(fl);
        c = rt_int_cmp(i, fi);
        if (c == 0 && f > fl) c = -1;
    }
    switch (op) {
    case CMP_LT: return c < 0;
    case CMP_LE: return c <= 0;
    case CMP_GT: return c > 0;
    case CMP_GE: return c >= 0;
    case 4: return c == 0;
    default: return c != 0;
    }
}
