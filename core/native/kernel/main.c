/*
 * main.c — core_main, where every platform's entry arrives: memory, clocks,
 * the start info, the main stack and the boot TLS block, then the
 * application's unik_app_main and unik_exit with what it returns.
 */
#include <unik/arch.h>
#include <unik/kernel.h>

#define MAX_FREE_RANGES 64
#define MAX_HOLES (PLAT_MAX_RESERVED + UNIK_MAX_MODULES + 3)
#define STACK_MAX (8ul << 20)
#define STACK_MIN (256ul << 10)
#define LOW_END 0x1000ul                /* page 0 is never handed out */
#define GUARD_PAGES 16                  /* 64 KiB below the main stack */

const struct plat_ops *plat;
struct unik_start_info unik_start_info;
size_t unik_stack_size;

static struct plat_mem_range free_ranges[MAX_FREE_RANGES];
static unsigned nr_free;

static void add_free(uint64_t s, uint64_t e)
{
    if (s >= e)
        return;
    if (nr_free == MAX_FREE_RANGES) {
        kprintf("unik: RAM too fragmented; ignoring %#lx-%#lx\n", (unsigned long)s,
                (unsigned long)e);
        return;
    }
    free_ranges[nr_free++] = (struct plat_mem_range){ s, e };
}

/* free_ranges = ram minus holes, each clipped to what the platform maps. */
static void carve(const struct plat_boot *boot, struct plat_mem_range *holes, unsigned nh)
{
    /* Sort the holes by start (few of them: insertion sort). */
    for (unsigned i = 1; i < nh; i++)
        for (unsigned j = i; j > 0 && holes[j].start < holes[j - 1].start; j--) {
            struct plat_mem_range t = holes[j];
            holes[j] = holes[j - 1];
            holes[j - 1] = t;
        }
    for (unsigned r = 0; r < boot->nr_ram; r++) {
        uint64_t s = ALIGN_UP(boot->ram[r].start, UNIK_PAGE_SIZE);
        uint64_t e = ALIGN_DOWN(boot->ram[r].end, UNIK_PAGE_SIZE);
        if (boot->mapped_end && e > boot->mapped_end)
            e = ALIGN_DOWN(boot->mapped_end, UNIK_PAGE_SIZE);
        if (s < LOW_END)
            s = LOW_END;
        for (unsigned h = 0; h < nh && s < e; h++) {
            uint64_t hs = ALIGN_DOWN(holes[h].start, UNIK_PAGE_SIZE);
            uint64_t he = ALIGN_UP(holes[h].end, UNIK_PAGE_SIZE);
            if (he <= s || hs >= e)
                continue;
            add_free(s, hs);
            s = he;
        }
        add_free(s, e);
    }
}

static void memory_init(const struct plat_boot *boot)
{
    struct plat_mem_range holes[MAX_HOLES];
    unsigned nh = 0;
    holes[nh++] = (struct plat_mem_range){ (uint64_t)(uintptr_t)_unik_image_start,
                                           (uint64_t)(uintptr_t)_end };
    if (boot->cmdline) {
        uint64_t c = (uint64_t)(uintptr_t)boot->cmdline;
        holes[nh++] = (struct plat_mem_range){ c, c + kstrlen(boot->cmdline) + 1 };
    }
    for (unsigned i = 0; i < boot->nr_modules && i < UNIK_MAX_MODULES; i++) {
        uint64_t m = (uint64_t)(uintptr_t)boot->modules[i].data;
        holes[nh++] = (struct plat_mem_range){ m, m + boot->modules[i].len };
    }
    for (unsigned i = 0; i < boot->nr_reserved && i < PLAT_MAX_RESERVED; i++)
        holes[nh++] = boot->reserved[i];
    carve(boot, holes, nh);
    page_init(free_ranges, nr_free);
    if (boot->ram_zeroed)
        page_ram_zeroed();
    vm_init(boot->mapped_end, boot->large_pages, boot->huge_ram_from);
}

static void start_info_init(const struct plat_boot *boot)
{
    struct unik_start_info *si = &unik_start_info;
    si->cmdline = boot->cmdline ? boot->cmdline : "";
    si->platform = plat->name;
    uint64_t largest = 0;
    for (unsigned i = 0; i < nr_free; i++) {
        uint64_t len = free_ranges[i].end - free_ranges[i].start;
        if (len > largest) {
            largest = len;
            si->heap_start = (uintptr_t)free_ranges[i].start;
        }
    }
    si->heap_size = page_count_free() * UNIK_PAGE_SIZE;
    for (unsigned i = 0; i < boot->nr_ram; i++)
        si->mem_total += boot->ram[i].end - boot->ram[i].start;
    si->nr_modules = boot->nr_modules < UNIK_MAX_MODULES ? boot->nr_modules
                                                         : UNIK_MAX_MODULES;
    for (unsigned i = 0; i < si->nr_modules; i++)
        si->modules[i] = boot->modules[i];
}

__attribute__((noreturn)) static void run_app(void *arg)
{
    (void)arg;
    tls_boot_init();
    int status = unik_app_main(&unik_start_info);
    unik_exit(status);
}

/*
 * The main stack: 1/16 of free memory, between 256 KiB and 8 MiB, not
 * zeroed (untouched pages cost nothing on hosts that populate on first
 * touch), with 64 KiB of unmapped guard pages below it where the platform
 * can unmap them, so that an overflow faults instead of writing over other
 * memory.
 */
__attribute__((noreturn)) static void switch_to_main_stack(void)
{
    size_t size = page_count_free() * UNIK_PAGE_SIZE / 16;
    size = size > STACK_MAX ? STACK_MAX : size < STACK_MIN ? STACK_MIN : size;
    size = ALIGN_DOWN(size, UNIK_PAGE_SIZE);
    uint64_t base = page_alloc_raw(size / UNIK_PAGE_SIZE + GUARD_PAGES, 1);
    if (!base)
        kpanic("unik: no memory for the main stack (%lu KiB)", (unsigned long)(size >> 10));
    plat->map_pages(base, base, GUARD_PAGES, PLAT_PROT_NONE);
    unik_stack_size = size;
    arch_call_on_stack(base + GUARD_PAGES * UNIK_PAGE_SIZE + size, run_app, NULL);
}

/* A copy of the command line, so that nothing the loader left below 1 MiB is needed. */
static const char *copy_cmdline(const char *cmdline)
{
    if (!cmdline)
        return "";
    size_t len = kstrlen(cmdline);
    char *copy = (char *)(uintptr_t)page_alloc(ALIGN_UP(len + 1, UNIK_PAGE_SIZE) /
                                                UNIK_PAGE_SIZE);
    if (!copy)
        kpanic("unik: no memory for the command line");
    kmemcpy(copy, cmdline, len + 1);
    return copy;
}

__attribute__((noreturn)) void core_main(struct plat_boot *boot)
{
    plat = boot->ops;
    memory_init(boot);
    boot->cmdline = copy_cmdline(boot->cmdline);
    /* NULL and small offsets from it fault, where the platform allows it. */
    if (boot->null_guard)
        plat->map_pages(0, 0, ALIGN_UP(boot->null_guard, UNIK_PAGE_SIZE) / UNIK_PAGE_SIZE,
                        PLAT_PROT_NONE);
    time_init();
    start_info_init(boot);
    switch_to_main_stack();
}
