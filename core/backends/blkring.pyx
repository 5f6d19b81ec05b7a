# cython: language_level=3, boundscheck=False, wraparound=False
"""blkback's hot path in C: serve every request on a blkif ring in one call.

BlkBack (blkback.py) keeps xenbus, connection and logging in Python; a guest
notify lands in `BlkRing.serve`, which drains the ring without the GIL:
copy each request out of the shared page, check it (segment count, each
segment's sectors, its grant entry: inside the table, GTF_permit_access for
domain 0, writable when the device writes guest memory, the frame inside
RAM; the sector range inside the disk), preadv/pwritev straight between the
file and the granted pages, queue the response, and push with Xen's
notify-check (RING_PUSH_RESPONSES_AND_CHECK_NOTIFY, then
RING_FINAL_CHECK_FOR_REQUESTS). Python spent ~20-40 µs a request on this;
here it is the system call.

The guest may rewrite the ring page at any time: req_prod is read once per
pass and refused when it is more than a ring ahead of the responses (the
caller shuts the device), each request is copied before it is parsed, and
every guest-supplied number is checked before it is used as an address.
Refused requests are answered BLKIF_RSP_ERROR and reported back to Python
(the first few of each call, with what was wrong) for the user's log.
"""

from libc.stdint cimport uint8_t, uint16_t, int16_t, uint32_t, uint64_t, int64_t
from libc.string cimport memcpy
from libc.errno cimport errno, EINTR
from posix.unistd cimport fdatasync
from posix.types cimport off_t

cdef extern from "<sys/uio.h>" nogil:
    struct iovec:
        void *iov_base
        size_t iov_len
    ssize_t preadv(int fd, const iovec *iov, int iovcnt, off_t offset)
    ssize_t pwritev(int fd, const iovec *iov, int iovcnt, off_t offset)

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
    """
    uint32_t unik_ld32(const unsigned char *p) nogil
    void unik_st32(unsigned char *p, uint32_t v) nogil
    void unik_mb() nogil

DEF PAGE = 4096
DEF HEADER = 64
DEF SECTOR = 512
DEF MAX_SEGMENTS = 11
DEF REQ_HEAD = 24                       # operation, nr_segments, handle, pad, id, sector
DEF SEG_SIZE = 8                        # gref, first_sect, last_sect, pad
DEF REQ_SIZE = REQ_HEAD + MAX_SEGMENTS * SEG_SIZE    # 112
DEF RSP_SIZE = 16                       # id, operation, pad, status, pad
DEF MAX_FRAMES = 8                      # grants.MAX_FRAMES
DEF ENTRIES_PER_FRAME = PAGE // 8
DEF GTF_type_mask = 3
DEF GTF_permit_access = 1
DEF GTF_readonly = 4
DEF BACKEND_DOMID = 0
DEF MAX_ERRORS = 8                      # details kept per call; the rest are counted

OP_READ, OP_WRITE, OP_FLUSH = 0, 1, 3
RSP_OKAY, RSP_ERROR, RSP_EOPNOTSUPP = 0, -1, -2

# Why a request was refused (the Python side words the message).
cdef enum:
    R_NSEG = 1
    R_READONLY_DISK
    R_SEG_PAGE
    R_GREF_TABLE
    R_GREF_DOMAIN
    R_GREF_READONLY
    R_GREF_RAM
    R_BEYOND
    R_SHORT
    R_IO
E_NSEG, E_READONLY_DISK, E_SEG_PAGE, E_GREF_TABLE = R_NSEG, R_READONLY_DISK, R_SEG_PAGE, R_GREF_TABLE
E_GREF_DOMAIN, E_GREF_READONLY, E_GREF_RAM = R_GREF_DOMAIN, R_GREF_READONLY, R_GREF_RAM
E_BEYOND, E_SHORT, E_IO = R_BEYOND, R_SHORT, R_IO


cdef struct Failure:
    int code
    uint64_t rid
    int64_t a, b, c


cdef class BlkRing:
    """The backend half of one blkif ring (guest memory, grant table, file)."""

    cdef unsigned char[::1] ram_view        # keeps guest RAM's buffer alive
    cdef unsigned char *ram
    cdef uint64_t ram_base, ram_size
    cdef uint64_t ring_off                  # the ring page's offset in RAM
    cdef public uint32_t req_cons, rsp_prod_pvt
    cdef uint32_t size
    cdef object grants
    cdef int64_t frames[MAX_FRAMES]         # grant-table frames (pfn or -1), per call
    cdef int fd
    cdef uint64_t sectors
    cdef bint readonly
    cdef Failure failures[MAX_ERRORS]
    cdef int nfail

    def __init__(self, mem, grants, uint64_t ring_addr, int fd, uint64_t sectors,
                 bint readonly):
        self.ram_view = mem.view
        self.ram = &self.ram_view[0]
        self.ram_base, self.ram_size = mem.base, mem.size
        if ring_addr < self.ram_base or ring_addr - self.ram_base + PAGE > self.ram_size:
            raise ValueError(f"ring page {ring_addr:#x} outside RAM")
        self.ring_off = ring_addr - self.ram_base
        self.size = 1
        while self.size * 2 <= (PAGE - HEADER) // REQ_SIZE:
            self.size *= 2
        self.grants = grants
        self.fd, self.sectors, self.readonly = fd, sectors, readonly
        # A fresh ring: the frontend initialised req_prod = rsp_prod = 0.
        self.req_cons = unik_ld32(self.ram + self.ring_off)
        self.rsp_prod_pvt = unik_ld32(self.ram + self.ring_off + 8)

    def serve(self):
        """Drain the ring. Returns (requests served, notify the guest?, ring
        broken?, failures: [(code, id, a, b, c)], failures not detailed)."""
        cdef int i
        cdef Failure *f
        frames = self.grants.frames
        for i in range(MAX_FRAMES):
            pfn = frames[i] if i < len(frames) else None
            self.frames[i] = -1 if pfn is None else <int64_t>pfn
        self.nfail = 0
        cdef long served = 0
        cdef int notify = 0, broken = 0
        with nogil:
            broken = self._drain(&served, &notify)
        details = []
        for i in range(min(self.nfail, MAX_ERRORS)):
            f = &self.failures[i]
            details.append((f.code, f.rid, f.a, f.b, f.c))
        return served, bool(notify), bool(broken), details, max(0, self.nfail - MAX_ERRORS)

    cdef int _drain(self, long *served, int *notify) noexcept nogil:
        cdef unsigned char *ring = self.ram + self.ring_off
        cdef unsigned char req[REQ_SIZE]
        cdef unsigned char *slot
        cdef uint32_t prod, old, new, event
        cdef int16_t status
        cdef uint8_t op
        cdef uint64_t rid
        while True:
            prod = unik_ld32(ring)
            if <uint32_t>(prod - self.rsp_prod_pvt) > self.size:
                return 1
            while self.req_cons != prod:
                memcpy(req, ring + HEADER + (self.req_cons % self.size) * REQ_SIZE, REQ_SIZE)
                self.req_cons += 1
                op = req[0]
                memcpy(&rid, req + 8, 8)
                status = self._request(req, rid)
                slot = ring + HEADER + (self.rsp_prod_pvt % self.size) * REQ_SIZE
                memcpy(slot, &rid, 8)
                slot[8] = op
                slot[9] = 0
                memcpy(slot + 10, &status, 2)
                self.rsp_prod_pvt += 1
                served[0] += 1
            # RING_PUSH_RESPONSES_AND_CHECK_NOTIFY
            old = unik_ld32(ring + 8)
            new = self.rsp_prod_pvt
            unik_st32(ring + 8, new)
            unik_mb()
            event = unik_ld32(ring + 12)
            if <uint32_t>(new - event) < <uint32_t>(new - old):
                notify[0] = 1
            # RING_FINAL_CHECK_FOR_REQUESTS
            if unik_ld32(ring) != self.req_cons:
                continue
            unik_st32(ring + 4, self.req_cons + 1)
            unik_mb()
            if unik_ld32(ring) == self.req_cons:
                return 0

    cdef void _fail(self, int code, uint64_t rid, int64_t a, int64_t b, int64_t c) noexcept nogil:
        if self.nfail < MAX_ERRORS:
            self.failures[self.nfail].code = code
            self.failures[self.nfail].rid = rid
            self.failures[self.nfail].a = a
            self.failures[self.nfail].b = b
            self.failures[self.nfail].c = c
        self.nfail += 1

    cdef int16_t _request(self, const unsigned char *req, uint64_t rid) noexcept nogil:
        cdef uint8_t op = req[0], nseg = req[1], first, last
        cdef uint64_t sector, total = 0, page, length
        cdef uint32_t gref
        cdef iovec iov[MAX_SEGMENTS]
        cdef int i, code
        cdef ssize_t done
        memcpy(&sector, req + 16, 8)
        if op == 3:                                    # BLKIF_OP_FLUSH_DISKCACHE
            if fdatasync(self.fd) != 0:
                self._fail(R_IO, rid, errno, 0, 0)
                return -1
            return 0
        if op != 0 and op != 1:
            return -2
        if op == 1 and self.readonly:
            self._fail(R_READONLY_DISK, rid, 0, 0, 0)
            return -1
        if nseg < 1 or nseg > MAX_SEGMENTS:
            self._fail(R_NSEG, rid, nseg, 0, 0)
            return -1
        for i in range(nseg):
            memcpy(&gref, req + REQ_HEAD + i * SEG_SIZE, 4)
            first = req[REQ_HEAD + i * SEG_SIZE + 4]
            last = req[REQ_HEAD + i * SEG_SIZE + 5]
            if first > last or last >= PAGE // SECTOR:
                self._fail(R_SEG_PAGE, rid, i, first, last)
                return -1
            # A read writes guest memory: the grant must be writable.
            code = self._grant(gref, op == 0, &page)
            if code:
                self._fail(code, rid, gref, <int64_t>page, 0)
                return -1
            length = (last - first + 1) * SECTOR
            iov[i].iov_base = self.ram + (page - self.ram_base) + first * SECTOR
            iov[i].iov_len = length
            total += length
        if sector >= self.sectors or sector + total // SECTOR > self.sectors:
            self._fail(R_BEYOND, rid, <int64_t>sector, <int64_t>(sector + total // SECTOR),
                       <int64_t>self.sectors)
            return -1
        while True:
            if op == 0:
                done = preadv(self.fd, iov, nseg, <off_t>(sector * SECTOR))
            else:
                done = pwritev(self.fd, iov, nseg, <off_t>(sector * SECTOR))
            if done >= 0 or errno != EINTR:
                break
        if done < 0:
            self._fail(R_IO, rid, errno, 0, 0)
            return -1
        if <uint64_t>done != total:
            self._fail(R_SHORT, rid, op, done, <int64_t>total)
            return -1
        return 0

    cdef int _grant(self, uint32_t gref, bint write, uint64_t *page) noexcept nogil:
        """The checked guest address of the page gref grants domain 0 (in
        page), or why not (for R_GREF_RAM, page holds the frame)."""
        cdef uint32_t idx = gref // ENTRIES_PER_FRAME, slot = gref % ENTRIES_PER_FRAME
        cdef uint64_t entry
        cdef uint16_t flags, dom
        cdef uint32_t frame
        page[0] = 0
        if idx >= MAX_FRAMES or self.frames[idx] < 0:
            return R_GREF_TABLE
        entry = <uint64_t>self.frames[idx] * PAGE + slot * 8
        if entry < self.ram_base or entry - self.ram_base + 8 > self.ram_size:
            return R_GREF_TABLE
        entry -= self.ram_base
        memcpy(&flags, self.ram + entry, 2)
        memcpy(&dom, self.ram + entry + 2, 2)
        memcpy(&frame, self.ram + entry + 4, 4)
        if (flags & GTF_type_mask) != GTF_permit_access or dom != BACKEND_DOMID:
            return R_GREF_DOMAIN
        if write and (flags & GTF_readonly):
            return R_GREF_READONLY
        page[0] = <uint64_t>frame * PAGE
        if page[0] < self.ram_base or page[0] - self.ram_base + PAGE > self.ram_size:
            page[0] = frame
            return R_GREF_RAM
        return 0
