/*
 * gnttab.c — grant table v1: the pages this guest lets its backends use.
 *
 * On the embedded runner the guest gives its own pages for the table
 * (XENMEM_add_to_physmap, XENMAPSPACE_grant_table, as an HVM guest does);
 * on Xen PV, GNTTABOP_setup_table returns machine frames that we map into
 * a reserved virtual range. Free references are kept on a stack; the first
 * GNTTAB_NR_RESERVED belong to the toolstack.
 */
#include <unik/kernel.h>
#include "dev.h"
#include "hypercall.h"
#include "pv.h"

#define GNT_FRAMES 4
#define GNT_ENTRIES (GNT_FRAMES * 4096 / sizeof(struct xen_grant_entry_v1))

static volatile struct xen_grant_entry_v1 *table;
static uint16_t free_refs[GNT_ENTRIES];
static unsigned nr_free;
/* Xen PV: where the table's machine frames are mapped (the RAM pages under
 * this array are given up for it). */
static uint8_t xen_table_area[GNT_FRAMES][4096] __attribute__((aligned(4096)));

static long grant_table_op(unsigned cmd, void *arg, unsigned count)
{
    return xen_hypercall3(HC_grant_table_op, cmd, (uint64_t)arg, count);
}

static int map_on_runner(void)
{
    uint64_t pa = page_alloc(GNT_FRAMES);
    if (!pa)
        return -1;
    for (unsigned i = 0; i < GNT_FRAMES; i++) {
        struct xen_add_to_physmap x = { .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
                                        .idx = i, .gpfn = (pa >> 12) + i };
        if (xen_hypercall2(HC_memory_op, XENMEM_add_to_physmap, (uint64_t)&x))
            return -1;
    }
    table = (volatile struct xen_grant_entry_v1 *)(uintptr_t)pa;
    return 0;
}

static int map_on_xen(void)
{
    uint64_t frames[GNT_FRAMES];
    struct xen_gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = GNT_FRAMES,
                                         .frame_list = frames };
    if (grant_table_op(GNTTABOP_setup_table, &st, 1) || st.status)
        return -1;
    for (unsigned i = 0; i < GNT_FRAMES; i++) {
        uint64_t va = (uint64_t)(uintptr_t)xen_table_area[i];
        if (HYPERVISOR_update_va_mapping(va, (frames[i] << 12) | 0x67, UVMF_INVLPG))
            return -1;
    }
    table = (volatile struct xen_grant_entry_v1 *)(uintptr_t)xen_table_area;
    return 0;
}

int gnttab_init(void)
{
    if (table)
        return 0;
    if (!dev_platform_ok())
        return -1;
    if ((pv_on_runner() ? map_on_runner() : map_on_xen()) != 0) {
        kprintf("unik: grant table: the host refused to set it up\n");
        table = 0;
        return -1;
    }
    nr_free = 0;
    for (unsigned r = GNT_ENTRIES; r-- > GNTTAB_NR_RESERVED;)
        free_refs[nr_free++] = (uint16_t)r;
    return 0;
}

int gnttab_grant(domid_t dom, uint64_t pa, int readonly)
{
    if (gnttab_init() || nr_free == 0)
        return -1;
    grant_ref_t ref = free_refs[--nr_free];
    table[ref].frame = (uint32_t)pv_pfn_to_mfn(pa >> 12);
    table[ref].domid = dom;
    /* The backend may look at flags as soon as they are set: frame and
     * domain first. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    table[ref].flags = (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0));
    return (int)ref;
}

void gnttab_end(grant_ref_t ref)
{
    if (!table || ref < GNTTAB_NR_RESERVED || ref >= GNT_ENTRIES)
        return;
    /* Only a grant the backend is not using can be revoked; ours end after
     * the device is closed, so one attempt is enough. */
    uint16_t flags = table[ref].flags;
    if (flags & (GTF_reading | GTF_writing))
        return;                                 /* leaked rather than reused while busy */
    if (!__atomic_compare_exchange_n(&table[ref].flags, &flags, 0, 0, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST))
        return;
    free_refs[nr_free++] = (uint16_t)ref;
}
