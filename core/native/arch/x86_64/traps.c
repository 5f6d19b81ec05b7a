/*
 * traps.c — the crash report of a CPU exception, shared by the platforms.
 * The report is one line a host can grep for plus the general registers;
 * hosts symbolise rip with the image's .debug copy.
 */
#include <unik/arch.h>
#include <unik/kernel.h>

static const char *const names[32] = {
    [0] = "#DE divide error",          [1] = "#DB debug",
    [2] = "NMI",                       [3] = "#BP breakpoint",
    [4] = "#OF overflow",              [5] = "#BR bound range",
    [6] = "#UD invalid opcode",        [7] = "#NM device not available",
    [8] = "#DF double fault",          [9] = "coprocessor segment overrun",
    [10] = "#TS invalid TSS",          [11] = "#NP segment not present",
    [12] = "#SS stack fault",          [13] = "#GP general protection",
    [14] = "#PF page fault",           [16] = "#MF x87 floating point",
    [17] = "#AC alignment check",      [18] = "#MC machine check",
    [19] = "#XM SIMD floating point",  [20] = "#VE virtualization",
    [21] = "#CP control protection",   [28] = "#HV hypervisor injection",
    [29] = "#VC VMM communication",    [30] = "#SX security",
};

const char *arch_trap_name(unsigned vector)
{
    if (vector < 32 && names[vector])
        return names[vector];
    return vector < 32 ? "reserved" : "interrupt";
}

void arch_trap_report(const struct trap_frame *f, uint64_t cr2)
{
    kprintf("unik: CPU exception %s (vector %lu) error=%#lx rip=%#lx cr2=%#lx rsp=%#lx\n",
            arch_trap_name((unsigned)f->vector), (unsigned long)f->vector,
            (unsigned long)f->error, (unsigned long)f->rip, (unsigned long)cr2,
            (unsigned long)f->rsp);
    if (f->vector == 14)
        kprintf("unik:   page fault: %s %s at %s level%s\n",
                (f->error & 1) ? "protection violation" : "page not present",
                (f->error & 16) ? "(instruction fetch)" : (f->error & 2) ? "(write)" : "(read)",
                (f->error & 4) ? "user" : "supervisor",
                (f->error & 8) ? ", reserved bit set" : "");
    kprintf("unik:   rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n"
            "unik:   rsi=%016lx rdi=%016lx rbp=%016lx rsp=%016lx\n"
            "unik:   r8 =%016lx r9 =%016lx r10=%016lx r11=%016lx\n"
            "unik:   r12=%016lx r13=%016lx r14=%016lx r15=%016lx\n"
            "unik:   rip=%016lx rflags=%08lx cs=%04lx ss=%04lx\n",
            (unsigned long)f->rax, (unsigned long)f->rbx, (unsigned long)f->rcx,
            (unsigned long)f->rdx, (unsigned long)f->rsi, (unsigned long)f->rdi,
            (unsigned long)f->rbp, (unsigned long)f->rsp, (unsigned long)f->r8,
            (unsigned long)f->r9, (unsigned long)f->r10, (unsigned long)f->r11,
            (unsigned long)f->r12, (unsigned long)f->r13, (unsigned long)f->r14,
            (unsigned long)f->r15, (unsigned long)f->rip, (unsigned long)f->rflags,
            /* Only the selector: Xen's PV frame keeps other state in the
             * slot's upper bits (saved_upcall_mask at bits 32..39). */
            (unsigned long)(f->cs & 0xffff), (unsigned long)(f->ss & 0xffff));
}
