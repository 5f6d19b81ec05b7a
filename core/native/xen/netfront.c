/*
 * netfront.c — Xen virtual network interfaces (netif) behind unik_net_*.
 *
 * One event channel per NIC, both rings on it. Receive: all NET_RX_RING_SIZE
 * requests are posted at connect, each with its own page granted (writable)
 * to the backend once; a frame read is copied out and its page posted again.
 * Transmit: a frame is copied into one of NET_TX_RING_SIZE pages granted
 * (read-only) once, so a write never waits; it fails with UNIK_AGAIN only
 * when every tx slot is still in flight. Requests are pushed with Xen's
 * event suppression: the backend is notified only when it asked (req_event),
 * so a backend that is polling is never interrupted, and a burst of writes
 * costs at most one notify. The rx side arms rsp_event only when the
 * application is about to wait (unik_yield → has_work).
 */
#include <unik/kernel.h>
#include <unik/netdev.h>
#include "dev.h"
#include "hypercall.h"
#include "pv.h"

#define MAX_NICS 8
#define FRAME_MAX 1514

struct netfront {
    char fe[48];
    char be[128];
    char name[16];
    long backend_id;
    uint8_t mac[6];
    volatile struct netif_tx_sring *tx;
    volatile struct netif_rx_sring *rx;
    uint32_t tx_prod_pvt, tx_cons;      /* tx: requests we made, responses we saw */
    uint32_t rx_prod_pvt, rx_cons;
    uint32_t port;
    uint64_t tx_pages, rx_pages;
    int tx_ref[NET_TX_RING_SIZE], rx_ref[NET_RX_RING_SIZE];
    uint16_t tx_free[NET_TX_RING_SIZE]; /* stack of free tx ids */
    unsigned nr_tx_free;
    int handle;
};

static struct netfront nics[MAX_NICS];
static unsigned nr_nics;

static uint8_t *tx_page(struct netfront *n, unsigned id)
{
    return (uint8_t *)(uintptr_t)(n->tx_pages + id * 4096ull);
}

static uint8_t *rx_page(struct netfront *n, unsigned id)
{
    return (uint8_t *)(uintptr_t)(n->rx_pages + id * 4096ull);
}

static int rx_pending(struct netfront *n)
{
    return n->rx->h.rsp_prod != n->rx_cons;
}

/* unik_yield's question: a frame to read? Arms the event before the last
 * look so that a frame arriving in between wakes the wait. */
static int net_has_work(void *ctx)
{
    struct netfront *n = ctx;
    if (rx_pending(n))
        return 1;
    n->rx->h.rsp_event = n->rx_cons + 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return rx_pending(n);
}

static void push(volatile struct ring_header *h, uint32_t new, uint32_t port)
{
    uint32_t old = h->req_prod;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    h->req_prod = new;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if ((uint32_t)(new - h->req_event) < (uint32_t)(new - old))
        pv_evtchn_notify(port);
}

static void post_rx(struct netfront *n, uint16_t id)
{
    volatile struct netif_rx_request *r = &n->rx->ring[n->rx_prod_pvt % NET_RX_RING_SIZE].req;
    r->id = id;
    r->gref = (grant_ref_t)n->rx_ref[id];
    n->rx_prod_pvt++;
}

static void reap_tx(struct netfront *n)
{
    uint32_t rp = n->tx->h.rsp_prod;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    while (n->tx_cons != rp) {
        uint16_t id = n->tx->ring[n->tx_cons % NET_TX_RING_SIZE].rsp.id;
        if (id < NET_TX_RING_SIZE && n->nr_tx_free < NET_TX_RING_SIZE)
            n->tx_free[n->nr_tx_free++] = id;
        n->tx_cons++;
    }
}

static int parse_mac(const char *s, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        unsigned v = 0;
        for (int j = 0; j < 2; j++, s++) {
            char c = *s;
            unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                       : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                       : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
            if (d > 15)
                return -1;
            v = v * 16 + d;
        }
        mac[i] = (uint8_t)v;
        if (i < 5 && *s++ != ':')
            return -1;
    }
    return 0;
}

static int find_nic(struct netfront *n, const char *name)
{
    static char ids[512];
    int cnt = xs_directory("device/vif", ids, sizeof ids);
    const char *id = ids;
    for (int i = 0; i < cnt; i++, id += kstrlen(id) + 1) {
        char path[96];
        ksnprintf(n->fe, sizeof n->fe, "device/vif/%s", id);
        ksnprintf(n->name, sizeof n->name, "eth%s", id);
        if (!dev_name_matches(name, n->name, n->fe))
            continue;
        ksnprintf(path, sizeof path, "%s/backend", n->fe);
        if (xs_read(path, n->be, sizeof n->be) <= 0)
            continue;
        return 0;
    }
    return -1;
}

static int connect(struct netfront *n)
{
    char path[160], mac[32];
    ksnprintf(path, sizeof path, "%s/backend-id", n->fe);
    if (xs_read_long(path, &n->backend_id))
        n->backend_id = 0;
    ksnprintf(path, sizeof path, "%s/mac", n->fe);
    if (xs_read(path, mac, sizeof mac) <= 0 || parse_mac(mac, n->mac))
        return -1;
    domid_t be = (domid_t)n->backend_id;
    uint64_t txr = page_alloc(1), rxr = page_alloc(1);
    n->tx_pages = page_alloc(NET_TX_RING_SIZE);
    n->rx_pages = page_alloc(NET_RX_RING_SIZE);
    if (!txr || !rxr || !n->tx_pages || !n->rx_pages)
        return -1;
    n->tx = (volatile struct netif_tx_sring *)(uintptr_t)txr;
    n->rx = (volatile struct netif_rx_sring *)(uintptr_t)rxr;
    n->tx->h.req_event = n->tx->h.rsp_event = 1;
    n->rx->h.req_event = n->rx->h.rsp_event = 1;
    int tx_ref = gnttab_grant(be, txr, 0), rx_ref = gnttab_grant(be, rxr, 0);
    if (tx_ref < 0 || rx_ref < 0)
        return -1;
    for (unsigned i = 0; i < NET_TX_RING_SIZE; i++) {
        if ((n->tx_ref[i] = gnttab_grant(be, n->tx_pages + i * 4096ull, 1)) < 0)
            return -1;
        n->tx_free[n->nr_tx_free++] = (uint16_t)(NET_TX_RING_SIZE - 1 - i);
    }
    for (unsigned i = 0; i < NET_RX_RING_SIZE; i++) {
        if ((n->rx_ref[i] = gnttab_grant(be, n->rx_pages + i * 4096ull, 0)) < 0)
            return -1;
        post_rx(n, (uint16_t)i);
    }
    n->port = dev_evtchn_alloc(be);
    if (!n->port)
        return -1;
    static const char *const keys[][2] = {
        { "request-rx-copy", "1" }, { "feature-rx-notify", "1" }, { "feature-sg", "0" },
        { "feature-gso-tcpv4", "0" }, { "feature-no-csum-offload", "1" },
    };
    ksnprintf(path, sizeof path, "%s/tx-ring-ref", n->fe);
    xs_printf(path, "%d", tx_ref);
    ksnprintf(path, sizeof path, "%s/rx-ring-ref", n->fe);
    xs_printf(path, "%d", rx_ref);
    ksnprintf(path, sizeof path, "%s/event-channel", n->fe);
    xs_printf(path, "%u", n->port);
    for (unsigned i = 0; i < ARRAY_SIZE(keys); i++) {
        ksnprintf(path, sizeof path, "%s/%s", n->fe, keys[i][0]);
        xs_write(path, keys[i][1]);
    }
    ksnprintf(path, sizeof path, "%s/state", n->fe);
    xs_printf(path, "%d", XenbusStateConnected);
    if (dev_wait_backend(n->be, "network", n->name))
        return -1;
    /* Hand the backend every rx buffer. */
    push(&n->rx->h, n->rx_prod_pvt, n->port);
    return 0;
}

static struct netfront *nic_of(unik_handle_t h)
{
    return dev_handle_ctx(h, net_has_work);
}

static void fill_info(const struct netfront *n, unik_handle_t *handle,
                      struct unik_net_info *info)
{
    *handle = (unik_handle_t)n->handle;
    kmemcpy(info->mac_address, n->mac, 6);
    info->mtu = 1500;
}

unik_result_t unik_net_acquire(const char *name, unik_handle_t *handle,
                               struct unik_net_info *info)
{
    if (!handle || !info)
        return UNIK_EINVAL;
    if (!name)
        name = "";
    if (dev_acquire_ready())
        return UNIK_EUNSPEC;
    for (unsigned i = 0; i < nr_nics; i++)
        if (dev_name_matches(name, nics[i].name, nics[i].fe)) {
            fill_info(&nics[i], handle, info);
            return UNIK_OK;
        }
    if (nr_nics == MAX_NICS)
        return UNIK_EUNSPEC;
    struct netfront *n = &nics[nr_nics];
    kmemset(n, 0, sizeof *n);
    if (find_nic(n, name) || connect(n))
        return UNIK_EUNSPEC;
    n->handle = dev_handle_alloc(n->port, net_has_work, n);
    if (n->handle < 0)
        return UNIK_EUNSPEC;
    nr_nics++;
    fill_info(n, handle, info);
    return UNIK_OK;
}

unik_result_t unik_net_write(unik_handle_t h, const uint8_t *buf, size_t size)
{
    struct netfront *n = nic_of(h);
    if (!n || !buf || size < 14 || size > FRAME_MAX)
        return UNIK_EINVAL;
    if (!n->nr_tx_free)
        reap_tx(n);
    if (!n->nr_tx_free) {
        /* Every slot in flight: make sure the backend knows, then report. */
        pv_evtchn_notify(n->port);
        return UNIK_AGAIN;
    }
    uint16_t id = n->tx_free[--n->nr_tx_free];
    kmemcpy(tx_page(n, id), buf, size);
    volatile struct netif_tx_request *r = &n->tx->ring[n->tx_prod_pvt % NET_TX_RING_SIZE].req;
    r->gref = (grant_ref_t)n->tx_ref[id];
    r->offset = 0;
    r->flags = 0;
    r->id = id;
    r->size = (uint16_t)size;
    n->tx_prod_pvt++;
    push(&n->tx->h, n->tx_prod_pvt, n->port);
    return UNIK_OK;
}

unik_result_t unik_net_read(unik_handle_t h, uint8_t *buf, size_t size, size_t *read_size)
{
    struct netfront *n = nic_of(h);
    if (!n || !buf || !read_size)
        return UNIK_EINVAL;
    reap_tx(n);
    for (;;) {
        uint32_t rp = n->rx->h.rsp_prod;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (n->rx_cons == rp)
            return UNIK_AGAIN;
        volatile struct netif_rx_response *r = &n->rx->ring[n->rx_cons % NET_RX_RING_SIZE].rsp;
        uint16_t id = r->id, off = r->offset;
        int16_t status = r->status;
        n->rx_cons++;
        if (id >= NET_RX_RING_SIZE)
            continue;                           /* a broken backend: skip it */
        int ok = status > 0 && (uint32_t)off + (uint32_t)status <= 4096;
        size_t len = ok ? (size_t)status : 0;
        if (ok && len <= size)
            kmemcpy(buf, rx_page(n, id) + off, len);
        post_rx(n, id);
        push(&n->rx->h, n->rx_prod_pvt, n->port);
        if (!ok)
            continue;                           /* an error or an empty frame */
        if (len > size)
            return UNIK_EINVAL;                 /* the frame is dropped, as on Solo5 */
        *read_size = len;
        return UNIK_OK;
    }
}

int unik_netdev_config(const char *name, const char *key, char *buf, size_t size)
{
    if (!dev_platform_ok() || xs_init())
        return -1;
    for (unsigned i = 0; i < nr_nics; i++)
        if (!kstrcmp(nics[i].name, name)) {
            char path[96];
            ksnprintf(path, sizeof path, "%s/%s", nics[i].fe, key);
            return xs_read(path, buf, size);
        }
    return -1;
}
