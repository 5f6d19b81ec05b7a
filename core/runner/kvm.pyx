# cython: language_level=3, boundscheck=False, wraparound=False
"""Linux KVM through its ioctls: system → VM → vCPU, and the vCPU loop.

The loop calls KVM_RUN without the GIL, retries EINTR (a kick from another
thread ends it through `on_exit`), decodes the exit and hands it to a Python
exit handler (unik.runner.exits.handle_exit) as a plain tuple — the handler
is a pure function of that tuple and the machine state, so it is tested with
synthetic exits and no VM. Registers travel through KVM's sync-regs area of
kvm_run when the kernel offers it (no extra ioctls per exit).
"""

from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t, int64_t
from libc.errno cimport errno
from libc.string cimport memset
from cpython.buffer cimport (PyBUF_FORMAT, PyBUF_SIMPLE, PyBUF_WRITABLE, PyObject_GetBuffer,
                             PyBuffer_Release)

cdef extern from *:
    """
    #include <errno.h>
    #include <fcntl.h>
    #include <pthread.h>
    #include <signal.h>
    #include <stdint.h>
    #include <stdlib.h>
    #include <string.h>
    #include <sys/ioctl.h>
    #include <sys/mman.h>
    #include <unistd.h>
    #include <linux/kvm.h>

    static void unik_kick_handler(int sig) { (void)sig; }

    static int unik_install_kick(int sig) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = unik_kick_handler;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0;            /* no SA_RESTART: KVM_RUN returns EINTR */
        return sigaction(sig, &sa, NULL);
    }

    static int unik_open_kvm(void) { return open("/dev/kvm", O_RDWR | O_CLOEXEC); }
    static int unik_ioctl0(int fd, unsigned long req) { return ioctl(fd, req, 0); }
    static int unik_ioctl_ul(int fd, unsigned long req, unsigned long arg) { return ioctl(fd, req, arg); }
    static int unik_ioctl_p(int fd, unsigned long req, void *arg) { return ioctl(fd, req, arg); }

    static int unik_set_memory(int vmfd, uint32_t slot, uint64_t gpa, uint64_t size, uint64_t hva) {
        struct kvm_userspace_memory_region r;
        memset(&r, 0, sizeof r);
        r.slot = slot; r.guest_phys_addr = gpa; r.memory_size = size; r.userspace_addr = hva;
        return ioctl(vmfd, KVM_SET_USER_MEMORY_REGION, &r);
    }

    /* KVM_GET_SUPPORTED_CPUID once per process, KVM_SET_CPUID2 per vCPU. */
    static struct kvm_cpuid2 *unik_cpuid;
    static int unik_set_cpuid(int sysfd, int vcpufd) {
        if (!unik_cpuid) {
            size_t n = 256;
            struct kvm_cpuid2 *c = calloc(1, sizeof *c + n * sizeof(struct kvm_cpuid_entry2));
            if (!c) return -ENOMEM;
            c->nent = n;
            if (ioctl(sysfd, KVM_GET_SUPPORTED_CPUID, c) < 0) { free(c); return -errno; }
            unik_cpuid = c;
        }
        return ioctl(vcpufd, KVM_SET_CPUID2, unik_cpuid) < 0 ? -errno : 0;
    }

    static void *unik_mmap_run(int fd, size_t size) {
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        return p == MAP_FAILED ? NULL : p;
    }

    /* RAM is 2 MiB aligned, and from huge_from on it asks for transparent huge
     * pages: on shadow-paging KVM each host page a guest first touches costs a
     * fault (~10 us per 4 KiB page, ~2 us with huge pages), but a huge page is
     * also zeroed whole on first touch, which would slow a small guest's boot;
     * so the low RAM a boot touches stays in 4 KiB pages. */
    static void *unik_mmap_ram(size_t size, size_t huge_from) {
        const size_t align = 2u << 20;
        size_t len = size + align;
        char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) return NULL;
        char *start = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
        if (start > p) munmap(p, (size_t)(start - p));
        size_t tail = (size_t)((p + len) - (start + size));
        if (tail) munmap(start + size, tail);
        if (huge_from < size)
            madvise(start + huge_from, size - huge_from, MADV_HUGEPAGE);
        return start;
    }

    static long unik_resident_pages(void *addr, size_t size) {
        size_t n = (size + 4095) / 4096;
        unsigned char *v = malloc(n);
        if (!v) return -1;
        long count = -1;
        if (mincore(addr, size, v) == 0) {
            count = 0;
            for (size_t i = 0; i < n; i++) count += v[i] & 1;
        }
        free(v);
        return count;
    }

    /* One MSR of the vCPU (KVM_GET_MSRS with a single entry); -errno or 0. */
    static int unik_get_msr(int vcpufd, uint32_t index, uint64_t *value) {
        struct { struct kvm_msrs h; struct kvm_msr_entry e; } m;
        memset(&m, 0, sizeof m);
        m.h.nmsrs = 1;
        m.e.index = index;
        int r = ioctl(vcpufd, KVM_GET_MSRS, &m);
        if (r != 1) return r < 0 ? -errno : -EINVAL;
        *value = m.e.data;
        return 0;
    }

    static inline uint64_t unik_rdtsc(void) {
        uint32_t lo, hi;
        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        return ((uint64_t)hi << 32) | lo;
    }

    #define UNIK_RUN_REASON(r) ((r)->exit_reason)
    #define UNIK_IO_DIR(r) ((r)->io.direction)
    #define UNIK_IO_SIZE(r) ((r)->io.size)
    #define UNIK_IO_PORT(r) ((r)->io.port)
    #define UNIK_IO_COUNT(r) ((r)->io.count)
    static inline uint64_t unik_io_data(struct kvm_run *r) {
        uint64_t v = 0;
        memcpy(&v, (char *)r + r->io.data_offset, r->io.size <= 8 ? r->io.size : 8);
        return v;
    }
    #define UNIK_INTERNAL_SUB(r) ((r)->internal.suberror)
    #define UNIK_FAIL_REASON(r) ((r)->fail_entry.hardware_entry_failure_reason)
    #define UNIK_HW_REASON(r) ((r)->hw.hardware_exit_reason)
    #define UNIK_MMIO_ADDR(r) ((r)->mmio.phys_addr)
    #define UNIK_MMIO_WRITE(r) ((r)->mmio.is_write)
    #define UNIK_SYNC_REGS(r) (&(r)->s.regs.regs)
    /* The dict round trip leaves fields Cython does not know undefined. */
    static inline void unik_sregs_fix(struct kvm_sregs *s) {
        memset(s->interrupt_bitmap, 0, sizeof s->interrupt_bitmap);
    }
    """
    int KVM_GET_API_VERSION, KVM_CREATE_VM, KVM_GET_VCPU_MMAP_SIZE, KVM_CREATE_VCPU
    int KVM_CHECK_EXTENSION, KVM_RUN, KVM_GET_REGS, KVM_SET_REGS, KVM_GET_SREGS, KVM_SET_SREGS
    int KVM_SET_TSS_ADDR, KVM_GET_TSC_KHZ, KVM_CAP_SYNC_REGS, KVM_CAP_IMMEDIATE_EXIT
    int KVM_SYNC_X86_REGS, KVM_GET_MSRS
    int KVM_EXIT_IO, KVM_EXIT_INTERNAL_ERROR, KVM_EXIT_FAIL_ENTRY, KVM_EXIT_UNKNOWN, KVM_EXIT_MMIO

    struct kvm_regs:
        uint64_t rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp
        uint64_t r8, r9, r10, r11, r12, r13, r14, r15
        uint64_t rip, rflags

    struct kvm_segment:
        uint64_t base
        uint32_t limit
        uint16_t selector
        uint8_t type, present, dpl, db, s, l, g, avl, unusable

    struct kvm_dtable:
        uint64_t base
        uint16_t limit

    struct kvm_sregs:
        kvm_segment cs, ds, es, fs, gs, ss, tr, ldt
        kvm_dtable gdt, idt
        uint64_t cr0, cr2, cr3, cr4, cr8, efer, apic_base

    struct kvm_run:
        uint8_t immediate_exit
        uint64_t kvm_valid_regs
        uint64_t kvm_dirty_regs

    int unik_install_kick(int sig)
    int unik_open_kvm()
    int unik_ioctl0(int fd, unsigned long req) nogil
    int unik_ioctl_ul(int fd, unsigned long req, unsigned long arg)
    int unik_ioctl_p(int fd, unsigned long req, void *arg)
    int unik_set_memory(int vmfd, uint32_t slot, uint64_t gpa, uint64_t size, uint64_t hva)
    int unik_set_cpuid(int sysfd, int vcpufd)
    void *unik_mmap_run(int fd, size_t size)
    void *unik_mmap_ram(size_t size, size_t huge_from)
    long unik_resident_pages(void *addr, size_t size)
    uint64_t unik_rdtsc()
    int unik_get_msr(int vcpufd, uint32_t index, uint64_t *value)
    uint32_t UNIK_RUN_REASON(kvm_run *r)
    uint8_t UNIK_IO_DIR(kvm_run *r)
    uint8_t UNIK_IO_SIZE(kvm_run *r)
    uint16_t UNIK_IO_PORT(kvm_run *r)
    uint32_t UNIK_IO_COUNT(kvm_run *r)
    uint64_t unik_io_data(kvm_run *r)
    uint32_t UNIK_INTERNAL_SUB(kvm_run *r)
    uint64_t UNIK_FAIL_REASON(kvm_run *r)
    uint64_t UNIK_HW_REASON(kvm_run *r)
    uint64_t UNIK_MMIO_ADDR(kvm_run *r)
    uint8_t UNIK_MMIO_WRITE(kvm_run *r)
    kvm_regs *UNIK_SYNC_REGS(kvm_run *r)
    void unik_sregs_fix(kvm_sregs *s)

cdef extern from "unistd.h":
    int close(int fd)

cdef extern from "sys/mman.h":
    int munmap(void *addr, size_t length)

cdef extern from "signal.h":
    int c_SIGRTMIN "SIGRTMIN"

cdef extern from "pthread.h":
    ctypedef unsigned long pthread_t
    pthread_t pthread_self()
    int pthread_kill(pthread_t t, int sig)

# Pseudo exit reason for "KVM_RUN was interrupted" (a kick or a signal).
EXIT_INTR = 0x10000
EXIT_IO = KVM_EXIT_IO
EXIT_INTERNAL_ERROR = KVM_EXIT_INTERNAL_ERROR
EXIT_FAIL_ENTRY = KVM_EXIT_FAIL_ENTRY
EXIT_MMIO = KVM_EXIT_MMIO

REG_NAMES = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9", "r10",
             "r11", "r12", "r13", "r14", "r15", "rip", "rflags")

_kick_signal = 0
# The first real-time signal (glibc's; the runner kicks with SIGRTMIN + 2):
# here so that `unik run` need not import the signal module (and its enum).
SIGRTMIN = c_SIGRTMIN


def install_kick_signal(int sig):
    """Install a do-nothing handler for `sig` (without SA_RESTART) so that a
    pthread_kill of the vCPU thread makes KVM_RUN return EINTR."""
    global _kick_signal
    if _kick_signal != sig:
        if unik_install_kick(sig) != 0:
            raise OSError(errno, "sigaction")
        _kick_signal = sig


def rdtsc():
    return unik_rdtsc()


include "../backends/evtchn.pxi"

cdef extern from *:
    """
    #include <poll.h>
    #include <time.h>
    /* 1: fd readable; 0: timeout (ns, < 0: none) or an interruption. */
    static int unik_wait_fd(int fd, int64_t timeout_ns) {
        struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
        struct timespec ts, *tp = NULL;
        if (timeout_ns >= 0) {
            ts.tv_sec = timeout_ns / 1000000000;
            ts.tv_nsec = timeout_ns % 1000000000;
            tp = &ts;
        }
        return ppoll(&p, 1, tp, NULL) > 0;
    }
    /* Empty an eventfd (non-blocking). */
    static void unik_drain_fd(int fd) {
        uint64_t v;
        if (read(fd, &v, sizeof v) < 0) { /* EAGAIN: it was empty */ }
    }
    """
    int unik_wait_fd(int fd, int64_t timeout_ns) nogil
    void unik_drain_fd(int fd) nogil


def wait_fd(int fd, int64_t timeout_ns):
    """Wait without the GIL until the eventfd `fd` is readable (True) or
    timeout_ns passes (< 0: no limit) or a signal interrupts (False)."""
    cdef int r
    with nogil:
        r = unik_wait_fd(fd, timeout_ns)
    return r != 0


def drain_fd(int fd):
    unik_drain_fd(fd)


cdef extern from *:
    """
    /* 1 when one of the n ports (each < 4096: checked by the caller) is
     * pending in the shared_info page si. */
    static int unik_ports_pending(const unsigned char *si, const uint32_t *ports, size_t n) {
        const uint64_t *pending = (const uint64_t *)(const void *)(si + UNIK_SI_EVTCHN_PENDING);
        for (size_t i = 0; i < n; i++)
            if (__atomic_load_n(&pending[ports[i] / 64], __ATOMIC_SEQ_CST) & (1ull << (ports[i] % 64)))
                return 1;
        return 0;
    }
    """
    int unik_ports_pending(const unsigned char *si, const uint32_t *ports, size_t n) nogil


# Buffers through the buffer protocol, not typed memoryviews: Cython's
# memoryview support imports collections at module load, which the start
# path of `unik run` must not pay (tests/core/test_start_path.py).
def poll_ports(ram, size_t si_offset, ports, int fd, int64_t timeout_ns):
    """SCHEDOP_poll's wait in one call: empty the wake eventfd, then True at
    once if one of `ports` (a buffer of uint32, each < 4096: checked by the
    caller) is pending in the shared_info page at si_offset of guest RAM;
    else sleep without the GIL until fd is written or timeout_ns passes
    (< 0: no limit) and look again: True (pending), False (not: a timeout,
    or a wake for something else — the caller looks at its stop flag and
    timer)."""
    cdef Py_buffer rb, pb
    cdef int r
    cdef size_t n
    cdef const unsigned char *si
    cdef const uint32_t *p
    PyObject_GetBuffer(ram, &rb, PyBUF_SIMPLE)
    try:
        PyObject_GetBuffer(ports, &pb, PyBUF_SIMPLE)
        try:
            if si_offset + 4096 > <size_t>rb.len:
                raise ValueError("shared_info outside guest RAM")
            si = <const unsigned char *>rb.buf + si_offset
            p = <const uint32_t *>pb.buf
            n = <size_t>pb.len // 4
            with nogil:
                unik_drain_fd(fd)
                r = unik_ports_pending(si, p, n)
                if not r and timeout_ns != 0:
                    unik_wait_fd(fd, timeout_ns)
                    r = unik_ports_pending(si, p, n)
        finally:
            PyBuffer_Release(&pb)
    finally:
        PyBuffer_Release(&rb)
    return r != 0


def evtchn_raise(ram, size_t si_offset, unsigned port):
    """Set `port` pending in the shared_info page at si_offset of guest RAM
    (a writable buffer), atomically (backend threads raise events in C at
    the same time)."""
    cdef Py_buffer rb
    PyObject_GetBuffer(ram, &rb, PyBUF_WRITABLE)
    try:
        if port >= 4096 or si_offset + 4096 > <size_t>rb.len:
            raise ValueError("event channel or shared_info outside their bounds")
        unik_evtchn_raise(<unsigned char *>rb.buf + si_offset, port)
    finally:
        PyBuffer_Release(&rb)



# -- the guest's sleep in C ----------------------------------------------------
# Hypercall numbers and commands the fast path serves (xenabi.py has them all).
cdef enum:
    HC_SET_TIMER_OP = 15
    HC_MULTICALL = 13
    HC_VCPU_OP = 24
    HC_SCHED_OP = 29
    HC_EVTCHN_OP = 32
    SCHEDOP_YIELD = 0
    SCHEDOP_POLL = 3
    VCPUOP_SET_SINGLESHOT = 8
    VCPUOP_STOP_SINGLESHOT = 9
    EVTCHNOP_SEND = 4
    NR_EVTCHN = 4096
    MAX_FAST_CALLS = 4
    MAX_POLL_PORTS = 128
    ETIME = 62
    MAX_WATCH = 8
cdef int64_t MAX_WAIT_NS = 3600000000000   # a far deadline: look again after an hour

cdef extern from *:
    """
    /* Xen system time as GuestTime.now() computes it (runner/hypercalls.py):
     * ((tsc - stamp) << shift) * mul >> 32, never negative. */
    static inline uint64_t unik_system_ns(uint64_t stamp, uint32_t mul, int shift) {
        uint64_t t = unik_rdtsc();
        uint64_t d = t > stamp ? t - stamp : 0;
        unsigned __int128 x = shift >= 0 ? (unsigned __int128)d << shift
                                         : (unsigned __int128)(d >> -shift);
        return (uint64_t)((x * mul) >> 32);
    }
    static inline uint32_t unik_ld32(const unsigned char *p) {
        uint32_t v; memcpy(&v, p, 4); return v;
    }
    static inline uint64_t unik_ld64(const unsigned char *p) {
        uint64_t v; memcpy(&v, p, 8); return v;
    }
    static inline void unik_st64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }
    static inline uint32_t unik_ld32_atomic(const unsigned char *p) {
        return __atomic_load_n((const uint32_t *)(const void *)p, __ATOMIC_ACQUIRE);
    }
    static inline int unik_immediate_exit(struct kvm_run *r) {
        return __atomic_load_n(&r->immediate_exit, __ATOMIC_SEQ_CST);
    }
    """
    uint64_t unik_system_ns(uint64_t stamp, uint32_t mul, int shift) nogil
    uint32_t unik_ld32(const unsigned char *p) nogil
    uint64_t unik_ld64(const unsigned char *p) nogil
    void unik_st64(unsigned char *p, uint64_t v) nogil
    uint32_t unik_ld32_atomic(const unsigned char *p) nogil
    int unik_immediate_exit(kvm_run *r) nogil


# One call as plan() read it: every value the guest gave is copied once,
# checked, and used from here (backend threads write guest RAM meanwhile, so
# a second read could see something else).
cdef struct FastCall:
    uint32_t op, cmd
    uint64_t a0                  # set_timer_op's timeout
    uint32_t port                # EVTCHNOP_send
    uint64_t deadline            # set_singleshot_timer
    uint32_t flags
    uint32_t nr                  # SCHEDOP_poll: ports in FastCalls.ports
    uint64_t timeout
    uint64_t result_off          # offset in RAM of the entry's result (multicall)


cdef class FastCalls:
    """The guest's sleep served in C inside the vCPU loop (Vcpu.loop):
    `set_singleshot_timer` + `SCHEDOP_poll` in a multicall (unik_yield's
    one exit), the same calls alone, `set_timer_op`, `SCHEDOP_yield` and
    `EVTCHNOP_send` to a backend port whose notify is only an eventfd write
    (netback's). Their semantics are the Python Domain's (events.py),
    which owns this object: the single-shot timer lives here (the Domain's
    `timer_deadline` reads and writes it), the timer fires VIRQ_TIMER's
    port, the wait ends on a polled port, the deadline or a kick (the
    runner's stop sets kvm_run.immediate_exit before writing the wake fd).

    Anything else — another hypercall or command, a pointer, port or count
    the guest got wrong, output waiting in the console or stream rings
    (the sleep drains them first), the once-a-second wall-clock refresh —
    is left to Python before anything is done, so every check and error
    stays the Python layer's."""
    cdef Py_buffer ram
    cdef bint have_ram
    cdef unsigned char *base
    cdef size_t size
    cdef uint64_t gbase                     # guest address of RAM offset 0
    cdef size_t si_off                      # shared_info, offset in RAM
    cdef int wake_fd
    cdef readonly uint32_t hypercall_port
    cdef uint64_t stamp
    cdef uint32_t mul
    cdef int shift
    cdef object check_write                 # GuestMemory.check_write
    cdef bint has_timer
    cdef uint64_t timer_at
    cdef public int timer_port              # VIRQ_TIMER's port, -1: not bound
    cdef public uint64_t wall_due           # Python refreshes the wall clock from then on
    cdef int notify_fd[NR_EVTCHN]
    cdef uint32_t ports[MAX_POLL_PORTS]     # the poll's ports, copied and checked
    cdef size_t watch[MAX_WATCH][2]         # (cons, prod) offsets of output rings
    cdef int nwatch
    cdef readonly uint64_t n_multicall, n_sched_op, n_vcpu_op, n_evtchn_op, n_set_timer_op
    cdef readonly uint64_t sleeps           # waits that blocked in ppoll

    def __cinit__(self):
        self.have_ram = False
        self.wake_fd = -1
        self.timer_port = -1
        cdef int i
        for i in range(NR_EVTCHN):
            self.notify_fd[i] = -1

    def __init__(self, ram, uint64_t gbase, size_t si_off, int wake_fd, uint32_t hypercall_port,
                 uint64_t stamp, uint32_t mul, int shift, check_write, watch=()):
        PyObject_GetBuffer(ram, &self.ram, PyBUF_WRITABLE)
        self.have_ram = True
        self.base = <unsigned char *>self.ram.buf
        self.size = <size_t>self.ram.len
        if si_off + 4096 > self.size:
            raise ValueError("shared_info outside guest RAM")
        self.gbase, self.si_off, self.wake_fd = gbase, si_off, wake_fd
        self.hypercall_port = hypercall_port
        self.stamp, self.mul, self.shift = stamp, mul, shift
        self.check_write = check_write
        self.wall_due = <uint64_t>-1
        self.nwatch = 0
        for cons, prod in watch:
            if self.nwatch == MAX_WATCH or cons + 4 > self.size or prod + 4 > self.size:
                raise ValueError("output ring index outside guest RAM")
            self.watch[self.nwatch][0] = cons
            self.watch[self.nwatch][1] = prod
            self.nwatch += 1

    def __dealloc__(self):
        self._release()

    def close(self):
        """Give back the buffer held on guest RAM (the run is over). Held
        until the object is freed, it made a garbage collection of the
        Domain's cycle fail to release RAM's memoryview ("memoryview has 1
        exported buffer"), GC not seeing this object's hold on it."""
        self._release()

    cdef void _release(self) noexcept:
        if self.have_ram:
            PyBuffer_Release(&self.ram)
            self.have_ram = False
        self.base = NULL
        self.size = 0

    # -- what the Python Domain shares --------------------------------------
    @property
    def timer_deadline(self):
        return self.timer_at if self.has_timer else None

    @timer_deadline.setter
    def timer_deadline(self, value):
        if value is None:
            self.has_timer = False
        else:
            self.timer_at = value
            self.has_timer = True

    def set_notify_fd(self, unsigned port, int fd):
        """Sends on `port` write eventfd `fd` (-1: Python's notify handler)."""
        if port < NR_EVTCHN:
            self.notify_fd[port] = fd

    def now(self):
        return unik_system_ns(self.stamp, self.mul, self.shift)

    def clear_counts(self):
        self.n_multicall = self.n_sched_op = self.n_vcpu_op = 0
        self.n_evtchn_op = self.n_set_timer_op = 0

    def counts(self):
        return {"multicall": self.n_multicall, "sched_op": self.n_sched_op,
                "vcpu_op": self.n_vcpu_op, "event_channel_op": self.n_evtchn_op,
                "set_timer_op": self.n_set_timer_op}

    # -- the fast path -------------------------------------------------------
    cdef inline unsigned char *at(self, uint64_t addr, size_t length) noexcept nogil:
        """RAM at guest address addr, or NULL when [addr, addr+length) is not inside."""
        cdef uint64_t off = addr - self.gbase
        if addr < self.gbase or off > self.size or length > self.size - off:
            return NULL
        return self.base + off

    cdef inline void fire_timer(self) noexcept nogil:
        self.has_timer = False
        if self.timer_port >= 0 and self.base != NULL:
            unik_evtchn_raise(self.base + self.si_off, <unsigned>self.timer_port)
            unik_wake_fd(self.wake_fd)

    cdef inline void timer_check(self) noexcept nogil:
        if self.has_timer and unik_system_ns(self.stamp, self.mul, self.shift) >= self.timer_at:
            self.fire_timer()

    cdef bint plan(self, FastCall *c, uint64_t a0, uint64_t a1, uint64_t a2, bint last) noexcept:
        """Read call c.op with these arguments into c: True when it is one
        the fast path serves exactly as Python would (arguments inside RAM,
        valid), False to leave the whole hypercall to Python."""
        cdef unsigned char *p
        cdef uint32_t i
        c.cmd = <uint32_t>a0
        if c.op == HC_VCPU_OP:
            if <uint32_t>a1 != 0:
                return False
            if c.cmd == VCPUOP_SET_SINGLESHOT:
                p = self.at(a2, 16)
                if p == NULL:
                    return False
                c.deadline, c.flags = unik_ld64(p), unik_ld32(p + 8)
                return True
            return c.cmd == VCPUOP_STOP_SINGLESHOT
        if c.op == HC_SET_TIMER_OP:
            c.a0 = a0
            return True
        if c.op == HC_EVTCHN_OP:
            if c.cmd != EVTCHNOP_SEND:
                return False
            p = self.at(a1, 4)
            if p == NULL:
                return False
            c.port = unik_ld32(p)
            return c.port < NR_EVTCHN and self.notify_fd[c.port] >= 0
        if c.op == HC_SCHED_OP:
            if c.cmd == SCHEDOP_YIELD:
                return True
            if c.cmd != SCHEDOP_POLL or not last:
                return False
            p = self.at(a1, 24)
            if p == NULL:
                return False
            c.nr, c.timeout = unik_ld32(p + 8), unik_ld64(p + 16)
            if c.nr > MAX_POLL_PORTS:
                return False
            p = self.at(unik_ld64(p), 4 * c.nr)
            if p == NULL:
                return False
            for i in range(c.nr):
                self.ports[i] = unik_ld32(p + 4 * i)
                if self.ports[i] >= NR_EVTCHN:
                    return False
            # The sleep first drains the guest's output and keeps the wall
            # clock fresh: Python does both.
            for i in range(<uint32_t>self.nwatch):
                if unik_ld32_atomic(self.base + self.watch[i][0]) != \
                        unik_ld32_atomic(self.base + self.watch[i][1]):
                    return False
            return unik_system_ns(self.stamp, self.mul, self.shift) < self.wall_due
        return False

    cdef int64_t call(self, FastCall *c, kvm_run *run) noexcept:
        """Run one call that plan() read and accepted; its result (rax)."""
        self.timer_check()              # Domain.hypercall does this before every call
        if c.op == HC_VCPU_OP:
            self.n_vcpu_op += 1
            if c.cmd == VCPUOP_STOP_SINGLESHOT:
                self.has_timer = False
                return 0
            if c.flags & 1 and c.deadline < unik_system_ns(self.stamp, self.mul, self.shift):
                return -ETIME           # VCPU_SSHOTTMR_future, and it is past
            self.timer_at, self.has_timer = c.deadline, True
            return 0
        if c.op == HC_SET_TIMER_OP:
            self.n_set_timer_op += 1
            self.timer_at, self.has_timer = c.a0, c.a0 != 0
            if c.a0 != 0 and c.a0 <= unik_system_ns(self.stamp, self.mul, self.shift):
                self.fire_timer()
            return 0
        if c.op == HC_EVTCHN_OP:
            self.n_evtchn_op += 1
            unik_wake_fd(self.notify_fd[c.port])
            return 0
        self.n_sched_op += 1
        if c.cmd == SCHEDOP_POLL:
            self.poll(c, run)
        return 0

    cdef void poll(self, FastCall *c, kvm_run *run) noexcept:
        """SCHEDOP_poll's wait (events.py _poll_c): until a port is pending,
        the deadline (the request's timeout, and the timer when its port is
        polled) passes, or the runner kicks the vCPU."""
        cdef uint32_t nr = c.nr
        cdef const uint32_t *ports = self.ports
        cdef bint has_dl = c.timeout != 0
        cdef uint64_t dl = c.timeout, now
        cdef int64_t wait
        cdef uint32_t i
        cdef int r
        cdef unsigned char *si = self.base + self.si_off
        if self.has_timer and self.timer_port >= 0:
            for i in range(nr):
                if ports[i] == <uint32_t>self.timer_port:
                    dl = self.timer_at if not has_dl or self.timer_at < dl else dl
                    has_dl = True
                    break
        while True:
            if unik_immediate_exit(run):
                return
            now = unik_system_ns(self.stamp, self.mul, self.shift)
            if self.has_timer and now >= self.timer_at:
                self.fire_timer()
            if has_dl and now >= dl:
                return
            wait = -1
            if has_dl:
                wait = <int64_t>min(dl - now, <uint64_t>MAX_WAIT_NS)
            if self.has_timer:
                wait = <int64_t>min(self.timer_at - now, <uint64_t>MAX_WAIT_NS) if wait < 0 \
                    else <int64_t>min(<uint64_t>wait, self.timer_at - now)
            with nogil:
                unik_drain_fd(self.wake_fd)
                r = unik_immediate_exit(run) or unik_ports_pending(si, ports, nr)
                if not r and wait != 0:
                    self.sleeps += 1
                    unik_wait_fd(self.wake_fd, wait)
                    r = unik_ports_pending(si, ports, nr)
            if r:
                return

    cdef bint hypercall(self, uint32_t nr, kvm_regs *regs, kvm_run *run) except -1:
        """Serve hypercall `nr` (the registers as the stub left them) when
        every part of it is one the fast path serves: True, rax set; else
        False and nothing done (the Python exit handler takes it)."""
        cdef FastCall calls[MAX_FAST_CALLS]
        cdef unsigned n, i
        cdef unsigned char *p
        cdef int64_t rc
        if not self.have_ram:           # closed: Python serves whatever comes
            return False
        if nr == HC_MULTICALL:
            n = <uint32_t>regs.rsi
            if n == 0 or n > MAX_FAST_CALLS:
                return False
            p = self.at(regs.rdi, 64 * n)
            if p == NULL:
                return False
            for i in range(n):
                calls[i].op = <uint32_t>min(unik_ld64(p + 64 * i), 0xFFFFFFFF)
                calls[i].result_off = <uint64_t>(p - self.base) + 64 * i + 8
                if not self.plan(&calls[i], unik_ld64(p + 64 * i + 16),
                                 unik_ld64(p + 64 * i + 24), unik_ld64(p + 64 * i + 32),
                                 i == n - 1):
                    return False
            # Results go where the guest may write (not the runner's pages,
            # not a page table): the Python gate decides.
            try:
                self.check_write(regs.rdi, 64 * n)
            except Exception:
                return False
            self.timer_check()
            self.n_multicall += 1
            for i in range(n):
                if unik_immediate_exit(run):        # Domain.preempted(): the rest is not run
                    break
                rc = self.call(&calls[i], run)
                unik_st64(self.base + calls[i].result_off, <uint64_t>rc)
            regs.rax = 0
        else:
            calls[0].op = nr
            if not self.plan(&calls[0], regs.rdi, regs.rsi, regs.rdx, True):
                return False
            rc = self.call(&calls[0], run)
            regs.rax = <uint64_t>rc
        run.kvm_dirty_regs |= KVM_SYNC_X86_REGS
        return True


def _err(what):
    e = errno
    import os
    return OSError(e, f"{what}: {os.strerror(e)}")


cdef char *_FORMAT_B = "B"


cdef class Ram:
    """Guest RAM: one private anonymous mapping, reserved (not committed), 2 MiB
    aligned; from huge_from (bytes, 2 MiB aligned) on, backed by transparent
    huge pages (faster first touch; memory then comes 2 MiB at a time)."""
    cdef void *addr
    cdef readonly size_t size

    def __cinit__(self, size_t size, size_t huge_from=<size_t>-1):
        self.addr = unik_mmap_ram(size, huge_from)
        if self.addr == NULL:
            raise _err("mmap of guest RAM")
        self.size = size

    @property
    def address(self):
        return <uint64_t>self.addr

    def view(self):
        """A writable memoryview over all of RAM; it keeps the mapping alive."""
        return memoryview(self)

    def __getbuffer__(self, Py_buffer *buf, int flags):
        buf.buf = self.addr
        buf.obj = self
        buf.len = self.size
        buf.readonly = 0
        buf.itemsize = 1
        buf.format = _FORMAT_B if (flags & PyBUF_FORMAT) else NULL
        buf.ndim = 1
        buf.shape = NULL
        buf.strides = NULL
        buf.suboffsets = NULL
        buf.internal = NULL

    def __releasebuffer__(self, Py_buffer *buf):
        pass

    def resident_pages(self):
        return unik_resident_pages(self.addr, self.size)

    def __dealloc__(self):
        if self.addr != NULL:
            munmap(self.addr, self.size)
            self.addr = NULL


cdef class Kvm:
    """/dev/kvm (the system object)."""
    cdef readonly int fd
    cdef readonly int run_size

    def __cinit__(self):
        self.fd = -1

    def __init__(self):
        self.fd = unik_open_kvm()
        if self.fd < 0:
            raise _err("/dev/kvm")
        if unik_ioctl0(self.fd, KVM_GET_API_VERSION) != 12:
            raise OSError(0, "/dev/kvm: unsupported API version")
        self.run_size = unik_ioctl0(self.fd, KVM_GET_VCPU_MMAP_SIZE)
        if self.run_size <= 0:
            raise _err("KVM_GET_VCPU_MMAP_SIZE")

    def check_extension(self, int cap):
        return unik_ioctl_ul(self.fd, KVM_CHECK_EXTENSION, cap)

    def create_vm(self):
        return Vm(self)

    def close(self):
        if self.fd >= 0:
            close(self.fd)
            self.fd = -1

    def __dealloc__(self):
        self.close()


cdef class Vm:
    cdef readonly int fd
    cdef readonly Kvm kvm
    cdef object ram

    def __cinit__(self):
        self.fd = -1

    def __init__(self, Kvm kvm):
        self.kvm = kvm
        self.fd = unik_ioctl0(kvm.fd, KVM_CREATE_VM)
        if self.fd < 0:
            raise _err("KVM_CREATE_VM")
        # Needed on Intel VMX before the first KVM_RUN; harmless elsewhere.
        unik_ioctl_ul(self.fd, KVM_SET_TSS_ADDR, 0xfffbd000)

    def set_memory(self, Ram ram, uint64_t gpa=0, uint32_t slot=0, uint64_t size=0):
        """Give KVM [gpa, gpa+size) of RAM (all of it when size is 0) as one
        slot; guest-physical == offset in the mapping."""
        if size == 0:
            size = ram.size - gpa
        if gpa + size > ram.size:
            raise ValueError("memory slot outside guest RAM")
        if unik_set_memory(self.fd, slot, gpa, size, <uint64_t>ram.addr + gpa) < 0:
            raise _err("KVM_SET_USER_MEMORY_REGION")
        self.ram = ram

    def create_vcpu(self, int index=0):
        return Vcpu(self, index)

    def close(self):
        if self.fd >= 0:
            close(self.fd)
            self.fd = -1

    def __dealloc__(self):
        self.close()


cdef class Vcpu:
    cdef readonly int fd
    cdef kvm_run *run
    cdef int run_size
    cdef bint sync
    cdef kvm_regs regs_cache
    cdef bint regs_valid
    cdef bint regs_dirty
    cdef pthread_t thread
    cdef bint have_thread
    cdef readonly uint64_t exits
    cdef readonly Vm vm

    def __cinit__(self):
        self.fd = -1
        self.run = NULL

    def __init__(self, Vm vm, int index):
        self.vm = vm
        self.fd = unik_ioctl_ul(vm.fd, KVM_CREATE_VCPU, index)
        if self.fd < 0:
            raise _err("KVM_CREATE_VCPU")
        self.run_size = vm.kvm.run_size
        self.run = <kvm_run *>unik_mmap_run(self.fd, self.run_size)
        if self.run == NULL:
            raise _err("mmap of kvm_run")
        rc = unik_set_cpuid(vm.kvm.fd, self.fd)
        if rc < 0:
            raise OSError(-rc, "KVM_SET_CPUID2")
        self.sync = vm.kvm.check_extension(KVM_CAP_SYNC_REGS) & KVM_SYNC_X86_REGS != 0
        if self.sync:
            self.run.kvm_valid_regs = KVM_SYNC_X86_REGS

    # -- registers -------------------------------------------------------
    cdef kvm_regs *_regs(self) except NULL:
        if self.sync:
            return UNIK_SYNC_REGS(self.run)
        if not self.regs_valid:
            if unik_ioctl_p(self.fd, KVM_GET_REGS, &self.regs_cache) < 0:
                raise _err("KVM_GET_REGS")
            self.regs_valid = True
        return &self.regs_cache

    def get_regs(self):
        """All general registers as a dict (names as in REG_NAMES)."""
        return dict(self._regs()[0])

    def set_regs(self, dict regs):
        cdef kvm_regs r = self._regs()[0]
        cdef dict d = r
        d.update(regs)
        r = d
        if unik_ioctl_p(self.fd, KVM_SET_REGS, &r) < 0:
            raise _err("KVM_SET_REGS")
        self.regs_cache = r
        self.regs_valid = True
        if self.sync:
            UNIK_SYNC_REGS(self.run)[0] = r

    def hypercall_args(self):
        cdef kvm_regs *r = self._regs()
        return (r.rdi, r.rsi, r.rdx, r.r10, r.r8)

    def set_rax(self, uint64_t value):
        cdef kvm_regs *r = self._regs()
        r.rax = value
        if self.sync:
            self.run.kvm_dirty_regs |= KVM_SYNC_X86_REGS
        else:
            self.regs_dirty = True

    def get_sregs(self):
        cdef kvm_sregs s
        memset(&s, 0, sizeof(s))
        if unik_ioctl_p(self.fd, KVM_GET_SREGS, &s) < 0:
            raise _err("KVM_GET_SREGS")
        return s

    def set_sregs(self, dict sregs):
        cdef kvm_sregs s
        memset(&s, 0, sizeof(s))
        if unik_ioctl_p(self.fd, KVM_GET_SREGS, &s) < 0:
            raise _err("KVM_GET_SREGS")
        cdef dict d = s
        for k, v in sregs.items():
            if isinstance(v, dict):
                d[k].update(v)
            else:
                d[k] = v
        s = d
        unik_sregs_fix(&s)
        if unik_ioctl_p(self.fd, KVM_SET_SREGS, &s) < 0:
            raise _err("KVM_SET_SREGS")

    def tsc_khz(self):
        return unik_ioctl0(self.fd, KVM_GET_TSC_KHZ)

    def get_msr(self, uint32_t index):
        cdef uint64_t v = 0
        rc = unik_get_msr(self.fd, index, &v)
        if rc < 0:
            raise OSError(-rc, "KVM_GET_MSRS")
        return v

    # -- the loop --------------------------------------------------------
    def kick(self):
        """From another thread: make the running KVM_RUN return (EINTR)."""
        self.run.immediate_exit = 1
        if self.have_thread and _kick_signal:
            pthread_kill(self.thread, _kick_signal)

    def loop(self, handle, FastCalls fast=None):
        """Run until `handle(exit_tuple)` returns something other than None.

        exit_tuple = (reason, port_or_addr, direction_or_write, size, data).
        `fast`: hypercalls it serves (the guest's sleep) never reach `handle`.
        """
        cdef int r, e
        cdef uint32_t reason
        cdef kvm_run *run = self.run
        if not self.sync:
            fast = None                 # it works on the sync-regs area
        cdef bint outer = self.have_thread       # a loop inside a handler (KvmCpu.store_ptes)
        self.thread = pthread_self()
        self.have_thread = True
        try:
            while True:
                if self.regs_dirty:
                    if unik_ioctl_p(self.fd, KVM_SET_REGS, &self.regs_cache) < 0:
                        raise _err("KVM_SET_REGS")
                    self.regs_dirty = False
                self.regs_valid = False
                with nogil:
                    r = unik_ioctl0(self.fd, KVM_RUN)
                    e = errno
                self.exits += 1
                if self.sync:
                    run.kvm_dirty_regs = 0
                if r < 0:
                    if e == 4 or e == 11:       # EINTR, EAGAIN
                        run.immediate_exit = 0
                        ex = (EXIT_INTR, 0, 0, 0, 0)
                    else:
                        import os
                        raise OSError(e, f"KVM_RUN: {os.strerror(e)}")
                else:
                    reason = UNIK_RUN_REASON(run)
                    if reason == KVM_EXIT_IO:
                        if (fast is not None and UNIK_IO_PORT(run) == fast.hypercall_port
                                and UNIK_IO_DIR(run) == 1 and UNIK_IO_SIZE(run) == 4
                                and fast.hypercall(<uint32_t>unik_io_data(run),
                                                   UNIK_SYNC_REGS(run), run)):
                            continue
                        ex = (reason, UNIK_IO_PORT(run), UNIK_IO_DIR(run), UNIK_IO_SIZE(run),
                              unik_io_data(run))
                    elif reason == KVM_EXIT_INTERNAL_ERROR:
                        ex = (reason, 0, 0, 0, UNIK_INTERNAL_SUB(run))
                    elif reason == KVM_EXIT_FAIL_ENTRY:
                        ex = (reason, 0, 0, 0, UNIK_FAIL_REASON(run))
                    elif reason == KVM_EXIT_MMIO:
                        ex = (reason, UNIK_MMIO_ADDR(run), UNIK_MMIO_WRITE(run), 0, 0)
                    else:
                        ex = (reason, 0, 0, 0, UNIK_HW_REASON(run))
                result = handle(ex)
                if result is not None:
                    return result
        finally:
            self.have_thread = outer

    def close(self):
        if self.run != NULL:
            munmap(self.run, self.run_size)
            self.run = NULL
        if self.fd >= 0:
            close(self.fd)
            self.fd = -1

    def __dealloc__(self):
        self.close()
