/*
 * x86.h — x86-64 instructions and architectural constants the core uses
 * (port I/O, MSRs, CPUID, TSC, control registers, page-table bits).
 * Facts from the Intel SDM / AMD APM; internal to the core.
 */
#ifndef UNIK_X86_H
#define UNIK_X86_H

#ifndef __ASSEMBLY__
#include <stdint.h>
#define X86_C(x) x##ull
#define X86_U(x) x##u
#else
#define X86_C(x) x
#define X86_U(x) x
#endif

/* MSRs */
#define MSR_EFER        0xc0000080
#define MSR_FS_BASE     0xc0000100
#define MSR_GS_BASE     0xc0000101
#define EFER_SCE        (X86_U(1) << 0)
#define EFER_LME        (X86_U(1) << 8)
#define EFER_NXE        (X86_U(1) << 11)

/* Control registers */
#define CR0_PE          (X86_U(1) << 0)
#define CR0_MP          (X86_U(1) << 1)
#define CR0_EM          (X86_U(1) << 2)
#define CR0_TS          (X86_U(1) << 3)
#define CR0_NE          (X86_U(1) << 5)
#define CR0_WP          (X86_U(1) << 16)
#define CR0_PG          (X86_U(1) << 31)
#define CR4_PAE         (X86_U(1) << 5)
#define CR4_OSFXSR      (X86_U(1) << 9)
#define CR4_OSXMMEXCPT  (X86_U(1) << 10)
#define CR4_FSGSBASE    (X86_U(1) << 16)
#define CR4_OSXSAVE     (X86_U(1) << 18)

/* Page-table entry bits (4-level paging) */
#define PTE_P           (X86_C(1) << 0)
#define PTE_W           (X86_C(1) << 1)
#define PTE_U           (X86_C(1) << 2)
#define PTE_PS          (X86_C(1) << 7)     /* 2 MiB page in a PDE */
#define PTE_NX          (X86_C(1) << 63)
#define PTE_ADDR_MASK   X86_C(0x000ffffffffff000)

#define PAGE_SIZE       X86_C(4096)
#define PAGE_SHIFT      12
#define LARGE_PAGE_SIZE (X86_C(2) << 20)

/* Selectors of the GDT the PVH entry loads (arch/x86_64/pvh_entry.S). */
#define GDT_CODE64      0x08
#define GDT_DATA        0x10
#define GDT_TSS         0x18

#ifndef __ASSEMBLY__

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
                     : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
                         uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
                     : "a"(leaf), "c"(sub));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_relax(void)
{
    __asm__ volatile("pause" : : : "memory");
}

static inline uint64_t read_cr0(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr2(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr3(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static inline void write_cr3(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static inline void invlpg(uint64_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* One value from RDRAND (the caller checked CPUID); returns 0 when it failed. */
static inline int rdrand64(uint64_t *out)
{
    unsigned char ok;
    uint64_t v;
    __asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok) : : "cc");
    *out = v;
    return ok;
}

#endif /* !__ASSEMBLY__ */
#endif /* UNIK_X86_H */
