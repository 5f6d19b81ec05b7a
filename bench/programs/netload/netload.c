/* Load generator for bench/net.py (a native Linux program, run on the host):
 *   netload udp  HOST PORT SECONDS WINDOW SIZE   → "pps N"  (echoes per second,
 *                                                  WINDOW datagrams in flight)
 *   netload http HOST PORT SECONDS CONNS         → "rps N"  (keep-alive requests
 *                                                  per second over CONNS connections)
 *   netload httpc HOST PORT SECONDS CONNS        → "rps N failed M"  (one request
 *                                                  per connection, "Connection: close",
 *                                                  CONNS at a time; M connections were
 *                                                  refused or reset, and made again) */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct sockaddr_in target(const char *host, int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, host, &a.sin_addr);
    return a;
}

static int udp(const char *host, int port, double secs, int window, int size)
{
    struct sockaddr_in a = target(host, port);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0)
        return perror("connect"), 1;
    char buf[2048];
    memset(buf, 'x', sizeof buf);
    long got = 0;
    int inflight = 0;
    double t0 = now(), last = t0, end = t0 + secs;
    while (now() < end) {
        while (inflight < window && send(fd, buf, (size_t)size, 0) == size)
            inflight++;
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, 50) <= 0) {
            if (now() - last > 0.2)
                inflight = 0;           /* lost ones: fill the window again */
            continue;
        }
        while (recv(fd, buf, sizeof buf, 0) > 0) {
            got++;
            inflight--;
            last = now();
        }
    }
    printf("pps %.0f\n", got / (now() - t0));
    return 0;
}

struct conn {
    int fd;
    size_t have;
    char buf[4096];
};

static int http(const char *host, int port, double secs, int conns)
{
    struct sockaddr_in a = target(host, port);
    static const char req[] = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n";
    struct conn *c = calloc((size_t)conns, sizeof *c);
    struct pollfd *p = calloc((size_t)conns, sizeof *p);
    int one = 1;
    for (int i = 0; i < conns; i++) {
        c[i].fd = socket(AF_INET, SOCK_STREAM, 0);
        setsockopt(c[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(c[i].fd, (struct sockaddr *)&a, sizeof a) < 0)
            return perror("connect"), 1;
        if (write(c[i].fd, req, sizeof req - 1) < 0)
            return perror("write"), 1;
        p[i] = (struct pollfd){ .fd = c[i].fd, .events = POLLIN };
    }
    long done = 0;
    double t0 = now(), end = t0 + secs;
    while (now() < end) {
        if (poll(p, (nfds_t)conns, 100) <= 0)
            continue;
        for (int i = 0; i < conns; i++) {
            if (!p[i].revents)
                continue;
            ssize_t n = read(c[i].fd, c[i].buf + c[i].have, sizeof c[i].buf - 1 - c[i].have);
            if (n <= 0)
                return fprintf(stderr, "connection closed\n"), 1;
            c[i].have += (size_t)n;
            c[i].buf[c[i].have] = 0;
            for (;;) {
                char *hdr_end = strstr(c[i].buf, "\r\n\r\n");
                char *cl = strstr(c[i].buf, "Content-Length:");
                if (!hdr_end || !cl)
                    break;
                size_t total = (size_t)(hdr_end + 4 - c[i].buf) + (size_t)atol(cl + 15);
                if (c[i].have < total)
                    break;
                memmove(c[i].buf, c[i].buf + total, c[i].have - total + 1);
                c[i].have -= total;
                done++;
                if (write(c[i].fd, req, sizeof req - 1) < 0)
                    return perror("write"), 1;
            }
        }
    }
    printf("rps %.0f\n", done / (now() - t0));
    return 0;
}

/* One request per connection, as a load generator without keep-alive
 * does: connect, ask with "Connection: close", read the answer to the
 * server's close, close, connect again. The server closes first, so the
 * TIME_WAIT states are the server's and this side's ports are reused. */
static int start(struct conn *c, const struct sockaddr_in *a)
{
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    c->have = 0;
    if (c->fd < 0)
        return perror("socket"), -1;
    if (connect(c->fd, (const struct sockaddr *)a, sizeof *a) < 0 && errno != EINPROGRESS)
        return perror("connect"), -1;
    return 0;
}

static int http_close(const char *host, int port, double secs, int conns)
{
    struct sockaddr_in a = target(host, port);
    static const char req[] = "GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n";
    struct conn *c = calloc((size_t)conns, sizeof *c);
    struct pollfd *p = calloc((size_t)conns, sizeof *p);
    char *sent = calloc((size_t)conns, 1);
    for (int i = 0; i < conns; i++) {
        if (start(&c[i], &a) < 0)
            return 1;
        p[i] = (struct pollfd){ .fd = c[i].fd, .events = POLLOUT };
    }
    long done = 0, failed = 0;
    double t0 = now(), end = t0 + secs;
    while (now() < end) {
        if (poll(p, (nfds_t)conns, 100) <= 0)
            continue;
        for (int i = 0; i < conns; i++) {
            if (!p[i].revents)
                continue;
            if (!sent[i]) {             /* connected (or refused) */
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(c[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err || write(c[i].fd, req, sizeof req - 1) != (ssize_t)(sizeof req - 1)) {
                    failed++;           /* refused or reset: counted, and again */
                    goto again;
                }
                sent[i] = 1;
                p[i].events = POLLIN;
                continue;
            }
            ssize_t n = read(c[i].fd, c[i].buf + c[i].have, sizeof c[i].buf - 1 - c[i].have);
            if (n < 0 && errno == EAGAIN)
                continue;
            if (n > 0) {
                c[i].have += (size_t)n;
                if (c[i].have < sizeof c[i].buf - 1)
                    continue;
            }
            /* closed by the server (or an error): a whole answer counts */
            c[i].buf[c[i].have] = 0;
            char *hdr_end = strstr(c[i].buf, "\r\n\r\n");
            char *cl = strstr(c[i].buf, "Content-Length:");
            if (!hdr_end || !cl
                || c[i].have < (size_t)(hdr_end + 4 - c[i].buf) + (size_t)atol(cl + 15))
                failed++;               /* closed or reset before the answer */
            else
                done++;
        again:
            close(c[i].fd);
            sent[i] = 0;
            if (start(&c[i], &a) < 0)
                return 1;
            p[i] = (struct pollfd){ .fd = c[i].fd, .events = POLLOUT };
        }
    }
    printf("rps %.0f failed %ld\n", done / (now() - t0), failed);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 7 && !strcmp(argv[1], "udp"))
        return udp(argv[2], atoi(argv[3]), atof(argv[4]), atoi(argv[5]), atoi(argv[6]));
    if (argc >= 6 && !strcmp(argv[1], "http"))
        return http(argv[2], atoi(argv[3]), atof(argv[4]), atoi(argv[5]));
    if (argc >= 6 && !strcmp(argv[1], "httpc"))
        return http_close(argv[2], atoi(argv[3]), atof(argv[4]), atoi(argv[5]));
    fprintf(stderr, "usage: netload udp HOST PORT SECONDS WINDOW SIZE | "
                    "netload http|httpc HOST PORT SECONDS CONNS\n");
    return 2;
}
