/* A disk past 4 GiB through the kernel's own header: <linux/fs.h>'s
 * BLKGETSIZE64 (Linux's UAPI headers are visible to programs, after musl's),
 * then 4 KiB written, flushed and read back at offsets beyond 32 bits, and a
 * read at the end (0 bytes, as Linux gives). */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void)
{
    int fd = open("/dev/xvda", O_RDWR);
    unsigned long long size = 0;
    if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size)) {
        perror("/dev/xvda");
        return 1;
    }
    printf("size %llu\n", size);
    char w[4096], r[4096];
    int bad = 0;
    off_t at[] = { (off_t)8 << 30, (off_t)size - 4096, ((off_t)5 << 30) + 512 };
    for (int i = 0; i < 3; i++) {
        memset(w, 'a' + i, sizeof w);
        memset(r, 0, sizeof r);
        if (pwrite(fd, w, sizeof w, at[i]) != (ssize_t)sizeof w || fsync(fd)
            || pread(fd, r, sizeof r, at[i]) != (ssize_t)sizeof r || memcmp(r, w, sizeof w)) {
            printf("WRONG at %lld\n", (long long)at[i]);
            bad = 1;
        }
    }
    printf("at the end: %zd\n", pread(fd, r, sizeof r, (off_t)size));
    printf(bad ? "FAIL\n" : "PASS\n");
    return bad;
}
