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

include "guestview.pxi"

from libc.errno cimport errno, EINTR
from posix.unistd cimport fdatasync
from posix.types cimport off_t

cdef extern from "<sys/uio.h>" nogil:
    struct iovec:
        void *iov_base
        size_t iov_len
    ssize_t preadv(int fd, const iovec *iov, int iovcnt, off_t offset)
    ssize_t pwritev(int fd, const iovec *iov, int iovcnt, off_t offset)

DEF SECTOR = 512
DEF MAX_SEGMENTS = 11
DEF REQ_HEAD = 24                       # operation, nr_segments, handle, pad, id, sector
DEF SEG_SIZE = 8                        # gref, first_sect, last_sect, pad
DEF REQ_SIZE = REQ_HEAD + MAX_SEGMENTS * SEG_SIZE    # 112 (a response is 16)
DEF MAX_ERRORS = 8                      # details kept per call; the rest are counted

# Why a request was refused (blkback.py words the message).
cdef enum:
    R_NSEG = 1
    R_READONLY_DISK
    R_SEG_PAGE
    R_GRANT
    R_BEYOND
    R_SHORT
    R_IO
E_NSEG, E_READONLY_DISK, E_SEG_PAGE, E_GRANT = R_NSEG, R_READONLY_DISK, R_SEG_PAGE, R_GRANT
E_BEYOND, E_SHORT, E_IO = R_BEYOND, R_SHORT, R_IO


cdef struct Failure:
    int code
    uint64_t rid
    int64_t a, b, c


cdef class BlkRing:
    """The backend half of one blkif ring (guest memory, grant table, file)."""

    cdef unsigned char[::1] ram_view        # keeps guest RAM's buffer alive
    cdef GuestView g
    cdef unsigned char *ring
    cdef public uint32_t req_cons, rsp_prod_pvt
    cdef uint32_t size
    cdef object grants
    cdef int fd
    cdef uint64_t sectors
    cdef bint readonly
    cdef Failure failures[MAX_ERRORS]
    cdef int nfail

    def __init__(self, mem, grants, uint64_t ring_addr, int fd, uint64_t sectors,
                 bint readonly):
        self.ram_view = mem.view
        self.g.ram = &self.ram_view[0]
        self.g.base, self.g.size = mem.base, mem.size
        if not inside(&self.g, ring_addr, PAGE):
            raise ValueError(f"ring page {ring_addr:#x} outside RAM")
        self.ring = self.g.ram + (ring_addr - self.g.base)
        self.size = ring_slots(REQ_SIZE)
        self.grants = grants
        self.fd, self.sectors, self.readonly = fd, sectors, readonly
        # A fresh ring: the frontend initialised req_prod = rsp_prod = 0.
        self.req_cons = unik_ld32(self.ring)
        self.rsp_prod_pvt = unik_ld32(self.ring + 8)

    def serve(self):
        """Drain the ring. Returns (requests served, notify the guest?, ring
        broken?, failures: [(code, id, a, b, c)], failures not detailed)."""
        cdef int i
        cdef Failure *f
        view_frames(&self.g, self.grants)
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
        cdef unsigned char *ring = self.ring
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
        cdef uint64_t sector, total = 0, frame, length
        cdef unsigned char *buf
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
            length = (last - first + 1) * SECTOR
            # A read writes guest memory: the grant must be writable.
            code = grant_span(&self.g, gref, op == 0, first * SECTOR, length, &buf, &frame)
            if code:
                self._fail(R_GRANT, rid, code, gref, <int64_t>frame)
                return -1
            iov[i].iov_base = buf
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
