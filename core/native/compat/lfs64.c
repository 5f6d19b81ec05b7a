/*
 * lfs64.c — glibc's large-file ("LFS64") names. On x86_64 off_t is already
 * 64 bits, so each is the plain call. musl 1.2.3 (Debian's, which unik
 * builds) still defines open64, lseek64, fstat64, pread64, mmap64 and the
 * rest; it never had fcntl64, which glibc ≥ 2.28 makes every fcntl() of a
 * library built with _FILE_OFFSET_BITS=64 call (Debian's libunix.a does).
 */
#include <fcntl.h>
#include <stdarg.h>
#include "compat.h"

COMPAT int fcntl64(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    long arg = va_arg(ap, long);    /* every command's argument fits in a long */
    va_end(ap);
    return fcntl(fd, cmd, arg);
}
