/*
 * pvh_exit.c — stopping the guest under pvh-bare: QEMU's isa-debug-exit
 * (`-device isa-debug-exit,iobase=0xf4,iosize=0x04`) makes QEMU exit with
 * (status << 1) | 1. Without that device the write does nothing; then a
 * triple fault (an empty IDT) stops QEMU when it runs with -no-reboot, and
 * resets the machine otherwise: never a silent hang.
 */
#include "pvh.h"
#include <unik/x86.h>

#define DEBUG_EXIT_PORT 0xf4

__attribute__((noreturn)) void pvh_exit(int status)
{
    pvh_console_flush();
    outl(DEBUG_EXIT_PORT, (uint32_t)status);
    static const struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) null_idt = { 0, 0 };
    __asm__ volatile("lidt %0; int3" : : "m"(null_idt));
    for (;;)
        __asm__ volatile("cli; hlt");
}
