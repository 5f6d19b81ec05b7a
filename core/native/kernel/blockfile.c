/*
 * blockfile.c — /dev/xvda, /dev/xvdb, …: the disks as block-device files,
 * so that programs reach them with open/pread/pwrite/fsync. Any offset and
 * length works: partial blocks are read, patched and written back (through
 * one block-sized buffer); whole blocks go straight to unik_block_*.
 * Reads and writes stop at the end of the disk (0 = end of file, -ENOSPC
 * for a write that starts there). fsync and fdatasync flush the disk.
 * ioctl answers BLKGETSIZE64 and BLKSSZGET.
 */
#include <errno.h>
#include <unik/kernel.h>
#include "fdtab.h"

#define BLKSSZGET 0x1268
#define BLKGETSIZE64 0x80081272
#define BLKGETSIZE 0x1260
#define O_CREAT 0100
#define O_TRUNC 01000
#define MAX_BLOCK 4096

struct blockfile {
    unik_handle_t h;
    struct unik_block_info info;
    int index;
};

static struct blockfile disks[26];
static uint8_t bounce[MAX_BLOCK] __attribute__((aligned(64)));

static int disk_index(const char *path)
{
    static const char prefix[] = "/dev/xvd";
    for (size_t i = 0; i < sizeof prefix - 1; i++)
        if (path[i] != prefix[i])
            return -1;
    char c = path[sizeof prefix - 1];
    if (c < 'a' || c > 'z' || path[sizeof prefix])
        return -1;
    return c - 'a';
}

static struct blockfile *acquire(int index)
{
    struct blockfile *b = &disks[index];
    if (b->info.block_size)
        return b;
    char name[8] = "xvd?";
    name[3] = (char)('a' + index);
    if (unik_block_acquire(name, &b->h, &b->info) != UNIK_OK)
        return 0;
    if (b->info.block_size > MAX_BLOCK || !b->info.block_size) {
        b->info.block_size = 0;
        return 0;
    }
    b->index = index;
    return b;
}

static long io(struct file *f, int write, uint8_t *buf, size_t len, int64_t off)
{
    struct blockfile *b = f->obj;
    uint64_t cap = b->info.capacity, bs = b->info.block_size;
    uint64_t pos = off >= 0 ? (uint64_t)off : (uint64_t)f->pos;
    if (pos >= cap)
        return write && len ? -ENOSPC : 0;
    if (len > cap - pos)
        len = (size_t)(cap - pos);
    size_t done = 0;
    while (done < len) {
        uint64_t at = pos + done;
        uint64_t in_block = at % bs;
        size_t left = len - done;
        unik_result_t r;
        size_t n;
        if (in_block == 0 && left >= bs) {
            n = (size_t)(left - left % bs);
            r = write ? unik_block_write(b->h, at, buf + done, n)
                      : unik_block_read(b->h, at, buf + done, n);
        } else {
            uint64_t start = at - in_block;
            n = (size_t)(bs - in_block) < left ? (size_t)(bs - in_block) : left;
            r = unik_block_read(b->h, start, bounce, bs);
            if (r == UNIK_OK && write) {
                kmemcpy(bounce + in_block, buf + done, n);
                r = unik_block_write(b->h, start, bounce, bs);
            } else if (r == UNIK_OK) {
                kmemcpy(buf + done, bounce + in_block, n);
            }
        }
        if (r != UNIK_OK)
            return done ? (long)done : -EIO;
        done += n;
    }
    if (off < 0)
        f->pos += (int64_t)done;
    return (long)done;
}

static long bf_read(struct file *f, void *buf, size_t len, int64_t off)
{
    return io(f, 0, buf, len, off);
}

static long bf_write(struct file *f, const void *buf, size_t len, int64_t off)
{
    return io(f, 1, (uint8_t *)(uintptr_t)buf, len, off);
}

static void fill_stat(const struct blockfile *b, struct l_stat *st)
{
    kmemset(st, 0, sizeof *st);
    st->st_dev = 5;
    st->st_ino = 100 + (uint64_t)b->index;
    st->st_nlink = 1;
    st->st_mode = 0060000 | 0660;               /* S_IFBLK */
    st->st_rdev = (202u << 8) | ((uint64_t)b->index << 4);
    st->st_size = 0;                            /* as Linux reports a block device */
    st->st_blksize = (int64_t)b->info.block_size;
}

static long bf_fstat(struct file *f, struct l_stat *st)
{
    fill_stat(f->obj, st);
    return 0;
}

static long bf_fsync(struct file *f)
{
    struct blockfile *b = f->obj;
    return unik_block_flush(b->h) == UNIK_OK ? 0 : -EIO;
}

static long bf_ioctl(struct file *f, unsigned long req, void *arg)
{
    struct blockfile *b = f->obj;
    if (!arg)
        return -EFAULT;
    switch (req) {
    case BLKGETSIZE64:
        *(uint64_t *)arg = b->info.capacity;
        return 0;
    case BLKGETSIZE:
        *(unsigned long *)arg = b->info.capacity / 512;
        return 0;
    case BLKSSZGET:
        *(int *)arg = (int)b->info.block_size;
        return 0;
    default:
        return -ENOTTY;
    }
}

static int64_t bf_size(struct file *f)
{
    return (int64_t)((struct blockfile *)f->obj)->info.capacity;
}

static const struct file_ops blockfile_ops = {
    .read = bf_read, .write = bf_write, .fstat = bf_fstat, .fsync = bf_fsync,
    .ioctl = bf_ioctl, .seekable = 1, .size = bf_size,
};

int blockfile_open(const char *path, int flags, long *ret)
{
    int index = disk_index(path);
    if (index < 0)
        return 0;
    struct blockfile *b = acquire(index);
    if (!b)
        *ret = -ENOENT;
    else if (flags & O_TRUNC)
        *ret = -EINVAL;
    else
        *ret = fd_install(&blockfile_ops, b, flags & ~O_CREAT);
    return 1;
}

int blockfile_stat(const char *path, struct l_stat *st, long *ret)
{
    int index = disk_index(path);
    if (index < 0)
        return 0;
    struct blockfile *b = acquire(index);
    if (!b)
        *ret = -ENOENT;
    else if (!st)
        *ret = -EFAULT;
    else {
        fill_stat(b, st);
        *ret = 0;
    }
    return 1;
}
