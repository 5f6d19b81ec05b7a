/*
 * tls.c — the boot TLS block, installed before any musl code runs: musl is
 * built without the stack protector, but application and runtime code may
 * not be (gcc reads the canary at %fs:0x28), and %fs:0 must point to the
 * block itself (the x86-64 TLS ABI). musl's __init_tls replaces it with the
 * real thread block through arch_prctl(ARCH_SET_FS).
 */
#include <unik/kernel.h>
#include <unik/linux.h>

#define CANARY_OFFSET 0x28

static uint64_t boot_tls[32] __attribute__((aligned(64)));

void tls_boot_init(void)
{
    uint64_t canary;
    random_fill(&canary, sizeof canary);
    canary &= ~0xffull;                 /* a NUL byte stops string overflows */
    boot_tls[0] = (uint64_t)(uintptr_t)boot_tls;
    boot_tls[CANARY_OFFSET / 8] = canary;
    /* Through arch_prctl, so that ARCH_GET_FS reports it too. */
    __unik_syscall(NR_arch_prctl, L_ARCH_SET_FS, (long)(uintptr_t)boot_tls, 0, 0, 0, 0);
}
