/*
 * pv_trap_entry.S — exception entries for a Xen PV guest (real Xen only; on the
 * runner the ring-0 stubs of the runner's IDT report exceptions instead).
 *
 * Xen bounces an exception to the handler in the trap table with, on the
 * stack: rcx, r11, [error code], rip, cs, rflags, rsp, ss. Each entry puts
 * back rcx and r11, pushes a struct trap_frame (unik/arch.h) and calls
 * pv_trap(frame), which reports and stops the guest.
 */
#include <unik/trap_frame.S.h>
#include "../../xen/xen_abi.h"

#define FLAT_KERNEL_CS64 0xe033

    .section .text.pv_traps, "ax", @progbits

.macro TRAP vector, has_error
pv_trap_\vector:
    pop %rcx
    pop %r11
    .if \has_error == 0
    push $0
    .endif
    push $\vector
    jmp pv_trap_common
.endm

    TRAP 0, 0
    TRAP 1, 0
    TRAP 2, 0
    TRAP 3, 0
    TRAP 4, 0
    TRAP 5, 0
    TRAP 6, 0
    TRAP 7, 0
    TRAP 8, 1
    TRAP 10, 1
    TRAP 11, 1
    TRAP 12, 1
    TRAP 13, 1
    TRAP 14, 1
    TRAP 16, 0
    TRAP 17, 1
    TRAP 18, 0
    TRAP 19, 0

pv_trap_common:
    PUSH_TRAP_FRAME_GPRS
    mov %rsp, %rdi
    and $-16, %rsp
    call pv_trap
1:  ud2
    jmp 1b

/* struct trap_info { u8 vector; u8 flags (DPL); u16 cs; address }, 0-terminated. */
.macro TRAPINFO vector, dpl
    .byte \vector, \dpl
    .short FLAT_KERNEL_CS64
    .long 0
    .quad pv_trap_\vector
.endm

    .section .rodata.pv_trap_table, "a", @progbits
    .balign 16
    .globl pv_trap_table
pv_trap_table:
    TRAPINFO 0, 0
    TRAPINFO 1, 0
    TRAPINFO 2, 0
    TRAPINFO 3, 3
    TRAPINFO 4, 3
    TRAPINFO 5, 0
    TRAPINFO 6, 0
    TRAPINFO 7, 0
    TRAPINFO 8, 0
    TRAPINFO 10, 0
    TRAPINFO 11, 0
    TRAPINFO 12, 0
    TRAPINFO 13, 0
    TRAPINFO 14, 0
    TRAPINFO 16, 0
    TRAPINFO 17, 0
    TRAPINFO 18, 0
    TRAPINFO 19, 0
    .quad 0, 0
