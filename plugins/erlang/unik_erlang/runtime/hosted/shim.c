/*
 * shim.c — the few unik.h functions the Erlang VM calls, over Linux, so the
 * VM (runtime/*.c) and a linked image.s can be built as a Linux process for
 * AddressSanitizer/UBSan, perf or callgrind (scripts/erlang-hosted). Never
 * part of a guest image.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unik.h>

static uint64_t ns(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

unik_time_t unik_clock_monotonic(void) { return ns(CLOCK_MONOTONIC); }
unik_time_t unik_clock_wall(void) { return ns(CLOCK_REALTIME); }

void unik_console_write(const char *buf, size_t len) { fwrite(buf, 1, len, stdout); }

void unik_yield(unik_time_t deadline, unik_handle_set_t *ready_set)
{
    (void)ready_set;
    uint64_t now = unik_clock_monotonic();
    if (deadline == UINT64_MAX || deadline <= now)
        return;
    struct timespec t = {(time_t)((deadline - now) / 1000000000ULL),
                         (long)((deadline - now) % 1000000000ULL)};
    nanosleep(&t, NULL);
}

void unik_exit(int status)
{
    fflush(stdout);
    exit(status);
}
