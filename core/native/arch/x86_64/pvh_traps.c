/*
 * pvh_traps.c — IDT and TSS for ring 0 under PVH. Every exception is fatal:
 * it is reported (traps.c) and the guest stops with UNIK_EXIT_CRASH. The
 * double fault, NMI and machine check run on their own IST stacks, and so
 * does the page fault, so a fault on a bad or overflowed stack (the main
 * stack has an unmapped guard page below it) is still reported.
 */
#include "pvh.h"
#include <unik/kernel.h>
#include <unik/x86.h>

#define IST_STACK_SIZE (16 * 1024)
enum { IST_DF = 1, IST_PF = 2, IST_NMI = 3, IST_COUNT = 3 };

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type;               /* 0x8e: present, DPL 0, 64-bit interrupt gate */
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
};

extern const uint64_t pvh_trap_stubs[32];

static struct tss tss __attribute__((aligned(16)));
static struct idt_gate idt[256] __attribute__((aligned(16)));
static uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));

static void set_gate(unsigned vec, uint64_t handler, unsigned ist)
{
    idt[vec] = (struct idt_gate){
        .offset_lo = (uint16_t)handler,
        .selector = GDT_CODE64,
        .ist = (uint8_t)ist,
        .type = 0x8e,
        .offset_mid = (uint16_t)(handler >> 16),
        .offset_hi = (uint32_t)(handler >> 32),
    };
}

void pvh_traps_init(void)
{
    for (unsigned i = 0; i < IST_COUNT; i++)
        tss.ist[i] = (uint64_t)(uintptr_t)&ist_stacks[i][IST_STACK_SIZE];
    tss.iomap_base = sizeof tss;        /* no I/O bitmap */

    uint64_t base = (uint64_t)(uintptr_t)&tss, limit = sizeof tss - 1;
    pvh_gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                           (0x89ull << 40) |                /* present, 64-bit TSS */
                           ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
    pvh_gdt[GDT_TSS / 8 + 1] = base >> 32;
    __asm__ volatile("ltr %w0" : : "r"(GDT_TSS));

    for (unsigned v = 0; v < 32; v++) {
        unsigned ist = v == 8 ? IST_DF : v == 14 ? IST_PF : (v == 2 || v == 18) ? IST_NMI : 0;
        set_gate(v, pvh_trap_stubs[v], ist);
    }
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = { sizeof idt - 1, (uint64_t)(uintptr_t)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

__attribute__((noreturn)) void pvh_trap(struct trap_frame *f);

__attribute__((noreturn)) void pvh_trap(struct trap_frame *f)
{
    static int depth;
    uint64_t cr2 = read_cr2();

    if (depth++) {
        /* A fault while reporting one: say so as plainly as possible. */
        static const char msg[] = "unik: CPU exception while reporting a CPU exception\n";
        pvh_console_write(msg, sizeof msg - 1);
        pvh_exit(UNIK_EXIT_CRASH);
    }
    arch_trap_report(f, cr2);
    pvh_exit(UNIK_EXIT_CRASH);
}
