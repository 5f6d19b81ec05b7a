# epollset.pxi — netback's poll set as an epoll instance (included by
# netring.pyx): each busy pass brings it in step with the pollfd array the
# pass built (libslirp's fill, the wake fd, a TAP fd) and asks the kernel
# only for the fds that are ready, where poll() looks at (and, to sleep,
# queues itself on) every socket on every call.
#
# In step: epoll_ctl only for an fd whose events changed, one that is new,
# or one the pass no longer asks about (taken out, so a level-triggered fd
# that libslirp does not want to read cannot keep waking the thread).
# libslirp says when it closes a socket (unregister_poll_fd: taken out at
# once); a socket closed without that leaves the epoll set by itself, and
# every EP_RENEW_NS each registration is renewed (MOD, ADD where the fd is
# no longer there), so an fd number reused behind our back is watched again
# within that time.

cdef extern from "<sys/epoll.h>" nogil:
    ctypedef union epoll_data_t:
        int fd
        uint64_t u64
    struct epoll_event:
        uint32_t events
        epoll_data_t data
    int epoll_create1(int flags)
    int epoll_ctl(int epfd, int op, int fd, epoll_event *ev)
    int epoll_pwait2(int epfd, epoll_event *evs, int maxevents, const timespec *timeout,
                     const void *sigmask)
    enum: EPOLL_CTL_ADD, EPOLL_CTL_MOD, EPOLL_CTL_DEL, EPOLL_CLOEXEC
    enum: EPOLLIN, EPOLLOUT, EPOLLPRI, EPOLLERR, EPOLLHUP

cdef extern from "<unistd.h>" nogil:
    int close(int fd)

from libc.errno cimport ENOENT, EEXIST

DEF EP_EVENTS = 256                     # events read per wait
DEF EP_CAP = 1024                       # fd numbers tracked at first (grows)
DEF EP_RENEW_NS = 10000000              # every registration renewed this often


cdef struct EpSet:
    int epfd                            # -1: none (poll() only)
    int *ev                             # per fd number: events registered, -1 none
    int *idx                            # per fd number: its index in this pass's pollfds
    uint32_t *gen                       # per fd number: the last pass that asked for it
    int *fds                            # the fds registered
    int n, cap
    uint32_t pass_gen
    uint64_t renew_at
    epoll_event *out


cdef bint ep_init(EpSet *s) noexcept nogil:
    cdef int i
    s.cap = EP_CAP
    s.ev = <int *>malloc(s.cap * sizeof(int))
    s.idx = <int *>malloc(s.cap * sizeof(int))
    s.gen = <uint32_t *>malloc(s.cap * sizeof(uint32_t))
    s.fds = <int *>malloc(s.cap * sizeof(int))
    s.out = <epoll_event *>malloc(EP_EVENTS * sizeof(epoll_event))
    s.n, s.pass_gen, s.renew_at = 0, 0, 0
    s.epfd = -1
    if s.ev == NULL or s.idx == NULL or s.gen == NULL or s.fds == NULL or s.out == NULL:
        return False
    for i in range(s.cap):
        s.ev[i], s.idx[i], s.gen[i] = -1, 0, 0
    s.epfd = epoll_create1(EPOLL_CLOEXEC)
    return True


cdef void ep_free(EpSet *s) noexcept nogil:
    if s.epfd >= 0:
        close(s.epfd)
    s.epfd = -1
    free(s.ev)
    free(s.idx)
    free(s.gen)
    free(s.fds)
    free(s.out)


cdef void ep_forget(EpSet *s, int fd) noexcept nogil:
    """fd leaves the set (libslirp is about to close it, or no pass wants it)."""
    cdef int i
    if s.epfd < 0 or fd < 0 or fd >= s.cap or s.ev[fd] < 0:
        return
    epoll_ctl(s.epfd, EPOLL_CTL_DEL, fd, NULL)
    s.ev[fd] = -1
    for i in range(s.n):
        if s.fds[i] == fd:
            s.n -= 1
            s.fds[i] = s.fds[s.n]
            break


cdef bint ep_grow(EpSet *s, int fd) noexcept nogil:
    cdef int cap = s.cap, i
    cdef void *p
    while cap <= fd:
        cap *= 2
    p = realloc(s.ev, cap * sizeof(int))
    if p == NULL:
        return False
    s.ev = <int *>p
    p = realloc(s.idx, cap * sizeof(int))
    if p == NULL:
        return False
    s.idx = <int *>p
    p = realloc(s.gen, cap * sizeof(uint32_t))
    if p == NULL:
        return False
    s.gen = <uint32_t *>p
    p = realloc(s.fds, cap * sizeof(int))
    if p == NULL:
        return False
    s.fds = <int *>p
    for i in range(s.cap, cap):
        s.ev[i], s.idx[i], s.gen[i] = -1, 0, 0
    s.cap = cap
    return True


cdef bint ep_sync(EpSet *s, pollfd *fds, int nfds, bint renew) noexcept nogil:
    """Bring the set in step with fds[0:nfds]; False: use poll() this pass."""
    cdef int i, fd, ev, op
    cdef epoll_event e
    if s.epfd < 0:
        return False
    s.pass_gen += 1
    for i in range(nfds):
        fd = fds[i].fd
        if fd < 0 or (fd >= s.cap and not ep_grow(s, fd)):
            return False
        if s.gen[fd] == s.pass_gen:
            return False                # one fd twice in a pass: poll() sorts it out
        s.gen[fd], s.idx[fd] = s.pass_gen, i
        ev = 0
        if fds[i].events & POLLIN:
            ev |= EPOLLIN
        if fds[i].events & POLLOUT:
            ev |= EPOLLOUT
        if fds[i].events & POLLPRI:
            ev |= EPOLLPRI
        if s.ev[fd] == ev and not renew:
            continue
        e.events, e.data.u64 = <uint32_t>ev, <uint64_t>fd
        op = EPOLL_CTL_ADD if s.ev[fd] < 0 else EPOLL_CTL_MOD
        if epoll_ctl(s.epfd, op, fd, &e) < 0:
            if op == EPOLL_CTL_MOD and errno == ENOENT:
                op = EPOLL_CTL_ADD      # closed and reused since: a new socket
            elif op == EPOLL_CTL_ADD and errno == EEXIST:
                op = EPOLL_CTL_MOD
            else:
                return False
            if epoll_ctl(s.epfd, op, fd, &e) < 0:
                return False
        if s.ev[fd] < 0:
            s.fds[s.n] = fd
            s.n += 1
        s.ev[fd] = ev
    i = 0
    while i < s.n:                      # registered, but not asked for this pass
        fd = s.fds[i]
        if s.gen[fd] != s.pass_gen:
            ep_forget(s, fd)            # moves the last one here
        else:
            i += 1
    return True


cdef int ep_wait(EpSet *s, pollfd *fds, uint64_t wait_ns) noexcept nogil:
    """poll()'s answer for the fds ep_sync was given (their revents), waiting
    up to wait_ns for the first."""
    cdef int got, k, fd
    cdef uint32_t ev
    cdef short r
    cdef timespec ts
    ts.tv_sec = <long>(wait_ns // 1000000000)
    ts.tv_nsec = <long>(wait_ns % 1000000000)
    got = epoll_pwait2(s.epfd, s.out, EP_EVENTS, &ts, NULL)
    for k in range(got if got > 0 else 0):
        fd = <int>s.out[k].data.u64
        if fd < 0 or fd >= s.cap or s.gen[fd] != s.pass_gen:
            continue
        ev = s.out[k].events
        r = 0
        if ev & EPOLLIN:
            r |= POLLIN
        if ev & EPOLLOUT:
            r |= POLLOUT
        if ev & EPOLLPRI:
            r |= POLLPRI
        if ev & EPOLLERR:
            r |= POLLERR
        if ev & EPOLLHUP:
            r |= POLLHUP
        fds[s.idx[fd]].revents = r
    return got
