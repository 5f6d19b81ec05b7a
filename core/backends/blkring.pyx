# cython: language_level=3, boundscheck=False, wraparound=False
"""blkback's hot path in C: serve the requests on a blkif ring.

BlkBack (blkback.py) keeps xenbus, connection and logging in Python. Its
thread sits in `BlkRing.run`, which polls the ring without the GIL while
requests flow (busy for a while after the last one, so a guest streaming
requests never needs to notify), then arms req_event and sleeps on the
wake fd the guest's notify writes to; it comes back to Python only to
notify the guest, log a refusal or stop. `BlkRing.serve` drains the ring
once, beside the thread (a mutex makes one server at a time): in the exit
of a guest that notified because it waits for a response, and when the
guest stops (what it queued is written before the file is closed). Each
pass works the same way: copy each request out of the shared page, check
it (segment count, each segment's sectors, its grant entry: inside the
table, GTF_permit_access for domain 0, writable when the device writes
guest memory, the frame inside RAM; the sector range inside the disk), join
it to the previous one when it continues it (same operation, the next
sectors; reads in runs of 22 pages at most), then preadv/pwritev each run
straight between the file and the granted pages and push its responses at
once with Xen's notify-check (RING_PUSH_RESPONSES_AND_CHECK_NOTIFY), so a
guest streaming reads works on one run while the next is read. Python spent ~20-40 µs
a request on this; here it is the system call.

The guest may rewrite the ring page at any time: req_prod is read once per
pass and refused when it is more than a ring ahead of the responses (the
caller shuts the device), each request is copied before it is parsed, and
every guest-supplied number is checked before it is used as an address.
Refused requests are answered BLKIF_RSP_ERROR and reported back to Python
(the first few of each call, with what was wrong) for the user's log.
"""

include "guestview.pxi"
include "pollthread.pxi"

from libc.errno cimport errno, EINTR
from posix.unistd cimport fdatasync, read
from posix.types cimport off_t

cdef extern from "<pthread.h>" nogil:
    ctypedef struct pthread_mutex_t:
        pass
    int pthread_mutex_init(pthread_mutex_t *m, void *attr)
    int pthread_mutex_lock(pthread_mutex_t *m)
    int pthread_mutex_unlock(pthread_mutex_t *m)
    int pthread_mutex_destroy(pthread_mutex_t *m)


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


cdef struct Fails:
    Failure f[MAX_ERRORS]
    int n


DEF GROUP_REQS = 32                     # a ring's worth
DEF GROUP_IOV = 64
# Reads are answered a group at a time: short groups let a guest that streams
# reads copy one group's pages while the next is read (bench/block.py: 64 KiB
# sequential reads ~0.9x of native with 64-page groups, ~1.05x with 22).
DEF READ_GROUP_IOV = 22


cdef struct Group:
    # Checked requests of one operation on contiguous sectors, not yet done.
    uint8_t op
    uint64_t sector, total
    int niov, nreq
    uint64_t rid[GROUP_REQS]
    iovec iov[GROUP_IOV]


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
    cdef Fails thread_fails, kick_fails    # each server's refusals, for its caller
    cdef Fails *fails                       # the current server's (under lock)
    cdef int stopping
    cdef Group group
    cdef pthread_mutex_t lock              # one server at a time: the thread or a kick

    def __cinit__(self):
        pthread_mutex_init(&self.lock, NULL)

    def __dealloc__(self):
        pthread_mutex_destroy(&self.lock)

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
        view_frames(&self.g, grants)
        self.fd, self.sectors, self.readonly = fd, sectors, readonly
        self.stopping = 0
        self.fails = &self.kick_fails
        # A fresh ring: the frontend initialised req_prod = rsp_prod = 0.
        self.req_cons = unik_ld32(self.ring)
        self.rsp_prod_pvt = unik_ld32(self.ring + 8)

    def serve(self):
        """Serve what is on the ring now, beside the thread in run() (a guest
        that waits kicks: it is then served in its exit, whether or not
        the thread has a CPU). Leaves req_event alone: the caller wakes the
        thread, which arms it when it goes idle. Returns (requests served,
        notify the guest?, ring broken?, failures: [(code, id, a, b, c)],
        failures not detailed)."""
        cdef long served = 0
        cdef int notify = 0, broken = 0
        with nogil:
            pthread_mutex_lock(&self.lock)
            self.kick_fails.n = 0
            self.fails = &self.kick_fails
            broken = self._drain(&served, &notify, 0)
            pthread_mutex_unlock(&self.lock)
        return (served, bool(notify), bool(broken)) + self._report(&self.kick_fails)

    def run(self, int wake_fd, uint64_t busy_ns):
        """Serve until Python has something to do: notify the guest, log a
        refusal, shut a broken ring, or stop (see stop()). Returns serve()'s
        tuple and stopped?. Polls the ring for busy_ns after the last request,
        then arms req_event and sleeps on wake_fd (the guest's notify)."""
        cdef long served = 0
        cdef int notify = 0, broken = 0
        self.thread_fails.n = 0
        with nogil:
            broken = self._run(wake_fd, busy_ns, &served, &notify)
        stopped = broken == 2
        return (served, bool(notify), broken == 1) + self._report(&self.thread_fails) + (stopped,)

    def stop(self):
        """Make run() return (the caller also writes the wake fd)."""
        unik_st_int(&self.stopping, 1)

    cdef tuple _report(self, Fails *fails):
        cdef int i
        cdef Failure *f
        details = []
        for i in range(min(fails.n, MAX_ERRORS)):
            f = &fails.f[i]
            details.append((f.code, f.rid, f.a, f.b, f.c))
        return details, max(0, fails.n - MAX_ERRORS)

    cdef int _run(self, int wake_fd, uint64_t busy_ns, long *served, int *notify) noexcept nogil:
        cdef unsigned char *ring = self.ring
        cdef uint64_t last = now_ns(), buf
        cdef long before
        cdef pollfd p
        cdef int r
        while True:
            if unik_ld_int(&self.stopping):
                return 2
            before = served[0]
            if unik_ld32(ring) != self.req_cons:
                pthread_mutex_lock(&self.lock)
                self.fails = &self.thread_fails
                r = self._drain(served, notify, 0)
                pthread_mutex_unlock(&self.lock)
                if r:
                    return 1
                if notify[0] or self.thread_fails.n:
                    return 0
            if served[0] != before:
                last = now_ns()
                continue
            if now_ns() - last < busy_ns:
                unik_pause()
                continue
            # Idle: ask for a notify (req_event), look once more, sleep.
            pthread_mutex_lock(&self.lock)
            unik_st32(ring + 4, self.req_cons + 1)
            unik_mb()
            r = unik_ld32(ring) != self.req_cons
            pthread_mutex_unlock(&self.lock)
            if r:
                continue
            p.fd, p.events, p.revents = wake_fd, POLLIN, 0
            if poll(&p, 1, 1000) > 0:
                read(wake_fd, &buf, 8)
            last = now_ns()

    cdef int _drain(self, long *served, int *notify, bint arm) noexcept nogil:
        """Serve the requests on the ring and push the responses; 1 when
        req_prod is impossible. With arm, until the ring stays empty after
        arming req_event (RING_FINAL_CHECK_FOR_REQUESTS); else one pass."""
        cdef unsigned char *ring = self.ring
        cdef unsigned char req[REQ_SIZE]
        cdef uint32_t prod
        cdef int16_t status
        cdef uint8_t op
        cdef uint64_t rid, sector, total
        cdef iovec iov[MAX_SEGMENTS]
        cdef int nseg
        cdef Group *grp = &self.group
        while True:
            prod = unik_ld32(ring)
            if <uint32_t>(prod - self.rsp_prod_pvt) > self.size:
                return 1
            if not arm and self.req_cons == prod:
                return 0                    # nothing new: leave the shared page alone
            grp.nreq = 0
            while self.req_cons != prod:
                memcpy(req, ring + HEADER + (self.req_cons % self.size) * REQ_SIZE, REQ_SIZE)
                self.req_cons += 1
                op = req[0]
                memcpy(&rid, req + 8, 8)
                if op == 0 or op == 1:
                    status = self._check(req, rid, iov, &nseg, &sector, &total)
                    if status == 0:
                        # Joins the group when it continues it: one system
                        # call for a run of contiguous reads or writes.
                        if grp.nreq and (grp.op != op or grp.sector + grp.total // SECTOR != sector
                                         or grp.niov + nseg > (GROUP_IOV if op else READ_GROUP_IOV)
                                         or grp.nreq == GROUP_REQS):
                            served[0] += self._do_group(notify)
                        if grp.nreq == 0:
                            grp.op, grp.sector, grp.total, grp.niov = op, sector, 0, 0
                        memcpy(&grp.iov[grp.niov], iov, nseg * sizeof(iovec))
                        grp.niov += nseg
                        grp.rid[grp.nreq] = rid
                        grp.nreq += 1
                        grp.total += total
                        continue
                served[0] += self._do_group(notify)
                if op == 3:                                # BLKIF_OP_FLUSH_DISKCACHE
                    status = 0
                    if fdatasync(self.fd) != 0:
                        self._fail(R_IO, rid, errno, 0, 0)
                        status = -1
                elif op != 0 and op != 1:
                    status = -2
                self._respond(rid, op, status)
                served[0] += 1
            served[0] += self._do_group(notify)
            self._push(notify)
            if not arm:
                return 0
            # RING_FINAL_CHECK_FOR_REQUESTS
            if unik_ld32(ring) != self.req_cons:
                continue
            unik_st32(ring + 4, self.req_cons + 1)
            unik_mb()
            if unik_ld32(ring) == self.req_cons:
                return 0

    cdef void _push(self, int *notify) noexcept nogil:
        """RING_PUSH_RESPONSES_AND_CHECK_NOTIFY."""
        cdef uint32_t old = unik_ld32(self.ring + 8), new = self.rsp_prod_pvt
        unik_st32(self.ring + 8, new)
        unik_mb()
        if <uint32_t>(new - unik_ld32(self.ring + 12)) < <uint32_t>(new - old):
            notify[0] = 1

    cdef void _respond(self, uint64_t rid, uint8_t op, int16_t status) noexcept nogil:
        cdef unsigned char *slot = self.ring + HEADER + (self.rsp_prod_pvt % self.size) * REQ_SIZE
        memcpy(slot, &rid, 8)
        slot[8] = op
        slot[9] = 0
        memcpy(slot + 10, &status, 2)
        self.rsp_prod_pvt += 1

    cdef int _do_group(self, int *notify) noexcept nogil:
        """Read or write the group's run in one system call, answer each of
        its requests and push the answers (a guest streaming reads copies
        this group's pages while the next is read); returns how many."""
        cdef Group *grp = &self.group
        cdef ssize_t done
        cdef int16_t status = 0
        cdef int i, n = grp.nreq
        if n == 0:
            return 0
        while True:
            if grp.op == 0:
                done = preadv(self.fd, grp.iov, grp.niov, <off_t>(grp.sector * SECTOR))
            else:
                done = pwritev(self.fd, grp.iov, grp.niov, <off_t>(grp.sector * SECTOR))
            if done >= 0 or errno != EINTR:
                break
        if done < 0:
            self._fail(R_IO, grp.rid[0], errno, 0, 0)
            status = -1
        elif <uint64_t>done != grp.total:
            self._fail(R_SHORT, grp.rid[0], grp.op, done, <int64_t>grp.total)
            status = -1
        for i in range(n):
            self._respond(grp.rid[i], grp.op, status)
        grp.nreq = 0
        self._push(notify)
        return n

    cdef void _fail(self, int code, uint64_t rid, int64_t a, int64_t b, int64_t c) noexcept nogil:
        cdef Fails *fs = self.fails
        if fs.n < MAX_ERRORS:
            fs.f[fs.n].code = code
            fs.f[fs.n].rid = rid
            fs.f[fs.n].a = a
            fs.f[fs.n].b = b
            fs.f[fs.n].c = c
        fs.n += 1

    cdef int16_t _check(self, const unsigned char *req, uint64_t rid, iovec *iov, int *nseg_out,
                        uint64_t *sector_out, uint64_t *total_out) noexcept nogil:
        """Check a read or write and point iov at its granted pages: 0, or
        the error status (the failure recorded)."""
        cdef uint8_t op = req[0], nseg = req[1], first, last
        cdef uint64_t sector, total = 0, frame, length
        cdef unsigned char *buf
        cdef uint32_t gref
        cdef int i, code
        memcpy(&sector, req + 16, 8)
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
        nseg_out[0], sector_out[0], total_out[0] = nseg, sector, total
        return 0
