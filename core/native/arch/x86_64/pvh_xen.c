/*
 * pvh_xen.c — Xen PVH is detected but not supported yet.
 *
 * Xen announces itself in CPUID leaf 0x40000000 (or 0x40000100 when it
 * offers Viridian first) with the signature "XenVMMXenVMM". A PVH domU has
 * no UART: we say so on Xen's debug port 0xe9 (flushed at a newline) and shut
 * the domain down as crashed with SCHEDOP_shutdown, through a hypercall page
 * that Xen fills when its address is written to the MSR of CPUID leaf
 * base+2 (Xen's public arch-x86/cpuid.h).
 */
#include "pvh.h"
#include <unik/x86.h>

#define XEN_DEBUG_PORT 0xe9
#define HYPERVISOR_sched_op 29
#define SCHEDOP_shutdown 2
#define SHUTDOWN_crash 3

static uint32_t xen_base;
static uint8_t hypercall_page_pvh[4096] __attribute__((aligned(4096)));

int pvh_on_xen(void)
{
    uint32_t a, b, c, d;
    cpuid(1, 0, &a, &b, &c, &d);
    if (!(c & (1u << 31)))
        return 0;                       /* no hypervisor */
    for (uint32_t base = 0x40000000; base <= 0x40000100; base += 0x100) {
        cpuid(base, 0, &a, &b, &c, &d);
        /* "XenV" "MMXe" "nVMM" in ebx, ecx, edx */
        if (b == 0x566e6558 && c == 0x65584d4d && d == 0x4d4d566e && a >= base + 2) {
            xen_base = base;
            return 1;
        }
    }
    return 0;
}

__attribute__((noreturn)) void pvh_xen_unsupported(void)
{
    static const char msg[] =
        "unik: this is Xen PVH, which unik does not support yet; "
        "boot the image as a Xen PV guest (type = \"pv\") instead\n";
    for (const char *p = msg; *p; p++)
        outb(XEN_DEBUG_PORT, (uint8_t)*p);

    uint32_t pages, msr, c, d;
    cpuid(xen_base + 2, 0, &pages, &msr, &c, &d);
    wrmsr(msr, (uint64_t)(uintptr_t)hypercall_page_pvh);
    struct {
        unsigned reason;
    } shutdown = { SHUTDOWN_crash };
    long ret;
    register long a1 __asm__("rdi") = SCHEDOP_shutdown;
    register long a2 __asm__("rsi") = (long)&shutdown;
    __asm__ volatile("call *%[entry]"
                     : "=a"(ret), "+r"(a1), "+r"(a2)
                     : [entry] "r"(hypercall_page_pvh + HYPERVISOR_sched_op * 32)
                     : "memory", "rcx", "rdx", "r8", "r9", "r10", "r11");
    (void)ret;
    for (;;)
        __asm__ volatile("cli; hlt");
}
