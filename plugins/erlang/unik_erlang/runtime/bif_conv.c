/*
 * bif_conv.c — conversions between atoms, lists, binaries, integers and
 * floats; float formatting (Erlang's shortest round-trip form); math.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "bifs_decl.h"
#include "bignum.h"

/* ---- helpers ---- */

/* A flat list of bytes (0..255) into a malloc'd buffer; NULL if not one. */
static char *list_bytes(Term l, size_t *n)
{
    uint64_t len = list_length(l);
    if (len == (uint64_t)-1)
        return NULL;
    char *b = malloc(len + 1);
    if (b == NULL)
        fatal("out of memory");
    for (uint64_t i = 0; i < len; i++, l = CDR(l)) {
        Term c = CAR(l);
        if (!is_small(c) || small_val(c) < 0 || small_val(c) > 255) {
            free(b);
            return NULL;
        }
        b[i] = (char)small_val(c);
    }
    b[len] = 0;
    *n = len;
    return b;
}

/* A flat list of characters (any code point) into UTF-8. */
static char *list_utf8(Term l0, size_t *n)
{
    size_t len = 0, cap = 16;
    char *buf = malloc(cap);
    Term l = l0;
    if (buf == NULL)
        fatal("out of memory");
    for (; is_cons(l); l = CDR(l))
        if (!is_small(CAR(l)))
            break;
    if (!is_nil(l) || !chardata_to_utf8(l0, &buf, &len, &cap)) {
        free(buf);
        return NULL;
    }
    *n = len;
    return buf;
}

Term utf8_to_list(Proc *p, const uint8_t *s, size_t n)
{
    /* decode into code points, then build the list from the end */
    SInt *cps = malloc((n ? n : 1) * sizeof(SInt));
    if (cps == NULL)
        fatal("out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned b = s[i];
        SInt c;
        int len = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : 4;
        c = len == 1 ? b : len == 2 ? (b & 0x1f) : len == 3 ? (b & 0x0f) : (b & 0x07);
        for (int j = 1; j < len && i + (size_t)j < n; j++)
            c = (c << 6) | (s[i + (size_t)j] & 0x3f);
        cps[k++] = c;
        i += (size_t)len;
    }
    Term l = NIL;
    while (k > 0)
        l = cons(p, make_small(cps[--k]), l);
    free(cps);
    return l;
}

static Term bytes_to_list(Proc *p, const uint8_t *s, size_t n)
{
    Term l = NIL;
    while (n > 0)
        l = cons(p, make_small(s[--n]), l);
    return l;
}

/* ---- atoms ---- */

BIF(bif_atom_to_list)
{
    if (!is_atom(a[0]))
        return badarg(p);
    size_t n;
    const char *s = atom_name(a[0], &n);
    return utf8_to_list(p, (const uint8_t *)s, n);
}

static Term to_atom(Proc *p, Term l, int create)
{
    size_t n;
    char *s = list_utf8(l, &n);
    if (s == NULL)
        return badarg(p);
    Term r = atom_from(s, n, create);
    free(s);
    return r == NONV ? (create ? raise(p, AM(error), AM(system_limit)) : badarg(p)) : r;
}
BIF(bif_list_to_atom) { return to_atom(p, a[0], 1); }
BIF(bif_list_to_existing_atom) { return to_atom(p, a[0], 0); }

BIF(bif_atom_to_binary1)
{
    if (!is_atom(a[0]))
        return badarg(p);
    size_t n;
    const char *s = atom_name(a[0], &n);
    return make_binary(p, s, n);
}
BIF(bif_atom_to_binary)
{
    if (!is_atom(a[0]))
        return badarg(p);
    size_t n;
    const char *s = atom_name(a[0], &n);
    if (a[1] == AM(latin1)) {
        /* code points above 255 cannot be latin1 */
        Term l = utf8_to_list(p, (const uint8_t *)s, n);
        size_t k;
        char *b = list_bytes(l, &k);
        if (b == NULL)
            return badarg(p);
        Term r = make_binary(p, b, k);
        free(b);
        return r;
    }
    return make_binary(p, s, n);
}

static Term bin_to_atom(Proc *p, Term b, Term enc, int create)
{
    if (!is_bitstring(b) || bits_size(b) % 8)
        return badarg(p);
    uint64_t n;
    uint8_t *tofree;
    const uint8_t *s = bits_bytes(b, &n, &tofree);
    Term r;
    if (enc == AM(latin1)) {
        Term l = bytes_to_list(p, s, n);
        free(tofree);
        return to_atom(p, l, create);
    }
    r = atom_from((const char *)s, n, create);
    free(tofree);
    return r == NONV ? badarg(p) : r;
}
BIF(bif_binary_to_atom1) { return bin_to_atom(p, a[0], AM(utf8), 1); }
BIF(bif_binary_to_atom) { return bin_to_atom(p, a[0], a[1], 1); }
BIF(bif_binary_to_existing_atom) { return bin_to_atom(p, a[0], a[1], 0); }

/* ---- integers ---- */

static int base_ok(Term b) { return is_small(b) && small_val(b) >= 2 && small_val(b) <= 36; }

BIF(bif_integer_to_list)
{
    return is_integer(a[0]) ? int_to_string(p, a[0], 10) : badarg(p);
}
BIF(bif_integer_to_list2)
{
    if (!is_integer(a[0]) || !base_ok(a[1]))
        return badarg(p);
    return int_to_string(p, a[0], (int)small_val(a[1]));
}

static Term list_to_bin(Proc *p, Term l)
{
    size_t n;
    char *s = list_bytes(l, &n);
    if (s == NULL)
        return NONV;
    Term r = make_binary(p, s, n);
    free(s);
    return r;
}
BIF(bif_integer_to_binary)
{
    if (!is_integer(a[0]))
        return badarg(p);
    return list_to_bin(p, int_to_string(p, a[0], 10));
}
BIF(bif_integer_to_binary2)
{
    if (!is_integer(a[0]) || !base_ok(a[1]))
        return badarg(p);
    return list_to_bin(p, int_to_string(p, a[0], (int)small_val(a[1])));
}

static Term chars_to_int(Proc *p, const char *s, size_t n, int base)
{
    Term r = int_from_chars(p, s, n, base);
    return r == NONV ? badarg(p) : r;
}
BIF(bif_list_to_integer)
{
    size_t n;
    char *s = list_bytes(a[0], &n);
    if (s == NULL)
        return badarg(p);
    Term r = chars_to_int(p, s, n, 10);
    free(s);
    return r;
}
BIF(bif_list_to_integer2)
{
    if (!base_ok(a[1]))
        return badarg(p);
    size_t n;
    char *s = list_bytes(a[0], &n);
    if (s == NULL)
        return badarg(p);
    Term r = chars_to_int(p, s, n, (int)small_val(a[1]));
    free(s);
    return r;
}
static Term bin_to_int(Proc *p, Term b, int base)
{
    if (!is_bitstring(b) || bits_size(b) % 8)
        return badarg(p);
    uint64_t n;
    uint8_t *tofree;
    const uint8_t *s = bits_bytes(b, &n, &tofree);
    Term r = chars_to_int(p, (const char *)s, n, base);
    free(tofree);
    return r;
}
BIF(bif_binary_to_integer) { return bin_to_int(p, a[0], 10); }
BIF(bif_binary_to_integer2)
{
    return base_ok(a[1]) ? bin_to_int(p, a[0], (int)small_val(a[1])) : badarg(p);
}

/* ---- floats ---- */

/* Erlang's float_to_list(F, [short]): the shortest digits that read back as F,
 * written fixed or scientific, whichever is shorter (fixed on a tie). */
int format_float_short(double d, char *out)
{
    char buf[64], digits[32];
    int prec, exp10 = 0;
    if (d == 0) {
        strcpy(out, signbit(d) ? "-0.0" : "0.0");
        return (int)strlen(out);
    }
    for (prec = 0; prec < 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    snprintf(buf, sizeof buf, "%.*e", prec, d);
    /* buf: [-]D.DDDDe[+-]XX */
    char *s = buf;
    int neg = 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    int nd = 0;
    for (; *s && *s != 'e'; s++)
        if (*s != '.')
            digits[nd++] = *s;
    digits[nd] = 0;
    if (*s == 'e')
        exp10 = atoi(s + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        digits[--nd] = 0;
    char fixed[400], sci[64];
    int fl = 0;
    if (exp10 >= 0) {
        if (nd <= exp10 + 1) {
            fl += snprintf(fixed + fl, sizeof fixed - (size_t)fl, "%s", digits);
            for (int i = nd; i < exp10 + 1 && fl < 380; i++)
                fixed[fl++] = '0';
            fixed[fl++] = '.';
            fixed[fl++] = '0';
            fixed[fl] = 0;
        } else {
            memcpy(fixed, digits, (size_t)exp10 + 1);
            fl = exp10 + 1;
            fixed[fl++] = '.';
            strcpy(fixed + fl, digits + exp10 + 1);
            fl = (int)strlen(fixed);
        }
    } else {
        fl = snprintf(fixed, sizeof fixed, "0.");
        for (int i = 0; i < -exp10 - 1 && fl < 380; i++)
            fixed[fl++] = '0';
        strcpy(fixed + fl, digits);
        fl = (int)strlen(fixed);
    }
    int sl = snprintf(sci, sizeof sci, "%c.%se%d", digits[0], nd > 1 ? digits + 1 : "0", exp10);
    /* like BEAM: integral values from 2^53 up are shown in scientific form (they
     * are no longer exact), whatever the length */
    const char *pick = (fl <= sl && fabs(d) < 9007199254740992.0) ? fixed : sci;
    return sprintf(out, "%s%s", neg ? "-" : "", pick);
}

/* float_to_list(F, [{decimals, N}]) as BEAM writes it: below 2^53 the
 * integral part exactly, the fraction (exact in a double) times 10^N plus 0.5,
 * truncated — so halves round up (2.5 -> "3", -1.25 -> "-1.3") and the
 * digits are those of the double's binary fraction, not printf's
 * round-half-even; larger values and N >= 24 through printf. More than 255
 * characters is badarg (0), as erl's buffer. */
static int format_decimals(double d, int decimals, char *out, size_t cap)
{
    static const double pow10[24] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23};
    int neg = signbit(d) != 0;
    double a = fabs(d);
    int n;
    if (a >= 9007199254740992.0 || decimals >= 24 || !isfinite(a)) {
        n = snprintf(out, cap, "%s%.*f", neg ? "-" : "", decimals, a);
    } else {
        double ip = floor(a), fr = a - ip;
        uint64_t i = (uint64_t)ip, f = 0;
        if (decimals == 0) {
            if (fr >= 0.5)
                i++;
            n = snprintf(out, cap, "%s%llu", neg ? "-" : "", (unsigned long long)i);
        } else {
            f = (uint64_t)(fr * pow10[decimals] + 0.5);
            if ((double)f >= pow10[decimals]) {
                i++;
                f -= (uint64_t)pow10[decimals];
            }
            n = snprintf(out, cap, "%s%llu.%0*llu", neg ? "-" : "", (unsigned long long)i,
                         decimals, (unsigned long long)f);
        }
    }
    return n > 0 && n <= 255 && (size_t)n < cap;
}

/* float_to_list/2 options into a string; 0 on bad options. */
static int format_float(double d, Term opts, char *out, size_t cap)
{
    int decimals = -1, scientific = -1, compact = 0, shortf = 0;
    for (; is_cons(opts); opts = CDR(opts)) {
        Term o = CAR(opts);
        if (o == AM(compact)) {
            compact = 1;
        } else if (o == AM(short)) {
            shortf = 1;
        } else if (is_tuple(o) && tuple_size(o) == 2 && is_small(tuple_ptr(o)[1])) {
            SInt v = small_val(tuple_ptr(o)[1]);
            if (v < 0 || v > 253)
                return 0;
            if (tuple_ptr(o)[0] == AM(decimals))
                decimals = (int)v, scientific = -1;
            else if (tuple_ptr(o)[0] == AM(scientific))
                scientific = (int)v, decimals = -1;
            else
                return 0;
        } else {
            return 0;
        }
    }
    if (!is_nil(opts))
        return 0;
    if (shortf) {
        format_float_short(d, out);
        return 1;
    }
    if (decimals >= 0) {
        if (!format_decimals(d, decimals, out, cap))
            return 0;
        if (compact && strchr(out, '.')) {
            size_t n = strlen(out);
            while (n > 0 && out[n - 1] == '0' && out[n - 2] != '.')
                out[--n] = 0;
        }
        return 1;
    }
    snprintf(out, cap, "%.*e", scientific >= 0 ? scientific : 20, d);
    return 1;
}

BIF(bif_float_to_list)
{
    if (!is_float(a[0]))
        return badarg(p);
    char b[400];
    snprintf(b, sizeof b, "%.20e", float_val(a[0]));
    return bytes_to_list(p, (const uint8_t *)b, strlen(b));
}
BIF(bif_float_to_list2)
{
    char b[400];
    if (!is_float(a[0]) || !format_float(float_val(a[0]), a[1], b, sizeof b))
        return badarg(p);
    return bytes_to_list(p, (const uint8_t *)b, strlen(b));
}
BIF(bif_float_to_binary)
{
    if (!is_float(a[0]))
        return badarg(p);
    char b[400];
    snprintf(b, sizeof b, "%.20e", float_val(a[0]));
    return make_binary(p, b, strlen(b));
}
BIF(bif_float_to_binary2)
{
    char b[400];
    if (!is_float(a[0]) || !format_float(float_val(a[0]), a[1], b, sizeof b))
        return badarg(p);
    return make_binary(p, b, strlen(b));
}

/* Erlang float syntax: digits '.' digits [e [sign] digits] */
static Term parse_float(Proc *p, const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
    size_t d0 = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == d0 || i >= n || s[i] != '.')
        return badarg(p);
    i++;
    size_t d1 = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == d1)
        return badarg(p);
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        size_t d2 = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d2)
            return badarg(p);
    }
    if (i != n)
        return badarg(p);
    char buf[512];
    if (n >= sizeof buf)
        return badarg(p);
    memcpy(buf, s, n);
    buf[n] = 0;
    double d = strtod(buf, NULL);
    if (!isfinite(d))
        return badarg(p);
    return make_float(p, d);
}
BIF(bif_list_to_float)
{
    size_t n;
    char *s = list_bytes(a[0], &n);
    if (s == NULL)
        return badarg(p);
    Term r = parse_float(p, s, n);
    free(s);
    return r;
}
BIF(bif_binary_to_float)
{
    if (!is_bitstring(a[0]) || bits_size(a[0]) % 8)
        return badarg(p);
    uint64_t n;
    uint8_t *tofree;
    const uint8_t *s = bits_bytes(a[0], &n, &tofree);
    Term r = parse_float(p, (const char *)s, n);
    free(tofree);
    return r;
}

/* ---- binaries and iolists ---- */

BIF(bif_binary_to_list)
{
    if (!is_bitstring(a[0]) || bits_size(a[0]) % 8)
        return badarg(p);
    uint64_t n;
    uint8_t *tofree;
    const uint8_t *s = bits_bytes(a[0], &n, &tofree);
    Term r = bytes_to_list(p, s, n);
    free(tofree);
    return r;
}
BIF(bif_binary_to_list3)
{
    if (!is_bitstring(a[0]) || bits_size(a[0]) % 8 || !is_small(a[1]) || !is_small(a[2]))
        return badarg(p);
    uint64_t n;
    uint8_t *tofree;
    const uint8_t *s = bits_bytes(a[0], &n, &tofree);
    SInt from = small_val(a[1]), to = small_val(a[2]);
    if (from < 1 || to < from - 1 || (uint64_t)to > n) {
        free(tofree);
        return badarg(p);
    }
    Term r = bytes_to_list(p, s + from - 1, (size_t)(to - from + 1));
    free(tofree);
    return r;
}
BIF(bif_bitstring_to_list)
{
    if (!is_bitstring(a[0]))
        return badarg(p);
    uint64_t bits = bits_size(a[0]);
    BitView v;
    bits_view(a[0], &v);
    Term tail = NIL;
    if (bits % 8)
        tail = cons(p, bits_sub(p, a[0], bits & ~7ULL, bits % 8), NIL);
    for (uint64_t i = bits / 8; i > 0; i--)
        tail = cons(p, make_small(bits_byte(&v, (i - 1) * 8)), tail);
    return tail;
}

/* Iolists are walked with a stack of pending tails on the C heap, not by
 * recursion: the usual way to build one, [Acc, Piece], nests to the left a
 * million deep, far past the C stack. */
typedef struct {
    Term *tails;
    uint64_t n, cap;
} Pending;

static void pending_push(Pending *st, Term t)
{
    if (is_nil(t))
        return;                 /* nothing left there: no need to come back */
    if (st->n == st->cap) {
        uint64_t cap = st->cap ? 2 * st->cap : 64;
        Term *tails = realloc(st->tails, cap * sizeof(Term));
        if (tails == NULL)
            fatal("out of memory");
        st->tails = tails;
        st->cap = cap;
    }
    st->tails[st->n++] = t;
}

/* Bits of what ends a list or stands as an element: [] or a bitstring; -1
 * for anything else (or a bitstring of loose bits where they are not allowed). */
static int64_t leaf_bits(Term t, int allow_bits)
{
    if (is_nil(t))
        return 0;
    if (is_bitstring(t)) {
        uint64_t b = bits_size(t);
        return !allow_bits && b % 8 ? -1 : (int64_t)b;
    }
    return -1;
}

/* Size in bits of an iolist / bitstring list; -1 if not one. */
static int64_t iolist_bits(Term t, int allow_bits)
{
    Pending st = {0};
    int64_t n = 0;
    for (;;) {
        if (is_cons(t)) {
            Term h = CAR(t);
            if (is_small(h)) {
                if (small_val(h) < 0 || small_val(h) > 255) {
                    n = -1;
                    break;
                }
                n += 8;
            } else if (is_cons(h)) {
                pending_push(&st, CDR(t));
                t = h;
                continue;
            } else {
                int64_t k = leaf_bits(h, allow_bits);
                if (k < 0) {
                    n = -1;
                    break;
                }
                n += k;
            }
            t = CDR(t);
            continue;
        }
        int64_t k = leaf_bits(t, allow_bits);
        if (k < 0) {
            n = -1;
            break;
        }
        n += k;
        if (st.n == 0)
            break;
        t = st.tails[--st.n];
    }
    free(st.tails);
    return n;
}

/* Writes an iolist that iolist_bits accepted. */
static void iolist_write(Term t, uint8_t *out)
{
    Pending st = {0};
    uint64_t pos = 0;
    for (;;) {
        if (is_cons(t)) {
            Term h = CAR(t);
            if (is_small(h)) {
                uint8_t c = (uint8_t)small_val(h);
                bits_copy(out, pos, &c, 0, 8);
                pos += 8;
            } else if (is_cons(h)) {
                pending_push(&st, CDR(t));
                t = h;
                continue;
            } else if (is_bitstring(h)) {
                BitView v;
                bits_view(h, &v);
                bits_copy(out, pos, v.data, v.off, v.bits);
                pos += v.bits;
            }
            t = CDR(t);
            continue;
        }
        if (is_bitstring(t)) {
            BitView v;
            bits_view(t, &v);
            bits_copy(out, pos, v.data, v.off, v.bits);
            pos += v.bits;
        }
        if (st.n == 0)
            break;
        t = st.tails[--st.n];
    }
    free(st.tails);
}

static Term iolist_to_bits(Proc *p, Term t, int allow_bits)
{
    if (is_bitstring(t) && (allow_bits || bits_size(t) % 8 == 0))
        return t;
    int64_t n = iolist_bits(t, allow_bits);
    if (n < 0 || (!is_list(t) && !is_bitstring(t)))
        return badarg(p);
    Term r = make_bitstring(p, NULL, (uint64_t)n);
    memset(bin_bytes(r), 0, ((uint64_t)n + 7) / 8);
    iolist_write(t, bin_bytes(r));
    return r;
}
BIF(bif_list_to_binary) { return is_list(a[0]) ? iolist_to_bits(p, a[0], 0) : badarg(p); }
BIF(bif_iolist_to_binary) { return iolist_to_bits(p, a[0], 0); }
BIF(bif_list_to_bitstring) { return is_list(a[0]) ? iolist_to_bits(p, a[0], 1) : badarg(p); }
BIF(bif_iolist_size)
{
    int64_t n = iolist_bits(a[0], 0);
    if (n < 0 || (!is_list(a[0]) && !is_bitstring(a[0])))
        return badarg(p);
    return make_small(n / 8);
}
BIF(bif_byte_size)
{
    if (!is_bitstring(a[0]))
        return badarg(p);
    return make_small((SInt)((bits_size(a[0]) + 7) / 8));
}
BIF(bif_bit_size)
{
    if (!is_bitstring(a[0]))
        return badarg(p);
    return make_small((SInt)bits_size(a[0]));
}
BIF(bif_split_binary)
{
    if (!is_bitstring(a[0]) || !is_small(a[1]))
        return badarg(p);
    uint64_t bits = bits_size(a[0]);
    SInt at = small_val(a[1]);
    if (at < 0 || (uint64_t)at * 8 > bits)
        return badarg(p);
    Term x = bits_sub(p, a[0], 0, (uint64_t)at * 8);
    Term y = bits_sub(p, a[0], (uint64_t)at * 8, bits - (uint64_t)at * 8);
    return mk_tuple2(p, x, y);
}
static Term part(Proc *p, Term b, Term start, Term len)
{
    if (!is_bitstring(b) || bits_size(b) % 8 || !is_small(start) || !is_small(len))
        return badarg(p);
    SInt s = small_val(start), l = small_val(len);
    SInt size = (SInt)(bits_size(b) / 8);
    if (l < 0) {
        s += l;
        l = -l;
    }
    if (s < 0 || s + l > size)
        return badarg(p);
    return bits_sub(p, b, (uint64_t)s * 8, (uint64_t)l * 8);
}
BIF(bif_binary_part2)
{
    if (!is_tuple(a[1]) || tuple_size(a[1]) != 2)
        return badarg(p);
    return part(p, a[0], tuple_ptr(a[1])[0], tuple_ptr(a[1])[1]);
}
BIF(bif_binary_part3) { return part(p, a[0], a[1], a[2]); }

/* term_to_binary: ext_term.c */

/* ---- pids, refs, funs as text ---- */

static Term text(Proc *p, const char *s) { return bytes_to_list(p, (const uint8_t *)s, strlen(s)); }
BIF(bif_pid_to_list)
{
    if (!is_pid(a[0]))
        return badarg(p);
    char b[64];
    snprintf(b, sizeof b, "<0.%llu.0>", (unsigned long long)pid_index(a[0]));
    return text(p, b);
}
BIF(bif_ref_to_list)
{
    if (!is_ref(a[0]))
        return badarg(p);
    char b[64];
    snprintf(b, sizeof b, "#Ref<0.0.0.%llu>", (unsigned long long)(a[0] >> 6));
    return text(p, b);
}
BIF(bif_fun_to_list)
{
    char b[512];
    if (is_box_of(a[0], S_FUN)) {
        const struct erl_fun *f = &erl_funs[small_val(box_ptr(a[0])[1])];
        size_t n;
        const char *m = atom_name(make_atom(f->module), &n);
        snprintf(b, sizeof b, "#Fun<%.*s.%u.%u>", (int)n, m, f->old_index, f->uniq);
        return text(p, b);
    }
    if (is_box_of(a[0], S_EXPORT)) {
        size_t n1, n2;
        const char *m = atom_name(box_ptr(a[0])[1], &n1);
        const char *f = atom_name(box_ptr(a[0])[2], &n2);
        snprintf(b, sizeof b, "fun %.*s:%.*s/%lld", (int)n1, m, (int)n2, f,
                 (long long)small_val(box_ptr(a[0])[3]));
        return text(p, b);
    }
    return badarg(p);
}
BIF(bif_port_to_list) { (void)a; return badarg(p); }
BIF(bif_list_to_pid)
{
    size_t n;
    char *s = list_bytes(a[0], &n);
    unsigned long long x, y, z;
    if (s == NULL || sscanf(s, "<%llu.%llu.%llu>", &x, &y, &z) != 3) {
        free(s);
        return badarg(p);
    }
    free(s);
    return make_pid(y);
}

/* ---- math ---- */

static Term math1(Proc *p, Term x, double (*f)(double))
{
    double d;
    if (!to_double(x, &d))
        return badarg(p);
    double r = f(d);
    if (!isfinite(r))
        return badarith(p);
    return make_float(p, r);
}
static Term math2(Proc *p, Term x, Term y, double (*f)(double, double))
{
    double d, e;
    if (!to_double(x, &d) || !to_double(y, &e))
        return badarg(p);
    double r = f(d, e);
    if (!isfinite(r))
        return badarith(p);
    return make_float(p, r);
}
BIF(bif_math_sqrt) { return math1(p, a[0], sqrt); }
BIF(bif_math_pow) { return math2(p, a[0], a[1], pow); }
BIF(bif_math_exp) { return math1(p, a[0], exp); }
BIF(bif_math_log) { return math1(p, a[0], log); }
BIF(bif_math_log2) { return math1(p, a[0], log2); }
BIF(bif_math_log10) { return math1(p, a[0], log10); }
BIF(bif_math_sin) { return math1(p, a[0], sin); }
BIF(bif_math_cos) { return math1(p, a[0], cos); }
BIF(bif_math_tan) { return math1(p, a[0], tan); }
BIF(bif_math_asin) { return math1(p, a[0], asin); }
BIF(bif_math_acos) { return math1(p, a[0], acos); }
BIF(bif_math_atan) { return math1(p, a[0], atan); }
BIF(bif_math_atan2) { return math2(p, a[0], a[1], atan2); }
BIF(bif_math_sinh) { return math1(p, a[0], sinh); }
BIF(bif_math_cosh) { return math1(p, a[0], cosh); }
BIF(bif_math_tanh) { return math1(p, a[0], tanh); }
BIF(bif_math_pi) { (void)a; return make_float(p, M_PI); }
BIF(bif_math_floor) { return math1(p, a[0], floor); }
BIF(bif_math_ceil) { return math1(p, a[0], ceil); }
BIF(bif_math_fmod) { return math2(p, a[0], a[1], fmod); }

/* ---- the OS environment: what `unik run -e` and [run] env gave the guest ---- */

extern char **environ;

/* A name or value as a C string: a flat character list without NUL; NULL if not one. */
static char *env_string(Term l)
{
    size_t n;
    char *s = list_utf8(l, &n);
    if (s == NULL)
        return NULL;
    char *z = realloc(s, n + 1);
    if (z == NULL)
        fatal("out of memory");
    z[n] = '\0';
    if (strlen(z) != n) {
        free(z);
        return NULL;
    }
    return z;
}

static Term env_value(Proc *p, Term name, Term otherwise)
{
    char *z = env_string(name);
    if (z == NULL)
        return badarg(p);
    const char *v = getenv(z);
    free(z);
    return v ? utf8_to_list(p, (const uint8_t *)v, strlen(v)) : otherwise;
}

BIF(bif_os_getenv1) { return env_value(p, a[0], AM(false)); }
BIF(bif_os_getenv2) { return env_value(p, a[0], a[1]); }

BIF(bif_os_getenv0)
{
    (void)a;
    size_t k = 0;
    while (environ != NULL && environ[k] != NULL)
        k++;
    Term l = NIL;
    while (k > 0) {
        const char *e = environ[--k];
        l = cons(p, utf8_to_list(p, (const uint8_t *)e, strlen(e)), l);
    }
    return l;
}

BIF(bif_os_putenv2)
{
    char *name = env_string(a[0]), *value = env_string(a[1]);
    int ok = name != NULL && value != NULL && name[0] != '\0' && strchr(name, '=') == NULL &&
             setenv(name, value, 1) == 0;
    free(name);
    free(value);
    return ok ? AM(true) : badarg(p);
}

BIF(bif_os_unsetenv1)
{
    char *name = env_string(a[0]);
    int ok = name != NULL && name[0] != '\0' && strchr(name, '=') == NULL && unsetenv(name) == 0;
    free(name);
    return ok ? AM(true) : badarg(p);
}
