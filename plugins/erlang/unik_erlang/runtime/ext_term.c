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

typedef struct { uint8_t *b; size_t n, cap; int minor, sorted; } Buf;   /* sorted: maps by key (deterministic) */

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

/* the encoder's work: terms still to write, and fun sizes to patch once their
 * free variables are written (an explicit stack: terms may nest deeply) */
typedef struct { Term t; uint64_t patch; } EWork;   /* patch: 0, or 1 + position */
typedef struct { EWork *w; size_t n, cap; } EStack;

static void epush(EStack *s, Term t, uint64_t patch)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->w = realloc(s->w, s->cap * sizeof(EWork));
        if (s->w == NULL)
            fatal("out of memory in term_to_binary");
    }
    s->w[s->n].t = t;
    s->w[s->n].patch = patch;
    s->n++;
}

/* write t's header; push its parts (last first, so the first is written next) */
static int encode_one(Buf *o, Term t, EStack *s)
{
    if (is_integer(t)) {
        put_int(o, t);
    } else if (is_atom(t)) {
        put_atom(o, t);
    } else if (is_nil(t)) {
        put8(o, NIL_EXT);
    } else if (is_cons(t)) {
        size_t n = 0;
        if (byte_list(t, &n)) {
            put8(o, STRING_EXT);
            put16(o, (unsigned)n);
            for (; is_cons(t); t = CDR(t))
                put8(o, (unsigned)small_val(CAR(t)));
            return 1;
        }
        Term u = t;
        for (n = 0; is_cons(u); u = CDR(u))
            n++;
        put8(o, LIST_EXT);
        put32(o, (uint32_t)n);
        epush(s, u, 0);                 /* the tail, written last */
        size_t base = s->n;
        for (size_t k = 0; k < n; k++)
            epush(s, NIL, 0);
        for (size_t k = n; is_cons(t); t = CDR(t))
            s->w[base + --k].t = CAR(t);
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
        for (uint64_t i = n; i > 0; i--)
            epush(s, tuple_ptr(t)[i - 1], 0);
    } else if (is_map(t)) {
        uint64_t n = map_size(t);
        put8(o, MAP_EXT);
        put32(o, (uint32_t)n);
        Term *keys, *vals;
        /* as erl: term order up to 32 keys (or `deterministic`), reverse
           iteration order above */
        Term *blk = map_arrays(t, &keys, &vals);
        int backwards = map_is_hashed(t) && !o->sorted;
        if (o->sorted && blk != NULL)
            map_sorted(t, keys, vals);
        for (uint64_t j = n; j > 0; j--) {
            uint64_t i = backwards ? n - j : j - 1;
            epush(s, vals[i], 0);
            epush(s, keys[i], 0);
        }
        free(blk);
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
        put32(o, 0);                            /* the size, patched after the free variables */
        put8(o, f->arity - f->nfree);
        uint8_t md5[16] = {0};
        putn(o, md5, 16);
        put32(o, f->old_index);
        put32(o, (uint32_t)nfree);
        put_atom(o, make_atom(f->module));
        put_int(o, make_small(f->old_index));
        put_int(o, make_small(f->uniq));
        put_pid_num(o, 0);
        epush(s, NIL, 1 + start);
        for (uint64_t i = nfree; i > 0; i--)
            epush(s, box_ptr(t)[1 + i], 0);
    } else {
        return 0;
    }
    return 1;
}

static int encode(Buf *o, Term t)
{
    EStack s = {0};
    epush(&s, t, 0);
    int ok = 1;
    while (ok && s.n > 0) {
        EWork w = s.w[--s.n];
        if (w.patch) {
            size_t start = w.patch - 1;
            uint32_t size = (uint32_t)(o->n - start - 1);
            o->b[start + 1] = (uint8_t)(size >> 24);
            o->b[start + 2] = (uint8_t)(size >> 16);
            o->b[start + 3] = (uint8_t)(size >> 8);
            o->b[start + 4] = (uint8_t)size;
            continue;
        }
        ok = encode_one(o, w.t, &s);
    }
    free(s.w);
    return ok;
}

static Term to_binary(Proc *p, Term t, int minor, int size_only)
{
    Buf o = {.minor = minor & 3, .sorted = minor >> 2};
    put8(&o, 131);
    if (!encode(&o, t)) {
        free(o.b);
        return badarg(p);
    }
    Term r = size_only ? make_integer(p, (SInt)o.n) : make_binary(p, o.b, o.n);
    free(o.b);
    return r;
}

BIF(bif_term_to_binary) { return to_binary(p, a[0], 1, 0); }

/* *minor: the minor version, | 4 for `deterministic` */
static int encode_options(Term opts, int *minor)
{
    *minor = 1;
    for (; is_cons(opts); opts = CDR(opts)) {
        Term o = CAR(opts);
        if (is_tuple(o) && tuple_size(o) == 2 && tuple_ptr(o)[0] == named("minor_version") &&
                is_small(tuple_ptr(o)[1]) && small_val(tuple_ptr(o)[1]) >= 0 &&
                small_val(tuple_ptr(o)[1]) <= 2) {
            *minor = (*minor & 4) | (int)small_val(tuple_ptr(o)[1]);
        } else if (o == named("deterministic")) {
            *minor |= 4;
        } else if (o == named("compressed") ||
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

/* the decoder's work: slots to fill with the next term read, and maps to
 * build once their keys and values are read (an explicit stack: terms may
 * nest deeply). BIFs allocate without collecting, so slots stay put. */
enum { D_SLOT, D_MAP_DONE };
typedef struct { Term *slot; uint64_t kind; Term holder; uint64_t n; } DWork;
typedef struct { DWork *w; size_t n, cap; } DStack;

static void dpush(DStack *s, Term *slot, uint64_t kind, Term holder, uint64_t n)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->w = realloc(s->w, s->cap * sizeof(DWork));
        if (s->w == NULL)
            fatal("out of memory in binary_to_term");
    }
    s->w[s->n] = (DWork){slot, kind, holder, n};
    s->n++;
}

/* a container of n parts needs at least n more bytes: checked before allocating */
static int room(In *in, uint64_t n) { return n <= in->n - in->i; }

/* read one term into *slot; containers push their parts' slots. 0: malformed */
static int decode_one(Proc *p, In *in, Term *slot, DStack *s)
{
    unsigned tag, v8;
    uint32_t v32;
    Term r;
    if (!get8(in, &tag))
        return 0;
    switch (tag) {
    case SMALL_INTEGER_EXT:
        if (!get8(in, &v8))
            return 0;
        r = make_small(v8);
        break;
    case INTEGER_EXT:
        if (!get32(in, &v32))
            return 0;
        r = make_small((int32_t)v32);
        break;
    case SMALL_BIG_EXT:
        r = get8(in, &v8) ? decode_big(p, in, v8) : NONV;
        break;
    case LARGE_BIG_EXT:
        r = get32(in, &v32) ? decode_big(p, in, v32) : NONV;
        break;
    case NEW_FLOAT_EXT: {
        uint32_t hi, lo;
        if (!get32(in, &hi) || !get32(in, &lo))
            return 0;
        uint64_t w = (uint64_t)hi << 32 | lo;
        double d;
        memcpy(&d, &w, 8);
        if (d != d || d - d != 0)
            return 0;           /* NaN and infinities are not Erlang floats */
        r = make_float(p, d);
        break;
    }
    case FLOAT_EXT: {
        const uint8_t *b = take(in, 31);
        if (b == NULL)
            return 0;
        char buf[32];
        memcpy(buf, b, 31);
        buf[31] = 0;
        char *end;
        double d = strtod(buf, &end);
        if (end == buf || d != d || d - d != 0)
            return 0;
        r = make_float(p, d);
        break;
    }
    case ATOM_EXT: case ATOM_UTF8_EXT: case SMALL_ATOM_EXT: case SMALL_ATOM_UTF8_EXT:
        in->i--;
        r = decode_atom(p, in);
        break;
    case SMALL_TUPLE_EXT: case LARGE_TUPLE_EXT: {
        uint64_t n;
        if (tag == SMALL_TUPLE_EXT ? !get8(in, &v8) : !get32(in, &v32))
            return 0;
        n = tag == SMALL_TUPLE_EXT ? v8 : v32;
        if (!room(in, n))
            return 0;
        r = make_tuple(p, n);
        for (uint64_t i = 0; i < n; i++)
            tuple_ptr(r)[i] = NIL;
        for (uint64_t i = n; i > 0; i--)
            dpush(s, &tuple_ptr(r)[i - 1], D_SLOT, NIL, 0);
        break;
    }
    case NIL_EXT:
        r = NIL;
        break;
    case STRING_EXT: {
        unsigned n;
        const uint8_t *b;
        if (!get16(in, &n) || (b = take(in, n)) == NULL)
            return 0;
        r = NIL;
        for (unsigned i = n; i > 0; i--)
            r = cons(p, make_small(b[i - 1]), r);
        break;
    }
    case LIST_EXT: {
        if (!get32(in, &v32) || !room(in, v32))
            return 0;
        /* the cells now; their heads are read in order, then the tail, so the
         * tail's slot goes below the heads' (the first head's on top) */
        size_t base = s->n;
        for (uint32_t i = 0; i <= v32; i++)
            dpush(s, NULL, D_SLOT, NIL, 0);
        Term head = NIL, *tailp = &head;
        for (uint32_t i = 0; i < v32; i++) {
            Term c = cons(p, NIL, NIL);
            *tailp = c;
            s->w[base + v32 - i].slot = &CAR(c);
            tailp = &CDR(c);
        }
        s->w[base].slot = tailp;
        r = head;
        break;
    }
    case BINARY_EXT: {
        const uint8_t *b;
        if (!get32(in, &v32) || (b = take(in, v32)) == NULL)
            return 0;
        r = make_binary(p, b, v32);
        break;
    }
    case BIT_BINARY_EXT: {
        const uint8_t *b;
        if (!get32(in, &v32) || !get8(in, &v8) || v8 < 1 || v8 > 8 || v32 == 0 ||
                (b = take(in, v32)) == NULL)
            return 0;
        r = make_bitstring(p, b, (uint64_t)(v32 - 1) * 8 + v8);
        break;
    }
    case MAP_EXT: {
        if (!get32(in, &v32) || !room(in, 2 * (uint64_t)v32))
            return 0;
        Term holder = make_tuple(p, 2 * (uint64_t)v32);     /* keys, then values */
        for (uint64_t i = 0; i < 2 * (uint64_t)v32; i++)
            tuple_ptr(holder)[i] = NIL;
        *slot = NIL;
        dpush(s, slot, D_MAP_DONE, holder, v32);
        for (uint64_t i = v32; i > 0; i--) {
            dpush(s, &tuple_ptr(holder)[v32 + i - 1], D_SLOT, NIL, 0);
            dpush(s, &tuple_ptr(holder)[i - 1], D_SLOT, NIL, 0);
        }
        return 1;
    }
    case NEW_PID_EXT: case PID_EXT:
        r = decode_pid(in, tag == NEW_PID_EXT);
        break;
    case NEWER_REFERENCE_EXT: case NEW_REFERENCE_EXT: {
        unsigned n;
        uint32_t creation = 0, ids[5] = {0};
        if (!get16(in, &n) || n < 1 || n > 5 || decode_atom(p, in) == NONV)
            return 0;
        if (tag == NEWER_REFERENCE_EXT ? !get32(in, &creation) : !get8(in, &v8))
            return 0;
        for (unsigned i = 0; i < n; i++)
            if (!get32(in, &ids[i]))
                return 0;
        r = make_ref((uint64_t)ids[0] | (uint64_t)ids[1] << 32);
        break;
    }
    case EXPORT_EXT: {
        Term m = decode_atom(p, in);
        Term f = m == NONV ? NONV : decode_atom(p, in);
        unsigned at, ar;
        if (f == NONV || !get8(in, &at) || at != SMALL_INTEGER_EXT || !get8(in, &ar))
            return 0;
        Term *e = halloc(p, 4);
        e[0] = make_header(3, S_EXPORT);
        e[1] = m;
        e[2] = f;
        e[3] = make_small(ar);
        r = make_boxed(e);
        break;
    }
    case NEW_FUN_EXT: {
        uint32_t size, index, nfree;
        unsigned arity;
        if (!get32(in, &size) || !get8(in, &arity) || take(in, 16) == NULL ||
                !get32(in, &index) || !get32(in, &nfree) || !room(in, nfree))
            return 0;
        Term m = decode_atom(p, in);
        /* OldIndex and OldUniq are integers, then the creator's pid */
        Term parts[2];
        for (int k = 0; k < 2; k++) {
            unsigned t2;
            if (m == NONV || !get8(in, &t2))
                return 0;
            if (t2 == SMALL_INTEGER_EXT && get8(in, &v8))
                parts[k] = make_small(v8);
            else if (t2 == INTEGER_EXT && get32(in, &v32))
                parts[k] = make_small((int32_t)v32);
            else
                return 0;
        }
        unsigned ptag;
        if (!get8(in, &ptag) || (ptag != NEW_PID_EXT && ptag != PID_EXT) ||
                decode_pid(in, ptag == NEW_PID_EXT) == NONV)
            return 0;
        uint64_t fi;
        for (fi = 0; fi < erl_fun_count; fi++) {
            const struct erl_fun *f = &erl_funs[fi];
            if (make_atom(f->module) == m && f->old_index == (uint32_t)small_val(parts[0]) &&
                    f->uniq == (uint32_t)small_val(parts[1]) && f->nfree == nfree)
                break;
        }
        if (fi == erl_fun_count)
            return 0;           /* a fun of code that is not in this image */
        Term *fn = halloc(p, 2 + nfree);
        fn[0] = make_header(1 + nfree, S_FUN);
        fn[1] = make_small((SInt)fi);
        for (uint32_t i = 0; i < nfree; i++)
            fn[2 + i] = NIL;
        for (uint32_t i = nfree; i > 0; i--)
            dpush(s, &fn[1 + i], D_SLOT, NIL, 0);
        r = make_boxed(fn);
        break;
    }
    default:
        return 0;       /* COMPRESSED and the distribution's own tags */
    }
    if (r == NONV)
        return 0;
    *slot = r;
    return 1;
}

static Term decode(Proc *p, In *in)
{
    Term result = NIL;
    DStack s = {0};
    dpush(&s, &result, D_SLOT, NIL, 0);
    int ok = 1;
    while (ok && s.n > 0) {
        DWork w = s.w[--s.n];
        if (w.kind == D_MAP_DONE) {
            Term *kv = tuple_ptr(w.holder);
            *w.slot = map_new(p, kv, kv + w.n, w.n);
            continue;
        }
        ok = decode_one(p, in, w.slot, &s);
    }
    free(s.w);
    return ok ? result : NONV;
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
        r = decode(p, &in);
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
