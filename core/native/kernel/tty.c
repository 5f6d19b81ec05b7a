/*
 * tty.c — ioctl on the standard streams. musl's stdout decides its buffering
 * with TIOCGWINSZ (line-buffered on a terminal, fully buffered otherwise) and
 * isatty() asks the same: both follow the host's stdout/stderr, which the
 * platform reports (console_tty); stdin is a terminal when the host's stdin is
 * one and reaches the guest (the runner). On a terminal, settings requests are accepted and ignored: the
 * host owns the terminal.
 */
#include <unik/kernel.h>
#include <errno.h>
#include <unik/linux.h>

#define L_TCSETS     0x5402
#define L_TCSETSW    0x5403
#define L_TCSETSF    0x5404
#define L_TIOCGPGRP  0x540F
#define L_TIOCSWINSZ 0x5414

struct l_termios {              /* the kernel's struct termios (asm-generic) */
    uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
    uint8_t c_line;
    uint8_t c_cc[19];
};

static void cooked(struct l_termios *t)
{
    kmemset(t, 0, sizeof *t);
    t->c_iflag = 0x0500;        /* ICRNL IXON */
    t->c_oflag = 0x0005;        /* OPOST ONLCR */
    t->c_cflag = 0x00bf;        /* B38400 CS8 CREAD */
    t->c_lflag = 0x8a3b;        /* ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN */
    static const uint8_t cc[] = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22 };
    kmemcpy(t->c_cc, cc, sizeof cc);
}

long console_ioctl(long fd, unsigned long req, void *arg)
{
    if (fd < 0 || fd > 2)
        return -EBADF;
    const struct unik_winsize *tty = console_tty((int)fd);
    if (!tty)
        return -ENOTTY;
    switch (req) {
    case L_TIOCGWINSZ: {
        if (!arg)
            return -EFAULT;
        struct l_winsize *w = arg;
        w->row = tty->rows;
        w->col = tty->cols;
        w->xpixel = w->ypixel = 0;
        return 0;
    }
    case L_TCGETS:
        if (!arg)
            return -EFAULT;
        cooked(arg);
        return 0;
    case L_TCSETS:
    case L_TCSETSW:
    case L_TCSETSF:
    case L_TIOCSWINSZ:
        return 0;
    case L_TIOCGPGRP:
        if (!arg)
            return -EFAULT;
        *(int32_t *)arg = 1;
        return 0;
    default:
        return -EINVAL;
    }
}
