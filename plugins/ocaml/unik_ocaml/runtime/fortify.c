/*
 * fortify.c — the four _FORTIFY_SOURCE entry points that Debian's prebuilt
 * OCaml runtime (libasmrun.a, built against glibc with -D_FORTIFY_SOURCE=2)
 * calls and musl does not provide. Each checks what glibc checks (the
 * destination size the compiler knew) and forwards to musl.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void chk_fail(void)
{
    static const char msg[] = "*** buffer overflow detected ***: terminated\n";
    fwrite(msg, 1, sizeof msg - 1, stderr);
    abort();
}

int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap)
{
    (void)flag;   /* glibc: flag > 0 forbids %n in writable formats; musl is stricter anyway */
    return vfprintf(f, fmt, ap);
}

int __fprintf_chk(FILE *f, int flag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __vfprintf_chk(f, flag, fmt, ap);
    va_end(ap);
    return r;
}

int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, va_list ap)
{
    (void)flag;
    if (maxlen > slen)
        chk_fail();
    return vsnprintf(s, maxlen, fmt, ap);
}

int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __vsnprintf_chk(s, maxlen, flag, slen, fmt, ap);
    va_end(ap);
    return r;
}
