/*
 * pvh_traps.S — exception entry stubs for vectors 0–31 (ring 0, PVH).
 * Each stub makes the frame uniform (a 0 error code where the CPU pushes
 * none), pushes its vector and the general registers (struct trap_frame in
 * include/unik/arch.h) and calls pvh_trap(frame), which reports and stops
 * the guest: no exception is ever resumed.
 */
#include <unik/trap_frame.S.h>
	.section .text.pvh_traps, "ax", @progbits

.macro STUB vec
	.p2align 4
.Lstub\vec:
	/* Vectors 8, 10-14, 17, 21, 29 and 30 come with an error code. */
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	push	$0
	.endif
	push	$\vec
	jmp	pvh_trap_common
.endm

	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	STUB \v
	.endr

	.p2align 4
pvh_trap_common:
	PUSH_TRAP_FRAME_GPRS
	cld
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	pvh_trap
	ud2

	/* The stubs' addresses, for the IDT. */
	.section .rodata.pvh_trap_stubs, "a", @progbits
	.p2align 3
	.globl pvh_trap_stubs
pvh_trap_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad .Lstub\v
	.endr

	.section .note.GNU-stack, "", @progbits
