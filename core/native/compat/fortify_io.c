/*
 * fortify_io.c — the checks of _FORTIFY_SOURCE on file, socket and select
 * calls (<unistd.h>, <sys/socket.h>, <poll.h>, <fcntl.h>, <sys/select.h>):
 * the buffer must hold what the call may write; open() with O_CREAT needs a
 * mode. Then the call itself (served by the core's system-call layer).
 */
#define _GNU_SOURCE             /* ppoll */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>
#include "compat.h"

COMPAT ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
    if (n > buflen)
        compat_chk_fail();
    return read(fd, buf, n);
}

COMPAT ssize_t __pread_chk(int fd, void *buf, size_t n, off_t off, size_t buflen)
{
    if (n > buflen)
        compat_chk_fail();
    return pread(fd, buf, n, off);
}

COMPAT ssize_t __pread64_chk(int fd, void *buf, size_t n, off_t off, size_t buflen)
{
    return __pread_chk(fd, buf, n, off, buflen);
}

COMPAT ssize_t __readlink_chk(const char *path, char *buf, size_t n, size_t buflen)
{
    if (n > buflen)
        compat_chk_fail();
    return readlink(path, buf, n);
}

COMPAT ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t n, size_t buflen)
{
    if (n > buflen)
        compat_chk_fail();
    return readlinkat(dirfd, path, buf, n);
}

COMPAT char *__getcwd_chk(char *buf, size_t size, size_t buflen)
{
    if (size > buflen)
        compat_chk_fail();
    return getcwd(buf, size);
}

COMPAT char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{
    if (resolved && resolvedlen < PATH_MAX)
        compat_chk_fail();
    return realpath(path, resolved);
}

COMPAT int __gethostname_chk(char *buf, size_t n, size_t buflen)
{
    if (n > buflen)
        compat_chk_fail();
    return gethostname(buf, n);
}

COMPAT ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags)
{
    if (n > buflen)
        compat_chk_fail();
    return recv(fd, buf, n, flags);
}

COMPAT ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen, int flags,
                              struct sockaddr *addr, socklen_t *addrlen)
{
    if (n > buflen)
        compat_chk_fail();
    return recvfrom(fd, buf, n, flags, addr, addrlen);
}

COMPAT int __poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen)
{
    if (fdslen / sizeof *fds < n)
        compat_chk_fail();
    return poll(fds, n, timeout);
}

COMPAT int __ppoll_chk(struct pollfd *fds, nfds_t n, const struct timespec *timeout,
                       const sigset_t *mask, size_t fdslen)
{
    if (fdslen / sizeof *fds < n)
        compat_chk_fail();
    return ppoll(fds, n, timeout, mask);
}

/* FD_SET and friends: the index of the fd_set word, for fds inside it. */
COMPAT long __fdelt_chk(long fd)
{
    if (fd < 0 || fd >= FD_SETSIZE)
        compat_chk_fail();
    return fd / (8 * (long)sizeof(long));
}

COMPAT int __open_2(const char *path, int flags)
{
    if (flags & O_CREAT)
        compat_fatal("*** invalid open call: O_CREAT without mode ***: terminated\n");
    return open(path, flags);
}

COMPAT int __open64_2(const char *path, int flags)
{
    return __open_2(path, flags);
}

COMPAT int __openat_2(int dirfd, const char *path, int flags)
{
    if (flags & O_CREAT)
        compat_fatal("*** invalid openat call: O_CREAT without mode ***: terminated\n");
    return openat(dirfd, path, flags);
}

COMPAT int __openat64_2(int dirfd, const char *path, int flags)
{
    return __openat_2(dirfd, path, flags);
}
