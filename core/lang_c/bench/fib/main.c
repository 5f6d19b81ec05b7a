/* unik compare's fib (core/compare/spec.py): naive fib(n), default 32, timed
 * inside the program around the kernel only. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long fib(int n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 32;
    long t0 = now_ns();
    long r = fib(n);
    long ns = now_ns() - t0;
    printf("fib(%d) = %ld\n", n, r);
    printf("compute_ns %ld\n", ns);
    return 0;
}
