/*
 * snprintf.c — the core's snprintf/sprintf fast path (core/native/libc/snprintf.c)
 * against musl's vsnprintf as the reference: the same string and return
 * value for many formats, values and buffer sizes (truncation included),
 * and formats the fast path hands over (floats, precision, '+', '*', %n$).
 * EXPECT-STATUS: 0
 * EXPECT-OUTPUT: SUCCESS
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int failures;

static int ref(char *s, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(s, n, fmt, ap);
    va_end(ap);
    return r;
}

#define CHECK(fmt, ...)                                                          \
    do {                                                                         \
        static const size_t sizes[] = { 0, 1, 2, 5, 16, 200 };                   \
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {            \
            char a[256], b[256];                                                 \
            memset(a, 'A', sizeof a);                                            \
            memset(b, 'A', sizeof b);                                            \
            int ra = snprintf(a, sizes[k], fmt, __VA_ARGS__);                    \
            int rb = ref(b, sizes[k], fmt, __VA_ARGS__);                         \
            if (ra != rb || memcmp(a, b, sizeof a) != 0) {                       \
                printf("FAIL: snprintf(%zu, \"%s\") = %d \"%.40s\", musl %d \"%.40s\"\n", \
                       sizes[k], fmt, ra, a, rb, b);                             \
                failures++;                                                      \
            }                                                                    \
        }                                                                        \
        char c[256], d[256];                                                     \
        int rc = sprintf(c, fmt, __VA_ARGS__);                                   \
        int rd = ref(d, sizeof d, fmt, __VA_ARGS__);                             \
        if (rc != rd || strcmp(c, d) != 0) {                                     \
            printf("FAIL: sprintf(\"%s\") = \"%s\", musl \"%s\"\n", fmt, c, d);    \
            failures++;                                                          \
        }                                                                        \
    } while (0)

int main(void)
{
    static const long long ints[] = { 0, 1, -1, 7, 42, -42, 99999, 2147483647, -2147483647 - 1,
                                      4294967295ll, 9223372036854775807ll,
                                      -9223372036854775807ll - 1 };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        long long v = ints[i];
        CHECK("%d|%i|%u|%x|%X|%o", (int)v, (int)v, (unsigned)v, (unsigned)v, (unsigned)v,
              (unsigned)v);
        CHECK("%ld %lu %lx %lld %llu %llX", (long)v, (unsigned long)v, (unsigned long)v, v,
              (unsigned long long)v, (unsigned long long)v);
        CHECK("%hhd %hhu %hd %hu %zd %zu %jd %td", (int)v, (int)v, (int)v, (int)v,
              (ptrdiff_t)v, (size_t)v, (intmax_t)v, (ptrdiff_t)v);
        CHECK("[%5d] [%-5d] [%05d] [%-05d] [%012lld] [%3x] [%08X]", (int)v, (int)v, (int)v,
              (int)v, v, (unsigned)v, (unsigned)v);
    }
    CHECK("%s and %s", "abc", "");
    CHECK("[%10s] [%-10s] [%2s]", "right", "left", "longer");
    CHECK("%c%c%c [%3c] [%-3c]", 'a', 'b', 'c', 'x', 'y');
    CHECK("%s", (const char *)NULL);
    CHECK("%p %p [%20p]", (void *)0x1234, (void *)0, (void *)&failures);
    CHECK("100%% sure: %d%%", 5);
    CHECK("key-%lu", 123456789ul);
    CHECK("%ld:%s;", 777l, "odd");
    CHECK("no conversions at all %s", "");
    /* Handed to musl: the result must still be right. */
    CHECK("%.3f %e %g", 3.14159, 1e10, 0.5);
    CHECK("%+d % d %#x %#o", 5, 5, 255u, 8u);
    CHECK("%.2s|%.5d|%*d|%-*d", "abcdef", 42, 6, 7, 6, 7);
    CHECK("%2$s %1$s", "world", "hello");
    if (!failures)
        printf("SUCCESS\n");
    return failures ? 1 : 0;
}
