/*
 * pvh_start.c — from the PVH entry to core_main: refuse Xen PVH (not yet
 * supported), bring up the UART and the exception handlers, read the
 * hvm_start_info into a struct plat_boot, calibrate the clock.
 *
 * The hvm_start_info layout (Xen's public arch-x86/hvm/start_info.h) is
 * restated here. Version 1 adds the memory map, which unik needs: RAM is
 * the map's type-1 ranges at or above 1 MiB (below it sit the loader's and
 * firmware's structures). The command line and the modules stay where the
 * loader put them; core_main keeps them out of the page allocator.
 * RAM above 4 GiB (up to 512 GiB) is identity-mapped here with 2 MiB pages,
 * in page directories taken from the first RAM page after the image.
 */
#include "pvh.h"
#include <unik/kernel.h>
#include <unik/x86.h>

#define HVM_START_MAGIC 0x336ec578u
#define E820_RAM 1
#define LOW_MEMORY_END 0x100000ull
#define NULL_GUARD (64 * 1024)          /* unmapped once the boot data is read */
#define IDENTITY_MAPPED (4ull << 30)    /* pvh_entry.S maps the first 4 GiB */
#define GIB (1ull << 30)
#define MAX_MAPPED (512 * GIB)          /* what one PDPT (pvh_pdpt) covers */

struct hvm_start_info {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr;              /* version >= 1 */
    uint32_t memmap_entries;            /* version >= 1 */
    uint32_t reserved;
};

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

struct hvm_memmap_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};

/* Ring 0: the FS base is an MSR. */
static void pvh_set_fs_base(uint64_t base)
{
    wrmsr(MSR_FS_BASE, base);
}

const struct plat_ops pvh_ops = {
    .name = "pvh-bare",
    .console_write = pvh_console_write,
    .console_flush = pvh_console_flush,
    .clock_monotonic = pvh_clock_monotonic,
    .clock_wall = pvh_clock_wall,
    .yield = pvh_yield,
    .exit = pvh_exit,
    .set_fs_base = pvh_set_fs_base,
    .map_pages = pvh_map_pages,
    .stream_write = pvh_stream_write,
    .stream_tty = pvh_stream_tty,
    .stdin_read = pvh_stdin_read,
    .stdin_ready = pvh_stdin_ready,
};

static struct plat_boot boot;

static void add_ram(uint64_t start, uint64_t end)
{
    start = ALIGN_UP(start < LOW_MEMORY_END ? LOW_MEMORY_END : start, PAGE_SIZE);
    end = ALIGN_DOWN(end, PAGE_SIZE);
    if (start >= end)
        return;
    if (boot.nr_ram == PLAT_MAX_MEM_RANGES) {
        kprintf("unik: more than %d RAM ranges; ignoring %#lx-%#lx\n", PLAT_MAX_MEM_RANGES,
                (unsigned long)start, (unsigned long)end);
        return;
    }
    boot.ram[boot.nr_ram++] = (struct plat_mem_range){ start, end };
}

/* What the loader handed over, which nothing may overwrite before core_main. */
static struct plat_mem_range boot_data[4 + UNIK_MAX_MODULES];
static unsigned nr_boot_data;

static void note_boot_data(uint64_t start, uint64_t len)
{
    if (len && nr_boot_data < ARRAY_SIZE(boot_data))
        boot_data[nr_boot_data++] = (struct plat_mem_range){ start, start + len };
}

/* A page-aligned spot of len bytes in RAM below 4 GiB, after the image and
 * clear of the boot data; 0 if none. */
static uint64_t find_spot(uint64_t len)
{
    uint64_t at = ALIGN_UP((uint64_t)(uintptr_t)_end, PAGE_SIZE);
    for (unsigned r = 0; r < boot.nr_ram; r++) {
        if (boot.ram[r].end <= at)
            continue;
        if (boot.ram[r].start > at)
            at = boot.ram[r].start;
    again:
        if (at + len > boot.ram[r].end || at + len > IDENTITY_MAPPED)
            continue;
        for (unsigned i = 0; i < nr_boot_data; i++)
            if (boot_data[i].start < at + len && boot_data[i].end > at) {
                at = ALIGN_UP(boot_data[i].end, PAGE_SIZE);
                goto again;
            }
        return at;
    }
    return 0;
}

/* Extend the identity map over RAM above 4 GiB; returns the new mapped end. */
static uint64_t map_high_ram(void)
{
    uint64_t top = IDENTITY_MAPPED;
    unsigned n = 0;
    for (unsigned i = 0; i < boot.nr_ram; i++) {
        if (boot.ram[i].start >= MAX_MAPPED) {
            kprintf("unik: RAM above 512 GiB is not used\n");
            continue;
        }
        boot.ram[n] = boot.ram[i];
        if (boot.ram[n].end > MAX_MAPPED)
            boot.ram[n].end = MAX_MAPPED;
        if (boot.ram[n].end > top)
            top = boot.ram[n].end;
        n++;
    }
    boot.nr_ram = n;
    top = ALIGN_UP(top, GIB);
    size_t pds = (size_t)((top - IDENTITY_MAPPED) / GIB);
    if (!pds)
        return IDENTITY_MAPPED;
    uint64_t need = pds * PAGE_SIZE, at = find_spot(need);
    if (!at || boot.nr_reserved == PLAT_MAX_RESERVED) {
        kprintf("unik: cannot map RAM above 4 GiB; using the first 4 GiB only\n");
        return IDENTITY_MAPPED;
    }
    boot.reserved[boot.nr_reserved++] = (struct plat_mem_range){ at, at + need };
    for (size_t d = 0; d < pds; d++) {
        uint64_t *pd = (uint64_t *)(uintptr_t)(at + d * PAGE_SIZE);
        uint64_t base = IDENTITY_MAPPED + d * GIB;
        for (unsigned i = 0; i < 512; i++)
            pd[i] = (base + i * LARGE_PAGE_SIZE) | PTE_P | PTE_W | PTE_PS;
        pvh_pdpt[4 + d] = (at + d * PAGE_SIZE) | PTE_P | PTE_W;
    }
    write_cr3(read_cr3());
    return top;
}

__attribute__((noreturn)) void pvh_start(uint32_t start_info);

__attribute__((noreturn)) void pvh_start(uint32_t start_info)
{
    if (pvh_on_xen())
        pvh_xen_unsupported();
    pvh_console_init();
    plat = &pvh_ops;                    /* kprintf works from here */
    pvh_traps_init();

    const struct hvm_start_info *si = (const void *)(uintptr_t)start_info;
    if (!si || si->magic != HVM_START_MAGIC)
        kpanic("unik: no hvm_start_info from the loader (%%ebx=%#x)", start_info);
    if (si->version < 1 || !si->memmap_entries || !si->memmap_paddr)
        kpanic("unik: the loader gave no memory map (hvm_start_info version %u)",
               si->version);

    boot.ops = &pvh_ops;
    boot.cmdline = si->cmdline_paddr ? (const char *)(uintptr_t)si->cmdline_paddr : "";
    note_boot_data(start_info, sizeof *si);
    note_boot_data(si->cmdline_paddr, si->cmdline_paddr ? kstrlen(boot.cmdline) + 1 : 0);
    note_boot_data(si->memmap_paddr, si->memmap_entries * sizeof(struct hvm_memmap_entry));
    note_boot_data(si->modlist_paddr, si->nr_modules * sizeof(struct hvm_modlist_entry));
    const struct hvm_memmap_entry *map = (const void *)(uintptr_t)si->memmap_paddr;
    for (uint32_t i = 0; i < si->memmap_entries; i++)
        if (map[i].type == E820_RAM && map[i].size)
            add_ram(map[i].addr, map[i].addr + map[i].size);
    const struct hvm_modlist_entry *mods = (const void *)(uintptr_t)si->modlist_paddr;
    for (uint32_t i = 0; mods && i < si->nr_modules; i++) {
        if (boot.nr_modules == UNIK_MAX_MODULES) {
            kprintf("unik: more than %d modules; ignoring the rest\n", UNIK_MAX_MODULES);
            break;
        }
        boot.modules[boot.nr_modules++] = (struct unik_module){
            (const void *)(uintptr_t)mods[i].paddr, mods[i].size };
        note_boot_data(mods[i].paddr, mods[i].size);
    }
    boot.mapped_end = map_high_ram();
    /* core_main copies the command line; only a module could still be there. */
    boot.null_guard = NULL_GUARD;
    for (unsigned i = 0; i < boot.nr_modules; i++)
        if ((uintptr_t)boot.modules[i].data < NULL_GUARD)
            boot.null_guard = 0;

    pvh_time_init();
    pvh_fwcfg_init();
    core_main(&boot);
}
