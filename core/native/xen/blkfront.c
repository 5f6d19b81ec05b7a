/*
 * blkfront.c — Xen virtual block devices (blkif) behind unik_block_*.
 *
 * A disk is set up on first acquire: a ring page and a pool of bounce pages
 * granted once to the backend (persistently, so no grant is made per
 * request), an event channel, and the xenbus handshake (Initialised →
 * backend Connected → Connected). Data is copied between the caller's
 * buffer and the bounce pages (memory a runtime hands us need not be page
 * aligned, nor physically contiguous); a request carries up to 11 pages.
 *
 * Every exit to the host costs ~50 us on nested KVM, so the device is driven
 * without one wherever it can be. Requests are pushed with Xen's event
 * suppression: the backend is notified only when it asked (req_event) —
 * the runner's blkback polls the ring from its own thread while requests
 * flow, so a stream of requests costs no notify at all. Waiting for a
 * response first spins a while on rsp_prod (the backend, on another host
 * CPU, usually answers within that), and only then arms rsp_event and
 * blocks.
 *
 * Writes are written behind: a write copies its data into free pool pages,
 * queues its requests and returns; the pool (176 pages) and the ring bound
 * what is in flight. A write's error is reported by the next write or
 * flush (as Linux reports write-back errors at fsync); a flush, a read and
 * the end of the guest (the backend drains the ring when the guest stops,
 * even when it crashed) see every queued write done. Two writes to
 * overlapping sectors are never in flight together (a Xen backend may
 * complete requests in any order).
 *
 * Reads go through a window of read slots (16 requests of 44 KiB, the
 * pool's pages): a read waits only for the slots it copies from. A read
 * that starts where the last one ended streams: the window fills ahead of
 * it and every slot it has copied out is sent again for the next 44 KiB
 * past the window, so the backend reads ahead while the guest copies (the
 * two copies of a read, host file → pool and pool → caller, overlap instead
 * of taking turns). Any other read fetches just its own bytes. The disk is
 * this guest's alone, so the window can only go stale through our own
 * writes: every write drops it (and uses the pool's pages itself).
 */
#include <unik/kernel.h>
#include "dev.h"
#include "hypercall.h"
#include "pv.h"

#define MAX_DISKS 8
#define BLK_SLOTS 16                    /* read slots: requests in the read window */
#define SLOT_PAGES BLKIF_MAX_SEGMENTS
#define SLOT_BYTES (SLOT_PAGES * 4096u)
#define POOL_PAGES (BLK_SLOTS * SLOT_PAGES)
#define WRITE_IDS 32                    /* writes in flight (the ring's size) */
#define WRITE_ID0 64                    /* write ids are WRITE_ID0 + i; reads 0..BLK_SLOTS-1 */
#define FLUSH_ID 48
#define SECTOR 512u
#define WAIT_NS (1000000000ull)
#define SPIN_NS (30000ull)              /* spin this long on rsp_prod before kicking */

struct write_req {
    uint64_t sector, sectors;           /* the range it writes */
    uint8_t npages;
    uint16_t page[SLOT_PAGES];          /* pool pages it holds */
};

struct blkfront {
    char name[16];
    char fe[64];
    char be[128];
    long backend_id;
    volatile struct blkif_sring *ring;
    uint32_t req_prod_pvt, rsp_cons;
    uint32_t port;
    uint64_t pool;                      /* POOL_PAGES pages, contiguous */
    /* The read window: disk bytes [win_off, win_end) in win_slots slots from
     * slot win_first on (slot s is pool pages s * SLOT_PAGES on), each
     * SLOT_BYTES but the last; it grows up to win_limit. */
    uint64_t win_off, win_end, win_limit;
    unsigned win_first, win_slots;
    int win_stream;                     /* refill slots as they are read */
    uint8_t slot_state[BLK_SLOTS];
    uint64_t next_off;                  /* where the last read ended */
    int gref[POOL_PAGES];
    int16_t flush_status;
    int flush_done;
    struct write_req wreq[WRITE_IDS];
    uint8_t wfree[WRITE_IDS];           /* stack of free write ids */
    unsigned nr_wfree;
    uint16_t pfree[POOL_PAGES];         /* stack of free pool pages (for writes) */
    unsigned nr_pfree;
    int write_error;                    /* a queued write failed: the next call says so */
    unik_time_t give_up;                /* wait_until's deadline when not 0 (at exit) */
    uint64_t capacity;                  /* bytes */
    uint32_t sector_size;
    int can_flush;
    int readonly;
    int broken;
    int handle;
};

static struct blkfront disks[MAX_DISKS];
static unsigned nr_disks;

static void quiesce(void);
static int window_drop(struct blkfront *d);

enum { SLOT_FREE, SLOT_BUSY, SLOT_READY, SLOT_FAILED };

static int blk_has_work(void *ctx)
{
    (void)ctx;
    return 0;                           /* requests complete inside the calls */
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
        if (dev_name_matches(name, dev, d->fe)) {
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
    d->pool = page_alloc(POOL_PAGES);
    if (!rp || !d->pool)
        return -1;
    d->ring = (volatile struct blkif_sring *)(uintptr_t)rp;
    d->ring->h.req_event = 1;
    d->ring->h.rsp_event = 1;
    int ring_ref = gnttab_grant(be, rp, 0);
    if (ring_ref < 0)
        return -1;
    for (unsigned p = 0; p < POOL_PAGES; p++) {
        if ((d->gref[p] = gnttab_grant(be, d->pool + p * 4096ull, 0)) < 0)
            return -1;
        d->pfree[d->nr_pfree++] = (uint16_t)(POOL_PAGES - 1 - p);
    }
    for (unsigned i = 0; i < WRITE_IDS; i++)
        d->wfree[d->nr_wfree++] = (uint8_t)(WRITE_IDS - 1 - i);
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
    if (dev_wait_backend(d->be, "block", d->name))
        return -1;
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

static void fill_info(const struct blkfront *d, unik_handle_t *handle,
                      struct unik_block_info *info)
{
    *handle = (unik_handle_t)d->handle;
    info->capacity = d->capacity;
    info->block_size = d->sector_size;
}

unik_result_t unik_block_acquire(const char *name, unik_handle_t *handle,
                                 struct unik_block_info *info)
{
    if (!handle || !info)
        return UNIK_EINVAL;
    if (!name)
        name = "";
    if (dev_acquire_ready())
        return UNIK_EUNSPEC;
    for (unsigned i = 0; i < nr_disks; i++)
        if (dev_name_matches(name, disks[i].name, disks[i].fe)) {
            fill_info(&disks[i], handle, info);
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
    dev_exit_quiesce = quiesce;
    fill_info(d, handle, info);
    return UNIK_OK;
}

static void push_requests(struct blkfront *d)
{
    volatile struct ring_header *h = &d->ring->h;
    uint32_t old = h->req_prod, new = d->req_prod_pvt;
    if (old == new)
        return;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    h->req_prod = new;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if ((uint32_t)(new - h->req_event) < (uint32_t)(new - old))
        pv_evtchn_notify(d->port);
}

static unsigned writes_in_flight(const struct blkfront *d)
{
    return WRITE_IDS - d->nr_wfree;
}

/* Take every response on the ring: a read's outcome into its slot, a
 * write's pages and id back to the free stacks. Anything else (an id we
 * never used: a broken backend) is skipped. */
static void reap(struct blkfront *d)
{
    uint32_t rp = d->ring->h.rsp_prod;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    while (d->rsp_cons != rp) {
        volatile struct blkif_response *r = &d->ring->ring[d->rsp_cons % BLK_RING_SIZE].rsp;
        uint64_t id = r->id;
        int16_t status = r->status;
        d->rsp_cons++;
        if (id < BLK_SLOTS) {
            if (d->slot_state[id] == SLOT_BUSY)
                d->slot_state[id] = status == BLKIF_RSP_OKAY ? SLOT_READY : SLOT_FAILED;
        } else if (id == FLUSH_ID) {
            d->flush_status = status;
            d->flush_done = 1;
        } else if (id - WRITE_ID0 < WRITE_IDS && d->nr_wfree < WRITE_IDS) {
            struct write_req *w = &d->wreq[id - WRITE_ID0];
            for (unsigned i = 0; i < w->npages && d->nr_pfree < POOL_PAGES; i++)
                d->pfree[d->nr_pfree++] = w->page[i];
            w->npages = 0;
            w->sectors = 0;
            d->wfree[d->nr_wfree++] = (uint8_t)(id - WRITE_ID0);
            if (status != BLKIF_RSP_OKAY)
                d->write_error = 1;
        }
    }
}

/* Reap until done(d) holds. A polling backend answers within SPIN_NS when
 * it has a CPU: spin on rsp_prod that long (no exit); then notify even if
 * the backend did not ask (harmless on Xen; the runner then serves the
 * ring inside that exit); then block on the event channel. -1 when the
 * backend went away. */
static int wait_until(struct blkfront *d, int (*done)(struct blkfront *d, uintptr_t arg),
                      uintptr_t arg)
{
    volatile struct ring_header *h = &d->ring->h;
    unik_time_t spin_end = 0;
    int kicked = 0;
    for (;;) {
        reap(d);
        if (done(d, arg))
            return 0;
        if (d->broken)
            return -1;
        push_requests(d);
        unik_time_t now = pv_clock_monotonic();
        if (!spin_end)
            spin_end = now + SPIN_NS;
        if (now < spin_end) {
            __builtin_ia32_pause();
            continue;
        }
        if (!kicked) {
            kicked = 1;
            pv_evtchn_notify(d->port);
            continue;
        }
        if (d->give_up && now >= d->give_up)
            return -1;
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
        spin_end = 0;
        kicked = 0;
    }
}

static int slot_settled(struct blkfront *d, uintptr_t s)
{
    return d->slot_state[s] != SLOT_BUSY;
}

static int reads_idle(struct blkfront *d, uintptr_t arg)
{
    (void)arg;
    for (unsigned s = 0; s < BLK_SLOTS; s++)
        if (d->slot_state[s] == SLOT_BUSY)
            return 0;
    return 1;
}

static int flush_answered(struct blkfront *d, uintptr_t arg)
{
    (void)arg;
    return d->flush_done;
}

static int writes_done(struct blkfront *d, uintptr_t arg)
{
    (void)arg;
    return writes_in_flight(d) == 0;
}

/* Room for a write of npages pages to [sector, +sectors) that overlaps no
 * write in flight. */
static int write_room(struct blkfront *d, uintptr_t arg)
{
    const struct write_req *want = (const struct write_req *)arg;
    if (!d->nr_wfree || d->nr_pfree < want->npages)
        return 0;
    for (unsigned i = 0; i < WRITE_IDS; i++) {
        const struct write_req *w = &d->wreq[i];
        if (w->sectors && w->sector < want->sector + want->sectors
            && want->sector < w->sector + w->sectors)
            return 0;
    }
    return 1;
}

/* The write errors not yet reported: 0, or -1 once. */
static int take_write_error(struct blkfront *d)
{
    int e = d->write_error;
    d->write_error = 0;
    return e ? -1 : 0;
}

static uint8_t *pool_page(struct blkfront *d, unsigned page)
{
    return (uint8_t *)(uintptr_t)(d->pool + page * 4096ull);
}

/* Queue writes of [sector, +len) from buf, SLOT_PAGES pages per request,
 * without waiting for them (beyond room in the pool and the ring). */
static int write_behind(struct blkfront *d, uint64_t sector, const uint8_t *buf, size_t len)
{
    if (window_drop(d))                 /* the pool's pages now carry writes */
        return -1;
    for (size_t off = 0; off < len;) {
        size_t bytes = len - off < SLOT_BYTES ? len - off : SLOT_BYTES;
        struct write_req want = {
            .sector = sector + off / SECTOR, .sectors = bytes / SECTOR,
            .npages = (uint8_t)((bytes + 4095) / 4096),
        };
        if (!write_room(d, (uintptr_t)&want) && wait_until(d, write_room, (uintptr_t)&want))
            return -1;
        uint8_t wid = d->wfree[--d->nr_wfree];
        struct write_req *w = &d->wreq[wid];
        *w = want;
        volatile struct blkif_request *r = &d->ring->ring[d->req_prod_pvt % BLK_RING_SIZE].req;
        r->operation = BLKIF_OP_WRITE;
        r->nr_segments = w->npages;
        r->handle = 0;
        r->id = WRITE_ID0 + wid;
        r->sector_number = w->sector;
        for (unsigned j = 0; j < w->npages; j++) {
            size_t seg = bytes - j * 4096 < 4096 ? bytes - j * 4096 : 4096;
            uint16_t page = d->pfree[--d->nr_pfree];
            w->page[j] = page;
            kmemcpy(pool_page(d, page), buf + off + j * 4096, seg);
            r->seg[j].gref = (grant_ref_t)d->gref[page];
            r->seg[j].first_sect = 0;
            r->seg[j].last_sect = (uint8_t)(seg / SECTOR - 1);
        }
        d->req_prod_pvt++;
        off += bytes;
        /* Hand each request over at once: a polling backend starts on it
         * while we copy the next. */
        push_requests(d);
    }
    return 0;
}

/* Send slot s to read disk bytes [off, +len) into its pages. */
static void issue_read(struct blkfront *d, unsigned s, uint64_t off, size_t len)
{
    volatile struct blkif_request *r = &d->ring->ring[d->req_prod_pvt % BLK_RING_SIZE].req;
    unsigned segs = (unsigned)((len + 4095) / 4096);
    r->operation = BLKIF_OP_READ;
    r->nr_segments = (uint8_t)segs;
    r->handle = 0;
    r->id = s;
    r->sector_number = off / SECTOR;
    for (unsigned j = 0; j < segs; j++) {
        size_t seg = len - j * 4096 < 4096 ? len - j * 4096 : 4096;
        r->seg[j].gref = (grant_ref_t)d->gref[s * SLOT_PAGES + j];
        r->seg[j].first_sect = 0;
        r->seg[j].last_sect = (uint8_t)(seg / SECTOR - 1);
    }
    d->slot_state[s] = SLOT_BUSY;
    d->req_prod_pvt++;
}

/* Fill the window's free slots with the bytes past its end, up to win_limit. */
static void window_grow(struct blkfront *d)
{
    while (d->win_slots < BLK_SLOTS && d->win_end < d->win_limit) {
        uint64_t left = d->win_limit - d->win_end;
        size_t len = left < SLOT_BYTES ? (size_t)left : SLOT_BYTES;
        issue_read(d, (d->win_first + d->win_slots) % BLK_SLOTS, d->win_end, len);
        d->win_end += len;
        d->win_slots++;
    }
    push_requests(d);
}

/* The reader has copied out everything before pos: free the slots wholly
 * before it (a streaming window sends them again at once). */
static void window_retire(struct blkfront *d, uint64_t pos)
{
    while (d->win_slots && d->slot_state[d->win_first] != SLOT_BUSY) {
        uint64_t left = d->win_end - d->win_off;
        uint64_t len = left < SLOT_BYTES ? left : SLOT_BYTES;
        if (d->win_off + len > pos)
            break;
        d->slot_state[d->win_first] = SLOT_FREE;
        d->win_off += len;
        d->win_first = (d->win_first + 1) % BLK_SLOTS;
        d->win_slots--;
    }
    if (d->win_stream)
        window_grow(d);
}

/* Empty the window; its reads in flight must land first (they write into
 * pages a write or the next window reuses). */
static int window_drop(struct blkfront *d)
{
    int r = wait_until(d, reads_idle, 0);
    for (unsigned s = 0; s < BLK_SLOTS; s++)
        d->slot_state[s] = SLOT_FREE;
    d->win_off = d->win_end = d->win_limit = 0;
    d->win_first = d->win_slots = 0;
    d->win_stream = 0;
    return r;
}

/* Read [offset, offset+size) (checked by the caller) through the window. A
 * slot that failed is read once more on its own before the read fails. */
static int read_through(struct blkfront *d, uint64_t offset, uint8_t *buf, size_t size)
{
    const size_t per_window = (size_t)BLK_SLOTS * SLOT_BYTES;
    int retried = 0;
    for (size_t done = 0; done < size;) {
        uint64_t off = offset + done;
        if (d->win_slots && off >= d->win_off && off < d->win_end) {
            uint64_t rel = off - d->win_off;
            unsigned s = (unsigned)((d->win_first + rel / SLOT_BYTES) % BLK_SLOTS);
            size_t in = (size_t)(rel % SLOT_BYTES);
            uint64_t left = d->win_end - (off - in);
            size_t slot_len = left < SLOT_BYTES ? (size_t)left : SLOT_BYTES;
            if (d->slot_state[s] == SLOT_BUSY && wait_until(d, slot_settled, s))
                return -1;
            if (d->slot_state[s] != SLOT_READY) {
                if (window_drop(d) || retried)
                    return -1;
                retried = 1;
                continue;
            }
            size_t n = slot_len - in < size - done ? slot_len - in : size - done;
            kmemcpy(buf + done, (const uint8_t *)(uintptr_t)d->pool + s * SLOT_BYTES + in, n);
            done += n;
            window_retire(d, offset + done);
            continue;
        }
        if (window_drop(d) || wait_until(d, writes_done, 0))
            return -1;
        d->win_off = d->win_end = off;
        if (off == d->next_off && !retried) {     /* sequential: stream */
            d->win_stream = 1;
            d->win_limit = d->capacity;
        } else {
            d->win_limit = off + (size - done < per_window ? size - done : per_window);
        }
        window_grow(d);
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
    reap(d);
    if (take_write_error(d) || write_behind(d, offset / SECTOR, buf, size))
        return UNIK_EUNSPEC;
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
    /* Every queued write first: their errors are this flush's. */
    if (wait_until(d, writes_done, 0) || take_write_error(d))
        return UNIK_EUNSPEC;
    if (!d->can_flush)
        return UNIK_OK;                 /* no cache to flush: writes are already durable */
    volatile struct blkif_request *r = &d->ring->ring[d->req_prod_pvt % BLK_RING_SIZE].req;
    r->operation = BLKIF_OP_FLUSH_DISKCACHE;
    r->nr_segments = 0;
    r->handle = 0;
    r->id = FLUSH_ID;
    r->sector_number = 0;
    d->req_prod_pvt++;
    d->flush_done = 0;
    push_requests(d);
    if (wait_until(d, flush_answered, 0) || d->flush_status != BLKIF_RSP_OKAY)
        return UNIK_EUNSPEC;
    return UNIK_OK;
}

/* At a clean exit: wait (5 s at most per disk) for the queued writes. */
static void quiesce(void)
{
    for (unsigned i = 0; i < nr_disks; i++)
        if (!disks[i].broken) {
            disks[i].give_up = unik_clock_monotonic() + 5 * WAIT_NS;
            wait_until(&disks[i], writes_done, 0);
        }
}
