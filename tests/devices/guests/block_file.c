/* The disk as a file: plain POSIX and stdio on /dev/xvda. */
#include <fcntl.h>
#define BLKGETSIZE64 0x80081272   /* <linux/fs.h>; musl ships no kernel headers */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(c) do { if (!(c)) { printf("FAIL line %d: %s\n", __LINE__, #c); return 1; } } while (0)

int main(void)
{
    struct stat st;
    CHECK(stat("/dev/xvda", &st) == 0 && S_ISBLK(st.st_mode));
    CHECK(open("/dev/xvdq", O_RDWR) < 0);
    int fd = open("/dev/xvda", O_RDWR);
    CHECK(fd >= 3);
    unsigned long long size = 0;
    CHECK(ioctl(fd, BLKGETSIZE64, &size) == 0 && size == 4 << 20);
    CHECK(lseek(fd, 0, SEEK_END) == (off_t)size);
    /* unaligned writes across block boundaries */
    const char *msg = "hello, block device, across a sector boundary";
    CHECK(pwrite(fd, msg, strlen(msg), 500) == (ssize_t)strlen(msg));
    char back[128] = {0};
    CHECK(pread(fd, back, strlen(msg), 500) == (ssize_t)strlen(msg));
    CHECK(memcmp(back, msg, strlen(msg)) == 0);
    CHECK(fsync(fd) == 0);
    /* sequential read/write with the file position */
    CHECK(lseek(fd, 10000, SEEK_SET) == 10000);
    CHECK(write(fd, "abc", 3) == 3 && write(fd, "def", 3) == 3);
    CHECK(lseek(fd, 10000, SEEK_SET) == 10000);
    CHECK(read(fd, back, 6) == 6 && memcmp(back, "abcdef", 6) == 0);
    /* the end of the disk */
    CHECK(pread(fd, back, 100, size - 10) == 10);
    CHECK(pread(fd, back, 100, size) == 0);
    CHECK(pwrite(fd, back, 1, size) < 0);
    CHECK(fdatasync(fd) == 0);
    CHECK(close(fd) == 0);
    CHECK(close(fd) < 0);
    /* stdio on top */
    FILE *f = fopen("/dev/xvda", "r+");
    CHECK(f != NULL);
    CHECK(fseek(f, 20000, SEEK_SET) == 0);
    CHECK(fprintf(f, "stdio line %d\n", 42) > 0);
    CHECK(fflush(f) == 0);
    CHECK(fseek(f, 20000, SEEK_SET) == 0);
    char line[64];
    CHECK(fgets(line, sizeof line, f) && strcmp(line, "stdio line 42\n") == 0);
    CHECK(fclose(f) == 0);
    printf("SUCCESS\n");
    return 0;
}
