/* Write N MiB (argv[1], default 64) of a pattern to the first disk in
 * chunks of varied sizes, flush, read it all back and compare checksums:
 * once in 1 MiB reads, once in the varied sizes (sequential: blkfront's
 * read-ahead serves them), then reads at random sector offsets (forward and
 * back inside the read window, across its end, beyond it; a flush between
 * them while read-ahead is in flight) checked against the pattern, then
 * rewrite a sector that was read ahead and read it again (the new data,
 * not the read-ahead copy). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unik.h>

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static void fill(uint8_t *p, size_t n, uint64_t off)
{
    for (size_t i = 0; i < n; i += 8) {
        uint64_t v = (off + i) * 0x9e3779b97f4a7c15ull;
        memcpy(p + i, &v, 8);
    }
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? (size_t)atoi(argv[1]) : 64;
    unik_handle_t h;
    struct unik_block_info info;
    if (unik_block_acquire("xvda", &h, &info) != UNIK_OK) {
        printf("no disk\n");
        return 1;
    }
    printf("xvda: %llu bytes, block %llu\n", (unsigned long long)info.capacity,
           (unsigned long long)info.block_size);
    size_t total = mib << 20;
    if (total > info.capacity) {
        printf("disk too small\n");
        return 1;
    }
    static const size_t sizes[] = { 512, 4096, 65536, 1 << 20, 45056, 3584 };
    uint8_t *buf = malloc(1 << 20), *back = malloc(1 << 20);
    uint64_t wsum = 0xcbf29ce484222325ull, rsum = wsum;
    size_t off = 0;
    for (unsigned k = 0; off < total; k++) {
        size_t n = sizes[k % 6];
        if (n > total - off)
            n = total - off;
        fill(buf, n, off);
        wsum = fnv(wsum, buf, n);
        if (unik_block_write(h, off, buf, n) != UNIK_OK) {
            printf("write failed at %zu\n", off);
            return 1;
        }
        off += n;
    }
    if (unik_block_flush(h) != UNIK_OK) {
        printf("flush failed\n");
        return 1;
    }
    for (off = 0; off < total; off += 1 << 20) {
        size_t n = total - off < (1u << 20) ? total - off : 1u << 20;
        if (unik_block_read(h, off, back, n) != UNIK_OK) {
            printf("read failed at %zu\n", off);
            return 1;
        }
        rsum = fnv(rsum, back, n);
    }
    uint64_t rsum2 = 0xcbf29ce484222325ull;
    off = 0;
    for (unsigned k = 0; off < total; k++) {
        size_t n = sizes[k % 6];
        if (n > total - off)
            n = total - off;
        if (unik_block_read(h, off, back, n) != UNIK_OK) {
            printf("read failed at %zu\n", off);
            return 1;
        }
        rsum2 = fnv(rsum2, back, n);
        off += n;
    }
    if (rsum2 != rsum) {
        printf("MISMATCH in small reads: %016llx\n", (unsigned long long)rsum2);
        return 1;
    }
    /* random reads: each checked against the pattern it must hold */
    uint64_t x = 88172645463325252ull;
    for (unsigned i = 0; i < 3000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t n = sizes[x % 6];
        uint64_t at = (i % 3 == 0) ? (x >> 8) % (total - n + 1)     /* anywhere */
                    : (off + (x >> 8) % (1 << 20)) % (total - n + 1); /* near the last */
        at &= ~(uint64_t)511;
        if (unik_block_read(h, at, back, n) != UNIK_OK) {
            printf("read failed at %llu\n", (unsigned long long)at);
            return 1;
        }
        fill(buf, n, at);
        if (memcmp(back, buf, n)) {
            printf("WRONG DATA in a random read of %zu at %llu\n", n, (unsigned long long)at);
            return 1;
        }
        off = at;
        if (i % 500 == 0 && unik_block_flush(h) != UNIK_OK) {
            printf("flush failed\n");
            return 1;
        }
    }
    /* read ahead past 8192, rewrite it, read it again, then put it back */
    if (unik_block_read(h, 0, back, 4096) || unik_block_read(h, 4096, back, 4096)) {
        printf("read failed\n");
        return 1;
    }
    memset(buf, 0x5a, 512);
    if (unik_block_write(h, 8192, buf, 512) || unik_block_read(h, 8192, back, 512)
        || memcmp(back, buf, 512)) {
        printf("STALE read after write\n");
        return 1;
    }
    fill(buf, 512, 8192);
    if (unik_block_write(h, 8192, buf, 512)) {
        printf("write failed\n");
        return 1;
    }
    /* the calls refuse what they must */
    if (unik_block_read(h, 1, back, 512) != UNIK_EINVAL
        || unik_block_read(h, info.capacity, back, 512) != UNIK_EINVAL
        || unik_block_write(h, 0, buf, 100) != UNIK_EINVAL
        || unik_block_read(h + 7, 0, back, 512) != UNIK_EINVAL) {
        printf("bad arguments accepted\n");
        return 1;
    }
    printf("wrote %zu MiB checksum %016llx, read back %016llx\n", mib,
           (unsigned long long)wsum, (unsigned long long)rsum);
    printf(wsum == rsum ? "SUCCESS\n" : "MISMATCH\n");
    return wsum == rsum ? 0 : 1;
}
