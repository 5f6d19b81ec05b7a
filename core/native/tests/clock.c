/*
 * clock.c — the clocks through musl: CLOCK_MONOTONIC never goes back,
 * nanosleep(10 ms) takes at least 10 ms, the other clocks answer, and
 * gettimeofday/time move with CLOCK_REALTIME.
 * EXPECT-STATUS: 0
 * EXPECT-OUTPUT: SUCCESS
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static int64_t ns(clockid_t clk)
{
    struct timespec ts;
    if (clock_gettime(clk, &ts) != 0)
        return -1;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(void)
{
    int ok = 1;
    int64_t prev = ns(CLOCK_MONOTONIC);
    for (int i = 0; i < 100000; i++) {
        int64_t now = ns(CLOCK_MONOTONIC);
        if (now < prev) {
            printf("FAIL: CLOCK_MONOTONIC went back from %lld to %lld\n", (long long)prev,
                   (long long)now);
            ok = 0;
            break;
        }
        prev = now;
    }

    int64_t t0 = ns(CLOCK_MONOTONIC);
    struct timespec req = { 0, 10 * 1000 * 1000 };
    if (nanosleep(&req, NULL) != 0) {
        printf("FAIL: nanosleep failed\n");
        ok = 0;
    }
    int64_t slept = ns(CLOCK_MONOTONIC) - t0;
    if (slept < 10 * 1000 * 1000) {
        printf("FAIL: nanosleep(10 ms) took %lld ns\n", (long long)slept);
        ok = 0;
    }
    printf("nanosleep(10 ms) took %lld us\n", (long long)(slept / 1000));

    clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                           CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW,
                           CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME };
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++)
        if (ns(clocks[i]) < 0) {
            printf("FAIL: clock_gettime(%d) failed\n", (int)clocks[i]);
            ok = 0;
        }

    struct timeval tv1, tv2;
    gettimeofday(&tv1, NULL);
    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 5 * 1000 * 1000;
    if (abs.tv_nsec >= 1000000000) {
        abs.tv_sec++;
        abs.tv_nsec -= 1000000000;
    }
    if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL) != 0) {
        printf("FAIL: clock_nanosleep(TIMER_ABSTIME)\n");
        ok = 0;
    }
    gettimeofday(&tv2, NULL);
    int64_t us = (tv2.tv_sec - tv1.tv_sec) * 1000000 + (tv2.tv_usec - tv1.tv_usec);
    if (us < 5000) {
        printf("FAIL: gettimeofday moved %lld us over a 5 ms sleep\n", (long long)us);
        ok = 0;
    }
    if (time(NULL) == (time_t)-1) {
        printf("FAIL: time()\n");
        ok = 0;
    }
    if (ok)
        printf("SUCCESS\n");
    return ok ? 0 : 1;
}
