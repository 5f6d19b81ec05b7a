# pollthread.pxi — what the backends' polling threads share (included by
# blkring.pyx and netring.pyx): poll(2), the monotonic clock, a polite pause
# for an empty busy-poll round, and atomic int loads/stores.

cdef extern from "<poll.h>" nogil:
    struct pollfd:
        int fd
        short events
        short revents
    int poll(pollfd *fds, unsigned long nfds, int timeout)
    enum: POLLIN, POLLOUT, POLLPRI, POLLERR, POLLHUP

cdef extern from "<time.h>" nogil:
    struct timespec:
        long tv_sec
        long tv_nsec
    int clock_gettime(int clk, timespec *ts)
    enum: CLOCK_MONOTONIC

cdef extern from *:
    """
    #include <sched.h>
    /* A busy-polling thread's empty round: give the CPU to whoever else is
     * runnable (the vCPU thread, the program sending to us) — on an idle
     * host this returns at once, on a loaded one spinning would starve them. */
    static inline void unik_pause(void) { __builtin_ia32_pause(); sched_yield(); }
    static inline int unik_ld_int(const int *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
    static inline void unik_st_int(int *p, int v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
    """
    void unik_pause() nogil
    int unik_ld_int(const int *p) nogil
    void unik_st_int(int *p, int v) nogil


cdef inline uint64_t now_ns() noexcept nogil:
    cdef timespec ts
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return <uint64_t>ts.tv_sec * 1000000000 + <uint64_t>ts.tv_nsec
