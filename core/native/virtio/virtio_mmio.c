/*
 * virtio_mmio.c — finding virtio-mmio transports, the device handshake
 * (virtio 1.1, 3.1.1), split virtqueues (2.6), and the handle table.
 *
 * QEMU's microvm machine creates its transports at fixed addresses
 * (hw/i386/microvm.h: VIRTIO_MMIO_BASE 0xfeb00000, 512 bytes apart, 24 of
 * them with the second I/O APIC, else 8) and plugs each -device into the
 * free transport created last: the first -device sits at the highest
 * address. So we scan from the top, and the n-th disk found is the n-th
 * `-device virtio-blk-device` of the command line (core/hosts/qemu.py
 * orders them as `unik run --disk` did). The addresses lie in the first
 * 4 GiB, which pvh_entry.S identity-maps; virtqueues and buffers come from
 * the page allocator, whose addresses are guest-physical.
 */
#include <unik/kernel.h>
#include <unik/x86.h>
#include "virtio.h"

#define MMIO_BASE 0xfeb00000ul
#define MMIO_STRIDE 0x200ul
#define MMIO_SLOTS 24
#define MAX_HANDLES 64
#define RESET_NS 1000000000ull

static uint32_t rd(uintptr_t base, unsigned off)
{
    return *(volatile uint32_t *)(base + off);
}

static void wr(uintptr_t base, unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(base + off) = v;
}

unsigned virtio_find(uint32_t id, struct virtio_dev *out, unsigned max)
{
    unsigned n = 0;
    for (int slot = MMIO_SLOTS - 1; slot >= 0 && n < max; slot--) {
        uintptr_t base = MMIO_BASE + (uintptr_t)slot * MMIO_STRIDE;
        if (rd(base, VIRTIO_MMIO_MAGIC) != VIRTIO_MAGIC)
            continue;
        if (rd(base, VIRTIO_MMIO_DEVICE_ID) != id)
            continue;
        if (rd(base, VIRTIO_MMIO_VERSION) != 2) {
            kprintf("unik: virtio device at %#lx is legacy (version %u); "
                    "only virtio 1.x (-global virtio-mmio.force-legacy=false) is driven\n",
                    (unsigned long)base, rd(base, VIRTIO_MMIO_VERSION));
            continue;
        }
        out[n++] = (struct virtio_dev){ base, id, 0 };
    }
    return n;
}

static void set_status(struct virtio_dev *d, uint32_t bits)
{
    wr(d->base, VIRTIO_MMIO_STATUS, rd(d->base, VIRTIO_MMIO_STATUS) | bits);
}

int virtio_start(struct virtio_dev *d, uint64_t wanted)
{
    wr(d->base, VIRTIO_MMIO_STATUS, 0);                 /* reset */
    unik_time_t deadline = unik_clock_monotonic() + RESET_NS;
    while (rd(d->base, VIRTIO_MMIO_STATUS) != 0) {
        if (unik_clock_monotonic() > deadline)
            goto failed;
        cpu_relax();
    }
    set_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
    set_status(d, VIRTIO_STATUS_DRIVER);
    uint64_t offered = 0;
    for (uint32_t sel = 0; sel < 2; sel++) {
        wr(d->base, VIRTIO_MMIO_DEVICE_FEATURES_SEL, sel);
        offered |= (uint64_t)rd(d->base, VIRTIO_MMIO_DEVICE_FEATURES) << (32 * sel);
    }
    d->features = offered & (wanted | VIRTIO_F_VERSION_1);
    if (!(d->features & VIRTIO_F_VERSION_1))
        goto failed;
    for (uint32_t sel = 0; sel < 2; sel++) {
        wr(d->base, VIRTIO_MMIO_DRIVER_FEATURES_SEL, sel);
        wr(d->base, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(d->features >> (32 * sel)));
    }
    set_status(d, VIRTIO_STATUS_FEATURES_OK);
    if (!(rd(d->base, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
        goto failed;
    return 0;
failed:
    kprintf("unik: virtio device at %#lx: reset or feature negotiation failed\n",
            (unsigned long)d->base);
    set_status(d, VIRTIO_STATUS_FAILED);
    return -1;
}

int virtio_queue(struct virtio_dev *d, struct virtq *q, unsigned index, uint16_t max_size)
{
    wr(d->base, VIRTIO_MMIO_QUEUE_SEL, index);
    if (rd(d->base, VIRTIO_MMIO_QUEUE_READY))
        return -1;
    uint32_t most = rd(d->base, VIRTIO_MMIO_QUEUE_NUM_MAX);
    if (!most)
        return -1;
    uint16_t size = max_size;
    while (size > most)
        size >>= 1;
    /* desc (16/entry), avail (6 + 2/entry), used at a 4-byte boundary
     * (6 + 8/entry): at most 2 pages for 128 entries; one run of pages. */
    size_t desc_bytes = 16u * size, avail_bytes = 6u + 2u * size;
    size_t used_off = ALIGN_UP(desc_bytes + avail_bytes, 4096ul);
    size_t total = used_off + 6u + 8u * size;
    uint64_t pa = page_alloc(ALIGN_UP(total, 4096ul) / 4096);
    if (!pa)
        return -1;
    *q = (struct virtq){
        .index = index, .size = size,
        .desc = (volatile struct vring_desc *)(uintptr_t)pa,
        .avail = (volatile uint16_t *)(uintptr_t)(pa + desc_bytes),
        .used = (volatile uint16_t *)(uintptr_t)(pa + used_off),
    };
    uint64_t avail_pa = pa + desc_bytes, used_pa = pa + used_off;
    wr(d->base, VIRTIO_MMIO_QUEUE_NUM, size);
    wr(d->base, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)pa);
    wr(d->base, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(pa >> 32));
    wr(d->base, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)avail_pa);
    wr(d->base, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, (uint32_t)(avail_pa >> 32));
    wr(d->base, VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)used_pa);
    wr(d->base, VIRTIO_MMIO_QUEUE_USED_HIGH, (uint32_t)(used_pa >> 32));
    wr(d->base, VIRTIO_MMIO_QUEUE_READY, 1);
    return 0;
}

void virtio_ready_ok(struct virtio_dev *d)
{
    set_status(d, VIRTIO_STATUS_DRIVER_OK);
}

uint32_t virtio_config32(const struct virtio_dev *d, unsigned off)
{
    return rd(d->base, VIRTIO_MMIO_CONFIG + off);
}

uint8_t virtio_config8(const struct virtio_dev *d, unsigned off)
{
    return *(volatile uint8_t *)(d->base + VIRTIO_MMIO_CONFIG + off);
}

void virtq_publish(struct virtq *q, uint16_t head)
{
    q->avail[2 + (q->avail_idx % q->size)] = head;
    q->avail_idx++;
    /* The ring entry before the index the device reads it through. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    q->avail[1] = q->avail_idx;
}

void virtq_notify(struct virtio_dev *d, struct virtq *q)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    wr(d->base, VIRTIO_MMIO_QUEUE_NOTIFY, q->index);
}

int virtq_pending(const struct virtq *q)
{
    return q->used[1] != q->used_seen;
}

int virtq_take(struct virtq *q, struct vring_used_elem *out)
{
    if (q->used[1] == q->used_seen)
        return 0;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    volatile struct vring_used_elem *e =
        (volatile struct vring_used_elem *)(q->used + 2) + (q->used_seen % q->size);
    out->id = e->id;
    out->len = e->len;
    q->used_seen++;
    return 1;
}

struct slot {
    int (*has_work)(void *ctx);
    void *ctx;
};

static struct slot slots[MAX_HANDLES];

int virtio_handle_alloc(int (*has_work)(void *ctx), void *ctx)
{
    for (int h = 0; h < MAX_HANDLES; h++)
        if (!slots[h].has_work) {
            slots[h] = (struct slot){ has_work, ctx };
            return h;
        }
    return -1;
}

void *virtio_handle_ctx(unik_handle_t h, int (*has_work)(void *ctx))
{
    if (h >= MAX_HANDLES || slots[h].has_work != has_work)
        return 0;
    return slots[h].ctx;
}

unik_handle_set_t virtio_ready(void)
{
    unik_handle_set_t set = 0;
    for (int h = 0; h < MAX_HANDLES; h++)
        if (slots[h].has_work && slots[h].has_work(slots[h].ctx))
            set |= 1ull << h;
    return set;
}
