/*
 * stdin.c — fd 0: the host's stdin, where the platform brings it
 * (plat->stdin_read: the runner's stdin ring, QEMU's fw_cfg file), else
 * end of file (real Xen).
 *
 * A read returns what has arrived, at least one byte, as a read(2) of a
 * pipe or terminal does; with nothing there it asks the platform for up to
 * what the caller can take and waits in unik_yield (the vCPU sleeps) until
 * the answer comes. O_NONBLOCK on fd 0 (fcntl) makes it return -EAGAIN
 * instead. readiness (poll/select, sys_poll.c) asks the same question
 * without taking anything.
 *
 * Before a read waits on a terminal, stdout is flushed when it is a terminal
 * too: glibc does that (a line-buffered input's refill flushes line-buffered
 * output), so the prompt `printf("Name: ")` shows before the program waits for
 * the answer; musl does not, and the program a unikernel replaces was most
 * likely built with glibc.
 */
#include <errno.h>
#include <stdio.h>
#include <unik/kernel.h>
#include <unik/linux.h>

#define FOREVER ((unik_time_t)-1)
#define L_O_NONBLOCK 04000

static int nonblocking;

int stdin_flags(void)
{
    return nonblocking ? L_O_NONBLOCK : 0;
}

void stdin_set_flags(long flags)
{
    nonblocking = (flags & L_O_NONBLOCK) != 0;
}

int stdin_ready(void)
{
    return plat->stdin_ready ? plat->stdin_ready() : 1;
}

int stdin_can_wait(void)
{
    return plat->stdin_ready != NULL;
}

/* Up to len bytes into buf, waiting for the first when block; want: what
 * the caller could take in all (a readv's total), the size of the host read
 * asked for (0: take only what is there, ask for nothing). */
static long read_some(void *buf, size_t len, size_t want, int block)
{
    if (!plat->stdin_read)
        return 0;
    for (int waited = 0;; waited = 1) {
        long r = plat->stdin_read(buf, len, want);
        if (r != -EAGAIN || !block || !want)
            return r;
        if (!waited && console_tty(0) && console_tty(1))
            fflush(stdout);
        unik_yield(FOREVER, NULL);
    }
}

long stdin_read(void *buf, size_t len)
{
    if (!len)
        return 0;
    if (!buf)
        return -EFAULT;
    return read_some(buf, len, len, !nonblocking);
}

/* musl's stdio reads with readv into (the caller's buffer, its own): the
 * first non-empty part waits, the others take only what is already there. */
long stdin_readv(const struct l_iovec *iov, long cnt)
{
    if (cnt < 0 || cnt > 1024)
        return -EINVAL;
    size_t total = 0;
    for (long i = 0; i < cnt; i++)
        total += iov[i].len;
    long got = 0;
    for (long i = 0; i < cnt; i++) {
        if (!iov[i].len)
            continue;
        if (!iov[i].base)
            return got ? got : -EFAULT;
        long r = got ? read_some(iov[i].base, iov[i].len, 0, 0)
                     : read_some(iov[i].base, iov[i].len, total, !nonblocking);
        if (r < 0)
            return got ? got : r;
        got += r;
        if ((uint64_t)r < iov[i].len)
            break;
    }
    return got;
}
