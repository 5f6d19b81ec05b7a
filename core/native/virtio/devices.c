/*
 * devices.c — unik.h's device calls, routed to the active platform's
 * drivers: virtio (this folder) on pvh-bare (QEMU microvm), the Xen
 * front-ends (xen/blkfront.c, xen/netfront.c) on xen-pv (the embedded
 * runner, Xen). The front-ends are compiled with their entry points renamed
 * xen_block_* / xen_net_* / xen_netdev_config (core/toolchain/corelib.py,
 * FRONTEND_NAMES), so both drivers sit in every image and the platform the
 * loader booted picks one at run time.
 */
#include <unik/kernel.h>
#include <unik/netdev.h>
#include "../arch/x86_64/pvh.h"
#include "virtio.h"

unik_result_t xen_block_acquire(const char *name, unik_handle_t *handle,
                                struct unik_block_info *info);
unik_result_t xen_block_read(unik_handle_t h, uint64_t offset, uint8_t *buf, size_t size);
unik_result_t xen_block_write(unik_handle_t h, uint64_t offset, const uint8_t *buf,
                              size_t size);
unik_result_t xen_block_flush(unik_handle_t h);
unik_result_t xen_net_acquire(const char *name, unik_handle_t *handle,
                              struct unik_net_info *info);
unik_result_t xen_net_write(unik_handle_t h, const uint8_t *buf, size_t size);
unik_result_t xen_net_read(unik_handle_t h, uint8_t *buf, size_t size, size_t *read_size);
int xen_netdev_config(const char *name, const char *key, char *buf, size_t size);

static int on_virtio(void)
{
    return plat == &pvh_ops;
}

unik_result_t unik_block_acquire(const char *name, unik_handle_t *handle,
                                 struct unik_block_info *info)
{
    return on_virtio() ? virtio_block_acquire(name, handle, info)
                       : xen_block_acquire(name, handle, info);
}

unik_result_t unik_block_read(unik_handle_t h, uint64_t offset, uint8_t *buf, size_t size)
{
    return on_virtio() ? virtio_block_read(h, offset, buf, size)
                       : xen_block_read(h, offset, buf, size);
}

unik_result_t unik_block_write(unik_handle_t h, uint64_t offset, const uint8_t *buf,
                               size_t size)
{
    return on_virtio() ? virtio_block_write(h, offset, buf, size)
                       : xen_block_write(h, offset, buf, size);
}

unik_result_t unik_block_flush(unik_handle_t h)
{
    return on_virtio() ? virtio_block_flush(h) : xen_block_flush(h);
}

unik_result_t unik_net_acquire(const char *name, unik_handle_t *handle,
                               struct unik_net_info *info)
{
    return on_virtio() ? virtio_net_acquire(name, handle, info)
                       : xen_net_acquire(name, handle, info);
}

unik_result_t unik_net_write(unik_handle_t h, const uint8_t *buf, size_t size)
{
    return on_virtio() ? virtio_net_write(h, buf, size) : xen_net_write(h, buf, size);
}

unik_result_t unik_net_read(unik_handle_t h, uint8_t *buf, size_t size, size_t *read_size)
{
    return on_virtio() ? virtio_net_read(h, buf, size, read_size)
                       : xen_net_read(h, buf, size, read_size);
}

int unik_netdev_config(const char *name, const char *key, char *buf, size_t size)
{
    return on_virtio() ? virtio_netdev_config(name, key, buf, size)
                       : xen_netdev_config(name, key, buf, size);
}
