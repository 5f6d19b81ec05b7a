/* unik compare's http-hello (core/compare/spec.py): an HTTP/1.1 server and a
 * keep-alive client in one program, over 127.0.0.1 with plain BSD sockets
 * (TCP). The client sends n GET requests on one connection, one at a time;
 * the server reads each up to its blank line and answers "Hello, world!"
 * with a Content-Length; the client reads each answer whole. Timed around
 * the requests only. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char REQUEST[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
static const char RESPONSE[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                               "Content-Length: 13\r\n\r\nHello, world!";

static long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static void send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            die("write");
        p += w, n -= (size_t)w;
    }
}

/* Read from fd until buf holds the n bytes of one message. */
static void read_exactly(int fd, char *buf, size_t n)
{
    for (size_t got = 0; got < n;) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0)
            die("read");
        got += (size_t)r;
    }
}

/* The server's side: read a request up to its blank line. */
static void read_request(int fd, char *buf, size_t size)
{
    size_t got = 0;
    for (;;) {
        ssize_t r = read(fd, buf + got, size - 1 - got);
        if (r <= 0)
            die("read request");
        got += (size_t)r;
        buf[got] = 0;
        if (strstr(buf, "\r\n\r\n"))
            return;
    }
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20000;
    int lis = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (lis < 0)
        die("socket");
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0,
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof addr;
    if (bind(lis, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lis, 16) < 0
        || getsockname(lis, (struct sockaddr *)&addr, &len) < 0)
        die("listen");
    int client = socket(AF_INET, SOCK_STREAM, 0);
    if (client < 0 || connect(client, (struct sockaddr *)&addr, sizeof addr) < 0)
        die("connect");
    int server = accept(lis, NULL, NULL);
    if (server < 0)
        die("accept");
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char req[1024], rsp[sizeof RESPONSE];
    long body = 0, t0 = now_ns();
    for (int i = 0; i < n; i++) {
        send_all(client, REQUEST, sizeof REQUEST - 1);
        read_request(server, req, sizeof req);
        send_all(server, RESPONSE, sizeof RESPONSE - 1);
        read_exactly(client, rsp, sizeof RESPONSE - 1);
        if (memcmp(rsp, RESPONSE, sizeof RESPONSE - 1)) {
            printf("response %d came back wrong\n", i);
            return 1;
        }
        body += 13;
    }
    long ns = now_ns() - t0;
    printf("served %d requests, %ld body bytes\n", n, body);
    printf("compute_ns %ld\n", ns);
    close(client);
    close(server);
    close(lis);
    return 0;
}
