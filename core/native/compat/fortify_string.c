/*
 * fortify_string.c — the <string.h> and <wchar.h> checks of _FORTIFY_SOURCE:
 * the last argument is the destination's size as the compiler knew it
 * (the semantics of glibc's debug/ directory), then musl does the work.
 */
#define _BSD_SOURCE             /* strlcpy, strlcat */
#include <string.h>
#include <stdlib.h>
#include <strings.h>
#include <wchar.h>
#include "compat.h"

COMPAT void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
    if (dstlen < n)
        compat_chk_fail();
    return memcpy(dst, src, n);
}

COMPAT void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
    if (dstlen < n)
        compat_chk_fail();
    return memmove(dst, src, n);
}

COMPAT void *__mempcpy_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
    if (dstlen < n)
        compat_chk_fail();
    return (char *)memcpy(dst, src, n) + n;
}

COMPAT void *__memset_chk(void *dst, int c, size_t n, size_t dstlen)
{
    if (dstlen < n)
        compat_chk_fail();
    return memset(dst, c, n);
}

COMPAT void __explicit_bzero_chk(void *dst, size_t n, size_t dstlen)
{
    if (dstlen < n)
        compat_chk_fail();
    memset(dst, 0, n);
    __asm__ volatile("" : : "r"(dst) : "memory");   /* not optimised away */
}

COMPAT char *__strcpy_chk(char *dst, const char *src, size_t dstlen)
{
    size_t n = strlen(src);
    if (n >= dstlen)
        compat_chk_fail();
    return memcpy(dst, src, n + 1);
}

COMPAT char *__stpcpy_chk(char *dst, const char *src, size_t dstlen)
{
    size_t n = strlen(src);
    if (n >= dstlen)
        compat_chk_fail();
    memcpy(dst, src, n + 1);
    return dst + n;
}

COMPAT char *__strncpy_chk(char *dst, const char *src, size_t n, size_t dstlen)
{
    if (dstlen < n)
        compat_chk_fail();
    return strncpy(dst, src, n);
}

COMPAT char *__stpncpy_chk(char *dst, const char *src, size_t n, size_t dstlen)
{
    if (dstlen < n)
        compat_chk_fail();
    size_t len = strnlen(src, n);
    memcpy(dst, src, len);
    memset(dst + len, 0, n - len);
    return dst + len;
}

COMPAT char *__strcat_chk(char *dst, const char *src, size_t dstlen)
{
    size_t d = strlen(dst), s = strlen(src);
    if (d + s >= dstlen)
        compat_chk_fail();
    memcpy(dst + d, src, s + 1);
    return dst;
}

COMPAT char *__strncat_chk(char *dst, const char *src, size_t n, size_t dstlen)
{
    size_t d = strlen(dst), s = strnlen(src, n);
    if (d + s >= dstlen)
        compat_chk_fail();
    memcpy(dst + d, src, s);
    dst[d + s] = 0;
    return dst;
}

COMPAT size_t __strlcpy_chk(char *dst, const char *src, size_t n, size_t dstlen)
{
    if (dstlen < n)
        compat_chk_fail();
    return strlcpy(dst, src, n);
}

COMPAT size_t __strlcat_chk(char *dst, const char *src, size_t n, size_t dstlen)
{
    if (dstlen < n)
        compat_chk_fail();
    return strlcat(dst, src, n);
}

COMPAT wchar_t *__wmemcpy_chk(wchar_t *dst, const wchar_t *src, size_t n, size_t dstlen)
{
    if (dstlen < n)
        compat_chk_fail();
    return wmemcpy(dst, src, n);
}

COMPAT wchar_t *__wmemmove_chk(wchar_t *dst, const wchar_t *src, size_t n, size_t dstlen)
{
    if (dstlen < n)
        compat_chk_fail();
    return wmemmove(dst, src, n);
}

COMPAT wchar_t *__wmemset_chk(wchar_t *dst, wchar_t c, size_t n, size_t dstlen)
{
    if (dstlen < n)
        compat_chk_fail();
    return wmemset(dst, c, n);
}

COMPAT wchar_t *__wcscpy_chk(wchar_t *dst, const wchar_t *src, size_t dstlen)
{
    if (wcslen(src) >= dstlen)
        compat_chk_fail();
    return wcscpy(dst, src);
}

COMPAT wchar_t *__wcsncpy_chk(wchar_t *dst, const wchar_t *src, size_t n, size_t dstlen)
{
    if (dstlen < n)
        compat_chk_fail();
    return wcsncpy(dst, src, n);
}

COMPAT size_t __mbstowcs_chk(wchar_t *dst, const char *src, size_t n, size_t dstlen)
{
    if (dst && dstlen < n)
        compat_chk_fail();
    return mbstowcs(dst, src, n);
}

COMPAT size_t __wcstombs_chk(char *dst, const wchar_t *src, size_t n, size_t dstlen)
{
    if (dst && dstlen < n)
        compat_chk_fail();
    return wcstombs(dst, src, n);
}
