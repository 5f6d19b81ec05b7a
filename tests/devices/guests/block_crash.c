/* Step "write": write a marker block, flush, write a second block without a
 * flush, then crash. Step "check": both blocks must be there (the second
 * was acknowledged: a guest crash must not lose it either). */
#include <stdio.h>
#include <string.h>
#include <unik.h>

int main(int argc, char **argv)
{
    unik_handle_t h;
    struct unik_block_info info;
    static uint8_t a[4096], b[4096], r[4096];
    if (unik_block_acquire("", &h, &info) != UNIK_OK) {
        printf("no disk\n");
        return 1;
    }
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    strcpy((char *)a, "flushed before the crash");
    strcpy((char *)b, "acknowledged before the crash");
    if (argc > 1 && !strcmp(argv[1], "write")) {
        if (unik_block_write(h, 8192, a, sizeof a) || unik_block_flush(h)
            || unik_block_write(h, 1 << 20, b, sizeof b)) {
            printf("write failed\n");
            return 1;
        }
        printf("written; crashing\n");
        *(volatile int *)16 = 1;        /* a page fault: the guest dies */
        return 3;
    }
    if (unik_block_read(h, 8192, r, sizeof r) || memcmp(r, a, sizeof a)) {
        printf("flushed block lost\n");
        return 1;
    }
    if (unik_block_read(h, 1 << 20, r, sizeof r) || memcmp(r, b, sizeof b)) {
        printf("acknowledged block lost\n");
        return 1;
    }
    printf("SUCCESS\n");
    return 0;
}
