/*
 * snprintf.c — snprintf and sprintf in place of musl's, with a fast path.
 *
 * musl's printf family runs its format interpreter twice per call (once to
 * check positional arguments) behind a FILE; building short strings with
 * snprintf took 3-4x glibc's time (bench/libc.py: hash table, strings). The
 * fast path formats the common conversions directly: %d %i %u %x %X %o %c
 * %s %p %% with the length modifiers hh h l ll z j t, the flags '-' and '0',
 * and a decimal field width. Anything else (precision, '+', ' ', '#', '*',
 * positional arguments, floating point, %n, wide characters) is handed to
 * musl's vsnprintf, which stays the reference: tests compare the two.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct out {
    char *s;
    size_t cap;                 /* bytes of s usable for characters (n - 1) */
    size_t len;                 /* characters produced so far */
};

static inline void put(struct out *o, char c)
{
    if (o->len < o->cap)
        o->s[o->len] = c;
    o->len++;
}

static void put_n(struct out *o, const char *p, size_t n)
{
    size_t room = o->len < o->cap ? o->cap - o->len : 0;
    size_t k = n < room ? n : room;
    if (k)
        __builtin_memcpy(o->s + o->len, p, k);
    o->len += n;
}

static void pad(struct out *o, char c, size_t n)
{
    while (n--)
        put(o, c);
}

/* A field: body of len bytes, padded to width (spaces, or zeros after sign). */
static void field(struct out *o, const char *body, size_t len, size_t width, int left,
                  int zero, size_t sign_len)
{
    if (len >= width) {
        put_n(o, body, len);
    } else if (left) {
        put_n(o, body, len);
        pad(o, ' ', width - len);
    } else if (zero) {
        put_n(o, body, sign_len);
        pad(o, '0', width - len);
        put_n(o, body + sign_len, len - sign_len);
    } else {
        pad(o, ' ', width - len);
        put_n(o, body, len);
    }
}

/* Digits of v in base (8, 10, 16), after an optional '-', into the end of buf. */
static size_t number(char *end, uint64_t v, unsigned base, int upper, int neg)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    do {
        *--p = digits[v % base];
        v /= base;
    } while (v);
    if (neg)
        *--p = '-';
    return (size_t)(end - p);
}

enum { L_NONE, L_HH, L_H, L_L, L_LL, L_Z, L_J, L_T };

/* 1 when the format was handled (o holds the result); 0 to fall back. */
static int fast(struct out *o, const char *f, va_list ap)
{
    while (*f) {
        const char *lit = f;
        while (*f && *f != '%')
            f++;
        if (f > lit)
            put_n(o, lit, (size_t)(f - lit));
        if (!*f)
            return 1;
        f++;                                    /* the '%' */
        int left = 0, zero = 0;
        for (;; f++) {
            if (*f == '-')
                left = 1;
            else if (*f == '0')
                zero = 1;
            else
                break;
        }
        size_t width = 0;
        while (*f >= '0' && *f <= '9') {
            width = width * 10 + (size_t)(*f++ - '0');
            if (width > 4096)
                return 0;
        }
        if (*f == '.' || *f == '*' || *f == '$')
            return 0;
        int lm = L_NONE;
        switch (*f) {
        case 'h':
            lm = f[1] == 'h' ? (f++, L_HH) : L_H;
            f++;
            break;
        case 'l':
            lm = f[1] == 'l' ? (f++, L_LL) : L_L;
            f++;
            break;
        case 'z':
            lm = L_Z;
            f++;
            break;
        case 'j':
            lm = L_J;
            f++;
            break;
        case 't':
            lm = L_T;
            f++;
            break;
        }
        char buf[24];
        char *end = buf + sizeof buf;
        char conv = *f++;
        switch (conv) {
        case '%':
            if (left || zero || width || lm)
                return 0;
            put(o, '%');
            break;
        case 'c':
            if (lm != L_NONE || zero)
                return 0;
            buf[0] = (char)va_arg(ap, int);
            field(o, buf, 1, width, left, 0, 0);
            break;
        case 's': {
            if (lm != L_NONE || zero)
                return 0;
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            size_t n = 0;
            while (s[n])
                n++;
            field(o, s, n, width, left, 0, 0);
            break;
        }
        case 'p': {
            if (lm != L_NONE || zero)
                return 0;
            void *p = va_arg(ap, void *);
            if (!p) {                           /* musl's %p is %#lx: a null is "0" */
                field(o, "0", 1, width, left, 0, 0);
                break;
            }
            size_t n = number(end, (uint64_t)(uintptr_t)p, 16, 0, 0);
            *(end - n - 1) = 'x';
            *(end - n - 2) = '0';
            field(o, end - n - 2, n + 2, width, left, 0, 0);
            break;
        }
        case 'd':
        case 'i': {
            int64_t v;
            switch (lm) {
            case L_HH: v = (signed char)va_arg(ap, int); break;
            case L_H: v = (short)va_arg(ap, int); break;
            case L_NONE: v = va_arg(ap, int); break;
            case L_L: v = va_arg(ap, long); break;
            case L_LL: v = va_arg(ap, long long); break;
            case L_Z: v = (int64_t)va_arg(ap, size_t); break;
            case L_J: v = va_arg(ap, intmax_t); break;
            default: v = va_arg(ap, ptrdiff_t); break;
            }
            uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
            size_t n = number(end, mag, 10, 0, v < 0);
            field(o, end - n, n, width, left, zero, v < 0);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uint64_t v;
            switch (lm) {
            case L_HH: v = (unsigned char)va_arg(ap, unsigned); break;
            case L_H: v = (unsigned short)va_arg(ap, unsigned); break;
            case L_NONE: v = va_arg(ap, unsigned); break;
            case L_L: v = va_arg(ap, unsigned long); break;
            case L_LL: v = va_arg(ap, unsigned long long); break;
            case L_Z: v = va_arg(ap, size_t); break;
            case L_J: v = va_arg(ap, uintmax_t); break;
            default: v = (uint64_t)va_arg(ap, ptrdiff_t); break;
            }
            unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
            size_t n = number(end, v, base, conv == 'X', 0);
            field(o, end - n, n, width, left, zero, 0);
            break;
        }
        default:
            return 0;
        }
    }
    return 1;
}

static int format(char *s, size_t n, const char *fmt, va_list ap)
{
    struct out o = { s, n ? n - 1 : 0, 0 };
    va_list copy;
    va_copy(copy, ap);
    int done = fast(&o, fmt, copy);
    va_end(copy);
    if (!done || o.len > INT32_MAX)
        return vsnprintf(s, n, fmt, ap);
    if (n)
        s[o.len < o.cap ? o.len : o.cap] = 0;
    return (int)o.len;
}

int snprintf(char *restrict s, size_t n, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = format(s, n, fmt, ap);
    va_end(ap);
    return r;
}

int sprintf(char *restrict s, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = format(s, INT32_MAX, fmt, ap);
    va_end(ap);
    return r;
}
