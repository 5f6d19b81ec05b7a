/* str: immutable UTF-8 strings with a cached length in code points; numbers
 * to text the way CPython writes them (shortest round-trip float repr). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "pyrt.h"

static Str *str_repr_obj(Obj *o) { return rt_str_repr((Str *)o); }
static Str *str_str_obj(Obj *o) { return (Str *)o; }
static bool str_eq_obj(Obj *a, Obj *b) { return rt_str_eq((Str *)a, (Str *)b); }
static int64_t str_hash_obj(Obj *o) { return rt_str_hash((Str *)o); }
static int str_cmp_obj(Obj *a, Obj *b, int op) {
    int c = rt_str_cmp((Str *)a, (Str *)b);
    switch (op) {
    case CMP_LT: return c < 0;
    case CMP_LE: return c <= 0;
    case CMP_GT: return c > 0;
    default: return c >= 0;
    }
}
static int64_t str_len_obj(Obj *o) { return ((Str *)o)->nchars; }
const Type T_Str = {.name = "str", .repr = str_repr_obj, .str = str_str_obj, .eq = str_eq_obj,
                    .hash = str_hash_obj, .cmp = str_cmp_obj, .len = str_len_obj};

static int64_t count_chars(const char *s, int64_t len) {
    int64_t n = 0;
    for (int64_t i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

Str *rt_str_new(const char *data, int64_t len) {
    Str *s = rt_alloc(&T_Str, sizeof(Str) + (size_t)len + 1);
    memcpy(s->data, data, (size_t)len);
    s->data[len] = 0;
    s->len = len;
    s->nchars = count_chars(data, len);
    s->hash = -1;
    return s;
}

static Str *str_raw(int64_t len) {
    Str *s = rt_alloc(&T_Str, sizeof(Str) + (size_t)len + 1);
    s->len = len;
    s->hash = -1;
    return s;
}

static Str *str_fix(Str *s) {
    s->data[s->len] = 0;
    s->nchars = count_chars(s->data, s->len);
    return s;
}

Str *rt_str_c(const char *c) { return rt_str_new(c, (int64_t)strlen(c)); }

Str *rt_str_fmt(const char *fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < (int)sizeof buf) return rt_str_new(buf, n);
    Str *s = str_raw(n);
    va_start(ap, fmt);
    vsnprintf(s->data, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return str_fix(s);
}

void rt_buf_add(Buf *b, const char *data, int64_t len) {
    if (!b->data) {
        b->data = b->small;
        b->cap = (int64_t)sizeof b->small;
    }
    if (b->len + len + 1 > b->cap) {
        int64_t cap = b->cap * 2;
        while (cap < b->len + len + 1) cap *= 2;
        char *d = b->data == b->small ? malloc((size_t)cap) : realloc(b->data, (size_t)cap);
        if (!d) rt_raise_new(&T_MemoryError, "out of memory");
        if (b->data == b->small) memcpy(d, b->small, (size_t)b->len);
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, (size_t)len);
    b->len += len;
}

void rt_buf_int(Buf *b, int64_t v) {
    if (RT_BIG(v)) {
        int64_t n;
        bool neg;
        char *d = rt_int_digits(v, 10, false, &n, &neg);
        if (neg) rt_buf_add(b, "-", 1);
        rt_buf_add(b, d, n);
        return;
    }
    char buf[24];
    int n = 24;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        buf[--n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) buf[--n] = '-';
    rt_buf_add(b, buf + n, 24 - n);
}

Str *rt_buf_done(Buf *b) {
    Str *s = rt_str_new(b->data ? b->data : "", b->len);
    if (b->data != b->small) free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

Str *rt_str_concat(Str *a, Str *b) {
    Str *s = str_raw(a->len + b->len);
    memcpy(s->data, a->data, (size_t)a->len);
    memcpy(s->data + a->len, b->data, (size_t)b->len);
    s->data[s->len] = 0;
    s->nchars = a->nchars + b->nchars;
    return s;
}

Str *rt_str_repeat(Str *a, int64_t n) {
    if (n <= 0) return rt_str_new("", 0);
    Str *s = str_raw(a->len * n);
    for (int64_t i = 0; i < n; i++) memcpy(s->data + i * a->len, a->data, (size_t)a->len);
    s->data[s->len] = 0;
    s->nchars = a->nchars * n;
    return s;
}

bool rt_str_eq(Str *a, Str *b) {
    return a == b || (a->len == b->len && memcmp(a->data, b->data, (size_t)a->len) == 0);
}

int rt_str_cmp(Str *a, Str *b) {
    int64_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->data, b->data, (size_t)n);   /* UTF-8 byte order = code point order */
    if (c) return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
}

int64_t rt_str_hash(Str *s) {
    if (s->hash != -1) return s->hash;
    uint64_t h = 14695981039346656037ull;
    for (int64_t i = 0; i < s->len; i++) h = (h ^ (unsigned char)s->data[i]) * 1099511628211ull;
    int64_t r = (int64_t)(h >> 1);
    if (r == -1) r = -2;
    s->hash = r;
    return r;
}

int64_t rt_str_len(Str *s) { return s->nchars; }

static int64_t char_len(unsigned char c) {
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Byte offset of code point i (0 <= i <= nchars). */
static int64_t byte_at(Str *s, int64_t i) {
    if (s->len == s->nchars) return i;
    int64_t b = 0;
    while (i-- > 0) b += char_len((unsigned char)s->data[b]);
    return b;
}

static int64_t char_index(Str *s, int64_t byte) { return count_chars(s->data, byte); }

Str *rt_str_index(Str *s, int64_t i) {
    int64_t j = i < 0 ? i + s->nchars : i;
    if (j < 0 || j >= s->nchars) rt_raise_new(&T_IndexError, "string index out of range");
    int64_t b = byte_at(s, j);
    return rt_str_new(s->data + b, char_len((unsigned char)s->data[b]));
}

Str *rt_str_next_char(Str *s, int64_t *pos) {
    int64_t b = *pos;
    int64_t n = char_len((unsigned char)s->data[b]);
    *pos = b + n;
    return rt_str_new(s->data + b, n);
}

/* Python's slice.indices: has bit 0 start given, bit 1 stop given. */
void rt_slice_indices(int64_t len, int64_t *start, int64_t *stop, int64_t step, int has) {
    if (step == 0) rt_raise_new(&T_ValueError, "slice step cannot be zero");
    int64_t lo = step < 0 ? -1 : 0, hi = step < 0 ? len - 1 : len;
    if (!(has & 1)) *start = step < 0 ? hi : lo;
    else {
        if (*start < 0) { *start += len; if (*start < lo) *start = lo; }
        else if (*start > hi) *start = hi;
    }
    if (!(has & 2)) *stop = step < 0 ? lo : hi;
    else {
        if (*stop < 0) { *stop += len; if (*stop < lo) *stop = lo; }
        else if (*stop > hi) *stop = hi;
    }
}

int64_t rt_slice_len(int64_t start, int64_t stop, int64_t step) {
    if (step > 0) return start < stop ? (stop - start - 1) / step + 1 : 0;
    return stop < start ? (start - stop - 1) / (-step) + 1 : 0;
}

Str *rt_str_slice(Str *s, int64_t start, int64_t stop, int64_t step, int has) {
    rt_slice_indices(s->nchars, &start, &stop, step, has);
    int64_t n = rt_slice_len(start, stop, step);
    if (step == 1) {
        int64_t b0 = byte_at(s, start), b1 = byte_at(s, start + n);
        return rt_str_new(s->data + b0, b1 - b0);
    }
    Buf b = {0};
    for (int64_t k = 0, i = start; k < n; k++, i += step) {
        int64_t o = byte_at(s, i);
        rt_buf_add(&b, s->data + o, char_len((unsigned char)s->data[o]));
    }
    return rt_buf_done(&b);
}

static int64_t find_bytes(Str *s, Str *sub, int64_t from) {
    if (sub->len == 0) return from <= s->len ? from : -1;
    for (int64_t i = from; i + sub->len <= s->len; i++)
        if (s->data[i] == sub->data[0] && memcmp(s->data + i, sub->data, (size_t)sub->len) == 0)
            return i;
    return -1;
}

bool rt_str_contains(Str *s, Str *sub) { return find_bytes(s, sub, 0) >= 0; }

int64_t rt_str_find(Str *s, Str *sub, int64_t start) {
    if (start < 0) { start += s->nchars; if (start < 0) start = 0; }
    if (start > s->nchars) return -1;
    int64_t b = find_bytes(s, sub, byte_at(s, start));
    return b < 0 ? -1 : char_index(s, b);
}

int64_t rt_str_rfind(Str *s, Str *sub) {
    for (int64_t i = s->len - sub->len; i >= 0; i--)
        if (memcmp(s->data + i, sub->data, (size_t)sub->len) == 0) return char_index(s, i);
    return -1;
}

int64_t rt_str_index_of(Str *s, Str *sub) {
    int64_t i = rt_str_find(s, sub, 0);
    if (i < 0) rt_raise_new(&T_ValueError, "substring not found");
    return i;
}

int64_t rt_str_count(Str *s, Str *sub) {
    if (sub->len == 0) return s->nchars + 1;
    int64_t n = 0, i = 0;
    while ((i = find_bytes(s, sub, i)) >= 0) { n++; i += sub->len; }
    return n;
}

Str *rt_str_replace(Str *s, Str *old, Str *new_, int64_t count) {
    Buf b = {0};
    int64_t i = 0, n = 0;
    if (old->len == 0) {
        /* insert new_ between characters */
        int64_t pos = 0;
        while (count < 0 || n < count) {
            rt_buf_str(&b, new_);
            n++;
            if (pos >= s->len) break;
            int64_t l = char_len((unsigned char)s->data[pos]);
            rt_buf_add(&b, s->data + pos, l);
            pos += l;
        }
        rt_buf_add(&b, s->data + pos, s->len - pos);
        return rt_buf_done(&b);
    }
    while (count < 0 || n < count) {
        int64_t j = find_bytes(s, old, i);
        if (j < 0) break;
        rt_buf_add(&b, s->data + i, j - i);
        rt_buf_str(&b, new_);
        i = j + old->len;
        n++;
    }
    rt_buf_add(&b, s->data + i, s->len - i);
    return rt_buf_done(&b);
}

/* Simple case mapping: ASCII, Latin-1, Greek and Cyrillic (the common alphabets). */
static int32_t to_upper_cp(int32_t c) {
    if (c >= 'a' && c <= 'z') return c - 32;
    if ((c >= 0xE0 && c <= 0xFE && c != 0xF7)) return c - 32;
    if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) return c - 32;
    if (c >= 0x430 && c <= 0x44F) return c - 32;
    if (c >= 0x450 && c <= 0x45F) return c - 80;
    return c;
}
static int32_t to_lower_cp(int32_t c) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    return c;
}
static int32_t decode_cp(const unsigned char *p, int64_t *n) {
    if (p[0] < 0x80) { *n = 1; return p[0]; }
    if (p[0] < 0xE0) { *n = 2; return ((p[0] & 0x1F) << 6) | (p[1] & 0x3F); }
    if (p[0] < 0xF0) { *n = 3; return ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F); }
    *n = 4;
    return ((p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

/* how: 0 upper, 1 lower, 2 capitalize, 3 title, 4 swapcase */
static Str *map_ascii(Str *s, int how) {
    Buf b = {0};
    bool start = true;
    for (int64_t i = 0; i < s->len;) {
        int64_t n;
        int32_t c = decode_cp((const unsigned char *)s->data + i, &n), up = to_upper_cp(c),
                lo = to_lower_cp(c), r = c;
        bool is_lo = up != c, is_up = lo != c;
        switch (how) {
        case 0: r = up; break;
        case 1: r = lo; break;
        case 2: r = i == 0 ? up : lo; break;
        case 3: r = start ? up : lo; break;
        case 4: r = is_lo ? up : is_up ? lo : c; break;
        }
        start = !(is_lo || is_up);
        if (r == c) rt_buf_add(&b, s->data + i, n);
        else rt_buf_str(&b, rt_chr(r));
        i += n;
    }
    return rt_buf_done(&b);
}
Str *rt_str_upper(Str *s) { return map_ascii(s, 0); }
Str *rt_str_lower(Str *s) { return map_ascii(s, 1); }
Str *rt_str_capitalize(Str *s) { return map_ascii(s, 2); }
Str *rt_str_title(Str *s) { return map_ascii(s, 3); }
Str *rt_str_swapcase(Str *s) { return map_ascii(s, 4); }

static bool is_space(unsigned char c) { return c == ' ' || (c >= 9 && c <= 13) || c == 0x1c ||
                                               c == 0x1d || c == 0x1e || c == 0x1f; }

static bool in_chars(Str *chars, const char *p, int64_t n) {
    if (!chars) return n == 1 && is_space((unsigned char)*p);
    for (int64_t i = 0; i < chars->len;) {
        int64_t l = char_len((unsigned char)chars->data[i]);
        if (l == n && memcmp(chars->data + i, p, (size_t)n) == 0) return true;
        i += l;
    }
    return false;
}

/* which: 1 left, 2 right, 3 both; chars NULL: whitespace */
Str *rt_str_strip(Str *s, Str *chars, int which) {
    int64_t a = 0, b = s->len;
    if (which & 1)
        while (a < b) {
            int64_t l = char_len((unsigned char)s->data[a]);
            if (!in_chars(chars, s->data + a, l)) break;
            a += l;
        }
    if (which & 2)
        while (b > a) {
            int64_t k = b - 1;
            while (k > a && ((unsigned char)s->data[k] & 0xC0) == 0x80) k--;
            if (!in_chars(chars, s->data + k, b - k)) break;
            b = k;
        }
    return rt_str_new(s->data + a, b - a);
}

bool rt_str_startswith(Str *s, Str *p) {
    return p->len <= s->len && memcmp(s->data, p->data, (size_t)p->len) == 0;
}

bool rt_str_endswith(Str *s, Str *p) {
    return p->len <= s->len && memcmp(s->data + s->len - p->len, p->data, (size_t)p->len) == 0;
}

extern const Type T_Str;

List *rt_str_split(Str *s, Str *sep, int64_t maxsplit) {
    List *out = rt_list_new(RK_OBJ, 0);
    if (!sep) {
        int64_t i = 0;
        while (true) {
            while (i < s->len && is_space((unsigned char)s->data[i])) i++;
            if (i >= s->len) break;
            if (maxsplit >= 0 && out->len >= maxsplit) {
                int64_t e = s->len;
                while (e > i && is_space((unsigned char)s->data[e - 1])) e--;
                rt_list_append(out, rt_vp(rt_str_new(s->data + i, e - i)));
                break;
            }
            int64_t j = i;
            while (j < s->len && !is_space((unsigned char)s->data[j])) j++;
            rt_list_append(out, rt_vp(rt_str_new(s->data + i, j - i)));
            i = j;
        }
        return out;
    }
    if (sep->len == 0) rt_raise_new(&T_ValueError, "empty separator");
    int64_t i = 0;
    while (maxsplit < 0 || out->len < maxsplit) {
        int64_t j = find_bytes(s, sep, i);
        if (j < 0) break;
        rt_list_append(out, rt_vp(rt_str_new(s->data + i, j - i)));
        i = j + sep->len;
    }
    rt_list_append(out, rt_vp(rt_str_new(s->data + i, s->len - i)));
    return out;
}

List *rt_str_rsplit(Str *s, Str *sep, int64_t maxsplit) {
    if (maxsplit < 0) return rt_str_split(s, sep, -1);
    if (!sep) rt_raise_new(&T_ValueError, "rsplit() with maxsplit needs a separator here");
    List *rev = rt_list_new(RK_OBJ, 0);
    int64_t end = s->len;
    while (rev->len < maxsplit) {
        int64_t j = -1;
        for (int64_t k = end - sep->len; k >= 0; k--)
            if (memcmp(s->data + k, sep->data, (size_t)sep->len) == 0) { j = k; break; }
        if (j < 0) break;
        rt_list_append(rev, rt_vp(rt_str_new(s->data + j + sep->len, end - j - sep->len)));
        end = j;
    }
    rt_list_append(rev, rt_vp(rt_str_new(s->data, end)));
    rt_list_reverse(rev);
    return rev;
}

List *rt_str_splitlines(Str *s) {
    List *out = rt_list_new(RK_OBJ, 0);
    int64_t i = 0;
    while (i < s->len) {
        int64_t j = i;
        while (j < s->len && s->data[j] != '\n' && s->data[j] != '\r') j++;
        rt_list_append(out, rt_vp(rt_str_new(s->data + i, j - i)));
        if (j < s->len && s->data[j] == '\r' && j + 1 < s->len && s->data[j + 1] == '\n') j++;
        i = j + 1;
    }
    return out;
}

Str *rt_str_join(Str *sep, List *items) {
    int64_t total = 0, chars = 0;
    for (int64_t i = 0; i < items->len; i++) {
        Str *it = items->items[i].p;
        if (!it || it->h.type != &T_Str)
            rt_raise_new(&T_TypeError, "sequence item %lld: expected str instance", (long long)i);
        total += it->len;
        chars += it->nchars;
    }
    if (items->len > 1) {
        total += sep->len * (items->len - 1);
        chars += sep->nchars * (items->len - 1);
    }
    Str *r = str_raw(total);     /* (the items are reachable from the list meanwhile) */
    char *p = r->data;
    for (int64_t i = 0; i < items->len; i++) {
        Str *it = items->items[i].p;
        if (i) {
            memcpy(p, sep->data, (size_t)sep->len);
            p += sep->len;
        }
        memcpy(p, it->data, (size_t)it->len);
        p += it->len;
    }
    *p = 0;
    r->nchars = chars;
    return r;
}

/* which: 0 digit, 1 alpha, 2 space, 3 alnum, 4 upper, 5 lower, 6 decimal/numeric */
bool rt_str_is(Str *s, int which) {
    if (s->len == 0) return false;
    bool cased = false;
    for (int64_t i = 0; i < s->len; i++) {
        unsigned char c = (unsigned char)s->data[i];
        bool d = c >= '0' && c <= '9', lo = c >= 'a' && c <= 'z', up = c >= 'A' && c <= 'Z';
        bool ok;
        switch (which) {
        case 0: case 6: ok = d; break;
        case 1: ok = lo || up || c >= 0x80; break;
        case 2: ok = is_space(c); break;
        case 3: ok = d || lo || up || c >= 0x80; break;
        case 4: ok = !lo; cased |= up; break;
        default: ok = !up; cased |= lo; break;
        }
        if (!ok) return false;
    }
    return which < 4 || which == 6 || cased;
}

/* how: 0 center, 1 ljust, 2 rjust */
Str *rt_str_center(Str *s, int64_t w, Str *fill, int how) {
    if (w <= s->nchars) return s;
    const char *f = fill ? fill->data : " ";
    int64_t fl = fill ? fill->len : 1, pad = w - s->nchars, left;
    if (how == 1) left = 0;
    else if (how == 2) left = pad;
    else left = pad / 2 + (pad & w & 1);
    Buf b = {0};
    for (int64_t i = 0; i < left; i++) rt_buf_add(&b, f, fl);
    rt_buf_str(&b, s);
    for (int64_t i = 0; i < pad - left; i++) rt_buf_add(&b, f, fl);
    return rt_buf_done(&b);
}

Str *rt_str_zfill(Str *s, int64_t w) {
    if (w <= s->nchars) return s;
    Buf b = {0};
    int64_t i = 0;
    if (s->len && (s->data[0] == '-' || s->data[0] == '+')) { rt_buf_add(&b, s->data, 1); i = 1; }
    for (int64_t k = 0; k < w - s->nchars; k++) rt_buf_add(&b, "0", 1);
    rt_buf_add(&b, s->data + i, s->len - i);
    return rt_buf_done(&b);
}

Str *rt_str_repr(Str *s) {
    bool sq = memchr(s->data, '\'', (size_t)s->len) != NULL;
    bool dq = memchr(s->data, '"', (size_t)s->len) != NULL;
    char q = sq && !dq ? '"' : '\'';
    Buf b = {0};
    rt_buf_add(&b, &q, 1);
    for (int64_t i = 0; i < s->len; i++) {
        unsigned char c = (unsigned char)s->data[i];
        char esc[8];
        if (c == (unsigned char)q || c == '\\') { esc[0] = '\\'; esc[1] = (char)c; rt_buf_add(&b, esc, 2); }
        else if (c == '\n') rt_buf_add(&b, "\\n", 2);
        else if (c == '\t') rt_buf_add(&b, "\\t", 2);
        else if (c == '\r') rt_buf_add(&b, "\\r", 2);
        else if (c < 0x20 || c == 0x7f) { snprintf(esc, sizeof esc, "\\x%02x", c); rt_buf_add(&b, esc, 4); }
        else rt_buf_add(&b, (char *)&c, 1);
    }
    rt_buf_add(&b, &q, 1);
    return rt_buf_done(&b);
}

int64_t rt_ord(Str *s) {
    if (s->nchars != 1)
        rt_raise_new(&T_TypeError, "ord() expected a character, but string of length %lld found",
                     (long long)s->nchars);
    const unsigned char *p = (const unsigned char *)s->data;
    if (p[0] < 0x80) return p[0];
    if (p[0] < 0xE0) return ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    if (p[0] < 0xF0) return ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    return ((p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

Str *rt_chr(int64_t c) {
    char b[4];
    int n;
    if (c < 0 || c > 0x10FFFF) rt_raise_new(&T_ValueError, "chr() arg not in range(0x110000)");
    if (c < 0x80) { b[0] = (char)c; n = 1; }
    else if (c < 0x800) { b[0] = (char)(0xC0 | (c >> 6)); b[1] = (char)(0x80 | (c & 0x3F)); n = 2; }
    else if (c < 0x10000) {
        b[0] = (char)(0xE0 | (c >> 12)); b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[2] = (char)(0x80 | (c & 0x3F)); n = 3;
    } else {
        b[0] = (char)(0xF0 | (c >> 18)); b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((c >> 6) & 0x3F)); b[3] = (char)(0x80 | (c & 0x3F)); n = 4;
    }
    return rt_str_new(b, n);
}

int64_t rt_str_to_int(Str *s, int64_t base) {
    const char *p = s->data, *e = s->data + s->len;
    while (p < e && is_space((unsigned char)*p)) p++;
    while (e > p && is_space((unsigned char)e[-1])) e--;
    bool neg = false;
    const char *start = p;
    if (p < e && (*p == '+' || *p == '-')) neg = *p++ == '-';
    if (base == 0) base = 10;
    if (base == 16 && e - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) p += 2;
    int64_t v = 0;
    bool any = false, big = false;
    const char *digits = p;
    for (; p < e; p++) {
        if (*p == '_' && any) continue;
        int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'z' ? *p - 'a' + 10
              : *p >= 'A' && *p <= 'Z' ? *p - 'A' + 10 : 99;
        if (d >= base) { any = false; break; }
        if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v)) big = true;
        any = true;
    }
    if (!any) {
        Str *r = rt_str_repr(rt_str_new(start - (start - s->data), s->len));
        rt_raise_new(&T_ValueError, "invalid literal for int() with base %lld: %s",
                     (long long)base, r->data);
    }
    if (big) {   /* too long for a machine int: the digits again, into a bignum */
        char *clean = rt_alloc(&T_BigInt, sizeof(Obj) + (size_t)(e - digits)) ;
        clean += sizeof(Obj);
        int64_t n = 0;
        for (const char *q = digits; q < e; q++)
            if (*q != '_') clean[n++] = *q;
        return rt_int_parse(clean, n, (int)base, neg);
    }
    return neg ? rt_neg(rt_int_from_i64(v)) : rt_int_from_i64(v);
}

double rt_str_to_float(Str *s) {
    char *end;
    const char *p = s->data;
    while (is_space((unsigned char)*p)) p++;
    double d = strtod(p, &end);
    while (is_space((unsigned char)*end)) end++;
    if (end == p || *end) {
        Str *r = rt_str_repr(s);
        rt_raise_new(&T_ValueError, "could not convert string to float: %s", r->data);
    }
    return d;
}

Str *rt_int_str(int64_t v) {
    if (RT_BIG(v)) {
        Buf b = {0};
        rt_buf_int(&b, v);
        return rt_buf_done(&b);
    }
    char buf[24];
    int n = 24;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        buf[--n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) buf[--n] = '-';
    return rt_str_new(buf + n, 24 - n);
}

Str *rt_bool_str(bool b) { return rt_str_c(b ? "True" : "False"); }

/* The shortest digits that read back as d, as CPython's repr writes them. */
static int shortest(double d, char *digits, int *exp10) {
    char buf[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, d);
        if (strtod(buf, NULL) == d) break;
    }
    /* buf: [-]d.ddde[+-]xx */
    int n = 0;
    char *q = buf;
    if (*q == '-') q++;
    for (; *q && *q != 'e'; q++)
        if (*q != '.') digits[n++] = *q;
    while (n > 1 && digits[n - 1] == '0') n--;
    digits[n] = 0;
    *exp10 = atoi(q + 1);
    return n;
}

Str *rt_float_repr(double d) {
    if (isnan(d)) return rt_str_c("nan");
    if (isinf(d)) return rt_str_c(d > 0 ? "inf" : "-inf");
    if (d == 0) return rt_str_c(signbit(d) ? "-0.0" : "0.0");
    char digits[24], out[64];
    int e, n = shortest(d, digits, &e), k = 0;
    if (d < 0) out[k++] = '-';
    if (e >= -4 && e < 16) {
        if (e < 0) {
            out[k++] = '0'; out[k++] = '.';
            for (int i = 0; i < -e - 1; i++) out[k++] = '0';
            for (int i = 0; i < n; i++) out[k++] = digits[i];
        } else {
            for (int i = 0; i <= e; i++) out[k++] = i < n ? digits[i] : '0';
            out[k++] = '.';
            if (n > e + 1)
                for (int i = e + 1; i < n; i++) out[k++] = digits[i];
            else
                out[k++] = '0';
        }
    } else {
        out[k++] = digits[0];
        if (n > 1) {
            out[k++] = '.';
            for (int i = 1; i < n; i++) out[k++] = digits[i];
        }
        k += snprintf(out + k, sizeof out - (size_t)k, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    }
    return rt_str_new(out, k);
}

Str *rt_hex(int64_t v, int base) {
    if (RT_BIG(v)) {
        int64_t n;
        bool neg;
        char *d = rt_int_digits(v, base, false, &n, &neg);
        Buf b = {0};
        rt_buf_add(&b, neg ? "-0" : "0", neg ? 2 : 1);
        rt_buf_add(&b, base == 16 ? "x" : base == 8 ? "o" : "b", 1);
        rt_buf_add(&b, d, n);
        return rt_buf_done(&b);
    }
    char buf[80];
    int k = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char tmp[70];
    int n = 0;
    do {
        int d = (int)(u % (uint64_t)base);
        tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        u /= (uint64_t)base;
    } while (u);
    if (v < 0) buf[k++] = '-';
    buf[k++] = '0';
    buf[k++] = base == 16 ? 'x' : base == 8 ? 'o' : 'b';
    while (n) buf[k++] = tmp[--n];
    return rt_str_new(buf, k);
}

/* ---- format specs: [[fill]align][sign][#][0][width][,|_][.precision][type] ---- */
typedef struct {
    char fill[5];
    int filllen;
    char align, sign, type, group;
    bool alt, zero;
    int64_t width, prec;
} Spec;

static Spec parse_spec(Str *spec) {
    Spec s = {.fill = " ", .filllen = 1, .align = 0, .sign = '-', .prec = -1};
    const char *p = spec->data, *e = p + spec->len;
    if (p < e) {
        int64_t l = char_len((unsigned char)*p);
        if (p + l < e && strchr("<>=^", p[l])) {
            memcpy(s.fill, p, (size_t)l);
            s.filllen = (int)l;
            s.align = p[l];
            p += l + 1;
        } else if (strchr("<>=^", *p)) {
            s.align = *p++;
        }
    }
    if (p < e && (*p == '+' || *p == '-' || *p == ' ')) s.sign = *p++;
    if (p < e && *p == '#') { s.alt = true; p++; }
    if (p < e && *p == '0') { s.zero = true; p++; }
    while (p < e && *p >= '0' && *p <= '9') s.width = s.width * 10 + (*p++ - '0');
    if (p < e && (*p == ',' || *p == '_')) s.group = *p++;
    if (p < e && *p == '.') {
        p++;
        s.prec = 0;
        while (p < e && *p >= '0' && *p <= '9') s.prec = s.prec * 10 + (*p++ - '0');
    }
    if (p < e) s.type = *p++;
    if (p != e) rt_raise_new(&T_ValueError, "Invalid format specifier '%s'", spec->data);
    if (s.zero && !s.align) { s.align = '='; s.fill[0] = '0'; s.filllen = 1; }
    return s;
}

static void add_grouped(Buf *b, const char *digits, int64_t n, char group) {
    if (!group) { rt_buf_add(b, digits, n); return; }
    for (int64_t i = 0; i < n; i++) {
        rt_buf_add(b, digits + i, 1);
        int64_t left = n - i - 1;
        if (left > 0 && left % 3 == 0) rt_buf_add(b, &group, 1);
    }
}

/* body is sign + digits; pad to the width by align */
static Str *pad(Spec *s, const char *sign, const char *body, int64_t blen, char dflt_align) {
    int64_t sl = (int64_t)strlen(sign);
    int64_t nch = sl + count_chars(body, blen);
    char align = s->align ? s->align : dflt_align;
    Buf b = {0};
    int64_t padn = s->width > nch ? s->width - nch : 0;
    int64_t left = align == '<' ? 0 : align == '^' ? padn / 2 : padn;
    if (align == '=') {
        rt_buf_add(&b, sign, sl);
        for (int64_t i = 0; i < padn; i++) rt_buf_add(&b, s->fill, s->filllen);
        rt_buf_add(&b, body, blen);
    } else {
        for (int64_t i = 0; i < left; i++) rt_buf_add(&b, s->fill, s->filllen);
        rt_buf_add(&b, sign, sl);
        rt_buf_add(&b, body, blen);
        for (int64_t i = 0; i < padn - left; i++) rt_buf_add(&b, s->fill, s->filllen);
    }
    return rt_buf_done(&b);
}

static Str *format_double(double v, Spec *s);

Str *rt_format_int(int64_t v, Str *specstr) {
    Spec s = parse_spec(specstr);
    if (s.type && strchr("eEfFgG%", s.type)) return format_double(rt_i2f(v), &s);
    const char *sign = rt_int_lt(v, 0) ? "-" : s.sign == '+' ? "+" : s.sign == ' ' ? " " : "";
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char tmp[80];
    int n = 0, base = 10;
    char t = s.type ? s.type : 'd';
    if (t == 'c') {
        Str *c = rt_chr(v);
        return pad(&s, "", c->data, c->len, '<');
    }
    if (t == 'x' || t == 'X') base = 16;
    else if (t == 'o') base = 8;
    else if (t == 'b') base = 2;
    else if (t != 'd' && t != 'n') rt_raise_new(&T_ValueError, "Unknown format code '%c' for object of type 'int'", t);
    char digitbuf[80], *digits = digitbuf;
    if (RT_BIG(v)) {   /* a bignum's digits come from bigint.c */
        int64_t len;
        bool neg;
        digits = rt_int_digits(v, base, t == 'X', &len, &neg);
        n = (int)len;
    } else {
        do {
            int d = (int)(u % (uint64_t)base);
            tmp[n++] = (char)(d < 10 ? '0' + d : (t == 'X' ? 'A' : 'a') + d - 10);
            u /= (uint64_t)base;
        } while (u);
        for (int i = 0; i < n; i++) digits[i] = tmp[n - 1 - i];
    }
    char prefix[8];
    snprintf(prefix, sizeof prefix, "%s%s", sign,
             !s.alt ? "" : base == 16 ? (t == 'X' ? "0X" : "0x") : base == 8 ? "0o" : base == 2 ? "0b" : "");
    if (!s.group) return pad(&s, prefix, digits, n, '>');
    char gbuf[120], *grouped = n < 80 ? gbuf : (char *)rt_alloc(&T_BigInt, sizeof(Obj) + (size_t)n * 2) + sizeof(Obj);
    int g = 0;
    for (int i = 0; i < n; i++) {
        grouped[g++] = digits[i];
        int left = n - i - 1;
        if (left > 0 && left % 3 == 0) grouped[g++] = s.group;
    }
    return pad(&s, prefix, grouped, g, '>');
}

static Str *format_double(double v, Spec *s) {
    char t = s->type;
    int64_t prec = s->prec;
    bool neg = signbit(v) && !isnan(v);
    double a = fabs(v);
    const char *sign = neg ? "-" : s->sign == '+' ? "+" : s->sign == ' ' ? " " : "";
    char buf[512];
    bool pct = false;
    if (t == '%') { a *= 100; t = 'f'; pct = true; }
    if (!t) {
        if (prec < 0) {
            Str *r = rt_float_repr(a);
            snprintf(buf, sizeof buf, "%s", r->data);
        } else {
            snprintf(buf, sizeof buf, "%.*g", (int)(prec ? prec : 1), a);
            if (!strpbrk(buf, ".e") && !isinf(a) && !isnan(a)) strcat(buf, ".0");
        }
    } else {
        if (prec < 0) prec = 6;
        char f[8];
        snprintf(f, sizeof f, "%%%s.*%c", s->alt ? "#" : "", t == 'F' ? 'f' : t);
        if (!strchr("eEfFgG", t)) rt_raise_new(&T_ValueError, "Unknown format code '%c' for object of type 'float'", t);
        snprintf(buf, sizeof buf, f, (int)prec, a);
    }
    if (pct) strcat(buf, "%");
    if (s->group) {
        char *dot = buf;
        while (*dot >= '0' && *dot <= '9') dot++;
        Buf b = {0};
        add_grouped(&b, buf, dot - buf, s->group);
        rt_buf_add(&b, dot, (int64_t)strlen(dot));
        Str *r = rt_buf_done(&b);
        return pad(s, sign, r->data, r->len, '>');
    }
    return pad(s, sign, buf, (int64_t)strlen(buf), '>');
}

Str *rt_format_float(double v, Str *specstr) {
    Spec s = parse_spec(specstr);
    if (s.type && !strchr("eEfFgG%", s.type))
        rt_raise_new(&T_ValueError, "Unknown format code '%c' for object of type 'float'", s.type);
    return format_double(v, &s);
}

Str *rt_format_str(Str *v, Str *specstr) {
    if (specstr->len == 0) return v;
    Spec s = parse_spec(specstr);
    if (s.type && s.type != 's') rt_raise_new(&T_ValueError, "Unknown format code '%c' for object of type 'str'", s.type);
    int64_t len = v->len;
    if (s.prec >= 0 && s.prec < v->nchars) len = byte_at(v, s.prec);
    return pad(&s, "", v->data, len, '<');
}

Str *rt_format_val(Val v, int kind, Str *spec) {
    switch (kind) {
    case RK_INT: return rt_format_int(v.i, spec);
    case RK_FLOAT: return rt_format_float(v.f, spec);
    case RK_BOOL: return spec->len ? rt_format_int(v.i, spec) : rt_bool_str(v.i);
    default: return rt_format_str(rt_str(v.p), spec);
    }
}
