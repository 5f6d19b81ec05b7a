/*
 * resolv.c — /etc/resolv.conf for musl's resolver, made from the NICs'
 * configuration: "nameserver A.B.C.D" for each NIC the host gave a DNS
 * server (the user network's 10.0.2.3, or --net tap:…,dns=…). musl then
 * resolves names over the core's UDP sockets. Read-only, in memory.
 */
#include <errno.h>
#include <unik/kernel.h>
#include <unik/netdev.h>
#include "../kernel/fdtab.h"
#include "net.h"

#define RESOLV_MAX 512

static char text[RESOLV_MAX];
static size_t text_len;

static long rv_read(struct file *f, void *buf, size_t len, int64_t off)
{
    uint64_t pos = off >= 0 ? (uint64_t)off : (uint64_t)f->pos;
    if (pos >= text_len)
        return 0;
    if (len > text_len - pos)
        len = text_len - pos;
    kmemcpy(buf, text + pos, len);
    if (off < 0)
        f->pos += (int64_t)len;
    return (long)len;
}

static long rv_fstat(struct file *f, struct l_stat *st)
{
    (void)f;
    st->st_mode = 0100444;              /* a regular read-only file */
    st->st_size = (int64_t)text_len;
    st->st_nlink = 1;
    st->st_blksize = 4096;
    return 0;
}

static int64_t rv_size(struct file *f)
{
    (void)f;
    return (int64_t)text_len;
}

static const struct file_ops resolv_ops = {
    .read = rv_read, .fstat = rv_fstat, .seekable = 1, .size = rv_size,
};

int net_open(const char *path, int flags, long *ret)
{
    if (kstrcmp(path, "/etc/resolv.conf"))
        return 0;
    if ((flags & 3) != L_O_RDONLY) {
        *ret = -EROFS;
        return 1;
    }
    text_len = 0;
    net_up();                           /* the NICs, and so their configuration */
    for (int i = 0; i < 8; i++) {
        char nic[8], dns[32];
        ksnprintf(nic, sizeof nic, "eth%d", i);
        if (unik_netdev_config(nic, "dns", dns, sizeof dns) <= 0)
            continue;
        text_len += (size_t)ksnprintf(text + text_len, sizeof text - text_len,
                                      "nameserver %s\n", dns);
        if (text_len >= sizeof text - 48)
            break;
    }
    if (!text_len) {
        *ret = -ENOENT;
        return 1;
    }
    *ret = fd_install(&resolv_ops, 0, L_O_RDONLY);
    return 1;
}
