/*
 * pv_mmu.c — page-table changes after boot, through HYPERVISOR_mmu_update.
 *
 * As on Xen, the page tables are read-only to us (on the runner too) and
 * change only through mmu_update; a page becomes a table only while no
 * writable mapping of it exists. A change walks the tables from
 * start_info.pt_base, adds a missing table where needed (tables come from
 * the core's page allocator, zeroed, made read-only before they are
 * linked), queues leaf updates and sends them in batches; the last batch
 * goes in one multicall with the TLB flush, so a typical call costs one
 * exit.
 *
 * On the runner the boot tables map RAM with 2 MiB pages: a change inside
 * one splits it into a 4 KiB table first. A table page that lies in a
 * 2 MiB page itself splits that page, mapping itself read-only (no other
 * page could be made read-only without a table). Links queued but not yet
 * sent are remembered (`links`), so that a walk sees them; on Xen each
 * link is sent at once.
 */
#include <unik/kernel.h>
#include <unik/plat.h>
#include "hypercall.h"
#include "pv.h"

#define PTE_P      (1ull << 0)
#define PTE_W      (1ull << 1)
#define PTE_U      (1ull << 2)
#define PTE_A      (1ull << 5)
#define PTE_D      (1ull << 6)
#define PTE_PS     (1ull << 7)
#define PTE_ADDR   0x000ffffffffff000ull
#define PG         4096ull
#define BATCH      64

static struct xen_mmu_update queue[BATCH];
static unsigned queued;

/* Page-table pages before the core's allocator exists (pv_map_ram_early). */
static uint64_t early_next, early_end;

static uint64_t table_page(void)
{
    if (early_next < early_end) {
        uint64_t pa = early_next;
        early_next += PG;
        for (unsigned i = 0; i < 512; i++)
            ((volatile uint64_t *)(uintptr_t)pa)[i] = 0;
        return pa;
    }
    return page_alloc(1);
}

static int send_queue(int flush)
{
    struct xen_mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
    unsigned done = 0, done_ext = 0;
    struct xen_multicall_entry mc[2] = {
        { .op = HC_mmu_update,
          .args = { (uint64_t)queue, queued, (uint64_t)&done, DOMID_SELF_MMU } },
        { .op = HC_mmuext_op,
          .args = { (uint64_t)&op, 1, (uint64_t)&done_ext, DOMID_SELF_MMU } },
    };
    struct xen_multicall_entry *first = queued ? &mc[0] : &mc[1];
    unsigned n = (queued ? 1u : 0u) + (flush ? 1u : 0u);
    queued = 0;
    if (n == 0)
        return 0;
    long rc = HYPERVISOR_multicall(first, n);
    if (rc)
        return (int)rc;
    for (unsigned i = 0; i < n; i++)
        if ((long)first[i].result < 0)
            return (int)(long)first[i].result;
    return 0;
}

/* The machine address of a page-table entry we see at virtual address va. */
static uint64_t entry_maddr(volatile uint64_t *entry)
{
    uint64_t va = (uint64_t)(uintptr_t)entry;
    return (pv_pfn_to_mfn(va >> 12) << 12) | (va & (PG - 1));
}

/* The table an entry points at, as we see it (pseudo-physical == virtual). */
static volatile uint64_t *entry_table(uint64_t e)
{
    return (volatile uint64_t *)(uintptr_t)(pv_mfn_to_pfn((e & PTE_ADDR) >> 12) << 12);
}

/* Links queued but not sent: a walk must see them before Xen/the runner does. */
#define LINKS 8
static struct { volatile uint64_t *entry; uint64_t val; } links[LINKS];
static unsigned nlinks;

static uint64_t entry_value(volatile uint64_t *entry)
{
    for (unsigned i = nlinks; i-- > 0;)
        if (links[i].entry == entry)
            return links[i].val;
    return *entry;
}

/* The L2 entry over RAM address pa on the runner (RAM is identity-mapped
 * there, so its L4/L3 tables always exist). */
static volatile uint64_t *ram_l2_entry(uint64_t pa)
{
    volatile uint64_t *l4 = (volatile uint64_t *)(uintptr_t)xen_start->pt_base;
    volatile uint64_t *l3 = entry_table(entry_value(&l4[(pa >> 39) & 511]));
    return &entry_table(entry_value(&l3[(pa >> 30) & 511]))[(pa >> 21) & 511];
}

static int flush_queue(int flush)
{
    nlinks = 0;
    return send_queue(flush);
}

static int queue_update(volatile uint64_t *entry, uint64_t val)
{
    queue[queued].ptr = entry_maddr(entry) | MMU_NORMAL_PT_UPDATE;
    queue[queued].val = val;
    queued++;
    return queued == BATCH ? flush_queue(0) : 0;
}

/* Queue a link to a new table; the walk sees it through entry_value. */
static int queue_link(volatile uint64_t *entry, uint64_t val)
{
    if (nlinks == LINKS || queued + 1 == BATCH) {
        int rc = flush_queue(0);
        if (rc)
            return rc;
    }
    queue[queued].ptr = entry_maddr(entry) | MMU_NORMAL_PT_UPDATE;
    queue[queued].val = val;
    queued++;
    links[nlinks].entry = entry;
    links[nlinks].val = val;
    nlinks++;
    return 0;
}

/* The 512 entries of the 2 MiB page `e` (a PS entry) as a 4 KiB table at pa. */
static void fill_split(uint64_t pa, uint64_t e)
{
    uint64_t base = e & PTE_ADDR & ~((2ull << 20) - 1);
    uint64_t flags = (e & (PTE_P | PTE_W | PTE_U)) | PTE_A;
    uint64_t *t = (uint64_t *)(uintptr_t)pa;
    for (unsigned i = 0; i < 512; i++)
        t[i] = (base + i * PG) | flags;
    if ((pa & ~((2ull << 20) - 1)) == base)
        t[(pa - base) / PG] &= ~PTE_W;          /* the table maps itself read-only */
}

/*
 * A page for a new table, read-only (the update queued) and not linked:
 * zeroed, or when split_entry is given the 4 KiB table of its 2 MiB page.
 * Returns 0 when memory ran out or an update failed; *linked says the
 * page was linked at split_entry already (it split its own 2 MiB page).
 */
static uint64_t new_table(volatile uint64_t *split_entry, int *linked)
{
    *linked = 0;
    for (;;) {
        uint64_t pa = table_page();
        if (!pa)
            return 0;
        if (!pv_on_runner()) {
            /* Xen takes a page as a page table only when no writable mapping
             * of it exists: make ours read-only first (Xen maps 4 KiB pages). */
            uint64_t mfn = pv_pfn_to_mfn(pa >> 12);
            if (HYPERVISOR_update_va_mapping(pa, (mfn << 12) | PTE_P | PTE_U | PTE_A,
                                             UVMF_INVLPG))
                return 0;
            return pa;
        }
        /* The runner: RAM is identity-mapped, and the walk is ours. */
        volatile uint64_t *l2e = ram_l2_entry(pa);
        uint64_t e = entry_value(l2e);
        if (e & PTE_PS) {
            /* Its 2 MiB page: split that, with this page as the table. */
            fill_split(pa, e);
            if (queue_link(l2e, pa | PTE_P | PTE_W | PTE_U | PTE_A))
                return 0;
            if (l2e == split_entry) {
                *linked = 1;
                return pa;
            }
            continue;                           /* used up: take another page */
        }
        if (split_entry)
            fill_split(pa, entry_value(split_entry));
        volatile uint64_t *l1 = entry_table(e);
        if (queue_update(&l1[(pa >> 12) & 511], pa | PTE_P | PTE_U | PTE_A))
            return 0;
        return pa;
    }
}

/* The next-level table under *entry, made (or split from a 2 MiB page) if
 * needed. Returns NULL when memory ran out or an update failed. */
static volatile uint64_t *next_table(volatile uint64_t *entry, int level)
{
    uint64_t e = entry_value(entry);
    if ((e & PTE_P) && !(e & PTE_PS))
        return entry_table(e);
    int split = (e & PTE_P) && (e & PTE_PS) && level == 2;   /* only the runner maps 2 MiB */
    int linked;
    uint64_t pa = new_table(split ? entry : 0, &linked);
    if (!pa)
        return 0;
    if (!linked) {
        uint64_t mfn = pv_pfn_to_mfn(pa >> 12);
        if (queue_link(entry, (mfn << 12) | PTE_P | PTE_W | PTE_U | PTE_A))
            return 0;
    }
    /* Off the runner the walk reads tables Xen has not written yet: send now. */
    if (!pv_on_runner() && flush_queue(1))
        return 0;
    return (volatile uint64_t *)(uintptr_t)pa;
}

/*
 * Tables that a 2 MiB page replaced: freed once the TLB flush that ends the
 * change has been sent (until then the TLB may still walk them).
 */
#define DEAD_MAX 16
static uint64_t dead[DEAD_MAX];
static unsigned ndead;

static int free_dead(void)
{
    int rc = flush_queue(1);
    if (rc || ndead == 0) {
        ndead = 0;
        return rc;
    }
    /* A table was mapped read-only (the rule for page tables); unlinked now,
     * it is a plain page again and is mapped writable before it is reused. */
    for (unsigned i = 0; i < ndead && !rc; i++) {
        uint64_t pa = dead[i];
        uint64_t e = entry_value(ram_l2_entry(pa));
        if (!(e & PTE_PS))
            rc = queue_update(&entry_table(e)[(pa >> 12) & 511],
                              (pv_pfn_to_mfn(pa >> 12) << 12) | PTE_P | PTE_W | PTE_U |
                              PTE_A | PTE_D);
    }
    if (!rc)
        rc = flush_queue(1);
    if (!rc)
        for (unsigned i = 0; i < ndead; i++)
            page_free(dead[i], 1);
    ndead = 0;
    return rc;
}

/*
 * On the runner a whole, aligned 2 MiB is one PDE (Xen gives PV guests no
 * 2 MiB pages): one entry to write instead of 512, and KVM's shadow paging
 * takes one fault for its first touch instead of one per 4 KiB page.
 */
static int map_large(volatile uint64_t *pde, uint64_t pa, unsigned prot)
{
    uint64_t old = *pde;
    uint64_t val = 0;
    if (prot != PLAT_PROT_NONE)
        val = (pv_pfn_to_mfn(pa >> 12) << 12) | PTE_P | PTE_U | PTE_A | PTE_PS |
              ((prot & PLAT_PROT_WRITE) ? PTE_W | PTE_D : 0);
    int rc = queue_update(pde, val);
    if (!rc && (old & PTE_P) && !(old & PTE_PS)) {
        if (ndead == DEAD_MAX && (rc = free_dead()) != 0)
            return rc;
        dead[ndead++] = pv_mfn_to_pfn((old & PTE_ADDR) >> 12) << 12;
    }
    return rc;
}

int pv_map_pages(uint64_t va, uint64_t pa, size_t n, unsigned prot)
{
    if ((va | pa) & (PG - 1))
        return -XEN_EINVAL;
    volatile uint64_t *l4 = (volatile uint64_t *)(uintptr_t)xen_start->pt_base;   /* a VA */
    const uint64_t large = 2ull << 20;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = va + i * PG;
        volatile uint64_t *l3 = next_table(&l4[(v >> 39) & 511], 4);
        volatile uint64_t *l2 = l3 ? next_table(&l3[(v >> 30) & 511], 3) : 0;
        if (l2 && pv_on_runner() && !((v | (pa + i * PG)) & (large - 1)) &&
            n - i >= large / PG) {
            int rc = map_large(&l2[(v >> 21) & 511], pa + i * PG, prot);
            if (rc)
                return rc;
            i += large / PG - 1;
            continue;
        }
        volatile uint64_t *l1 = l2 ? next_table(&l2[(v >> 21) & 511], 2) : 0;
        if (!l1) {
            queued = 0;
            nlinks = 0;
            return -12; /* ENOMEM */
        }
        uint64_t pte = 0;
        if (prot != PLAT_PROT_NONE)
            pte = (pv_pfn_to_mfn((pa + i * PG) >> 12) << 12) | PTE_P | PTE_U | PTE_A |
                  ((prot & PLAT_PROT_WRITE) ? PTE_W | PTE_D : 0);
        int rc = queue_update(&l1[(v >> 12) & 511], pte);
        if (rc)
            return rc;
    }
    return free_dead();
}

/*
 * Xen maps only the boot region (rounded up to 4 MiB) for a PV guest; map
 * the rest of RAM at its pseudo-physical address before the core starts, as
 * the runner's boot tables do. Tables come from [*free, limit) (mapped,
 * unused RAM); *free moves past them. Returns 0 or a negative errno.
 */
int pv_map_ram_early(uint64_t mapped_end, uint64_t ram_end, uint64_t *free, uint64_t limit)
{
    if (ram_end <= mapped_end)
        return 0;
    uint64_t span = ram_end - mapped_end;
    uint64_t tables = (span >> 21) + (span >> 30) + 4;
    if (*free + tables * PG > limit)
        return -12; /* ENOMEM */
    early_next = *free;
    early_end = *free + tables * PG;
    int rc = pv_map_pages(mapped_end, mapped_end, span / PG,
                          PLAT_PROT_READ | PLAT_PROT_WRITE | PLAT_PROT_EXEC);
    *free = early_next;
    early_next = early_end = 0;
    return rc;
}
