/*
 * plat.h — the seam between the shared core and a platform (an entry and
 * what sits behind it). One platform is active per boot, chosen by the entry
 * the loader used: pvh-bare (QEMU, ring 0) or xen-pv (the embedded runner and
 * Xen PV, CPL3). Everything above calls these; each platform implements them
 * in its own files (arch/x86_64/pvh_*.c, xen/pv_*.c) and fills one ops table.
 */
#ifndef UNIK_PLAT_H
#define UNIK_PLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unik.h>

/* A range of guest-physical RAM usable by the core's page allocator. */
struct plat_mem_range {
    uint64_t start;
    uint64_t end;               /* exclusive */
};

#define PLAT_MAX_MEM_RANGES 16
#define PLAT_MAX_RESERVED 16

/* A host terminal's size (what TIOCGWINSZ reports). */
struct unik_winsize {
    uint16_t rows, cols;
};

struct plat_ops {
    const char *name;
    /* Write bytes to the console; MAY buffer until flush. The core's own
     * lines go here: the host's stderr where the platform has two streams. */
    void (*console_write)(const char *buf, size_t len);
    void (*console_flush)(void);
    unik_time_t (*clock_monotonic)(void);
    unik_time_t (*clock_wall)(void);
    /* Wait until deadline (monotonic ns) or device work; returns ready set.
     * Flushes the console first. */
    unik_handle_set_t (*yield)(unik_time_t deadline);
    /* Stop the guest; status per docs/internals.md (0..123, 125, 126). Flushes
     * the console first (a platform may fold that into the same exit). */
    __attribute__((noreturn)) void (*exit)(int status);
    /* Set the FS base (TLS). */
    void (*set_fs_base)(uint64_t base);
    /*
     * Map n 4 KiB pages at virtual va to physical pa (both page aligned);
     * prot is PLAT_PROT_* bits; PLAT_PROT_NONE unmaps. The TLB is coherent
     * when this returns. Returns 0 or a negative errno. Page-table pages
     * may come from the core's allocator (page_alloc, unik/kernel.h); the
     * core calls this only after its allocator is up.
     */
    int (*map_pages)(uint64_t va, uint64_t pa, size_t n, unsigned prot);
    /*
     * Optional (NULL: RAM is all there): make RAM [start, end) (page
     * aligned, inside ram[]) usable before the page allocator first hands
     * out any of it. Returns 0 or a negative errno.
     */
    int (*populate)(uint64_t start, uint64_t end);
    /* Optional: write to the guest's fd 1 (host stdout) or 2 (host stderr),
     * never buffered past a stop or a crash; unset → console_write. */
    void (*stream_write)(int fd, const char *buf, size_t len);
    /* Optional: the host terminal behind fd 1 or 2, NULL when that stream
     * does not reach a terminal (a pipe, a file) or the host does not say. */
    const struct unik_winsize *(*stream_tty)(int fd);
    /*
     * Optional: the guest's stdin (fd 0) from the host; unset, fd 0 is at
     * end of file. stdin_read copies up to len bytes that have arrived and
     * returns how many, 0 at end of file, or -EAGAIN when none have yet:
     * it then asks the host for up to `want` (>= len) bytes, and the next
     * unik_yield returns when they (or end of file) come; want 0 asks for
     * nothing. stdin_ready: 1
     * when a read would not return -EAGAIN, else 0 with the same wake-up
     * asked for. stream_tty(0) says whether stdin is a terminal.
     */
    long (*stdin_read)(void *buf, size_t len, size_t want);
    int (*stdin_ready)(void);
};

#define PLAT_PROT_NONE  0u
#define PLAT_PROT_READ  1u
#define PLAT_PROT_WRITE 2u
#define PLAT_PROT_EXEC  4u

/* Filled by the entry code before core_main runs; zero-initialise it, then
 * fill what the platform knows (unset optional members stay 0). */
struct plat_boot {
    const struct plat_ops *ops;
    const char *cmdline;
    struct plat_mem_range ram[PLAT_MAX_MEM_RANGES];
    unsigned nr_ram;
    /* Highest guest-physical address the boot page tables map (identity). */
    uint64_t mapped_end;
    unsigned nr_modules;
    struct unik_module modules[UNIK_MAX_MODULES];
    /*
     * Optional: ranges inside ram[] the page allocator must never hand out
     * (start info, boot page tables, console/xenstore pages, …). The core
     * itself keeps out the image (_unik_image_start.._end), page 0, the
     * command line string and the modules' data.
     */
    struct plat_mem_range reserved[PLAT_MAX_RESERVED];
    unsigned nr_reserved;
    /*
     * Optional: bytes from address 0 that nothing needs once core_main has
     * copied the command line; the core unmaps them (map_pages NONE) so that
     * NULL dereferences fault. 0 leaves address 0 as the platform mapped it.
     */
    uint64_t null_guard;
    /* Optional: the free RAM in ram[] reads as zero at boot (a fresh host
     * mapping), so the page allocator need not zero pages never handed out. */
    bool ram_zeroed;
};

/* The shared core's entry, called by every platform with its boot record. */
__attribute__((noreturn)) void core_main(struct plat_boot *boot);

/* The active platform (set by core_main). */
extern const struct plat_ops *plat;

#endif /* UNIK_PLAT_H */
