/*
 * glibc_misc.c — glibc-only names that Debian's static libraries reference
 * (found by `nm -u` over the .a files under /usr/lib, against musl): internal
 * aliases of standard functions, the classification helpers older
 * <math.h> macros call, and process facts a single-threaded guest knows.
 */
#define _GNU_SOURCE             /* strdup, memrchr, error's program name */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "compat.h"

COMPAT int __isinf(double x)
{
    return isinf(x) ? (signbit(x) ? -1 : 1) : 0;
}

COMPAT int __isinff(float x)
{
    return isinf(x) ? (signbit(x) ? -1 : 1) : 0;
}

COMPAT int __isnan(double x)
{
    return isnan(x);
}

COMPAT int __isnanf(float x)
{
    return isnan(x);
}

COMPAT int __finite(double x)
{
    return isfinite(x);
}

COMPAT int __finitef(float x)
{
    return isfinite(x);
}

/* glibc ≥ 2.32: libraries skip locking while this is 1. The guest has one
 * thread and cannot create another. */
COMPAT char __libc_single_threaded = 1;

/* pthread_atfork's implementation: there is no fork. */
COMPAT int __register_atfork(void (*prepare)(void), void (*parent)(void),
                             void (*child)(void), void *dso)
{
    (void)prepare, (void)parent, (void)child, (void)dso;
    return 0;
}

COMPAT void *__sched_cpualloc(size_t count)
{
    return calloc((count + 8 * sizeof(long) - 1) / (8 * sizeof(long)), sizeof(long));
}

COMPAT void __sched_cpufree(void *set)
{
    free(set);
}

COMPAT char *__strdup(const char *s)
{
    return strdup(s);
}

COMPAT void *__rawmemchr(const void *s, int c)
{
    const unsigned char *p = s;
    while (*p != (unsigned char)c)
        p++;
    return (void *)p;
}

COMPAT long __sysconf(int name)
{
    return sysconf(name);
}

COMPAT const char *gnu_get_libc_version(void)
{
    return "2.36";      /* the glibc Debian 12 built these libraries against */
}

COMPAT const char *gnu_get_libc_release(void)
{
    return "stable";
}

/* error(3): "program: message: strerror(errnum)" on stderr; exits if status. */
COMPAT void error(int status, int errnum, const char *fmt, ...)
{
    fflush(stdout);
    fprintf(stderr, "%s: ", program_invocation_name ? program_invocation_name : "unik");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (errnum)
        fprintf(stderr, ": %s", strerror(errnum));
    fputc('\n', stderr);
    if (status)
        exit(status);
}
