/*
 * pv_start.c — from Xen's start_info to the core's boot record.
 *
 * Xen's PV layout (xen/xen.h, "start of day"): image, module, p2m list,
 * start_info, xenstore page, console page, boot page tables, boot stack, all
 * page aligned and in that order, at least 512 KiB of mapped padding after
 * them. Free RAM starts after the last of these.
 */
#include <unik/plat.h>
#include "hypercall.h"
#include "pv.h"

struct xen_start_info *xen_start;
volatile struct xen_shared_info *xen_shared;

static struct plat_boot pv_boot;
static char pv_cmdline[sizeof(((struct xen_start_info *)0)->cmd_line)];

#define PV_PAGE 4096ull
#define PV_NULL_GUARD (64 * 1024)       /* as pvh-bare: NULL + small offsets fault */

static uint64_t page_up(uint64_t a)
{
    return (a + PV_PAGE - 1) & ~(PV_PAGE - 1);
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

int pv_on_runner(void)
{
    return (xen_start->flags & SIF_UNIK_RUNNER) != 0;
}

uint64_t pv_pfn_to_mfn(uint64_t pfn)
{
    if (pv_on_runner())
        return pfn;
    return ((const uint64_t *)(uintptr_t)xen_start->mfn_list)[pfn];
}

uint64_t pv_mfn_to_pfn(uint64_t mfn)
{
    if (pv_on_runner())
        return mfn;
    return ((const volatile uint64_t *)(uintptr_t)XEN_M2P_VIRT_START)[mfn];
}

/* Where Xen's shared_info (a machine frame outside our RAM) is mapped. */
static uint8_t pv_shared_page[PV_PAGE] __attribute__((aligned(4096)));

static volatile struct xen_shared_info *map_shared_info(const struct xen_start_info *si)
{
    /* The runner places it inside identity-mapped RAM. */
    if (si->flags & SIF_UNIK_RUNNER)
        return (volatile struct xen_shared_info *)si->shared_info;
    uint64_t va = (uint64_t)(uintptr_t)pv_shared_page;
    uint64_t pte = (si->shared_info & ~(PV_PAGE - 1)) | 0x67;  /* P RW U A D */
    if (HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG) != 0)
        HYPERVISOR_sched_op(SCHEDOP_shutdown, &(struct xen_sched_shutdown){ SHUTDOWN_crash });
    return (volatile struct xen_shared_info *)pv_shared_page;
}

__attribute__((noreturn)) void xen_pv_start(struct xen_start_info *si);

__attribute__((noreturn)) void xen_pv_start(struct xen_start_info *si)
{
    xen_start = si;
    xen_shared = map_shared_info(si);
    pv_traps_init();
    pv_console_init(si);
    pv_streams_init(si);
    pv_events_init();

    size_t i;
    for (i = 0; i + 1 < sizeof(pv_cmdline) && si->cmd_line[i]; i++)
        pv_cmdline[i] = si->cmd_line[i];
    pv_cmdline[i] = 0;

    uint64_t ram_end = si->nr_pages * PV_PAGE;
    uint64_t used = (uint64_t)(uintptr_t)si + PV_PAGE;
    if (si->mfn_list)               /* none on the runner (UNIK_ELFNOTE_FLAT_P2M) */
        used = max_u64(used, si->mfn_list + si->nr_pages * sizeof(uint64_t));
    if (!(si->flags & SIF_INITDOMAIN)) {         /* dom0 has neither page */
        if (si->store_mfn)
            used = max_u64(used, (pv_mfn_to_pfn(si->store_mfn) + 1) * PV_PAGE);
        if (si->console_mfn)
            used = max_u64(used, (pv_mfn_to_pfn(si->console_mfn) + 1) * PV_PAGE);
    }
    used = max_u64(used, si->pt_base + si->nr_pt_frames * PV_PAGE);
    if (si->mod_len)
        used = max_u64(used, si->mod_start + si->mod_len);
    used = page_up(used) + PV_PAGE;            /* the boot stack */

    pv_boot.ops = &xen_pv_ops;
    pv_boot.cmdline = pv_cmdline;
    /* The runner maps all RAM; Xen maps the boot region + 512 KiB, rounded
     * up to 4 MiB: we map the rest ourselves (tables from the padding). */
    pv_boot.mapped_end = ram_end;
    pv_boot.ram_zeroed = pv_on_runner();        /* the runner's RAM is a fresh mapping */
    pv_boot.large_pages = pv_on_runner();       /* Xen gives PV guests no 2 MiB pages */
    pv_boot.huge_ram_from = pv_on_runner() ? UNIK_HUGE_PAGES_FROM : 0;
    if (!pv_on_runner()) {
        uint64_t xen_mapped = (used + (512u << 10) + (4u << 20) - 1) & ~((4ull << 20) - 1);
        if (xen_mapped > ram_end)
            xen_mapped = ram_end;
        if (pv_map_ram_early(xen_mapped, ram_end, &used, xen_mapped) != 0)
            pv_boot.mapped_end = xen_mapped;
    }
    pv_boot.nr_ram = 0;
    if (used < ram_end) {
        pv_boot.ram[0].start = used;
        pv_boot.ram[0].end = ram_end;
        pv_boot.nr_ram = 1;
    }
    /* Xen maps the boot region from address 0: without this, a NULL read
     * returns 0 and a NULL write succeeds there, where the runner (which
     * never maps its low pages to the guest) and QEMU fault. */
    pv_boot.null_guard = pv_on_runner() ? 0 : PV_NULL_GUARD;
    uint64_t rings_lo, rings_hi;
    pv_streams_region(&rings_lo, &rings_hi);
    if (rings_hi) {
        pv_boot.reserved[pv_boot.nr_reserved].start = rings_lo;
        pv_boot.reserved[pv_boot.nr_reserved].end = rings_hi;
        pv_boot.nr_reserved++;
    }
    pv_boot.nr_modules = 0;
    if (si->mod_len) {
        pv_boot.modules[0].data = (const void *)si->mod_start;
        pv_boot.modules[0].len = si->mod_len;
        pv_boot.nr_modules = 1;
        if (si->mod_start < PV_NULL_GUARD)
            pv_boot.null_guard = 0;
    }
    core_main(&pv_boot);
}
