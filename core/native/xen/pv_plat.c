/*
 * pv_plat.c — the xen-pv platform's ops table, exit and TLS base.
 */
#include <unik/plat.h>
#include "hypercall.h"
#include "pv.h"

__attribute__((noreturn)) void pv_exit(int status)
{
    pv_console_flush();
    struct xen_sched_shutdown code = { .reason = (uint32_t)status };
    HYPERVISOR_sched_op(SCHEDOP_shutdown_code, &code);
    struct xen_sched_shutdown sd = {
        .reason = (status == UNIK_EXIT_CRASH || status == UNIK_EXIT_ABORT)
                      ? SHUTDOWN_crash : SHUTDOWN_poweroff,
    };
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

const struct plat_ops xen_pv_ops = {
    .name = "xen-pv",
    .console_write = pv_console_write,
    .console_flush = pv_console_flush,
    .clock_monotonic = pv_clock_monotonic,
    .clock_wall = pv_clock_wall,
    .yield = pv_yield,
    .exit = pv_exit,
    .set_fs_base = pv_set_fs_base,
    .map_pages = pv_map_pages,
};
