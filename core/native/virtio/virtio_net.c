/*
 * virtio_net.c — virtio network devices (virtio 1.1, 5.1) behind unik_net_*
 * on the pvh-bare platform: the same contract as xen/netfront.c (names eth0,
 * eth1, … in the host's order; frames without the FCS, MTU 1500; a write
 * never waits, UNIK_AGAIN when every transmit slot is in flight).
 *
 * One receive and one transmit queue (0 and 1), no offloads, no mergeable
 * buffers: each frame is one 2 KiB buffer behind the 12-byte virtio-net
 * header (VERSION_1 always has num_buffers). Every receive buffer is posted
 * at set-up; a frame read is copied out and its buffer posted again. A
 * frame written is copied into a free transmit buffer; buffers come back
 * as the device marks them used.
 *
 * The addresses (ip, netmask, gateway, dns) come from the host as the
 * fw_cfg file "opt/unik/net", one line per NIC: "eth0 ip=10.0.2.15
 * netmask=255.255.255.0 gateway=10.0.2.2 dns=10.0.2.3" — the keys the Xen
 * driver reads from xenstore; a NIC without ip= asks DHCP (net/netif.c).
 */
#include <unik/kernel.h>
#include "../arch/x86_64/pvh.h"
#include "virtio.h"

#define MAX_NICS 8
#define RING 64                         /* entries per queue */
#define BUF_BYTES 2048u
#define NET_HDR 12u
#define FRAME_MAX 1514u
#define CONFIG_FILE "opt/unik/net"

#define VIRTIO_NET_F_MAC (1ull << 5)

struct vnet {
    char name[8];
    int handle;
    int broken;
    struct virtio_dev dev;
    struct virtq rx, tx;
    uint8_t mac[6];
    uint8_t *rx_bufs, *tx_bufs;         /* RING buffers of BUF_BYTES each */
    uint16_t tx_free[RING];
    unsigned nr_tx_free;
};

static struct vnet nics[MAX_NICS];
static int scanned;
static struct virtio_dev found[MAX_NICS];
static unsigned nr_found;

static int net_has_work(void *ctx)
{
    const struct vnet *n = ctx;
    return virtq_pending(&n->rx);
}

static void post_rx(struct vnet *n, uint16_t id)
{
    n->rx.desc[id] = (struct vring_desc){ (uint64_t)(uintptr_t)(n->rx_bufs + id * BUF_BYTES),
                                          BUF_BYTES, VRING_DESC_F_WRITE, 0 };
    virtq_publish(&n->rx, id);
}

static int setup(struct vnet *n, unsigned index)
{
    if (virtio_start(&n->dev, VIRTIO_NET_F_MAC))
        return -1;
    if (n->dev.features & VIRTIO_NET_F_MAC) {
        for (unsigned i = 0; i < 6; i++)
            n->mac[i] = virtio_config8(&n->dev, i);
    } else {
        /* Locally administered, unicast, distinct per NIC. */
        random_fill(n->mac, sizeof n->mac);
        n->mac[0] = (uint8_t)((n->mac[0] & 0xfe) | 0x02);
        n->mac[5] = (uint8_t)index;
    }
    uint64_t rx = page_alloc(RING * BUF_BYTES / 4096), tx = page_alloc(RING * BUF_BYTES / 4096);
    if (!rx || !tx)
        return -1;
    n->rx_bufs = (uint8_t *)(uintptr_t)rx;
    n->tx_bufs = (uint8_t *)(uintptr_t)tx;
    if (virtio_queue(&n->dev, &n->rx, 0, RING) || virtio_queue(&n->dev, &n->tx, 1, RING))
        return -1;
    for (uint16_t id = 0; id < n->rx.size; id++)
        post_rx(n, id);
    for (uint16_t id = 0; id < n->tx.size; id++)
        n->tx_free[n->nr_tx_free++] = id;
    virtio_ready_ok(&n->dev);
    virtq_notify(&n->dev, &n->rx);
    return 0;
}

unik_result_t virtio_net_acquire(const char *name, unik_handle_t *handle,
                                 struct unik_net_info *info)
{
    if (!handle || !info)
        return UNIK_EINVAL;
    if (!name)
        name = "";
    if (!scanned) {
        scanned = 1;
        nr_found = virtio_find(VIRTIO_ID_NET, found, MAX_NICS);
    }
    unsigned index = 0;
    if (*name) {
        if (kstrlen(name) != 4 || kmemcmp(name, "eth", 3) || name[3] < '0'
            || name[3] >= '0' + MAX_NICS)
            return UNIK_EUNSPEC;
        index = (unsigned)(name[3] - '0');
    }
    if (index >= nr_found)
        return UNIK_EUNSPEC;
    struct vnet *n = &nics[index];
    if (!n->name[0]) {
        ksnprintf(n->name, sizeof n->name, "eth%u", index);
        n->dev = found[index];
        n->handle = -1;
        if (setup(n, index)) {
            n->broken = 1;
            kprintf("unik: network device %s: virtio set-up failed\n", n->name);
        } else {
            n->handle = virtio_handle_alloc(net_has_work, n);
        }
    }
    if (n->broken || n->handle < 0)
        return UNIK_EUNSPEC;
    *handle = (unik_handle_t)n->handle;
    kmemcpy(info->mac_address, n->mac, 6);
    info->mtu = 1500;
    return UNIK_OK;
}

static struct vnet *nic_of(unik_handle_t h)
{
    return virtio_handle_ctx(h, net_has_work);
}

static void reap_tx(struct vnet *n)
{
    struct vring_used_elem e;
    while (virtq_take(&n->tx, &e))
        if (e.id < n->tx.size && n->nr_tx_free < RING)
            n->tx_free[n->nr_tx_free++] = (uint16_t)e.id;
}

unik_result_t virtio_net_write(unik_handle_t h, const uint8_t *buf, size_t size)
{
    struct vnet *n = nic_of(h);
    if (!n || !buf || size < 14 || size > FRAME_MAX)
        return UNIK_EINVAL;
    reap_tx(n);
    if (!n->nr_tx_free)
        return UNIK_AGAIN;
    uint16_t id = n->tx_free[--n->nr_tx_free];
    uint8_t *b = n->tx_bufs + id * BUF_BYTES;
    kmemset(b, 0, NET_HDR);             /* no checksum offload, no GSO */
    kmemcpy(b + NET_HDR, buf, size);
    n->tx.desc[id] = (struct vring_desc){ (uint64_t)(uintptr_t)b, (uint32_t)(NET_HDR + size),
                                          0, 0 };
    virtq_publish(&n->tx, id);
    virtq_notify(&n->dev, &n->tx);
    return UNIK_OK;
}

unik_result_t virtio_net_read(unik_handle_t h, uint8_t *buf, size_t size, size_t *read_size)
{
    struct vnet *n = nic_of(h);
    if (!n || !buf || !read_size)
        return UNIK_EINVAL;
    reap_tx(n);
    struct vring_used_elem e;
    while (virtq_take(&n->rx, &e)) {
        if (e.id >= n->rx.size)
            continue;                   /* a broken device: skip it */
        uint16_t id = (uint16_t)e.id;
        int ok = e.len > NET_HDR && e.len <= BUF_BYTES;
        size_t len = ok ? e.len - NET_HDR : 0;
        if (ok && len <= size)
            kmemcpy(buf, n->rx_bufs + id * BUF_BYTES + NET_HDR, len);
        post_rx(n, id);
        virtq_notify(&n->dev, &n->rx);
        if (!ok)
            continue;
        if (len > size)
            return UNIK_EINVAL;         /* the frame is dropped, as with netfront */
        *read_size = len;
        return UNIK_OK;
    }
    return UNIK_AGAIN;
}

int virtio_netdev_config(const char *name, const char *key, char *buf, size_t size)
{
    static char text[1024];
    static int have = -1;
    if (have < 0)
        have = pvh_fwcfg_read(CONFIG_FILE, text, sizeof text) > 0;
    if (!have || !size)
        return -1;
    size_t name_len = kstrlen(name), key_len = kstrlen(key);
    for (const char *line = text; *line;) {
        const char *end = line;
        while (*end && *end != '\n')
            end++;
        if ((size_t)(end - line) > name_len && !kmemcmp(line, name, name_len)
            && line[name_len] == ' ') {
            /* Words "key=value" after the name. */
            for (const char *w = line + name_len; w < end;) {
                while (w < end && *w == ' ')
                    w++;
                const char *we = w;
                while (we < end && *we != ' ')
                    we++;
                if ((size_t)(we - w) > key_len && !kmemcmp(w, key, key_len)
                    && w[key_len] == '=') {
                    size_t len = (size_t)(we - w) - key_len - 1;
                    if (len >= size)
                        return -1;
                    kmemcpy(buf, w + key_len + 1, len);
                    buf[len] = 0;
                    return (int)len;
                }
                w = we;
            }
        }
        line = *end ? end + 1 : end;
    }
    return -1;
}
