/*
 * devices.c — the net calls of unik.h for a core without a network
 * frontend: acquiring fails with UNIK_EUNSPEC ("no such device"), and the
 * other calls, which need a handle, fail with UNIK_EINVAL. All are weak: a
 * device layer (xen/netfront.c) replaces them. Block devices: xen/blkfront.c.
 */
#include <unik/kernel.h>

#define WEAK __attribute__((weak))

WEAK unik_result_t unik_net_acquire(const char *name, unik_handle_t *handle,
                                    struct unik_net_info *info)
{
    (void)name, (void)handle, (void)info;
    return UNIK_EUNSPEC;
}

WEAK unik_result_t unik_net_write(unik_handle_t handle, const uint8_t *buf, size_t size)
{
    (void)handle, (void)buf, (void)size;
    return UNIK_EINVAL;
}

WEAK unik_result_t unik_net_read(unik_handle_t handle, uint8_t *buf, size_t size,
                                 size_t *read_size)
{
    (void)handle, (void)buf, (void)size, (void)read_size;
    return UNIK_EINVAL;
}
