/* unik compare's strings (core/compare/spec.py): append "<i>," for i in
 * 0..n-1 to one growing buffer (doubling, as a string builder does), then
 * count its '7' characters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct buf {
    char *data;
    size_t len, cap;
};

static void append(struct buf *b, const char *s, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 16;
        while (cap < b->len + n)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (d == NULL) {
            fputs("out of memory\n", stderr);
            exit(1);
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    long t0 = now_ns();
    struct buf b = {0};
    char piece[32];
    for (long i = 0; i < n; i++) {
        int k = snprintf(piece, sizeof piece, "%ld,", i);
        append(&b, piece, (size_t)k);
    }
    long sevens = 0;
    for (size_t i = 0; i < b.len; i++)
        sevens += b.data[i] == '7';
    long ns = now_ns() - t0;
    printf("length %zu, sevens %ld\n", b.len, sevens);
    printf("compute_ns %ld\n", ns);
    free(b.data);
    return 0;
}
