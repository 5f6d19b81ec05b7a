/*
 * unik.h over Linux, for OCaml.native_build (unik compare --native, bench/ocaml.py):
 * the native-process baseline runs the same OCaml program, with the same Unik
 * library, as an ordinary ocamlopt executable. Devices are absent (unik_stubs.c
 * references them weakly).
 */
#include <time.h>
#include <unistd.h>

#include <unik.h>

void unik_console_write(const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(1, buf, len);
        if (n <= 0)
            return;
        buf += n;
        len -= (size_t)n;
    }
}

static unik_time_t ns_of(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (unik_time_t)t.tv_sec * 1000000000u + (unik_time_t)t.tv_nsec;
}

unik_time_t unik_clock_monotonic(void) { return ns_of(CLOCK_MONOTONIC); }
unik_time_t unik_clock_wall(void) { return ns_of(CLOCK_REALTIME); }

void unik_yield(unik_time_t deadline, unik_handle_set_t *ready_set)
{
    unik_time_t now = unik_clock_monotonic();
    if (deadline > now) {
        unik_time_t ns = deadline - now;
        struct timespec t = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
        nanosleep(&t, NULL);
    }
    if (ready_set)
        *ready_set = 0;
}
