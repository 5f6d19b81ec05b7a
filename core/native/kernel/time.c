/*
 * time.c — the clocks of unik.h and sleeping.
 *
 * The monotonic clock is the platform's. The wall clock is the platform's
 * too, and 0 when the host gave none; time_realtime (CLOCK_REALTIME) is
 * then the time since boot, so that it still advances.
 *
 * CPU time (CLOCK_PROCESS_CPUTIME_ID, clock(), getrusage, times) is the time
 * since boot minus the time spent waiting in unik_yield — what the guest
 * computed, not what it slept — as a process's CPU time excludes its sleeps.
 */
#include <unik/kernel.h>

static unik_time_t wall_at_boot;        /* wall clock minus monotonic, at boot */
static unik_time_t idle_ns;             /* spent waiting in unik_yield */

void time_init(void)
{
    unik_time_t wall = plat->clock_wall();
    wall_at_boot = wall ? wall - plat->clock_monotonic() : 0;
}

unik_time_t unik_clock_monotonic(void)
{
    return plat->clock_monotonic();
}

unik_time_t unik_clock_wall(void)
{
    return plat->clock_wall();
}

unik_time_t time_realtime(void)
{
    return wall_at_boot + plat->clock_monotonic();
}

void unik_yield(unik_time_t deadline, unik_handle_set_t *ready_set)
{
    unik_time_t t0 = plat->clock_monotonic();
    unik_handle_set_t ready = plat->yield(deadline);      /* flushes the console */
    idle_ns += plat->clock_monotonic() - t0;
    if (ready_set)
        *ready_set = ready;
}

unik_time_t time_cputime(void)
{
    unik_time_t t = plat->clock_monotonic() - idle_ns;
    return t > 0 ? t : 0;
}

void time_sleep_until(unik_time_t deadline)
{
    while (plat->clock_monotonic() < deadline)
        unik_yield(deadline, NULL);
}
