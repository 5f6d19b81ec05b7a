/*
 * arch.h — x86-64 pieces shared by every platform (core/native/arch/x86_64/,
 * files not named pvh_* or pv_*).
 */
#ifndef UNIK_ARCH_H
#define UNIK_ARCH_H

#include <stdint.h>

/*
 * The registers at an exception, as the PVH trap stubs (pvh_traps.S) push
 * them: general registers (r15 at the lowest address), then the vector and
 * error code, then the CPU's own frame. Another platform that catches a
 * fault builds one of these and calls arch_trap_report.
 */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

/* traps.c: "unik: CPU exception <name> (vector N) error=… rip=… cr2=… rsp=…"
 * and the general registers, on the console. */
void arch_trap_report(const struct trap_frame *f, uint64_t cr2);
const char *arch_trap_name(unsigned vector);

/* stack.S: switch to the stack whose top is top (16-byte aligned) and call
 * fn(arg) there; fn does not return. */
__attribute__((noreturn)) void arch_call_on_stack(uint64_t top, void (*fn)(void *), void *arg);

#endif /* UNIK_ARCH_H */
