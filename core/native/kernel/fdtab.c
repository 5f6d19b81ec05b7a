/*
 * fdtab.c — descriptors 3..FD_MAX and the system calls on them: read, write
 * and their positioned and vectored forms, lseek, fstat, fsync, ioctl,
 * fcntl, dup, close; open/openat/stat of the names a file kind claims.
 * Anything else (and fds 0..2) falls through to syscall.c.
 */
#include <errno.h>
#include <unik/kernel.h>
#include "fdtab.h"

/* System-call numbers beyond linux.h's (syscall_64.tbl). */
#define SYS_fsync 74
#define SYS_fdatasync 75
#define SYS_dup3 292
#define SYS_preadv 295
#define SYS_pwritev 296
#define SYS_preadv2 327
#define SYS_pwritev2 328
#define AT_FDCWD -100
#define AT_EMPTY_PATH 0x1000
#define O_ACCMODE 3
#define O_CLOEXEC 02000000
#define O_NONBLOCK 04000
#define MAX_IOV 1024

static struct file files[FD_MAX];

long fd_install(const struct file_ops *ops, void *obj, int flags)
{
    for (long fd = FD_FIRST; fd < FD_MAX; fd++)
        if (!files[fd].ops) {
            files[fd] = (struct file){ .ops = ops, .obj = obj, .flags = flags, .refs = 1 };
            return fd;
        }
    return -EMFILE;
}

struct file *fd_get(long fd)
{
    if (fd < FD_FIRST || fd >= FD_MAX || !files[fd].ops)
        return 0;
    return &files[fd];
}

static long do_close(long fd)
{
    struct file *f = fd_get(fd);
    /* dup'ed descriptors share the object: the last close closes it. */
    void *obj = f->obj;
    const struct file_ops *ops = f->ops;
    int last = 1;
    for (long i = FD_FIRST; i < FD_MAX; i++)
        if (i != fd && files[i].ops == ops && files[i].obj == obj)
            last = 0;
    if (last && ops->close)
        ops->close(f);
    files[fd].ops = 0;
    return 0;
}

static long do_rw(struct file *f, int write, void *buf, size_t len, int64_t off)
{
    int acc = f->flags & O_ACCMODE;
    if (write ? acc == L_O_RDONLY : acc == L_O_WRONLY)
        return -EBADF;
    if (off >= 0 && !f->ops->seekable)
        return -ESPIPE;
    if (!buf && len)
        return -EFAULT;
    long r = write ? (f->ops->write ? f->ops->write(f, buf, len, off) : -EINVAL)
                   : (f->ops->read ? f->ops->read(f, buf, len, off) : -EINVAL);
    return r;
}

static long do_rwv(struct file *f, int write, const struct l_iovec *iov, long cnt, int64_t off)
{
    if (cnt < 0 || cnt > MAX_IOV)
        return -EINVAL;
    long total = 0;
    for (long i = 0; i < cnt; i++) {
        if (!iov[i].len)
            continue;
        long r = do_rw(f, write, iov[i].base, iov[i].len, off < 0 ? -1 : off + total);
        if (r < 0)
            return total ? total : r;
        total += r;
        if ((size_t)r < iov[i].len)
            break;
    }
    return total;
}

static long do_lseek(struct file *f, int64_t off, long whence)
{
    if (!f->ops->seekable)
        return -ESPIPE;
    int64_t base;
    switch (whence) {
    case 0: base = 0; break;
    case 1: base = f->pos; break;
    case 2: base = f->ops->size ? f->ops->size(f) : 0; break;
    default: return -EINVAL;
    }
    if ((off < 0 && base + off < 0) || (off > 0 && base > INT64_MAX - off))
        return -EINVAL;
    f->pos = base + off;
    return f->pos;
}

static long do_fcntl(long fd, struct file *f, long cmd, long arg)
{
    switch (cmd) {
    case L_F_GETFD:
    case L_F_SETFD:
        return 0;
    case L_F_GETFL:
        return f->flags & ~O_CLOEXEC;
    case L_F_SETFL:
        f->flags = (f->flags & ~O_NONBLOCK) | (int)(arg & O_NONBLOCK);
        return 0;
    case L_F_DUPFD:
    case L_F_DUPFD_CLOEXEC:
        for (long n = arg < FD_FIRST ? FD_FIRST : arg; n < FD_MAX; n++)
            if (!files[n].ops) {
                files[n] = files[fd];
                return n;
            }
        return -EMFILE;
    default:
        return -EINVAL;
    }
}

static int open_path(const char *path, int flags, long *ret)
{
    if (!path)
        return 0;
    if (net_open && net_open(path, flags, ret))
        return 1;
    return blockfile_open(path, flags, ret);
}

int fdtab_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6, long *ret)
{
    /* The network stack is linked only into images that create sockets
     * (image/link.py): a weak reference, NULL in the others. */
    if (net_syscall && net_syscall(n, a1, a2, a3, a4, a5, a6, ret))
        return 1;
    switch (n) {
    case NR_open:
        return open_path((const char *)a1, (int)a2, ret);
    case NR_openat:
        if (a1 != AT_FDCWD && ((const char *)a2)[0] != '/')
            return 0;
        return open_path((const char *)a2, (int)a3, ret);
    case NR_stat:
    case NR_lstat:
        return a1 && blockfile_stat((const char *)a1, (struct l_stat *)a2, ret);
    case NR_newfstatat:
        if (a2 && *(const char *)a2)
            return blockfile_stat((const char *)a2, (struct l_stat *)a3, ret);
        if (!(a4 & AT_EMPTY_PATH) || !fd_get(a1))
            return 0;
        n = NR_fstat;
        a2 = a3;
        break;
    case NR_dup2:
    case SYS_dup3:
        if (!fd_get(a1))
            return 0;
        if (a2 < FD_FIRST || a2 >= FD_MAX) {
            *ret = -EBADF;          /* over a console fd: not supported */
            return 1;
        }
        if (a1 == a2) {
            *ret = n == SYS_dup3 ? -EINVAL : a2;
            return 1;
        }
        if (files[a2].ops)
            do_close(a2);
        files[a2] = files[a1];
        *ret = a2;
        return 1;
    default:
        break;
    }
    struct file *f = fd_get(a1);
    if (!f)
        return 0;
    switch (n) {
    case NR_read:
        *ret = do_rw(f, 0, (void *)a2, (size_t)a3, -1);
        return 1;
    case NR_write:
        *ret = do_rw(f, 1, (void *)a2, (size_t)a3, -1);
        return 1;
    case NR_pread64:
    case NR_pwrite64:
        *ret = a4 < 0 ? -EINVAL : do_rw(f, n == NR_pwrite64, (void *)a2, (size_t)a3, a4);
        return 1;
    case NR_readv:
    case NR_writev:
        *ret = do_rwv(f, n == NR_writev, (const struct l_iovec *)a2, a3, -1);
        return 1;
    case SYS_preadv:
    case SYS_pwritev:
    case SYS_preadv2:
    case SYS_pwritev2:
        *ret = a4 < 0 ? -EINVAL
                      : do_rwv(f, n == SYS_pwritev || n == SYS_pwritev2,
                               (const struct l_iovec *)a2, a3, a4);
        return 1;
    case NR_lseek:
        *ret = do_lseek(f, a2, a3);
        return 1;
    case NR_close:
        *ret = do_close(a1);
        return 1;
    case NR_fstat:
        if (!a2) {
            *ret = -EFAULT;
            return 1;
        }
        kmemset((void *)a2, 0, sizeof(struct l_stat));
        *ret = f->ops->fstat ? f->ops->fstat(f, (struct l_stat *)a2) : 0;
        return 1;
    case SYS_fsync:
    case SYS_fdatasync:
        *ret = f->ops->fsync ? f->ops->fsync(f) : -EINVAL;
        return 1;
    case NR_ioctl:
        /* The command is an unsigned int (musl passes an int: drop the sign). */
        *ret = f->ops->ioctl ? f->ops->ioctl(f, (uint32_t)a2, (void *)a3) : -ENOTTY;
        return 1;
    case NR_fcntl:
        *ret = do_fcntl(a1, f, a2, a3);
        return 1;
    case NR_dup:
        *ret = do_fcntl(a1, f, L_F_DUPFD, FD_FIRST);
        return 1;
    default:
        (void)a6;
        return 0;
    }
}
