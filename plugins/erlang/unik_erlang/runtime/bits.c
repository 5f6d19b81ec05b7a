/*
 * bits.c — binaries, bitstrings and the bit syntax: matching through match
 * contexts (bs_start_match*, bs_get_*, bs_skip_*, positions) and building
 * (bs_create_bin), at any bit alignment.
 */
#include <string.h>
#include <stdlib.h>
#include "vm.h"
#include "bits.h"
#include "bignum.h"
#include "genop.h"
#include "bits_fast.h"

void bits_view(Term t, BitView *v)
{
    Term *b = box_ptr(t);
    if (hdr_subtag(b[0]) == S_SUBBIN) {
        Term base = b[1];
        v->data = bin_bytes(base);
        v->off = (uint64_t)small_val(b[2]);
        v->bits = (uint64_t)small_val(b[3]);
    } else {
        v->data = bin_bytes(t);
        v->off = 0;
        v->bits = b[1];
    }
}

uint64_t bits_size(Term t)
{
    BitView v;
    bits_view(t, &v);
    return v.bits;
}

unsigned bits_byte(const BitView *v, uint64_t i)
{
    uint64_t b = v->off + i;
    unsigned s = b & 7;
    const uint8_t *d = v->data + (b >> 3);
    if (s == 0)
        return d[0];
    return (unsigned)(((d[0] << s) | (d[1] >> (8 - s))) & 0xff);
}

/* n <= 8 bits of v's top (v's low 8 - n bits are ignored) into dst at bit d */
static inline void put_bits8(uint8_t *dst, uint64_t d, unsigned v, unsigned n)
{
    uint8_t *o = dst + (d >> 3);
    unsigned s = d & 7;
    unsigned mask = (0xff00u >> n) & 0xff;      /* the n top bits of a byte */
    v &= mask;
    o[0] = (uint8_t)((o[0] & ~(mask >> s)) | (v >> s));
    if (s + n > 8)
        o[1] = (uint8_t)((o[1] & ~(mask << (8 - s))) | (v << (8 - s)));
}

void bits_copy(uint8_t *dst, uint64_t d, const uint8_t *src, uint64_t s, uint64_t n)
{
    if ((s & 7) == 0 && (d & 7) == 0) {
        memcpy(dst + d / 8, src + s / 8, n / 8);
        d += n & ~7ULL;
        s += n & ~7ULL;
        n &= 7;
    } else if ((s & 7) == 0) {
        /* whole source bytes, each straddling two destination bytes */
        const uint8_t *sp = src + s / 8;
        uint8_t *o = dst + d / 8;
        unsigned sh = d & 7;
        uint64_t k = n / 8;
        for (uint64_t i = 0; i < k; i++) {
            unsigned b = sp[i];
            o[i] = (uint8_t)((o[i] & (0xff00u >> sh)) | (b >> sh));
            o[i + 1] = (uint8_t)((o[i + 1] & (0xffu >> sh)) | (b << (8 - sh)));
        }
        d += 8 * k;
        s += 8 * k;
        n -= 8 * k;
    } else {
        /* a byte at a time from an unaligned source */
        const uint8_t *sp = src + s / 8;
        unsigned sh = s & 7;
        uint64_t k = n / 8;
        for (uint64_t i = 0; i < k; i++)
            put_bits8(dst, d + 8 * i,
                      (unsigned)(((sp[i] << sh) | (sp[i + 1] >> (8 - sh))) & 0xff), 8);
        d += 8 * k;
        s += 8 * k;
        n -= 8 * k;
    }
    if (n > 0) {
        BitView v = {src, s, n};
        unsigned b = (s & 7) + n <= 8 ? (unsigned)((src[s >> 3] << (s & 7)) & 0xff)
                                       : bits_byte(&v, 0);
        put_bits8(dst, d, b, (unsigned)n);
    }
}

static Term base_of(Term t, uint64_t *off)
{
    Term *b = box_ptr(t);
    if (hdr_subtag(b[0]) == S_SUBBIN) {
        *off = (uint64_t)small_val(b[2]);
        return b[1];
    }
    *off = 0;
    return t;
}

Term bits_sub(Proc *p, Term t, uint64_t off, uint64_t n)
{
    uint64_t boff;
    Term base = base_of(t, &boff);
    if (off == 0 && boff == 0 && n == box_ptr(base)[1])
        return base;
    if (n <= 64 * 8) {
        /* small pieces are copied: a sub-binary would keep the whole base alive */
        Term r = make_bitstring(p, NULL, n);
        memset(bin_bytes(r), 0, (n + 7) / 8);
        bits_copy(bin_bytes(r), 0, bin_bytes(base), boff + off, n);
        return r;
    }
    Term *s = halloc(p, 4);
    s[0] = make_header(3, S_SUBBIN);
    s[1] = base;
    s[2] = make_small((SInt)(boff + off));
    s[3] = make_small((SInt)n);
    return make_boxed(s);
}

const uint8_t *bits_bytes(Term t, uint64_t *len, uint8_t **tofree)
{
    BitView v;
    bits_view(t, &v);
    *len = v.bits / 8;
    *tofree = NULL;
    if ((v.off & 7) == 0)
        return v.data + v.off / 8;
    uint8_t *b = malloc(*len + 1);
    if (b == NULL)
        fatal("out of memory");
    memset(b, 0, *len + 1);
    bits_copy(b, 0, v.data, v.off, *len * 8);
    *tofree = b;
    return b;
}

/* ---- reading ---- */

/*
 * The n-bit field at pos as the unsigned value's bytes, least significant
 * first ((n + 7) / 8 of them). Big-endian fields hold the top n % 8 bits
 * first; little-endian ones (as in BEAM, at any size) whole bytes from the
 * least significant, then the top n % 8 bits last.
 */
static void read_le_bytes(const uint8_t *d, uint64_t pos, uint64_t n, int little, uint8_t *out)
{
    uint64_t k = n / 8;
    unsigned r = (unsigned)(n % 8);
    if (little) {
        for (uint64_t i = 0; i < k; i++)
            out[i] = (uint8_t)read_u64(d, pos + 8 * i, 8);
        if (r)
            out[k] = (uint8_t)read_u64(d, pos + 8 * k, r);
        return;
    }
    if (r) {
        out[k] = (uint8_t)read_u64(d, pos, r);
        pos += r;
    }
    for (uint64_t i = 0; i < k; i++)
        out[k - 1 - i] = (uint8_t)read_u64(d, pos + 8 * i, 8);
}

static Term read_integer(Proc *p, const uint8_t *d, uint64_t pos, uint64_t n, unsigned flags)
{
    if (n == 0)
        return make_small(0);
    int little = (flags & BSF_LITTLE) != 0;
    if (n <= 64) {
        uint64_t v;
        if (!little) {
            v = read_u64(d, pos, (unsigned)n);
        } else {
            uint8_t b[8];
            read_le_bytes(d, pos, n, 1, b);
            v = 0;
            for (uint64_t i = (n + 7) / 8; i > 0; i--)
                v = (v << 8) | b[i - 1];
        }
        if ((flags & BSF_SIGNED) && n < 64 && (v >> (n - 1)) & 1)
            v |= ~0ULL << n;
        if (flags & BSF_SIGNED)
            return make_integer(p, (SInt)v);
        if (v <= (uint64_t)MAX_SMALL)
            return make_small((SInt)v);
        return big_from_u64(p, v, 0);
    }
    /* big: the value's bytes, then 32-bit digits */
    uint64_t nbytes = (n + 7) / 8;
    size_t nd = nbytes / 4 + 1;
    uint8_t *buf = calloc(nbytes, 1);
    uint32_t *dg = calloc(nd + 1, sizeof(uint32_t));
    if (buf == NULL || dg == NULL)
        fatal("out of memory");
    read_le_bytes(d, pos, n, little, buf);
    int neg = (flags & BSF_SIGNED) && ((buf[(n - 1) / 8] >> ((n - 1) % 8)) & 1);
    for (uint64_t i = 0; i < nbytes; i++)
        dg[i / 4] |= (uint32_t)buf[i] << (8 * (i % 4));
    if (neg) {
        /* sign-extend to the digit boundary, then negate the two's complement */
        for (uint64_t b = n; b < nd * 32; b++)
            dg[b / 32] |= 1U << (b % 32);
        uint64_t c = 1;
        for (size_t i = 0; i < nd; i++) {
            c += (uint32_t)~dg[i];
            dg[i] = (uint32_t)c;
            c >>= 32;
        }
    }
    Term r = big_norm(p, dg, nd, neg);
    free(buf);
    free(dg);
    return r;
}

/* ---- writing ---- */

static int write_integer(uint8_t *out, uint64_t pos, Term v, uint64_t n, unsigned flags)
{
    if (!is_integer(v))
        return 0;
    if (n == 0)
        return 1;
    if (is_small(v) && n <= 64 && n % 8 == 0 && pos % 8 == 0 && !(flags & BSF_LITTLE)) {
        /* the common field: whole big-endian bytes at a byte boundary */
        uint64_t u = (uint64_t)small_val(v);
        uint8_t *o = out + pos / 8;
        for (unsigned i = (unsigned)n / 8; i > 0; i--) {
            o[i - 1] = (uint8_t)u;
            u >>= 8;
        }
        return 1;
    }
    uint64_t nbytes = (n + 7) / 8;
    uint8_t small_buf[16];
    uint8_t *buf = nbytes <= sizeof small_buf ? small_buf : calloc(nbytes, 1);
    if (buf == NULL)
        fatal("out of memory");
    /* little-endian two's complement bytes of v, nbytes long */
    if (is_small(v)) {
        uint64_t u = (uint64_t)small_val(v);
        for (uint64_t i = 0; i < nbytes; i++)
            buf[i] = i < 8 ? (uint8_t)(u >> (8 * i)) : (small_val(v) < 0 ? 0xff : 0);
    } else {
        uint32_t tmp[2];
        const uint32_t *dg;
        int neg;
        size_t nd = int_digits(v, tmp, &dg, &neg);
        uint64_t c = 1;
        for (uint64_t i = 0; i < nbytes; i++) {
            uint32_t w = i / 4 < nd ? dg[i / 4] : 0;
            uint8_t b = (uint8_t)(w >> (8 * (i % 4)));
            if (neg) {
                c += (uint8_t)~b;
                b = (uint8_t)c;
                c >>= 8;
            }
            buf[i] = b;
        }
    }
    if (flags & BSF_LITTLE) {
        /* whole bytes from the least significant, then the top n % 8 bits */
        bits_copy(out, pos, buf, 0, n & ~7ULL);
        if (n % 8)
            put_bits8(out, pos + (n & ~7ULL), (unsigned)(buf[n / 8] << (8 - n % 8)) & 0xff,
                      (unsigned)(n % 8));
    } else {
        /* big-endian: the low n bits, most significant first — the top
           n % 8 bits of the top byte, then whole bytes downwards */
        unsigned top = n % 8;
        uint64_t i = nbytes;
        if (top) {
            i--;
            put_bits8(out, pos, (unsigned)(buf[i] << (8 - top)) & 0xff, top);
            pos += top;
        }
        if ((pos & 7) == 0) {
            uint8_t *o = out + pos / 8;
            while (i > 0)
                *o++ = buf[--i];
        } else {
            for (; i > 0; pos += 8)
                put_bits8(out, pos, buf[--i], 8);
        }
    }
    if (buf != small_buf)
        free(buf);
    return 1;
}

static int utf8_len(SInt c)
{
    if (c < 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

static int utf8_encode(SInt c, uint8_t *o)
{
    int n = utf8_len(c);
    if (n == 1) {
        o[0] = (uint8_t)c;
    } else if (n == 2) {
        o[0] = (uint8_t)(0xc0 | (c >> 6));
        o[1] = (uint8_t)(0x80 | (c & 0x3f));
    } else if (n == 3) {
        o[0] = (uint8_t)(0xe0 | (c >> 12));
        o[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
        o[2] = (uint8_t)(0x80 | (c & 0x3f));
    } else if (n == 4) {
        o[0] = (uint8_t)(0xf0 | (c >> 18));
        o[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
        o[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
        o[3] = (uint8_t)(0x80 | (c & 0x3f));
    }
    return n;
}

/* ---- the instructions ---- */

#define W(i) (erl_code[*pc + (i)])

static Term new_ctx(Proc *p, Term bin)
{
    uint64_t off;
    Term base = base_of(bin, &off);
    Term *c = halloc(p, 4);
    c[0] = make_header(3, S_MATCHCTX);
    c[1] = base;
    c[2] = make_small((SInt)off);
    c[3] = make_small((SInt)(off + bits_size(bin)));
    return make_boxed(c);
}

#define CTX_BASE(c) (box_ptr(c)[1])
#define CTX_POS(c) ((uint64_t)small_val(box_ptr(c)[2]))
#define CTX_END(c) ((uint64_t)small_val(box_ptr(c)[3]))
#define CTX_SET(c, v) (box_ptr(c)[2] = make_small((SInt)(v)))

/* Size operand × unit, or -1 when it is not a non-negative integer. */
static int64_t seg_bits(Term size, uint64_t unit)
{
    if (!is_small(size) || small_val(size) < 0)
        return -1;
    return small_val(size) * (int64_t)unit;
}

static int get_utf8(const uint8_t *d, uint64_t pos, uint64_t avail, SInt *cp, int *len)
{
    BitView v = {d, pos, avail};
    if (avail < 8)
        return 0;
    unsigned b0 = bits_byte(&v, 0);
    int n = b0 < 0x80 ? 1 : (b0 & 0xe0) == 0xc0 ? 2 : (b0 & 0xf0) == 0xe0 ? 3 :
            (b0 & 0xf8) == 0xf0 ? 4 : 0;
    if (n == 0 || avail < (uint64_t)n * 8)
        return 0;
    SInt c = n == 1 ? b0 : n == 2 ? (b0 & 0x1f) : n == 3 ? (b0 & 0x0f) : (b0 & 0x07);
    for (int i = 1; i < n; i++) {
        unsigned b = bits_byte(&v, (uint64_t)i * 8);
        if ((b & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (b & 0x3f);
    }
    if (utf8_len(c) != n)
        return 0;
    *cp = c;
    *len = n;
    return 1;
}

/* bs_create_bin's segment types and flags, atoms looked up once (an atom no
   loaded code names stays NONV and matches nothing) */
enum { SK_INTEGER, SK_BINARY, SK_APPEND, SK_PRIVATE_APPEND, SK_FLOAT, SK_STRING,
       SK_UTF8, SK_UTF16, SK_UTF32, SK_LITTLE, SK_SIGNED, SK_COUNT };
static Term seg_atoms[SK_COUNT];
static uint8_t seg_slot[256];       /* atom index % 256 -> kind + 1, 0: look further */
static int seg_atoms_ready;

static __attribute__((noinline, cold)) int seg_kind_slow(Term type)
{
    if (!seg_atoms_ready) {
        static const char *const names[SK_COUNT] = {
            "integer", "binary", "append", "private_append", "float", "string",
            "utf8", "utf16", "utf32", "little", "signed"};
        seg_atoms_ready = 1;
        for (int i = 0; i < SK_COUNT; i++) {
            seg_atoms[i] = atom_from(names[i], strlen(names[i]), 0);
            if (seg_atoms[i] != NONV && seg_slot[atom_index(seg_atoms[i]) % 256] == 0)
                seg_slot[atom_index(seg_atoms[i]) % 256] = (uint8_t)(i + 1);
        }
    }
    for (int i = 0; i < SK_COUNT; i++)
        if (type == seg_atoms[i])
            return i;
    return SK_COUNT;
}

static inline int seg_kind(Term type)
{
    unsigned k = seg_slot[atom_index(type) % 256];
    if (k != 0 && seg_atoms[k - 1] == type)
        return (int)k - 1;
    return seg_kind_slow(type);
}

/*
 * <<Acc/binary, I1:S1, I2:S2, …>> of an off-heap byte-aligned Acc and up to
 * 8 big-endian fields of whole bytes (≤ 64 bits) holding small integers:
 * an accumulator loop's common shape, in one pass. 0: not that shape (or
 * the result would be a heap binary), left to the general code.
 */
static int bs_append_ints(Proc *p, uint64_t *pc, Term *E)
{
    uint64_t n = W(6);
    const uint64_t *seg = &erl_code[*pc + 7];
    if (n < 12 || n > 6 * 9)
        return 0;
    int k0 = seg_kind(seg[0]);
    if ((k0 != SK_APPEND && k0 != SK_PRIVATE_APPEND) || SRC(seg[5]) != AM(all))
        return 0;
    Term acc = SRC(seg[4]);
    if (!is_box_of(acc, S_REFBIN) || box_ptr(acc)[1] % 8)
        return 0;
    uint64_t sbits = box_ptr(acc)[1], total = sbits;
    Term vals[8];
    unsigned widths[8], k = 0;
    for (uint64_t i = 6; i < n; i += 6, k++) {
        Term v = SRC(seg[i + 4]), size = SRC(seg[i + 5]);
        if (seg_kind(seg[i]) != SK_INTEGER || !is_small(v) || !is_small(size))
            return 0;
        SInt b = small_val(size) * (SInt)seg[i + 2];
        if (b <= 0 || b > 64 || b % 8)
            return 0;
        for (Term f = seg[i + 3]; is_cons(f); f = CDR(f))
            if (seg_kind(CAR(f)) == SK_LITTLE)
                return 0;
        vals[k] = v;
        widths[k] = (unsigned)b / 8;
        total += (uint64_t)b;
    }
    if (total <= HEAP_BIN_MAX * 8)
        return 0;
    uint8_t *out;
    uint64_t pos;
    Term r = binary_append(p, acc, total, &out, &pos);
    if (pos != sbits) {
        /* new bytes: Acc first (acc's handle is still live here) */
        memcpy(out, bin_bytes(acc), sbits / 8);
    }
    uint8_t *o = out + sbits / 8;
    for (unsigned j = 0; j < k; j++) {
        uint64_t u = (uint64_t)small_val(vals[j]);
        for (unsigned i = widths[j]; i > 0; i--) {
            o[i - 1] = (uint8_t)u;
            u >>= 8;
        }
        o += widths[j];
    }
    DST(W(5)) = r;
    *pc += 7 + n;
    return 1;
}

static int bs_create(Proc *p, uint64_t *pc, Term *E)
{
    /* bs_create_bin Fail Alloc Live Unit Dst {list: Type Seg Unit Flags Src Size}… */
    if (bs_append_ints(p, pc, E))
        return 0;
    uint64_t fail = W(1);
    uint64_t n = W(6);
    const uint64_t *seg = &erl_code[*pc + 7];
    uint64_t total = 0;
    for (uint64_t i = 0; i < n; i += 6) {
        Term type = seg[i], src = SRC(seg[i + 4]), size = SRC(seg[i + 5]);
        uint64_t unit = seg[i + 2];
        int64_t b;
        int kind = seg_kind(type);
        if (kind == SK_INTEGER) {
            b = seg_bits(size, unit);
            if (b < 0 || !is_integer(src))
                goto bad;
        } else if (kind == SK_FLOAT) {
            b = seg_bits(size, unit);
            if ((b != 64 && b != 32 && b != 16) || !is_number(src))
                goto bad;
        } else if (kind == SK_BINARY || kind == SK_APPEND || kind == SK_PRIVATE_APPEND) {
            if (!is_bitstring(src))
                goto bad;
            uint64_t have = bits_size(src);
            if (size == AM(all) || is_atom(size)) {
                b = (int64_t)have;
                if (unit > 1 && have % unit)
                    goto bad;
            } else {
                b = seg_bits(size, unit);
                if (b < 0 || (uint64_t)b > have)
                    goto bad;
            }
        } else if (kind == SK_STRING) {
            b = (int64_t)bits_size(src);
        } else if (kind == SK_UTF8) {
            b = is_small(src) ? 8 * utf8_len(small_val(src)) : 0;
            if (b == 0)
                goto bad;
        } else if (kind == SK_UTF16) {
            if (!is_small(src) || !utf8_len(small_val(src)))
                goto bad;
            b = small_val(src) >= 0x10000 ? 32 : 16;
        } else if (kind == SK_UTF32) {
            if (!is_small(src) || !utf8_len(small_val(src)))
                goto bad;
            b = 32;
        } else {
            goto bad;
        }
        total += (uint64_t)b;
    }
    Term r;
    uint8_t *out;
    uint64_t pos = 0, first = 0;
    int k0 = n >= 6 ? seg_kind(seg[0]) : SK_COUNT;
    if (total > HEAP_BIN_MAX * 8 && (k0 == SK_APPEND || k0 == SK_PRIVATE_APPEND) &&
        SRC(seg[5]) == AM(all)) {
        /* <<Acc/binary, …>>: maybe written after Acc in place (heap.c) */
        r = binary_append(p, SRC(seg[4]), total, &out, &pos);
        if (pos > 0)
            first = 6;
    } else {
        r = make_bitstring(p, NULL, total);
        out = bin_bytes(r);
    }
    /* clear what the segments write (after an in-place append's Acc: its last
       byte's free bits are zero already) */
    memset(out + (pos + 7) / 8, 0, (total + 7) / 8 - (pos + 7) / 8);
    for (uint64_t i = first; i < n; i += 6) {
        Term type = seg[i], src = SRC(seg[i + 4]), size = SRC(seg[i + 5]);
        uint64_t unit = seg[i + 2];
        Term flagl = seg[i + 3];
        unsigned flags = 0;
        int kind = seg_kind(type);
        for (Term f = kind == SK_BINARY || kind == SK_APPEND || kind == SK_PRIVATE_APPEND ||
                      kind == SK_STRING || kind == SK_UTF8 ? NIL : flagl;
             is_cons(f); f = CDR(f)) {
            int fk = seg_kind(CAR(f));
            if (fk == SK_LITTLE)
                flags |= BSF_LITTLE;
            else if (fk == SK_SIGNED)
                flags |= BSF_SIGNED;
        }
        if (kind == SK_INTEGER) {
            uint64_t b = (uint64_t)seg_bits(size, unit);
            write_integer(out, pos, src, b, flags);
            pos += b;
        } else if (kind == SK_FLOAT) {
            uint64_t b = (uint64_t)seg_bits(size, unit);
            double d;
            to_double(src, &d);
            uint8_t tmp[8];
            if (b == 64) {
                union { double d; uint64_t u; } u = {.d = d};
                for (int k = 0; k < 8; k++)
                    tmp[k] = (uint8_t)(u.u >> (56 - 8 * k));
            } else if (b == 32) {
                union { float f; uint32_t u; } u = {.f = (float)d};
                for (int k = 0; k < 4; k++)
                    tmp[k] = (uint8_t)(u.u >> (24 - 8 * k));
            } else {
                _Float16 h = (_Float16)d;
                uint16_t u;
                memcpy(&u, &h, 2);
                tmp[0] = (uint8_t)(u >> 8);
                tmp[1] = (uint8_t)u;
            }
            if (flags & BSF_LITTLE)
                for (uint64_t k = 0; k < b / 16; k++) {
                    uint8_t t = tmp[k];
                    tmp[k] = tmp[b / 8 - 1 - k];
                    tmp[b / 8 - 1 - k] = t;
                }
            bits_copy(out, pos, tmp, 0, b);
            pos += b;
        } else if (kind == SK_UTF8) {
            uint8_t tmp[4];
            int k = utf8_encode(small_val(src), tmp);
            bits_copy(out, pos, tmp, 0, (uint64_t)k * 8);
            pos += (uint64_t)k * 8;
        } else if (kind == SK_UTF16) {
            SInt c = small_val(src);
            uint16_t u[2];
            int k = 1;
            if (c >= 0x10000) {
                c -= 0x10000;
                u[0] = (uint16_t)(0xd800 | (c >> 10));
                u[1] = (uint16_t)(0xdc00 | (c & 0x3ff));
                k = 2;
            } else {
                u[0] = (uint16_t)c;
            }
            for (int j = 0; j < k; j++) {
                write_integer(out, pos, make_small(u[j]), 16, flags);
                pos += 16;
            }
        } else if (kind == SK_UTF32) {
            write_integer(out, pos, src, 32, flags);
            pos += 32;
        } else {
            /* binary, append, private_append, string */
            BitView v;
            bits_view(src, &v);
            uint64_t b = v.bits;
            if (!is_atom(size) && kind != SK_STRING)
                b = (uint64_t)seg_bits(size, unit);
            bits_copy(out, pos, v.data, v.off, b);
            pos += b;
        }
    }
    DST(W(5)) = r;
    *pc += 7 + n;
    return 0;
bad:
    if (fail) {
        *pc = fail;
        return 0;
    }
    raise(p, AM(error), AM(badarg));
    return -1;
}

int bs_op(Proc *p, uint64_t op, uint64_t *pc, Term *E)
{
    switch (op) {
    case G_BS_START_MATCH3: {
        /* Fail Bin Live Dst */
        Term b = SRC(W(2));
        if (is_box_of(b, S_MATCHCTX)) {
            DST(W(4)) = b;
        } else if (is_bitstring(b)) {
            DST(W(4)) = new_ctx(p, b);
        } else {
            *pc = W(1);
            return 0;
        }
        *pc += 5;
        return 0;
    }
    case G_BS_START_MATCH4: {
        /* Fail Live Src Dst; Fail is a label or the atoms no_fail/resume */
        Term b = SRC(W(3));
        if (is_box_of(b, S_MATCHCTX)) {
            DST(W(4)) = b;
        } else if (is_bitstring(b)) {
            DST(W(4)) = new_ctx(p, b);
        } else {
            if (is_atom(W(1)) || W(1) == 0) {
                raise(p, AM(error), AM(badarg));
                return -1;
            }
            *pc = W(1);
            return 0;
        }
        *pc += 5;
        return 0;
    }
    case G_BS_GET_POSITION:
        DST(W(2)) = make_small((SInt)CTX_POS(SRC(W(1))));
        *pc += 4;
        return 0;
    case G_BS_SET_POSITION:
        CTX_SET(SRC(W(1)), small_val(SRC(W(2))));
        *pc += 3;
        return 0;
    case G_BS_GET_TAIL: {
        Term c = SRC(W(1));
        Term r = bits_sub(p, CTX_BASE(c), CTX_POS(c), CTX_END(c) - CTX_POS(c));
        DST(W(2)) = r;
        *pc += 4;
        return 0;
    }
    case G_BS_TEST_TAIL2: {
        Term c = SRC(W(2));
        if (CTX_END(c) - CTX_POS(c) == W(3))
            *pc += 4;
        else
            *pc = W(1);
        return 0;
    }
    case G_BS_TEST_UNIT: {
        Term c = SRC(W(2));
        uint64_t u = W(3);
        if (u == 0 || (CTX_END(c) - CTX_POS(c)) % u == 0)
            *pc += 4;
        else
            *pc = W(1);
        return 0;
    }
    case G_BS_GET_INTEGER2: case G_BS_GET_BINARY2: case G_BS_GET_FLOAT2: {
        /* Fail Ctx Live Size Unit Flags Dst */
        Term c = SRC(W(2)), size = SRC(W(4));
        uint64_t unit = W(5);
        unsigned flags = (unsigned)W(6);
        uint64_t pos = CTX_POS(c), avail = CTX_END(c) - pos;
        int64_t n;
        if (op == G_BS_GET_BINARY2 && size == AM(all)) {
            n = (int64_t)avail;
            if (unit > 1 && avail % unit)
                goto fail;
        } else {
            n = seg_bits(size, unit);
            if (n < 0) {
                if (is_integer(size) || size == AM(all))
                    goto fail;
                raise(p, AM(error), AM(badarg));
                return -1;
            }
        }
        if ((uint64_t)n > avail)
            goto fail;
        Term base = CTX_BASE(c);
        Term r;
        if (op == G_BS_GET_INTEGER2) {
            r = read_integer(p, bin_bytes(base), pos, (uint64_t)n, flags);
        } else if (op == G_BS_GET_BINARY2) {
            r = bits_sub(p, base, pos, (uint64_t)n);
        } else {
            uint64_t u = read_u64(bin_bytes(base), pos, (unsigned)(n > 64 ? 64 : n));
            double d;
            if (n == 64) {
                if (flags & BSF_LITTLE)
                    u = __builtin_bswap64(u);
                union { uint64_t u; double d; } x = {.u = u};
                d = x.d;
            } else if (n == 32) {
                uint32_t v = (uint32_t)u;
                if (flags & BSF_LITTLE)
                    v = __builtin_bswap32(v);
                union { uint32_t u; float f; } x = {.u = v};
                d = x.f;
            } else if (n == 16) {
                uint16_t v = (uint16_t)u;
                if (flags & BSF_LITTLE)
                    v = __builtin_bswap16(v);
                _Float16 h;
                memcpy(&h, &v, 2);
                d = h;
            } else {
                goto fail;
            }
            if (d != d || d - d != 0)
                goto fail;
            r = make_float(p, d);
        }
        CTX_SET(c, pos + (uint64_t)n);
        DST(W(7)) = r;
        *pc += 8;
        return 0;
    }
    case G_BS_SKIP_BITS2: {
        /* Fail Ctx Size Unit Flags */
        Term c = SRC(W(2)), size = SRC(W(3));
        uint64_t pos = CTX_POS(c), avail = CTX_END(c) - pos;
        int64_t n = size == AM(all) ? (int64_t)avail : seg_bits(size, W(4));
        if (n < 0 || (uint64_t)n > avail)
            goto fail;
        CTX_SET(c, pos + (uint64_t)n);
        *pc += 6;
        return 0;
    }
    case G_BS_MATCH_STRING: {
        /* Fail Ctx Bits String(a binary literal) */
        Term c = SRC(W(2));
        uint64_t n = W(3), pos = CTX_POS(c);
        if (CTX_END(c) - pos < n)
            goto fail;
        BitView v = {bin_bytes(CTX_BASE(c)), pos, n};
        const uint8_t *s = bin_bytes(W(4));
        for (uint64_t i = 0; i < n; i += 8) {
            if (n - i >= 8) {
                if (bits_byte(&v, i) != s[i / 8])
                    goto fail;
            } else {
                BitView sv = {s, 0, n};
                for (uint64_t k = i; k < n; k++)
                    if (bits_bit(&v, k) != bits_bit(&sv, k))
                        goto fail;
            }
        }
        CTX_SET(c, pos + n);
        *pc += 5;
        return 0;
    }
    case G_BS_GET_UTF8: case G_BS_SKIP_UTF8: {
        /* get: Fail Ctx Live Flags Dst; skip: Fail Ctx Live Flags */
        Term c = SRC(W(2));
        uint64_t pos = CTX_POS(c);
        SInt cp;
        int len;
        if (!get_utf8(bin_bytes(CTX_BASE(c)), pos, CTX_END(c) - pos, &cp, &len))
            goto fail;
        CTX_SET(c, pos + (uint64_t)len * 8);
        if (op == G_BS_GET_UTF8) {
            DST(W(5)) = make_small(cp);
            *pc += 6;
        } else {
            *pc += 5;
        }
        return 0;
    }
    case G_BS_GET_UTF16: case G_BS_SKIP_UTF16: case G_BS_GET_UTF32: case G_BS_SKIP_UTF32: {
        Term c = SRC(W(2));
        unsigned flags = (unsigned)W(4);
        uint64_t pos = CTX_POS(c), avail = CTX_END(c) - pos;
        const uint8_t *d = bin_bytes(CTX_BASE(c));
        SInt cp;
        uint64_t used;
        int is16 = op == G_BS_GET_UTF16 || op == G_BS_SKIP_UTF16;
        if (is16) {
            if (avail < 16)
                goto fail;
            uint64_t w1 = read_u64(d, pos, 16);
            if (flags & BSF_LITTLE)
                w1 = ((w1 & 0xff) << 8) | (w1 >> 8);
            used = 16;
            cp = (SInt)w1;
            if (w1 >= 0xd800 && w1 <= 0xdbff) {
                if (avail < 32)
                    goto fail;
                uint64_t w2 = read_u64(d, pos + 16, 16);
                if (flags & BSF_LITTLE)
                    w2 = ((w2 & 0xff) << 8) | (w2 >> 8);
                if (w2 < 0xdc00 || w2 > 0xdfff)
                    goto fail;
                cp = (SInt)(0x10000 + ((w1 - 0xd800) << 10) + (w2 - 0xdc00));
                used = 32;
            } else if (w1 >= 0xdc00 && w1 <= 0xdfff) {
                goto fail;
            }
        } else {
            if (avail < 32)
                goto fail;
            uint64_t w = read_u64(d, pos, 32);
            if (flags & BSF_LITTLE)
                w = __builtin_bswap32((uint32_t)w);
            cp = (SInt)w;
            used = 32;
            if (!utf8_len(cp))
                goto fail;
        }
        CTX_SET(c, pos + used);
        if (op == G_BS_GET_UTF16 || op == G_BS_GET_UTF32) {
            DST(W(5)) = make_small(cp);
            *pc += 6;
        } else {
            *pc += 5;
        }
        return 0;
    }
    case G_BS_CREATE_BIN:
        return bs_create(p, pc, E);
    case G_BS_INIT_WRITABLE:
        xreg[0] = make_binary(p, NULL, 0);
        *pc += 1;
        return 0;
    case G_BS_CONTEXT_TO_BINARY: {
        Term c = SRC(W(1));
        if (is_box_of(c, S_MATCHCTX))
            DST(W(1)) = bits_sub(p, CTX_BASE(c), CTX_POS(c), CTX_END(c) - CTX_POS(c));
        *pc += 2;
        return 0;
    }
    default:
        fatal("bit syntax instruction %lu not handled", (unsigned long)op);
    }
fail:
    *pc = W(1);
    return 0;
}
