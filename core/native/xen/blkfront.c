/*
 * blkfront.c — Xen virtual block devices (blkif) behind unik_block_*.
 *
 * A disk is set up on first acquire: a ring page and a pool of bounce pages
 * granted once to the backend (persistently, so no grant is made per
 * request), an event channel, and the xenbus handshake (Initialised →
 * backend Connected → Connected). Reads and writes are cut into batches of
 * up to BLK_SLOTS requests of up to 11 pages each (one request per 44 KiB,
 * one notify per batch), and wait for their responses: the block calls are
 * synchronous. Data is copied between the caller's buffer and the bounce
 * pages (memory a runtime hands us need not be page aligned, nor physically
 * contiguous).
 *
 * Sequential reads read ahead: a read that starts where the last one ended
 * fetches a whole batch (the pool, 704 KiB), and the reads that follow are
 * copied from the pool without a request. Each request costs an exit to
 * the host (~50 us on nested KVM), so a program reading a file 4 KiB at a
 * time would otherwise pay one per 4 KiB. The disk is this guest's alone, so
 * the pool can only go stale through our own writes: every write drops it.
 */
#include <unik/kernel.h>
#include "dev.h"
#include "hypercall.h"
#include "pv.h"

#define MAX_DISKS 8
#define BLK_SLOTS 16
#define SLOT_PAGES BLKIF_MAX_SEGMENTS
#define SLOT_BYTES (SLOT_PAGES * 4096u)
#define SECTOR 512u
#define CONNECT_NS (10ull * 1000000000ull)
#define WAIT_NS (1000000000ull)

struct blkfront {
    char name[16];
    char fe[64];
    char be[128];
    long backend_id;
    volatile struct blkif_sring *ring;
    uint32_t req_prod_pvt, rsp_cons;
    uint32_t port;
    uint64_t pool;                      /* BLK_SLOTS * SLOT_PAGES pages, contiguous */
    uint64_t ra_off, ra_len;            /* the pool holds disk bytes [ra_off, +ra_len) */
    uint64_t next_off;                  /* where the last read ended */
    int gref[BLK_SLOTS][SLOT_PAGES];
    int16_t status[BLK_SLOTS];
    uint64_t capacity;                  /* bytes */
    uint32_t sector_size;
    int can_flush;
    int readonly;
    int broken;
    int handle;
};

static struct blkfront disks[MAX_DISKS];
static unsigned nr_disks;

static int blk_has_work(void *ctx)
{
    (void)ctx;
    return 0;                           /* requests complete inside the calls */
}

static int is_connected(long s)
{
    return s == XenbusStateConnected || s >= XenbusStateClosing;
}

/* Find device/vbd/ID whose backend calls it name ("xvda"), or whose ID is
 * name; "" picks the first. Fills d->fe, d->be, d->name. */
static int find_disk(struct blkfront *d, const char *name)
{
    static char ids[1024];
    int n = xs_directory("device/vbd", ids, sizeof ids);
    const char *id = ids;
    for (int i = 0; i < n; i++, id += kstrlen(id) + 1) {
        char path[96], dev[16] = "";
        ksnprintf(d->fe, sizeof d->fe, "device/vbd/%s", id);
        ksnprintf(path, sizeof path, "%s/backend", d->fe);
        if (xs_read(path, d->be, sizeof d->be) <= 0)
            continue;
        ksnprintf(path, sizeof path, "%s/dev", d->be);
        xs_read(path, dev, sizeof dev);
        if (!*name || !kstrcmp(name, dev) || !kstrcmp(name, id)) {
            ksnprintf(d->name, sizeof d->name, "%s", *dev ? dev : id);
            return 0;
        }
    }
    return -1;
}

static long read_be(struct blkfront *d, const char *key, long dflt)
{
    char path[160];
    long v;
    ksnprintf(path, sizeof path, "%s/%s", d->be, key);
    return xs_read_long(path, &v) == 0 ? v : dflt;
}

static int connect(struct blkfront *d)
{
    char path[160];
    ksnprintf(path, sizeof path, "%s/backend-id", d->fe);
    if (xs_read_long(path, &d->backend_id))
        d->backend_id = 0;
    domid_t be = (domid_t)d->backend_id;

    uint64_t rp = page_alloc(1);
    d->pool = page_alloc(BLK_SLOTS * SLOT_PAGES);
    if (!rp || !d->pool)
        return -1;
    d->ring = (volatile struct blkif_sring *)(uintptr_t)rp;
    d->ring->h.req_event = 1;
    d->ring->h.rsp_event = 1;
    int ring_ref = gnttab_grant(be, rp, 0);
    if (ring_ref < 0)
        return -1;
    for (unsigned s = 0; s < BLK_SLOTS; s++)
        for (unsigned p = 0; p < SLOT_PAGES; p++)
            if ((d->gref[s][p] = gnttab_grant(be, d->pool + (s * SLOT_PAGES + p) * 4096ull,
                                              0)) < 0)
                return -1;
    d->port = dev_evtchn_alloc(be);
    if (!d->port)
        return -1;

    ksnprintf(path, sizeof path, "%s/ring-ref", d->fe);
    xs_printf(path, "%d", ring_ref);
    ksnprintf(path, sizeof path, "%s/event-channel", d->fe);
    xs_printf(path, "%u", d->port);
    ksnprintf(path, sizeof path, "%s/protocol", d->fe);
    xs_write(path, "x86_64-abi");
    ksnprintf(path, sizeof path, "%s/state", d->fe);
    xs_printf(path, "%d", XenbusStateInitialised);

    char bstate[160];
    ksnprintf(bstate, sizeof bstate, "%s/state", d->be);
    long s = xs_wait(bstate, is_connected, unik_clock_monotonic() + CONNECT_NS);
    if (s != XenbusStateConnected) {
        kprintf("unik: block device %s: the backend did not connect (state %ld)\n",
                d->name, s);
        return -1;
    }
    uint64_t sectors = (uint64_t)read_be(d, "sectors", 0);
    d->sector_size = (uint32_t)read_be(d, "sector-size", SECTOR);
    if (d->sector_size < SECTOR || d->sector_size > 4096 || (d->sector_size & (SECTOR - 1)))
        d->sector_size = SECTOR;
    /* "sectors" counts 512-byte units whatever the logical sector size. */
    d->capacity = sectors * SECTOR;
    d->can_flush = read_be(d, "feature-flush-cache", 0) == 1;
    d->readonly = (read_be(d, "info", 0) & 4) != 0;
    xs_printf(path, "%d", XenbusStateConnected);
    return 0;
}

static struct blkfront *disk_of(unik_handle_t h)
{
    return dev_handle_ctx(h, blk_has_work);
}

unik_result_t unik_block_acquire(const char *name, unik_handle_t *handle,
                                 struct unik_block_info *info)
{
    if (!handle || !info)
        return UNIK_EINVAL;
    if (!name)
        name = "";
    if (!dev_platform_ok() || xs_init() || gnttab_init())
        return UNIK_EUNSPEC;
    for (unsigned i = 0; i < nr_disks; i++)
        if (!*name || !kstrcmp(disks[i].name, name) || !kstrcmp(disks[i].fe + 11, name)) {
            *handle = (unik_handle_t)disks[i].handle;
            info->capacity = disks[i].capacity;
            info->block_size = disks[i].sector_size;
            return UNIK_OK;
        }
    if (nr_disks == MAX_DISKS)
        return UNIK_EUNSPEC;
    struct blkfront *d = &disks[nr_disks];
    kmemset(d, 0, sizeof *d);
    if (find_disk(d, name) || connect(d))
        return UNIK_EUNSPEC;
    d->handle = dev_handle_alloc(d->port, blk_has_work, d);
    if (d->handle < 0)
        return UNIK_EUNSPEC;
    nr_disks++;
    *handle = (unik_handle_t)d->handle;
    info->capacity = d->capacity;
    info->block_size = d->sector_size;
    return UNIK_OK;
}

static void push_requests(struct blkfront *d)
{
    volatile struct ring_header *h = &d->ring->h;
    uint32_t old = h->req_prod, new = d->req_prod_pvt;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    h->req_prod = new;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if ((uint32_t)(new - h->req_event) < (uint32_t)(new - old))
        pv_evtchn_notify(d->port);
}

/* Collect n responses (ids 0..n-1). -1 when the backend went away. */
static int wait_responses(struct blkfront *d, unsigned n)
{
    unsigned got = 0;
    volatile struct ring_header *h = &d->ring->h;
    while (got < n) {
        uint32_t rp = h->rsp_prod;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        while (d->rsp_cons != rp) {
            volatile struct blkif_response *r = &d->ring->ring[d->rsp_cons % BLK_RING_SIZE].rsp;
            if (r->id < n) {
                d->status[r->id] = r->status;
                got++;
            }
            d->rsp_cons++;
        }
        if (got == n)
            break;
        h->rsp_event = d->rsp_cons + 1;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (h->rsp_prod != d->rsp_cons)
            continue;
        if (!dev_evtchn_wait(d->port, unik_clock_monotonic() + WAIT_NS)
            && read_be(d, "state", XenbusStateClosed) != XenbusStateConnected) {
            kprintf("unik: block device %s: the backend closed the device\n", d->name);
            d->broken = 1;
            return -1;
        }
    }
    return 0;
}

static uint8_t *pool_page(struct blkfront *d, unsigned slot, unsigned page)
{
    return (uint8_t *)(uintptr_t)(d->pool + (slot * SLOT_PAGES + page) * 4096ull);
}

/* One batch: up to BLK_SLOTS requests covering len bytes from sector, the
 * pool's bytes [0, len) (slot n's pages are bytes n * SLOT_BYTES on). A write
 * takes its data from buf; a read leaves it in the pool. */
static int batch(struct blkfront *d, uint8_t op, uint64_t sector, const uint8_t *buf, size_t len)
{
    unsigned n = 0;
    size_t off = 0;
    d->ra_len = 0;
    while (off < len) {
        size_t bytes = len - off < SLOT_BYTES ? len - off : SLOT_BYTES;
        volatile struct blkif_request *r = &d->ring->ring[d->req_prod_pvt % BLK_RING_SIZE].req;
        unsigned segs = (unsigned)((bytes + 4095) / 4096);
        r->operation = op;
        r->nr_segments = (uint8_t)segs;
        r->handle = 0;
        r->id = n;
        r->sector_number = sector + off / SECTOR;
        for (unsigned j = 0; j < segs; j++) {
            size_t seg = bytes - j * 4096 < 4096 ? bytes - j * 4096 : 4096;
            r->seg[j].gref = (grant_ref_t)d->gref[n][j];
            r->seg[j].first_sect = 0;
            r->seg[j].last_sect = (uint8_t)(seg / SECTOR - 1);
            if (op == BLKIF_OP_WRITE)
                kmemcpy(pool_page(d, n, j), buf + off + j * 4096, seg);
        }
        d->req_prod_pvt++;
        n++;
        off += bytes;
    }
    push_requests(d);
    if (wait_responses(d, n))
        return -1;
    for (unsigned i = 0; i < n; i++)
        if (d->status[i] != BLKIF_RSP_OKAY)
            return -1;
    if (op == BLKIF_OP_READ) {
        d->ra_off = sector * SECTOR;
        d->ra_len = len;
    }
    return 0;
}

/* Read [offset, offset+size) (checked by the caller) through the pool. */
static int read_through(struct blkfront *d, uint64_t offset, uint8_t *buf, size_t size)
{
    const size_t per_batch = (size_t)BLK_SLOTS * SLOT_BYTES;
    for (size_t done = 0; done < size;) {
        uint64_t off = offset + done;
        if (d->ra_len && off >= d->ra_off && off - d->ra_off < d->ra_len) {
            size_t n = d->ra_off + d->ra_len - off;
            n = n < size - done ? n : size - done;
            kmemcpy(buf + done, (const uint8_t *)(uintptr_t)d->pool + (off - d->ra_off), n);
            done += n;
            continue;
        }
        size_t len = size - done < per_batch ? size - done : per_batch;
        if (off == d->next_off)         /* sequential: fill the pool */
            len = d->capacity - off < per_batch ? (size_t)(d->capacity - off) : per_batch;
        if (batch(d, BLKIF_OP_READ, off / SECTOR, 0, len))
            return -1;
    }
    d->next_off = offset + size;
    return 0;
}

static unik_result_t block_io(unik_handle_t h, uint8_t op, uint64_t offset, uint8_t *buf,
                              size_t size)
{
    struct blkfront *d = disk_of(h);
    if (!d || (!buf && size))
        return UNIK_EINVAL;
    if (offset % d->sector_size || size % d->sector_size || offset > d->capacity
        || size > d->capacity - offset)
        return UNIK_EINVAL;
    if (d->broken || (op == BLKIF_OP_WRITE && d->readonly))
        return UNIK_EUNSPEC;
    if (op == BLKIF_OP_READ)
        return read_through(d, offset, buf, size) ? UNIK_EUNSPEC : UNIK_OK;
    const size_t per_batch = (size_t)BLK_SLOTS * SLOT_BYTES;
    for (size_t done = 0; done < size;) {
        size_t len = size - done < per_batch ? size - done : per_batch;
        if (batch(d, op, (offset + done) / SECTOR, buf + done, len))
            return UNIK_EUNSPEC;
        done += len;
    }
    return UNIK_OK;
}

unik_result_t unik_block_read(unik_handle_t h, uint64_t offset, uint8_t *buf, size_t size)
{
    return block_io(h, BLKIF_OP_READ, offset, buf, size);
}

unik_result_t unik_block_write(unik_handle_t h, uint64_t offset, const uint8_t *buf,
                               size_t size)
{
    return block_io(h, BLKIF_OP_WRITE, offset, (uint8_t *)(uintptr_t)buf, size);
}

unik_result_t unik_block_flush(unik_handle_t h)
{
    struct blkfront *d = disk_of(h);
    if (!d)
        return UNIK_EINVAL;
    if (d->broken)
        return UNIK_EUNSPEC;
    if (!d->can_flush)
        return UNIK_OK;                 /* no cache to flush: writes are already durable */
    volatile struct blkif_request *r = &d->ring->ring[d->req_prod_pvt % BLK_RING_SIZE].req;
    r->operation = BLKIF_OP_FLUSH_DISKCACHE;
    r->nr_segments = 0;
    r->handle = 0;
    r->id = 0;
    r->sector_number = 0;
    d->req_prod_pvt++;
    push_requests(d);
    if (wait_responses(d, 1) || d->status[0] != BLKIF_RSP_OKAY)
        return UNIK_EUNSPEC;
    return UNIK_OK;
}
