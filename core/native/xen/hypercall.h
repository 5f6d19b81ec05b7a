/*
 * hypercall.h — calls through the hypercall page (Xen x86-64 PV ABI).
 *
 * Stub n sits at hypercall_page + 32*n; the hypervisor (or the embedded
 * runner) wrote it. Arguments go in rdi, rsi, rdx, r10, r8; the result comes
 * back in rax; rcx and r11 are clobbered, argument registers may be.
 */
#ifndef UNIK_XEN_HYPERCALL_H
#define UNIK_XEN_HYPERCALL_H

#include <stdint.h>
#include "xen_abi.h"

extern char hypercall_page[];

#define _HC_CLOBBERS "memory", "rcx", "r11"

static inline long xen_hypercall3(unsigned n, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t rdi __asm__("rdi") = a1;
    register uint64_t rsi __asm__("rsi") = a2;
    register uint64_t rdx __asm__("rdx") = a3;
    long ret;
    __asm__ volatile("call *%[stub]"
                     : "=a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx)
                     : [stub] "r"(hypercall_page + n * HC_STUB_SIZE)
                     : _HC_CLOBBERS, "r8", "r10");
    return ret;
}

static inline long xen_hypercall5(unsigned n, uint64_t a1, uint64_t a2, uint64_t a3,
                                  uint64_t a4, uint64_t a5)
{
    register uint64_t rdi __asm__("rdi") = a1;
    register uint64_t rsi __asm__("rsi") = a2;
    register uint64_t rdx __asm__("rdx") = a3;
    register uint64_t r10 __asm__("r10") = a4;
    register uint64_t r8 __asm__("r8") = a5;
    long ret;
    __asm__ volatile("call *%[stub]"
                     : "=a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8)
                     : [stub] "r"(hypercall_page + n * HC_STUB_SIZE)
                     : _HC_CLOBBERS);
    return ret;
}

#define xen_hypercall1(n, a1) xen_hypercall3((n), (uint64_t)(a1), 0, 0)
#define xen_hypercall2(n, a1, a2) xen_hypercall3((n), (uint64_t)(a1), (uint64_t)(a2), 0)

static inline long HYPERVISOR_console_io(int cmd, int count, const char *buf)
{
    return xen_hypercall3(HC_console_io, (uint64_t)cmd, (uint64_t)count, (uint64_t)buf);
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
    return xen_hypercall2(HC_sched_op, (uint64_t)cmd, (uint64_t)arg);
}

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned vcpu, void *arg)
{
    return xen_hypercall3(HC_vcpu_op, (uint64_t)cmd, vcpu, (uint64_t)arg);
}

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return xen_hypercall2(HC_event_channel_op, (uint64_t)cmd, (uint64_t)arg);
}

static inline long HYPERVISOR_set_segment_base(int which, uint64_t base)
{
    return xen_hypercall2(HC_set_segment_base, (uint64_t)which, base);
}

static inline long HYPERVISOR_update_va_mapping(uint64_t va, uint64_t pte, uint64_t flags)
{
    return xen_hypercall3(HC_update_va_mapping, va, pte, flags);
}

static inline long HYPERVISOR_multicall(struct xen_multicall_entry *calls, unsigned n)
{
    return xen_hypercall2(HC_multicall, (uint64_t)calls, n);
}

static inline long HYPERVISOR_mmu_update(struct xen_mmu_update *req, unsigned count,
                                         unsigned *done, unsigned domid)
{
    return xen_hypercall5(HC_mmu_update, (uint64_t)req, count, (uint64_t)done, domid, 0);
}

static inline long HYPERVISOR_mmuext_op(struct xen_mmuext_op *op, unsigned count,
                                        unsigned *done, unsigned domid)
{
    return xen_hypercall5(HC_mmuext_op, (uint64_t)op, count, (uint64_t)done, domid, 0);
}

#endif /* UNIK_XEN_HYPERCALL_H */
