# cython: language_level=3, boundscheck=False, wraparound=False
"""netback's hot path in C: the tx and rx rings of one NIC (xen/io/netif.h).

NetBack (netback.py) keeps xenbus, its thread and the network; each pass it
calls `NetRings.tx` (drain the tx ring: check and copy every frame out of its
granted page, answer it, one push) and `NetRings.rx` (fill
the rx buffers the frontend posted with queued frames). Checked as in
blkring.pyx: req_prod against the responses (an impossible index breaks the
rings; the caller shuts the NIC), each request copied before it is parsed,
the frame's size, flags and grant (inside the table, permitted to domain 0,
writable for rx, [offset, offset+size) inside its page, the frame in RAM).
"""

include "guestview.pxi"

from libc.stdlib cimport malloc, free

DEF TX_REQ = 12                         # gref, offset, flags, id, size (a response is 4)
DEF RX_REQ = 8                          # id, pad, gref (a response is 8)
DEF NETTXF_more_data = 4
DEF FRAME_MIN = 14
DEF FRAME_MAX = 1514
DEF RSP_ERROR = -1
DEF MAX_ERRORS = 8

# Why a tx request or rx buffer was refused (netback.py words the message).
cdef enum:
    R_SCATTER = 1
    R_SIZE
    R_GRANT
E_SCATTER, E_SIZE, E_GRANT = R_SCATTER, R_SIZE, R_GRANT


class RingBroken(Exception):
    """The frontend's producer index is impossible."""


cdef struct Failure:
    int code
    int64_t a, b, c, d, e


cdef struct Ring:
    unsigned char *page
    uint32_t slot, size, req_cons, rsp_prod_pvt


cdef void ring_init(Ring *r, unsigned char *page, uint32_t slot) noexcept nogil:
    r.page, r.slot, r.size = page, slot, ring_slots(slot)
    # A fresh ring: the frontend initialised req_prod = rsp_prod = 0.
    r.req_cons = unik_ld32(page)
    r.rsp_prod_pvt = unik_ld32(page + 8)


cdef int64_t ring_waiting(Ring *r) noexcept nogil:
    """Requests waiting (req_prod read once), or -1 for an impossible index."""
    cdef uint32_t prod = unik_ld32(r.page)
    if <uint32_t>(prod - r.rsp_prod_pvt) > r.size:
        return -1
    return <uint32_t>(prod - r.req_cons)


cdef inline unsigned char *ring_slot(Ring *r, uint32_t idx) noexcept nogil:
    return r.page + HEADER + (idx % r.size) * r.slot


cdef bint ring_push(Ring *r) noexcept nogil:
    """RING_PUSH_RESPONSES_AND_CHECK_NOTIFY: True when the frontend wants an event."""
    cdef uint32_t old = unik_ld32(r.page + 8), new = r.rsp_prod_pvt
    unik_st32(r.page + 8, new)
    unik_mb()
    return <uint32_t>(new - unik_ld32(r.page + 12)) < <uint32_t>(new - old)


cdef int64_t ring_final_check(Ring *r) noexcept nogil:
    """RING_FINAL_CHECK_FOR_REQUESTS: >0 when requests came in, -1 broken."""
    cdef int64_t n = ring_waiting(r)
    if n != 0:
        return n
    unik_st32(r.page + 4, r.req_cons + 1)
    unik_mb()
    return ring_waiting(r)


cdef class NetRings:
    """The backend halves of a NIC's tx and rx rings."""

    cdef unsigned char[::1] ram_view        # keeps guest RAM's buffer alive
    cdef GuestView g
    cdef object grants
    cdef Ring tx_ring, rx_ring
    cdef unsigned char *staging             # frames copied out of a tx pass
    cdef uint16_t *lengths
    cdef Failure failures[MAX_ERRORS]
    cdef int nfail

    def __cinit__(self):
        self.staging = NULL
        self.lengths = NULL

    def __init__(self, mem, grants, uint64_t tx_addr, uint64_t rx_addr):
        self.ram_view = mem.view
        self.g.ram = &self.ram_view[0]
        self.g.base, self.g.size = mem.base, mem.size
        for addr in (tx_addr, rx_addr):
            if not inside(&self.g, addr, PAGE):
                raise ValueError(f"ring page {addr:#x} outside RAM")
        self.grants = grants
        ring_init(&self.tx_ring, self.g.ram + (tx_addr - self.g.base), TX_REQ)
        ring_init(&self.rx_ring, self.g.ram + (rx_addr - self.g.base), RX_REQ)
        self.staging = <unsigned char *>malloc(self.tx_ring.size * FRAME_MAX)
        self.lengths = <uint16_t *>malloc(self.tx_ring.size * sizeof(uint16_t))
        if self.staging == NULL or self.lengths == NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.staging)
        free(self.lengths)

    cdef void _fail(self, int code, int64_t a, int64_t b, int64_t c, int64_t d,
                    int64_t e) noexcept nogil:
        if self.nfail < MAX_ERRORS:
            self.failures[self.nfail] = Failure(code, a, b, c, d, e)
        self.nfail += 1

    cdef _report(self):
        cdef int i
        out = [(self.failures[i].code, self.failures[i].a, self.failures[i].b,
                self.failures[i].c, self.failures[i].d, self.failures[i].e)
               for i in range(min(self.nfail, MAX_ERRORS))]
        return out, max(0, self.nfail - MAX_ERRORS)

    def tx(self):
        """One pass over the tx ring: (frames, notify?, failures, failures not
        detailed). Raises RingBroken."""
        cdef int64_t n
        cdef uint32_t i, count = 0
        cdef bint notify = False
        self.nfail = 0
        view_frames(&self.g, self.grants)
        # Holding the GIL: frames are small, and giving it up here would let
        # the vCPU thread take it for up to a switch interval (5 ms).
        n = ring_waiting(&self.tx_ring)
        if n > 0:
            count = self._drain_tx(<uint32_t>n)
            notify = ring_push(&self.tx_ring)
        if n < 0:
            raise RingBroken(f"tx request producer is more than {self.tx_ring.size} ahead "
                             f"of the responses ({self.tx_ring.rsp_prod_pvt})")
        frames = [self.staging[i * FRAME_MAX:i * FRAME_MAX + self.lengths[i]]
                  for i in range(count) if self.lengths[i]]
        failures, more = self._report()
        return frames, notify, failures, more

    cdef uint32_t _drain_tx(self, uint32_t n) noexcept nogil:
        cdef unsigned char req[TX_REQ]
        cdef unsigned char *rsp
        cdef unsigned char *src
        cdef uint32_t i, gref
        cdef uint16_t offset, flags, rid, size
        cdef int16_t status
        cdef uint64_t frame
        cdef int code
        for i in range(n):
            memcpy(req, ring_slot(&self.tx_ring, self.tx_ring.req_cons), TX_REQ)
            self.tx_ring.req_cons += 1
            memcpy(&gref, req, 4)
            memcpy(&offset, req + 4, 2)
            memcpy(&flags, req + 6, 2)
            memcpy(&rid, req + 8, 2)
            memcpy(&size, req + 10, 2)
            status = 0
            self.lengths[i] = 0
            if flags & NETTXF_more_data:
                self._fail(R_SCATTER, 0, 0, 0, 0, 0)
                status = RSP_ERROR
            elif size < FRAME_MIN or size > FRAME_MAX:
                self._fail(R_SIZE, size, 0, 0, 0, 0)
                status = RSP_ERROR
            else:
                code = grant_span(&self.g, gref, False, offset, size, &src, &frame)
                if code:
                    self._fail(R_GRANT, code, gref, <int64_t>frame, offset, size)
                    status = RSP_ERROR
                else:
                    memcpy(self.staging + i * FRAME_MAX, src, size)
                    self.lengths[i] = size
            rsp = ring_slot(&self.tx_ring, self.tx_ring.rsp_prod_pvt)
            memcpy(rsp, &rid, 2)
            memcpy(rsp + 2, &status, 2)
            self.tx_ring.rsp_prod_pvt += 1
        return n

    def rx(self, queue):
        """Fill posted rx buffers with frames from queue (a deque, consumed
        from the left): (frames delivered, notify?, failures, not detailed).
        Raises RingBroken."""
        cdef int64_t n = ring_waiting(&self.rx_ring)
        cdef unsigned char *req
        cdef unsigned char *rsp
        cdef unsigned char *dst
        cdef uint16_t rid, zero = 0
        cdef uint32_t gref
        cdef int16_t status
        cdef uint64_t frame
        cdef const unsigned char[::1] data
        cdef Py_ssize_t length
        cdef int code
        cdef long moved = 0, delivered = 0
        self.nfail = 0
        if n < 0:
            raise RingBroken(f"rx request producer is more than {self.rx_ring.size} ahead "
                             f"of the responses ({self.rx_ring.rsp_prod_pvt})")
        if n and queue:
            view_frames(&self.g, self.grants)
        while n > 0 and queue:
            data = queue.popleft()
            length = data.shape[0]
            req = ring_slot(&self.rx_ring, self.rx_ring.req_cons)
            memcpy(&rid, req, 2)
            memcpy(&gref, req + 4, 4)
            self.rx_ring.req_cons += 1
            n -= 1
            code = grant_span(&self.g, gref, True, 0, <uint32_t>length, &dst, &frame)
            if code:
                self._fail(R_GRANT, code, gref, <int64_t>frame, 0, length)
                status = RSP_ERROR
            else:
                if length:
                    memcpy(dst, &data[0], length)
                status = <int16_t>length
                delivered += 1
            rsp = ring_slot(&self.rx_ring, self.rx_ring.rsp_prod_pvt)
            memcpy(rsp, &rid, 2)
            memcpy(rsp + 2, &zero, 2)
            memcpy(rsp + 4, &zero, 2)
            memcpy(rsp + 6, &status, 2)
            self.rx_ring.rsp_prod_pvt += 1
            moved += 1
        notify = ring_push(&self.rx_ring) if moved else False
        failures, more = self._report()
        return moved, delivered, notify, failures, more

    def final_check_tx(self) -> bool:
        """Arm tx req_event; True when requests came in meanwhile."""
        return self._final(&self.tx_ring, "tx")

    def final_check_rx(self) -> bool:
        return self._final(&self.rx_ring, "rx")

    cdef bint _final(self, Ring *r, str which) except -1:
        cdef int64_t n = ring_final_check(r)
        if n < 0:
            raise RingBroken(f"{which} request producer is more than {r.size} ahead of the "
                             f"responses ({r.rsp_prod_pvt})")
        return n > 0
