/*
 * pv_entry.S — the 64-bit Xen PV entry (_unik_pv_entry), the hypercall page
 * and the Xen ELF notes that declare both.
 *
 * At entry (Xen x86-64 PV ABI, and the embedded runner): long mode, CPL3,
 * paging on with the domain builder's tables, %rsi = start_info, %rsp = a
 * bootstrap stack. We switch to our own stack in .bss and call the C side.
 */
#include "../../xen/xen_abi.h"

    .section .text._unik_pv_entry, "ax", @progbits
    .globl _unik_pv_entry
    .type _unik_pv_entry, @function
_unik_pv_entry:
    cld
    lea pv_boot_stack_top(%rip), %rsp
    xor %ebp, %ebp
    mov %rsi, %rdi
    call xen_pv_start
1:  ud2
    jmp 1b
    .size _unik_pv_entry, . - _unik_pv_entry

/* Filled by the hypervisor (or the runner) with one 32-byte stub per call. */
    .section .text.hypercall_page, "ax", @progbits
    .balign 4096
    .globl hypercall_page
    .type hypercall_page, @object
hypercall_page:
    .fill 4096, 1, 0xcc
    .size hypercall_page, 4096

    .section .bss.pv_boot_stack, "aw", @nobits
    .balign 16
pv_boot_stack:
    .skip 65536
pv_boot_stack_top:

/* Xen ELF notes: namesz, descsz, type, "Xen\0", descriptor. */
    .section .note.Xen.pv, "a", @note
    .balign 4
    .long 4, 8, XEN_NOTE_ENTRY
    .asciz "Xen"
    .quad _unik_pv_entry
    .balign 4
    .long 4, 8, XEN_NOTE_HYPERCALL_PAGE
    .asciz "Xen"
    .quad hypercall_page
    .balign 4
