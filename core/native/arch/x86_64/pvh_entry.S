/*
 * pvh_entry.S — the PVH entry (XEN_ELFNOTE_PHYS32_ENTRY), used by QEMU
 * -kernel (microvm) and Xen PVH.
 *
 * At entry: 32-bit protected mode, paging off, flat %cs/%ds/%es/%ss,
 * interrupts off, no stack, %ebx = guest-physical address of the
 * hvm_start_info. We clear .bss, take a boot stack, identity-map the first
 * 4 GiB with 2 MiB pages (static tables; QEMU's default CPU has no 1 GiB
 * pages), enable PAE, long mode and NX, enable SSE (gcc and musl use it),
 * load a 64-bit GDT and jump to pvh_start(start_info) in C.
 */
#include <unik/x86.h>

#define BOOT_STACK_SIZE (64 * 1024)
#define PDE_LARGE (PTE_P | PTE_W | PTE_PS)

	.section .text.unik_entry, "ax", @progbits
	.code32
	.globl _unik_pvh_entry
	.type _unik_pvh_entry, @function
_unik_pvh_entry:
	cli
	cld
	mov	%ebx, %esi			/* keep the start info */

	/* The loader zeroes .bss too, but do not rely on it. */
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	shr	$2, %ecx
	xor	%eax, %eax
	rep stosl

	mov	$pvh_boot_stack_top, %esp

	/* Long mode is required; without it, fail loudly (a triple fault
	 * stops QEMU -no-reboot) rather than hang. */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	.Lno_long_mode
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx			/* LM */
	jnc	.Lno_long_mode
	mov	%edx, %ebp			/* bit 20 = NX */

	/* PML4[0] -> PDPT; PDPT[0..3] -> PD[0..3]; PD[i] = i * 2 MiB. */
	mov	$pvh_pdpt, %eax
	or	$(PTE_P | PTE_W), %eax
	mov	%eax, pvh_pml4
	mov	$pvh_pd, %eax
	or	$(PTE_P | PTE_W), %eax
	mov	$pvh_pdpt, %edi
	mov	$4, %ecx
1:	mov	%eax, (%edi)
	add	$4096, %eax
	add	$8, %edi
	loop	1b
	mov	$pvh_pd, %edi
	mov	$PDE_LARGE, %eax
	xor	%edx, %edx			/* upper half: address bits 32+ */
	mov	$2048, %ecx
2:	mov	%eax, (%edi)
	mov	%edx, 4(%edi)
	add	$0x200000, %eax
	adc	$0, %edx
	add	$8, %edi
	loop	2b

	mov	$pvh_pml4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	mov	%eax, %cr4
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	bt	$20, %ebp
	jnc	3f
	or	$EFER_NXE, %eax
3:	wrmsr
	mov	%cr0, %eax
	and	$~(CR0_EM | CR0_TS), %eax
	or	$(CR0_PE | CR0_MP | CR0_NE | CR0_WP | CR0_PG), %eax
	mov	%eax, %cr0

	lgdt	pvh_gdt_ptr
	ljmp	$GDT_CODE64, $.Llong_mode

.Lno_long_mode:
	lidt	.Lnull_idt
	int3

	.code64
.Llong_mode:
	mov	$GDT_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	lgdt	pvh_gdt_ptr			/* again, now with the 64-bit base */
	fninit
	mov	$pvh_boot_stack_top, %rsp
	xor	%ebp, %ebp
	mov	%esi, %edi			/* zero-extends */
	call	pvh_start
	ud2
	.size _unik_pvh_entry, . - _unik_pvh_entry

	.section .rodata.unik_entry, "a", @progbits
	.p2align 3
.Lnull_idt:
	.word 0
	.quad 0

	/* GDT: null, 64-bit code, data, TSS (16 bytes; pvh_traps.c fills it). */
	.section .data.pvh_gdt, "aw", @progbits
	.p2align 4
	.globl pvh_gdt
pvh_gdt:
	.quad 0
	.quad 0x00af9a000000ffff		/* GDT_CODE64: L, P, DPL0, code */
	.quad 0x00cf92000000ffff		/* GDT_DATA: P, DPL0, data, 4 GiB */
	.quad 0, 0				/* GDT_TSS */
.Lgdt_end:
	.p2align 3
	.globl pvh_gdt_ptr
pvh_gdt_ptr:
	.word .Lgdt_end - pvh_gdt - 1
	.quad pvh_gdt

	.section .bss.pvh_tables, "aw", @nobits
	.p2align 12
	.globl pvh_pml4, pvh_pdpt, pvh_pd
pvh_pml4:	.skip 4096
pvh_pdpt:	.skip 4096
pvh_pd:		.skip 4 * 4096			/* 4 GiB in 2 MiB pages */

	.section .bss.pvh_stack, "aw", @nobits
	.p2align 4
	.globl pvh_boot_stack_top
pvh_boot_stack:	.skip BOOT_STACK_SIZE
pvh_boot_stack_top:

	.section .note.GNU-stack, "", @progbits
