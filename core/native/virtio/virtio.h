/*
 * virtio.h — virtio 1.x ("modern") devices over the MMIO transport, as QEMU's
 * microvm machine places them: the pvh-bare platform's disks and NICs.
 * Facts restated from the virtio 1.1 specification (sections 2.6 split
 * virtqueues, 4.2.2 MMIO registers, 5.1 network device, 5.2 block device).
 *
 * Polled, not interrupt-driven: the guest core has no interrupts (unik.h),
 * so a driver notifies the device and spins on the used ring, and unik_yield
 * asks each device whether it has work (virtio_ready).
 */
#ifndef UNIK_VIRTIO_H
#define UNIK_VIRTIO_H

#include <stddef.h>
#include <stdint.h>
#include <unik.h>

/* MMIO register offsets (virtio 1.1, 4.2.2). */
#define VIRTIO_MMIO_MAGIC           0x000   /* "virt" */
#define VIRTIO_MMIO_VERSION         0x004   /* 2: modern */
#define VIRTIO_MMIO_DEVICE_ID       0x008
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL       0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX   0x034
#define VIRTIO_MMIO_QUEUE_NUM       0x038
#define VIRTIO_MMIO_QUEUE_READY     0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY    0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK   0x064
#define VIRTIO_MMIO_STATUS          0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW  0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW 0x090
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW  0x0a0
#define VIRTIO_MMIO_QUEUE_USED_HIGH 0x0a4
#define VIRTIO_MMIO_CONFIG          0x100

#define VIRTIO_MAGIC 0x74726976u

#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2

/* Device status bits. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER      2u
#define VIRTIO_STATUS_DRIVER_OK   4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_FAILED      128u

#define VIRTIO_F_VERSION_1 (1ull << 32)

/* Split virtqueue layout (2.6). */
#define VRING_DESC_F_NEXT  1u
#define VRING_DESC_F_WRITE 2u

struct vring_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct vring_used_elem {
    uint32_t id;
    uint32_t len;
};

/* One virtqueue: its three parts in one zeroed, identity-mapped page run. */
struct virtq {
    unsigned index;                     /* the device's queue number */
    uint16_t size;                      /* entries (a power of 2) */
    volatile struct vring_desc *desc;
    volatile uint16_t *avail;           /* flags, idx, ring[size] */
    volatile uint16_t *used;            /* flags, idx, then elems */
    uint16_t avail_idx;                 /* next avail->idx we publish */
    uint16_t used_seen;                 /* used->idx we have consumed up to */
};

/* One virtio-mmio transport with a device behind it. */
struct virtio_dev {
    uintptr_t base;
    uint32_t device_id;
    uint64_t features;                  /* negotiated */
};

/* virtio_mmio.c: the transports that hold a device of type id, in the
 * order QEMU assigns -device options to them; returns how many (<= max). */
unsigned virtio_find(uint32_t id, struct virtio_dev *out, unsigned max);
/* Reset, acknowledge, negotiate: the driver accepts wanted & offered
 * (VERSION_1 is required). Returns 0, or -1 (device marked FAILED). */
int virtio_start(struct virtio_dev *d, uint64_t wanted);
/* Set up queue index with at most max_size entries; 0 or -1. */
int virtio_queue(struct virtio_dev *d, struct virtq *q, unsigned index, uint16_t max_size);
/* DRIVER_OK: the device may now use its queues. */
void virtio_ready_ok(struct virtio_dev *d);
uint32_t virtio_config32(const struct virtio_dev *d, unsigned off);
uint8_t virtio_config8(const struct virtio_dev *d, unsigned off);
/* Publish descriptor chain head in the avail ring (without notifying). */
void virtq_publish(struct virtq *q, uint16_t head);
void virtq_notify(struct virtio_dev *d, struct virtq *q);
/* A used element not yet consumed (then consumed): 1, else 0. */
int virtq_take(struct virtq *q, struct vring_used_elem *out);
/* Is a used element waiting? */
int virtq_pending(const struct virtq *q);

/* The handle table unik_yield reports readiness through (cf. xen/dev.h). */
int virtio_handle_alloc(int (*has_work)(void *ctx), void *ctx);
void *virtio_handle_ctx(unik_handle_t h, int (*has_work)(void *ctx));
/* The ready set of all virtio devices (pvh_yield). */
unik_handle_set_t virtio_ready(void);

/* virtio_blk.c and virtio_net.c: unik.h's device calls on this platform. */
unik_result_t virtio_block_acquire(const char *name, unik_handle_t *handle,
                                   struct unik_block_info *info);
unik_result_t virtio_block_read(unik_handle_t h, uint64_t offset, uint8_t *buf, size_t size);
unik_result_t virtio_block_write(unik_handle_t h, uint64_t offset, const uint8_t *buf,
                                 size_t size);
unik_result_t virtio_block_flush(unik_handle_t h);
unik_result_t virtio_net_acquire(const char *name, unik_handle_t *handle,
                                 struct unik_net_info *info);
unik_result_t virtio_net_write(unik_handle_t h, const uint8_t *buf, size_t size);
unik_result_t virtio_net_read(unik_handle_t h, uint8_t *buf, size_t size, size_t *read_size);
int virtio_netdev_config(const char *name, const char *key, char *buf, size_t size);

#endif /* UNIK_VIRTIO_H */
