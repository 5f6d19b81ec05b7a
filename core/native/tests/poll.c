/*
 * poll.c — poll, ppoll, select and pselect6 (kernel/sys_poll.c): the console
 * descriptors are ready at once (fd 0 readable, 1 and 2 writable), anything
 * else is POLLNVAL / EBADF, and a wait on nothing ready sleeps out its
 * timeout (select(0, …) is how GHC's runtime sleeps). Also the CPU-time
 * clock of the process (clock_getcpuclockid, which GHC's RTS checks).
 * EXPECT-STATUS: 0
 * EXPECT-OUTPUT: SUCCESS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/select.h>
#include <time.h>

static int ok = 1;

static void expect(int cond, const char *what)
{
    if (!cond) {
        printf("FAIL: %s\n", what);
        ok = 0;
    }
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(void)
{
    struct pollfd fds[4] = {
        { .fd = 0, .events = POLLIN }, { .fd = 1, .events = POLLOUT | POLLIN },
        { .fd = 7, .events = POLLIN }, { .fd = -1, .events = POLLIN },
    };
    int r = poll(fds, 4, 1000);
    expect(r == 3, "poll: three descriptors have news");
    expect(fds[0].revents == POLLIN, "poll: fd 0 readable");
    expect(fds[1].revents == POLLOUT, "poll: fd 1 writable only");
    expect(fds[2].revents == POLLNVAL, "poll: fd 7 is POLLNVAL");
    expect(fds[3].revents == 0, "poll: a negative fd is ignored");

    /* Nothing ready: the timeout is slept out, not returned early. */
    struct pollfd none = { .fd = 1, .events = POLLIN };
    int64_t t0 = now_ns();
    r = poll(&none, 1, 20);
    expect(r == 0 && none.revents == 0, "poll: nothing ready → 0");
    expect(now_ns() - t0 >= 20000000, "poll: slept at least 20 ms");

    struct timespec ts = { 0, 15000000 };
    t0 = now_ns();
    r = ppoll(NULL, 0, &ts, NULL);
    expect(r == 0 && now_ns() - t0 >= 15000000, "ppoll: slept at least 15 ms");

    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(0, &rd);
    FD_SET(1, &rd);
    FD_SET(2, &wr);
    struct timeval tv = { 1, 0 };
    r = select(3, &rd, &wr, NULL, &tv);
    expect(r == 2, "select: two ready");
    expect(FD_ISSET(0, &rd) && !FD_ISSET(1, &rd) && FD_ISSET(2, &wr), "select: which");

    tv = (struct timeval){ 0, 25000 };
    t0 = now_ns();
    r = select(0, NULL, NULL, NULL, &tv);
    expect(r == 0 && now_ns() - t0 >= 25000000, "select(0): slept at least 25 ms");

    FD_ZERO(&rd);
    FD_SET(9, &rd);
    tv = (struct timeval){ 0, 0 };
    errno = 0;
    expect(select(10, &rd, NULL, NULL, &tv) == -1 && errno == EBADF, "select: EBADF");

    struct timespec pts = { 0, 10000000 };
    t0 = now_ns();
    r = pselect(0, NULL, NULL, NULL, &pts, NULL);
    expect(r == 0 && now_ns() - t0 >= 10000000, "pselect: slept at least 10 ms");

    clockid_t cpu;
    expect(clock_getcpuclockid(0, &cpu) == 0, "clock_getcpuclockid(0)");
    struct timespec c;
    expect(clock_gettime(cpu, &c) == 0, "clock_gettime(the CPU clock)");
    expect(clock_getres(CLOCK_THREAD_CPUTIME_ID, NULL) == 0, "clock_getres(thread CPU clock)");

    if (ok)
        printf("SUCCESS\n");
    return ok ? 0 : 1;
}
