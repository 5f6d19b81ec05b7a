/*
 * select.c — GHC's scheduler waits for unik's devices as well.
 *
 * With nothing to run, the non-threaded RTS waits in select() on the
 * descriptors its green threads block on (threadWaitRead) until the next
 * threadDelay deadline. unik's devices are handles, not descriptors, so each
 * device handle h gets a descriptor number here, DEVICE_FD0 + h (the top 64
 * of select's FD_SETSIZE; the core hands out the lowest free descriptor, so
 * these meet real ones only past 960 open files). Unik.netReadWait blocks
 * its green thread with threadWaitRead on that number; this select reports
 * it readable while the device has work (unik_yield's ready set, which says
 * "a frame is queued" for a NIC, level-triggered) and otherwise sleeps in
 * unik_yield until the deadline or a device event. Real descriptors still
 * go to the core's select (through syscall(): musl's own select is not
 * linked, this definition takes its place for the RTS and base alike).
 */
#include <stdint.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <errno.h>

#include <unik.h>

#define DEVICE_FD0 (FD_SETSIZE - 64)
#define NSEC 1000000000ull
#define FOREVER ((unik_time_t)-1)

/* The descriptor Unik.hs waits on for device handle h (-1: none). */
int unik_hs_device_fd(uint64_t h)
{
    return h < 64 ? DEVICE_FD0 + (int)h : -1;
}

static long real_select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
    return syscall(SYS_select, nfds, rd, wr, ex, tv);
}

/* Take the device descriptors out of set; the handles they stand for. */
static unik_handle_set_t take_devices(fd_set *set, int nfds)
{
    unik_handle_set_t hs = 0;
    for (int fd = DEVICE_FD0; set && fd < nfds && fd < FD_SETSIZE; fd++)
        if (FD_ISSET(fd, set)) {
            hs |= 1ull << (fd - DEVICE_FD0);
            FD_CLR(fd, set);
        }
    return hs;
}

int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
    if (nfds < 0 || (tv && (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000))) {
        errno = EINVAL;
        return -1;
    }
    unik_handle_set_t want = take_devices(rd, nfds);
    take_devices(wr, nfds);             /* never writable, never exceptional */
    take_devices(ex, nfds);
    if (!want)
        return (int)real_select(nfds, rd, wr, ex, tv);

    unik_time_t deadline = FOREVER;
    if (tv) {
        unik_time_t t = (unik_time_t)tv->tv_sec * NSEC + (unik_time_t)tv->tv_usec * 1000;
        unik_time_t now = unik_clock_monotonic();
        deadline = t > FOREVER - now ? FOREVER : now + t;
    }
    int real = nfds < DEVICE_FD0 ? nfds : DEVICE_FD0;
    fd_set r0, w0, e0;
    if (rd)
        r0 = *rd;
    if (wr)
        w0 = *wr;
    if (ex)
        e0 = *ex;
    for (;;) {
        struct timeval zero = { 0, 0 };
        if (rd)
            *rd = r0;
        if (wr)
            *wr = w0;
        if (ex)
            *ex = e0;
        long n = real_select(real, rd, wr, ex, &zero);
        if (n < 0)
            return -1;
        unik_handle_set_t ready = 0;
        unik_yield(0, &ready);          /* a past deadline: only looks */
        ready &= want;
        unik_time_t now = unik_clock_monotonic();
        if (n > 0 || ready || now >= deadline) {
            for (int h = 0; h < 64; h++)
                if (ready >> h & 1) {
                    FD_SET(DEVICE_FD0 + h, rd);
                    n++;
                }
            if (tv) {                   /* Linux writes back the time left */
                unik_time_t left = deadline > now ? deadline - now : 0;
                tv->tv_sec = (time_t)(left / NSEC);
                tv->tv_usec = (suseconds_t)(left % NSEC / 1000);
            }
            return (int)n;
        }
        unik_yield(deadline, 0);        /* until the deadline or a device event */
    }
}
