/*
 * resolv.c — the files musl's resolver reads, read-only and in memory:
 * /etc/resolv.conf, made from the NICs' configuration ("nameserver A.B.C.D"
 * for each NIC the host gave a DNS server: the user network's 10.0.2.3, or
 * --net tap:…,dns=…; musl then resolves names over the core's UDP
 * sockets), and /etc/hosts with localhost, which a Linux system has and
 * DNS does not answer (without it "localhost" waited out musl's 5 s DNS
 * timeout, or failed).
 */
#include <errno.h>
#include <unik/kernel.h>
#include <unik/netdev.h>
#include "../kernel/fdtab.h"
#include "net.h"

#define RESOLV_MAX 512

struct text_file {
    const char *text;
    size_t len;
};

static char text[RESOLV_MAX];
static size_t text_len;
static struct text_file resolv_file = { text, 0 };
static const char hosts_text[] = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
static struct text_file hosts_file = { hosts_text, sizeof hosts_text - 1 };

static long rv_read(struct file *f, void *buf, size_t len, int64_t off)
{
    const struct text_file *t = f->obj;
    uint64_t pos = off >= 0 ? (uint64_t)off : (uint64_t)f->pos;
    if (pos >= t->len)
        return 0;
    if (len > t->len - pos)
        len = t->len - pos;
    kmemcpy(buf, t->text + pos, len);
    if (off < 0)
        f->pos += (int64_t)len;
    return (long)len;
}

static long rv_fstat(struct file *f, struct l_stat *st)
{
    st->st_mode = 0100444;              /* a regular read-only file */
    st->st_size = (int64_t)((const struct text_file *)f->obj)->len;
    st->st_nlink = 1;
    st->st_blksize = 4096;
    return 0;
}

static int64_t rv_size(struct file *f)
{
    return (int64_t)((const struct text_file *)f->obj)->len;
}

static const struct file_ops resolv_ops = {
    .read = rv_read, .fstat = rv_fstat, .seekable = 1, .size = rv_size,
};

int net_open(const char *path, int flags, long *ret)
{
    int hosts = !kstrcmp(path, "/etc/hosts");
    if (!hosts && kstrcmp(path, "/etc/resolv.conf"))
        return 0;
    if ((flags & 3) != L_O_RDONLY) {
        *ret = -EROFS;
        return 1;
    }
    if (hosts) {
        *ret = fd_install(&resolv_ops, &hosts_file, L_O_RDONLY);
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
    resolv_file.len = text_len;
    *ret = fd_install(&resolv_ops, &resolv_file, L_O_RDONLY);
    return 1;
}
