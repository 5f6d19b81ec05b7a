/*
 * pv_events.c — event channels, polled with events masked (no upcalls), and
 * unik_yield: a single-shot timer bound to VIRQ_TIMER plus SCHEDOP_poll on
 * it and on every device's port (pv_devices.c).
 */
#include "dev.h"
#include "hypercall.h"
#include "pv.h"

static uint32_t timer_port;
static int timer_bound;

void pv_events_init(void)
{
    /* Mask upcalls: this core takes no event callbacks. */
    xen_shared->vcpu_info[0].evtchn_upcall_mask = 1;
}

/* VIRQ_TIMER is bound on the first yield that needs it (a guest that never
 * waits never pays the exit). */
static void bind_timer(void)
{
    struct xen_evtchn_bind_virq bind = { .virq = VIRQ_TIMER, .vcpu = 0, .port = 0 };
    timer_bound = 1;
    if (HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bind) == 0)
        timer_port = bind.port;
}

int pv_evtchn_test_and_clear(uint32_t port)
{
    volatile uint64_t *word = &xen_shared->evtchn_pending[port / 64];
    uint64_t bit = 1ull << (port % 64);
    return (__atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST) & bit) != 0;
}

void pv_evtchn_notify(uint32_t port)
{
    struct xen_evtchn_port send = { .port = port };
    HYPERVISOR_event_channel_op(EVTCHNOP_send, &send);
}

static unik_handle_set_t wait_events(unik_time_t deadline);

/* A stdin answer ends the wait it was asked for, not later ones
 * (pv_stdin.c): a wait that could sleep ends that interest; a look (a
 * deadline already past, as the network stack spins with) does not. */
unik_handle_set_t pv_yield(unik_time_t deadline)
{
    int sleeps = deadline > pv_clock_monotonic();
    unik_handle_set_t ready = wait_events(deadline);
    if (sleeps)
        pv_stdin_disarm();
    return ready;
}

static unik_handle_set_t wait_events(unik_time_t deadline)
{
    /* On the runner the console notify rides in the poll's multicall. */
    if (!pv_on_runner())
        pv_console_flush();
    for (;;) {
        /* Devices with work for the application end the wait at once. */
        unik_handle_set_t ready = dev_ready();
        if (ready) {
            pv_console_flush();
            return ready;
        }
        unik_time_t now = pv_clock_monotonic();
        if (now >= deadline) {
            pv_console_flush();                 /* no-op unless still dirty */
            return 0;
        }
        if (!timer_bound)
            bind_timer();
        pv_evtchn_test_and_clear(timer_port);
        struct xen_vcpu_singleshot_timer t = { .timeout_abs_ns = deadline, .flags = 0 };
        uint32_t ports[65] = { timer_port };
        unsigned nr = 1 + dev_ports(ports + 1, 64);
        struct xen_sched_poll poll = { .ports = ports, .nr_ports = nr, .timeout = 0 };
        if (timer_port == 0) {
            pv_console_flush();
            HYPERVISOR_sched_op(SCHEDOP_yield, 0);
            continue;
        }
        if (pv_on_runner()) {
            /* Timer and poll in one exit. (On Xen a blocking call inside a
             * multicall is best avoided: two calls there.) */
            struct xen_evtchn_port send = { .port = pv_console_take_notify() };
            struct xen_multicall_entry mc[3] = {
                { .op = HC_event_channel_op, .args = { EVTCHNOP_send, (uint64_t)&send } },
                { .op = HC_vcpu_op,
                  .args = { VCPUOP_set_singleshot_timer, 0, (uint64_t)&t } },
                { .op = HC_sched_op, .args = { SCHEDOP_poll, (uint64_t)&poll } },
            };
            if (send.port)
                HYPERVISOR_multicall(mc, 3);
            else
                HYPERVISOR_multicall(mc + 1, 2);
        } else if (HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t) == 0) {
            HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
        } else {
            HYPERVISOR_sched_op(SCHEDOP_yield, 0);
            continue;
        }
        pv_evtchn_test_and_clear(timer_port);
    }
}
