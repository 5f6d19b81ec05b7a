/* A small compute benchmark: naive fib(32), timed inside the guest. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long fib(int n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 32;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long r = fib(n);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ns = (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec);
    printf("fib(%d) = %ld\n", n, r);
    printf("compute_ns %ld\n", ns);
    return 0;
}
