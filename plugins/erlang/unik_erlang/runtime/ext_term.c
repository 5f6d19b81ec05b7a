/*
 * ext_term.c — the external term format (version 131): term_to_binary/1,2,
 * binary_to_term/1,2, external_size/1.
 *
 * The bytes are the ones OTP 25's term_to_binary writes for the same term
 * (its defaults: minor version 1, Latin-1 atoms as ATOM_EXT, floats as
 * NEW_FLOAT_EXT, byte lists as STRING_EXT, small maps in key order) so that
 * programs that hash, store or print encoded terms see erl's output. Pids are
 * written as on a node named nonode@nohost; references and local funs round
 * trip inside this VM (a fun's 16-byte module MD5 is written as zeros).
 * `compressed` is accepted and ignored (erl too writes a term uncompressed
 * when compressing would not make it smaller; larger ones differ), and
 * binary_to_term refuses compressed input with badarg.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "bits.h"
#include "maps.h"
#include "bignum.h"
#include "bifs_decl.h"

enum {
    NEW_FLOAT_EXT = 70, BIT_BINARY_EXT = 77, COMPRESSED = 80, NEW_PID_EXT = 88,
    NEWER_REFERENCE_EXT = 90, SMALL_INTEGER_EXT = 97, INTEGER_EXT = 98, FLOAT_EXT = 99,
    ATOM_EXT = 100, REFERENCE_EXT = 101, PID_EXT = 103, SMALL_TUPLE_EXT = 104,
    LARGE_TUPLE_EXT = 105, NIL_EXT = 106, STRING_EXT = 107, LIST_EXT = 108,
    BINARY_EXT = 109, SMALL_BIG_EXT = 110, LARGE_BIG_EXT = 111, NEW_FUN_EXT = 112,
    EXPORT_EXT = 113, NEW_REFERENCE_EXT = 114, SMALL_ATOM_EXT = 115, MAP_EXT = 116,
    ATOM_UTF8_EXT = 118, SMALL_ATOM_UTF8_EXT = 119,
};

static Term named(const char *s) { return atom_from(s, strlen(s), 1); }

/* ---------------- encoding ---------------- */

typedef struct { uint8_t *b; size_t n, cap; int minor; } Buf;

static void need(Buf *o, size_t k)
{
    if (o->n + k <= o->cap)
        return;
    size_t c = o->cap ? o->cap : 256;
    while (c < o->n + k)
        c *= 2;
    o->b = realloc(o->b, c);
    if (o->b == NULL)
        fatal("out of memory in term_to_binary");
    o->cap = c;
}
static void put8(Buf *o, unsigned v) { need(o, 1); o->b[o->n++] = (uint8_t)v; }
static void put16(Buf *o, unsigned v) { put8(o, v >> 8); put8(o, v & 0xff); }
static void put32(Buf *o, uint32_t v) { put16(o, v >> 16); put16(o, v & 0xffff); }
static void putn(Buf *o, const void *s, size_t k)
{
    need(o, k);
    memcpy(o->b + o->n, s, k);
    o->n += k;
}

/* decode one UTF-8 character; returns its length (0: malformed) */
static int utf8_char(const uint8_t *s, size_t n, uint32_t *c)
{
    if (n == 0)
        return 0;
    if (s[0] < 0x80) { *c = s[0]; return 1; }
    int len = (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (len == 0 || (size_t)len > n)
        return 0;
    uint32_t v = s[0] & (0x7f >> len);
    for (int i = 1; i < len; i++)
        v = (v << 6) | (s[i] & 0x3f);
    *c = v;
    return len;
}

static void put_atom(Buf *o, Term a)
{
    size_t n;
    const uint8_t *s = (const uint8_t *)atom_name(a, &n);
    int latin1 = o->minor < 2;
    for (size_t i = 0; latin1 && i < n;) {
        uint32_t c;
        int k = utf8_char(s + i, n - i, &c);
        if (k == 0 || c > 255)
            latin1 = 0;
        i += k ? (size_t)k : 1;
    }
    if (latin1) {
        uint8_t tmp[256];
        size_t m = 0;
        for (size_t i = 0; i < n && m < sizeof tmp;) {
            uint32_t c;
            i += (size_t)utf8_char(s + i, n - i, &c);
            tmp[m++] = (uint8_t)c;
        }
        put8(o, ATOM_EXT);
        put16(o, (unsigned)m);
        putn(o, tmp, m);
    } else if (n < 256) {
        put8(o, SMALL_ATOM_UTF8_EXT);
        put8(o, (unsigned)n);
        putn(o, s, n);
    } else {
        put8(o, ATOM_UTF8_EXT);
        put16(o, (unsigned)n);
        putn(o, s, n);
    }
}

static void put_pid_num(Buf *o, uint64_t num)
{
    put8(o, NEW_PID_EXT);
    put_atom(o, AM(nonode));
    put32(o, (uint32_t)num);
    put32(o, 0);
    put32(o, 0);
}

static void put_int(Buf *o, Term t)
{
    if (is_small(t)) {
        SInt v = small_val(t);
        if (v >= 0 && v < 256) {
            put8(o, SMALL_INTEGER_EXT);
            put8(o, (unsigned)v);
            return;
        }
        if (v >= INT32_MIN && v <= INT32_MAX) {
            put8(o, INTEGER_EXT);
            put32(o, (uint32_t)(int32_t)v);
            return;
        }
        uint64_t m = v < 0 ? (uint64_t)-v : (uint64_t)v;
        unsigned k = 0;
        for (uint64_t x = m; x; x >>= 8)
            k++;
        put8(o, SMALL_BIG_EXT);
        put8(o, k);
        put8(o, v < 0);
        for (unsigned i = 0; i < k; i++)
            put8(o, (unsigned)(m >> (8 * i)) & 0xff);
        return;
    }
    const uint32_t *d;
    int neg;
    size_t n = big_digits(t, &d, &neg);
    size_t k = n * 4;
    while (k > 0 && ((d[(k - 1) / 4] >> (8 * ((k - 1) % 4))) & 0xff) == 0)
        k--;
    if (k < 256) {
        put8(o, SMALL_BIG_EXT);
        put8(o, (unsigned)k);
    } else {
        put8(o, LARGE_BIG_EXT);
        put32(o, (uint32_t)k);
    }
    put8(o, (unsigned)neg);
    for (size_t i = 0; i < k; i++)
        put8(o, (d[i / 4] >> (8 * (i % 4))) & 0xff);
}

static void put_float(Buf *o, double d)
{
    if (o->minor == 0) {
        char s[32];
        memset(s, 0, sizeof s);
        snprintf(s, sizeof s, "%.20e", d);
        put8(o, FLOAT_EXT);
        putn(o, s, 31);
        return;
    }
    uint64_t w;
    memcpy(&w, &d, 8);
    put8(o, NEW_FLOAT_EXT);
    put32(o, (uint32_t)(w >> 32));
    put32(o, (uint32_t)w);
}

/* a proper list of at most 65535 bytes goes as STRING_EXT */
static int byte_list(Term t, size_t *len)
{
    size_t n = 0;
    for (; is_cons(t); t = CDR(t), n++) {
        Term h = CAR(t);
        if (!is_small(h) || small_val(h) < 0 || small_val(h) > 255 || n >= 65535)
            return 0;
    }
    *len = n;
    return is_nil(t);
}

static int encode(Buf *o, Term t, int depth);

static int encode_list(Buf *o, Term t, int depth)
{
    size_t n = 0;
    if (byte_list(t, &n)) {
        put8(o, STRING_EXT);
        put16(o, (unsigned)n);
        for (; is_cons(t); t = CDR(t))
            put8(o, (unsigned)small_val(CAR(t)));
        return 1;
    }
    n = 0;
    Term u = t;
    for (; is_cons(u); u = CDR(u))
        n++;
    put8(o, LIST_EXT);
    put32(o, (uint32_t)n);
    for (; is_cons(t); t = CDR(t))
        if (!encode(o, CAR(t), depth + 1))
            return 0;
    return encode(o, t, depth + 1);
}

static int encode(Buf *o, Term t, int depth)
{
    if (depth > 100000)
        return 0;
    if (is_integer(t)) {
        put_int(o, t);
    } else if (is_atom(t)) {
        put_atom(o, t);
    } else if (is_nil(t)) {
        put8(o, NIL_EXT);
    } else if (is_cons(t)) {
        return encode_list(o, t, depth);
    } else if (is_float(t)) {
        put_float(o, float_val(t));
    } else if (is_tuple(t)) {
        uint64_t n = tuple_size(t);
        if (n < 256) {
            put8(o, SMALL_TUPLE_EXT);
            put8(o, (unsigned)n);
        } else {
            put8(o, LARGE_TUPLE_EXT);
            put32(o, (uint32_t)n);
        }
        for (uint64_t i = 0; i < n; i++)
            if (!encode(o, tuple_ptr(t)[i], depth + 1))
                return 0;
    } else if (is_map(t)) {
        uint64_t n = map_size(t);
        put8(o, MAP_EXT);
        put32(o, (uint32_t)n);
        Term *keys = tuple_ptr(map_keys(t));
        Term *vals = map_vals(t);
        for (uint64_t i = 0; i < n; i++)
            if (!encode(o, keys[i], depth + 1) || !encode(o, vals[i], depth + 1))
                return 0;
    } else if (is_bitstring(t)) {
        BitView v;
        bits_view(t, &v);
        uint64_t nbytes = (v.bits + 7) / 8;
        unsigned tail = (unsigned)(v.bits % 8);
        put8(o, tail ? BIT_BINARY_EXT : BINARY_EXT);
        put32(o, (uint32_t)nbytes);
        if (tail)
            put8(o, tail);
        need(o, nbytes);
        memset(o->b + o->n, 0, nbytes);
        bits_copy(o->b + o->n, 0, v.data, v.off, v.bits);
        o->n += nbytes;
    } else if (is_pid(t)) {
        put_pid_num(o, pid_index(t));
    } else if (is_ref(t)) {
        uint64_t n = t >> 6;
        put8(o, NEWER_REFERENCE_EXT);
        put16(o, 3);
        put_atom(o, AM(nonode));
        put32(o, 0);
        put32(o, (uint32_t)n);
        put32(o, (uint32_t)(n >> 32));
        put32(o, 0);
    } else if (is_box_of(t, S_EXPORT)) {
        Term *e = box_ptr(t);
        put8(o, EXPORT_EXT);
        put_atom(o, e[1]);
        put_atom(o, e[2]);
        put_int(o, e[3]);
    } else if (is_box_of(t, S_FUN)) {
        SInt idx = small_val(box_ptr(t)[1]);
        const struct erl_fun *f = &erl_funs[idx];
        uint64_t nfree = box_arity(t) - 1;
        size_t start = o->n;
        put8(o, NEW_FUN_EXT);
        put32(o, 0);                            /* the size, patched below */
        put8(o, f->arity - f->nfree);
        uint8_t md5[16] = {0};
        putn(o, md5, 16);
        put32(o, f->old_index);
        put32(o, (uint32_t)nfree);
        put_atom(o, make_atom(f->module));
        put_int(o, make_small(f->old_index));
        put_int(o, make_small(f->uniq));
        put_pid_num(o, 0);
        for (uint64_t i = 0; i < nfree; i++)
            if (!encode(o, box_ptr(t)[2 + i], depth + 1))
                return 0;
        uint32_t size = (uint32_t)(o->n - start - 1);
        o->b[start + 1] = (uint8_t)(size >> 24);
        o->b[start + 2] = (uint8_t)(size >> 16);
        o->b[start + 3] = (uint8_t)(size >> 8);
        o->b[start + 4] = (uint8_t)size;
    } else {
        return 0;
    }
    return 1;
}

static Term to_binary(Proc *p, Term t, int minor, int size_only)
{
    Buf o = {.minor = minor};
    put8(&o, 131);
    if (!encode(&o, t, 0)) {
        free(o.b);
        return badarg(p);
    }
    Term r = size_only ? make_integer(p, (SInt)o.n) : make_binary(p, o.b, o.n);
    free(o.b);
    return r;
}

BIF(bif_term_to_binary) { return to_binary(p, a[0], 1, 0); }

static int encode_options(Term opts, int *minor)
{
    *minor = 1;
    for (; is_cons(opts); opts = CDR(opts)) {
        Term o = CAR(opts);
        if (is_tuple(o) && tuple_size(o) == 2 && tuple_ptr(o)[0] == named("minor_version") &&
                is_small(tuple_ptr(o)[1]) && small_val(tuple_ptr(o)[1]) >= 0 &&
                small_val(tuple_ptr(o)[1]) <= 2) {
            *minor = (int)small_val(tuple_ptr(o)[1]);
        } else if (o == named("compressed") || o == named("deterministic") ||
                   (is_tuple(o) && tuple_size(o) == 2 &&
                    (tuple_ptr(o)[0] == named("compressed") ||
                     tuple_ptr(o)[0] == named("minor_version")))) {
            /* compression is not done (see the top) */
        } else {
            return 0;
        }
    }
    return is_nil(opts);
}

BIF(bif_term_to_binary2)
{
    int minor;
    if (!encode_options(a[1], &minor))
        return badarg(p);
    return to_binary(p, a[0], minor, 0);
}

BIF(bif_external_size) { return to_binary(p, a[0], 1, 1); }

/* ---------------- decoding ---------------- */

typedef struct {
    const uint8_t *s;
    size_t n, i;
    int safe;
} In;

static int get8(In *in, unsigned *v)
{
    if (in->i + 1 > in->n)
        return 0;
    *v = in->s[in->i++];
    return 1;
}
static int get16(In *in, unsigned *v)
{
    if (in->i + 2 > in->n)
        return 0;
    *v = (unsigned)in->s[in->i] << 8 | in->s[in->i + 1];
    in->i += 2;
    return 1;
}
static int get32(In *in, uint32_t *v)
{
    if (in->i + 4 > in->n)
        return 0;
    const uint8_t *b = in->s + in->i;
    *v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    in->i += 4;
    return 1;
}
static const uint8_t *take(In *in, size_t k)
{
    if (k > in->n - in->i)
        return NULL;
    const uint8_t *r = in->s + in->i;
    in->i += k;
    return r;
}

static Term make_atom_from(In *in, const uint8_t *s, size_t n, int latin1)
{
    char buf[1024];
    size_t m = 0;
    if (latin1) {
        for (size_t i = 0; i < n && m + 2 <= sizeof buf; i++) {
            if (s[i] < 0x80) {
                buf[m++] = (char)s[i];
            } else {
                buf[m++] = (char)(0xc0 | (s[i] >> 6));
                buf[m++] = (char)(0x80 | (s[i] & 0x3f));
            }
        }
        s = (const uint8_t *)buf;
        n = m;
    } else {
        for (size_t i = 0; i < n;) {
            uint32_t c;
            int k = utf8_char(s + i, n - i, &c);
            if (k == 0)
                return NONV;
            i += (size_t)k;
        }
    }
    Term a = atom_from((const char *)s, n, !in->safe);
    return a;
}

static Term decode(Proc *p, In *in, int depth);

static Term decode_atom(Proc *p, In *in)
{
    (void)p;
    unsigned tag, n8;
    if (!get8(in, &tag))
        return NONV;
    const uint8_t *s;
    switch (tag) {
    case ATOM_EXT: case ATOM_UTF8_EXT: {
        unsigned n;
        if (!get16(in, &n) || (s = take(in, n)) == NULL)
            return NONV;
        return make_atom_from(in, s, n, tag == ATOM_EXT);
    }
    case SMALL_ATOM_EXT: case SMALL_ATOM_UTF8_EXT:
        if (!get8(in, &n8) || (s = take(in, n8)) == NULL)
            return NONV;
        return make_atom_from(in, s, n8, tag == SMALL_ATOM_EXT);
    default:
        return NONV;
    }
}

static Term decode_big(Proc *p, In *in, size_t k)
{
    unsigned sign;
    const uint8_t *s;
    if (!get8(in, &sign) || (s = take(in, k)) == NULL)
        return NONV;
    size_t nd = (k + 3) / 4;
    uint32_t *d = calloc(nd ? nd : 1, sizeof(uint32_t));
    if (d == NULL)
        fatal("out of memory in binary_to_term");
    for (size_t i = 0; i < k; i++)
        d[i / 4] |= (uint32_t)s[i] << (8 * (i % 4));
    Term r = big_norm(p, d, nd, sign != 0);
    free(d);
    return r;
}

static Term decode_pid(In *in, int new)
{
    uint32_t num, serial, creation;
    unsigned c8;
    Term node = decode_atom(NULL, in);
    if (node == NONV || !get32(in, &num) || !get32(in, &serial))
        return NONV;
    if (new ? !get32(in, &creation) : !get8(in, &c8))
        return NONV;
    return make_pid(num);
}

static Term decode_tuple(Proc *p, In *in, uint32_t n, int depth)
{
    if (n > in->n - in->i)
        return NONV;
    Term t = make_tuple(p, n);
    for (uint32_t i = 0; i < n; i++)
        tuple_ptr(t)[i] = NIL;
    for (uint32_t i = 0; i < n; i++) {
        Term e = decode(p, in, depth + 1);
        if (e == NONV)
            return NONV;
        tuple_ptr(t)[i] = e;
    }
    return t;
}

static Term decode(Proc *p, In *in, int depth)
{
    unsigned tag, v8;
    uint32_t v32;
    if (depth > 20000 || !get8(in, &tag))
        return NONV;
    switch (tag) {
    case SMALL_INTEGER_EXT:
        return get8(in, &v8) ? make_small(v8) : NONV;
    case INTEGER_EXT:
        return get32(in, &v32) ? make_small((int32_t)v32) : NONV;
    case SMALL_BIG_EXT:
        return get8(in, &v8) ? decode_big(p, in, v8) : NONV;
    case LARGE_BIG_EXT:
        return get32(in, &v32) ? decode_big(p, in, v32) : NONV;
    case NEW_FLOAT_EXT: {
        uint32_t hi, lo;
        if (!get32(in, &hi) || !get32(in, &lo))
            return NONV;
        uint64_t w = (uint64_t)hi << 32 | lo;
        double d;
        memcpy(&d, &w, 8);
        if (d != d || d - d != 0)
            return NONV;        /* NaN and infinities are not Erlang floats */
        return make_float(p, d);
    }
    case FLOAT_EXT: {
        const uint8_t *s = take(in, 31);
        if (s == NULL)
            return NONV;
        char buf[32];
        memcpy(buf, s, 31);
        buf[31] = 0;
        char *end;
        double d = strtod(buf, &end);
        if (end == buf)
            return NONV;
        return make_float(p, d);
    }
    case ATOM_EXT: case ATOM_UTF8_EXT: case SMALL_ATOM_EXT: case SMALL_ATOM_UTF8_EXT:
        in->i--;
        return decode_atom(p, in);
    case SMALL_TUPLE_EXT:
        return get8(in, &v8) ? decode_tuple(p, in, v8, depth) : NONV;
    case LARGE_TUPLE_EXT:
        return get32(in, &v32) ? decode_tuple(p, in, v32, depth) : NONV;
    case NIL_EXT:
        return NIL;
    case STRING_EXT: {
        unsigned n;
        const uint8_t *s;
        if (!get16(in, &n) || (s = take(in, n)) == NULL)
            return NONV;
        Term l = NIL;
        for (unsigned i = n; i > 0; i--)
            l = cons(p, make_small(s[i - 1]), l);
        return l;
    }
    case LIST_EXT: {
        if (!get32(in, &v32) || v32 > in->n - in->i)
            return NONV;
        Term head = NIL, *tailp = &head;
        for (uint32_t i = 0; i < v32; i++) {
            Term c = cons(p, NIL, NIL);
            *tailp = c;
            Term e = decode(p, in, depth + 1);
            if (e == NONV)
                return NONV;
            CAR(c) = e;
            tailp = &CDR(c);
        }
        Term tail = decode(p, in, depth + 1);
        if (tail == NONV)
            return NONV;
        *tailp = tail;
        return head;
    }
    case BINARY_EXT: {
        const uint8_t *s;
        if (!get32(in, &v32) || (s = take(in, v32)) == NULL)
            return NONV;
        return make_binary(p, s, v32);
    }
    case BIT_BINARY_EXT: {
        const uint8_t *s;
        if (!get32(in, &v32) || !get8(in, &v8) || v8 < 1 || v8 > 8 || v32 == 0 ||
                (s = take(in, v32)) == NULL)
            return NONV;
        return make_bitstring(p, s, (uint64_t)(v32 - 1) * 8 + v8);
    }
    case MAP_EXT: {
        if (!get32(in, &v32) || v32 > (in->n - in->i) / 2)
            return NONV;
        /* BIFs allocate without collecting: the decoded keys may wait in C */
        Term *keys = malloc((v32 + 1) * sizeof(Term)), *vals = malloc((v32 + 1) * sizeof(Term));
        if (keys == NULL || vals == NULL)
            fatal("out of memory in binary_to_term");
        Term r = NONV;
        uint32_t i;
        for (i = 0; i < v32; i++) {
            Term k = decode(p, in, depth + 1);
            Term v = k == NONV ? NONV : decode(p, in, depth + 1);
            if (v == NONV)
                break;
            keys[i] = k;
            vals[i] = v;
        }
        if (i == v32)
            r = map_new(p, keys, vals, v32);
        free(keys);
        free(vals);
        return r;
    }
    case NEW_PID_EXT: case PID_EXT:
        return decode_pid(in, tag == NEW_PID_EXT);
    case NEWER_REFERENCE_EXT: case NEW_REFERENCE_EXT: {
        unsigned n;
        uint32_t creation = 0, ids[5] = {0};
        if (!get16(in, &n) || n < 1 || n > 5 || decode_atom(p, in) == NONV)
            return NONV;
        if (tag == NEWER_REFERENCE_EXT ? !get32(in, &creation) : !get8(in, &v8))
            return NONV;
        for (unsigned i = 0; i < n; i++)
            if (!get32(in, &ids[i]))
                return NONV;
        return make_ref((uint64_t)ids[0] | (uint64_t)ids[1] << 32);
    }
    case EXPORT_EXT: {
        Term m = decode_atom(p, in);
        Term f = m == NONV ? NONV : decode_atom(p, in);
        Term ar = f == NONV ? NONV : decode(p, in, depth + 1);
        if (ar == NONV || !is_small(ar) || small_val(ar) < 0 || small_val(ar) > 255)
            return NONV;
        Term *e = halloc(p, 4);
        e[0] = make_header(3, S_EXPORT);
        e[1] = m;
        e[2] = f;
        e[3] = ar;
        return make_boxed(e);
    }
    case NEW_FUN_EXT: {
        uint32_t size, index, nfree;
        unsigned arity;
        if (!get32(in, &size) || !get8(in, &arity) || take(in, 16) == NULL ||
                !get32(in, &index) || !get32(in, &nfree))
            return NONV;
        Term m = decode_atom(p, in);
        Term oi = m == NONV ? NONV : decode(p, in, depth + 1);
        Term ou = oi == NONV ? NONV : decode(p, in, depth + 1);
        Term pid = ou == NONV ? NONV : decode(p, in, depth + 1);
        if (pid == NONV || !is_small(oi) || !is_integer(ou))
            return NONV;
        SInt uniq;
        int_to_int64(ou, &uniq);
        uint64_t fi;
        for (fi = 0; fi < erl_fun_count; fi++) {
            const struct erl_fun *f = &erl_funs[fi];
            if (make_atom(f->module) == m && f->old_index == (uint32_t)small_val(oi) &&
                    f->uniq == (uint32_t)uniq && f->nfree == nfree)
                break;
        }
        if (fi == erl_fun_count)
            return NONV;        /* a fun of code that is not in this image */
        Term *fn = halloc(p, 2 + nfree);
        fn[0] = make_header(1 + nfree, S_FUN);
        fn[1] = make_small((SInt)fi);
        for (uint32_t i = 0; i < nfree; i++)
            fn[2 + i] = NIL;
        for (uint32_t i = 0; i < nfree; i++) {
            Term e = decode(p, in, depth + 1);
            if (e == NONV)
                return NONV;
            fn[2 + i] = e;
        }
        return make_boxed(fn);
    }
    default:
        return NONV;    /* COMPRESSED and the distribution's own tags */
    }
}

static Term from_binary(Proc *p, Term bin, int safe, int used)
{
    if (!is_bitstring(bin) || bits_size(bin) % 8)
        return badarg(p);
    uint64_t n;
    uint8_t *tofree;
    const uint8_t *s = bits_bytes(bin, &n, &tofree);
    In in = {.s = s, .n = n, .i = 0, .safe = safe};
    unsigned v;
    Term r = NONV;
    if (get8(&in, &v) && v == 131)
        r = decode(p, &in, 0);
    free(tofree);
    if (r == NONV)      /* erl ignores bytes after the term */
        return badarg(p);
    return used ? mk_tuple2(p, r, make_integer(p, (SInt)in.i)) : r;
}

BIF(bif_binary_to_term) { return from_binary(p, a[0], 0, 0); }

BIF(bif_binary_to_term2)
{
    int safe = 0, used = 0;
    Term o = a[1];
    for (; is_cons(o); o = CDR(o)) {
        if (CAR(o) == named("safe"))
            safe = 1;
        else if (CAR(o) == named("used"))
            used = 1;
        else
            return badarg(p);
    }
    if (!is_nil(o))
        return badarg(p);
    return from_binary(p, a[0], safe, used);
}
