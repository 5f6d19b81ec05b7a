/*
 * kernel.h — the shared core's internal interfaces, grouped by the file of
 * core/native/kernel/ that implements them. Not for runtimes (they use
 * unik.h); platforms may call anything here.
 */
#ifndef UNIK_KERNEL_H
#define UNIK_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unik.h>
#include <unik/plat.h>

#define UNIK_PAGE_SIZE 4096ul
#define ALIGN_UP(x, a)   (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))

/* Symbols of the linker script (arch/x86_64/unik.ld). */
extern char _unik_image_start[], _text[], _etext[], __bss_start[], _end[];
extern char __tls_start[], __tls_data_end[], __tls_end[];
extern const char __tls_align[];

/* --- string.c: what the core needs of <string.h>, under its own names (the
 * core never depends on musl's code, which may be built differently). */
void *kmemset(void *dst, int c, size_t n);
void *kmemcpy(void *dst, const void *src, size_t n);
int kmemcmp(const void *a, const void *b, size_t n);
size_t kstrlen(const char *s);
size_t kstrnlen(const char *s, size_t max);
int kstrcmp(const char *a, const char *b);
/* Zero n bytes at an 8-byte aligned address, n a multiple of 8 (rep stosq). */
void kzero_aligned(void *dst, size_t n);

/* --- printf.c: formatted output (%d %i %u %x %X %p %s %c %%, with l/ll/z,
 * width, '0' '-' '#' flags). kprintf writes to the console of the active
 * platform, or nowhere before one is set. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --- console.c: the standard streams. fd 1 → the host's stdout, fd 2 →
 * its stderr, where the platform has two streams; else both on the console. */
void console_flush(void);
void console_write_fd(int fd, const char *buf, size_t len);
const struct unik_winsize *console_tty(int fd);

/* --- tty.c: ioctl on fds 0..2 (isatty and the terminal size come from the
 * host: a guest's stdout is a terminal exactly when the host's is). */
long console_ioctl(long fd, unsigned long req, void *arg);

/* --- stdin.c: fd 0, the host's stdin where the platform brings it (else
 * end of file). ready: 1 when a read would not wait (data or end of file),
 * else 0 with a wake-up asked for (the next unik_yield ends when it would);
 * can_wait: whether fd 0 can become ready later at all. */
long stdin_read(void *buf, size_t len);
struct l_iovec;
long stdin_readv(const struct l_iovec *iov, long cnt);
int stdin_ready(void);
int stdin_can_wait(void);
int stdin_flags(void);                          /* O_NONBLOCK or 0 */
void stdin_set_flags(long flags);

/* --- time.c: the clocks (REALTIME = wall clock at boot + monotonic when the
 * host gave none; CPU time = monotonic minus what unik_yield waited) and
 * sleeping through unik_yield. */
void time_init(void);
unik_time_t time_realtime(void);
unik_time_t time_cputime(void);                 /* monotonic minus time waited */
void time_sleep_until(unik_time_t deadline);

/* --- page.c: the physical page allocator (4 KiB pages; first fit over a
 * two-level bitmap; pages handed out are zeroed unless _raw). Addresses are
 * guest-physical, which the identity map makes usable as pointers. */
void page_init(const struct plat_mem_range *ranges, unsigned n);
uint64_t page_alloc(size_t n);                  /* 0 when none */
uint64_t page_alloc_raw(size_t n, size_t align_pages);
uint64_t page_alloc_aligned(size_t n, size_t align_pages);     /* zeroed */
/* Free RAM reads as zero at boot (the platform says so): never-used pages
 * need no zeroing, and stay untouched until the program uses them. */
void page_ram_zeroed(void);
/* Take the free RAM pages of [pa, pa + n pages), zeroed; returns how many. */
size_t page_claim(uint64_t pa, size_t n);
void page_free(uint64_t pa, size_t n);
bool page_is_free(uint64_t pa);
bool page_is_ram(uint64_t pa);                  /* managed by the allocator at all */
size_t page_count_free(void);
size_t page_count_total(void);
uint64_t page_limit(void);                      /* end of the highest managed page */

/* --- vm.c: the virtual-memory layer behind mmap and friends. Returns are
 * Linux-style (an address, 0 or -errno). */
void vm_init(uint64_t mapped_end);
long vm_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, int64_t off);
long vm_munmap(uint64_t addr, uint64_t len);
long vm_mprotect(uint64_t addr, uint64_t len, int prot);
long vm_madvise(uint64_t addr, uint64_t len, int advice);
long vm_brk(uint64_t addr);
/* Pages of RAM given out through mmap/brk, for sysinfo and statistics. */
size_t vm_pages_in_use(void);

/* --- random.c: getrandom. RDRAND when CPUID shows it; otherwise a
 * splitmix64 generator seeded from the TSC and the boot timing, which is NOT
 * cryptographically secure (the first use says so on the console). */
void random_fill(void *buf, size_t len);

/* --- syscall.c */
long __unik_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6);
const char *syscall_name(long n);               /* syscall_names.c; NULL if unknown */
/* poll, ppoll, select, pselect6 (sys_poll.c) */
long sys_poll_family(long n, long a1, long a2, long a3, long a4, long a5);

/* --- main.c */
extern struct unik_start_info unik_start_info;
extern size_t unik_stack_size;                  /* of the main stack, for getrlimit */
/* A diagnostic and UNIK_EXIT_CRASH: for states the core cannot continue from. */
__attribute__((noreturn, format(printf, 1, 2))) void kpanic(const char *fmt, ...);

/* --- tls.c: the boot TLS block (self pointer at %fs:0, canary at %fs:0x28). */
void tls_boot_init(void);

#endif /* UNIK_KERNEL_H */
