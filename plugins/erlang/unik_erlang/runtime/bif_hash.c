/*
 * bif_hash.c — erlang:phash2/1,2 computing the same numbers as BEAM.
 *
 * Programs print phash2 values, use them to pick buckets or shards, and
 * OTP's sets/dict (v1) store elements in hash order, so the numbers must be
 * BEAM's. The facts (documented by the values BEAM returns and by its
 * source): the mixing step is Bob Jenkins' 96-bit mix; every kind of term is
 * mixed in with its own constant, a multiple of the golden ratio
 * 0x9e3779b9; atoms hash with hashpjw over their name (two-byte UTF-8
 * sequences of Latin-1 characters taken as one character); binaries with
 * Jenkins' lookup2 block hash; maps as the xor of one hash per key/value
 * pair, so the order of the pairs does not matter. The walk goes left to
 * right, depth first, carrying one 32-bit state (an explicit stack: lists may
 * be millions long).
 */
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "bits.h"
#include "maps.h"
#include "bifs_decl.h"
#include "jhash.h"


static uint32_t atom_hash(Term t)
{
    size_t n;
    const uint8_t *s = (const uint8_t *)atom_name(t, &n);
    uint32_t h = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t v = s[i];
        if (i + 1 < n && (v & 0xfe) == 0xc2 && (s[i + 1] & 0xc0) == 0x80) {
            v = (uint8_t)((v << 6) | (s[i + 1] & 0x3f));
            i++;
        }
        h = (h << 4) + v;
        uint32_t g = h & 0xf0000000U;
        if (g) {
            h ^= g >> 24;
            h ^= g;
        }
    }
    return h;
}

static void int_hash(uint32_t *h, Term t)
{
    if (is_small(t)) {
        SInt v = small_val(t);
        if (v >= -(1 << 27) && v < (1 << 27)) {
            int32_t y = (int32_t)v;
            if (y < 0)
                mix2(h, (uint32_t)-y, 0, K(1));   /* negatives are mixed twice */
            mix2(h, (uint32_t)y, 0, K(1));
            return;
        }
        uint64_t m = v < 0 ? (uint64_t)-v : (uint64_t)v;
        mix2(h, (uint32_t)m, (uint32_t)(m >> 32), v < 0 ? K(10) : K(11));
        return;
    }
    const uint32_t *d;
    int neg;
    size_t n = big_digits(t, &d, &neg);
    for (size_t i = 0; i < n; i += 2)
        mix2(h, d[i], i + 1 < n ? d[i + 1] : 0, neg ? K(10) : K(11));
}

/* the explicit stack: terms, and markers for the end of a map pair / map */
#define MARK_PAIR (((Term)1 << 6) | 0x35)
#define MARK_MAP_END (((Term)2 << 6) | 0x35)

typedef struct { Term *w; size_t n, cap; } Stack;

static void push(Stack *s, Term t)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->w = realloc(s->w, s->cap * sizeof(Term));
        if (s->w == NULL)
            fatal("out of memory hashing a term");
    }
    s->w[s->n++] = t;
}

uint32_t beam_phash2(Term t)
{
    uint32_t h = 0, xor_pairs = 0;
    Stack s = {0};
    for (;;) {
        if (is_cons(t)) {
            /* runs of byte-sized elements are hashed four at a time */
            uint32_t sh = 0;
            int c = 0;
            while (is_cons(t) && is_small(CAR(t)) && small_val(CAR(t)) >= 0 &&
                   small_val(CAR(t)) < 256) {
                sh = (sh << 8) + (uint32_t)small_val(CAR(t));
                if (c == 3) {
                    mix2(&h, sh, 0, K(4));
                    c = 0;
                    sh = 0;
                } else {
                    c++;
                }
                t = CDR(t);
            }
            if (c > 0)
                mix2(&h, sh, 0, K(4));
            if (is_cons(t)) {
                push(&s, CDR(t));
                t = CAR(t);
            }
            continue;
        }
        if (is_atom(t)) {
            if (h == 0)
                h = atom_hash(t);
            else
                mix2(&h, atom_hash(t), 0, K(3));
        } else if (is_nil(t)) {
            if (h == 0)
                h = 3468870702U;
            else
                mix2(&h, 2, 0, K(2));
        } else if (is_integer(t)) {
            int_hash(&h, t);
        } else if (is_pid(t)) {
            mix2(&h, (uint32_t)pid_index(t), 0, K(5));
        } else if (is_ref(t)) {
            mix2(&h, (uint32_t)(t >> 6), 0, K(7));
        } else if (is_float(t)) {
            double d = float_val(t);
            if (d == 0.0)
                d = 0.0;        /* -0.0 hashes as 0.0 */
            uint64_t w;
            memcpy(&w, &d, 8);
            mix2(&h, (uint32_t)(w >> 32), (uint32_t)w, K(12));
        } else if (is_tuple(t)) {
            uint64_t n = tuple_size(t);
            mix2(&h, (uint32_t)n, 0, K(9));
            if (n > 0) {
                for (uint64_t i = n; i > 1; i--)
                    push(&s, tuple_ptr(t)[i - 1]);
                t = tuple_ptr(t)[0];
                continue;
            }
        } else if (is_map(t)) {
            uint64_t n = map_size(t);
            mix2(&h, (uint32_t)n, 0, K(16));
            if (n > 0) {
                push(&s, xor_pairs);
                push(&s, h);
                push(&s, MARK_MAP_END);
                h = 0;
                xor_pairs = 0;
                Term *keys, *vals;
                Term *blk = map_arrays(t, &keys, &vals);
                for (uint64_t i = n; i > 0; i--) {
                    push(&s, MARK_PAIR);
                    push(&s, vals[i - 1]);
                    push(&s, keys[i - 1]);
                }
                free(blk);
            }
        } else if (is_bitstring(t)) {
            jhash_bits(&h, t);
        } else if (is_box_of(t, S_FUN)) {
            const struct erl_fun *f = &erl_funs[small_val(box_ptr(t)[1])];
            uint64_t nfree = box_arity(t) - 1;
            mix2(&h, (uint32_t)nfree, atom_hash(make_atom(f->module)), K(1));
            mix2(&h, f->old_index, f->uniq, K(1));
            if (nfree > 0) {
                for (uint64_t i = nfree; i > 1; i--)
                    push(&s, box_ptr(t)[1 + i]);
                t = box_ptr(t)[2];
                continue;
            }
        } else if (is_box_of(t, S_EXPORT)) {
            Term *e = box_ptr(t);
            mix2(&h, (uint32_t)small_val(e[3]), atom_hash(e[1]), K(1));
            mix2(&h, atom_hash(e[2]), 0, K(14));
        }
        /* the term is done: continue with what is stacked */
        for (;;) {
            if (s.n == 0) {
                free(s.w);
                return h;
            }
            t = s.w[--s.n];
            if (t == MARK_MAP_END) {
                h = (uint32_t)s.w[--s.n];
                mix2(&h, xor_pairs, 0, K(19));
                xor_pairs = (uint32_t)s.w[--s.n];
            } else if (t == MARK_PAIR) {
                xor_pairs ^= h;
                h = 0;
            } else {
                break;
            }
        }
    }
}

BIF(bif_phash2) { (void)p; return make_small(beam_phash2(a[0]) & ((1U << 27) - 1)); }

BIF(bif_phash2_2)
{
    SInt range;
    if (!int_to_int64(a[1], &range) || range < 1 || range > ((SInt)1 << 32))
        return badarg(p);
    uint32_t h = beam_phash2(a[0]);
    return make_small(range == ((SInt)1 << 32) ? (SInt)h : (SInt)(h % (uint64_t)range));
}

/*
 * erlang:phash/2: BEAM's older hash, which sets and dict (v1) use to place
 * their elements, so their to_list order follows it. Each kind of term
 * multiplies the state by its own prime just above 2^28 and adds a value;
 * integers and strings go byte by byte; maps mix in their phash2 hash.
 */
#define P1 268440163U
#define P2 268439161U
#define P3 268435459U
#define P4 268436141U
#define P5 268438633U
#define P6 268437017U
#define P8 268437511U
#define P9 268439627U
#define P10 268440479U
#define P11 268440577U
#define P12 268440581U
#define P13 268440593U
#define P14 268440611U

static uint32_t bytes4(uint32_t h, uint32_t x, uint32_t prime)
{
    for (int i = 0; i < 4; i++)
        h = h * prime + ((x >> (8 * i)) & 0xff);
    return h;
}

/* the work of old_hash: a term to hash, the rest of a list, or a closing step */
enum { W_TERM, W_LIST_REST, W_LIST_END, W_TUPLE_END };
typedef struct { Term t; uint64_t kind; } Work;
typedef struct { Work *w; size_t n, cap; } WStack;

static void wpush(WStack *s, uint64_t kind, Term t)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->w = realloc(s->w, s->cap * sizeof(Work));
        if (s->w == NULL)
            fatal("out of memory hashing a term");
    }
    s->w[s->n].t = t;
    s->w[s->n].kind = kind;
    s->n++;
}

/* iterative: terms may nest as deep as memory allows */
static uint32_t old_hash(Term t0)
{
    uint32_t h = 0;
    WStack s = {0};
    wpush(&s, W_TERM, t0);
    while (s.n > 0) {
        Work w = s.w[--s.n];
        Term t = w.t;
        if (w.kind == W_LIST_END) {
            h *= P8;
            continue;
        }
        if (w.kind == W_TUPLE_END) {
            h = h * P9 + (uint32_t)t;
            continue;
        }
        if (w.kind == W_LIST_REST) {
            /* bytes inline; anything else is hashed before the rest */
            while (is_cons(t) && is_small(CAR(t)) && small_val(CAR(t)) >= 0 &&
                   small_val(CAR(t)) < 256) {
                h = h * P2 + (uint32_t)small_val(CAR(t));
                t = CDR(t);
            }
            if (is_cons(t)) {
                wpush(&s, W_LIST_REST, CDR(t));
                wpush(&s, W_TERM, CAR(t));
            } else {
                wpush(&s, W_LIST_END, 0);
                wpush(&s, W_TERM, t);       /* the tail: [] or an improper end */
            }
            continue;
        }
        if (is_cons(t)) {
            wpush(&s, W_LIST_REST, t);
        } else if (is_nil(t)) {
            h = h * P3 + 1;
        } else if (is_atom(t)) {
            h = h * P1 + atom_hash(t);
        } else if (is_integer(t)) {
            uint32_t buf[2];
            const uint32_t *d = buf;
            size_t n;
            int neg;
            if (is_small(t)) {
                SInt v = small_val(t);
                uint64_t m = v < 0 ? (uint64_t)-v : (uint64_t)v;
                neg = v < 0;
                buf[0] = (uint32_t)m;
                buf[1] = (uint32_t)(m >> 32);
                n = buf[1] ? 2 : 1;
            } else {
                n = big_digits(t, &d, &neg);
            }
            for (size_t i = 0; i < n; i++)
                h = bytes4(h, d[i], P2);
            h *= neg ? P4 : P3;
        } else if (is_float(t)) {
            double f = float_val(t);
            if (f == 0.0)
                f = 0.0;
            uint64_t u;
            memcpy(&u, &f, 8);
            h = h * P6 + ((uint32_t)u ^ (uint32_t)(u >> 32));
        } else if (is_tuple(t)) {
            uint64_t n = tuple_size(t);
            wpush(&s, W_TUPLE_END, (Term)n);
            for (uint64_t i = n; i > 0; i--)
                wpush(&s, W_TERM, tuple_ptr(t)[i - 1]);
        } else if (is_map(t)) {
            h = h * P13 + P14 + beam_phash2(t);
        } else if (is_bitstring(t)) {
            BitView v;
            bits_view(t, &v);
            uint64_t nbytes = v.bits / 8;
            unsigned tail = (unsigned)(v.bits % 8);
            for (uint64_t i = 0; i < nbytes; i++)
                h = h * P1 + bits_byte(&v, i * 8);
            if (tail) {
                unsigned last = 0;
                for (unsigned i = 0; i < tail; i++)
                    last = (last << 1) | bits_bit(&v, nbytes * 8 + i);
                h = (h * P1 + last) * P12 + tail;
            }
            h = h * P4 + (uint32_t)nbytes;
        } else if (is_pid(t)) {
            h = bytes4(h, (uint32_t)pid_index(t), P5) * P6;
        } else if (is_ref(t)) {
            h = bytes4(h, (uint32_t)(t >> 6), P9) * P10;
        } else if (is_box_of(t, S_FUN)) {
            const struct erl_fun *f = &erl_funs[small_val(box_ptr(t)[1])];
            uint64_t nfree = box_arity(t) - 1;
            h = h * P10 + (uint32_t)nfree;
            h = h * P1 + atom_hash(make_atom(f->module));
            h = h * P2 + f->old_index;
            h = h * P2 + f->uniq;
            for (uint64_t i = nfree; i > 0; i--)
                wpush(&s, W_TERM, box_ptr(t)[1 + i]);
        } else if (is_box_of(t, S_EXPORT)) {
            Term *e = box_ptr(t);
            h = h * P11 + (uint32_t)small_val(e[3]);
            h = h * P1 + atom_hash(e[1]);
            h = h * P1 + atom_hash(e[2]);
        }
    }
    free(s.w);
    return h;
}

BIF(bif_phash)
{
    SInt range;
    if (!int_to_int64(a[1], &range) || range < 1 || range > ((SInt)1 << 32))
        return badarg(p);
    uint32_t h = old_hash(a[0]);
    return make_small((SInt)(h % (uint64_t)range) + 1);
}

static inline uint32_t le32(const uint8_t *k)
{
    return k[0] | (uint32_t)k[1] << 8 | (uint32_t)k[2] << 16 | (uint32_t)k[3] << 24;
}

uint32_t jhash_block(const uint8_t *k, uint64_t n, uint32_t init)
{
    uint32_t a = GOLDEN, b = GOLDEN, c = init;
    uint64_t len = n;
    while (len >= 12) {
        a += le32(k);
        b += le32(k + 4);
        c += le32(k + 8);
        jmix(&a, &b, &c);
        k += 12;
        len -= 12;
    }
    c += (uint32_t)n;
    switch (len) {      /* the low byte of c holds the length */
    case 11: c += (uint32_t)k[10] << 24; /* fall through */
    case 10: c += (uint32_t)k[9] << 16; /* fall through */
    case 9: c += (uint32_t)k[8] << 8; /* fall through */
    case 8: b += (uint32_t)k[7] << 24; /* fall through */
    case 7: b += (uint32_t)k[6] << 16; /* fall through */
    case 6: b += (uint32_t)k[5] << 8; /* fall through */
    case 5: b += k[4]; /* fall through */
    case 4: a += (uint32_t)k[3] << 24; /* fall through */
    case 3: a += (uint32_t)k[2] << 16; /* fall through */
    case 2: a += (uint32_t)k[1] << 8; /* fall through */
    case 1: a += k[0]; /* fall through */
    default: break;
    }
    jmix(&a, &b, &c);
    return c;
}

void jhash_bits(uint32_t *h, Term t)
{
    BitView v;
    bits_view(t, &v);
    uint64_t nbytes = v.bits / 8;
    unsigned tail = (unsigned)(v.bits % 8);
    uint32_t con = K(13) + *h;
    if (v.bits == 0) {
        *h = con;
        return;
    }
    uint8_t *buf = NULL;
    const uint8_t *bytes;
    if ((v.off & 7) == 0) {
        bytes = v.data + (v.off >> 3);
    } else {
        buf = malloc(nbytes + 1);
        if (buf == NULL)
            fatal("out of memory hashing a binary");
        for (uint64_t i = 0; i < nbytes; i++)
            buf[i] = (uint8_t)bits_byte(&v, i * 8);
        bytes = buf;
    }
    *h = jhash_block(bytes, nbytes, con);
    if (tail) {
        unsigned last = 0;
        for (unsigned i = 0; i < tail; i++)
            last = (last << 1) | bits_bit(&v, nbytes * 8 + i);
        mix2(h, tail, last, K(15));
    }
    free(buf);
}
