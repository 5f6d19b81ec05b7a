/*
 * glibc_compat.c — the glibc-only symbols that Debian's static libraries
 * under a GHC program call and musl does not provide. Only libgmp.a (built
 * with -D_FORTIFY_SOURCE=2 against glibc) needs any: its assertion and
 * out-of-memory messages use __fprintf_chk, its printf family (gmp_printf,
 * gmp_snprintf, …) the other four. GHC's own libraries and RTS need none.
 *
 * Every definition is weak: the guest core is to gain a general glibc
 * compatibility layer, and its definitions then take precedence over these.
 * Each checks what glibc checks (the destination size the compiler knew)
 * and forwards to musl.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define WEAK __attribute__((weak))

static void chk_fail(void)
{
    static const char msg[] = "*** buffer overflow detected ***: terminated\n";
    fwrite(msg, 1, sizeof msg - 1, stderr);
    abort();
}

/* flag > 0 asks glibc to refuse %n in writable formats; musl's printf is no looser. */
WEAK int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    return vfprintf(f, fmt, ap);
}

WEAK int __fprintf_chk(FILE *f, int flag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __vfprintf_chk(f, flag, fmt, ap);
    va_end(ap);
    return r;
}

WEAK int __printf_chk(int flag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __vfprintf_chk(stdout, flag, fmt, ap);
    va_end(ap);
    return r;
}

WEAK int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt,
                         va_list ap)
{
    (void)flag;
    if (maxlen > slen)
        chk_fail();
    return vsnprintf(s, maxlen, fmt, ap);
}

WEAK int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __vsnprintf_chk(s, maxlen, flag, slen, fmt, ap);
    va_end(ap);
    return r;
}

/* slen is the size of s; (size_t)-1 when the compiler did not know it. */
WEAK int __vsprintf_chk(char *s, int flag, size_t slen, const char *fmt, va_list ap)
{
    (void)flag;
    if (slen == 0)
        chk_fail();
    if (slen > INT_MAX)                 /* musl's vsnprintf refuses sizes above INT_MAX */
        return vsprintf(s, fmt, ap);
    int r = vsnprintf(s, slen, fmt, ap);
    if (r >= 0 && (size_t)r >= slen)
        chk_fail();
    return r;
}
