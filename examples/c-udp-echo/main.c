/* A UDP echo server with plain BSD sockets: answers every datagram on the
 * port given (default 7) until it receives "quit". */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 7;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
                             .sin_addr.s_addr = htonl(INADDR_ANY) };
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        perror("bind");
        return 1;
    }
    printf("udp echo on port %d\n", port);
    fflush(stdout);
    char buf[2048];
    unsigned long count = 0;
    for (;;) {
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        if (n < 0) {
            perror("recvfrom");
            return 1;
        }
        if (n == 4 && !memcmp(buf, "quit", 4))
            break;
        if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl) != n) {
            perror("sendto");
            return 1;
        }
        count++;
    }
    printf("echoed %lu datagrams\n", count);
    close(fd);
    return 0;
}
