/*
 * pv_devices.c — what every frontend shares: the steps of an acquire (the
 * platform is ready, the caller's name picks a device, the backend
 * connects), the device handle table (the bits of unik_yield's ready set),
 * event channels to backends, and waiting on one port.
 */
#include <unik/kernel.h>
#include "dev.h"
#include "hypercall.h"
#include "pv.h"

#define MAX_HANDLES 64
#define CONNECT_NS (10ull * 1000000000ull)

struct dev_slot {
    int used;
    uint32_t port;
    int (*has_work)(void *ctx);
    void *ctx;
};

static struct dev_slot slots[MAX_HANDLES];

int dev_platform_ok(void)
{
    return plat == &xen_pv_ops && xen_start && !(xen_start->flags & SIF_INITDOMAIN);
}

int dev_acquire_ready(void)
{
    return dev_platform_ok() && !xs_init() && !gnttab_init() ? 0 : -1;
}

int dev_name_matches(const char *want, const char *name, const char *fe)
{
    const char *id = fe;
    for (const char *p = fe; *p; p++)
        if (*p == '/')
            id = p + 1;
    return !*want || !kstrcmp(want, name) || !kstrcmp(want, id);
}

static int is_connected(long s)
{
    return s == XenbusStateConnected || s >= XenbusStateClosing;
}

int dev_wait_backend(const char *be, const char *kind, const char *name)
{
    char path[160];
    ksnprintf(path, sizeof path, "%s/state", be);
    long s = xs_wait(path, is_connected, unik_clock_monotonic() + CONNECT_NS);
    if (s == XenbusStateConnected)
        return 0;
    kprintf("unik: %s device %s: the backend did not connect (state %ld)\n", kind, name, s);
    return -1;
}

int dev_handle_alloc(uint32_t port, int (*has_work)(void *ctx), void *ctx)
{
    for (int h = 0; h < MAX_HANDLES; h++)
        if (!slots[h].used) {
            slots[h] = (struct dev_slot){ 1, port, has_work, ctx };
            return h;
        }
    return -1;
}

void *dev_handle_ctx(unik_handle_t h, int (*has_work)(void *ctx))
{
    if (h >= MAX_HANDLES || !slots[h].used || slots[h].has_work != has_work)
        return 0;                       /* not a handle of this kind of device */
    return slots[h].ctx;
}

uint32_t dev_evtchn_alloc(domid_t dom)
{
    struct xen_evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = dom };
    if (HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a))
        return 0;
    return a.port;
}

int dev_evtchn_wait(uint32_t port, unik_time_t deadline)
{
    if (pv_evtchn_test_and_clear(port))
        return 1;
    uint32_t ports[1] = { port };
    struct xen_sched_poll poll = { .ports = ports, .nr_ports = 1, .timeout = deadline };
    HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
    return pv_evtchn_test_and_clear(port);
}

unik_handle_set_t dev_ready(void)
{
    unik_handle_set_t set = 0;
    for (int h = 0; h < MAX_HANDLES; h++) {
        if (!slots[h].used)
            continue;
        pv_evtchn_test_and_clear(slots[h].port);
        if (slots[h].has_work(slots[h].ctx))
            set |= 1ull << h;
    }
    return set;
}

unsigned dev_ports(uint32_t *ports, unsigned max)
{
    unsigned n = 0;
    for (int h = 0; h < MAX_HANDLES && n < max; h++)
        if (slots[h].used)
            ports[n++] = slots[h].port;
    return n;
}
