/*
 * console.c — the standard streams and the flush the core does before it
 * stops or waits. unik_console_write is the guest's stdout, like write(1).
 */
#include <unik/kernel.h>

void console_write_fd(int fd, const char *buf, size_t len)
{
    if (!len)
        return;
    if (plat->stream_write)
        plat->stream_write(fd, buf, len);
    else
        plat->console_write(buf, len);
}

void unik_console_write(const char *buf, size_t len)
{
    console_write_fd(1, buf, len);
}

const struct unik_winsize *console_tty(int fd)
{
    return plat->stream_tty ? plat->stream_tty(fd) : NULL;
}

void console_flush(void)
{
    plat->console_flush();
}
