/*
 * bif_unicode.c — the unicode module's BIFs: characters_to_list/1,2,
 * characters_to_binary/1,2 (OTP's characters_to_binary/3 is Erlang code over
 * these) and bin_is_7bit/1. Chardata is decoded into code points by the input
 * encoding — a list's integers are code points whatever the encoding, a
 * binary's bytes are read as latin1, UTF-8, UTF-16 or UTF-32 — and written
 * out as a list or a UTF-8 binary. As in erl: a bad code point or byte
 * sequence gives {error, Converted, Rest}, a binary ending inside a UTF
 * sequence {incomplete, Converted, Rest}, anything that is not chardata badarg.
 */
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "bifs_decl.h"

enum { E_LATIN1, E_UTF8, E_UTF16BE, E_UTF16LE, E_UTF32BE, E_UTF32LE };
enum { C_OK, C_ERROR, C_INCOMPLETE, C_BADARG };

typedef struct {
    Proc *p;
    uint32_t *cp;
    size_t n, cap;
    int status;
    Term rest;          /* where decoding stopped (error, incomplete) */
    int rest_bin;       /* the rest is bytes of `bin` from rest_at */
    Term bin;
    uint64_t rest_at;
} Dec;

static Term name(const char *s) { return atom_from(s, strlen(s), 1); }

static int get_enc(Term t, int *e)
{
    if (t == AM(latin1)) { *e = E_LATIN1; return 1; }
    if (t == AM(unicode) || t == AM(utf8)) { *e = E_UTF8; return 1; }
    if (is_tuple(t) && tuple_size(t) == 2) {
        Term k = tuple_ptr(t)[0], end = tuple_ptr(t)[1];
        if (end != name("big") && end != name("little"))
            return 0;
        int little = end == name("little");
        if (k == name("utf16")) { *e = little ? E_UTF16LE : E_UTF16BE; return 1; }
        if (k == name("utf32")) { *e = little ? E_UTF32LE : E_UTF32BE; return 1; }
        return 0;
    }
    if (t == name("utf16")) { *e = E_UTF16BE; return 1; }
    if (t == name("utf32")) { *e = E_UTF32BE; return 1; }
    return 0;
}

static int valid_cp(SInt c) { return c >= 0 && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF); }

static void push(Dec *d, uint32_t c)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->cp = realloc(d->cp, d->cap * sizeof(uint32_t));
        if (d->cp == NULL)
            fatal("out of memory");
    }
    d->cp[d->n++] = c;
}

/* one code point from s[0..n): its length, 0 when invalid, -1 when cut short */
static int utf8_one(const uint8_t *s, uint64_t n, uint32_t *out)
{
    uint8_t b = s[0];
    int len;
    uint32_t c;
    if (b < 0x80) { *out = b; return 1; }
    else if ((b & 0xE0) == 0xC0) { len = 2; c = b & 0x1F; }
    else if ((b & 0xF0) == 0xE0) { len = 3; c = b & 0x0F; }
    else if ((b & 0xF8) == 0xF0) { len = 4; c = b & 0x07; }
    else return 0;
    for (int i = 1; i < len; i++) {
        if ((uint64_t)i >= n)
            return -1;
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < least[len] || !valid_cp(c))
        return 0;
    *out = c;
    return len;
}

static int decode_bin(Dec *d, Term bin, int enc)
{
    if (bits_size(bin) % 8) {
        d->status = C_BADARG;
        return 0;
    }
    uint64_t n;
    uint8_t *tofree;
    const uint8_t *s = bits_bytes(bin, &n, &tofree);
    uint64_t i = 0;
    int ok = 1;
    while (i < n && ok) {
        uint32_t c = 0;
        int len;
        switch (enc) {
        case E_LATIN1: c = s[i]; len = 1; break;
        case E_UTF8: len = utf8_one(s + i, n - i, &c); break;
        case E_UTF16BE: case E_UTF16LE: {
            int le = enc == E_UTF16LE;
            if (n - i < 2) { len = -1; break; }
            uint32_t u = le ? (uint32_t)(s[i] | s[i + 1] << 8) : (uint32_t)(s[i] << 8 | s[i + 1]);
            if (u >= 0xD800 && u <= 0xDBFF) {
                if (n - i < 4) { len = -1; break; }
                uint32_t v = le ? (uint32_t)(s[i + 2] | s[i + 3] << 8) :
                                  (uint32_t)(s[i + 2] << 8 | s[i + 3]);
                if (v < 0xDC00 || v > 0xDFFF) { len = 0; break; }
                c = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
                len = 4;
            } else if (u >= 0xDC00 && u <= 0xDFFF) {
                len = 0;
            } else {
                c = u;
                len = 2;
            }
            break;
        }
        default: {
            if (n - i < 4) { len = -1; break; }
            c = enc == E_UTF32LE ?
                (uint32_t)s[i] | (uint32_t)s[i + 1] << 8 | (uint32_t)s[i + 2] << 16 | (uint32_t)s[i + 3] << 24 :
                (uint32_t)s[i] << 24 | (uint32_t)s[i + 1] << 16 | (uint32_t)s[i + 2] << 8 | s[i + 3];
            len = valid_cp(c) ? 4 : 0;
        }
        }
        if (len <= 0) {
            d->status = len < 0 ? C_INCOMPLETE : C_ERROR;
            d->rest_bin = 1;
            d->bin = bin;
            d->rest_at = i;
            ok = 0;
            break;
        }
        push(d, c);
        i += (uint64_t)len;
    }
    free(tofree);
    return ok;
}

/* chardata: a binary, or a possibly deep list of code points and binaries */
static int decode(Dec *d, Term t, int enc)
{
    if (is_bitstring(t))
        return decode_bin(d, t, enc);
    while (is_cons(t)) {
        Term h = CAR(t);
        if (is_small(h)) {
            SInt c = small_val(h);
            if (!valid_cp(c) || (enc == E_LATIN1 && c > 255)) {
                d->status = C_ERROR;
                d->rest = t;
                return 0;
            }
            push(d, (uint32_t)c);
        } else if (is_cons(h) || is_nil(h) || is_bitstring(h)) {
            if (!decode(d, h, enc)) {
                if (d->status == C_INCOMPLETE && !is_nil(CDR(t)))
                    d->status = C_ERROR;    /* only a cut at the very end is incomplete */
                if (d->status != C_BADARG && !d->rest_bin)
                    d->rest = cons(d->p, d->rest, CDR(t));
                return 0;
            }
        } else {
            d->status = is_integer(h) ? C_ERROR : C_BADARG;
            d->rest = t;
            return 0;
        }
        t = CDR(t);
    }
    if (!is_nil(t)) {
        if (is_bitstring(t))
            return decode_bin(d, t, enc);
        d->status = C_BADARG;
        return 0;
    }
    return 1;
}

static Term as_list(Proc *p, const Dec *d)
{
    Term l = NIL;
    for (size_t i = d->n; i > 0; i--)
        l = cons(p, make_small(d->cp[i - 1]), l);
    return l;
}

static Term as_utf8(Proc *p, const Dec *d)
{
    uint8_t *buf = malloc(d->n * 4 + 1), *o = buf;
    if (buf == NULL)
        fatal("out of memory");
    for (size_t i = 0; i < d->n; i++) {
        uint32_t c = d->cp[i];
        if (c < 0x80) {
            *o++ = (uint8_t)c;
        } else if (c < 0x800) {
            *o++ = (uint8_t)(0xC0 | c >> 6);
            *o++ = (uint8_t)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            *o++ = (uint8_t)(0xE0 | c >> 12);
            *o++ = (uint8_t)(0x80 | (c >> 6 & 0x3F));
            *o++ = (uint8_t)(0x80 | (c & 0x3F));
        } else {
            *o++ = (uint8_t)(0xF0 | c >> 18);
            *o++ = (uint8_t)(0x80 | (c >> 12 & 0x3F));
            *o++ = (uint8_t)(0x80 | (c >> 6 & 0x3F));
            *o++ = (uint8_t)(0x80 | (c & 0x3F));
        }
    }
    Term b = make_binary(p, buf, (size_t)(o - buf));
    free(buf);
    return b;
}

static Term convert(Proc *p, Term data, Term in_enc, int to_list)
{
    int enc;
    if (!get_enc(in_enc, &enc))
        return badarg(p);
    Dec d = {0};
    d.p = p;
    d.rest = NIL;
    decode(&d, data, enc);
    if (d.status == C_BADARG) {
        free(d.cp);
        return badarg(p);
    }
    Term done = to_list ? as_list(p, &d) : as_utf8(p, &d);
    if (d.status == C_OK) {
        free(d.cp);
        return done;
    }
    Term rest = d.rest;
    if (d.rest_bin) {
        uint64_t n;
        uint8_t *tofree;
        const uint8_t *s = bits_bytes(d.bin, &n, &tofree);
        rest = make_binary(p, s + d.rest_at, (size_t)(n - d.rest_at));
        free(tofree);
    }
    free(d.cp);
    return mk_tuple3(p, d.status == C_ERROR ? AM(error) : name("incomplete"),
                     done, rest);
}

BIF(bif_unicode_to_binary) { return convert(p, a[0], AM(unicode), 0); }
BIF(bif_unicode_to_binary2) { return convert(p, a[0], a[1], 0); }
BIF(bif_unicode_to_list) { return convert(p, a[0], AM(unicode), 1); }
BIF(bif_unicode_to_list2) { return convert(p, a[0], a[1], 1); }

BIF(bif_unicode_bin_is_7bit)
{
    (void)p;
    if (!is_bitstring(a[0]) || bits_size(a[0]) % 8)
        return AM(false);       /* as erl: anything but a binary is not 7-bit */
    uint64_t n;
    uint8_t *tofree;
    const uint8_t *s = bits_bytes(a[0], &n, &tofree);
    int seven = 1;
    for (uint64_t i = 0; i < n && seven; i++)
        seven = s[i] < 0x80;
    free(tofree);
    return seven ? AM(true) : AM(false);
}
