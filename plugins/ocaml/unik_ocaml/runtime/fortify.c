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

/* The Unix library (libunix.a, same build) adds these: checked forms of
 * memmove, read, recv, recvfrom, the FD_SET index check, and glibc's name
 * for fcntl with 64-bit offsets. */
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void *__memmove_chk(void *dst, const void *src, size_t len, size_t dstlen)
{
    if (len > dstlen)
        chk_fail();
    return memmove(dst, src, len);
}

ssize_t __read_chk(int fd, void *buf, size_t nbytes, size_t buflen)
{
    if (nbytes > buflen)
        chk_fail();
    return read(fd, buf, nbytes);
}

ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags)
{
    if (len > buflen)
        chk_fail();
    return recv(fd, buf, len, flags);
}

ssize_t __recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags,
                       struct sockaddr *addr, socklen_t *addrlen)
{
    if (len > buflen)
        chk_fail();
    return recvfrom(fd, buf, len, flags, addr, addrlen);
}

long __fdelt_chk(long d)
{
    if (d < 0 || d >= 1024)
        chk_fail();
    return d / (8 * (long)sizeof(long));
}

int fcntl64(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    long arg = va_arg(ap, long);
    va_end(ap);
    return fcntl(fd, cmd, arg);
}
