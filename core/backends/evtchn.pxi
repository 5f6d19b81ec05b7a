# evtchn.pxi — raising an event channel in the guest's shared_info page
# (2-level ABI), atomically, from any host thread: included by netring.pyx
# (netback's C thread notifies without coming back to Python) and by
# runner/kvm.pyx (the runner's Python `set_pending`). Both sides and the guest
# (which clears bits with atomic fetch-and) update the same words, so every
# change is an atomic read-modify-write: a plain one could lose another
# thread's bit, and a lost pending bit is a guest that sleeps through its
# packet.

cdef extern from *:
    """
    #include <stdint.h>
    #include <unistd.h>
    #define UNIK_SI_UPCALL_PENDING 0
    #define UNIK_SI_PENDING_SEL 8
    #define UNIK_SI_EVTCHN_PENDING 2048
    #define UNIK_SI_EVTCHN_MASK 2560
    /* si: the shared_info page (4 KiB, checked inside guest RAM by the
     * caller); port < 4096. Xen's evtchn_set_pending for one vCPU. */
    static inline void unik_evtchn_raise(unsigned char *si, unsigned port) {
        uint64_t bit = 1ull << (port % 64);
        uint64_t *pending = (uint64_t *)(void *)(si + UNIK_SI_EVTCHN_PENDING) + port / 64;
        uint64_t *mask = (uint64_t *)(void *)(si + UNIK_SI_EVTCHN_MASK) + port / 64;
        __atomic_fetch_or(pending, bit, __ATOMIC_SEQ_CST);
        if (!(__atomic_load_n(mask, __ATOMIC_SEQ_CST) & bit)) {
            __atomic_fetch_or((uint64_t *)(void *)(si + UNIK_SI_PENDING_SEL),
                              1ull << (port / 64), __ATOMIC_SEQ_CST);
            __atomic_store_n(si + UNIK_SI_UPCALL_PENDING, 1, __ATOMIC_SEQ_CST);
        }
    }
    /* Wake the vCPU's wait (an eventfd; a full counter is awake anyway). */
    static inline void unik_wake_fd(int fd) {
        uint64_t one = 1;
        if (write(fd, &one, sizeof one) < 0) { /* EAGAIN: already awake */ }
    }
    """
    void unik_evtchn_raise(unsigned char *si, unsigned port) nogil
    void unik_wake_fd(int fd) nogil
