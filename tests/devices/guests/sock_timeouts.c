/* SO_RCVTIMEO and SO_SNDTIMEO as a Linux program sees them, over 127.0.0.1
 * (no NIC needed): recvfrom on a UDP socket nobody sends to, accept on a
 * listener nobody connects to, recv on a connection whose peer says
 * nothing (the accepted socket inherits the listener's timeout) and send to
 * a peer that never reads each give up with EAGAIN once the timeout has
 * passed, not before; getsockopt gives the value back; a datagram that
 * comes within the timeout is received; zero means no timeout; a bad
 * tv_usec is EDOM. Also the socket ioctls FIONREAD and FIONBIO,
 * sendmmsg/recvmmsg, and SO_LINGER's abortive close.
 * Prints "PASS" or what was wrong, with exit status 1.
 * The same source passes as a Linux process. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int failed;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void check(int ok, const char *what)
{
    printf("%s: %s\n", what, ok ? "ok" : "WRONG");
    if (!ok)
        failed = 1;
}

/* A call that should have timed out after ms: -1, EAGAIN, and not early. */
static void timed_out(long r, double t0, double ms, const char *what)
{
    int e = errno;
    double took = now_ms() - t0;
    printf("%s: returned %ld, errno %d, after %.0f ms (timeout %.0f)\n", what, r, r < 0 ? e : 0,
           took, ms);
    check(r == -1 && e == EAGAIN && took >= ms * 0.95 && took < ms + 5000, what);
}

static struct sockaddr_in local(int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int set_timeo(int fd, int opt, long sec, long usec)
{
    struct timeval tv = { .tv_sec = sec, .tv_usec = usec };
    return setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof tv);
}

int main(void)
{
    char buf[256];
    double t0;

    /* UDP: nobody sends */
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ua = local(5000);
    bind(u, (struct sockaddr *)&ua, sizeof ua);
    check(set_timeo(u, SO_RCVTIMEO, 0, 150000) == 0, "setsockopt SO_RCVTIMEO");
    struct timeval got = { 0, 0 };
    socklen_t glen = sizeof got;
    check(getsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &got, &glen) == 0 && glen == sizeof got
          && got.tv_sec == 0 && got.tv_usec >= 150000 && got.tv_usec < 160000,
          "getsockopt SO_RCVTIMEO");        /* Linux rounds it up to its clock ticks */
    t0 = now_ms();
    timed_out(recvfrom(u, buf, sizeof buf, 0, NULL, NULL), t0, 150, "udp recvfrom");

    /* ... and a datagram within the timeout is received */
    int v = socket(AF_INET, SOCK_DGRAM, 0);
    sendto(v, "hi", 2, 0, (struct sockaddr *)&ua, sizeof ua);
    check(recvfrom(u, buf, sizeof buf, 0, NULL, NULL) == 2, "udp datagram within the timeout");
    check(set_timeo(u, SO_RCVTIMEO, 0, 1000000) == -1 && errno == EDOM, "tv_usec 1000000: EDOM");

    /* ioctl: FIONREAD is the next datagram's size; FIONBIO makes it non-blocking */
    int avail = -1, on = 1, off = 0;
    sendto(v, "abc", 3, 0, (struct sockaddr *)&ua, sizeof ua);
    sendto(v, "defgh", 5, 0, (struct sockaddr *)&ua, sizeof ua);
    check(ioctl(u, FIONREAD, &avail) == 0 && avail == 3, "FIONREAD on a datagram socket");
    recv(u, buf, sizeof buf, 0);
    recv(u, buf, sizeof buf, 0);
    check(ioctl(u, FIONBIO, &on) == 0 && recv(u, buf, sizeof buf, 0) == -1 && errno == EAGAIN,
          "FIONBIO: EAGAIN at once");
    ioctl(u, FIONBIO, &off);

    /* sendmmsg/recvmmsg: three datagrams in one call each way */
    char m0[] = "one", m1[] = "three", m2[] = "fifteen", r0[16], r1[16], r2[16], r3[16];
    struct iovec out[3] = { { m0, 3 }, { m1, 5 }, { m2, 7 } };
    struct iovec in[4] = { { r0, 16 }, { r1, 16 }, { r2, 16 }, { r3, 16 } };
    struct mmsghdr sv[3], rv[4];
    memset(sv, 0, sizeof sv);
    memset(rv, 0, sizeof rv);
    for (int i = 0; i < 3; i++) {
        sv[i].msg_hdr.msg_name = &ua;
        sv[i].msg_hdr.msg_namelen = sizeof ua;
        sv[i].msg_hdr.msg_iov = &out[i];
        sv[i].msg_hdr.msg_iovlen = 1;
    }
    for (int i = 0; i < 4; i++) {
        rv[i].msg_hdr.msg_iov = &in[i];
        rv[i].msg_hdr.msg_iovlen = 1;
    }
    check(sendmmsg(v, sv, 3, 0) == 3 && sv[2].msg_len == 7, "sendmmsg");
    check(recvmmsg(u, rv, 4, MSG_WAITFORONE, NULL) == 3 && rv[0].msg_len == 3
          && rv[1].msg_len == 5 && rv[2].msg_len == 7 && !memcmp(r2, "fifteen", 7),
          "recvmmsg with MSG_WAITFORONE");
    check(set_timeo(u, SO_RCVTIMEO, 0, 0) == 0
          && getsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &got, &glen) == 0
          && got.tv_sec == 0 && got.tv_usec == 0, "zero: no timeout");

    /* TCP: accept with nobody connecting */
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in la = local(5001);
    if (bind(l, (struct sockaddr *)&la, sizeof la) || listen(l, 4)) {
        perror("bind/listen");
        return 1;
    }
    set_timeo(l, SO_RCVTIMEO, 0, 100000);
    t0 = now_ms();
    timed_out(accept(l, NULL, NULL), t0, 100, "accept");

    /* a connection whose peer says nothing */
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&la, sizeof la)) {
        perror("connect");
        return 1;
    }
    int a = accept(l, NULL, NULL);
    check(a >= 0, "accept of a connection");
    glen = sizeof got;
    check(getsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &got, &glen) == 0 && got.tv_usec >= 100000
          && got.tv_usec < 110000,
          "the accepted socket inherits SO_RCVTIMEO");
    t0 = now_ms();
    timed_out(recv(a, buf, sizeof buf, 0), t0, 100, "tcp recv");
    send(c, "hello", 5, 0);
    for (int i = 0; i < 100 && (ioctl(a, FIONREAD, &avail) || avail < 5); i++)
        usleep(1000);
    check(avail == 5, "FIONREAD on a stream socket");
    recv(a, buf, sizeof buf, 0);

    /* send to a peer that never reads: the window closes, then send gives up */
    set_timeo(c, SO_SNDTIMEO, 0, 200000);
    static char chunk[65536];
    long total = 0, r;
    for (;;) {              /* a part that fits returns after the timeout, */
        t0 = now_ms();      /* then a send that finds no room at all fails */
        r = send(c, chunk, sizeof chunk, 0);
        if (r < 0 || (total += r) > (256L << 20))
            break;
    }
    printf("sent %ld bytes before the window closed\n", total);
    timed_out(r, t0, 200, "tcp send");

    /* SO_LINGER {1, 0}: close resets the connection; the peer's recv says so */
    int c3 = socket(AF_INET, SOCK_STREAM, 0);
    connect(c3, (struct sockaddr *)&la, sizeof la);
    int a3 = accept(l, NULL, NULL);
    struct linger lg = { 1, 0 }, lgot = { 0, 7 };
    socklen_t lglen = sizeof lgot;
    check(setsockopt(c3, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) == 0
          && getsockopt(c3, SOL_SOCKET, SO_LINGER, &lgot, &lglen) == 0
          && lgot.l_onoff == 1 && lgot.l_linger == 0, "SO_LINGER set and read back");
    close(c3);
    r = recv(a3, buf, sizeof buf, 0);
    check(r == -1 && errno == ECONNRESET, "SO_LINGER 0: the peer sees a reset");
    close(a3);
    close(a);
    close(c);
    close(l);
    close(u);
    close(v);
    printf(failed ? "FAIL\n" : "PASS\n");
    return failed;
}
