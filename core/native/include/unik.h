/*
 * unik.h — the application ABI of unik.
 *
 * This header is the whole contract between a language runtime (or a C
 * program) and the unik guest core. Everything Xen-, KVM- or QEMU-specific
 * stays below it. The ABI is single-threaded: one vCPU, no interrupts, no
 * signals. The only way to wait is unik_yield().
 *
 * Conventions: functions that can fail return a unik_result_t. A caller MUST
 * NOT assume any value of an output argument after an error. Pointers passed
 * in MUST stay valid for the duration of the call only.
 *
 * The C library (musl) sits beside this header, not under it: ordinary C code
 * may use printf, malloc, clock_gettime and friends; runtimes that want the
 * raw services call the functions below.
 */
#ifndef UNIK_H
#define UNIK_H

#include <stddef.h>
#include <stdint.h>

#define UNIK_ABI_VERSION 1

typedef enum {
    UNIK_OK = 0,      /* success */
    UNIK_AGAIN,       /* nothing to do now; try again after unik_yield() */
    UNIK_EINVAL,      /* an argument is invalid */
    UNIK_EUNSPEC,     /* unspecified error, e.g. no such device */
} unik_result_t;

/* Time in nanoseconds. */
typedef uint64_t unik_time_t;

/* A set of device handles, one bit per handle (handles are 0..63). */
typedef uint64_t unik_handle_set_t;
typedef uint64_t unik_handle_t;

/* A module the host passed in with the image (e.g. a data file). */
struct unik_module {
    const void *data;
    size_t len;
};

#define UNIK_MAX_MODULES 8

/*
 * What the core knows at start. The heap region is the memory the core's
 * allocator (brk/mmap, hence malloc) serves from; it is informational: a
 * runtime MUST allocate through malloc or mmap, not by writing to it.
 */
struct unik_start_info {
    const char *cmdline;        /* NUL-terminated, never NULL (may be "") */
    uintptr_t heap_start;
    size_t heap_size;
    size_t mem_total;           /* guest RAM in bytes */
    unsigned nr_modules;
    struct unik_module modules[UNIK_MAX_MODULES];
    const char *platform;       /* "pvh-bare", "xen-pv", … for diagnostics */
};

/*
 * The runtime provides this. The core calls it once, after its own
 * initialisation; its return value is the guest's exit status. The core's
 * default (weak) unik_app_main starts musl and calls main(argc, argv).
 */
int unik_app_main(const struct unik_start_info *si);

/* Console: write len bytes. MAY buffer; everything is flushed by unik_exit,
 * unik_abort and unik_yield. Never fails. */
void unik_console_write(const char *buf, size_t len);

/* Monotonic clock: ns since an arbitrary point at boot; never goes back. */
unik_time_t unik_clock_monotonic(void);

/* Wall clock: ns since the Unix epoch (0 when the host gave no wall clock). */
unik_time_t unik_clock_wall(void);

/*
 * Block until the monotonic clock reaches deadline, or until a device in the
 * guest has work. On return *ready_set (if not NULL) holds the handles that
 * have work (0 on a timeout). A deadline in the past polls and returns at once.
 */
void unik_yield(unik_time_t deadline, unik_handle_set_t *ready_set);

/*
 * Network device. name is "eth0", "eth1", … (the host's order) or "" for the
 * first; acquiring twice returns the same handle; UNIK_EUNSPEC: no such NIC.
 * Frames are Ethernet frames without the FCS (at most mtu + 14 bytes).
 * Programs that want TCP/IP use the BSD sockets of the C library instead:
 * the core's stack (lwIP) owns the NICs then.
 */
struct unik_net_info {
    uint8_t mac_address[6];
    size_t mtu;                 /* without the Ethernet header */
};
unik_result_t unik_net_acquire(const char *name, unik_handle_t *handle,
                               struct unik_net_info *info);
/* Write one Ethernet frame of size bytes. Never waits: UNIK_AGAIN when every
 * transmit slot is in flight (try again after unik_yield). */
unik_result_t unik_net_write(unik_handle_t handle, const uint8_t *buf, size_t size);
/* Read one frame into buf (size bytes available); *read_size is its length.
 * UNIK_AGAIN when no frame is queued; UNIK_EINVAL (frame dropped) when it
 * does not fit. */
unik_result_t unik_net_read(unik_handle_t handle, uint8_t *buf, size_t size,
                            size_t *read_size);

/*
 * Block device. name is the disk's name ("xvda", "xvdb", … in the order
 * `unik run --disk` gave them) or "" for the first; acquiring a disk twice
 * returns the same handle. UNIK_EUNSPEC: no such disk (or no devices on this
 * host). Offsets and sizes MUST be multiples of block_size (else
 * UNIK_EINVAL, also for a range beyond capacity); any such size is one
 * call, however large. Reads and writes are synchronous: when a write
 * returns, a crash of the guest no longer loses it; after unik_block_flush
 * returns UNIK_OK, neither does a crash of the host. UNIK_EUNSPEC from a
 * read or write: the device failed (or is read-only, for a write).
 */
struct unik_block_info {
    uint64_t capacity;          /* bytes */
    uint64_t block_size;        /* bytes */
};
unik_result_t unik_block_acquire(const char *name, unik_handle_t *handle,
                                 struct unik_block_info *info);
unik_result_t unik_block_write(unik_handle_t handle, uint64_t offset,
                               const uint8_t *buf, size_t size);
unik_result_t unik_block_read(unik_handle_t handle, uint64_t offset,
                              uint8_t *buf, size_t size);
unik_result_t unik_block_flush(unik_handle_t handle);

/* Exit statuses the hosts report besides the guest's own 0..123. */
#define UNIK_EXIT_CRASH 125     /* CPU exception, triple fault */
#define UNIK_EXIT_ABORT 126     /* unik_abort() */

/* Stop the guest with status (0..123). Flushes the console. */
__attribute__((noreturn)) void unik_exit(int status);

/* Stop the guest abnormally (status UNIK_EXIT_ABORT). Flushes the console. */
__attribute__((noreturn)) void unik_abort(void);

#endif /* UNIK_H */
