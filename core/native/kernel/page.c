/*
 * page.c — the physical page allocator: 4 KiB pages over the RAM that
 * core_main hands it (boot RAM minus the image and boot structures).
 *
 * One bit per page (1 = not free) from address 0 to the end of the highest
 * range, plus a summary bit per bitmap word (1 = the word is full), both
 * kept at the start of the first range that holds them. Allocation is first
 * fit from the lowest word that may have a free page: a single page is found
 * in a few word operations whatever the fragmentation (full words are
 * skipped 64 at a time through the summary); a run of n pages costs a scan
 * of the words it spans. Frees are O(n / 64).
 *
 * Zeroing: where the platform says its RAM comes zeroed (the runner: fresh
 * anonymous memory; not Xen, whose dom0 memory holds what the boot left, nor
 * QEMU, which loads things into RAM), nothing writes into the highest RAM
 * range before the allocator owns it — boot structures are holes below it
 * (the range starts above the image, at least at 1 MiB). So pages there that
 * were never handed out are still zero: first fit hands pages out from the
 * bottom up, and above high_water nothing has been touched. Zeroing them
 * again would only make the host populate them early (~20 µs a page on a
 * nested KVM, PLATFORM.md) — GHC's runtime commits its heap a MiB at a time
 * and touches a fraction of it at start.
 */
#include <unik/kernel.h>

#define NONE ((uint64_t)-1)
#define MAX_RANGES 64

static uint64_t *bitmap;                /* bit p: page p is not free */
static uint64_t *full;                  /* bit w: bitmap[w] == ~0 */
static uint64_t npages;                 /* pages the bitmap covers */
static size_t nwords, nfull;
static size_t hint;                     /* no free page below word hint */
static size_t free_pages, total_pages;
static struct plat_mem_range ram[MAX_RANGES];
static unsigned nr_ram;
static uint64_t fresh_start = NONE;     /* page: never-used free pages from here are zero */
static uint64_t top_start = NONE;       /* page: where the highest range's free pages start */
static uint64_t high_water;             /* page: end of the highest page ever handed out */

static int test(uint64_t p)
{
    return bitmap[p / 64] >> (p % 64) & 1;
}

static void set_range(uint64_t p, uint64_t n, int used)
{
    while (n) {
        size_t w = p / 64;
        unsigned bit = p % 64;
        uint64_t k = 64 - bit < n ? 64 - bit : n;
        uint64_t mask = (k == 64 ? ~0ull : ((1ull << k) - 1)) << bit;
        if (used)
            bitmap[w] |= mask;
        else
            bitmap[w] &= ~mask;
        if (bitmap[w] == ~0ull)
            full[w / 64] |= 1ull << (w % 64);
        else
            full[w / 64] &= ~(1ull << (w % 64));
        p += k;
        n -= k;
    }
}

/* The first free page at or after p, or NONE. */
static uint64_t next_free(uint64_t p)
{
    if (p >= npages)
        return NONE;
    size_t w = p / 64;
    uint64_t free_bits = ~bitmap[w] & (~0ull << (p % 64));
    if (free_bits)
        goto found;
    for (w++; w < nwords;) {
        /* Skip full words through the summary. */
        uint64_t notfull = ~full[w / 64] & (~0ull << (w % 64));
        if (!notfull) {
            w = ALIGN_DOWN(w, 64) + 64;
            continue;
        }
        w = ALIGN_DOWN(w, 64) + (size_t)__builtin_ctzll(notfull);
        if (w >= nwords)
            break;
        free_bits = ~bitmap[w];
        goto found;
    }
    return NONE;
found:;
    uint64_t q = (uint64_t)w * 64 + (uint64_t)__builtin_ctzll(free_bits);
    return q < npages ? q : NONE;
}

/* The first page in [p, limit) that is not free, or limit. */
static uint64_t next_used(uint64_t p, uint64_t limit)
{
    while (p < limit) {
        uint64_t used = bitmap[p / 64] & (~0ull << (p % 64));
        if (used) {
            uint64_t q = ALIGN_DOWN(p, 64) + (uint64_t)__builtin_ctzll(used);
            return q < limit ? q : limit;
        }
        p = ALIGN_DOWN(p, 64) + 64;
    }
    return limit;
}

void page_init(const struct plat_mem_range *ranges, unsigned n)
{
    uint64_t limit = 0;
    for (unsigned i = 0; i < n && nr_ram < MAX_RANGES; i++) {
        uint64_t s = ALIGN_UP(ranges[i].start, UNIK_PAGE_SIZE);
        uint64_t e = ALIGN_DOWN(ranges[i].end, UNIK_PAGE_SIZE);
        if (s >= e)
            continue;
        ram[nr_ram++] = (struct plat_mem_range){ s, e };
        if (e > limit)
            limit = e;
    }
    npages = limit / UNIK_PAGE_SIZE;
    nwords = (size_t)ALIGN_UP(npages, 64) / 64;
    nfull = ALIGN_UP(nwords, 64) / 64;
    uint64_t meta = ALIGN_UP((nwords + nfull) * 8, UNIK_PAGE_SIZE);

    unsigned home = 0;
    while (home < nr_ram && ram[home].end - ram[home].start < meta + UNIK_PAGE_SIZE)
        home++;
    if (home == nr_ram)
        kpanic("unik: not enough RAM for the page allocator (%lu KiB of bitmap)",
               (unsigned long)(meta / 1024));
    bitmap = (uint64_t *)(uintptr_t)ram[home].start;
    full = bitmap + nwords;
    kmemset(bitmap, 0xff, (nwords + nfull) * 8);

    for (unsigned i = 0; i < nr_ram; i++) {
        uint64_t s = ram[i].start, e = ram[i].end;
        if (i == home)
            s += meta;
        set_range(s / UNIK_PAGE_SIZE, (e - s) / UNIK_PAGE_SIZE, 0);
        free_pages += (e - s) / UNIK_PAGE_SIZE;
    }
    total_pages = free_pages;
    hint = 0;

    unsigned top = 0;
    for (unsigned i = 1; i < nr_ram; i++)
        if (ram[i].start > ram[top].start)
            top = i;
    uint64_t first = ram[top].start + (top == home ? meta : 0);
    if (nr_ram && ram[top].start >= (1ul << 20))
        top_start = first / UNIK_PAGE_SIZE;
}

void page_trust_zeroed_ram(void)
{
    fresh_start = top_start;
}

static void handed_out(uint64_t p, uint64_t n)
{
    if (p + n > high_water)
        high_water = p + n;
}

uint64_t page_zero_from(void)
{
    uint64_t p = high_water > fresh_start ? high_water : fresh_start;
    return p == NONE ? (uint64_t)-1 : p * UNIK_PAGE_SIZE;
}

/* Zero what may hold data of [pa, pa + n pages); zero_from: page_zero_from() before the allocation. */
static void zero_used(uint64_t pa, size_t n, uint64_t zero_from)
{
    uint64_t end = pa + n * UNIK_PAGE_SIZE;
    if (end > zero_from)
        end = zero_from > pa ? zero_from : pa;
    if (end > pa)
        kzero_aligned((void *)(uintptr_t)pa, end - pa);
}

uint64_t page_alloc_raw(size_t n, size_t align)
{
    if (n == 0 || n > free_pages)
        return 0;
    if (align == 0)
        align = 1;
    uint64_t p = next_free((uint64_t)hint * 64);
    if (p == NONE)
        return 0;
    hint = (size_t)(p / 64);            /* no free page below p */
    for (;;) {
        p = ALIGN_UP(p, align);
        if (p + n > npages)
            return 0;
        uint64_t q = next_used(p, p + n);
        if (q == p + n)
            break;
        p = next_free(q + 1);
        if (p == NONE)
            return 0;
    }
    set_range(p, n, 1);
    free_pages -= n;
    handed_out(p, n);
    return p * UNIK_PAGE_SIZE;
}

uint64_t page_alloc(size_t n)
{
    uint64_t zero_from = page_zero_from();
    uint64_t pa = page_alloc_raw(n, 1);
    if (pa)
        zero_used(pa, n, zero_from);
    return pa;
}

size_t page_claim(uint64_t pa, size_t n)
{
    size_t claimed = 0;
    for (uint64_t p = pa / UNIK_PAGE_SIZE; n--; p++) {
        if (p >= npages || test(p) || !page_is_ram(p * UNIK_PAGE_SIZE))
            continue;
        uint64_t zero_from = page_zero_from();
        set_range(p, 1, 1);
        handed_out(p, 1);
        zero_used(p * UNIK_PAGE_SIZE, 1, zero_from);
        claimed++;
    }
    free_pages -= claimed;
    return claimed;
}

void page_free(uint64_t pa, size_t n)
{
    static int warned;
    uint64_t p = pa / UNIK_PAGE_SIZE;
    if (pa % UNIK_PAGE_SIZE || p + n > npages) {
        kpanic("unik: page_free(%#lx, %lu) outside RAM", (unsigned long)pa, (unsigned long)n);
    }
    for (uint64_t i = p; i < p + n; i++) {
        if (!test(i) && !warned) {
            kprintf("unik: page %#lx freed twice (core bug)\n",
                    (unsigned long)(i * UNIK_PAGE_SIZE));
            warned = 1;
        }
    }
    /* Count what really changes state, so a double free cannot inflate it. */
    for (uint64_t i = p; i < p + n; i++)
        free_pages += test(i);
    set_range(p, n, 0);
    if (p / 64 < hint)
        hint = p / 64;
}

bool page_is_free(uint64_t pa)
{
    uint64_t p = pa / UNIK_PAGE_SIZE;
    return p < npages && !test(p);
}

bool page_is_ram(uint64_t pa)
{
    for (unsigned i = 0; i < nr_ram; i++)
        if (pa >= ram[i].start && pa < ram[i].end)
            return true;
    return false;
}

size_t page_count_free(void)
{
    return free_pages;
}

size_t page_count_total(void)
{
    return total_pages;
}

uint64_t page_limit(void)
{
    return npages * UNIK_PAGE_SIZE;
}
