/*
 * sys_poll.c — poll, ppoll, select and pselect6: readiness of file
 * descriptors and, above all, sleeping with a timeout.
 *
 * Language runtimes sleep this way: GHC's non-threaded RTS waits for its
 * next threadDelay with select(0, …, timeout), base's fdReady and many C
 * programs with poll(…, timeout). A wait goes through unik_yield (the vCPU
 * blocks until the deadline or a device event), never a busy loop.
 *
 * Images with sockets have these calls served by the network stack
 * (net/sockets.c, through fdtab_syscall, before syscall.c's switch); this is
 * what the others get. Readiness: fd 0 is readable when data or end of file
 * is there (stdin.c; asking the host to say when, which wakes the wait),
 * fd 1 and 2 are writable; files of the fd table (block devices) are always
 * ready, as regular files are on Linux; nothing is ever in an exceptional
 * state. poll reports any other descriptor as POLLNVAL, select fails with
 * EBADF on it, as Linux does for a closed descriptor. The scan is repeated
 * after every wake-up, so descriptors that become ready later only need a
 * case in fd_revents.
 *
 * A wait without a timeout while nothing is ready could never end unless
 * it includes stdin that may still bring data — nothing else can make a
 * console descriptor ready later — so otherwise the guest stops with a
 * message (status UNIK_EXIT_ABORT) instead of hanging, as futex does.
 */
#include <errno.h>
#include <unik/kernel.h>
#include <unik/linux.h>

#include "fdtab.h"

#define NSEC 1000000000ll
#define MAX_FDS 1024                    /* RLIMIT_NOFILE, as prlimit reports it */
#define FOREVER ((unik_time_t)-1)

#define L_POLLIN 0x001
#define L_POLLPRI 0x002
#define L_POLLOUT 0x004
#define L_POLLNVAL 0x020
#define L_POLLRDNORM 0x040
#define L_POLLWRNORM 0x100

struct l_pollfd {
    int32_t fd;
    int16_t events;
    int16_t revents;
};

/* Which of the requested events fd has now; L_POLLNVAL for no such fd. */
static unsigned fd_revents(int fd, unsigned events)
{
    switch (fd) {
    case 0:
        if (!(events & (L_POLLIN | L_POLLRDNORM)))
            return 0;
        return stdin_ready() ? events & (L_POLLIN | L_POLLRDNORM) : 0;
    case 1:
    case 2:
        return events & (L_POLLOUT | L_POLLWRNORM);
    default:
        if (fd >= FD_FIRST && fd_get(fd))
            return events & (L_POLLIN | L_POLLRDNORM | L_POLLOUT | L_POLLWRNORM);
        return L_POLLNVAL;
    }
}

/* The monotonic deadline of a relative timeout; FOREVER for none. */
static unik_time_t deadline_after(unik_time_t ns)
{
    unik_time_t now = unik_clock_monotonic();
    return ns > FOREVER - now ? FOREVER : now + ns;
}

/* Wait for the next wake-up before deadline; 0 once the deadline has passed. */
static int wait_more(unik_time_t deadline, const char *call, int on_stdin)
{
    if (deadline == FOREVER && !(on_stdin && stdin_can_wait())) {
        kprintf("unik: %s with no timeout on descriptors that can never become "
                "ready: nothing can wake the guest\n", call);
        unik_abort();
    }
    if (unik_clock_monotonic() >= deadline)
        return 0;
    unik_yield(deadline, NULL);
    return 1;
}

static long do_poll(struct l_pollfd *fds, uint64_t nfds, unik_time_t deadline)
{
    if (nfds > MAX_FDS)
        return -EINVAL;
    if (nfds && !fds)
        return -EFAULT;
    for (;;) {
        long ready = 0;
        int on_stdin = 0;
        for (uint64_t i = 0; i < nfds; i++) {
            unsigned ev = (uint16_t)fds[i].events;
            fds[i].revents = fds[i].fd < 0 ? 0 : (int16_t)fd_revents(fds[i].fd, ev);
            ready += fds[i].revents != 0;
            on_stdin |= fds[i].fd == 0 && (ev & (L_POLLIN | L_POLLRDNORM));
        }
        if (ready || !wait_more(deadline, "poll", on_stdin))
            return ready;
    }
}

/* select's fd_set: a bit per descriptor in 64-bit words. */
static int fdset_get(const uint64_t *set, int fd)
{
    return set && (set[fd / 64] >> (fd % 64) & 1);
}

static long do_select(long nfds, uint64_t *rd, uint64_t *wr, uint64_t *ex,
                      unik_time_t deadline)
{
    if (nfds < 0 || nfds > MAX_FDS)
        return -EINVAL;
    uint64_t words = ((uint64_t)nfds + 63) / 64;
    for (int fd = 0; fd < nfds; fd++) {
        if ((fdset_get(rd, fd) || fdset_get(wr, fd) || fdset_get(ex, fd)) &&
            fd_revents(fd, 0) == L_POLLNVAL)
            return -EBADF;
    }
    for (;;) {
        uint64_t rout[MAX_FDS / 64] = { 0 }, wout[MAX_FDS / 64] = { 0 };
        long ready = 0;
        for (int fd = 0; fd < nfds; fd++) {
            if (fdset_get(rd, fd) && fd_revents(fd, L_POLLIN)) {
                rout[fd / 64] |= 1ull << (fd % 64);
                ready++;
            }
            if (fdset_get(wr, fd) && fd_revents(fd, L_POLLOUT)) {
                wout[fd / 64] |= 1ull << (fd % 64);
                ready++;
            }
        }
        if (ready || !wait_more(deadline, "select", fdset_get(rd, 0))) {
            for (uint64_t w = 0; w < words; w++) {
                if (rd)
                    rd[w] = rout[w];
                if (wr)
                    wr[w] = wout[w];
                if (ex)
                    ex[w] = 0;
            }
            return ready;
        }
    }
}

static int timespec_valid(const struct l_timespec *ts)
{
    return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NSEC;
}

/* Linux writes the time left back into select's timeval (and pselect's timespec). */
static void time_left(unik_time_t deadline, int64_t *sec, int64_t *frac, int64_t unit)
{
    unik_time_t now = unik_clock_monotonic();
    unik_time_t left = deadline > now ? deadline - now : 0;
    *sec = (int64_t)(left / NSEC);
    *frac = (int64_t)(left % NSEC) / unit;
}

long sys_poll_family(long n, long a1, long a2, long a3, long a4, long a5)
{
    switch (n) {
    case NR_poll:
        return do_poll((struct l_pollfd *)a1, (uint64_t)a2,
                       a3 < 0 ? FOREVER : deadline_after((unik_time_t)a3 * 1000000));
    case NR_ppoll: {
        const struct l_timespec *ts = (const struct l_timespec *)a3;
        if (ts && !timespec_valid(ts))
            return -EINVAL;
        return do_poll((struct l_pollfd *)a1, (uint64_t)a2,
                       ts ? deadline_after((unik_time_t)ts->tv_sec * NSEC +
                                           (unik_time_t)ts->tv_nsec) : FOREVER);
    }
    case NR_select: {
        struct l_timeval *tv = (struct l_timeval *)a5;
        if (tv && (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000))
            return -EINVAL;
        unik_time_t deadline = tv ? deadline_after((unik_time_t)tv->tv_sec * NSEC +
                                                   (unik_time_t)tv->tv_usec * 1000)
                                  : FOREVER;
        long r = do_select(a1, (uint64_t *)a2, (uint64_t *)a3, (uint64_t *)a4, deadline);
        if (r >= 0 && tv)
            time_left(deadline, &tv->tv_sec, &tv->tv_usec, 1000);
        return r;
    }
    case NR_pselect6: {
        struct l_timespec *ts = (struct l_timespec *)a5;
        if (ts && !timespec_valid(ts))
            return -EINVAL;
        unik_time_t deadline = ts ? deadline_after((unik_time_t)ts->tv_sec * NSEC +
                                                   (unik_time_t)ts->tv_nsec) : FOREVER;
        long r = do_select(a1, (uint64_t *)a2, (uint64_t *)a3, (uint64_t *)a4, deadline);
        if (r >= 0 && ts)
            time_left(deadline, &ts->tv_sec, &ts->tv_nsec, 1);
        return r;
    }
    default:
        return -ENOSYS;
    }
}
