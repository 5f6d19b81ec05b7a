/*
 * virtio_blk.c — virtio block devices (virtio 1.1, 5.2) behind unik_block_*
 * on the pvh-bare platform: the same contract as xen/blkfront.c (names
 * xvda, xvdb, … in `unik run --disk` order; synchronous reads and writes;
 * flush when the device has a write cache).
 *
 * A disk is set up on first acquire: one virtqueue of up to 128 entries,
 * cut into REQS fixed request slots of SEGS+2 descriptors each (header,
 * SEGS data pages, status byte), and a pool of bounce pages. A read or
 * write is cut into batches of up to REQS requests of SEGS pages each (one
 * notify per batch) and waits for their completions. Data is copied through
 * the bounce pages: memory a runtime hands us need not be page aligned, nor
 * physically contiguous, nor identity-mapped. Sequential reads read ahead
 * a whole pool, as blkfront does (read_through).
 */
#include <unik/kernel.h>
#include <unik/x86.h>
#include "virtio.h"

#define MAX_DISKS 8
#define REQS 4
#define SEGS 30                         /* data pages per request */
#define SLOT_DESCS (SEGS + 2)
#define QUEUE_SIZE (REQS * SLOT_DESCS)  /* 128 */
#define SECTOR 512u
#define WAIT_NS (30ull * 1000000000ull)

#define VIRTIO_BLK_F_SEG_MAX  (1ull << 2)
#define VIRTIO_BLK_F_RO       (1ull << 5)
#define VIRTIO_BLK_F_BLK_SIZE (1ull << 6)
#define VIRTIO_BLK_F_FLUSH    (1ull << 9)

#define VIRTIO_BLK_T_IN    0u
#define VIRTIO_BLK_T_OUT   1u
#define VIRTIO_BLK_T_FLUSH 4u
#define VIRTIO_BLK_S_OK    0u

struct blk_req_header {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

struct vblk {
    char name[8];
    int handle;
    int broken;
    struct virtio_dev dev;
    struct virtq q;
    uint64_t capacity;                  /* bytes */
    uint32_t block_size;
    unsigned segs;                      /* data pages per request (seg_max) */
    int readonly, can_flush;
    struct blk_req_header *headers;     /* REQS of them, then REQS status bytes */
    volatile uint8_t *status;
    uint8_t *pool;                      /* REQS * SEGS bounce pages */
    uint64_t ra_off, ra_len;            /* what the pool holds of the disk */
    uint64_t next_off;                  /* where the last read ended */
};

static struct vblk disks[MAX_DISKS];
static int scanned;
static struct virtio_dev found[MAX_DISKS];
static unsigned nr_found;

static int blk_has_work(void *ctx)
{
    (void)ctx;
    return 0;                           /* requests complete inside the call */
}

static int setup(struct vblk *d)
{
    if (virtio_start(&d->dev, VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_RO | VIRTIO_BLK_F_BLK_SIZE
                                  | VIRTIO_BLK_F_FLUSH))
        return -1;
    uint64_t sectors = virtio_config32(&d->dev, 0)
                       | (uint64_t)virtio_config32(&d->dev, 4) << 32;
    d->capacity = sectors * SECTOR;
    d->block_size = SECTOR;
    if (d->dev.features & VIRTIO_BLK_F_BLK_SIZE) {
        uint32_t bs = virtio_config32(&d->dev, 20);
        if (bs >= SECTOR && bs <= 4096 && !(bs & (bs - 1)))
            d->block_size = bs;
    }
    d->segs = SEGS;
    if (d->dev.features & VIRTIO_BLK_F_SEG_MAX) {
        uint32_t most = virtio_config32(&d->dev, 12);
        if (most && most < d->segs)
            d->segs = most;
    }
    d->readonly = (d->dev.features & VIRTIO_BLK_F_RO) != 0;
    d->can_flush = (d->dev.features & VIRTIO_BLK_F_FLUSH) != 0;
    uint64_t meta = page_alloc(1), pool = page_alloc((size_t)REQS * SEGS);
    if (!meta || !pool)
        return -1;
    d->headers = (struct blk_req_header *)(uintptr_t)meta;
    d->status = (volatile uint8_t *)(uintptr_t)(meta + REQS * sizeof(struct blk_req_header));
    d->pool = (uint8_t *)(uintptr_t)pool;
    if (virtio_queue(&d->dev, &d->q, 0, QUEUE_SIZE) || d->q.size < QUEUE_SIZE) {
        kprintf("unik: block device %s: its queue is too small\n", d->name);
        return -1;
    }
    virtio_ready_ok(&d->dev);
    return 0;
}

static void scan(void)
{
    if (!scanned) {
        scanned = 1;
        nr_found = virtio_find(VIRTIO_ID_BLOCK, found, MAX_DISKS);
    }
}

unik_result_t virtio_block_acquire(const char *name, unik_handle_t *handle,
                                   struct unik_block_info *info)
{
    if (!handle || !info)
        return UNIK_EINVAL;
    if (!name)
        name = "";
    scan();
    unsigned index = 0;
    if (*name) {
        /* "xvda".."xvdh" (the name the Xen driver gives the same disk). */
        if (kstrlen(name) != 4 || kmemcmp(name, "xvd", 3) || name[3] < 'a'
            || name[3] >= 'a' + MAX_DISKS)
            return UNIK_EUNSPEC;
        index = (unsigned)(name[3] - 'a');
    }
    if (index >= nr_found)
        return UNIK_EUNSPEC;
    struct vblk *d = &disks[index];
    if (!d->name[0]) {
        ksnprintf(d->name, sizeof d->name, "xvd%c", 'a' + index);
        d->dev = found[index];
        d->handle = -1;
        if (setup(d)) {
            d->broken = 1;
            kprintf("unik: block device %s: virtio set-up failed\n", d->name);
        } else {
            d->handle = virtio_handle_alloc(blk_has_work, d);
        }
    }
    if (d->broken || d->handle < 0)
        return UNIK_EUNSPEC;
    *handle = (unik_handle_t)d->handle;
    info->capacity = d->capacity;
    info->block_size = d->block_size;
    return UNIK_OK;
}

static struct vblk *disk_of(unik_handle_t h)
{
    return virtio_handle_ctx(h, blk_has_work);
}

/* Slot r's data pages: contiguous with slot r+1's, so a batch of requests
 * fills one run of the pool. */
static uint8_t *slot_data(struct vblk *d, unsigned r)
{
    return d->pool + (size_t)r * d->segs * 4096u;
}

/* Queue request slot r: type at sector over len bytes of its bounce pages. */
static void queue_request(struct vblk *d, unsigned r, uint32_t type, uint64_t sector,
                          size_t len)
{
    uint16_t first = (uint16_t)(r * SLOT_DESCS), i = first;
    d->headers[r] = (struct blk_req_header){ type, 0, sector };
    d->status[r] = 0xff;
    int device_writes = type == VIRTIO_BLK_T_IN;
    d->q.desc[i] = (struct vring_desc){ (uint64_t)(uintptr_t)&d->headers[r],
                                        sizeof d->headers[r], VRING_DESC_F_NEXT,
                                        (uint16_t)(i + 1) };
    i++;
    uint8_t *page = slot_data(d, r);
    for (size_t off = 0; off < len; off += 4096u, i++) {
        uint32_t n = len - off < 4096u ? (uint32_t)(len - off) : 4096u;
        d->q.desc[i] = (struct vring_desc){
            (uint64_t)(uintptr_t)(page + off), n,
            (uint16_t)(VRING_DESC_F_NEXT | (device_writes ? VRING_DESC_F_WRITE : 0)),
            (uint16_t)(i + 1) };
    }
    d->q.desc[i] = (struct vring_desc){ (uint64_t)(uintptr_t)&d->status[r], 1,
                                        VRING_DESC_F_WRITE, 0 };
    virtq_publish(&d->q, first);
}

/* Wait for n completions; 0 when every request of the batch succeeded. */
static int wait_done(struct vblk *d, unsigned n)
{
    unik_time_t deadline = unik_clock_monotonic() + WAIT_NS;
    struct vring_used_elem e;
    for (unsigned got = 0; got < n;) {
        if (virtq_take(&d->q, &e)) {
            got++;
            continue;
        }
        if (unik_clock_monotonic() > deadline) {
            kprintf("unik: block device %s: no answer from the device; giving up on it\n",
                    d->name);
            d->broken = 1;
            return -1;
        }
        cpu_relax();
    }
    for (unsigned r = 0; r < n; r++)
        if (d->status[r] != VIRTIO_BLK_S_OK)
            return -1;
    return 0;
}

/* One batch: len bytes (at most the pool) at offset, between the pool's
 * start and the disk; the caller copies in (writes) or out (reads). */
static int batch(struct vblk *d, uint32_t type, uint64_t offset, size_t len)
{
    const size_t per_req = (size_t)d->segs * 4096u;
    unsigned n = 0;
    for (size_t done = 0; done < len; n++) {
        size_t part = len - done < per_req ? len - done : per_req;
        queue_request(d, n, type, (offset + done) / SECTOR, part);
        done += part;
    }
    virtq_notify(&d->dev, &d->q);
    return wait_done(d, n);
}

/* Read [offset, offset+size) (checked by the caller) through the pool.
 * Sequential reads read ahead: a read that starts where the last one ended
 * fills the whole pool, and the reads that follow are copied from it
 * without a request (each request is an exit to QEMU). Only our own writes
 * can make the pool stale: every write drops it. */
static int read_through(struct vblk *d, uint64_t offset, uint8_t *buf, size_t size)
{
    const size_t per_batch = (size_t)REQS * d->segs * 4096u;
    for (size_t done = 0; done < size;) {
        uint64_t off = offset + done;
        if (d->ra_len && off >= d->ra_off && off - d->ra_off < d->ra_len) {
            size_t n = (size_t)(d->ra_off + d->ra_len - off);
            n = n < size - done ? n : size - done;
            kmemcpy(buf + done, d->pool + (off - d->ra_off), n);
            done += n;
            continue;
        }
        size_t len = size - done < per_batch ? size - done : per_batch;
        if (off == d->next_off)
            len = d->capacity - off < per_batch ? (size_t)(d->capacity - off) : per_batch;
        d->ra_len = 0;
        if (batch(d, VIRTIO_BLK_T_IN, off, len))
            return -1;
        d->ra_off = off;
        d->ra_len = len;
    }
    d->next_off = offset + size;
    return 0;
}

static unik_result_t block_io(unik_handle_t h, uint32_t type, uint64_t offset, uint8_t *buf,
                              size_t size)
{
    struct vblk *d = disk_of(h);
    if (!d || (!buf && size))
        return UNIK_EINVAL;
    if (offset % d->block_size || size % d->block_size || offset > d->capacity
        || size > d->capacity - offset)
        return UNIK_EINVAL;
    if (d->broken || (type == VIRTIO_BLK_T_OUT && d->readonly))
        return UNIK_EUNSPEC;
    if (type == VIRTIO_BLK_T_IN)
        return read_through(d, offset, buf, size) ? UNIK_EUNSPEC : UNIK_OK;
    d->ra_len = 0;
    const size_t per_batch = (size_t)REQS * d->segs * 4096u;
    for (size_t done = 0; done < size;) {
        size_t len = size - done < per_batch ? size - done : per_batch;
        kmemcpy(d->pool, buf + done, len);
        if (batch(d, VIRTIO_BLK_T_OUT, offset + done, len))
            return UNIK_EUNSPEC;
        done += len;
    }
    return UNIK_OK;
}

unik_result_t virtio_block_read(unik_handle_t h, uint64_t offset, uint8_t *buf, size_t size)
{
    return block_io(h, VIRTIO_BLK_T_IN, offset, buf, size);
}

unik_result_t virtio_block_write(unik_handle_t h, uint64_t offset, const uint8_t *buf,
                                 size_t size)
{
    return block_io(h, VIRTIO_BLK_T_OUT, offset, (uint8_t *)(uintptr_t)buf, size);
}

unik_result_t virtio_block_flush(unik_handle_t h)
{
    struct vblk *d = disk_of(h);
    if (!d)
        return UNIK_EINVAL;
    if (d->broken)
        return UNIK_EUNSPEC;
    if (!d->can_flush)
        return UNIK_OK;                 /* no write cache: writes are already durable */
    /* A flush request carries no data: header and status only. */
    d->headers[0] = (struct blk_req_header){ VIRTIO_BLK_T_FLUSH, 0, 0 };
    d->status[0] = 0xff;
    d->q.desc[0] = (struct vring_desc){ (uint64_t)(uintptr_t)&d->headers[0],
                                        sizeof d->headers[0], VRING_DESC_F_NEXT, 1 };
    d->q.desc[1] = (struct vring_desc){ (uint64_t)(uintptr_t)&d->status[0], 1,
                                        VRING_DESC_F_WRITE, 0 };
    virtq_publish(&d->q, 0);
    virtq_notify(&d->dev, &d->q);
    return wait_done(d, 1) ? UNIK_EUNSPEC : UNIK_OK;
}
