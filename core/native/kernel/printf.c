/*
 * printf.c — formatted output for the core's own messages. Conversions:
 * d i u x X p s c %, length modifiers l ll z, flags 0 - #, a field width.
 * No floating point.
 */
#include <unik/kernel.h>

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

static void number(struct out *o, unsigned long long v, int neg, unsigned base, int upper,
                   int width, int zero, int left, const char *prefix)
{
    char tmp[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    int plen = (int)kstrlen(prefix) + neg;
    int fill = width - n - plen;
    if (!left && !zero)
        pad(o, ' ', fill);
    if (neg)
        put(o, '-');
    while (*prefix)
        put(o, *prefix++);
    if (!left && zero)
        pad(o, '0', fill);
    while (n)
        put(o, tmp[--n]);
    if (left)
        pad(o, ' ', fill);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        int zero = 0, left = 0, alt = 0, width = 0, lng = 0;
        for (;; fmt++) {
            if (fmt[1] == '0')
                zero = 1;
            else if (fmt[1] == '-')
                left = 1;
            else if (fmt[1] == '#')
                alt = 1;
            else
                break;
        }
        while (fmt[1] >= '0' && fmt[1] <= '9')
            width = width * 10 + (*++fmt - '0');
        while (fmt[1] == 'l' || fmt[1] == 'z') {
            lng++;
            fmt++;
        }
        char c = *++fmt;
        unsigned long long u;
        switch (c) {
        case 'd':
        case 'i': {
            long long v = lng ? va_arg(ap, long) : va_arg(ap, int);
            u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
            number(&o, u, v < 0, 10, 0, width, zero, left, "");
            break;
        }
        case 'u':
        case 'x':
        case 'X':
            u = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            number(&o, u, 0, c == 'u' ? 10 : 16, c == 'X', width, zero, left,
                   alt && c != 'u' && u ? "0x" : "");
            break;
        case 'p':
            u = (uintptr_t)va_arg(ap, void *);
            number(&o, u, 0, 16, 0, width, zero, left, "0x");
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int n = (int)kstrlen(s);
            if (!left)
                pad(&o, ' ', width - n);
            while (*s)
                put(&o, *s++);
            if (left)
                pad(&o, ' ', width - n);
            break;
        }
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            fmt--;
            break;
        default:
            put(&o, '%');
            put(&o, c);
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void kprintf(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof buf)
        n = sizeof buf - 1;
    if (plat && n > 0)
        plat->console_write(buf, (size_t)n);
}
