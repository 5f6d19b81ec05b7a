/*
 * bif_time.c — the calendar clock BIFs: date/0, time/0, localtime/0,
 * universaltime/0, the conversions between local time, universal time and
 * POSIX seconds, and os:perf_counter/0, os:getpid/0. The guest has no time
 * zone: local time is universal time (erl on a host set to UTC agrees).
 * Days are turned into dates with the proleptic Gregorian calendar's civil
 * arithmetic (400-year eras of 146,097 days), as OTP's calendar module does.
 */
#include <stdio.h>
#include <string.h>
#include <unik.h>
#include "vm.h"
#include "bifs_decl.h"

static int64_t wall_seconds(void)
{
    uint64_t w = unik_clock_wall();
    return (int64_t)((w ? w : now_ns()) / 1000000000ULL);
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/* days since 1970-01-01 from a date, and back */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static Term date_time(Proc *p, int64_t secs)
{
    int64_t y, m, d, days = floor_div(secs, 86400), s = secs - days * 86400;
    civil_from_days(days, &y, &m, &d);
    return mk_tuple2(p, mk_tuple3(p, make_small(y), make_small(m), make_small(d)),
                     mk_tuple3(p, make_small(s / 3600), make_small(s / 60 % 60),
                               make_small(s % 60)));
}

/* {{Y, M, D}, {H, Mi, S}} with a valid date and time: seconds since 1970 */
static int read_date_time(Term t, int64_t *secs)
{
    if (!is_tuple(t) || tuple_size(t) != 2)
        return 0;
    Term dt = tuple_ptr(t)[0], tm = tuple_ptr(t)[1];
    if (!is_tuple(dt) || tuple_size(dt) != 3 || !is_tuple(tm) || tuple_size(tm) != 3)
        return 0;
    SInt v[6];
    for (int i = 0; i < 3; i++) {
        Term a = tuple_ptr(dt)[i], b = tuple_ptr(tm)[i];
        if (!is_small(a) || !is_small(b))
            return 0;
        v[i] = small_val(a);
        v[3 + i] = small_val(b);
    }
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
    if (v[0] < 0 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
            v[2] > mdays[v[1] - 1] + (v[1] == 2 && leap) ||
            v[3] < 0 || v[3] > 23 || v[4] < 0 || v[4] > 59 || v[5] < 0 || v[5] > 59)
        return 0;
    *secs = days_from_civil(v[0], v[1], v[2]) * 86400 + v[3] * 3600 + v[4] * 60 + v[5];
    return 1;
}

BIF(bif_localtime) { (void)a; return date_time(p, wall_seconds()); }
BIF(bif_universaltime) { (void)a; return date_time(p, wall_seconds()); }
BIF(bif_date) { (void)a; return tuple_ptr(date_time(p, wall_seconds()))[0]; }
BIF(bif_time) { (void)a; return tuple_ptr(date_time(p, wall_seconds()))[1]; }

BIF(bif_universaltime_to_localtime)
{
    int64_t s;
    return read_date_time(a[0], &s) ? date_time(p, s) : badarg(p);
}
BIF(bif_localtime_to_universaltime) { return bif_universaltime_to_localtime(p, a); }
BIF(bif_localtime_to_universaltime2)
{
    if (a[1] != AM(true) && a[1] != AM(false) && a[1] != AM(undefined))
        return badarg(p);
    return bif_universaltime_to_localtime(p, a);
}
BIF(bif_universaltime_to_posixtime)
{
    int64_t s;
    return read_date_time(a[0], &s) ? make_integer(p, s) : badarg(p);
}
BIF(bif_posixtime_to_universaltime)
{
    SInt s;
    if (!int_to_int64(a[0], &s))
        return badarg(p);
    return date_time(p, s);
}

BIF(bif_os_perf_counter) { (void)a; return make_integer(p, (SInt)now_ns()); }
BIF(bif_os_getpid)
{
    (void)a;
    return cons(p, make_small('1'), NIL);   /* the unikernel is the one process */
}
