/* Reads all of stdin and counts its lines, as `wc -l` would: "stdio" with
 * getc (stdio's own buffer refills), "read" with read(2) of 64 KiB. Prints
 * "lines N bytes B stdin_ns T" on stderr, T from the first read to end of file
 * by the program's monotonic clock. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 16];

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    int use_read = argc > 1 && !strcmp(argv[1], "read");
    long lines = 0, bytes = 0;
    long long t0 = now_ns();
    if (use_read) {
        ssize_t k;
        while ((k = read(0, buf, sizeof buf)) > 0) {
            bytes += k;
            for (ssize_t i = 0; i < k; i++)
                lines += buf[i] == '\n';
        }
    } else {
        int c;
        while ((c = getc(stdin)) != EOF) {
            bytes++;
            lines += c == '\n';
        }
    }
    fprintf(stderr, "lines %ld bytes %ld stdin_ns %lld\n", lines, bytes, now_ns() - t0);
    return 0;
}
