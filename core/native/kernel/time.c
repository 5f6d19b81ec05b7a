/*
 * time.c — the clocks of unik.h and sleeping.
 *
 * The monotonic clock is the platform's. The wall clock is the platform's
 * too, and 0 when the host gave none; time_realtime (CLOCK_REALTIME) is
 * then the time since boot, so that it still advances.
 */
#include <unik/kernel.h>

static unik_time_t wall_at_boot;        /* wall clock minus monotonic, at boot */

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
    unik_handle_set_t ready = plat->yield(deadline);      /* flushes the console */
    if (ready_set)
        *ready_set = ready;
}

void time_sleep_until(unik_time_t deadline)
{
    while (plat->clock_monotonic() < deadline)
        unik_yield(deadline, NULL);
}
