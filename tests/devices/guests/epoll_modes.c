/* epoll's edge-triggered and one-shot modes as a Linux program sees them,
 * over 127.0.0.1 (no NIC needed). EPOLLET: one event for data that came,
 * none while it stays unread, one again when more comes; EPOLLOUT once,
 * not on every wait while the socket stays writable; a listener's event per
 * new connection. EPOLLONESHOT: one event, then none until EPOLL_CTL_MOD.
 * Level-triggered items keep reporting. Prints "PASS" or what was wrong,
 * with exit status 1; the same source passes as a Linux process. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static int failed;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", what, ok ? "ok" : "WRONG");
    if (!ok)
        failed = 1;
}

static struct sockaddr_in local(int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* Events epoll_wait reports now (waiting at most ms), for the item whose
 * data is tag: its event mask, or 0. */
static unsigned wait_for(int ep, int tag, int ms)
{
    struct epoll_event ev[8];
    int n = epoll_wait(ep, ev, 8, ms);
    unsigned got = 0;
    for (int i = 0; i < n; i++)
        if (ev[i].data.fd == tag)
            got |= ev[i].events;
    return got;
}

static void add(int ep, int fd, unsigned events)
{
    struct epoll_event e = { .events = events, .data.fd = fd };
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e))
        perror("epoll_ctl");
}

int main(void)
{
    char buf[64];
    int ep = epoll_create1(0);

    /* UDP, edge-triggered */
    int u = socket(AF_INET, SOCK_DGRAM, 0), v = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ua = local(5100);
    bind(u, (struct sockaddr *)&ua, sizeof ua);
    add(ep, u, EPOLLIN | EPOLLET);
    check(wait_for(ep, u, 0) == 0, "et: nothing before data");
    sendto(v, "a", 1, 0, (struct sockaddr *)&ua, sizeof ua);
    sendto(v, "b", 1, 0, (struct sockaddr *)&ua, sizeof ua);
    check(wait_for(ep, u, 1000) & EPOLLIN, "et: data came");
    check(wait_for(ep, u, 50) == 0, "et: no second event for the same data");
    recv(u, buf, sizeof buf, 0);        /* one of two read: still readable */
    check(wait_for(ep, u, 50) == 0, "et: none while it stays readable");
    sendto(v, "c", 1, 0, (struct sockaddr *)&ua, sizeof ua);
    check(wait_for(ep, u, 1000) & EPOLLIN, "et: more data, a new event");
    while (recv(u, buf, sizeof buf, MSG_DONTWAIT) > 0)
        ;
    sendto(v, "d", 1, 0, (struct sockaddr *)&ua, sizeof ua);
    check(wait_for(ep, u, 1000) & EPOLLIN, "et: data after draining, an event");
    epoll_ctl(ep, EPOLL_CTL_DEL, u, NULL);

    /* one-shot */
    add(ep, u, EPOLLIN | EPOLLONESHOT);
    check(wait_for(ep, u, 1000) & EPOLLIN, "oneshot: the first event");
    sendto(v, "e", 1, 0, (struct sockaddr *)&ua, sizeof ua);
    check(wait_for(ep, u, 50) == 0, "oneshot: then nothing, data or not");
    struct epoll_event re = { .events = EPOLLIN | EPOLLONESHOT, .data.fd = u };
    epoll_ctl(ep, EPOLL_CTL_MOD, u, &re);
    check(wait_for(ep, u, 1000) & EPOLLIN, "oneshot: re-armed by MOD");
    epoll_ctl(ep, EPOLL_CTL_DEL, u, NULL);

    /* level-triggered keeps reporting */
    add(ep, u, EPOLLIN);
    check((wait_for(ep, u, 0) & EPOLLIN) && (wait_for(ep, u, 0) & EPOLLIN),
          "level: every wait while readable");
    epoll_ctl(ep, EPOLL_CTL_DEL, u, NULL);

    /* TCP: a listener's event per connection, EPOLLOUT once */
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in la = local(5101);
    if (bind(l, (struct sockaddr *)&la, sizeof la) || listen(l, 8)) {
        perror("bind/listen");
        return 1;
    }
    add(ep, l, EPOLLIN | EPOLLET);
    int c1 = socket(AF_INET, SOCK_STREAM, 0);
    connect(c1, (struct sockaddr *)&la, sizeof la);
    check(wait_for(ep, l, 1000) & EPOLLIN, "et listener: a connection");
    check(wait_for(ep, l, 50) == 0, "et listener: not again for it");
    int c2 = socket(AF_INET, SOCK_STREAM, 0);
    connect(c2, (struct sockaddr *)&la, sizeof la);
    check(wait_for(ep, l, 1000) & EPOLLIN, "et listener: the next connection");
    int a = accept(l, NULL, NULL);
    add(ep, a, EPOLLIN | EPOLLOUT | EPOLLET);
    unsigned first = wait_for(ep, a, 1000);
    check((first & EPOLLOUT) && !(first & EPOLLIN), "et stream: writable, nothing to read");
    check(wait_for(ep, a, 50) == 0, "et stream: writable is not news");
    send(c1, "hello", 5, 0);
    check(wait_for(ep, a, 1000) & EPOLLIN, "et stream: data came");
    check(wait_for(ep, a, 50) == 0, "et stream: not again for it");
    close(c1);
    check(wait_for(ep, a, 1000) & EPOLLIN, "et stream: the peer's close is news");
    close(a);
    close(c2);
    close(l);
    close(u);
    close(v);
    close(ep);
    printf(failed ? "FAIL\n" : "PASS\n");
    return failed;
}
