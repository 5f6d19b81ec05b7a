/* console.c — unik_console_write and the flush the core does before it stops or waits. */
#include <unik/kernel.h>

void unik_console_write(const char *buf, size_t len)
{
    if (len)
        plat->console_write(buf, len);
}

void console_flush(void)
{
    plat->console_flush();
}
