/*
 * cputime.c — the CPU-time clocks count what the guest computed, not what it
 * slept: CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, clock() and
 * getrusage() barely move over a 200 ms sleep and follow a 50 ms busy loop.
 * EXPECT-STATUS: 0
 * EXPECT-OUTPUT: SUCCESS
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

static int64_t ns(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t rusage_ns(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (int64_t)ru.ru_utime.tv_sec * 1000000000 + (int64_t)ru.ru_utime.tv_usec * 1000;
}

int main(void)
{
    int ok = 1;
    const int64_t ms = 1000000;

    int64_t cpu0 = ns(CLOCK_PROCESS_CPUTIME_ID), thr0 = ns(CLOCK_THREAD_CPUTIME_ID);
    int64_t ru0 = rusage_ns(), wall0 = ns(CLOCK_MONOTONIC);
    clock_t c0 = clock();
    struct timespec req = { 0, 200 * ms };
    nanosleep(&req, NULL);
    int64_t slept = ns(CLOCK_MONOTONIC) - wall0;
    int64_t cpu = ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0, thr = ns(CLOCK_THREAD_CPUTIME_ID) - thr0;
    int64_t ru = rusage_ns() - ru0;
    int64_t clk = (int64_t)(clock() - c0) * (1000000000 / CLOCKS_PER_SEC);
    printf("sleep: wall %lld ms, cpu %lld us\n", (long long)(slept / ms), (long long)(cpu / 1000));
    if (slept < 200 * ms || cpu > slept / 2 || thr > slept / 2 || ru > slept / 2
        || clk > slept / 2) {
        printf("FAIL: CPU time moved over a sleep (cpu %lld thread %lld rusage %lld "
               "clock %lld ns)\n", (long long)cpu, (long long)thr, (long long)ru,
               (long long)clk);
        ok = 0;
    }

    cpu0 = ns(CLOCK_PROCESS_CPUTIME_ID);
    c0 = clock();
    wall0 = ns(CLOCK_MONOTONIC);
    volatile uint64_t x = 0;
    while (ns(CLOCK_MONOTONIC) - wall0 < 50 * ms)
        x++;
    int64_t busy = ns(CLOCK_MONOTONIC) - wall0;
    cpu = ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    clk = (int64_t)(clock() - c0) * (1000000000 / CLOCKS_PER_SEC);
    printf("busy: wall %lld ms, cpu %lld ms\n", (long long)(busy / ms), (long long)(cpu / ms));
    if (cpu < busy * 9 / 10 || cpu > busy + ms || clk < busy * 9 / 10) {
        printf("FAIL: CPU time did not follow a busy loop (cpu %lld clock %lld of %lld ns)\n",
               (long long)cpu, (long long)clk, (long long)busy);
        ok = 0;
    }
    if (ok)
        printf("SUCCESS\n");
    return ok ? 0 : 1;
}
