/*
 * exit.c — unik_exit and unik_abort. Statuses 124..127 belong to the hosts
 * (docs/internals.md, "Exit statuses"): a guest's own exit status above 123
 * is reported as 123, with a note on the console.
 */
#include <unik/kernel.h>

#define MAX_GUEST_STATUS 123

/* Set by a layer with work to finish before a normal exit (the network
 * stack: data a program sent just before exiting). A pointer, not a call,
 * so that images without that layer do not link it. */
void (*unik_exit_hook)(void);

__attribute__((noreturn)) void unik_exit(int status)
{
    void (*hook)(void) = unik_exit_hook;
    unik_exit_hook = 0;                 /* once, even if the hook exits */
    if (hook)
        hook();
    if (status < 0 || status > MAX_GUEST_STATUS) {
        kprintf("unik: exit status %d is outside 0..%d; reporting %d\n", status,
                MAX_GUEST_STATUS, MAX_GUEST_STATUS);
        status = MAX_GUEST_STATUS;
    }
    plat->exit(status);     /* flushes the console itself, in the same exit */
}

__attribute__((noreturn)) void unik_abort(void)
{
    kprintf("unik: aborted\n");
    plat->exit(UNIK_EXIT_ABORT);
}

__attribute__((noreturn)) void kpanic(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 2)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    if (plat) {
        plat->console_write(buf, (size_t)n);
        plat->exit(UNIK_EXIT_CRASH);
    }
    for (;;)
        __asm__ volatile("ud2");
}
