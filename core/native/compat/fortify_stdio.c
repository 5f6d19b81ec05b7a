/*
 * fortify_stdio.c — the <stdio.h> and <syslog.h> checks of _FORTIFY_SOURCE.
 * `flag` > 0 asks glibc to refuse %n in writable formats; musl's printf
 * family is used as it is. Sizes are checked as glibc checks them.
 */
#define _GNU_SOURCE             /* vasprintf, vdprintf */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include "compat.h"

COMPAT int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    return vfprintf(f, fmt, ap);
}

COMPAT int __fprintf_chk(FILE *f, int flag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __vfprintf_chk(f, flag, fmt, ap);
    va_end(ap);
    return r;
}

COMPAT int __vprintf_chk(int flag, const char *fmt, va_list ap)
{
    return __vfprintf_chk(stdout, flag, fmt, ap);
}

COMPAT int __printf_chk(int flag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __vfprintf_chk(stdout, flag, fmt, ap);
    va_end(ap);
    return r;
}

COMPAT int __vdprintf_chk(int fd, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    return vdprintf(fd, fmt, ap);
}

COMPAT int __dprintf_chk(int fd, int flag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __vdprintf_chk(fd, flag, fmt, ap);
    va_end(ap);
    return r;
}

COMPAT int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt,
                           va_list ap)
{
    (void)flag;
    if (maxlen > slen)
        compat_chk_fail();
    return vsnprintf(s, maxlen, fmt, ap);
}

COMPAT int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __vsnprintf_chk(s, maxlen, flag, slen, fmt, ap);
    va_end(ap);
    return r;
}

COMPAT int __vsprintf_chk(char *s, int flag, size_t slen, const char *fmt, va_list ap)
{
    (void)flag;
    if (slen == 0)
        compat_chk_fail();
    /* glibc writes at most slen bytes and fails if the result did not fit. */
    int r = vsnprintf(s, slen, fmt, ap);
    if (r >= 0 && (size_t)r >= slen)
        compat_chk_fail();
    return r;
}

COMPAT int __sprintf_chk(char *s, int flag, size_t slen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __vsprintf_chk(s, flag, slen, fmt, ap);
    va_end(ap);
    return r;
}

COMPAT int __vasprintf_chk(char **out, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    return vasprintf(out, fmt, ap);
}

COMPAT int __asprintf_chk(char **out, int flag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vasprintf(out, fmt, ap);
    va_end(ap);
    (void)flag;
    return r;
}

COMPAT char *__fgets_chk(char *buf, size_t size, int n, FILE *f)
{
    if (n > 0 && (size_t)n > size)
        compat_chk_fail();
    return fgets(buf, n, f);
}

COMPAT size_t __fread_chk(void *ptr, size_t ptrlen, size_t size, size_t n, FILE *f)
{
    size_t bytes;
    if (__builtin_mul_overflow(size, n, &bytes) || bytes > ptrlen)
        compat_chk_fail();
    return fread(ptr, size, n, f);
}

COMPAT void __vsyslog_chk(int pri, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    vsyslog(pri, fmt, ap);
}

COMPAT void __syslog_chk(int pri, int flag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    __vsyslog_chk(pri, flag, fmt, ap);
    va_end(ap);
}
