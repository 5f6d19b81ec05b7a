/* unik compare's udp-echo (core/compare/spec.py): a UDP echo server and its
 * client in one program, over 127.0.0.1 with plain BSD sockets. The client
 * sends n datagrams of 64 bytes, one at a time; the server echoes each; the
 * client checks every echo. Timed around the exchange only. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SIZE 64

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

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100000;
    int server = socket(AF_INET, SOCK_DGRAM, 0), client = socket(AF_INET, SOCK_DGRAM, 0);
    if (server < 0 || client < 0)
        die("socket");
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0,
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof addr;
    if (bind(server, (struct sockaddr *)&addr, sizeof addr) < 0
        || getsockname(server, (struct sockaddr *)&addr, &len) < 0)
        die("bind");
    if (connect(client, (struct sockaddr *)&addr, sizeof addr) < 0)
        die("connect");
    char out[SIZE], in[SIZE], buf[2048];
    long t0 = now_ns();
    for (int i = 0; i < n; i++) {
        memset(out, 'a' + i % 26, SIZE);
        memcpy(out, &i, sizeof i);
        if (send(client, out, SIZE, 0) != SIZE)
            die("send");
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t got = recvfrom(server, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        if (got < 0 || sendto(server, buf, (size_t)got, 0, (struct sockaddr *)&from, fl) != got)
            die("echo");
        if (recv(client, in, sizeof in, 0) != SIZE || memcmp(in, out, SIZE)) {
            printf("datagram %d came back wrong\n", i);
            return 1;
        }
    }
    long ns = now_ns() - t0;
    printf("echoed %d datagrams of %d bytes\n", n, SIZE);
    printf("compute_ns %ld\n", ns);
    return 0;
}
