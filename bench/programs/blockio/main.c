/* Block I/O throughput: sequential and random reads and writes at 4 KiB and
 * 64 KiB over the first MiB megabytes of PATH, with pread/pwrite. The same
 * source runs in the guest (PATH = /dev/xvda) and as a Linux process (PATH
 * = a regular file). Prints "mbps NAME VALUE" lines.
 *     blockio PATH [MiB]                                                    */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/dev/xvda";
    size_t total = (size_t)(argc > 2 ? atoi(argv[2]) : 64) << 20;
    int fd = open(path, O_RDWR);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    static const size_t sizes[] = { 4096, 65536 };
    char *buf = aligned_alloc(4096, 65536);
    memset(buf, 0x5a, 65536);
    for (int s = 0; s < 2; s++) {
        size_t bs = sizes[s], n = total / bs;
        for (int mode = 0; mode < 4; mode++) {     /* seq write, seq read, rand write, rand read */
            int write = !(mode & 1), rnd = mode >= 2;
            unsigned long long x = 88172645463325252ull;
            double t0 = now();
            for (size_t i = 0; i < n; i++) {
                size_t blk = i;
                if (rnd) {
                    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                    blk = (size_t)(x % n);
                }
                ssize_t r = write ? pwrite(fd, buf, bs, (off_t)(blk * bs))
                                  : pread(fd, buf, bs, (off_t)(blk * bs));
                if (r != (ssize_t)bs) {
                    printf("I/O error at block %zu\n", blk);
                    return 1;
                }
            }
            double dt = now() - t0;
            printf("mbps %s-%s-%zuk %.1f\n", rnd ? "rand" : "seq", write ? "write" : "read",
                   bs / 1024, total / dt / 1e6);
        }
    }
    close(fd);
    return 0;
}
