/* A TCP client with plain sockets: connects to HOST PORT (the host, through
 * the user network's router), sends a line, prints the answer. Also checks
 * getsockname/getpeername, a refused connection and a non-blocking connect
 * with poll. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHECK(c) do { if (!(c)) { printf("FAIL line %d: %s (errno %d)\n", __LINE__, #c, errno); return 1; } } while (0)

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;
    CHECK(getaddrinfo(argv[1], argv[2], &hints, &ai) == 0);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(fd >= 0);
    CHECK(connect(fd, ai->ai_addr, ai->ai_addrlen) == 0);
    struct sockaddr_in me, peer;
    socklen_t l1 = sizeof me, l2 = sizeof peer;
    CHECK(getsockname(fd, (struct sockaddr *)&me, &l1) == 0 && ntohs(me.sin_port) != 0);
    CHECK(getpeername(fd, (struct sockaddr *)&peer, &l2) == 0);
    printf("connected %s:%d", inet_ntoa(me.sin_addr), ntohs(me.sin_port));
    printf(" -> %s:%d\n", inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));
    const char *line = "ping from the guest\n";
    CHECK(send(fd, line, strlen(line), 0) == (ssize_t)strlen(line));
    char buf[256];
    size_t have = 0;
    ssize_t n;
    while ((n = recv(fd, buf + have, sizeof buf - 1 - have, 0)) > 0)
        have += (size_t)n;
    CHECK(n == 0);
    buf[have] = 0;
    printf("answer: %s", buf);
    CHECK(close(fd) == 0);
    /* non-blocking connect + poll */
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    CHECK(connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno == EINPROGRESS);
    struct pollfd p = { .fd = fd, .events = POLLOUT };
    CHECK(poll(&p, 1, 5000) == 1 && (p.revents & POLLOUT));
    int err = -1;
    socklen_t el = sizeof err;
    CHECK(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0);
    close(fd);
    /* a refused connection: a port nobody listens on */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in bad = *(struct sockaddr_in *)ai->ai_addr;
    bad.sin_port = htons(1);
    CHECK(connect(fd, (struct sockaddr *)&bad, sizeof bad) < 0);
    printf("refused: errno %d\n", errno);
    close(fd);
    printf("SUCCESS\n");
    return 0;
}
