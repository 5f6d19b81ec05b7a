/* A UDP server that says who sent each datagram (address, port, size) and
 * answers with the datagram reversed, until "quit": what a guest sees of a
 * `-p …/udp` forward — the sender's address as the user network shows it,
 * datagrams larger than one frame (IP fragments) — and that its answers
 * reach the sender from the forwarded port. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static char buf[65536];

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 7;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        perror("udp_peer");
        return 1;
    }
    printf("udp peer on port %d\n", port);
    fflush(stdout);
    for (;;) {
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        if (n < 0) {
            perror("recvfrom");
            return 1;
        }
        if (n == 4 && !memcmp(buf, "quit", 4))
            return 0;
        printf("from %s:%u size %zd\n", inet_ntoa(from.sin_addr), ntohs(from.sin_port), n);
        fflush(stdout);
        for (ssize_t i = 0; i < n / 2; i++) {
            char c = buf[i];
            buf[i] = buf[n - 1 - i];
            buf[n - 1 - i] = c;
        }
        if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl) != n) {
            perror("sendto");
            return 1;
        }
    }
}
