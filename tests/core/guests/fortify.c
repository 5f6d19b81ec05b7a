/* The glibc-compatibility layer (core/native/compat/): _FORTIFY_SOURCE entry
 * points called as a glibc-built library calls them. In bounds they do the
 * work; argv[1] = "overflow" makes __memcpy_chk overflow, "strcpy" makes
 * __strcpy_chk overflow, "fdelt" asks __fdelt_chk for fd 5000. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void *__memcpy_chk(void *, const void *, size_t, size_t);
char *__strcpy_chk(char *, const char *, size_t);
int __snprintf_chk(char *, size_t, int, size_t, const char *, ...);
int __sprintf_chk(char *, int, size_t, const char *, ...);
long __fdelt_chk(long);
int fcntl64(int, int, ...);
int __isnan(double);

int main(int argc, char **argv)
{
    char buf[16];
    const char *how = argc > 1 ? argv[1] : "";
    __memcpy_chk(buf, "0123456789", 11, sizeof buf);
    __strcpy_chk(buf + 10, "abcde", sizeof buf - 10);
    printf("in bounds: %s\n", buf);
    __snprintf_chk(buf, sizeof buf, 1, sizeof buf, "%d-%s", 42, "x");
    __sprintf_chk(buf + 4, 1, sizeof buf - 4, "%s", "yz");
    printf("printf: %s\n", buf);
    printf("fdelt(70) = %ld, fcntl64(1, F_GETFD) = %d, isnan = %d\n", __fdelt_chk(70),
           fcntl64(1, 1), __isnan(0.0 / 0.0));
    fflush(stdout);
    if (!strcmp(how, "overflow"))
        __memcpy_chk(buf, "0123456789abcdefXYZ", 20, sizeof buf);
    if (!strcmp(how, "strcpy"))
        __strcpy_chk(buf, "this string does not fit", sizeof buf);
    if (!strcmp(how, "fdelt"))
        __fdelt_chk(5000);
    puts("SUCCESS");
    return 0;
}
