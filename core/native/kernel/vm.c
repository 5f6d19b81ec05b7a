/*
 * vm.c — the virtual-memory layer behind mmap, munmap, mprotect, madvise
 * and brk (anonymous memory only; one address space, no demand paging).
 *
 * Two kinds of addresses:
 *  - RAM, identity-mapped by the platform (below its mapped_end). An
 *    ordinary mmap takes contiguous zeroed pages from the page allocator
 *    and returns their address; munmap gives them back. RAM is always
 *    readable, writable and executable: mprotect on it succeeds and changes
 *    nothing, and munmapped RAM stays mapped (it is simply free again).
 *    A bitmap remembers which RAM pages belong to mmap, so that munmap of
 *    anything else does no harm.
 *  - virtual space, from the first GiB boundary above mapped_end up to
 *    VA_TOP, not backed by anything until used. Reservations (PROT_NONE
 *    mappings, e.g. GHC's 1 TiB heap) take address space only. Pages are
 *    committed eagerly — zeroed pages from the allocator, mapped through
 *    plat->map_pages — by mmap(MAP_FIXED) with a protection, by mprotect
 *    to an accessible protection, and by brk; munmap frees them. A radix
 *    tree (4 levels of 512, like a page table) records which page backs each
 *    committed virtual page, with its protection, so PROT_NONE keeps the
 *    contents and MAP_FIXED replaces them.
 *  An mmap with a protection that finds no contiguous RAM falls back to
 *  committed virtual space. Addresses the kernel picks in virtual space start
 *  at RESERVE_BASE (1 TiB); hints in virtual space are honoured when free.
 * madvise(MADV_DONTNEED) zeroes the pages in place; other advice is ignored.
 * mremap is not provided (callers fall back to copying).
 * When RAM runs out (an mmap or brk that needs pages finds none), one line
 * on the console says so, naming the RAM size and how to give more; the
 * call fails with ENOMEM as on Linux (malloc returns NULL, OCaml raises
 * Out_of_memory) and the program decides what follows.
 */
#include <errno.h>
#include <unik/kernel.h>
#include <unik/linux.h>

#define PAGE UNIK_PAGE_SIZE
#define GIB (1ull << 30)
#define LARGE (2ull << 20)
#define VA_TOP 0x00007f0000000000ull
#define RESERVE_BASE 0x0000010000000000ull
#define BRK_SIZE (64 * GIB)
#define CHUNK_MAX (1ul << 18)           /* pages per allocation attempt (1 GiB) */

#define E_COMMITTED 1ull                /* radix leaf: page | prot << 1 | 1 */
#define E_PROT(e) ((unsigned)((e) >> 1) & 7)
/* Leaf flag: committed ahead (see commit_large), so only reserved for the
 * program; prot is how the page is mapped, its contents are zero. */
#define E_AHEAD (1ull << 4)
#define AHEAD_MIN (1ull << 20)          /* commits from this size on may go ahead */
#define E_PAGE(e) ((e) & ~(PAGE - 1))

struct area {
    uint64_t start, end;
};

static uint64_t vlow;                   /* start of virtual space */
static uint64_t ram_end;                /* end of the page allocator's pages */
static uint64_t *user;                  /* bit per RAM page: handed out by mmap */
/* Which 4 KiB pages of `user` are zeroed: a page of it is zeroed when first
 * written (a 4 GiB guest that mmaps little touches one, not 32); one bit
 * per page covers 8 TiB of RAM. */
static uint64_t user_zeroed[64];
static struct area *areas;              /* reservations, sorted, disjoint */
static size_t nareas, cap_areas;
static uint64_t radix_root[512] __attribute__((aligned(4096)));
static size_t user_pages, committed_pages;
static uint64_t brk_base, brk_cur;
static bool large_pages;                /* plat->map_pages maps 2 MiB pages */
static uint64_t huge_from;              /* where 2 MiB chunks are cheapest */

/* ---- small helpers ---- */

/* The one out-of-memory line (once per boot); returns -ENOMEM. */
static long out_of_memory(void)
{
    static int said;
    if (!said) {
        said = 1;
        kprintf("unik: out of memory: the guest's %lu MiB of RAM are in use; give it more "
                "with `unik run --memory MiB` or `memory` in unik.toml's [run]\n",
                (unsigned long)((page_limit() + (1u << 20) - 1) >> 20));   /* RAM's end */
    }
    return -ENOMEM;
}

static int in_virtual(uint64_t s, uint64_t e)
{
    return s >= vlow && e <= VA_TOP && s < e;
}

#define USER_PAGE_BITS (PAGE * 8)      /* RAM pages one page of `user` covers */

static int user_page_ready(uint64_t p)
{
    uint64_t k = p / USER_PAGE_BITS;
    return user_zeroed[k / 64] >> (k % 64) & 1;
}

static int user_test(uint64_t pa)
{
    uint64_t p = pa / PAGE;
    if (!user_page_ready(p))
        return 0;
    return user[p / 64] >> (p % 64) & 1;
}

static void user_set(uint64_t pa, int v)
{
    uint64_t p = pa / PAGE;
    if (!user_page_ready(p)) {
        if (!v)
            return;
        uint64_t k = p / USER_PAGE_BITS;
        kzero_aligned(user + k * (USER_PAGE_BITS / 64), PAGE);
        user_zeroed[k / 64] |= 1ull << (k % 64);
    }
    if (v)
        user[p / 64] |= 1ull << (p % 64);
    else
        user[p / 64] &= ~(1ull << (p % 64));
}

static void zero_page(uint64_t pa)
{
    kzero_aligned((void *)(uintptr_t)pa, PAGE);
}

/* Batches of consecutive pages for map_pages and page_free. */
struct run {
    uint64_t va, pa;
    size_t n;
    unsigned prot;
    int err;
};

static void map_flush(struct run *r)
{
    if (r->n) {
        int e = plat->map_pages(r->va, r->pa, r->n, r->prot);
        if (e && !r->err)
            r->err = e;
        r->n = 0;
    }
}

static void map_add(struct run *r, uint64_t va, uint64_t pa, unsigned prot)
{
    if (r->n && r->prot == prot && r->va + r->n * PAGE == va &&
        (prot == PLAT_PROT_NONE || r->pa + r->n * PAGE == pa)) {
        r->n++;
        return;
    }
    map_flush(r);
    *r = (struct run){ va, prot == PLAT_PROT_NONE ? 0 : pa, 1, prot, r->err };
}

static void free_flush(struct run *r)
{
    if (r->n) {
        page_free(r->pa, r->n);
        r->n = 0;
    }
}

static void free_add(struct run *r, uint64_t pa)
{
    if (r->n && r->pa + r->n * PAGE == pa) {
        r->n++;
        return;
    }
    free_flush(r);
    r->pa = pa;
    r->n = 1;
}

/* ---- reservations ---- */

static int areas_room(size_t extra)
{
    if (nareas + extra <= cap_areas)
        return 0;
    size_t cap = cap_areas ? cap_areas * 2 : PAGE / sizeof(struct area);
    size_t pages = ALIGN_UP(cap * sizeof(struct area), PAGE) / PAGE;
    uint64_t pa = page_alloc(pages);
    if (!pa)
        return -ENOMEM;
    struct area *n = (struct area *)(uintptr_t)pa;
    if (nareas)
        kmemcpy(n, areas, nareas * sizeof *n);
    if (areas)
        page_free((uint64_t)(uintptr_t)areas,
                  ALIGN_UP(cap_areas * sizeof(struct area), PAGE) / PAGE);
    areas = n;
    cap_areas = cap;
    return 0;
}

static int area_overlaps(uint64_t s, uint64_t e)
{
    for (size_t i = 0; i < nareas && areas[i].start < e; i++)
        if (areas[i].end > s)
            return 1;
    return 0;
}

static int area_covers(uint64_t s, uint64_t e)
{
    for (size_t i = 0; i < nareas && s < e; i++) {
        if (areas[i].end <= s)
            continue;
        if (areas[i].start > s)
            return 0;
        s = areas[i].end;
    }
    return s >= e;
}

/*
 * After every change the array keeps room for one more entry when memory
 * allows, so that a later munmap splitting an area rarely needs to allocate.
 */
static void areas_keep_spare(void)
{
    areas_room(2);
}

static int area_add(uint64_t s, uint64_t e)
{
    if (areas_room(1))
        return -ENOMEM;
    size_t i = 0;
    while (i < nareas && areas[i].end < s)
        i++;
    size_t j = i;
    while (j < nareas && areas[j].start <= e) {
        if (areas[j].start < s)
            s = areas[j].start;
        if (areas[j].end > e)
            e = areas[j].end;
        j++;
    }
    /* areas[i..j) merge into [s, e) */
    if (j == i) {
        for (size_t k = nareas; k > i; k--)
            areas[k] = areas[k - 1];
        nareas++;
    } else if (j > i + 1) {
        for (size_t k = j; k < nareas; k++)
            areas[i + 1 + k - j] = areas[k];
        nareas -= j - i - 1;
    }
    areas[i] = (struct area){ s, e };
    areas_keep_spare();
    return 0;
}

static int area_remove(uint64_t s, uint64_t e)
{
    for (size_t i = 0; i < nareas;) {
        struct area *a = &areas[i];
        if (a->end <= s || a->start >= e) {
            i++;
            continue;
        }
        if (a->start < s && a->end > e) {          /* split */
            if (areas_room(1))
                return -ENOMEM;
            a = &areas[i];
            for (size_t k = nareas; k > i + 1; k--)
                areas[k] = areas[k - 1];
            nareas++;
            areas[i + 1] = (struct area){ e, a->end };
            a->end = s;
            areas_keep_spare();
            return 0;
        }
        if (a->start < s) {
            a->end = s;
            i++;
        } else if (a->end > e) {
            a->start = e;
            i++;
        } else {
            for (size_t k = i; k + 1 < nareas; k++)
                areas[k] = areas[k + 1];
            nareas--;
        }
    }
    return 0;
}

/* The lowest free range of len bytes at or above RESERVE_BASE, aligned. */
static uint64_t area_gap(uint64_t len, uint64_t align)
{
    uint64_t at = ALIGN_UP(vlow > RESERVE_BASE ? vlow : RESERVE_BASE, align);
    for (size_t i = 0; i < nareas; i++) {
        if (areas[i].end <= at)
            continue;
        if (areas[i].start >= at + len)
            break;
        at = ALIGN_UP(areas[i].end, align);
    }
    return at < VA_TOP && len <= VA_TOP - at ? at : 0;
}

/* ---- committed virtual pages ---- */

static uint64_t *radix_leaf(uint64_t va, int create)
{
    uint64_t *t = radix_root;
    for (int level = 3; level > 0; level--) {
        uint64_t *e = &t[va >> (12 + 9 * level) & 511];
        if (!*e) {
            if (!create)
                return NULL;
            if (!(*e = page_alloc(1)))
                return NULL;
        }
        t = (uint64_t *)(uintptr_t)*e;
    }
    return &t[va >> 12 & 511];
}

typedef void leaf_fn(uint64_t va, uint64_t *e, void *ctx);

/* Call fn for every committed page in [s, e), skipping empty subtrees. */
static void radix_walk(uint64_t *t, int level, uint64_t base, uint64_t s, uint64_t e,
                       leaf_fn *fn, void *ctx)
{
    uint64_t span = 1ull << (12 + 9 * level);
    unsigned i = s > base ? (unsigned)((s - base) / span) : 0;
    for (; i < 512; i++) {
        uint64_t va = base + i * span;
        if (va >= e)
            break;
        if (!t[i])
            continue;
        if (level == 0)
            fn(va, &t[i], ctx);
        else
            radix_walk((uint64_t *)(uintptr_t)t[i], level - 1, va, s, e, fn, ctx);
    }
}

struct walk {
    struct run map, free;
    unsigned prot;
};

static void decommit_one(uint64_t va, uint64_t *e, void *ctx)
{
    struct walk *w = ctx;
    if (E_PROT(*e) != PLAT_PROT_NONE)
        map_add(&w->map, va, 0, PLAT_PROT_NONE);
    free_add(&w->free, E_PAGE(*e));
    *e = 0;
    committed_pages--;
}

/* Free the radix tables under t that [s, e) left empty. */
static void radix_prune(uint64_t *t, int level, uint64_t base, uint64_t s, uint64_t e)
{
    uint64_t span = 1ull << (12 + 9 * level);
    unsigned i = s > base ? (unsigned)((s - base) / span) : 0;
    for (; i < 512; i++) {
        uint64_t va = base + i * span;
        if (va >= e)
            break;
        if (!t[i])
            continue;
        uint64_t *child = (uint64_t *)(uintptr_t)t[i];
        if (level > 1)
            radix_prune(child, level - 1, va, s, e);
        unsigned k = 0;
        while (k < 512 && !child[k])
            k++;
        if (k == 512) {
            page_free(t[i], 1);
            t[i] = 0;
        }
    }
}

static void decommit(uint64_t s, uint64_t e)
{
    struct walk w = { 0 };
    radix_walk(radix_root, 3, 0, s, e, decommit_one, &w);
    map_flush(&w.map);
    free_flush(&w.free);
    radix_prune(radix_root, 3, 0, s, e);
}

static void protect_none_one(uint64_t va, uint64_t *e, void *ctx)
{
    struct walk *w = ctx;
    if (E_PROT(*e) != PLAT_PROT_NONE)
        map_add(&w->map, va, 0, PLAT_PROT_NONE);
    *e = E_PAGE(*e) | E_COMMITTED;
}

static void count_one(uint64_t va, uint64_t *e, void *ctx)
{
    (void)va, (void)e;
    ++*(size_t *)ctx;
}

static void zero_one(uint64_t va, uint64_t *e, void *ctx)
{
    (void)va, (void)ctx;
    zero_page(E_PAGE(*e));
}

static void any_one(uint64_t va, uint64_t *e, void *ctx)
{
    (void)va, (void)e;
    *(int *)ctx = 1;
}

/*
 * Commit the 2 MiB at r (aligned) as one large page, when the request
 * [s, e) is big (a heap arena committed piece by piece, GHC's megablocks:
 * 1 MiB), the 2 MiB lie in reserved space with nothing committed yet, and
 * the allocator has an aligned run. The pages outside [s, e) are committed
 * ahead: mapped with prot but still only reserved for the program (E_AHEAD),
 * so that committing them later costs no page-table change. On this kind of
 * host every page-table write and every first touch of a 4 KiB mapping is a
 * fault of the hypervisor's; one 2 MiB page costs one of each. The price:
 * a stray access to the reserved pages beside a commit does not fault.
 * Returns 1 when done, 0 when the caller should commit page by page.
 */
static int commit_large(uint64_t r, uint64_t s, uint64_t e, unsigned prot, struct run *map)
{
    if (!large_pages || e - s < AHEAD_MIN || !area_covers(r, r + LARGE) ||
        page_count_free() < (e - s + 2 * LARGE) / PAGE)   /* never the last pages */
        return 0;
    int any = 0;
    radix_walk(radix_root, 3, 0, r, r + LARGE, any_one, &any);
    if (any)
        return 0;
    uint64_t pa = huge_from ? page_alloc_aligned_from(LARGE / PAGE, LARGE / PAGE, huge_from) : 0;
    if (!pa && !(pa = page_alloc_aligned(LARGE / PAGE, LARGE / PAGE)))
        return 0;
    for (uint64_t va = r; va < r + LARGE; va += PAGE, pa += PAGE) {
        uint64_t *leaf = radix_leaf(va, 0);     /* commit made the leaf table */
        *leaf = pa | (uint64_t)prot << 1 | E_COMMITTED | (va < s || va >= e ? E_AHEAD : 0);
        committed_pages++;
        map_add(map, va, pa, prot);
    }
    return 1;
}

/*
 * Make every page of [s, e) committed with prot (not NONE): new pages are
 * zeroed; existing ones keep their contents unless fresh is set (MAP_FIXED
 * replaces a mapping). Physical pages are taken in runs as long as the
 * allocator has them, so that map_pages can use large pages.
 */
static int commit(uint64_t s, uint64_t e, unsigned prot, int fresh)
{
    struct run map = { 0 };
    uint64_t chunk = 0;
    size_t chunk_left = 0;
    int err = 0;

    /* Fail before changing anything when the pages are not there: first
     * the radix tables (one leaf table per 2 MiB), then the pages. */
    if ((e - s) / PAGE > page_count_total())
        return -ENOMEM;
    for (uint64_t va = s; va < e; va = ALIGN_DOWN(va, LARGE) + LARGE)
        if (!radix_leaf(va, 1))
            return -ENOMEM;
    size_t have = 0;
    radix_walk(radix_root, 3, 0, s, e, count_one, &have);
    if ((e - s) / PAGE - have > page_count_free())
        return -ENOMEM;
    for (uint64_t va = s; va < e; va += PAGE) {
        if (!chunk_left && (va == s || !(va & (LARGE - 1)))) {
            uint64_t r = ALIGN_DOWN(va, LARGE);
            if (commit_large(r, s, e, prot, &map)) {
                va = r + LARGE - PAGE;
                continue;
            }
        }
        uint64_t *leaf = radix_leaf(va, 0);
        if (*leaf & E_AHEAD) {
            *leaf &= ~E_AHEAD;          /* zero already; mapped with its prot */
        } else if (*leaf && fresh) {
            zero_page(E_PAGE(*leaf));
        }
        if (*leaf) {
            if (E_PROT(*leaf) != prot) {
                *leaf = E_PAGE(*leaf) | (uint64_t)prot << 1 | E_COMMITTED;
                map_add(&map, va, E_PAGE(*leaf), prot);
            }
            continue;
        }
        if (!chunk_left) {
            size_t want = (size_t)((e - va) / PAGE);
            if (want > CHUNK_MAX)
                want = CHUNK_MAX;
            if (large_pages && e - s >= AHEAD_MIN &&    /* stop where commit_large may go on */
                want > (ALIGN_DOWN(va, LARGE) + LARGE - va) / PAGE)
                want = (size_t)((ALIGN_DOWN(va, LARGE) + LARGE - va) / PAGE);
            for (; want; want /= 2) {
                size_t align = want >= 512 && !(va & (LARGE - 1)) ? 512 : 1;
                if ((chunk = page_alloc_aligned(want, align)) != 0)
                    break;
            }
            if (!want) {
                err = -ENOMEM;
                break;
            }
            chunk_left = want;
        }
        *leaf = chunk | (uint64_t)prot << 1 | E_COMMITTED;
        committed_pages++;
        map_add(&map, va, chunk, prot);
        chunk += PAGE;
        chunk_left--;
    }
    if (chunk_left)
        page_free(chunk, chunk_left);
    map_flush(&map);
    return err ? err : map.err;
}

/* ---- RAM handed out by mmap ---- */

/*
 * n pages of RAM for an ordinary mmap, aligned to the largest power of two
 * not above their size (at most ALIGN_MAX) when such a run is free, else
 * anywhere. Allocators ask for size-aligned chunks (mimalloc's segments):
 * given one at once, they need not over-allocate and trim, which would hand
 * out — and so dirty, for the page allocator — twice the memory.
 */
#define ALIGN_MAX_PAGES ((32ull << 20) / PAGE)

static uint64_t ram_alloc(size_t n)
{
    size_t align = 1;
    while (align * 2 <= n && align * 2 <= ALIGN_MAX_PAGES)
        align *= 2;
    uint64_t pa = align > 1 ? page_alloc_aligned(n, align) : 0;
    return pa ? pa : page_alloc(n);
}

static long ram_fixed(uint64_t s, uint64_t e, int noreplace)
{
    for (uint64_t pa = s; pa < e; pa += PAGE) {
        if (!page_is_ram(pa))
            return -ENOMEM;
        if (user_test(pa)) {
            if (noreplace)
                return -EEXIST;
        } else if (!page_is_free(pa)) {
            return -ENOMEM;             /* the core's own memory */
        }
    }
    for (uint64_t pa = s; pa < e; pa += PAGE) {
        if (user_test(pa)) {
            zero_page(pa);
        } else {
            page_claim(pa, 1);
            user_set(pa, 1);
            user_pages++;
        }
    }
    return (long)s;
}

static void ram_unmap(uint64_t s, uint64_t e)
{
    struct run fr = { 0 };
    for (uint64_t pa = s; pa < e && pa < ram_end; pa += PAGE) {
        if (user_test(pa)) {
            user_set(pa, 0);
            user_pages--;
            free_add(&fr, pa);
        }
    }
    free_flush(&fr);
}

/* ---- the system calls ---- */

void vm_init(uint64_t mapped_end, bool large, uint64_t huge_ram_from)
{
    large_pages = large;
    huge_from = huge_ram_from;
    vlow = ALIGN_UP(mapped_end, GIB);
    ram_end = page_limit();
    size_t bytes = ALIGN_UP(ALIGN_UP(ram_end / PAGE, 64) / 8, PAGE);
    if (bytes / PAGE > 64 * 64)
        kpanic("unik: more RAM than the mmap bitmap covers (8 TiB)");
    /* Not zeroed here: user_set zeroes each page of it when first written. */
    user = (uint64_t *)(uintptr_t)page_alloc_raw(bytes / PAGE, 1);
    if (!user)
        kpanic("unik: no memory for the mmap bitmap");
}

static unsigned plat_prot(int prot)
{
    return (unsigned)prot & (PLAT_PROT_READ | PLAT_PROT_WRITE | PLAT_PROT_EXEC);
}

long vm_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, int64_t off)
{
    if (!(flags & L_MAP_ANONYMOUS))
        return fd >= 0 && fd <= 2 ? -ENODEV : -EBADF;
    if (off % (int64_t)PAGE)
        return -EINVAL;
    if (!len)
        return -EINVAL;
    if (len > VA_TOP)
        return -ENOMEM;
    len = ALIGN_UP(len, PAGE);
    unsigned p = plat_prot(prot);
    int fixed = flags & (L_MAP_FIXED | L_MAP_FIXED_NOREPLACE);
    uint64_t end = addr + len;

    if (fixed) {
        if (addr % PAGE || end < addr)
            return -EINVAL;
        if (in_virtual(addr, end)) {
            if ((flags & L_MAP_FIXED_NOREPLACE) && area_overlaps(addr, end))
                return -EEXIST;
            if (area_add(addr, end))
                return -ENOMEM;
            if (p == PLAT_PROT_NONE) {
                decommit(addr, end);
                return (long)addr;
            }
            long r = commit(addr, end, p, 1);
            return r == -ENOMEM ? out_of_memory() : r ? r : (long)addr;
        }
        if (end <= ram_end)
            return ram_fixed(addr, end, !!(flags & L_MAP_FIXED_NOREPLACE));
        return -ENOMEM;
    }

    uint64_t align = len >= LARGE ? LARGE : PAGE;
    uint64_t va = 0;
    if (addr && !(addr % PAGE) && end > addr && in_virtual(addr, end) &&
        !area_overlaps(addr, end))
        va = addr;                      /* a usable hint */
    if (!va && p != PLAT_PROT_NONE) {
        uint64_t pa = ram_alloc(len / PAGE);
        if (pa) {
            for (uint64_t q = pa; q < pa + len; q += PAGE)
                user_set(q, 1);
            user_pages += len / PAGE;
            return (long)pa;
        }
    }
    if (!va && !(va = area_gap(len, align)))
        return -ENOMEM;
    if (area_add(va, va + len))
        return -ENOMEM;
    if (p != PLAT_PROT_NONE) {
        long r = commit(va, va + len, p, 0);
        if (r) {
            decommit(va, va + len);
            area_remove(va, va + len);
            return r == -ENOMEM ? out_of_memory() : r;
        }
    }
    return (long)va;
}

long vm_munmap(uint64_t addr, uint64_t len)
{
    if (addr % PAGE || !len)
        return -EINVAL;
    uint64_t end = addr + ALIGN_UP(len, PAGE);
    if (end < addr)
        return -EINVAL;
    if (addr < ram_end)
        ram_unmap(addr, end < ram_end ? end : ram_end);
    uint64_t s = addr > vlow ? addr : vlow, e = end < VA_TOP ? end : VA_TOP;
    if (s < e) {
        decommit(s, e);
        /* Out of memory to split an area, the range stays reserved (but
         * empty): harmless, and better than failing munmap. */
        area_remove(s, e);
    }
    return 0;
}

long vm_mprotect(uint64_t addr, uint64_t len, int prot)
{
    if (addr % PAGE)
        return -EINVAL;
    uint64_t end = addr + ALIGN_UP(len, PAGE);
    if (end < addr)
        return -ENOMEM;
    if (addr == end)
        return 0;
    if (end <= ram_end)
        return 0;                       /* RAM: always accessible */
    if (!in_virtual(addr, end) || !area_covers(addr, end))
        return -ENOMEM;
    unsigned p = plat_prot(prot);
    if (p != PLAT_PROT_NONE) {
        long r = commit(addr, end, p, 0);
        return r == -ENOMEM ? out_of_memory() : r;
    }
    struct walk w = { 0 };
    radix_walk(radix_root, 3, 0, addr, end, protect_none_one, &w);
    map_flush(&w.map);
    return w.map.err;
}

long vm_madvise(uint64_t addr, uint64_t len, int advice)
{
    if (addr % PAGE)
        return -EINVAL;
    uint64_t end = addr + ALIGN_UP(len, PAGE);
    if (end < addr)
        return -EINVAL;
    if (advice != L_MADV_DONTNEED)
        return 0;
    for (uint64_t pa = addr; pa < end && pa < ram_end; pa += PAGE)
        if (user_test(pa))
            zero_page(pa);
    uint64_t s = addr > vlow ? addr : vlow, e = end < VA_TOP ? end : VA_TOP;
    if (s < e)
        radix_walk(radix_root, 3, 0, s, e, zero_one, NULL);
    return 0;
}

long vm_brk(uint64_t addr)
{
    if (!brk_base) {
        uint64_t at = area_gap(BRK_SIZE, LARGE);
        if (!at || area_add(at, at + BRK_SIZE))
            return 0;
        brk_base = brk_cur = at;
    }
    if (addr < brk_base || addr > brk_base + BRK_SIZE)
        return (long)brk_cur;
    uint64_t old_top = ALIGN_UP(brk_cur, PAGE), new_top = ALIGN_UP(addr, PAGE);
    if (new_top > old_top) {
        if (commit(old_top, new_top, PLAT_PROT_READ | PLAT_PROT_WRITE, 0)) {
            decommit(old_top, new_top);
            out_of_memory();
            return (long)brk_cur;
        }
    } else if (new_top < old_top) {
        decommit(new_top, old_top);
    }
    brk_cur = addr;
    return (long)brk_cur;
}

size_t vm_pages_in_use(void)
{
    return user_pages + committed_pages;
}
