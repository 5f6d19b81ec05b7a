/*
 * arch/cc.h — lwIP's compiler/platform port for the unik core: x86-64,
 * little endian, diagnostics to the console, assertions abort the guest.
 */
#ifndef UNIK_LWIP_ARCH_CC_H
#define UNIK_LWIP_ARCH_CC_H

#include <stdint.h>
#include <stddef.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void unik_abort(void);
uint32_t net_random(void);

#define BYTE_ORDER LITTLE_ENDIAN
#define LWIP_PLATFORM_DIAG(x) do { kprintf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) do { \
        kprintf("unik: lwIP assertion \"%s\" failed at %s:%d\n", x, __FILE__, __LINE__); \
        unik_abort(); \
    } while (0)
#define LWIP_RAND() net_random()
#define LWIP_NO_UNISTD_H 1

#endif
