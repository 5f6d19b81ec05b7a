# Included by the backends' Cython ring modules (blkring.pyx, netring.pyx):
# guest RAM as a raw pointer with its bounds, the grant-table check, and the
# ring page's atomic loads and stores. Every guest-supplied number passes
# through here before it becomes an address.

from libc.stdint cimport uint8_t, uint16_t, int16_t, uint32_t, uint64_t, int64_t
from libc.string cimport memcpy

cdef extern from *:
    """
    #include <stdint.h>
    static inline uint32_t unik_ld32(const unsigned char *p) {
        return __atomic_load_n((const uint32_t *)(const void *)p, __ATOMIC_ACQUIRE);
    }
    static inline void unik_st32(unsigned char *p, uint32_t v) {
        __atomic_store_n((uint32_t *)(void *)p, v, __ATOMIC_RELEASE);
    }
    static inline void unik_mb(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
    static inline int64_t unik_ld64(const int64_t *p) {
        return __atomic_load_n(p, __ATOMIC_RELAXED);
    }
    """
    uint32_t unik_ld32(const unsigned char *p) nogil
    void unik_st32(unsigned char *p, uint32_t v) nogil
    void unik_mb() nogil
    int64_t unik_ld64(const int64_t *p) nogil

DEF PAGE = 4096
DEF HEADER = 64                         # req_prod, req_event, rsp_prod, rsp_event, padding
DEF MAX_FRAMES = 8                      # grants.MAX_FRAMES
DEF ENTRIES_PER_FRAME = PAGE // 8
DEF GTF_type_mask = 3
DEF GTF_permit_access = 1
DEF GTF_readonly = 4
DEF BACKEND_DOMID = 0

# Why a grant was refused (0: it was fine).
cdef enum:
    G_TABLE = 1
    G_DOMAIN
    G_READONLY
    G_RAM
    G_SPAN


cdef struct GuestView:
    unsigned char *ram
    uint64_t base, size
    const int64_t *frames               # grant-table frames (pfn, or -1), MAX_FRAMES of them


cdef int view_frames(GuestView *g, grants) except -1:
    """Point at the grant table's frame array (grants.frame_array: fixed,
    updated in place when the guest adds a frame, so a backend thread
    sees the change; the caller keeps grants alive)."""
    cdef const int64_t[::1] frames = grants.frame_array
    if frames.shape[0] != MAX_FRAMES:
        raise ValueError("grant table frame array of the wrong size")
    g.frames = &frames[0]
    return 0


cdef inline bint inside(const GuestView *g, uint64_t addr, uint64_t length) noexcept nogil:
    return addr >= g.base and length <= g.size and addr - g.base <= g.size - length


cdef int grant_span(const GuestView *g, uint32_t gref, bint write, uint32_t offset,
                    uint32_t length, unsigned char **out, uint64_t *frame) noexcept nogil:
    """Point out at [offset, offset+length) of the page gref grants domain 0,
    or say why not (frame holds the named frame, for G_RAM's message)."""
    cdef uint32_t idx = gref // ENTRIES_PER_FRAME, slot = gref % ENTRIES_PER_FRAME
    cdef uint64_t entry, page
    cdef uint16_t flags, dom
    cdef uint32_t f
    frame[0] = 0
    if offset > PAGE or length > PAGE - offset:
        return G_SPAN
    cdef int64_t pfn
    if idx >= MAX_FRAMES:
        return G_TABLE
    pfn = unik_ld64(g.frames + idx)
    if pfn < 0:
        return G_TABLE
    entry = <uint64_t>pfn * PAGE + slot * 8
    if not inside(g, entry, 8):
        return G_TABLE
    entry -= g.base
    memcpy(&flags, g.ram + entry, 2)
    memcpy(&dom, g.ram + entry + 2, 2)
    memcpy(&f, g.ram + entry + 4, 4)
    if (flags & GTF_type_mask) != GTF_permit_access or dom != BACKEND_DOMID:
        return G_DOMAIN
    if write and (flags & GTF_readonly):
        return G_READONLY
    frame[0] = f
    page = <uint64_t>f * PAGE
    if not inside(g, page, PAGE):
        return G_RAM
    out[0] = g.ram + (page - g.base) + offset
    return 0


cdef inline uint32_t ring_slots(uint32_t slot_size) noexcept nogil:
    """Slots in a one-page ring: a power of two (xen/io/ring.h)."""
    cdef uint32_t n = 1
    while n * 2 <= (PAGE - HEADER) // slot_size:
        n *= 2
    return n


def grant_message(int code, uint64_t gref, uint64_t frame, uint32_t offset, uint32_t length):
    """The user's words for a refused grant (as grants.GrantError says it)."""
    if code == G_TABLE:
        return f"grant reference {gref} outside the grant table"
    if code == G_DOMAIN:
        return f"grant reference {gref} does not grant access to domain {BACKEND_DOMID}"
    if code == G_READONLY:
        return f"grant reference {gref} is read-only"
    if code == G_RAM:
        return f"grant reference {gref} names frame {frame:#x} outside RAM"
    return f"grant reference {gref}: bytes {offset}..{offset + length} outside its page"
