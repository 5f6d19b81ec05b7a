/*
 * bif_digest.c — checksums and digests of iodata: erlang:md5/1 (RFC 1321),
 * md5_init/update/final, crc32/1,2 (the IEEE 802.3 polynomial, as zlib),
 * adler32/1,2; and the string module's number readers (string:to_integer/1
 * and to_float/1 call them).
 */
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "bits.h"
#include "bifs_decl.h"

/* the bytes of iodata (a binary, or a list of bytes, binaries and lists) */
static int iodata_bytes(Term t, char **buf, size_t *len)
{
    size_t cap = 0;
    *buf = NULL;
    *len = 0;
    if (is_bitstring(t)) {
        if (bits_size(t) % 8)
            return 0;
        uint64_t n;
        uint8_t *tofree;
        const uint8_t *s = bits_bytes(t, &n, &tofree);
        *buf = malloc(n ? n : 1);
        if (*buf == NULL)
            fatal("out of memory (digest)");
        memcpy(*buf, s, n);
        *len = n;
        free(tofree);
        return 1;
    }
    /* chardata_to_utf8 would encode characters above 127: iodata is bytes */
    for (Term l = t; is_cons(l); l = CDR(l))
        if (is_small(CAR(l)) && (small_val(CAR(l)) < 0 || small_val(CAR(l)) > 255))
            return 0;
    if (!is_list(t))
        return 0;
    /* walk with an explicit stack of list tails */
    size_t sp = 0, scap = 16;
    Term *stack = malloc(scap * sizeof(Term));
    if (stack == NULL)
        fatal("out of memory (digest)");
    stack[sp++] = t;
    int ok = 1;
    while (ok && sp > 0) {
        Term l = stack[--sp];
        if (is_nil(l))
            continue;
        if (is_bitstring(l)) {
            if (bits_size(l) % 8) {
                ok = 0;
                break;
            }
            uint64_t n;
            uint8_t *tofree;
            const uint8_t *s = bits_bytes(l, &n, &tofree);
            if (*len + n > cap) {
                cap = (*len + n) * 2 + 64;
                *buf = realloc(*buf, cap);
                if (*buf == NULL)
                    fatal("out of memory (digest)");
            }
            memcpy(*buf + *len, s, n);
            *len += n;
            free(tofree);
            continue;
        }
        if (!is_cons(l)) {
            ok = 0;
            break;
        }
        Term h = CAR(l);
        if (sp + 2 > scap) {
            scap *= 2;
            stack = realloc(stack, scap * sizeof(Term));
            if (stack == NULL)
                fatal("out of memory (digest)");
        }
        stack[sp++] = CDR(l);
        if (is_small(h)) {
            SInt v = small_val(h);
            if (v < 0 || v > 255) {
                ok = 0;
                break;
            }
            if (*len + 1 > cap) {
                cap = cap * 2 + 64;
                *buf = realloc(*buf, cap);
                if (*buf == NULL)
                    fatal("out of memory (digest)");
            }
            (*buf)[(*len)++] = (char)v;
        } else if (is_list(h) || is_bitstring(h)) {
            stack[sp++] = h;
        } else {
            ok = 0;
        }
    }
    free(stack);
    if (!ok) {
        free(*buf);
        *buf = NULL;
    }
    return ok;
}

/* ---- MD5 (RFC 1321) ---- */

typedef struct { uint32_t h[4]; uint64_t len; uint8_t buf[64]; } Md5;

static uint32_t rol(uint32_t x, unsigned c) { return (x << c) | (x >> (32 - c)); }

static void md5_block(Md5 *m, const uint8_t *p)
{
    static const uint32_t K[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
        0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
        0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
        0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
        0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
        0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
        0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
        0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
        0xeb86d391};
    static const unsigned S[16] = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
        w[i] = p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
               (uint32_t)p[4 * i + 3] << 24;
    uint32_t a = m->h[0], b = m->h[1], c = m->h[2], d = m->h[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g, r = i / 16;
        if (r == 0) { f = (b & c) | (~b & d); g = i; }
        else if (r == 1) { f = (d & b) | (~d & c); g = (5 * i + 1) % 16; }
        else if (r == 2) { f = b ^ c ^ d; g = (3 * i + 5) % 16; }
        else { f = c ^ (b | ~d); g = (7 * i) % 16; }
        uint32_t tmp = d;
        d = c;
        c = b;
        b = b + rol(a + f + K[i] + w[g], S[r * 4 + i % 4]);
        a = tmp;
    }
    m->h[0] += a; m->h[1] += b; m->h[2] += c; m->h[3] += d;
}

static void md5_init(Md5 *m)
{
    m->h[0] = 0x67452301; m->h[1] = 0xefcdab89; m->h[2] = 0x98badcfe; m->h[3] = 0x10325476;
    m->len = 0;
}

static void md5_update(Md5 *m, const uint8_t *p, size_t n)
{
    while (n > 0) {
        size_t used = m->len % 64, k = 64 - used < n ? 64 - used : n;
        memcpy(m->buf + used, p, k);
        m->len += k;
        p += k;
        n -= k;
        if (m->len % 64 == 0)
            md5_block(m, m->buf);
    }
}

static void md5_final(Md5 *m, uint8_t out[16])
{
    uint64_t bits = m->len * 8;
    uint8_t pad = 0x80, zero = 0, lenb[8];
    md5_update(m, &pad, 1);
    while (m->len % 64 != 56)
        md5_update(m, &zero, 1);
    for (int i = 0; i < 8; i++)
        lenb[i] = (uint8_t)(bits >> (8 * i));
    md5_update(m, lenb, 8);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            out[4 * i + j] = (uint8_t)(m->h[i] >> (8 * j));
}

BIF(bif_md5)
{
    char *buf;
    size_t n;
    if (!iodata_bytes(a[0], &buf, &n))
        return badarg(p);
    Md5 m;
    uint8_t out[16];
    md5_init(&m);
    md5_update(&m, (const uint8_t *)buf, n);
    md5_final(&m, out);
    free(buf);
    return make_binary(p, out, 16);
}

/* the md5 context travels as a binary holding the Md5 struct */
static int ctx_of(Term t, Md5 *m)
{
    if (!is_bitstring(t) || bits_size(t) != 8 * sizeof(Md5))
        return 0;
    uint64_t n;
    uint8_t *tofree;
    const uint8_t *s = bits_bytes(t, &n, &tofree);
    memcpy(m, s, sizeof *m);
    free(tofree);
    return 1;
}
BIF(bif_md5_init)
{
    (void)a;
    Md5 m;
    md5_init(&m);
    return make_binary(p, &m, sizeof m);
}
BIF(bif_md5_update)
{
    Md5 m;
    char *buf;
    size_t n;
    if (!ctx_of(a[0], &m) || !iodata_bytes(a[1], &buf, &n))
        return badarg(p);
    md5_update(&m, (const uint8_t *)buf, n);
    free(buf);
    return make_binary(p, &m, sizeof m);
}
BIF(bif_md5_final)
{
    Md5 m;
    uint8_t out[16];
    if (!ctx_of(a[0], &m))
        return badarg(p);
    md5_final(&m, out);
    return make_binary(p, out, 16);
}

/* ---- CRC-32 and Adler-32 ---- */

/* a byte at a time through a table of the 256 byte remainders, built on
   first use (bit at a time, that is 8 times the work per byte) */
static uint32_t crc32_table[256];

static uint32_t crc32_update(uint32_t crc, const uint8_t *s, size_t n)
{
    if (crc32_table[1] == 0) {
        for (uint32_t b = 0; b < 256; b++) {
            uint32_t c = b;
            for (int k = 0; k < 8; k++)
                c = (c >> 1) ^ (0xedb88320U & (0U - (c & 1)));
            crc32_table[b] = c;
        }
    }
    crc = ~crc;
    for (size_t i = 0; i < n; i++)
        crc = (crc >> 8) ^ crc32_table[(crc ^ s[i]) & 0xff];
    return ~crc;
}

static uint32_t adler32_update(uint32_t adler, const uint8_t *s, size_t n)
{
    uint32_t x = adler & 0xffff, y = adler >> 16;
    while (n > 0) {
        /* 5552 bytes at most between reductions keep y below 2^32 */
        size_t k = n < 5552 ? n : 5552;
        n -= k;
        while (k--) {
            x += *s++;
            y += x;
        }
        x %= 65521;
        y %= 65521;
    }
    return (y << 16) | x;
}

static Term checksum(Proc *p, Term start, Term data, int crc)
{
    SInt init;
    char *buf;
    size_t n;
    if (!int_to_int64(start, &init) || init < 0 || init > 0xffffffffLL ||
            !iodata_bytes(data, &buf, &n))
        return badarg(p);
    uint32_t r = crc ? crc32_update((uint32_t)init, (const uint8_t *)buf, n)
                     : adler32_update((uint32_t)init, (const uint8_t *)buf, n);
    free(buf);
    return make_integer(p, (SInt)r);
}
BIF(bif_crc32) { return checksum(p, make_small(0), a[0], 1); }
BIF(bif_crc32_2) { return checksum(p, a[0], a[1], 1); }
BIF(bif_adler32) { return checksum(p, make_small(1), a[0], 0); }
BIF(bif_adler32_2) { return checksum(p, a[0], a[1], 0); }

/* ---- string:list_to_integer/1, string:list_to_float/1 ---- */

/* the leading Latin-1 characters of a list into buf (at most cap) */
static long list_chars(Term l, char *buf, long cap)
{
    long n = 0;
    for (; is_cons(l) && n < cap; l = CDR(l)) {
        Term c = CAR(l);
        if (!is_small(c) || small_val(c) < 0 || small_val(c) > 255)
            break;
        buf[n++] = (char)small_val(c);
    }
    return n;
}

static Term list_drop(Term l, long n)
{
    while (n-- > 0)
        l = CDR(l);
    return l;
}

static int digit(char c) { return c >= '0' && c <= '9'; }

BIF(bif_string_list_to_integer)
{
    if (!is_list(a[0]))
        return mk_tuple2(p, AM(error), atom_from("not_a_list", 10, 1));
    char buf[4096];
    long n = list_chars(a[0], buf, (long)sizeof buf), i = 0;
    if (i < n && (buf[i] == '+' || buf[i] == '-'))
        i++;
    long d0 = i;
    while (i < n && digit(buf[i]))
        i++;
    if (i == d0)
        return mk_tuple2(p, AM(error), atom_from("no_integer", 10, 1));
    Term v = int_from_chars(p, buf, (size_t)i, 10);
    if (v == NONV)
        return mk_tuple2(p, AM(error), atom_from("no_integer", 10, 1));
    return mk_tuple2(p, v, list_drop(a[0], i));
}

BIF(bif_string_list_to_float)
{
    if (!is_list(a[0]))
        return mk_tuple2(p, AM(error), atom_from("not_a_list", 10, 1));
    char buf[4096];
    long n = list_chars(a[0], buf, (long)sizeof buf - 1), i = 0;
    if (i < n && (buf[i] == '+' || buf[i] == '-'))
        i++;
    long d0 = i;
    while (i < n && digit(buf[i]))
        i++;
    /* erl wants digits, a dot and digits; an exponent only with digits */
    if (i == d0 || i + 1 >= n || buf[i] != '.' || !digit(buf[i + 1]))
        return mk_tuple2(p, AM(error), atom_from("no_float", 8, 1));
    i++;
    while (i < n && digit(buf[i]))
        i++;
    if (i < n && (buf[i] == 'e' || buf[i] == 'E')) {
        long j = i + 1;
        if (j < n && (buf[j] == '+' || buf[j] == '-'))
            j++;
        if (j < n && digit(buf[j])) {
            while (j < n && digit(buf[j]))
                j++;
            i = j;
        }
    }
    char save = buf[i];
    buf[i] = 0;
    double d = strtod(buf, NULL);
    buf[i] = save;
    if (d != d || d - d != 0)
        return mk_tuple2(p, AM(error), atom_from("no_float", 8, 1));
    return mk_tuple2(p, make_float(p, d), list_drop(a[0], i));
}
