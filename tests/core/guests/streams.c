/* Writes to stdout and stderr through stdio and write(2), then ends as the
 * first argument says: "exit" (status 5), "abort" (abort(): stdio buffers
 * are lost, as in a process, but every write(2) byte must arrive), "crash"
 * (an invalid opcode after the writes), "bulk N" (N bytes of numbered lines
 * on stdout, then "bulk done" on stderr), "tty" (what isatty says). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void say(int fd, const char *s)
{
    write(fd, s, strlen(s));
}

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "exit";
    if (!strcmp(how, "tty")) {
        printf("isatty(0)=%d isatty(1)=%d isatty(2)=%d\n", isatty(0), isatty(1), isatty(2));
        return 0;
    }
    if (!strcmp(how, "bulk")) {
        long total = argc > 2 ? atol(argv[2]) : 10000000, n = 0, i = 0;
        char line[80];
        while (n < total) {
            int k = snprintf(line, sizeof line, "%09ld the quick brown fox jumps over the lazy dog\n", i++);
            fwrite(line, 1, (size_t)k, stdout);
            n += k;
        }
        fflush(stdout);
        fprintf(stderr, "bulk done: %ld lines\n", i);
        return 0;
    }
    printf("out: stdio\n");
    fflush(stdout);
    fprintf(stderr, "err: stdio\n");
    say(1, "out: write\n");
    say(2, "err: write\n");
    if (!strcmp(how, "abort")) {
        printf("out: buffered, lost by abort\n");
        say(1, "out: last write\n");
        say(2, "err: last write\n");
        abort();
    }
    if (!strcmp(how, "crash")) {
        say(1, "out: last write\n");
        say(2, "err: last write\n");
        __builtin_trap();
    }
    return 5;
}
