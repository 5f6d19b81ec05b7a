/* Write TOTAL bytes to stdout in write(2) calls of CHUNK bytes (argv[1],
 * argv[2]); print on stderr the time the writes took and the wall clock at
 * the first ("console_ns N start_wall_ns W").
 * The same source runs as a native process and as a unik guest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long total = argc > 1 ? atol(argv[1]) : 10000000;
    long chunk = argc > 2 ? atol(argv[2]) : 4096;
    if (chunk < 1 || chunk > (1 << 20))
        return 2;
    char *buf = malloc((size_t)chunk);
    if (!buf)
        return 3;
    for (long i = 0; i < chunk; i++)
        buf[i] = i + 1 == chunk ? '\n' : (char)('a' + i % 26);
    long long wall0 = now_ns(CLOCK_REALTIME);
    long long t0 = now_ns(CLOCK_MONOTONIC);
    for (long done = 0; done < total;) {
        long n = total - done < chunk ? total - done : chunk;
        ssize_t w = write(1, buf, (size_t)n);
        if (w <= 0)
            return 4;
        done += w;
    }
    long long t1 = now_ns(CLOCK_MONOTONIC);
    fprintf(stderr, "console_ns %lld start_wall_ns %lld\n", t1 - t0, wall0);
    return 0;
}
