/* A key-value store on the block device, through plain files: /dev/xvda
 * holds fixed 512-byte records (a 64-byte key, a 448-byte value) in an open
 * hash table. Commands on the command line:
 *     put KEY VALUE | get KEY | del KEY | list
 * Each put/del is one aligned pwrite followed by fsync: durable when the
 * command returns.                                                          */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define BLKGETSIZE64 0x80081272
#define REC 512
#define KEY 64

struct record {
    char key[KEY];                      /* "" = free; "\x01" = deleted */
    char value[REC - KEY];
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

int main(int argc, char **argv)
{
    int fd = open("/dev/xvda", O_RDWR);
    uint64_t size;
    if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size) < 0) {
        perror("/dev/xvda (run with --disk FILE --disk-size 1M)");
        return 1;
    }
    uint64_t slots = size / REC;
    if (argc < 2) {
        fprintf(stderr, "usage: put KEY VALUE | get KEY | del KEY | list\n");
        return 2;
    }
    const char *cmd = argv[1];
    struct record r;
    if (!strcmp(cmd, "list")) {
        for (uint64_t i = 0; i < slots; i++)
            if (pread(fd, &r, REC, (off_t)(i * REC)) == REC && r.key[0] > 1)
                printf("%.*s = %.*s\n", KEY, r.key, (int)sizeof r.value, r.value);
        return 0;
    }
    if (argc < 3 || strlen(argv[2]) >= KEY || (!strcmp(cmd, "put") && argc < 4)) {
        fprintf(stderr, "bad command (keys are at most %d bytes)\n", KEY - 1);
        return 2;
    }
    const char *key = argv[2];
    uint64_t i = hash(key) % slots, free_at = UINT64_MAX;
    for (uint64_t probe = 0; probe < slots; probe++, i = (i + 1) % slots) {
        if (pread(fd, &r, REC, (off_t)(i * REC)) != REC) {
            perror("pread");
            return 1;
        }
        if (r.key[0] == 1 && free_at == UINT64_MAX)
            free_at = i;
        if (r.key[0] == 0) {
            if (free_at == UINT64_MAX)
                free_at = i;
            break;
        }
        if (!strncmp(r.key, key, KEY)) {
            free_at = i;
            goto found;
        }
    }
    if (!strcmp(cmd, "get") || !strcmp(cmd, "del")) {
        printf("%s: not found\n", key);
        return 3;
    }
found:
    if (!strcmp(cmd, "get")) {
        printf("%.*s\n", (int)sizeof r.value, r.value);
        return 0;
    }
    if (free_at == UINT64_MAX) {
        fprintf(stderr, "the store is full\n");
        return 1;
    }
    memset(&r, 0, sizeof r);
    if (!strcmp(cmd, "del"))
        r.key[0] = 1;
    else {
        strncpy(r.key, key, KEY - 1);
        strncpy(r.value, argv[3], sizeof r.value - 1);
    }
    if (pwrite(fd, &r, REC, (off_t)(free_at * REC)) != REC || fsync(fd) < 0) {
        perror("write");
        return 1;
    }
    printf("ok\n");
    return 0;
}
