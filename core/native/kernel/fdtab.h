/*
 * fdtab.h — file descriptors 3 and up: the table shared by the block-device
 * files (blockfile.c) and sockets, and the system-call hook syscall.c calls
 * first (fdtab_syscall). fds 0..2 stay the console's (syscall.c).
 */
#ifndef UNIK_KERNEL_FDTAB_H
#define UNIK_KERNEL_FDTAB_H

#include <stddef.h>
#include <stdint.h>
#include <unik/linux.h>

#define FD_FIRST 3
#define FD_MAX 1024

struct file;

struct file_ops {
    /* Positioned when off >= 0, else at (and advancing) f->pos. -errno on error. */
    long (*read)(struct file *f, void *buf, size_t len, int64_t off);
    long (*write)(struct file *f, const void *buf, size_t len, int64_t off);
    long (*fstat)(struct file *f, struct l_stat *st);
    long (*fsync)(struct file *f);
    long (*ioctl)(struct file *f, unsigned long req, void *arg);
    void (*close)(struct file *f);
    int seekable;
    int64_t (*size)(struct file *f);
};

struct file {
    const struct file_ops *ops;
    void *obj;
    int64_t pos;
    int flags;                          /* open flags (O_ACCMODE, O_NONBLOCK, …) */
    int refs;
};

/* A new descriptor for ops/obj, or -EMFILE. */
long fd_install(const struct file_ops *ops, void *obj, int flags);
struct file *fd_get(long fd);

/* blockfile.c: open("/dev/xvdX"); 0 when path is not a block device name
 * (the caller goes on), else the fd or -errno in *ret. */
int blockfile_open(const char *path, int flags, long *ret);
int blockfile_stat(const char *path, struct l_stat *st, long *ret);

/* net/sockets.c: sockets, poll/select/epoll; same contract as the hook.
 * Weak: only images that create sockets link the network stack. */
int net_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6, long *ret)
    __attribute__((weak));

/* net/resolv.c: files the network stack provides (/etc/resolv.conf). */
int net_open(const char *path, int flags, long *ret) __attribute__((weak));

/* The hook: 1 when the call was served (result in *ret). */
int fdtab_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6, long *ret);

#endif /* UNIK_KERNEL_FDTAB_H */
