/* bytes: an immutable byte string (Bytes in pyrt.h). Indexing gives ints, repr is
 * CPython's b'...', and str.encode()/bytes.decode() convert UTF-8 both ways. */
#include <string.h>

#include "pyrt.h"

void rt_slice_indices(int64_t len, int64_t *start, int64_t *stop, int64_t step, int has);
int64_t rt_slice_len(int64_t start, int64_t stop, int64_t step);

static Str *bytes_repr_obj(Obj *o) { return rt_bytes_repr((Bytes *)o); }

static bool bytes_eq_obj(Obj *a, Obj *b) {
    Bytes *x = (Bytes *)a, *y = (Bytes *)b;
    return b->type == &T_Bytes && x->len == y->len && memcmp(x->data, y->data, (size_t)x->len) == 0;
}

static int64_t bytes_hash_obj(Obj *o) {
    Bytes *b = (Bytes *)o;
    uint64_t h = 14695981039346656037ull;
    for (int64_t i = 0; i < b->len; i++) h = (h ^ b->data[i]) * 1099511628211ull;
    int64_t r = (int64_t)(h >> 1);
    return r == -1 ? -2 : r;
}

static int bytes_cmp3(Bytes *a, Bytes *b) {
    int64_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->data, b->data, (size_t)n);
    if (c) return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
}

static int bytes_cmp_obj(Obj *a, Obj *b, int op) {
    int c = bytes_cmp3((Bytes *)a, (Bytes *)b);
    switch (op) {
    case CMP_LT: return c < 0;
    case CMP_LE: return c <= 0;
    case CMP_GT: return c > 0;
    default: return c >= 0;
    }
}

static int64_t bytes_len_obj(Obj *o) { return ((Bytes *)o)->len; }

const Type T_Bytes = {.name = "bytes", .repr = bytes_repr_obj, .eq = bytes_eq_obj,
                      .hash = bytes_hash_obj, .cmp = bytes_cmp_obj, .len = bytes_len_obj};

static Bytes *bytes_raw(int64_t len) {
    if (len < 0) rt_raise_new(&T_ValueError, "negative count");
    Bytes *b = rt_alloc(&T_Bytes, sizeof(Bytes) + (size_t)len + 1);
    b->len = len;
    return b;
}

Bytes *rt_bytes_new(const void *data, int64_t len) {
    Bytes *b = bytes_raw(len);
    if (len) memcpy(b->data, data, (size_t)len);
    return b;
}

Bytes *rt_bytes_zeros(int64_t n) { return bytes_raw(n); }

Bytes *rt_bytes_from_list(List *l) {
    Bytes *b = bytes_raw(l->len);
    for (int64_t i = 0; i < l->len; i++) {
        int64_t v = l->items[i].i;
        if (v < 0 || v > 255) rt_raise_new(&T_ValueError, "bytes must be in range(0, 256)");
        b->data[i] = (uint8_t)v;
    }
    return b;
}

List *rt_bytes_list(Bytes *b) {
    List *l = rt_list_new(RK_INT, b->len);
    for (int64_t i = 0; i < b->len; i++) l->items[i].i = b->data[i];
    return l;
}

Str *rt_bytes_repr(Bytes *b) {
    bool sq = memchr(b->data, '\'', (size_t)b->len) != NULL;
    bool dq = memchr(b->data, '"', (size_t)b->len) != NULL;
    char quote = sq && !dq ? '"' : '\'';
    Buf out = {0};
    rt_buf_add(&out, "b", 1);
    rt_buf_add(&out, &quote, 1);
    for (int64_t i = 0; i < b->len; i++) {
        uint8_t c = b->data[i];
        char esc[5];
        if (c == quote || c == '\\') {
            esc[0] = '\\', esc[1] = (char)c;
            rt_buf_add(&out, esc, 2);
        } else if (c == '\t' || c == '\n' || c == '\r') {
            esc[0] = '\\', esc[1] = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
            rt_buf_add(&out, esc, 2);
        } else if (c < 0x20 || c >= 0x7f) {
            static const char hex[] = "0123456789abcdef";
            esc[0] = '\\', esc[1] = 'x', esc[2] = hex[c >> 4], esc[3] = hex[c & 15];
            rt_buf_add(&out, esc, 4);
        } else {
            char ch = (char)c;
            rt_buf_add(&out, &ch, 1);
        }
    }
    rt_buf_add(&out, &quote, 1);
    return rt_buf_done(&out);
}

int64_t rt_bytes_get(Bytes *b, int64_t i) {
    int64_t j = i < 0 ? i + b->len : i;
    if (j < 0 || j >= b->len) rt_raise_new(&T_IndexError, "index out of range");
    return b->data[j];
}

Bytes *rt_bytes_slice(Bytes *b, int64_t start, int64_t stop, int64_t step, int has) {
    rt_slice_indices(b->len, &start, &stop, step, has);
    int64_t n = rt_slice_len(start, stop, step);
    Bytes *r = bytes_raw(n);
    for (int64_t k = 0, i = start; k < n; k++, i += step) r->data[k] = b->data[i];
    return r;
}

Bytes *rt_bytes_concat(Bytes *a, Bytes *b) {
    Bytes *r = bytes_raw(a->len + b->len);
    memcpy(r->data, a->data, (size_t)a->len);
    memcpy(r->data + a->len, b->data, (size_t)b->len);
    return r;
}

Bytes *rt_bytes_repeat(Bytes *a, int64_t n) {
    if (n <= 0) return bytes_raw(0);
    Bytes *r = bytes_raw(a->len * n);
    for (int64_t i = 0; i < n; i++) memcpy(r->data + i * a->len, a->data, (size_t)a->len);
    return r;
}

/* the first index >= from of sub in b, or -1 */
static int64_t find_at(Bytes *b, Bytes *sub, int64_t from) {
    if (sub->len == 0) return from <= b->len ? from : -1;
    for (int64_t i = from; i + sub->len <= b->len; i++)
        if (b->data[i] == sub->data[0] && memcmp(b->data + i, sub->data, (size_t)sub->len) == 0)
            return i;
    return -1;
}

bool rt_bytes_contains(Bytes *b, Bytes *sub) { return find_at(b, sub, 0) >= 0; }

bool rt_bytes_contains_byte(Bytes *b, int64_t v) {
    if (v < 0 || v > 255) rt_raise_new(&T_ValueError, "byte must be in range(0, 256)");
    return memchr(b->data, (int)v, (size_t)b->len) != NULL;
}

int64_t rt_bytes_find(Bytes *b, Bytes *sub) { return find_at(b, sub, 0); }

int64_t rt_bytes_index(Bytes *b, Bytes *sub) {
    int64_t i = find_at(b, sub, 0);
    if (i < 0) rt_raise_new(&T_ValueError, "subsection not found");
    return i;
}

int64_t rt_bytes_count(Bytes *b, Bytes *sub) {
    if (sub->len == 0) return b->len + 1;
    int64_t n = 0;
    for (int64_t i = find_at(b, sub, 0); i >= 0; i = find_at(b, sub, i + sub->len)) n++;
    return n;
}

bool rt_bytes_startswith(Bytes *b, Bytes *p) {
    return p->len <= b->len && memcmp(b->data, p->data, (size_t)p->len) == 0;
}

bool rt_bytes_endswith(Bytes *b, Bytes *p) {
    return p->len <= b->len && memcmp(b->data + b->len - p->len, p->data, (size_t)p->len) == 0;
}

Str *rt_bytes_hex(Bytes *b) {
    static const char hex[] = "0123456789abcdef";
    Buf out = {0};
    for (int64_t i = 0; i < b->len; i++) {
        char two[2] = {hex[b->data[i] >> 4], hex[b->data[i] & 15]};
        rt_buf_add(&out, two, 2);
    }
    return rt_buf_done(&out);
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Bytes *rt_bytes_fromhex(Str *s) {
    Bytes *r = bytes_raw(s->len / 2);
    int64_t n = 0;
    for (int64_t i = 0; i < s->len;) {
        if (s->data[i] == ' ') {
            i++;
            continue;
        }
        int hi = hexval(s->data[i]), lo = i + 1 < s->len ? hexval(s->data[i + 1]) : -1;
        if (hi < 0 || lo < 0)
            rt_raise_new(&T_ValueError,
                         "non-hexadecimal number found in fromhex() arg at position %lld",
                         (long long)(hi < 0 ? i : i + 1));
        r->data[n++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    r->len = n;
    return r;
}

Bytes *rt_str_encode(Str *s) { return rt_bytes_new(s->data, s->len); }

/* UTF-8 → str, with CPython's UnicodeDecodeError messages for malformed input */
Str *rt_bytes_decode(Bytes *b) {
    const uint8_t *d = b->data;
    for (int64_t i = 0; i < b->len;) {
        uint8_t c = d[i];
        int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 && c >= 0xC2 ? 1 : (c & 0xF0) == 0xE0 ? 2
                : (c & 0xF8) == 0xF0 && c <= 0xF4 ? 3 : -1;
        if (n < 0)
            rt_raise_new(&T_UnicodeDecodeError, "'utf-8' codec can't decode byte 0x%02x in "
                         "position %lld: invalid start byte", c, (long long)i);
        for (int k = 1; k <= n; k++) {
            if (i + k >= b->len)
                rt_raise_new(&T_UnicodeDecodeError, "'utf-8' codec can't decode byte%s 0x%02x "
                             "in position %lld%s: unexpected end of data", "", c, (long long)i,
                             "");
            uint8_t x = d[i + k];
            bool ok = (x & 0xC0) == 0x80;
            if (k == 1 && c == 0xE0) ok = ok && x >= 0xA0;      /* overlong */
            if (k == 1 && c == 0xED) ok = ok && x < 0xA0;       /* surrogates */
            if (k == 1 && c == 0xF0) ok = ok && x >= 0x90;
            if (k == 1 && c == 0xF4) ok = ok && x < 0x90;
            if (!ok)
                rt_raise_new(&T_UnicodeDecodeError, "'utf-8' codec can't decode byte 0x%02x in "
                             "position %lld: invalid continuation byte", c, (long long)i);
        }
        i += n + 1;
    }
    return rt_str_new((const char *)d, b->len);
}

/* int.from_bytes(b, byteorder, signed=...): any length (bignums past 63 bits) */
int64_t rt_int_from_bytes(Bytes *b, bool little, bool is_signed) {
    int64_t r = 0;
    for (int64_t k = 0; k < b->len; k++) {
        uint8_t c = b->data[little ? b->len - 1 - k : k];
        r = rt_add(rt_lshift(r, 8), c);
    }
    if (is_signed && b->len && (b->data[little ? b->len - 1 : 0] & 0x80))
        r = rt_sub(r, rt_lshift(1, 8 * b->len));
    return r;
}

/* int.to_bytes(length, byteorder, signed=...): OverflowError if it does not fit */
Bytes *rt_int_to_bytes(int64_t v, int64_t length, bool little, bool is_signed) {
    if (length < 0) rt_raise_new(&T_ValueError, "length argument must be non-negative");
    if (!is_signed && rt_int_cmp(v, 0) < 0)
        rt_raise_new(&T_OverflowError, "can't convert negative int to unsigned");
    Bytes *r = bytes_raw(length);
    int64_t x = v;
    for (int64_t k = 0; k < length; k++) {
        r->data[little ? k : length - 1 - k] = (uint8_t)rt_and(x, 255);
        x = rt_rshift(x, 8);
    }
    /* what is left must be all sign: 0, or -1 for a negative value that fits */
    bool top = length > 0 && (r->data[little ? length - 1 : 0] & 0x80);
    bool fits = !is_signed ? x == 0
                : rt_int_cmp(v, 0) < 0 ? x == -1 && top
                : x == 0 && !top;
    if (!fits) rt_raise_new(&T_OverflowError, "int too big to convert");
    return r;
}
