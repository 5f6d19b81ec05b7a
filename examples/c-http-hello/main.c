/* An HTTP "hello" server with plain BSD sockets and poll() (no unik API):
 * answers every request on port argv[1] (default 80) with a short text,
 * many connections at once, keep-alive honoured; stops once argv[2]
 * connections have been closed, when given. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CLIENTS 1024
static const char body[] = "Hello from a unik guest!\n";

struct client {
    size_t have;
    char req[2048];
};

static struct pollfd fds[MAX_CLIENTS + 1];
static struct client *clients[MAX_CLIENTS + 1];

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 80;
    long limit = argc > 2 ? atol(argv[2]) : -1;
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 1024) < 0) {
        perror("bind/listen");
        return 1;
    }
    printf("http on port %d\n", port);
    fflush(stdout);
    char resp[256];
    int rlen = snprintf(resp, sizeof resp,
                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                        "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
    long served = 0, closed = 0;
    int n = 1;
    fds[0] = (struct pollfd){ .fd = ls, .events = POLLIN };
    while (limit < 0 || closed < limit) {
        if (poll(fds, (nfds_t)n, -1) < 0) {
            perror("poll");
            return 1;
        }
        if ((fds[0].revents & POLLIN) && n <= MAX_CLIENTS) {
            int c = accept(ls, NULL, NULL);
            if (c >= 0) {
                setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                clients[n] = calloc(1, sizeof(struct client));
                fds[n++] = (struct pollfd){ .fd = c, .events = POLLIN };
            }
        }
        for (int i = 1; i < n; i++) {
            if (!fds[i].revents)
                continue;
            struct client *cl = clients[i];
            ssize_t got = read(fds[i].fd, cl->req + cl->have, sizeof cl->req - 1 - cl->have);
            int done = got <= 0;
            if (!done) {
                cl->have += (size_t)got;
                cl->req[cl->have] = 0;
                char *end;
                while (!done && (end = strstr(cl->req, "\r\n\r\n"))) {
                    /* HTTP/1.0 and "Connection: close" end the connection. */
                    done = strstr(cl->req, "Connection: close") != NULL
                           || strstr(cl->req, "HTTP/1.0\r\n") != NULL;
                    if (write(fds[i].fd, resp, (size_t)rlen) != rlen)
                        done = 1;
                    served++;
                    size_t used = (size_t)(end + 4 - cl->req);
                    memmove(cl->req, end + 4, cl->have - used + 1);
                    cl->have -= used;
                }
                if (cl->have >= sizeof cl->req - 1)
                    done = 1;
            }
            if (done) {
                close(fds[i].fd);
                free(cl);
                closed++;
                n--;
                fds[i] = fds[n];
                clients[i] = clients[n];
                i--;
            }
        }
    }
    printf("served %ld requests on %ld connections\n", served, closed);
    close(ls);
    return 0;
}
