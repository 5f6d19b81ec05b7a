/*
 * trap_frame.S.h — for .S files: push the general registers in the order of
 * struct trap_frame (unik/arch.h), so every exception entry builds the one
 * frame the C reporter reads. The vector and error code are pushed before.
 */
#ifndef UNIK_TRAP_FRAME_S_H
#define UNIK_TRAP_FRAME_S_H

.macro PUSH_TRAP_FRAME_GPRS
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
.endm

#endif /* UNIK_TRAP_FRAME_S_H */
