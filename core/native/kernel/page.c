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
 * The bitmap is set up lazily, 4 KiB of it (128 MiB of RAM) at a time, as
 * allocation reaches it: a guest given 4 GiB that uses 10 MiB touches one
 * page of bitmap, not 32 (each first touch costs a host fault), so boot
 * costs what the guest uses, not what it is given. Words at or above
 * `ready` hold nothing yet; their summary bits read "not full", which sends
 * the scan to them, and ensure() fills them from the RAM ranges first.
 *
 * Pages handed out zeroed are zeroed only if they may hold data: where the
 * platform says free RAM reads as zero at boot (the runner's fresh mapping),
 * pages at or above `clean_from` — beyond every page ever handed out, but
 * for a few runs handed out above it (`island`) — are still zero and are
 * left untouched. On hosts that populate guest memory on
 * first touch, a program that asks for 64 MiB and uses 1 costs 1.
 */
#include <unik/kernel.h>

#define NONE ((uint64_t)-1)
#define MAX_RANGES 64

static uint64_t *bitmap;                /* bit p: page p is not free */
static uint64_t *full;                  /* bit w: bitmap[w] == ~0 */
static uint64_t npages;                 /* pages the bitmap covers */
static size_t nwords, nfull;
static size_t hint;                     /* no free page below word hint */
static size_t ready;                    /* words below it are set up */
static struct plat_mem_range free_at_init[MAX_RANGES];  /* what starts free */
#define READY_STEP 512                  /* words set up at a time: 4 KiB */
static size_t free_pages, total_pages;
static struct plat_mem_range ram[MAX_RANGES];
static unsigned nr_ram;
static uint64_t clean_from = NONE;      /* pages >= this were never handed out */

static void set_range(uint64_t p, uint64_t n, int used);

/* Set up the words below `upto` (rounded up to READY_STEP): all used, then
 * the pages that start free cleared. */
static void ensure(size_t upto)
{
    if (upto <= ready)
        return;
    upto = ALIGN_UP(upto, READY_STEP);
    if (upto > nwords)
        upto = nwords;
    size_t from = ready;
    uint64_t lo_pa = (uint64_t)from * 64 * UNIK_PAGE_SIZE;
    uint64_t hi_pa = (uint64_t)upto * 64 * UNIK_PAGE_SIZE;
    if (hi_pa > npages * UNIK_PAGE_SIZE)
        hi_pa = npages * UNIK_PAGE_SIZE;
    if (plat->populate && plat->populate(lo_pa, hi_pa))
        kpanic("unik: the host did not give RAM %#lx-%#lx", (unsigned long)lo_pa,
               (unsigned long)hi_pa);
    kmemset(bitmap + from, 0xff, (upto - from) * 8);
    for (size_t w = from; w < upto; w++)
        full[w / 64] |= 1ull << (w % 64);
    ready = upto;
    uint64_t lo = (uint64_t)from * 64, hi = (uint64_t)upto * 64;
    for (unsigned i = 0; i < nr_ram; i++) {
        uint64_t s = free_at_init[i].start / UNIK_PAGE_SIZE;
        uint64_t e = free_at_init[i].end / UNIK_PAGE_SIZE;
        s = s > lo ? s : lo;
        e = e < hi ? e : hi;
        if (s < e)
            set_range(s, e - s, 0);
    }
}

static int test(uint64_t p)
{
    ensure(p / 64 + 1);
    return bitmap[p / 64] >> (p % 64) & 1;
}

static void set_range(uint64_t p, uint64_t n, int used)
{
    ensure((size_t)((p + n + 63) / 64));
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
    ensure(w + 1);
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
        if (w >= ready) {
            ensure(w + 1);              /* its summary bit is now true */
            continue;
        }
        free_bits = ~bitmap[w];
        if (!free_bits) {               /* cannot happen: the summary says not full */
            w++;
            continue;
        }
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
    ensure((size_t)((limit + 63) / 64));
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
    kmemset(full, 0, nfull * 8);        /* "not full": the scan looks, ensure() sets up */
    ready = 0;

    for (unsigned i = 0; i < nr_ram; i++) {
        uint64_t s = ram[i].start, e = ram[i].end;
        if (i == home)
            s += meta;
        free_at_init[i] = (struct plat_mem_range){ s, e };
        free_pages += (e - s) / UNIK_PAGE_SIZE;
    }
    total_pages = free_pages;
    hint = 0;
    clean_from = npages;                /* unknown contents, until page_ram_zeroed */
}

void page_ram_zeroed(void)
{
    clean_from = 0;
}

/*
 * Runs handed out above clean_from (page_alloc_aligned_from puts 2 MiB
 * chunks where the host backs RAM with huge pages, beyond pages never used):
 * they hold data, the pages between them and clean_from are still zero.
 * When there is no room for another, clean_from moves past it instead.
 */
#define MAX_ISLANDS 16
static struct plat_mem_range island[MAX_ISLANDS];
static unsigned nislands;

static void zero_pages(uint64_t s, uint64_t e)
{
    if (s < e)
        kzero_aligned((void *)(uintptr_t)(s * UNIK_PAGE_SIZE), (e - s) * UNIK_PAGE_SIZE);
}

/* Pages [p, p + n) are being handed out: zero those that may hold data (if
 * zero is set) and remember that they may from now on. */
static void hand_out(uint64_t p, uint64_t n, int zero)
{
    uint64_t e = p + n;
    if (zero) {
        zero_pages(p, e < clean_from ? e : clean_from);
        for (unsigned i = 0; i < nislands; i++) {
            uint64_t a = p > island[i].start ? p : island[i].start;
            uint64_t b = e < island[i].end ? e : island[i].end;
            zero_pages(a > clean_from ? a : clean_from, b);
        }
    }
    if (e <= clean_from)
        return;
    if (p > clean_from) {
        for (unsigned i = 0; i < nislands; i++)
            if (island[i].start <= e && p <= island[i].end) {     /* grows one */
                island[i].start = p < island[i].start ? p : island[i].start;
                island[i].end = e > island[i].end ? e : island[i].end;
                return;
            }
        if (nislands < MAX_ISLANDS) {
            island[nislands++] = (struct plat_mem_range){ p, e };
            return;
        }
    }
    clean_from = e;
    for (unsigned i = 0; i < nislands;) {     /* islands the watermark reached join it */
        if (island[i].start <= clean_from) {
            if (island[i].end > clean_from)
                clean_from = island[i].end;
            island[i] = island[--nislands];
            i = 0;
        } else {
            i++;
        }
    }
}

/* Take the first free run of n pages aligned to align pages at or above
 * page from; its page or NONE. */
static uint64_t find_run(size_t n, size_t align, uint64_t from)
{
    if (n == 0 || n > free_pages)
        return NONE;
    if (align == 0)
        align = 1;
    uint64_t p = next_free((uint64_t)hint * 64 > from ? (uint64_t)hint * 64 : from);
    if (p == NONE)
        return NONE;
    if (!from)
        hint = (size_t)(p / 64);        /* no free page below p */
    for (;;) {
        p = ALIGN_UP(p, align);
        if (p + n > npages)
            return NONE;
        uint64_t q = next_used(p, p + n);
        if (q == p + n)
            break;
        p = next_free(q + 1);
        if (p == NONE)
            return NONE;
    }
    set_range(p, n, 1);
    free_pages -= n;
    return p;
}

uint64_t page_alloc_raw(size_t n, size_t align)
{
    uint64_t p = find_run(n, align, 0);
    if (p == NONE)
        return 0;
    hand_out(p, n, 0);
    return p * UNIK_PAGE_SIZE;
}

uint64_t page_alloc_aligned_from(size_t n, size_t align, uint64_t from)
{
    uint64_t p = find_run(n, align, from / UNIK_PAGE_SIZE);
    if (p == NONE)
        return 0;
    hand_out(p, n, 1);
    return p * UNIK_PAGE_SIZE;
}

uint64_t page_alloc_aligned(size_t n, size_t align)
{
    return page_alloc_aligned_from(n, align, 0);
}

uint64_t page_alloc(size_t n)
{
    return page_alloc_aligned(n, 1);
}

size_t page_claim(uint64_t pa, size_t n)
{
    size_t claimed = 0;
    for (uint64_t p = pa / UNIK_PAGE_SIZE; n--; p++) {
        if (p >= npages || test(p) || !page_is_ram(p * UNIK_PAGE_SIZE))
            continue;
        set_range(p, 1, 1);
        hand_out(p, 1, 1);
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
