# cython: language_level=3, boundscheck=False, wraparound=False
"""The stream rings' hot path in C: ring spans to a file descriptor without the GIL.

streams.py keeps the Python face (StreamRing, Drainer); this module does the
work per drain: read the guest's producer index, check it, write(2) the
contiguous span(s) of the ring straight from guest memory (two writes at the
wrap, no Python object per chunk), publish the consumer index. The drain
thread's loop (`drain_loop`) runs here too, with the GIL released for its
whole life, so it never competes with the vCPU thread for the GIL.

`FdWriter` is how bytes reach a file descriptor that may block (a pipe whose
reader is slow or gone, a terminal): a FIFO or a terminal is reopened
through /proc/self/fd with O_NONBLOCK — a new open file description, so the
flags of the user's shared stdout stay as they were — and written in whole
spans; when it is full the writer polls in short waits that look at the
runner's stop event (a reader that stops reading must not hold --timeout or
Ctrl-C; once stop is set the rest is dropped). A socket gets send() with
MSG_DONTWAIT; a regular file or /dev/null plain blocking writes. A write
that fails (EPIPE: the reader went away) marks the writer broken, later
bytes are dropped and the sink's `on_broken` is called once.

Indices are guest-controlled: a producer more than a ring's size ahead of
the consumer is refused (the caller raises RingError and stops the guest).
"""

from libc.stdint cimport uint32_t, uint64_t, int64_t
from libc.errno cimport errno, EINTR, EAGAIN
from posix.unistd cimport write, read, close
from cpython.bytes cimport PyBytes_FromStringAndSize
from cpython.buffer cimport PyObject_GetBuffer, PyBuffer_Release, PyBUF_SIMPLE, PyBUF_WRITABLE
from cpython.mem cimport PyMem_Malloc, PyMem_Free
from libc.stdio cimport snprintf
from posix.fcntl cimport open, O_WRONLY, O_NONBLOCK, O_CLOEXEC, O_NOCTTY

cdef extern from "<pthread.h>" nogil:
    ctypedef struct pthread_mutex_t:
        pass
    int pthread_mutex_init(pthread_mutex_t *m, const void *attr)
    int pthread_mutex_destroy(pthread_mutex_t *m)
    int pthread_mutex_lock(pthread_mutex_t *m)
    int pthread_mutex_trylock(pthread_mutex_t *m)
    int pthread_mutex_unlock(pthread_mutex_t *m)

cdef extern from "<time.h>" nogil:
    struct timespec:
        long tv_sec
        long tv_nsec
    int clock_gettime(int clk, timespec *ts)
    enum: CLOCK_MONOTONIC

cdef extern from "<poll.h>" nogil:
    struct pollfd:
        int fd
        short events
        short revents
    int poll(pollfd *fds, unsigned long nfds, int timeout)
    int ppoll(pollfd *fds, unsigned long nfds, const timespec *tmo, const void *sigmask)
    enum: POLLIN
    enum: POLLOUT

cdef extern from "<sys/socket.h>" nogil:
    ssize_t send(int fd, const void *buf, size_t n, int flags)
    enum: MSG_DONTWAIT
    enum: MSG_NOSIGNAL

cdef extern from *:
    """
    #include <stdint.h>
    static inline uint32_t unik_sr_ld32(const unsigned char *p) {
        return __atomic_load_n((const uint32_t *)(const void *)p, __ATOMIC_ACQUIRE);
    }
    static inline void unik_sr_st32(unsigned char *p, uint32_t v) {
        __atomic_store_n((uint32_t *)(void *)p, v, __ATOMIC_RELEASE);
    }
    """
    uint32_t unik_sr_ld32(const unsigned char *p) nogil
    void unik_sr_st32(unsigned char *p, uint32_t v) nogil

DEF STOP_POLL_MS = 50           # a blocked writer looks at the stop event this often
DEF POLL_MIN_US = 500           # the drain thread's wait after a drain that moved bytes
DEF POLL_MAX_US = 16000         # its wait once a drain found nothing (see drain_loop)
DEF PAGE = 4096

# How an FdWriter writes.
DEF W_BLOCKING = 0              # regular file, /dev/null: write() never waits for long
DEF W_NONBLOCK = 1              # own O_NONBLOCK description (FIFO, terminal), or stdout already non-blocking
DEF W_SOCKET = 2                # send(MSG_DONTWAIT)


cdef extern from "<fcntl.h>" nogil:
    int fcntl(int fd, int cmd, ...)
    enum: F_SETPIPE_SZ
    enum: F_GETPIPE_SZ


def pipe_size(int fd, int want) -> int:
    """Ask for a pipe of `want` bytes (F_SETPIPE_SZ; refused above the
    user's limit, which is fine) and return the size it has (F_GETPIPE_SZ)."""
    fcntl(fd, F_SETPIPE_SZ, want)
    cdef int size = fcntl(fd, F_GETPIPE_SZ)
    if size < 0:
        raise OSError(errno, "F_GETPIPE_SZ")
    return size


cdef int64_t now_ns() noexcept nogil:
    cdef timespec ts
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return <int64_t>ts.tv_sec * 1000000000 + ts.tv_nsec


cdef class FdWriter:
    """Writes to one file descriptor for a Sink (sink.py); see the module doc."""
    cdef int fd                 # where writes go now
    cdef int orig_fd            # the sink's own descriptor
    cdef int own_fd             # the reopened O_NONBLOCK description (closed by close()), or -1
    cdef int mode, orig_mode
    cdef bint reopen            # a FIFO or a terminal: reopen it on the first write
    cdef readonly bint broken
    cdef object sink            # for .stop (threading.Event or None) and .on_broken

    def __cinit__(self):
        self.own_fd = -1

    def __init__(self, int fd, sink):
        import os
        import stat
        self.fd = self.orig_fd = fd
        self.sink, self.mode = sink, W_BLOCKING
        try:
            st = os.fstat(fd)
            blocking = os.get_blocking(fd)
        except OSError:
            return
        if stat.S_ISSOCK(st.st_mode):
            self.mode = W_SOCKET
        else:
            self.mode = W_BLOCKING if blocking else W_NONBLOCK
            self.reopen = stat.S_ISFIFO(st.st_mode) or (stat.S_ISCHR(st.st_mode)
                                                        and os.isatty(fd))
        self.orig_mode = self.mode

    cdef void open_own(self) noexcept nogil:
        """A description of our own with O_NONBLOCK (the first write does it,
        so a Sink made only to ask isatty() opens nothing)."""
        cdef char path[64]
        self.reopen = False
        snprintf(path, sizeof(path), "/proc/self/fd/%d", self.orig_fd)
        self.own_fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        if self.own_fd >= 0:    # else no /proc, or a FIFO with no reader left: EPIPE follows
            self.fd, self.mode = self.own_fd, W_NONBLOCK

    def close(self) -> None:
        """Close our own description (the user's pipe sees EOF once theirs
        closes); later writes go to the sink's descriptor as it is."""
        if self.own_fd >= 0:
            close(self.own_fd)
            self.own_fd = -1
        self.fd, self.mode, self.reopen = self.orig_fd, self.orig_mode, False

    def __dealloc__(self):
        if self.own_fd >= 0:
            close(self.own_fd)

    def write(self, data) -> None:
        """Write all of data (a contiguous bytes-like object), the GIL released
        while writing. (Buffers through Py_buffer, not typed memoryviews: those
        make the module import collections.abc, a part of `unik run`'s start-up.)"""
        cdef Py_buffer view
        if self.broken:
            return
        PyObject_GetBuffer(data, &view, PyBUF_SIMPLE)
        try:
            if view.len:
                self.write_span(<const unsigned char *>view.buf, <size_t>view.len)
        finally:
            PyBuffer_Release(&view)

    cdef int write_span(self, const unsigned char *p, size_t n) noexcept nogil:
        """Write [p, p+n): 0 when written or dropped (broken, stopped)."""
        cdef ssize_t r
        cdef pollfd pfd
        cdef int err
        if self.reopen:
            self.open_own()
        while n and not self.broken:
            if self.mode == W_SOCKET:
                r = send(self.fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL)
            else:
                r = write(self.fd, p, n)
            if r > 0:
                p += r
                n -= <size_t>r
                continue
            err = errno if r < 0 else EAGAIN
            if err == EINTR:
                continue
            if err == EAGAIN and self.mode != W_BLOCKING:
                pfd.fd, pfd.events, pfd.revents = self.fd, POLLOUT, 0
                if poll(&pfd, 1, STOP_POLL_MS) <= 0 and self.stopping():
                    return 0            # stopping: the rest is dropped
                continue
            self.mark_broken()
        return 0

    cdef bint stopping(self) noexcept nogil:
        with gil:
            try:
                stop = self.sink.stop
                return stop is not None and stop.is_set()
            except BaseException:
                return True

    cdef void mark_broken(self) noexcept nogil:
        self.broken = True
        with gil:
            try:
                self.sink.broken = True
                cb = self.sink.on_broken
                if cb is not None:
                    cb()
            except BaseException:
                pass


cdef class RingCore:
    """One stream ring: a header page (cons, prod, first_write_ns) and `size`
    data bytes in guest memory (unik_streams.h), drained to a Sink."""
    # Guest RAM's buffer, held while the ring lives. Behind a pointer: Cython
    # would take the obj field of a Py_buffer member for one of the object's
    # own references and clear it in a garbage collection, leaving the buffer
    # exported and then released twice. The garbage collector must see the
    # hold as what it is, a reference from outside.
    cdef Py_buffer *ram
    cdef unsigned char *hdr
    cdef const unsigned char *data
    cdef readonly uint32_t size
    cdef FdWriter writer                  # None: the sink's write() (with the GIL)
    cdef object sink
    cdef pthread_mutex_t lock
    cdef readonly uint64_t bytes_out
    cdef readonly int64_t first_byte_ns   # host monotonic ns at the first drain that moved bytes; 0: none
    cdef readonly uint32_t bad_cons, bad_prod
    cdef public int kick_fd     # the drain thread's eventfd: a full ring means output flows, -1: none

    def __cinit__(self):
        pthread_mutex_init(&self.lock, NULL)
        self.kick_fd = -1

    def __dealloc__(self):
        pthread_mutex_destroy(&self.lock)
        if self.ram != NULL:
            PyBuffer_Release(self.ram)
            PyMem_Free(self.ram)

    def __init__(self, ram, uint64_t offset, uint32_t size, sink):
        """ram: guest RAM (a writable, contiguous buffer); offset: the header
        page's offset in it (checked by the caller, with PAGE + size bytes
        after it)."""
        cdef Py_buffer *buf
        if self.ram != NULL:
            raise ValueError("RingCore is initialised once")
        buf = <Py_buffer *>PyMem_Malloc(sizeof(Py_buffer))
        if buf == NULL:
            raise MemoryError()
        try:
            PyObject_GetBuffer(ram, buf, PyBUF_WRITABLE)
        except BaseException:
            PyMem_Free(buf)
            raise
        self.ram = buf
        if size == 0 or offset + PAGE + size > <uint64_t>buf.len:
            raise ValueError("stream ring outside guest memory")
        self.hdr = <unsigned char *>buf.buf + offset
        self.data = self.hdr + PAGE
        self.size = size
        self.sink = sink
        w = getattr(sink, "writer", None)
        self.writer = w if isinstance(w, FdWriter) else None

    cdef int64_t drain_locked(self) noexcept nogil:
        """Bytes drained, -1 for impossible indices (bad_cons/bad_prod say which)."""
        cdef uint32_t cons = unik_sr_ld32(self.hdr)
        cdef uint32_t prod = unik_sr_ld32(self.hdr + 4)
        cdef uint32_t used = prod - cons
        cdef uint32_t start, first
        if used > self.size:
            self.bad_cons, self.bad_prod = cons, prod
            return -1
        if used == 0:
            return 0
        if self.first_byte_ns == 0:
            self.first_byte_ns = now_ns()
        start = cons & (self.size - 1) if (self.size & (self.size - 1)) == 0 else cons % self.size
        first = self.size - start
        if first > used:
            first = used
        self.put(self.data + start, first)
        if used > first:
            self.put(self.data, used - first)
        unik_sr_st32(self.hdr, prod)
        self.bytes_out += used
        return used

    cdef void put(self, const unsigned char *p, size_t n) noexcept nogil:
        if self.writer is not None:
            self.writer.write_span(p, n)
            return
        with gil:
            try:
                self.sink.write(PyBytes_FromStringAndSize(<const char *>p, n))
            except BaseException:
                pass

    cdef int64_t drain_nogil(self) noexcept nogil:
        cdef int64_t r
        pthread_mutex_lock(&self.lock)
        r = self.drain_locked()
        pthread_mutex_unlock(&self.lock)
        return r

    def drain(self) -> int:
        """Write everything between cons and prod to the sink; bytes drained
        (-1: impossible indices). Waits for a drain in progress elsewhere
        first, so each stream stays in order."""
        cdef int64_t r
        with nogil:
            r = self.drain_nogil()
        return r

    def make_room(self) -> int:
        """The guest found the ring full. If the drain thread is writing a span
        now, wait for it to finish (room appears, and it goes on with the
        rest while the guest runs); else drain here. -1: impossible indices."""
        cdef int64_t r = 0
        cdef uint64_t one = 1
        with nogil:
            if pthread_mutex_trylock(&self.lock) == 0:
                r = self.drain_locked()
            else:
                pthread_mutex_lock(&self.lock)
            pthread_mutex_unlock(&self.lock)
            if self.kick_fd >= 0:       # the drain thread may be in its idle wait: drain fast again
                write(self.kick_fd, &one, 8)
        return r


def drain_loop(list rings, int wake_fd, int kick_fd=-1) -> object:
    """The drain thread's body: drain every ring; again at once while bytes
    flow fast (a quarter of a ring or more per pass), after POLL_MIN_US while
    they trickle (fewer, larger writes; the thread does not take a core from
    the vCPU for a few bytes at a time), and after POLL_MAX_US once a drain
    found nothing (a line a guest prints before a long computation shows
    within that; a guest that waits is drained at once by the runner), until
    wake_fd is readable. kick_fd (an eventfd the rings' make_room writes:
    the guest filled a ring, so output flows) ends an idle wait at once.
    Why so seldom when idle: each wake-up that lands on the vCPU's host CPU
    interrupts the guest, and under PVM that costs ~50 us (a world switch):
    polling every 2 ms took 2-3 % of a silent guest's compute, and the old
    doubling from 0.5 ms took ~5 wake-ups per line a guest printed now and
    then (measured: a C loop at 0.97x native with such a drainer, 1.00x with
    none or with this one).
    Returns None, or the RingCore whose indices were impossible."""
    cdef Py_ssize_t n = len(rings), i
    cdef RingCore r0 = rings[0] if n > 0 else None
    cdef RingCore r1 = rings[1] if n > 1 else None
    cdef int64_t moved, got
    cdef int64_t size = min(r.size for r in rings) if n else 1
    cdef long wait = POLL_MIN_US
    cdef int bad = -1, rc
    cdef pollfd pfd[2]
    cdef uint64_t kicks
    cdef timespec tmo
    if n > 2:
        raise ValueError("drain_loop drains at most two rings")
    with nogil:
        while True:
            moved = 0
            if r0 is not None:
                got = r0.drain_nogil()
                if got < 0:
                    bad = 0
                    break
                moved += got
            if r1 is not None:
                got = r1.drain_nogil()
                if got < 0:
                    bad = 1
                    break
                moved += got
            if moved * 4 >= size:
                wait = POLL_MIN_US      # output is flowing fast: again at once
                continue
            if moved:
                wait = POLL_MIN_US      # a trickle: let it gather (fewer, larger writes)
            pfd[0].fd, pfd[0].events, pfd[0].revents = wake_fd, POLLIN, 0
            pfd[1].fd, pfd[1].events, pfd[1].revents = kick_fd, POLLIN, 0
            tmo.tv_sec, tmo.tv_nsec = 0, wait * 1000
            rc = ppoll(pfd, 2 if kick_fd >= 0 else 1, &tmo, NULL)
            if rc < 0 and errno != EINTR:
                break                   # the fds are gone
            if rc > 0 and pfd[0].revents:
                break                   # woken: stop
            if rc > 0 and pfd[1].revents:
                read(kick_fd, &kicks, 8)
                wait = POLL_MIN_US
                continue
            if not moved:
                wait = POLL_MAX_US
    return None if bad < 0 else rings[bad]
