/*
 * pv_console.c — the Xen PV console ring (xen/io/console.h).
 *
 * Bytes go straight into the ring's out[] buffer; the backend is notified
 * through the console event channel once per flush (or when the ring is
 * full), never per byte. A domain without a ring (dom0) uses console_io.
 */
#include "hypercall.h"
#include "pv.h"

static volatile struct xen_cons_ring *ring;
static uint32_t cons_port;
static int cons_dirty;

#define RING_OUT_SIZE sizeof(((struct xen_cons_ring *)0)->out)

void pv_console_init(const struct xen_start_info *si)
{
    if (!(si->flags & SIF_INITDOMAIN) && si->console_mfn) {
        ring = (volatile struct xen_cons_ring *)(uintptr_t)(pv_mfn_to_pfn(si->console_mfn) << 12);
        cons_port = si->console_evtchn;
    }
}

static void cons_notify(void)
{
    pv_evtchn_notify(cons_port);
    cons_dirty = 0;
}

void pv_console_write(const char *buf, size_t len)
{
    if (!ring) {
        while (len) {
            int n = len > 4096 ? 4096 : (int)len;
            HYPERVISOR_console_io(CONSOLEIO_write, n, buf);
            buf += n;
            len -= (size_t)n;
        }
        return;
    }
    while (len) {
        uint32_t cons = ring->out_cons;
        uint32_t prod = ring->out_prod;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        uint32_t used = prod - cons;
        if (used >= RING_OUT_SIZE) {
            /* Full (or the backend left it in a state we cannot use):
             * hand it over and give the backend a chance to drain. */
            cons_notify();
            if (ring->out_cons == cons)
                HYPERVISOR_sched_op(SCHEDOP_yield, 0);
            continue;
        }
        size_t n = RING_OUT_SIZE - used;
        if (n > len)
            n = len;
        for (size_t i = 0; i < n; i++)
            ring->out[(prod + i) & (RING_OUT_SIZE - 1)] = buf[i];
        __atomic_thread_fence(__ATOMIC_RELEASE);
        ring->out_prod = prod + (uint32_t)n;
        cons_dirty = 1;
        buf += n;
        len -= n;
    }
}

void pv_console_flush(void)
{
    if (ring && cons_dirty)
        cons_notify();
}

uint32_t pv_console_take_notify(void)
{
    if (!ring || !cons_dirty)
        return 0;
    cons_dirty = 0;
    return cons_port;
}
