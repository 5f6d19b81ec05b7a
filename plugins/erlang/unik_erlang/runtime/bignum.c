/*
 * bignum.c — integers beyond 61 bits: sign and magnitude, 32-bit digits
 * (least significant first), two to a word after the header. Schoolbook
 * algorithms (Knuth's algorithm D for division): enough for factorials and
 * the odd big number, not for cryptography.
 */
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "bignum.h"

size_t big_digits(Term t, const uint32_t **d, int *neg)
{
    Term *b = box_ptr(t);
    size_t n = hdr_arity(b[0]) * 2;
    const uint32_t *dd = (const uint32_t *)(b + 1);
    while (n > 0 && dd[n - 1] == 0)
        n--;
    *d = dd;
    *neg = box_subtag(t) == S_BIGNEG;
    return n;
}

Term big_norm(Proc *p, const uint32_t *d, size_t n, int neg)
{
    while (n > 0 && d[n - 1] == 0)
        n--;
    if (n <= 2) {
        uint64_t m = n == 0 ? 0 : n == 1 ? d[0] : ((uint64_t)d[1] << 32) | d[0];
        if (m <= (uint64_t)MAX_SMALL)
            return make_small(neg ? -(SInt)m : (SInt)m);
        if (neg && m == (uint64_t)MAX_SMALL + 1)
            return make_small(MIN_SMALL);
    }
    size_t words = (n + 1) / 2;
    Term *b = halloc(p, 1 + words);
    b[0] = make_header(words, neg ? S_BIGNEG : S_BIGPOS);
    b[words] = 0;
    memcpy(b + 1, d, n * sizeof(uint32_t));
    return make_boxed(b);
}

Term big_from_u64(Proc *p, uint64_t mag, int neg)
{
    uint32_t d[2] = {(uint32_t)mag, (uint32_t)(mag >> 32)};
    return big_norm(p, d, 2, neg);
}

/* Any integer as digits (into buf for small ones). */
size_t int_digits(Term t, uint32_t buf[2], const uint32_t **d, int *neg)
{
    if (is_small(t)) {
        SInt v = small_val(t);
        uint64_t m = v < 0 ? (uint64_t)(-v) : (uint64_t)v;
        buf[0] = (uint32_t)m;
        buf[1] = (uint32_t)(m >> 32);
        *d = buf;
        *neg = v < 0;
        return buf[1] ? 2 : buf[0] ? 1 : 0;
    }
    return big_digits(t, d, neg);
}

int mag_cmp(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    if (na != nb)
        return na < nb ? -1 : 1;
    while (na-- > 0)
        if (a[na] != b[na])
            return a[na] < b[na] ? -1 : 1;
    return 0;
}

static uint32_t *tmp_digits(size_t n)
{
    uint32_t *r = calloc(n ? n : 1, sizeof(uint32_t));
    if (r == NULL)
        fatal("out of memory (bignum)");
    return r;
}

/* r = a + b, r has max(na, nb) + 1 digits */
static size_t mag_add(uint32_t *r, const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    if (na < nb) {
        const uint32_t *t = a; a = b; b = t;
        size_t tn = na; na = nb; nb = tn;
    }
    uint64_t c = 0;
    for (size_t i = 0; i < na; i++) {
        c += (uint64_t)a[i] + (i < nb ? b[i] : 0);
        r[i] = (uint32_t)c;
        c >>= 32;
    }
    r[na] = (uint32_t)c;
    return na + 1;
}

/* r = a - b with |a| >= |b| */
static size_t mag_sub(uint32_t *r, const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    int64_t c = 0;
    for (size_t i = 0; i < na; i++) {
        c += (int64_t)a[i] - (i < nb ? b[i] : 0);
        r[i] = (uint32_t)c;
        c = c < 0 ? -1 : 0;
    }
    return na;
}

Term big_add(Proc *p, Term a, Term b, int negate_b)
{
    uint32_t ba[2], bb[2];
    const uint32_t *da, *db;
    int sa, sb;
    size_t na = int_digits(a, ba, &da, &sa), nb = int_digits(b, bb, &db, &sb);
    if (negate_b)
        sb = !sb;
    uint32_t *r = tmp_digits((na > nb ? na : nb) + 1);
    size_t nr;
    int neg;
    if (sa == sb) {
        nr = mag_add(r, da, na, db, nb);
        neg = sa;
    } else if (mag_cmp(da, na, db, nb) >= 0) {
        nr = mag_sub(r, da, na, db, nb);
        neg = sa;
    } else {
        nr = mag_sub(r, db, nb, da, na);
        neg = sb;
    }
    Term t = big_norm(p, r, nr, neg);
    free(r);
    return t;
}

Term big_mul(Proc *p, Term a, Term b)
{
    uint32_t ba[2], bb[2];
    const uint32_t *da, *db;
    int sa, sb;
    size_t na = int_digits(a, ba, &da, &sa), nb = int_digits(b, bb, &db, &sb);
    uint32_t *r = tmp_digits(na + nb + 1);
    for (size_t i = 0; i < na; i++) {
        uint64_t c = 0;
        for (size_t j = 0; j < nb; j++) {
            c += (uint64_t)da[i] * db[j] + r[i + j];
            r[i + j] = (uint32_t)c;
            c >>= 32;
        }
        r[i + nb] = (uint32_t)c;
    }
    Term t = big_norm(p, r, na + nb, sa != sb);
    free(r);
    return t;
}

/* q = a / b, r = a % b on magnitudes (b non-zero); Knuth D. */
static void mag_divmod(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                       uint32_t *q, uint32_t *r)
{
    if (nb == 1) {
        uint64_t rem = 0;
        for (size_t i = na; i-- > 0;) {
            uint64_t cur = (rem << 32) | a[i];
            q[i] = (uint32_t)(cur / b[0]);
            rem = cur % b[0];
        }
        r[0] = (uint32_t)rem;
        return;
    }
    int s = __builtin_clz(b[nb - 1]);
    uint32_t *bn = tmp_digits(nb), *an = tmp_digits(na + 1);
    for (size_t i = nb - 1; i > 0; i--)
        bn[i] = (b[i] << s) | (s ? (uint32_t)((uint64_t)b[i - 1] >> (32 - s)) : 0);
    bn[0] = b[0] << s;
    an[na] = s ? (uint32_t)((uint64_t)a[na - 1] >> (32 - s)) : 0;
    for (size_t i = na - 1; i > 0; i--)
        an[i] = (a[i] << s) | (s ? (uint32_t)((uint64_t)a[i - 1] >> (32 - s)) : 0);
    an[0] = a[0] << s;
    for (size_t j = na - nb + 1; j-- > 0;) {
        uint64_t num = ((uint64_t)an[j + nb] << 32) | an[j + nb - 1];
        uint64_t qhat = num / bn[nb - 1], rhat = num % bn[nb - 1];
        while (qhat >= (1ULL << 32) ||
               qhat * bn[nb - 2] > ((rhat << 32) | an[j + nb - 2])) {
            qhat--;
            rhat += bn[nb - 1];
            if (rhat >= (1ULL << 32))
                break;
        }
        int64_t borrow = 0;
        uint64_t carry = 0;
        for (size_t i = 0; i < nb; i++) {
            uint64_t prod = qhat * bn[i] + carry;
            carry = prod >> 32;
            int64_t t = (int64_t)an[i + j] - borrow - (int64_t)(uint32_t)prod;
            an[i + j] = (uint32_t)t;
            borrow = t < 0 ? 1 : 0;
        }
        int64_t t = (int64_t)an[j + nb] - borrow - (int64_t)carry;
        an[j + nb] = (uint32_t)t;
        if (t < 0) {
            qhat--;
            uint64_t c = 0;
            for (size_t i = 0; i < nb; i++) {
                c += (uint64_t)an[i + j] + bn[i];
                an[i + j] = (uint32_t)c;
                c >>= 32;
            }
            an[j + nb] += (uint32_t)c;
        }
        q[j] = (uint32_t)qhat;
    }
    for (size_t i = 0; i < nb; i++)
        r[i] = (an[i] >> s) | (s ? (uint32_t)((uint64_t)an[i + 1] << (32 - s)) : 0);
    free(bn);
    free(an);
}

/* Truncating division: *quot = a div b, *rem = a rem b (either may be NULL). */
void big_divrem(Proc *p, Term a, Term b, Term *quot, Term *rem)
{
    uint32_t ba[2], bb[2];
    const uint32_t *da, *db;
    int sa, sb;
    size_t na = int_digits(a, ba, &da, &sa), nb = int_digits(b, bb, &db, &sb);
    if (mag_cmp(da, na, db, nb) < 0) {
        if (quot)
            *quot = make_small(0);
        if (rem)
            *rem = a;
        return;
    }
    uint32_t *q = tmp_digits(na + 1), *r = tmp_digits(nb + 1);
    mag_divmod(da, na, db, nb, q, r);
    if (quot)
        *quot = big_norm(p, q, na, sa != sb);
    if (rem)
        *rem = big_norm(p, r, nb, sa);
    free(q);
    free(r);
}

double big_to_double(Term t)
{
    const uint32_t *d;
    int neg;
    size_t n = big_digits(t, &d, &neg);
    /* BEAM's order of roundings: 64-bit digits from the most significant,
     * r = r * 2^64 + digit (infinity when too large: to_double refuses it) */
    double r = 0;
    for (size_t i = (n + 1) / 2; i-- > 0;) {
        uint64_t dig = d[2 * i] | (2 * i + 1 < n ? (uint64_t)d[2 * i + 1] << 32 : 0);
        r = r * 18446744073709551616.0 + (double)dig;
    }
    return neg ? -r : r;
}

Term big_from_double(Proc *p, double f)
{
    int neg = f < 0;
    if (neg)
        f = -f;
    size_t n = 0;
    double t = f;
    while (t >= 1.0) {
        t /= 4294967296.0;
        n++;
    }
    uint32_t *d = tmp_digits(n + 1);
    for (size_t i = n; i-- > 0;) {
        double scale = 1.0;
        for (size_t k = 0; k < i; k++)
            scale *= 4294967296.0;
        double q = __builtin_floor(f / scale);
        if (q > 4294967295.0)
            q = 4294967295.0;
        d[i] = (uint32_t)q;
        f -= q * scale;
    }
    Term r = big_norm(p, d, n, neg);
    free(d);
    return r;
}

/* Two's complement of a (n digits, sign) into out[len]. */
static void to_twos(const uint32_t *d, size_t n, int neg, uint32_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++)
        out[i] = i < n ? d[i] : 0;
    if (neg) {
        uint64_t c = 1;
        for (size_t i = 0; i < len; i++) {
            c += (uint32_t)~out[i];
            out[i] = (uint32_t)c;
            c >>= 32;
        }
    }
}

static Term from_twos(Proc *p, uint32_t *v, size_t len)
{
    int neg = (v[len - 1] >> 31) & 1;
    if (neg) {
        uint64_t c = 1;
        for (size_t i = 0; i < len; i++) {
            c += (uint32_t)~v[i];
            v[i] = (uint32_t)c;
            c >>= 32;
        }
    }
    return big_norm(p, v, len, neg);
}

Term big_bitop(Proc *p, Term a, Term b, int op)
{
    uint32_t ba[2], bb[2];
    const uint32_t *da, *db;
    int sa, sb;
    size_t na = int_digits(a, ba, &da, &sa), nb = int_digits(b, bb, &db, &sb);
    size_t len = (na > nb ? na : nb) + 1;
    uint32_t *x = tmp_digits(len), *y = tmp_digits(len);
    to_twos(da, na, sa, x, len);
    to_twos(db, nb, sb, y, len);
    for (size_t i = 0; i < len; i++)
        x[i] = op == 0 ? (x[i] & y[i]) : op == 1 ? (x[i] | y[i]) : (x[i] ^ y[i]);
    Term r = from_twos(p, x, len);
    free(x);
    free(y);
    return r;
}

/* a bsl n (n may be negative: an arithmetic shift right) */
Term big_shift(Proc *p, Term a, SInt n)
{
    uint32_t ba[2];
    const uint32_t *da;
    int sa;
    size_t na = int_digits(a, ba, &da, &sa);
    if (n >= 0) {
        size_t words = (size_t)n / 32, bits = (size_t)n % 32;
        size_t len = na + words + 1;
        uint32_t *r = tmp_digits(len);
        for (size_t i = 0; i < na; i++) {
            uint64_t v = (uint64_t)da[i] << bits;
            r[i + words] |= (uint32_t)v;
            r[i + words + 1] |= (uint32_t)(v >> 32);
        }
        Term t = big_norm(p, r, len, sa);
        free(r);
        return t;
    }
    uint64_t m = (uint64_t)(-n);
    size_t len = na + 1;
    uint32_t *x = tmp_digits(len);
    to_twos(da, na, sa, x, len);
    size_t words = m / 32, bits = m % 32;
    uint32_t fill = sa ? 0xffffffffU : 0;
    uint32_t *r = tmp_digits(len);
    for (size_t i = 0; i < len; i++) {
        uint64_t lo = i + words < len ? x[i + words] : fill;
        uint64_t hi = i + words + 1 < len ? x[i + words + 1] : fill;
        r[i] = (uint32_t)(((hi << 32) | lo) >> bits);
    }
    Term t = from_twos(p, r, len);
    free(x);
    free(r);
    return t;
}

/* Digits of |t| in base (2..36), most significant first, into a malloc'd string. */
char *big_to_chars(Term t, int base, size_t *len, int *neg)
{
    uint32_t buf[2];
    const uint32_t *d;
    size_t n = int_digits(t, buf, &d, neg);
    uint32_t *w = tmp_digits(n + 1);
    memcpy(w, d, n * sizeof(uint32_t));
    size_t cap = n * 32 + 2, k = 0;
    char *s = malloc(cap);
    if (s == NULL)
        fatal("out of memory (bignum)");
    while (n > 0) {
        uint64_t rem = 0;
        for (size_t i = n; i-- > 0;) {
            uint64_t cur = (rem << 32) | w[i];
            w[i] = (uint32_t)(cur / (uint64_t)base);
            rem = cur % (uint64_t)base;
        }
        s[k++] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rem];
        while (n > 0 && w[n - 1] == 0)
            n--;
    }
    if (k == 0)
        s[k++] = '0';
    for (size_t i = 0; i < k / 2; i++) {
        char c = s[i];
        s[i] = s[k - 1 - i];
        s[k - 1 - i] = c;
    }
    free(w);
    *len = k;
    return s;
}

/* Parse digits (no sign) in base; NONV if a character is not a digit. */
Term big_from_chars(Proc *p, const char *s, size_t n, int base, int neg)
{
    /* a digit of base b holds at most ceil(log2 b) bits (6 for base 36) */
    size_t bits = 1;
    while ((1 << bits) < base)
        bits++;
    size_t cap = n * bits / 32 + 2, nd = 0;
    uint32_t *d = tmp_digits(cap);
    for (size_t i = 0; i < n; i++) {
        int c = s[i], v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'Z')
            v = c - 'A' + 10;
        else
            v = 99;
        if (v >= base) {
            free(d);
            return NONV;
        }
        uint64_t carry = (uint64_t)v;
        for (size_t k = 0; k < nd; k++) {
            carry += (uint64_t)d[k] * (uint64_t)base;
            d[k] = (uint32_t)carry;
            carry >>= 32;
        }
        if (carry)
            d[nd++] = (uint32_t)carry;
    }
    Term r = big_norm(p, d, nd, neg);
    free(d);
    return r;
}
