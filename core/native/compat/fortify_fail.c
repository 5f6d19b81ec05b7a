/*
 * fortify_fail.c — how a failed check ends the guest: glibc's message on
 * stderr (straight to the stream: stdio's state may be what overflowed),
 * then abort, as __chk_fail / __fortify_fail do in a process.
 */
#include <unik/kernel.h>
#include "compat.h"

__attribute__((noreturn)) void compat_fatal(const char *msg)
{
    console_write_fd(2, msg, kstrlen(msg));
    unik_abort();
}

__attribute__((noreturn)) void compat_chk_fail(void)
{
    compat_fatal("*** buffer overflow detected ***: terminated\n");
}

/* glibc's own name, which some libraries call directly. */
COMPAT __attribute__((noreturn)) void __chk_fail(void)
{
    compat_chk_fail();
}
