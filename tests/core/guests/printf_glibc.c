/*
 * printf_glibc.c — the guest's snprintf/sprintf (core/native/libc/snprintf.c:
 * a fast path for the common conversions, musl's vsnprintf for the rest)
 * and the string routines a program builds text with (strlen, strdup,
 * strcmp, memcpy, realloc growth), printed so that tests/core/test_printf_glibc.py
 * can compare every line with the same program built as a glibc process.
 * Each case prints the return value and the buffer of snprintf at several
 * sizes (truncation included) and of sprintf, with non-printing bytes escaped.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void show(const char *what, int r, const char *s, size_t n)
{
    printf("%s -> %d \"", what, r);
    for (size_t i = 0; i < n && s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 32 && c < 127 && c != '\\' && c != '"')
            putchar(c);
        else
            printf("\\x%02x", c);
    }
    printf("\"\n");
}

/* Every size from 0 to 3, a few more, and a large one; the bytes after the
 * terminator must be untouched ('#'), and nothing is written for size 0. */
#define CASE(fmt, ...)                                                              \
    do {                                                                            \
        static const size_t sizes[] = { 0, 1, 2, 3, 7, 12, 300 };                   \
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {               \
            char buf[320], what[160];                                                \
            memset(buf, '#', sizeof buf);                                           \
            int r = snprintf(buf, sizes[k], fmt, __VA_ARGS__);                      \
            snprintf(what, sizeof what, "snprintf[%zu](\"%s\", %s)", sizes[k], fmt, #__VA_ARGS__); \
            show(what, r, sizes[k] ? buf : "", sizeof buf);                         \
            size_t used = sizes[k] ? strlen(buf) + 1 : 0;                           \
            for (size_t j = used; j < sizeof buf; j++)                              \
                if (buf[j] != '#') {                                                \
                    printf("  wrote past the terminator at %zu\n", j);              \
                    break;                                                          \
                }                                                                   \
        }                                                                           \
        char big[320];                                                              \
        int r = sprintf(big, fmt, __VA_ARGS__);                                     \
        show("sprintf(" fmt ")", r, big, sizeof big);                               \
    } while (0)

static void integers(void)
{
    CASE("%d", 0);
    CASE("%d", 42);
    CASE("%d", -42);
    CASE("%d", INT_MAX);
    CASE("%d", INT_MIN);
    CASE("%i|%u|%x|%X|%o", -1, 4294967295u, 3735928559u, 3735928559u, 511u);
    CASE("%ld %lu %lx", LONG_MIN, ULONG_MAX, 0x123456789abcdefUL);
    CASE("%lld %llu %llX", LLONG_MIN, ULLONG_MAX, 0xfedcba9876543210ULL);
    CASE("%zu %zd %zx", (size_t)123456789, (ptrdiff_t)-5, SIZE_MAX);
    CASE("%jd %ju %td", (intmax_t)-9000000000LL, (uintmax_t)18000000000ULL, (ptrdiff_t)-77);
    CASE("%hd %hu %hhd %hhu %hx", (short)-300, (unsigned short)65535, (signed char)-128,
         (unsigned char)255, (unsigned short)0xbeef);
    CASE("[%5d][%-5d][%05d][%-05d]", 42, 42, 42, 42);
    CASE("[%5d][%-5d][%05d][%+5d]", -42, -42, -42, 42);
    CASE("[%8x][%08X][%-8o][%#x][%#o][%#X]", 255u, 255u, 8u, 255u, 8u, 0u);
    CASE("[%+d][% d][%+d][% d][%+ d]", 5, 5, -5, -5, 5);
    CASE("[%.3d][%.0d][%.0d][%5.3d][%-7.4d]", 7, 0, 1, -7, 12);
    CASE("[%.5x][%#.3o][%#.0o][%.0x]", 0xabu, 1u, 0u, 0u);
    CASE("[%*d][%-*d][%*d][%.*d]", 6, 1, 6, 1, -6, 1, 3, 9);
    CASE("%2$d %1$d", 1, 2);
    CASE("%3d|%03d|%-3d|", 12345, 12345, 12345);
    CASE("%ld:%s;", 999999L, "odd");
}

static void strings_and_chars(void)
{
    static const char *null_str;
    CASE("%s", "");
    CASE("%s", "hello");
    CASE("[%10s][%-10s][%.2s][%10.3s][%-10.3s]", "abc", "abc", "abcdef", "abcdef", "abcdef");
    CASE("[%*s][%-*s][%.*s]", 7, "x", 7, "x", 2, "xyz");
    CASE("%s|%s", "a long string that does not fit in the small buffers", "tail");
    CASE("[%c][%3c][%-3c]", 'a', 'b', 'c');
    CASE("[%c]", 0);
    CASE("100%% [%d%%]", 5);
    CASE("%%d %s %%", "x");
    CASE("%s", null_str ? null_str : "(null)");
    CASE("no conversions at all %s", "");
    CASE("%s%s%s%s", "a", "b", "c", "d");
}

static void pointers(void)
{
    CASE("%p", (void *)0x1234);
    CASE("[%20p][%-20p]", (void *)0xdeadbeef, (void *)0x7ffff000);
    CASE("%p %p", (void *)UINTPTR_MAX, (void *)1);
}

static void floats(void)
{
    CASE("%f %f %f", 0.0, 1.5, -2.25);
    CASE("%.0f %.1f %.10f", 2.5, 0.05, 1.0 / 3);
    CASE("%e %E %.2e", 12345.678, 0.000123, -1e300);
    CASE("%g %g %g %g %G", 100000.0, 1000000.0, 0.0001, 0.00001, 1e-10);
    CASE("[%10.3f][%-10.2e][%+g][% .3g][%#g][%#.0f]", 3.14159, 2.71828, 1.0, 42.0, 1.0, 3.0);
    CASE("[%010.2f][%-+8.1f][%08.3e]", -3.5, 2.25, 1234.5);
    CASE("%f %e %g %F %f", 1e300 * 1e300, -1e300 * 1e300, __builtin_nan(""), -__builtin_inf(),
         -__builtin_nan(""));
    CASE("%.3f %.3f", 0.0005, 0.0015);
    CASE("%a", 1.0);
    CASE("%.17g %.17g", 0.1, 123456789.123456789);
    CASE("%Lf %Lg", 1.25L, 1e20L);
    CASE("%f", -0.0);
}

/* strdup, strlen, strcmp and realloc growth, the way the string-building benchmark uses them. */
static void building(void)
{
    size_t cap = 1, len = 0;
    char *out = malloc(cap);
    unsigned long sum = 0;
    for (long i = -3000; i < 60000; i += 7) {
        char word[48];
        int k = snprintf(word, sizeof word, "%ld:%s;", i, (i & 1) ? "odd" : "even");
        char *copy = strdup(word);
        if (!copy || strcmp(copy, word) != 0 || strlen(copy) != (size_t)k) {
            printf("building: strdup/strlen/strcmp wrong at %ld\n", i);
            return;
        }
        while (len + (size_t)k + 1 > cap) {
            cap = cap * 3 / 2 + 1;
            out = realloc(out, cap);
        }
        memcpy(out + len, copy, (size_t)k + 1);
        len += (size_t)k;
        free(copy);
    }
    for (size_t i = 0; i < len; i++)
        sum = sum * 31 + (unsigned char)out[i];
    printf("building: %zu bytes, strlen %zu, hash %lu, tail \"%s\"\n", len, strlen(out), sum,
           out + len - 20);
    free(out);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    integers();
    strings_and_chars();
    pointers();
    floats();
    building();
    printf("END\n");
    return 0;
}
