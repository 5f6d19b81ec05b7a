/*
 * pv_plat.c — the xen-pv platform's ops table, exit and TLS base.
 */
#include <unik/plat.h>
#include "dev.h"
#include "hypercall.h"
#include "pv.h"

/*
 * The last console notify, shutdown_code and shutdown go in one multicall:
 * one exit for the whole way out. shutdown_code carries the exit status to
 * the runner only: on Xen it sets the shutdown *reason* that the following
 * SCHEDOP_shutdown then reports (status 1 would read as "reboot"), so there
 * the reason alone says poweroff or crash.
 */
void (*dev_exit_quiesce)(void);

/* Where a domU on real Xen leaves its exit status (relative to
 * /local/domain/<domid>, in `data`, which xl lets the guest write). */
#define EXIT_STATUS_KEY "data/unik/exit-status"
#define EXIT_STORE_WAIT_NS 1000000000ll

__attribute__((noreturn)) void pv_exit(int status)
{
    /* Writes still queued reach the backend's disk before the domain goes
     * (the runner drains the ring anyway; Xen's toolstack would not). */
    if (dev_exit_quiesce && status != UNIK_EXIT_CRASH && status != UNIK_EXIT_ABORT)
        dev_exit_quiesce();
    struct xen_evtchn_port send = { .port = pv_console_take_notify() };
    struct xen_sched_shutdown code = { .reason = (uint32_t)status };
    struct xen_sched_shutdown sd = {
        .reason = (status == UNIK_EXIT_CRASH || status == UNIK_EXIT_ABORT)
                      ? SHUTDOWN_crash : SHUTDOWN_poweroff,
    };
    struct xen_multicall_entry mc[3] = {
        { .op = HC_event_channel_op, .args = { EVTCHNOP_send, (uint64_t)&send } },
        { .op = HC_sched_op, .args = { SCHEDOP_shutdown_code, (uint64_t)&code } },
        { .op = HC_sched_op, .args = { SCHEDOP_shutdown, (uint64_t)&sd } },
    };
    if (!pv_on_runner()) {
        /* Xen passes on poweroff or crash, not the status: say it as the
         * last console line, where `xl console` and logs show it, and (a
         * domU) in xenstore, EXIT_STATUS_KEY under the domain's home, for
         * the toolstack. dom0 has no store (dev_platform_ok); a slow or
         * dead store is given EXIT_STORE_WAIT_NS, never more. */
        char line[40] = "unik: exit status ";
        size_t k = 18;
        unsigned v = (unsigned)status, div = 1;
        while (v / div >= 10)
            div *= 10;
        for (; div; div /= 10)
            line[k++] = (char)('0' + v / div % 10);
        line[k] = 0;
        static int exiting;                     /* an exit from inside the store client */
        if (!exiting++ && dev_platform_ok())
            xs_write_by(EXIT_STATUS_KEY, line + 18, pv_clock_monotonic() + EXIT_STORE_WAIT_NS);
        line[k++] = '\n';
        pv_console_write(line, k);
        send.port = pv_console_take_notify();
    }
    struct xen_multicall_entry *first = send.port ? mc : mc + 1;
    unsigned n = send.port ? 3 : 2;
    if (!pv_on_runner()) {
        mc[1] = mc[2];                          /* drop shutdown_code */
        n--;
    }
    HYPERVISOR_multicall(first, n);
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
}

static void pv_set_fs_base(uint64_t base)
{
    /* The runner lets CPL3 write the FS base itself (no exit); real Xen
     * PV does it through the hypercall. */
    if (xen_start->flags & SIF_UNIK_WRFSBASE)
        __asm__ volatile("wrfsbase %0" : : "r"(base) : "memory");
    else
        HYPERVISOR_set_segment_base(SEGBASE_FS, base);
}

/* RAM past the boot region, on a runner that hands it to KVM as the guest
 * reaches it (SIF_UNIK_POPULATE): XENMEM_populate_physmap, 2 MiB extents. */
static int pv_populate(uint64_t start, uint64_t end)
{
    if (!(xen_start->flags & SIF_UNIK_POPULATE))
        return 0;
    uint64_t pfns[64];
    if (start < UNIK_POPULATED_AT_BOOT)
        start = UNIK_POPULATED_AT_BOOT;
    start &= ~((2ull << 20) - 1);
    while (start < end) {
        unsigned n = 0;
        for (; n < 64 && start < end; n++, start += 2ull << 20)
            pfns[n] = start >> 12;
        struct xen_memory_reservation r = {
            .extent_start = (uint64_t)(uintptr_t)pfns, .nr_extents = n, .extent_order = 9,
            .domid = DOMID_SELF_MMU,
        };
        if (xen_hypercall2(HC_memory_op, XENMEM_populate_physmap, (uint64_t)(uintptr_t)&r) != n)
            return -12;         /* ENOMEM */
    }
    return 0;
}

const struct plat_ops xen_pv_ops = {
    .name = "xen-pv",
    .console_write = pv_diag_write,
    .console_flush = pv_console_flush,
    .clock_monotonic = pv_clock_monotonic,
    .clock_wall = pv_clock_wall,
    .yield = pv_yield,
    .exit = pv_exit,
    .set_fs_base = pv_set_fs_base,
    .map_pages = pv_map_pages,
    .populate = pv_populate,
    .stream_write = pv_stream_write,
    .stream_tty = pv_stream_tty,
    .stdin_read = pv_stdin_read,
    .stdin_ready = pv_stdin_ready,
};
