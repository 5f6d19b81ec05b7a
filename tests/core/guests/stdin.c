/* Reads the guest's stdin as the first argument says:
 *   "lines"   every line (getline) back on stdout as "N: line", then
 *             "lines: N bytes: B" on stderr;
 *   "cat"     read(2) in 64 KiB pieces straight to stdout (byte exact);
 *   "none"    never reads stdin; prints "no read";
 *   "sum"     scanf("%ld") until EOF: "count=C sum=S";
 *   "poll MS" poll(fd 0, POLLIN, MS): "poll=R revents=E", then if readable
 *             one read: "read=N";
 *   "select"  select() on fd 0 without a timeout, then fgets one line;
 *   "getchar" getchar() until EOF, counting: "chars=N";
 *   "eof2"    two reads after end of file: "read=0 read=0";
 *   "nonblock" O_NONBLOCK on fd 0, read until EAGAIN or EOF: "eagain" / "eof";
 *   "pollsleep" poll(fd 0, 100 ms): "poll=R", then sleep 3 s (input may come
 *             meanwhile): "slept" when the sleep took no CPU time, else
 *             "spun N ms" (an answer to the poll cut every wait short);
 *   "prompt"  printf("name? ") without a newline, fgets the answer: "hello, A";
 *   "tty"     isatty(0). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 16];

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "lines";
    if (!strcmp(how, "lines")) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t k;
        long n = 0, bytes = 0;
        while ((k = getline(&line, &cap, stdin)) >= 0) {
            printf("%ld: %s", ++n, line);
            bytes += k;
        }
        fflush(stdout);
        fprintf(stderr, "lines: %ld bytes: %ld\n", n, bytes);
        return 0;
    }
    if (!strcmp(how, "cat")) {
        ssize_t k;
        while ((k = read(0, buf, sizeof buf)) > 0)
            if (write(1, buf, (size_t)k) != k)
                return 3;
        return k < 0 ? 4 : 0;
    }
    if (!strcmp(how, "none")) {
        printf("no read\n");
        return 0;
    }
    if (!strcmp(how, "sum")) {
        long v, sum = 0, count = 0;
        while (scanf("%ld", &v) == 1) {
            sum += v;
            count++;
        }
        printf("count=%ld sum=%ld\n", count, sum);
        return 0;
    }
    if (!strcmp(how, "poll")) {
        struct pollfd p = { .fd = 0, .events = POLLIN };
        int r = poll(&p, 1, argc > 2 ? atoi(argv[2]) : 0);
        printf("poll=%d revents=%d\n", r, p.revents);
        if (r > 0)
            printf("read=%zd\n", read(0, buf, sizeof buf));
        return 0;
    }
    if (!strcmp(how, "select")) {
        fd_set rd;
        FD_ZERO(&rd);
        FD_SET(0, &rd);
        int r = select(1, &rd, NULL, NULL, NULL);
        printf("select=%d set=%d\n", r, FD_ISSET(0, &rd));
        if (fgets(buf, sizeof buf, stdin))
            printf("line: %s", buf);
        return 0;
    }
    if (!strcmp(how, "getchar")) {
        long n = 0;
        while (getchar() != EOF)
            n++;
        printf("chars=%ld\n", n);
        return 0;
    }
    if (!strcmp(how, "eof2")) {
        while (read(0, buf, sizeof buf) > 0)
            ;
        ssize_t a = read(0, buf, sizeof buf), b = read(0, buf, sizeof buf);
        printf("read=%zd read=%zd\n", a, b);
        return 0;
    }
    if (!strcmp(how, "nonblock")) {
        fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
        ssize_t k = read(0, buf, sizeof buf);
        printf(k < 0 && errno == EAGAIN ? "eagain\n" : k == 0 ? "eof\n" : "data\n");
        return 0;
    }
    if (!strcmp(how, "pollsleep")) {
        struct pollfd p = { .fd = 0, .events = POLLIN };
        int r = poll(&p, 1, 100);
        printf("poll=%d\n", r);
        fflush(stdout);
        clock_t c0 = clock();           /* CPU time: what was not spent waiting */
        sleep(3);
        long spent = (long)((clock() - c0) * 1000 / CLOCKS_PER_SEC);
        if (spent < 500)
            printf("slept\n");
        else
            printf("spun %ld ms\n", spent);
        return 0;
    }
    if (!strcmp(how, "prompt")) {
        printf("name? ");
        if (fgets(buf, sizeof buf, stdin))
            printf("hello, %s", buf);
        return 0;
    }
    if (!strcmp(how, "tty")) {
        printf("isatty(0)=%d\n", isatty(0));
        return 0;
    }
    return 2;
}
