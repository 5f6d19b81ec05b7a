# cython: language_level=3, boundscheck=False, wraparound=False
"""netback's hot path in C: a NIC's rings and its host network, on one thread.

NetBack (netback.py) keeps xenbus and the user's messages; its thread sits in
`HostNet.run`, which does everything per frame without the GIL:

- guest → host: drain the tx ring (check and copy each frame out of its
  granted page, answer it, one push) and hand each frame to the network;
- host → guest: frames from the network wait in a bounded queue (beyond
  it they are dropped, as a NIC drops) and fill the rx buffers the frontend
  posted;
- the network is libslirp (user-mode, `-p` forwards: its callbacks —
  send_packet, timers, the poll-fd protocol — are C functions here, so no
  Python runs per packet or per poll; `-p …/udp` forwards are read and
  written here in batches, udpfwd.pxi), or any fd that carries one frame
  per read and write (a TAP device; a socketpair in the tests);
- while frames flow it polls rings and network without sleeping (the guest
  then never has to notify: its exits cost ~50 us here); idle for busy_ns,
  it arms req_event (RING_FINAL_CHECK) and sleeps in poll() on the
  network's fds and the wake fd the guest's notify writes to.

It notifies the guest (when the frontend asked, rsp_event) in C when the
runner gave it an event target (`NetRings.direct_events`: the port's pending
bit set atomically in shared_info, evtchn.pxi, then the vCPU's wake eventfd
written), else by coming back to Python. It comes back to Python to report refusals, a broken ring or libslirp's complaints, or
when told to stop. Checks as in blkring.pyx: req_prod against the responses
(an impossible index breaks the rings: the caller shuts the NIC), each
request copied before it is parsed, the frame's size, flags and grant
(inside the table, permitted to domain 0, writable for rx, [offset,
offset+size) inside its page, the frame in RAM).
"""

include "guestview.pxi"
include "pollthread.pxi"
include "udpfwd.pxi"
include "evtchn.pxi"

from libc.stdint cimport uintptr_t
from libc.stdlib cimport malloc, free, realloc
from libc.string cimport memset
from libc.errno cimport errno, EINTR, EAGAIN
from posix.unistd cimport read, write

cdef extern from "<stdio.h>" nogil:
    int snprintf(char *buf, size_t n, const char *fmt, ...)


DEF TX_REQ = 12                         # gref, offset, flags, id, size (a response is 4)
DEF RX_REQ = 8                          # id, pad, gref (a response is 8)
DEF NETTXF_more_data = 4
DEF FRAME_MIN = 14
DEF FRAME_MAX = 1514
DEF QUEUE_FRAME = 1518                  # a frame from the host: 1514 and a VLAN tag at most
DEF RSP_ERROR = -1
DEF MAX_ERRORS = 8
DEF RX_QUEUE = 1024                     # frames waiting for rx buffers
DEF FD_READS = 64                       # frames read from an fd network per pass
DEF MAX_NOTES = 4                       # libslirp's guest_error lines kept per call
DEF NOTE_LEN = 160
DEF SLIRP_POLL_IN = 1
DEF SLIRP_POLL_OUT = 2
DEF SLIRP_POLL_PRI = 4
DEF SLIRP_POLL_ERR = 8
DEF SLIRP_POLL_HUP = 16

# Why a tx request or rx buffer was refused (netback.py words the message).
cdef enum:
    R_SCATTER = 1
    R_SIZE
    R_GRANT
    R_RX_GRANT
E_SCATTER, E_SIZE, E_GRANT, E_RX_GRANT = R_SCATTER, R_SIZE, R_GRANT, R_RX_GRANT

# What the network is.
cdef enum:
    NET_NONE = 0
    NET_FD
    NET_SLIRP


# ---- the rings ---------------------------------------------------------------------

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


cdef struct Rings:
    GuestView g
    Ring tx_ring, rx_ring
    unsigned char *staging              # frames copied out of a tx pass
    uint16_t *lengths
    unsigned char *evt_si               # the guest's shared_info (NULL: notify via Python)
    unsigned evt_port
    int evt_fd                          # the vCPU's wake eventfd
    uint64_t notifies                   # raised here, in C


cdef class NetRings:
    """The backend halves of a NIC's tx and rx rings (mapped at connect)."""

    cdef unsigned char[::1] ram_view        # keeps guest RAM's buffer alive
    cdef object grants                      # keeps the grant frame array alive
    cdef Rings c

    def __cinit__(self):
        self.c.staging = NULL
        self.c.lengths = NULL
        self.c.evt_si = NULL
        self.c.evt_fd = -1

    def __init__(self, mem, grants, uint64_t tx_addr, uint64_t rx_addr):
        self.ram_view = mem.view
        self.c.g.ram = &self.ram_view[0]
        self.c.g.base, self.c.g.size = mem.base, mem.size
        for addr in (tx_addr, rx_addr):
            if not inside(&self.c.g, addr, PAGE):
                raise ValueError(f"ring page {addr:#x} outside RAM")
        self.grants = grants
        view_frames(&self.c.g, grants)
        ring_init(&self.c.tx_ring, self.c.g.ram + (tx_addr - self.c.g.base), TX_REQ)
        ring_init(&self.c.rx_ring, self.c.g.ram + (rx_addr - self.c.g.base), RX_REQ)
        self.c.staging = <unsigned char *>malloc(self.c.tx_ring.size * FRAME_MAX)
        self.c.lengths = <uint16_t *>malloc(self.c.tx_ring.size * sizeof(uint16_t))
        if self.c.staging == NULL or self.c.lengths == NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.c.staging)
        free(self.c.lengths)

    def direct_events(self, uint64_t shared_info, unsigned port, int wake_fd):
        """Notify the guest from the thread, in C: set `port` pending in the
        shared_info page at guest address shared_info and write wake_fd (the
        vCPU's wait), instead of coming back to Python for each notify."""
        if not inside(&self.c.g, shared_info, PAGE) or port >= 4096 or wake_fd < 0:
            raise ValueError("shared_info, port or wake fd out of bounds")
        self.c.evt_port = port
        self.c.evt_fd = wake_fd
        self.c.evt_si = self.c.g.ram + (shared_info - self.c.g.base)

    @property
    def notifies(self):
        return self.c.notifies

    def broken_message(self, int which):
        cdef Ring *r = &self.c.tx_ring if which == 1 else &self.c.rx_ring
        return (f"{'tx' if which == 1 else 'rx'} request producer is more than {r.size} "
                f"ahead of the responses ({r.rsp_prod_pvt})")


# ---- the host network ------------------------------------------------------------

ctypedef void (*TimerCb)(void *opaque) noexcept nogil
ctypedef int (*AddPollCb)(int fd, int events, void *opaque) noexcept nogil
ctypedef int (*GetREventsCb)(int idx, void *opaque) noexcept nogil
ctypedef void (*SlirpInput)(void *slirp, const uint8_t *pkt, int pkt_len) noexcept nogil
ctypedef void (*SlirpFill)(void *slirp, uint32_t *timeout, AddPollCb cb, void *opaque) noexcept nogil
ctypedef void (*SlirpPoll)(void *slirp, int select_error, GetREventsCb cb,
                           void *opaque) noexcept nogil


cdef struct SlirpCb:
    # libslirp.h's SlirpCb (libslirp 4.x), in its order.
    ssize_t (*send_packet)(const void *buf, size_t len, void *opaque) noexcept nogil
    void (*guest_error)(const char *msg, void *opaque) noexcept nogil
    int64_t (*clock_get_ns)(void *opaque) noexcept nogil
    void *(*timer_new)(TimerCb cb, void *cb_opaque, void *opaque) noexcept nogil
    void (*timer_free)(void *timer, void *opaque) noexcept nogil
    void (*timer_mod)(void *timer, int64_t expire_time, void *opaque) noexcept nogil
    void (*register_poll_fd)(int fd, void *opaque) noexcept nogil
    void (*unregister_poll_fd)(int fd, void *opaque) noexcept nogil
    void (*notify)(void *opaque) noexcept nogil
    void *init_completed
    void *timer_new_opaque


cdef struct Timer:
    TimerCb cb
    void *opaque
    int64_t expire_ms                   # -1: not armed
    Timer *next


cdef struct Host:
    int kind
    int fd                              # NET_FD
    void *slirp                         # NET_SLIRP, and its entry points
    SlirpInput input
    SlirpFill fill
    SlirpPoll poll
    Timer *timers
    # frames for the guest: a ring of RX_QUEUE slots of QUEUE_FRAME bytes
    unsigned char *queue
    uint16_t *qlen
    uint32_t qhead, qtail
    # this pass's poll set: [0] is the wake fd
    pollfd *fds
    int nfds, capfds
    bint want_out                       # libslirp waits for a socket to take data
    uint64_t tx, rx, dropped
    uint64_t passes, sleeps             # loop rounds, and those that slept in poll()
    char notes[MAX_NOTES][NOTE_LEN]
    int nnotes
    udp_path udp                        # -p …/udp forwards read and written here


cdef ssize_t cb_send_packet(const void *buf, size_t length, void *opaque) noexcept nogil:
    cdef Host *h = <Host *>opaque
    queue_frame(h, <const unsigned char *>buf, length)
    return <ssize_t>length


cdef void cb_guest_error(const char *msg, void *opaque) noexcept nogil:
    cdef Host *h = <Host *>opaque
    if h.nnotes < MAX_NOTES:
        snprintf(h.notes[h.nnotes], NOTE_LEN, "%s", msg)
    h.nnotes += 1


cdef int64_t cb_clock_get_ns(void *opaque) noexcept nogil:
    return <int64_t>now_ns()


cdef void *cb_timer_new(TimerCb cb, void *cb_opaque, void *opaque) noexcept nogil:
    cdef Host *h = <Host *>opaque
    cdef Timer *t = <Timer *>malloc(sizeof(Timer))
    if t == NULL:
        return NULL
    t.cb, t.opaque, t.expire_ms, t.next = cb, cb_opaque, -1, h.timers
    h.timers = t
    return t


cdef void cb_timer_free(void *timer, void *opaque) noexcept nogil:
    cdef Host *h = <Host *>opaque
    cdef Timer **p = &h.timers
    while p[0] != NULL:
        if p[0] == <Timer *>timer:
            p[0] = p[0].next
            free(timer)
            return
        p = &p[0].next


cdef void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque) noexcept nogil:
    if timer != NULL:
        (<Timer *>timer).expire_ms = expire_ms


cdef void cb_fd(int fd, void *opaque) noexcept nogil:
    pass                                # the poll set is rebuilt every pass


cdef void cb_notify(void *opaque) noexcept nogil:
    pass                                # likewise: nothing sleeps on a stale set


cdef int cb_add_poll(int fd, int events, void *opaque) noexcept nogil:
    cdef Host *h = <Host *>opaque
    cdef short ev = 0
    cdef int i
    cdef pollfd *grown
    if h.nfds == h.capfds:
        grown = <pollfd *>realloc(h.fds, 2 * h.capfds * sizeof(pollfd))
        if grown == NULL:
            return -1
        h.fds, h.capfds = grown, 2 * h.capfds
    if events & SLIRP_POLL_IN:
        ev |= POLLIN
    if events & SLIRP_POLL_OUT:
        ev |= POLLOUT
        h.want_out = True
    if events & SLIRP_POLL_PRI:
        ev |= POLLPRI
    h.fds[h.nfds].fd, h.fds[h.nfds].events, h.fds[h.nfds].revents = fd, ev, 0
    for i in range(h.udp.n):
        if h.udp.fwd[i].fd == fd:
            h.udp.fwd[i].pidx = h.nfds
    h.nfds += 1
    return h.nfds - 1


cdef int cb_get_revents(int idx, void *opaque) noexcept nogil:
    cdef Host *h = <Host *>opaque
    cdef short r
    cdef int out = 0, i
    if idx < 1 or idx >= h.nfds:
        return 0
    r = h.fds[idx].revents
    for i in range(h.udp.n):
        if h.udp.fwd[i].pidx == idx:
            r &= POLLERR                # its datagrams are ours; its errors libslirp's
    if r & POLLIN:
        out |= SLIRP_POLL_IN
    if r & POLLOUT:
        out |= SLIRP_POLL_OUT
    if r & POLLPRI:
        out |= SLIRP_POLL_PRI
    if r & POLLERR:
        out |= SLIRP_POLL_ERR
    if r & POLLHUP:
        out |= SLIRP_POLL_HUP
    return out


cdef SlirpCb SLIRP_CALLBACKS
SLIRP_CALLBACKS.send_packet = cb_send_packet
SLIRP_CALLBACKS.guest_error = cb_guest_error
SLIRP_CALLBACKS.clock_get_ns = cb_clock_get_ns
SLIRP_CALLBACKS.timer_new = cb_timer_new
SLIRP_CALLBACKS.timer_free = cb_timer_free
SLIRP_CALLBACKS.timer_mod = cb_timer_mod
SLIRP_CALLBACKS.register_poll_fd = cb_fd
SLIRP_CALLBACKS.unregister_poll_fd = cb_fd
SLIRP_CALLBACKS.notify = cb_notify
SLIRP_CALLBACKS.init_completed = NULL
SLIRP_CALLBACKS.timer_new_opaque = NULL


cdef void udp_put(const unsigned char *frame, size_t length, void *opaque) noexcept nogil:
    queue_frame(<Host *>opaque, frame, length)


cdef void udp_punt(const unsigned char *frame, size_t length, void *opaque) noexcept nogil:
    cdef Host *h = <Host *>opaque
    if h.kind == NET_SLIRP:
        h.input(h.slirp, frame, <int>length)


cdef void queue_frame(Host *h, const unsigned char *buf, size_t length) noexcept nogil:
    cdef uint32_t slot
    if length > QUEUE_FRAME:            # no GSO: the host never sends more
        return
    if h.qtail - h.qhead >= RX_QUEUE:
        h.dropped += 1
        return
    slot = h.qtail % RX_QUEUE
    memcpy(h.queue + slot * QUEUE_FRAME, buf, length)
    h.qlen[slot] = <uint16_t>length
    h.qtail += 1


cdef class HostNet:
    """The network behind one NIC, and the loop that joins it to the rings."""

    cdef Host h
    cdef int stopping
    cdef Failure failures[MAX_ERRORS]
    cdef int nfail

    def __cinit__(self):
        memset(&self.h, 0, sizeof(Host))
        self.h.fd = -1
        self.h.queue = <unsigned char *>malloc(RX_QUEUE * QUEUE_FRAME)
        self.h.qlen = <uint16_t *>malloc(RX_QUEUE * sizeof(uint16_t))
        self.h.capfds = 64
        self.h.fds = <pollfd *>malloc(self.h.capfds * sizeof(pollfd))
        if self.h.queue == NULL or self.h.qlen == NULL or self.h.fds == NULL:
            raise MemoryError()
        self.h.udp.rbuf = NULL

    def __dealloc__(self):
        cdef Timer *t = self.h.timers
        cdef Timer *n
        while t != NULL:
            n = t.next
            free(t)
            t = n
        free(self.h.queue)
        free(self.h.qlen)
        free(self.h.fds)
        free(self.h.udp.rbuf)

    # -- set-up (slirp.py, tap.py) --------------------------------------------------
    def use_fd(self, int fd):
        """The network is fd: one frame per read() and write() (non-blocking)."""
        self.h.kind, self.h.fd = NET_FD, fd

    def slirp_callbacks(self):
        """(address of the SlirpCb, the opaque pointer) to give slirp_new."""
        return <uintptr_t>&SLIRP_CALLBACKS, <uintptr_t>&self.h

    def use_slirp(self, uintptr_t slirp, uintptr_t input_fn, uintptr_t fill_fn,
                  uintptr_t poll_fn):
        """The network is the libslirp instance slirp (made with
        slirp_callbacks()), through these entry points of the library."""
        self.h.slirp = <void *>slirp
        self.h.input = <SlirpInput>input_fn
        self.h.fill = <SlirpFill>fill_fn
        self.h.poll = <SlirpPoll>poll_fn
        self.h.kind = NET_SLIRP

    def guest_mac(self, bytes mac):
        """The NIC's MAC (6 bytes): udp_forward's frames go to it (and to
        the one the guest sends from, once it has sent)."""
        if len(mac) != 6:
            raise ValueError("a MAC address is 6 bytes")
        memcpy(self.h.udp.guest_mac, <const char *>mac, 6)

    def udp_addresses(self, bytes guest_ip, bytes gateway, bytes network, bytes netmask,
                      bytes router_mac):
        """The user network's addressing, for udp_forward's frames (IPv4
        addresses as 4 bytes, the router's MAC as 6)."""
        if len(guest_ip) != 4 or len(gateway) != 4 or len(network) != 4 or len(netmask) != 4:
            raise ValueError("an IPv4 address is 4 bytes")
        if len(router_mac) != 6:
            raise ValueError("a MAC address is 6 bytes")
        memcpy(&self.h.udp.guest_ip, <const char *>guest_ip, 4)
        memcpy(&self.h.udp.gateway_ip, <const char *>gateway, 4)
        memcpy(&self.h.udp.net, <const char *>network, 4)
        memcpy(&self.h.udp.mask, <const char *>netmask, 4)
        memcpy(self.h.udp.router_mac, <const char *>router_mac, 6)

    def udp_forward(self, int fd, int guest_port):
        """Move the datagrams of libslirp's socket fd (a `-p …/udp`
        forward to guest_port) here, in batches (udpfwd.pxi)."""
        if self.h.udp.n == UDP_FWDS:
            return False
        if self.h.udp.rbuf == NULL:
            self.h.udp.rbuf = <unsigned char *>malloc(UDP_BATCH * UDP_DGRAM)
            if self.h.udp.rbuf == NULL:
                raise MemoryError()
        self.h.udp.fwd[self.h.udp.n].fd = fd
        self.h.udp.fwd[self.h.udp.n].guest_port = <uint16_t>guest_port
        self.h.udp.fwd[self.h.udp.n].pidx = -1
        self.h.udp.n += 1
        return True

    def detach(self):
        """Forget the network (its owner is about to free it)."""
        self.h.kind = NET_NONE
        self.h.udp.n = 0

    def stats(self):
        return {"tx": self.h.tx, "rx": self.h.rx, "rx_dropped": self.h.dropped,
                "queued": self.h.qtail - self.h.qhead, "passes": self.h.passes,
                "sleeps": self.h.sleeps, "udp_fast_rx": self.h.udp.rx,
                "udp_fast_tx": self.h.udp.tx, "udp_fast_punted": self.h.udp.punted,
                "udp_fast_gso_msgs": self.h.udp.gso_msgs}

    def inject(self, const unsigned char[::1] frame):
        """Queue a frame for the guest as if the network sent it (tests)."""
        queue_frame(&self.h, &frame[0], frame.shape[0])

    def stop(self):
        """Make run() return (the caller also writes the wake fd)."""
        unik_st_int(&self.stopping, 1)

    # -- the loop --------------------------------------------------------------------
    def run(self, NetRings rings, int wake_fd, uint64_t busy_ns):
        """Move frames until Python has something to do (rings may be None:
        no guest connected yet, the network is still served). Returns
        (notify the guest?, rings broken: None or which, refusals
        [(code, a, b, c, d, e)], refusals not detailed, libslirp's
        complaints, stopped?)."""
        cdef int notify = 0, broken = 0
        cdef int i
        cdef Rings *rc = NULL if rings is None else &rings.c
        self.nfail = 0
        self.h.nnotes = 0
        with nogil:
            broken = self._run(rc, wake_fd, busy_ns, &notify)
        stopped = unik_ld_int(&self.stopping) != 0
        unik_st_int(&self.stopping, 0)
        failures = [(self.failures[i].code, self.failures[i].a, self.failures[i].b,
                     self.failures[i].c, self.failures[i].d, self.failures[i].e)
                    for i in range(min(self.nfail, MAX_ERRORS))]
        notes = [self.h.notes[i][:NOTE_LEN].split(b"\0", 1)[0].decode(errors="replace")
                 for i in range(min(self.h.nnotes, MAX_NOTES))]
        which = rings.broken_message(broken) if broken else None
        return (bool(notify), which, failures, max(0, self.nfail - MAX_ERRORS), notes,
                stopped)

    def linger(self, NetRings rings, uint64_t max_ns):
        """The guest stopped: pass on what it left on its tx ring and what
        the network still has to write, for max_ns at most."""
        cdef int notify = 0
        cdef int moved, r
        cdef uint64_t end = now_ns() + max_ns
        cdef Rings *rc = NULL if rings is None else &rings.c
        self.nfail = 0
        with nogil:
            while now_ns() < end:
                self.h.want_out = False
                r = self._pass(rc, 0, &notify, &moved)
                if r or (not moved and not self.h.want_out):
                    break

    cdef int _run(self, Rings *rings, int wake_fd, uint64_t busy_ns,
                  int *notify) noexcept nogil:
        """0: Python has work (notify, refusals, complaints) or stop; 1/2:
        the tx/rx ring is broken."""
        cdef uint64_t last = now_ns()
        cdef int moved, r, timeout
        cdef int64_t n
        self.h.fds[0].fd = wake_fd
        while not unik_ld_int(&self.stopping):
            r = self._pass(rings, 0, notify, &moved)
            if r:
                return r
            if notify[0] and rings != NULL and rings.evt_si != NULL:
                unik_evtchn_raise(rings.evt_si, rings.evt_port)
                unik_wake_fd(rings.evt_fd)
                rings.notifies += 1
                notify[0] = 0
            if notify[0] or self.nfail or self.h.nnotes:
                return 0
            if moved:
                last = now_ns()
                continue
            if now_ns() - last < busy_ns:
                unik_pause()
                continue
            # Idle: ask the guest to notify (tx always; rx while frames wait
            # for buffers), look once more, then sleep in poll().
            if rings != NULL:
                n = ring_final_check(&rings.tx_ring)
                if n < 0:
                    return 1
                if n > 0:
                    continue
                if self.h.qtail != self.h.qhead:
                    n = ring_final_check(&rings.rx_ring)
                    if n < 0:
                        return 2
                    if n > 0:
                        continue
            r = self._pass(rings, self._timeout(), notify, &moved)
            if r:
                return r
            if moved:
                last = now_ns()
        return 0

    cdef int _timeout(self) noexcept nogil:
        """ms until the next libslirp timer (1000 at most)."""
        cdef int64_t now_ms = <int64_t>(now_ns() // 1000000), t = 1000
        cdef Timer *tm = self.h.timers
        while tm != NULL:
            if tm.expire_ms >= 0 and tm.expire_ms - now_ms < t:
                t = tm.expire_ms - now_ms
            tm = tm.next
        return <int>(t if t > 0 else 0)

    cdef int _pass(self, Rings *rings, int timeout, int *notify, int *moved) noexcept nogil:
        """One round: tx ring → network, network (poll for timeout ms) →
        queue, queue → rx ring. moved: anything happened. 1/2: a broken ring."""
        cdef Host *h = &self.h
        cdef int64_t n
        cdef uint32_t i, count, t32
        cdef int ready, k
        cdef ssize_t got
        cdef uint64_t buf
        cdef int64_t now_ms
        cdef Timer *tm
        moved[0] = 0
        h.passes += 1
        if timeout:
            h.sleeps += 1
        if rings != NULL:
            n = ring_waiting(&rings.tx_ring)
            if n < 0:
                return 1
            if n > 0:
                count = self._drain_tx(rings, <uint32_t>n)
                for i in range(count):
                    if rings.lengths[i]:
                        self._send(rings.staging + i * FRAME_MAX, rings.lengths[i])
                if h.udp.nout:
                    udp_flush(&h.udp, udp_punt, h)
                if ring_push(&rings.tx_ring):       # sent: now tell the guest
                    notify[0] = 1
                moved[0] = 1
        # The network: its fds and the wake fd, polled once.
        h.nfds = 1
        h.fds[0].events, h.fds[0].revents = POLLIN, 0
        if h.kind == NET_SLIRP:
            t32 = <uint32_t>timeout
            for k in range(h.udp.n):
                h.udp.fwd[k].pidx = -1
            h.fill(h.slirp, &t32, cb_add_poll, h)
            if <int>t32 < timeout:
                timeout = <int>t32
        elif h.kind == NET_FD:
            h.fds[1].fd, h.fds[1].events, h.fds[1].revents = h.fd, POLLIN, 0
            h.nfds = 2
        ready = poll(h.fds, h.nfds, timeout)
        if ready > 0 and h.fds[0].revents:
            read(h.fds[0].fd, &buf, 8)
            moved[0] = 1                # the guest notified: look at the rings again
        if h.kind == NET_SLIRP:
            t32 = h.qtail
            h.poll(h.slirp, ready < 0, cb_get_revents, h)
            now_ms = <int64_t>(now_ns() // 1000000)
            tm = h.timers
            while tm != NULL:
                if 0 <= tm.expire_ms <= now_ms:
                    tm.expire_ms = -1
                    tm.cb(tm.opaque)
                    tm = h.timers       # the callback may have changed the list
                    continue
                tm = tm.next
            for k in range(h.udp.n):
                if ready > 0 and h.udp.fwd[k].pidx > 0 and (
                        h.fds[h.udp.fwd[k].pidx].revents & POLLIN):
                    for i in range(4):      # up to 4 batches a pass
                        got = udp_receive(&h.udp, k, RX_QUEUE - <int>(h.qtail - h.qhead),
                                          udp_put, h)
                        if got < UDP_BATCH:
                            break
            if h.qtail != t32:
                moved[0] = 1
        elif h.kind == NET_FD and ready > 0 and h.fds[1].revents & POLLIN:
            for k in range(FD_READS):
                if h.qtail - h.qhead >= RX_QUEUE:
                    break
                got = read(h.fd, h.queue + (h.qtail % RX_QUEUE) * QUEUE_FRAME, QUEUE_FRAME)
                if got <= 0:
                    break
                h.qlen[h.qtail % RX_QUEUE] = <uint16_t>got
                h.qtail += 1
                moved[0] = 1
        if rings != NULL and h.qtail != h.qhead:
            n = ring_waiting(&rings.rx_ring)
            if n < 0:
                return 2
            if n > 0 and self._fill_rx(rings, <uint32_t>n):
                if ring_push(&rings.rx_ring):
                    notify[0] = 1
                moved[0] = 1
        return 0

    cdef void _send(self, const unsigned char *frame, uint16_t length) noexcept nogil:
        cdef Host *h = &self.h
        h.tx += 1
        if h.kind == NET_SLIRP:
            if h.udp.n:
                if h.udp.nout == UDP_BATCH:
                    udp_flush(&h.udp, udp_punt, h)
                if udp_from_guest(&h.udp, frame, length):
                    return              # sent with the batch (udp_flush)
                if h.udp.nout:          # libslirp sends at once: the batch first, in order
                    udp_flush(&h.udp, udp_punt, h)
            h.input(h.slirp, frame, length)
        elif h.kind == NET_FD:
            write(h.fd, frame, length)  # full or down: the frame is lost, as on a wire

    cdef void _fail(self, int code, int64_t a, int64_t b, int64_t c, int64_t d,
                    int64_t e) noexcept nogil:
        if self.nfail < MAX_ERRORS:
            self.failures[self.nfail] = Failure(code, a, b, c, d, e)
        self.nfail += 1

    cdef uint32_t _drain_tx(self, Rings *rings, uint32_t n) noexcept nogil:
        cdef unsigned char req[TX_REQ]
        cdef unsigned char *rsp
        cdef unsigned char *src
        cdef uint32_t i, gref
        cdef uint16_t offset, flags, rid, size
        cdef int16_t status
        cdef uint64_t frame
        cdef int code
        cdef Ring *r = &rings.tx_ring
        for i in range(n):
            memcpy(req, ring_slot(r, r.req_cons), TX_REQ)
            r.req_cons += 1
            memcpy(&gref, req, 4)
            memcpy(&offset, req + 4, 2)
            memcpy(&flags, req + 6, 2)
            memcpy(&rid, req + 8, 2)
            memcpy(&size, req + 10, 2)
            status = 0
            rings.lengths[i] = 0
            if flags & NETTXF_more_data:
                self._fail(R_SCATTER, 0, 0, 0, 0, 0)
                status = RSP_ERROR
            elif size < FRAME_MIN or size > FRAME_MAX:
                self._fail(R_SIZE, size, 0, 0, 0, 0)
                status = RSP_ERROR
            else:
                code = grant_span(&rings.g, gref, False, offset, size, &src, &frame)
                if code:
                    self._fail(R_GRANT, code, gref, <int64_t>frame, offset, size)
                    status = RSP_ERROR
                else:
                    memcpy(rings.staging + i * FRAME_MAX, src, size)
                    rings.lengths[i] = size
            rsp = ring_slot(r, r.rsp_prod_pvt)
            memcpy(rsp, &rid, 2)
            memcpy(rsp + 2, &status, 2)
            r.rsp_prod_pvt += 1
        return n

    cdef uint32_t _fill_rx(self, Rings *rings, uint32_t n) noexcept nogil:
        """Queued frames into posted rx buffers; how many buffers were used."""
        cdef Host *h = &self.h
        cdef Ring *r = &rings.rx_ring
        cdef unsigned char *req
        cdef unsigned char *rsp
        cdef unsigned char *dst
        cdef uint16_t rid, zero = 0, length
        cdef uint32_t gref, slot, used = 0
        cdef int16_t status
        cdef uint64_t frame
        cdef int code
        while n > 0 and h.qtail != h.qhead:
            slot = h.qhead % RX_QUEUE
            length = h.qlen[slot]
            h.qhead += 1
            req = ring_slot(r, r.req_cons)
            memcpy(&rid, req, 2)
            memcpy(&gref, req + 4, 4)
            r.req_cons += 1
            n -= 1
            code = grant_span(&rings.g, gref, True, 0, length, &dst, &frame)
            if code:
                self._fail(R_RX_GRANT, code, gref, <int64_t>frame, 0, length)
                status = RSP_ERROR
            else:
                memcpy(dst, h.queue + slot * QUEUE_FRAME, length)
                status = <int16_t>length
                h.rx += 1
            rsp = ring_slot(r, r.rsp_prod_pvt)
            memcpy(rsp, &rid, 2)
            memcpy(rsp + 2, &zero, 2)
            memcpy(rsp + 4, &zero, 2)
            memcpy(rsp + 6, &status, 2)
            r.rsp_prod_pvt += 1
            used += 1
        return used
