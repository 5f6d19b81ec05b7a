/*
 * pvh_mmu.c — map_pages for pvh-bare: we own the page tables (4-level, the
 * boot tables of pvh_entry.S at the root). A 2 MiB page is used where the
 * range allows it (va and pa 2 MiB aligned, 512 pages or more); a 2 MiB page
 * that is only partly changed is split into 4 KiB pages first. Page-table
 * pages come from the core's page allocator. The TLB is flushed with invlpg
 * for small changes, by reloading CR3 otherwise (no global pages are used).
 */
#include "pvh.h"
#include <errno.h>
#include <unik/kernel.h>
#include <unik/x86.h>

#define ENTRIES 512
#define VA_LIMIT (1ull << 47)           /* lower canonical half */
#define TABLE_FLAGS (PTE_P | PTE_W)
#define PDE_PAT_LARGE (1ull << 12)      /* PAT bit of a 2 MiB PDE, unused here */
#define FLUSH_ALL_OVER 32               /* pages */

static uint64_t *table(uint64_t entry)
{
    return (uint64_t *)(uintptr_t)(entry & PTE_ADDR_MASK);
}

static uint64_t leaf_flags(unsigned prot)
{
    if (!(prot & (PLAT_PROT_READ | PLAT_PROT_WRITE | PLAT_PROT_EXEC)))
        return 0;
    uint64_t f = PTE_P;
    if (prot & PLAT_PROT_WRITE)
        f |= PTE_W;
    if (!(prot & PLAT_PROT_EXEC) && (rdmsr(MSR_EFER) & EFER_NXE))
        f |= PTE_NX;
    return f;
}

/* The next-level table under *e, created (zeroed) when create is set. */
static uint64_t *next(uint64_t *e, int create, int *err)
{
    if (*e & PTE_P)
        return table(*e);
    if (!create)
        return NULL;
    uint64_t pa = page_alloc(1);
    if (!pa) {
        *err = -ENOMEM;
        return NULL;
    }
    *e = pa | TABLE_FLAGS;
    return table(*e);
}

/* Replace the 2 MiB page of *pde by a table of 512 4 KiB pages, same mapping. */
static int split(uint64_t *pde)
{
    uint64_t pa = page_alloc(1);
    if (!pa)
        return -ENOMEM;
    uint64_t *pt = (uint64_t *)(uintptr_t)pa;
    uint64_t base = *pde & PTE_ADDR_MASK & ~(LARGE_PAGE_SIZE - 1);
    uint64_t flags = *pde & ~PTE_ADDR_MASK & ~PTE_PS & ~PDE_PAT_LARGE;
    for (unsigned i = 0; i < ENTRIES; i++)
        pt[i] = (base + i * PAGE_SIZE) | flags;
    *pde = pa | TABLE_FLAGS;
    return 0;
}

int pvh_map_pages(uint64_t va, uint64_t pa, size_t n, unsigned prot)
{
    if ((va | pa) & (PAGE_SIZE - 1))
        return -EINVAL;
    if (n == 0)
        return 0;
    if (va >= VA_LIMIT || n > (VA_LIMIT - va) / PAGE_SIZE)
        return -EINVAL;

    const uint64_t flags = leaf_flags(prot);
    const int map = flags != 0;
    int err = 0, flush_all = n > FLUSH_ALL_OVER;
    uint64_t end = va + n * PAGE_SIZE;

    while (va < end) {
        uint64_t left = end - va;
        uint64_t *pdpt = next(&pvh_pml4[va >> 39 & 511], map, &err);
        if (!pdpt) {
            if (err)
                break;
            uint64_t skip = ALIGN_UP(va + 1, 1ull << 39) - va;
            va += skip, pa += skip;
            continue;
        }
        uint64_t *pd = next(&pdpt[va >> 30 & 511], map, &err);
        if (!pd) {
            if (err)
                break;
            uint64_t skip = ALIGN_UP(va + 1, 1ull << 30) - va;
            va += skip, pa += skip;
            continue;
        }
        uint64_t *pde = &pd[va >> 21 & 511];
        int whole = !(va & (LARGE_PAGE_SIZE - 1)) && left >= LARGE_PAGE_SIZE;

        if (whole && (!map || !(pa & (LARGE_PAGE_SIZE - 1)))) {
            /* The whole 2 MiB changes: one PDE. */
            uint64_t old = *pde;
            *pde = map ? (pa | flags | PTE_PS) : 0;
            if ((old & PTE_P) && !(old & PTE_PS))
                page_free(old & PTE_ADDR_MASK, 1);
            flush_all = 1;
            va += LARGE_PAGE_SIZE, pa += LARGE_PAGE_SIZE;
            continue;
        }
        if (!(*pde & PTE_P)) {
            if (!map) {
                uint64_t skip = ALIGN_UP(va + 1, LARGE_PAGE_SIZE) - va;
                va += skip, pa += skip;
                continue;
            }
            if (!next(pde, 1, &err))
                break;
        } else if (*pde & PTE_PS) {
            if ((err = split(pde)) != 0)
                break;
            flush_all = 1;
        }
        uint64_t *pt = table(*pde);
        do {
            pt[va >> 12 & 511] = map ? (pa | flags) : 0;
            if (!flush_all)
                invlpg(va);
            va += PAGE_SIZE, pa += PAGE_SIZE;
        } while (va < end && (va & (LARGE_PAGE_SIZE - 1)));
    }
    if (flush_all)
        write_cr3(read_cr3());
    return err;
}
