/*
 * pvh_xen.c — Xen PVH is detected but not supported yet.
 *
 * Xen announces itself in CPUID leaf 0x40000000 (or 0x40000100 when it
 * offers Viridian first) with the signature "XenVMMXenVMM". A PVH domU has
 * no UART: we say so on Xen's debug port 0xe9 (flushed at a newline) and on
 * the PV console (HVM_PARAM_CONSOLE_PFN: what `xl create -c` shows), and shut
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

static long hypercall2(unsigned nr, long arg1, void *arg2)
{
    long ret;
    register long a1 __asm__("rdi") = arg1;
    register long a2 __asm__("rsi") = (long)arg2;
    __asm__ volatile("call *%[entry]"
                     : "=a"(ret), "+r"(a1), "+r"(a2)
                     : [entry] "r"(hypercall_page_pvh + nr * 32)
                     : "memory", "rcx", "rdx", "r8", "r9", "r10", "r11");
    return ret;
}

#define HYPERVISOR_event_channel_op 32
#define HYPERVISOR_hvm_op 34
#define HVMOP_get_param 1
#define HVM_PARAM_CONSOLE_PFN 17
#define HVM_PARAM_CONSOLE_EVTCHN 18
#define EVTCHNOP_send 4
#define DOMID_SELF 0x7ff0

static int hvm_param(uint32_t index, uint64_t *value)
{
    struct {
        uint16_t domid;
        uint32_t index;
        uint64_t value;
    } p = { DOMID_SELF, index, 0 };
    if (hypercall2(HYPERVISOR_hvm_op, HVMOP_get_param, &p) != 0)
        return -1;
    *value = p.value;
    return 0;
}

/* The message on the PV console too (xen/io/console.h), which is what
 * `xl create -c` and `xl console` show: the page just under 4 GiB that the
 * PVH boot tables identity-map, notified through its event channel. */
static void pv_console_say(const char *msg)
{
    uint64_t pfn, port;
    if (hvm_param(HVM_PARAM_CONSOLE_PFN, &pfn) || hvm_param(HVM_PARAM_CONSOLE_EVTCHN, &port) ||
        !pfn || pfn >= (4ull << 30) >> 12)
        return;
    volatile struct {
        char in[1024];
        char out[2048];
        uint32_t in_cons, in_prod, out_cons, out_prod;
    } *ring = (void *)(uintptr_t)(pfn << 12);
    uint32_t prod = ring->out_prod;
    for (const char *p = msg; *p && prod - ring->out_cons < sizeof ring->out; p++, prod++)
        ring->out[prod % sizeof ring->out] = *p;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    ring->out_prod = prod;
    uint32_t send = (uint32_t)port;
    hypercall2(HYPERVISOR_event_channel_op, EVTCHNOP_send, &send);
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
    pv_console_say(msg);
    struct {
        unsigned reason;
    } shutdown = { SHUTDOWN_crash };
    hypercall2(HYPERVISOR_sched_op, SCHEDOP_shutdown, &shutdown);
    for (;;)
        __asm__ volatile("cli; hlt");
}
