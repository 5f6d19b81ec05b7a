/* Start-up, output, exit, and the modules with state: time, random, math helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "pyrt.h"

#ifndef PYRT_HOST
#include <unik.h>
#endif

List *rt_argv;
Dict *rt_environ;
extern char **environ;
Obj *rt_module_name;
void rt_gc_set_bottom(void *bottom);
extern const Type T_Str;

char *rt_stack_limit;

void rt_recursion_error(void) {
    rt_stack_limit -= 32 * 1024;      /* room to raise and report it */
    rt_raise_new(&T_RecursionError, "maximum recursion depth exceeded");
}

void rt_init(int argc, char **argv, void *stack_bottom) {
    rt_gc_set_bottom(stack_bottom);
    struct rlimit rl;
    size_t size = 1 << 20;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        size = (size_t)rl.rlim_cur;
    if (size > (64u << 20)) size = 64u << 20;
    /* keep 128 KiB (more on a big stack) for the runtime and the C library */
    size_t margin = size / 8 > (128u << 10) ? size / 8 : (128u << 10);
    rt_stack_limit = size > 2 * margin ? (char *)stack_bottom - (size - margin) : NULL;
    rt_gc_root(&rt_argv);
    rt_argv = rt_list_new(RK_OBJ, 0);
    /* sys.argv[0] is the script's name, as under CPython */
    rt_list_append(rt_argv, rt_vp(rt_str_c(rt_file)));
    for (int i = 1; i < argc; i++) rt_list_append(rt_argv, rt_vp(rt_str_c(argv[i])));
    /* os.environ: the process's environment at start, as CPython reads it */
    rt_gc_root(&rt_environ);
    rt_environ = rt_dict_new(RK_OBJ, RK_OBJ);
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (eq)
            rt_dict_set(rt_environ, rt_vp(rt_str_new(*e, eq - *e)), rt_vp(rt_str_c(eq + 1)));
    }
    static char outbuf[1 << 14];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
}

void rt_write_c(int fd, const char *s, int64_t len) {
    if (fd == 2) {
        fflush(stdout);
        fwrite(s, 1, (size_t)len, stderr);
        fflush(stderr);
    } else {
        fwrite(s, 1, (size_t)len, stdout);
    }
}

void rt_write(int fd, Str *s) { rt_write_c(fd, s->data, s->len); }

void rt_flush(void) {
    fflush(stdout);
    fflush(stderr);
}

void rt_exit(int64_t code) {
    rt_flush();
    exit((int)code);
}

/* ---- time ---- */
double rt_time_monotonic(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int64_t rt_time_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

double rt_time_time(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void rt_time_sleep(double s) {
    if (s < 0) rt_raise_new(&T_ValueError, "sleep length must be non-negative");
    rt_flush();
#ifdef PYRT_HOST
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
#else
    unik_time_t deadline = unik_clock_monotonic() + (unik_time_t)(s * 1e9);
    while (unik_clock_monotonic() < deadline) unik_yield(deadline, NULL);
#endif
}

/* ---- math ---- */
double rt_math_check(double r, double x) {
    if (isnan(r) && !isnan(x)) rt_raise_new(&T_ValueError, "math domain error");
    if (isinf(r) && !isinf(x)) rt_raise_new(&T_OverflowError, "math range error");
    return r;
}

double rt_math_log(double x, double base, int has_base) {
    if (x <= 0 || (has_base && (base <= 0 || base == 1)))
        rt_raise_new(&T_ValueError, "math domain error");
    return has_base ? log(x) / log(base) : log(x);
}

int64_t rt_math_gcd(int64_t a, int64_t b) {
    a = rt_abs(a);
    b = rt_abs(b);
    while (b) { int64_t t = a % b; a = b; b = t; }
    return a;
}

int64_t rt_math_factorial(int64_t n) {
    if (n < 0) rt_raise_new(&T_ValueError, "factorial() not defined for negative values");
    int64_t r = 1;
    for (int64_t i = 2; i <= n; i++) r = rt_mul(r, i);
    return r;
}

int64_t rt_math_isqrt(int64_t n) {
    if (n < 0) rt_raise_new(&T_ValueError, "isqrt() argument must be nonnegative");
    int64_t r = (int64_t)sqrt((double)n);
    while (r > 0 && r > n / r) r--;
    while ((r + 1) <= n / (r + 1)) r++;
    return r;
}

int64_t rt_float_to_int(double d) {
    if (isnan(d)) rt_raise_new(&T_ValueError, "cannot convert float NaN to integer");
    if (isinf(d)) rt_raise_new(&T_OverflowError, "cannot convert float infinity to integer");
    if (d >= 9223372036854775808.0 || d < -9223372036854775808.0) return rt_big_from_float(d);
    return rt_int_from_i64((int64_t)d);
}

int64_t rt_math_floor(double x) { return rt_float_to_int(floor(x)); }
int64_t rt_math_ceil(double x) { return rt_float_to_int(ceil(x)); }

int64_t rt_round_float(double d) {
    double r = nearbyint(d);   /* the default rounding mode is round-half-even */
    return rt_float_to_int(r);
}

double rt_round_nd(double d, int64_t nd) {
    if (!isfinite(d)) return d;
    char buf[400];
    if (nd > 300) return d;
    if (nd >= 0) {
        snprintf(buf, sizeof buf, "%.*f", (int)nd, d);   /* correctly rounded, half-even on exact ties */
        return strtod(buf, NULL);
    }
    double p = pow(10.0, (double)-nd);
    return nearbyint(d / p) * p;
}

int64_t rt_round_int_nd(int64_t v, int64_t nd) {
    if (nd >= 0) return v;
    if (nd < -18) return 0;
    int64_t p = 1;
    for (int64_t i = 0; i < -nd; i++) p *= 10;
    int64_t q = rt_floordiv(v, p), r = rt_sub(v, rt_mul(q, p));
    if (r * 2 > p || (r * 2 == p && (rt_and(q, 1)))) q = rt_add(q, 1);
    return rt_mul(q, p);
}

double rt_fpow(double a, double b) {
    if (a == 0.0 && b < 0) rt_raise_new(&T_ZeroDivisionError, "0.0 cannot be raised to a negative power");
    double r = pow(a, b);
    if (isnan(r) && !isnan(a) && !isnan(b))
        rt_raise_new(&T_ValueError, "math domain error (negative number to a fractional power)");
    return r;
}
