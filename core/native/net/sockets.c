/*
 * sockets.c — BSD sockets over lwIP's raw API, as Linux system calls.
 *
 * AF_INET stream (TCP) and datagram (UDP) sockets are file descriptors of
 * the core's fd table (kernel/fdtab.c), so read/write/close/fcntl work on
 * them too. There is one thread: a call that must wait ("blocking") drives
 * the stack itself (net_wait: sleep in unik_yield until a frame, lwIP's next
 * timer or the call's deadline), so a program blocked in accept() still
 * answers ARP and retransmits; SO_RCVTIMEO/SO_SNDTIMEO bound that wait as
 * on Linux (EAGAIN, or EINPROGRESS for connect). poll/ppoll/select/pselect6
 * and epoll work over sockets and the console fds; epoll also
 * edge-triggered (EPOLLET: an event when a readiness bit rises or new input
 * arrives, as Linux reports them) and one-shot (EPOLLONESHOT: off after one
 * event until EPOLL_CTL_MOD).
 *
 * Received TCP data stays in lwIP's pbufs until read (the window opens as
 * the application reads); UDP datagrams queue per socket (at most
 * UDP_QUEUE, then dropped as a full socket buffer drops them).
 */
#include <errno.h>
#include <unik/kernel.h>
#include "../kernel/fdtab.h"
#include "lwip/ip4_addr.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "net.h"

#define MAX_SOCKS 1200
#define UDP_QUEUE 256
#define MAX_DGRAMS 4096

/* Linux ABI values */
#define L_AF_INET 2
#define L_SOCK_STREAM 1
#define L_SOCK_DGRAM 2
#define L_SOCK_NONBLOCK 04000
#define L_SOCK_CLOEXEC 02000000
#define L_O_NONBLOCK 04000
#define L_MSG_PEEK 0x2
#define L_MSG_TRUNC 0x20
#define L_MSG_DONTWAIT 0x40
#define L_MSG_NOSIGNAL 0x4000
#define L_MSG_WAITFORONE 0x10000
#define L_SOL_SOCKET 1
#define L_SO_REUSEADDR 2
#define L_SO_TYPE 3
#define L_SO_ERROR 4
#define L_SO_SNDBUF 7
#define L_SO_RCVBUF 8
#define L_SO_KEEPALIVE 9
#define L_SO_LINGER 13
#define L_SO_REUSEPORT 15
#define L_SO_ACCEPTCONN 30
#define L_SO_RCVTIMEO 20                /* struct timeval; the _NEW (64-bit time) */
#define L_SO_SNDTIMEO 21                /* variants, 66 and 67, have the same layout */
#define L_SO_RCVTIMEO_NEW 66            /* on x86_64 */
#define L_SO_SNDTIMEO_NEW 67
#define L_IPPROTO_TCP 6
#define L_TCP_NODELAY 1
#define L_SHUT_RD 0
#define L_SHUT_WR 1
#define L_SHUT_RDWR 2
#define POLLIN 0x1
#define POLLPRI 0x2
#define POLLOUT 0x4
#define POLLERR 0x8
#define POLLHUP 0x10
#define POLLNVAL 0x20
#define POLLRDHUP 0x2000

/* system-call numbers (syscall_64.tbl) */
enum {
    SYS_poll = 7, SYS_select = 23, SYS_socket = 41, SYS_connect = 42, SYS_accept = 43,
    SYS_sendto = 44, SYS_recvfrom = 45, SYS_sendmsg = 46, SYS_recvmsg = 47,
    SYS_shutdown = 48, SYS_bind = 49, SYS_listen = 50, SYS_getsockname = 51,
    SYS_getpeername = 52, SYS_socketpair = 53, SYS_setsockopt = 54, SYS_getsockopt = 55,
    SYS_epoll_create = 213, SYS_epoll_wait = 232, SYS_epoll_ctl = 233, SYS_pselect6 = 270,
    SYS_ppoll = 271, SYS_epoll_pwait = 281, SYS_accept4 = 288, SYS_epoll_create1 = 291,
    SYS_recvmmsg = 299, SYS_sendmmsg = 307,
};

struct l_sockaddr_in {
    uint16_t family;
    uint16_t port;                      /* network order */
    uint32_t addr;                      /* network order */
    uint8_t zero[8];
};

struct l_msghdr {
    void *name;
    uint32_t namelen;
    struct l_iovec *iov;
    uint64_t iovlen;
    void *control;
    uint64_t controllen;
    int flags;
};

struct l_mmsghdr {
    struct l_msghdr hdr;
    uint32_t len;                       /* bytes sent or received */
};

struct l_pollfd {
    int fd;
    short events, revents;
};

struct dgram {
    struct dgram *next;
    struct pbuf *p;
    ip_addr_t addr;
    u16_t port;
};

enum { S_NEW, S_LISTEN, S_CONNECTING, S_CONNECTED, S_CLOSED };

struct sock {
    int used;
    int type;
    int state;
    int err;                            /* pending error, positive errno */
    struct tcp_pcb *tcp;
    struct udp_pcb *udp;
    struct pbuf *rx;                    /* TCP: data not yet read */
    int rx_fin;
    int shut_rd, shut_wr;
    struct sock *aq_head, *aq_tail, *aq_next;   /* accept queue (listener) / link */
    int aq_len, backlog;
    struct dgram *dq_head, *dq_tail;
    int dq_len;
    int udp_connected;
    ip_addr_t peer;
    u16_t peer_port;
    unik_time_t rcvtimeo, sndtimeo;     /* ns a blocking call waits; 0: for ever */
    uint32_t arrivals;                  /* input, connections, errors so far (EPOLLET) */
    int linger_on, linger_s;            /* SO_LINGER */
};

static struct sock socks[MAX_SOCKS];
static struct dgram dgrams[MAX_DGRAMS];
static struct dgram *free_dgrams;
static int dgrams_ready;

static struct sock *sock_alloc(int type)
{
    for (int i = 0; i < MAX_SOCKS; i++)
        if (!socks[i].used) {
            kmemset(&socks[i], 0, sizeof socks[i]);
            socks[i].used = 1;
            socks[i].type = type;
            return &socks[i];
        }
    return 0;
}

static long lwip_errno(err_t e)
{
    switch (e) {
    case ERR_OK: return 0;
    case ERR_MEM: case ERR_BUF: return ENOMEM;
    case ERR_TIMEOUT: return ETIMEDOUT;
    case ERR_RTE: return EHOSTUNREACH;
    case ERR_INPROGRESS: return EINPROGRESS;
    case ERR_VAL: return EINVAL;
    case ERR_WOULDBLOCK: return EWOULDBLOCK;
    case ERR_USE: return EADDRINUSE;
    case ERR_ALREADY: return EALREADY;
    case ERR_ISCONN: return EISCONN;
    case ERR_CONN: return ENOTCONN;
    case ERR_IF: return ENETDOWN;
    case ERR_ABRT: return ECONNABORTED;
    case ERR_RST: return ECONNRESET;
    case ERR_CLSD: return ENOTCONN;
    case ERR_ARG: return EINVAL;
    default: return EIO;
    }
}

/* ---- lwIP callbacks ---- */

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct sock *s = arg;
    (void)pcb;
    if (!s) {
        if (p)
            pbuf_free(p);
        return ERR_OK;
    }
    s->arrivals++;
    if (!p || err != ERR_OK) {
        s->rx_fin = 1;
        if (p)
            pbuf_free(p);
        return ERR_OK;
    }
    if (s->shut_rd) {                   /* nobody will read it */
        tcp_recved(pcb, p->tot_len);
        pbuf_free(p);
        return ERR_OK;
    }
    if (s->rx)
        pbuf_cat(s->rx, p);
    else
        s->rx = p;
    return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
    struct sock *s = arg;
    if (!s)
        return;
    s->tcp = 0;                         /* lwIP freed it */
    s->arrivals++;
    s->err = s->state == S_CONNECTING && err == ERR_RST ? ECONNREFUSED : (int)lwip_errno(err);
    s->state = S_CLOSED;
    s->rx_fin = 1;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct sock *s = arg;
    (void)pcb;
    if (s) {
        s->state = err == ERR_OK ? S_CONNECTED : S_CLOSED;
        s->err = (int)lwip_errno(err);
    }
    return ERR_OK;
}

static void tcp_hooks(struct sock *s, struct tcp_pcb *pcb)
{
    s->tcp = pcb;
    tcp_arg(pcb, s);
    tcp_recv(pcb, on_recv);
    tcp_err(pcb, on_err);
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct sock *l = arg;
    if (err != ERR_OK || !pcb || !l || l->aq_len >= l->backlog)
        return ERR_MEM;                 /* lwIP aborts the connection */
    struct sock *s = sock_alloc(L_SOCK_STREAM);
    if (!s)
        return ERR_MEM;
    s->state = S_CONNECTED;
    s->rcvtimeo = l->rcvtimeo;          /* inherited, as Linux's accepted sockets do */
    s->sndtimeo = l->sndtimeo;
    tcp_hooks(s, pcb);
    if (l->aq_tail)
        l->aq_tail->aq_next = s;
    else
        l->aq_head = s;
    l->aq_tail = s;
    l->aq_len++;
    l->arrivals++;
    return ERR_OK;
}

static void on_udp(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                   u16_t port)
{
    struct sock *s = arg;
    (void)pcb;
    if (!dgrams_ready) {
        for (int i = 0; i < MAX_DGRAMS; i++) {
            dgrams[i].next = free_dgrams;
            free_dgrams = &dgrams[i];
        }
        dgrams_ready = 1;
    }
    if (!s || s->shut_rd || s->dq_len >= UDP_QUEUE || !free_dgrams) {
        pbuf_free(p);
        return;
    }
    if (s->udp_connected && (!ip_addr_cmp(addr, &s->peer) || port != s->peer_port)) {
        pbuf_free(p);
        return;
    }
    struct dgram *d = free_dgrams;
    free_dgrams = d->next;
    d->next = 0;
    d->p = p;
    ip_addr_copy(d->addr, *addr);
    d->port = port;
    if (s->dq_tail)
        s->dq_tail->next = d;
    else
        s->dq_head = d;
    s->dq_tail = d;
    s->dq_len++;
    s->arrivals++;
}

/* ---- helpers ---- */

static struct sock *sock_of(long fd, struct file **fp);

static int nonblocking(struct file *f, long flags)
{
    return (f->flags & L_O_NONBLOCK) || (flags & L_MSG_DONTWAIT);
}

/* When a blocking call with timeout timeo (SO_RCVTIMEO/SO_SNDTIMEO) gives up. */
static unik_time_t call_deadline(unik_time_t timeo)
{
    return timeo ? unik_clock_monotonic() + timeo : ~0ull;
}

/* A blocking call's wait for the stack: 0, or -EAGAIN once deadline passed. */
static long wait_until(unik_time_t deadline)
{
    if (deadline != ~0ull && unik_clock_monotonic() >= deadline)
        return -EAGAIN;
    net_wait(deadline);
    return 0;
}

static long get_addr(const void *addr, uint64_t len, ip_addr_t *ip, u16_t *port)
{
    const struct l_sockaddr_in *a = addr;
    if (!a || len < sizeof *a)
        return -EINVAL;
    if (a->family != L_AF_INET)
        return -EAFNOSUPPORT;
    ip_addr_set_ip4_u32(ip, a->addr);
    *port = lwip_ntohs(a->port);
    return 0;
}

static long put_addr(void *addr, uint32_t *len, const ip_addr_t *ip, u16_t port)
{
    if (!addr || !len)
        return addr || len ? -EFAULT : 0;
    struct l_sockaddr_in a = { .family = L_AF_INET, .port = lwip_htons(port),
                               .addr = ip ? ip4_addr_get_u32(ip_2_ip4(ip)) : 0 };
    uint32_t n = *len < sizeof a ? *len : (uint32_t)sizeof a;
    kmemcpy(addr, &a, n);
    *len = sizeof a;
    return 0;
}

static void free_rx(struct sock *s)
{
    if (s->rx)
        pbuf_free(s->rx);
    s->rx = 0;
    while (s->dq_head) {
        struct dgram *d = s->dq_head;
        s->dq_head = d->next;
        pbuf_free(d->p);
        d->next = free_dgrams;
        free_dgrams = d;
    }
    s->dq_tail = 0;
    s->dq_len = 0;
}

static void sock_release(struct sock *s)
{
    if (s->tcp) {
        tcp_arg(s->tcp, 0);
        if (s->state == S_LISTEN) {
            tcp_accept(s->tcp, 0);      /* a listening pcb has no recv/err callbacks */
        } else {
            tcp_recv(s->tcp, 0);
            tcp_err(s->tcp, 0);
        }
        /* SO_LINGER with a zero time: a reset, no TIME_WAIT (as Linux) */
        int reset = s->linger_on && s->linger_s == 0 && s->state == S_CONNECTED;
        if (reset || tcp_close(s->tcp) != ERR_OK)
            tcp_abort(s->tcp);
        s->tcp = 0;
    }
    while (s->aq_head) {                /* connections never accepted */
        struct sock *c = s->aq_head;
        s->aq_head = c->aq_next;
        if (c->tcp) {
            tcp_arg(c->tcp, 0);
            tcp_abort(c->tcp);
        }
        free_rx(c);
        c->used = 0;
    }
    if (s->udp) {
        udp_remove(s->udp);
        s->udp = 0;
    }
    free_rx(s);
    s->used = 0;
}

/* ---- file operations ---- */

static long sock_recv(struct file *f, struct sock *s, void *buf, size_t len, long flags,
                      void *addr, uint32_t *alen);
static long sock_send(struct file *f, struct sock *s, const void *buf, size_t len, long flags,
                      const void *addr, uint64_t alen);

static long f_read(struct file *f, void *buf, size_t len, int64_t off)
{
    (void)off;
    return sock_recv(f, f->obj, buf, len, 0, 0, 0);
}

static long f_write(struct file *f, const void *buf, size_t len, int64_t off)
{
    (void)off;
    return sock_send(f, f->obj, buf, len, 0, 0, 0);
}

static long f_fstat(struct file *f, struct l_stat *st)
{
    st->st_mode = 0140000 | 0777;       /* S_IFSOCK */
    st->st_ino = (uint64_t)((struct sock *)f->obj - socks) + 1000;
    st->st_blksize = 4096;
    st->st_nlink = 1;
    return 0;
}

/* SO_LINGER with a positive time, at close, as Linux: wait, driving the
 * stack, until the peer has acknowledged what was sent or the time is up
 * (a zero time resets the connection: sock_release). */
static void linger(struct sock *s)
{
    if (!s->linger_on || !s->linger_s || !s->tcp || s->state != S_CONNECTED)
        return;
    unik_time_t end = unik_clock_monotonic() + (unik_time_t)s->linger_s * 1000000000ull;
    tcp_output(s->tcp);
    while (s->tcp && (s->tcp->unsent || s->tcp->unacked) && unik_clock_monotonic() < end)
        net_wait(end);
}

static void f_close(struct file *f)
{
    linger(f->obj);
    sock_release(f->obj);
}

/* The socket ioctls programs use: FIONREAD (bytes to read; a datagram
 * socket: the next datagram's size, as Linux), TIOCOUTQ (bytes not yet
 * acknowledged), FIONBIO (O_NONBLOCK), SIOCATMARK (no urgent data here). */
static long f_ioctl(struct file *f, unsigned long req, void *arg)
{
    struct sock *s = f->obj;
    if (!arg)
        return -EFAULT;
    switch (req) {
    case 0x541b:                        /* FIONREAD */
        net_poll();
        if (s->type == L_SOCK_DGRAM)
            *(int *)arg = s->dq_head ? s->dq_head->p->tot_len : 0;
        else if (s->state == S_LISTEN)
            return -EINVAL;
        else
            *(int *)arg = s->rx ? s->rx->tot_len : 0;
        return 0;
    case 0x5411:                        /* TIOCOUTQ */
        *(int *)arg = s->tcp && s->state != S_LISTEN ? TCP_SND_BUF - tcp_sndbuf(s->tcp) : 0;
        return 0;
    case 0x5421:                        /* FIONBIO */
        if (*(const int *)arg)
            f->flags |= L_O_NONBLOCK;
        else
            f->flags &= ~L_O_NONBLOCK;
        return 0;
    case 0x8905:                        /* SIOCATMARK */
        *(int *)arg = 0;
        return 0;
    default:
        return -ENOTTY;
    }
}

static const struct file_ops sock_ops = {
    .read = f_read, .write = f_write, .fstat = f_fstat, .ioctl = f_ioctl, .close = f_close,
};

static struct sock *sock_of(long fd, struct file **fp)
{
    struct file *f = fd_get(fd);
    if (!f || f->ops != &sock_ops)
        return 0;
    if (fp)
        *fp = f;
    return f->obj;
}

/* ---- the calls ---- */

static long sys_socket(long domain, long type, long proto)
{
    if (domain != L_AF_INET)
        return -EAFNOSUPPORT;
    int kind = (int)(type & 0xf);
    if (kind != L_SOCK_STREAM && kind != L_SOCK_DGRAM)
        return -EPROTONOSUPPORT;
    if (proto && proto != (kind == L_SOCK_STREAM ? 6 : 17))
        return -EPROTONOSUPPORT;
    if (net_up())
        return -ENETDOWN;
    struct sock *s = sock_alloc(kind);
    if (!s)
        return -ENFILE;
    if (kind == L_SOCK_STREAM) {
        struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
        if (!pcb) {
            s->used = 0;
            return -ENOMEM;
        }
        tcp_hooks(s, pcb);
    } else {
        s->udp = udp_new_ip_type(IPADDR_TYPE_V4);
        if (!s->udp) {
            s->used = 0;
            return -ENOMEM;
        }
        udp_recv(s->udp, on_udp, s);
    }
    long fd = fd_install(&sock_ops, s, L_O_RDWR | (int)(type & L_SOCK_NONBLOCK));
    if (fd < 0)
        sock_release(s);
    return fd;
}

static long sys_bind(struct sock *s, const void *addr, uint64_t len)
{
    ip_addr_t ip;
    u16_t port;
    long r = get_addr(addr, len, &ip, &port);
    if (r)
        return r;
    err_t e;
    if (s->type == L_SOCK_STREAM) {
        if (!s->tcp || s->state != S_NEW)
            return -EINVAL;
        e = tcp_bind(s->tcp, &ip, port);
    } else {
        e = udp_bind(s->udp, &ip, port);
    }
    return -lwip_errno(e);
}

static long sys_listen(struct sock *s, long backlog)
{
    if (s->type != L_SOCK_STREAM)
        return -EOPNOTSUPP;
    if (backlog <= 0 || backlog > 4096)
        backlog = backlog <= 0 ? 1 : 4096;
    if (s->state == S_LISTEN) {
        s->backlog = (int)backlog;
        return 0;
    }
    if (!s->tcp || s->state != S_NEW)
        return -EINVAL;
    if (s->tcp->local_port == 0 && tcp_bind(s->tcp, IP_ADDR_ANY, 0) != ERR_OK)
        return -EADDRINUSE;
    err_t e;
    struct tcp_pcb *l = tcp_listen_with_backlog_and_err(s->tcp, 255, &e);
    if (!l)
        return -lwip_errno(e);
    s->tcp = l;
    s->state = S_LISTEN;
    s->backlog = (int)backlog;
    tcp_arg(l, s);
    tcp_accept(l, on_accept);
    return 0;
}

static long sys_accept(struct file *f, struct sock *s, void *addr, uint32_t *alen, long flags)
{
    if (s->state != S_LISTEN)
        return -EINVAL;
    unik_time_t deadline = call_deadline(s->rcvtimeo);
    while (!s->aq_head) {
        if (f->flags & L_O_NONBLOCK)
            return -EAGAIN;
        long r = wait_until(deadline);
        if (r)
            return r;
    }
    struct sock *c = s->aq_head;
    long fd = fd_install(&sock_ops, c, L_O_RDWR | (int)(flags & L_SOCK_NONBLOCK));
    if (fd < 0)
        return fd;
    s->aq_head = c->aq_next;
    if (!s->aq_head)
        s->aq_tail = 0;
    s->aq_len--;
    c->aq_next = 0;
    if (addr && c->tcp)
        put_addr(addr, alen, &c->tcp->remote_ip, c->tcp->remote_port);
    else if (addr)
        put_addr(addr, alen, 0, 0);
    return fd;
}

static long sys_connect(struct file *f, struct sock *s, const void *addr, uint64_t len)
{
    ip_addr_t ip;
    u16_t port;
    long r = get_addr(addr, len, &ip, &port);
    if (r)
        return r;
    if (s->type == L_SOCK_DGRAM) {
        if (udp_connect(s->udp, &ip, port) != ERR_OK)
            return -EINVAL;
        s->udp_connected = 1;
        ip_addr_copy(s->peer, ip);
        s->peer_port = port;
        return 0;
    }
    if (s->state == S_CONNECTED)
        return -EISCONN;
    if (s->state == S_CONNECTING)
        return -EALREADY;
    if (s->state != S_NEW || !s->tcp)
        return s->err ? -s->err : -EINVAL;
    err_t e = tcp_connect(s->tcp, &ip, port, on_connected);
    if (e != ERR_OK)
        return -lwip_errno(e);
    s->state = S_CONNECTING;
    if (f->flags & L_O_NONBLOCK)
        return -EINPROGRESS;
    unik_time_t deadline = call_deadline(s->sndtimeo);
    while (s->state == S_CONNECTING)
        if (wait_until(deadline))
            return -EINPROGRESS;        /* Linux's answer: it goes on connecting */
    if (s->state != S_CONNECTED) {
        long err = s->err ? s->err : ECONNREFUSED;
        s->err = 0;
        return -err;
    }
    return 0;
}

static long sock_recv(struct file *f, struct sock *s, void *buf, size_t len, long flags,
                      void *addr, uint32_t *alen)
{
    if (!buf && len)
        return -EFAULT;
    net_poll();
    unik_time_t deadline = call_deadline(s->rcvtimeo);
    long r;
    if (s->type == L_SOCK_DGRAM) {
        while (!s->dq_head) {
            if (s->shut_rd)
                return 0;
            if (nonblocking(f, flags))
                return -EAGAIN;
            if ((r = wait_until(deadline)))
                return r;
        }
        struct dgram *d = s->dq_head;
        size_t n = d->p->tot_len < len ? d->p->tot_len : len;
        pbuf_copy_partial(d->p, buf, (u16_t)n, 0);
        long ret = (flags & L_MSG_TRUNC) ? d->p->tot_len : (long)n;
        if (addr)
            put_addr(addr, alen, &d->addr, d->port);
        if (!(flags & L_MSG_PEEK)) {
            s->dq_head = d->next;
            if (!s->dq_head)
                s->dq_tail = 0;
            s->dq_len--;
            pbuf_free(d->p);
            d->next = free_dgrams;
            free_dgrams = d;
        }
        return ret;
    }
    if (s->state == S_LISTEN || s->state == S_NEW || s->state == S_CONNECTING)
        return -ENOTCONN;
    while (!s->rx) {
        if (s->rx_fin || s->shut_rd) {
            if (s->err && s->err != ENOTCONN) {
                long e = s->err;
                s->err = 0;
                return e == ECONNABORTED ? 0 : -e;
            }
            return 0;
        }
        if (nonblocking(f, flags))
            return -EAGAIN;
        if ((r = wait_until(deadline)))
            return r;
    }
    size_t n = s->rx->tot_len < len ? s->rx->tot_len : len;
    pbuf_copy_partial(s->rx, buf, (u16_t)n, 0);
    if (addr && s->tcp)
        put_addr(addr, alen, &s->tcp->remote_ip, s->tcp->remote_port);
    if (!(flags & L_MSG_PEEK)) {
        s->rx = pbuf_free_header(s->rx, (u16_t)n);
        if (s->tcp)
            tcp_recved(s->tcp, (u16_t)n);
    }
    return (long)n;
}

static long sock_send(struct file *f, struct sock *s, const void *buf, size_t len, long flags,
                      const void *addr, uint64_t alen)
{
    if (!buf && len)
        return -EFAULT;
    if (s->type == L_SOCK_DGRAM) {
        ip_addr_t ip;
        u16_t port;
        if (addr) {
            long r = get_addr(addr, alen, &ip, &port);
            if (r)
                return r;
        } else if (!s->udp_connected) {
            return -EDESTADDRREQ;
        }
        if (len > 65507)
            return -EMSGSIZE;
        if (s->shut_wr)
            return -EPIPE;
        struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
        if (!p)
            return -ENOMEM;
        pbuf_take(p, buf, (u16_t)len);
        err_t e = addr ? udp_sendto(s->udp, p, &ip, port) : udp_send(s->udp, p);
        pbuf_free(p);
        return e == ERR_OK ? (long)len : -lwip_errno(e);
    }
    size_t sent = 0;
    unik_time_t deadline = call_deadline(s->sndtimeo);
    while (sent < len) {
        if (s->shut_wr || s->state == S_CLOSED || !s->tcp) {
            long e = s->err && s->err != ENOTCONN ? s->err : EPIPE;
            return sent ? (long)sent : -e;
        }
        if (s->state != S_CONNECTED)
            return -ENOTCONN;
        size_t room = tcp_sndbuf(s->tcp);
        if (room == 0 || tcp_sndqueuelen(s->tcp) >= TCP_SND_QUEUELEN - 4) {
            tcp_output(s->tcp);
            if (nonblocking(f, flags) || wait_until(deadline))
                return sent ? (long)sent : -EAGAIN;
            continue;
        }
        size_t n = len - sent < room ? len - sent : room;
        if (n > 0xffff)
            n = 0xffff;
        u8_t wf = TCP_WRITE_FLAG_COPY | (sent + n < len ? TCP_WRITE_FLAG_MORE : 0);
        err_t e = tcp_write(s->tcp, (const uint8_t *)buf + sent, (u16_t)n, wf);
        if (e == ERR_MEM) {
            tcp_output(s->tcp);
            if (nonblocking(f, flags) || wait_until(deadline))
                return sent ? (long)sent : -EAGAIN;
            continue;
        }
        if (e != ERR_OK)
            return sent ? (long)sent : -lwip_errno(e);
        sent += n;
    }
    if (s->tcp)
        tcp_output(s->tcp);
    return (long)sent;
}

static long sys_shutdown(struct sock *s, long how)
{
    if (how < L_SHUT_RD || how > L_SHUT_RDWR)
        return -EINVAL;
    if (s->type == L_SOCK_STREAM && s->state != S_CONNECTED)
        return -ENOTCONN;
    if (how != L_SHUT_WR) {
        s->shut_rd = 1;
        if (s->rx && s->tcp)
            tcp_recved(s->tcp, s->rx->tot_len);
        free_rx(s);
    }
    if (how != L_SHUT_RD)
        s->shut_wr = 1;
    if (s->tcp)
        tcp_shutdown(s->tcp, how != L_SHUT_WR, how != L_SHUT_RD);
    return 0;
}

static long sys_name(struct sock *s, void *addr, uint32_t *len, int peer)
{
    if (s->type == L_SOCK_STREAM) {
        if (!s->tcp)
            return peer ? -ENOTCONN : put_addr(addr, len, 0, 0);
        if (peer && s->state != S_CONNECTED)
            return -ENOTCONN;
        return peer ? put_addr(addr, len, &s->tcp->remote_ip, s->tcp->remote_port)
                    : put_addr(addr, len, &s->tcp->local_ip, s->tcp->local_port);
    }
    if (peer)
        return s->udp_connected ? put_addr(addr, len, &s->peer, s->peer_port) : -ENOTCONN;
    return put_addr(addr, len, &s->udp->local_ip, s->udp->local_port);
}

/* The field SO_RCVTIMEO/SO_SNDTIMEO (either spelling) set, or 0 for another option. */
static unik_time_t *timeo_of(struct sock *s, long level, long opt)
{
    if (level != L_SOL_SOCKET)
        return 0;
    if (opt == L_SO_RCVTIMEO || opt == L_SO_RCVTIMEO_NEW)
        return &s->rcvtimeo;
    if (opt == L_SO_SNDTIMEO || opt == L_SO_SNDTIMEO_NEW)
        return &s->sndtimeo;
    return 0;
}

/* An option's value out to getsockopt's buffer: what fits, as Linux copies it. */
static long opt_out(void *val, uint32_t *len, const void *v, uint32_t size)
{
    uint32_t n = *len < size ? *len : size;
    kmemcpy(val, v, n);
    *len = n;
    return 0;
}

/* SO_RCVTIMEO/SO_SNDTIMEO's value as Linux reads it: usec outside [0, 1e6)
 * is EDOM, a negative time means "do not wait", zero "for ever". */
static long set_timeo(unik_time_t *timeo, const void *val, uint64_t len)
{
    struct l_timeval tv;
    if (len < sizeof tv)
        return -EINVAL;
    kmemcpy(&tv, val, sizeof tv);
    if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
        return -EDOM;
    if (tv.tv_sec < 0)
        *timeo = 1;
    else if ((uint64_t)tv.tv_sec > 1000000000ull * 86400)
        *timeo = 0;                     /* beyond any wait: for ever */
    else
        *timeo = (uint64_t)tv.tv_sec * 1000000000ull + (uint64_t)tv.tv_usec * 1000;
    return 0;
}

static long sys_setsockopt(struct sock *s, long level, long opt, const void *val, uint64_t len)
{
    unik_time_t *timeo = timeo_of(s, level, opt);
    if (val && timeo)
        return set_timeo(timeo, val, len);
    if (val && level == L_SOL_SOCKET && opt == L_SO_LINGER) {
        if (len < 8)
            return -EINVAL;
        const int *lg = val;
        s->linger_on = lg[0] != 0;
        s->linger_s = lg[1] < 0 ? 0 : lg[1];
        return 0;
    }
    int v = (val && len >= 4) ? *(const int *)val : 0;
    if (!val || len < 4)
        return -EINVAL;
    if (level == L_SOL_SOCKET) {
        switch (opt) {
        case L_SO_REUSEADDR:
        case L_SO_REUSEPORT:
            if (s->tcp) {
                if (v)
                    ip_set_option(s->tcp, SOF_REUSEADDR);
                else
                    ip_reset_option(s->tcp, SOF_REUSEADDR);
            } else if (s->udp) {
                if (v)
                    ip_set_option(s->udp, SOF_REUSEADDR);
                else
                    ip_reset_option(s->udp, SOF_REUSEADDR);
            }
            return 0;
        case L_SO_KEEPALIVE:
            if (s->tcp) {
                if (v)
                    ip_set_option(s->tcp, SOF_KEEPALIVE);
                else
                    ip_reset_option(s->tcp, SOF_KEEPALIVE);
            }
            return 0;
        default:
            return 0;                   /* buffer sizes, linger, …: accepted, fixed */
        }
    }
    if (level == L_IPPROTO_TCP && opt == L_TCP_NODELAY) {
        if (s->tcp && s->state != S_LISTEN) {
            if (v)
                tcp_nagle_disable(s->tcp);
            else
                tcp_nagle_enable(s->tcp);
        }
        return 0;
    }
    return 0;
}

static long sys_getsockopt(struct sock *s, long level, long opt, void *val, uint32_t *len)
{
    if (!val || !len || *len < 4)
        return -EINVAL;
    const unik_time_t *timeo = timeo_of(s, level, opt);
    if (timeo) {
        struct l_timeval tv = { (int64_t)(*timeo / 1000000000ull),
                                (int64_t)(*timeo % 1000000000ull / 1000) };
        return opt_out(val, len, &tv, sizeof tv);
    }
    if (level == L_SOL_SOCKET && opt == L_SO_LINGER) {
        int lg[2] = { s->linger_on, s->linger_s };
        return opt_out(val, len, lg, sizeof lg);
    }
    int v = 0;
    if (level == L_SOL_SOCKET) {
        switch (opt) {
        case L_SO_ERROR:
            v = s->err == ENOTCONN ? 0 : s->err;
            s->err = 0;
            break;
        case L_SO_TYPE: v = s->type; break;
        case L_SO_RCVBUF: v = TCP_WND; break;
        case L_SO_SNDBUF: v = TCP_SND_BUF; break;
        case L_SO_ACCEPTCONN: v = s->state == S_LISTEN; break;
        case L_SO_REUSEADDR:
            v = s->tcp ? ip_get_option(s->tcp, SOF_REUSEADDR) != 0 : 0;
            break;
        case L_SO_KEEPALIVE:
            v = s->tcp ? ip_get_option(s->tcp, SOF_KEEPALIVE) != 0 : 0;
            break;
        default: return -ENOPROTOOPT;
        }
    } else if (level == L_IPPROTO_TCP && opt == L_TCP_NODELAY) {
        v = s->tcp && s->state != S_LISTEN ? tcp_nagle_disabled(s->tcp) != 0 : 0;
    } else {
        return -ENOPROTOOPT;
    }
    return opt_out(val, len, &v, sizeof v);
}

static long msg_io(struct file *f, struct sock *s, struct l_msghdr *m, long flags, int send)
{
    if (!m || m->iovlen > 1024)
        return -EINVAL;
    /* One datagram / one stream chunk: gather into a bounce buffer for
     * several iovecs (UDP must go as one datagram). */
    static uint8_t bounce[65536];
    size_t total = 0;
    for (uint64_t i = 0; i < m->iovlen; i++)
        total += m->iov[i].len;
    if (m->iovlen == 1 || total == 0) {
        void *b = m->iovlen ? m->iov[0].base : bounce;
        long r = send ? sock_send(f, s, b, total, flags, m->name, m->namelen)
                      : sock_recv(f, s, b, total, flags, m->name, &m->namelen);
        if (!send)
            m->controllen = 0, m->flags = 0;
        return r;
    }
    if (total > sizeof bounce)
        total = sizeof bounce;
    if (send) {
        size_t off = 0;
        for (uint64_t i = 0; i < m->iovlen && off < total; i++) {
            size_t n = m->iov[i].len < total - off ? m->iov[i].len : total - off;
            kmemcpy(bounce + off, m->iov[i].base, n);
            off += n;
        }
        return sock_send(f, s, bounce, total, flags, m->name, m->namelen);
    }
    long r = sock_recv(f, s, bounce, total, flags, m->name, &m->namelen);
    m->controllen = 0;
    m->flags = 0;
    if (r <= 0)
        return r;
    size_t off = 0;
    for (uint64_t i = 0; i < m->iovlen && off < (size_t)r; i++) {
        size_t n = m->iov[i].len < (size_t)r - off ? m->iov[i].len : (size_t)r - off;
        kmemcpy(m->iov[i].base, bounce + off, n);
        off += n;
    }
    return r;
}

static unik_time_t deadline_ts(const struct l_timespec *ts);

/* sendmmsg/recvmmsg: msg_io over a vector, as Linux: the count done, or the
 * first message's error. recvmmsg blocks for each message unless
 * MSG_WAITFORONE (then only for the first) and stops once its timeout has
 * passed after a message. */
static long mmsg_io(struct file *f, struct sock *s, struct l_mmsghdr *v, uint64_t vlen,
                    long flags, const struct l_timespec *timeout, int send)
{
    if (!v && vlen)
        return -EFAULT;
    if (vlen > 1024)
        vlen = 1024;
    if (timeout && (timeout->tv_sec < 0 || timeout->tv_nsec < 0
                    || timeout->tv_nsec >= 1000000000))
        return -EINVAL;
    unik_time_t end = deadline_ts(timeout);
    uint64_t done = 0;
    for (; done < vlen; done++) {
        long r = msg_io(f, s, &v[done].hdr, flags & ~L_MSG_WAITFORONE, send);
        if (r < 0)
            return done ? (long)done : r;
        v[done].len = (uint32_t)r;
        if (!send && ((flags & L_MSG_WAITFORONE) || unik_clock_monotonic() >= end))
            flags |= L_MSG_DONTWAIT;
    }
    return (long)done;
}

/* ---- readiness: poll, select, epoll ---- */

static short sock_events(struct sock *s)
{
    short ev = 0;
    if (s->type == L_SOCK_DGRAM) {
        if (s->dq_head || s->shut_rd)
            ev |= POLLIN;
        ev |= POLLOUT;
        return ev;
    }
    switch (s->state) {
    case S_LISTEN:
        if (s->aq_head)
            ev |= POLLIN;
        break;
    case S_CONNECTING:
        break;
    case S_NEW:
        ev |= POLLOUT | POLLHUP;
        break;
    default:
        if (s->rx || s->rx_fin || s->shut_rd)
            ev |= POLLIN;
        if (s->rx_fin)
            ev |= POLLRDHUP;
        if (s->state == S_CONNECTED && s->tcp && !s->shut_wr && tcp_sndbuf(s->tcp) > 0)
            ev |= POLLOUT;
        if (s->state == S_CLOSED || !s->tcp) {
            ev |= POLLHUP | POLLIN;
            if (s->err && s->err != ENOTCONN)
                ev |= POLLERR;
        }
    }
    return ev;
}

/* Readiness of any fd: sockets, other fd-table files, the console. */
static short fd_events(long fd, int *valid)
{
    *valid = 1;
    struct sock *s = sock_of(fd, 0);
    if (s)
        return sock_events(s);
    if (fd_get(fd))
        return POLLIN | POLLOUT;
    if (fd == 0)
        return stdin_ready() ? POLLIN : 0;      /* data or end of file (stdin.c) */
    if (fd == 1 || fd == 2)
        return POLLOUT;
    *valid = 0;
    return POLLNVAL;
}

static unik_time_t deadline_ms(long ms)
{
    return ms < 0 ? ~0ull : unik_clock_monotonic() + (unik_time_t)ms * 1000000ull;
}

static unik_time_t deadline_ts(const struct l_timespec *ts)
{
    if (!ts)
        return ~0ull;
    return unik_clock_monotonic() + (unik_time_t)ts->tv_sec * 1000000000ull
           + (unik_time_t)ts->tv_nsec;
}

static long do_poll(struct l_pollfd *fds, uint64_t n, unik_time_t deadline)
{
    if (n > FD_MAX)
        return -EINVAL;
    if (n && !fds)
        return -EFAULT;
    for (;;) {
        net_poll();
        long ready = 0;
        for (uint64_t i = 0; i < n; i++) {
            fds[i].revents = 0;
            if (fds[i].fd < 0)
                continue;
            int valid;
            short ev = fd_events(fds[i].fd, &valid);
            short want = (short)(fds[i].events | POLLERR | POLLHUP | POLLNVAL);
            fds[i].revents = (short)(ev & want);
            if (fds[i].revents)
                ready++;
        }
        if (ready || unik_clock_monotonic() >= deadline)
            return ready;
        net_wait(deadline);
    }
}

static long do_select(long nfds, uint64_t *rd, uint64_t *wr, uint64_t *ex, unik_time_t deadline)
{
    if (nfds < 0 || nfds > FD_MAX)
        return -EINVAL;
    uint64_t in_r[FD_MAX / 64] = { 0 }, in_w[FD_MAX / 64] = { 0 };
    size_t words = (size_t)(nfds + 63) / 64;
    for (size_t i = 0; i < words; i++) {
        in_r[i] = rd ? rd[i] : 0;
        in_w[i] = wr ? wr[i] : 0;
    }
    for (;;) {
        net_poll();
        long ready = 0;
        for (long fd = 0; fd < nfds; fd++) {
            uint64_t bit = 1ull << (fd % 64);
            int r = (in_r[fd / 64] & bit) != 0, w = (in_w[fd / 64] & bit) != 0;
            if (!r && !w)
                continue;
            int valid;
            short ev = fd_events(fd, &valid);
            if (!valid)
                return -EBADF;
            if (r && (ev & (POLLIN | POLLHUP | POLLERR)))
                ready++;
            if (w && (ev & (POLLOUT | POLLERR)))
                ready++;
        }
        if (ready || unik_clock_monotonic() >= deadline) {
            for (long fd = 0; fd < nfds; fd++) {
                uint64_t bit = 1ull << (fd % 64);
                int valid;
                short ev = (in_r[fd / 64] | in_w[fd / 64]) & bit ? fd_events(fd, &valid) : 0;
                if (rd && !(ev & (POLLIN | POLLHUP | POLLERR)))
                    rd[fd / 64] &= ~bit;
                if (wr && !(ev & (POLLOUT | POLLERR)))
                    wr[fd / 64] &= ~bit;
                if (ex)
                    ex[fd / 64] &= ~bit;
            }
            return ready;
        }
        net_wait(deadline);
    }
}

#define MAX_EPOLL 16
#define EPOLL_ITEMS 1024
struct l_epoll_event {
    uint32_t events;
    uint64_t data;
} __attribute__((packed));

#define L_EPOLLONESHOT (1u << 30)
#define L_EPOLLET (1u << 31)

struct epoll_item {
    int fd;
    uint32_t events;
    uint64_t data;
    uint32_t seen;                      /* EPOLLET: the bits reported, still up */
    uint32_t arrivals;                  /* EPOLLET: the socket's count then */
    int off;                            /* EPOLLONESHOT fired: nothing until MOD */
};

struct epoll {
    int used;
    int n;
    struct epoll_item item[EPOLL_ITEMS];
};
static struct epoll epolls[MAX_EPOLL];

static void ep_close(struct file *f)
{
    ((struct epoll *)f->obj)->used = 0;
}

static const struct file_ops epoll_ops = { .close = ep_close };

static long sys_epoll_create(long flags)
{
    for (int i = 0; i < MAX_EPOLL; i++)
        if (!epolls[i].used) {
            epolls[i].used = 1;
            epolls[i].n = 0;
            long fd = fd_install(&epoll_ops, &epolls[i], L_O_RDWR);
            (void)flags;
            if (fd < 0)
                epolls[i].used = 0;
            return fd;
        }
    return -ENOMEM;
}

static uint32_t fd_arrivals(long fd)
{
    struct sock *s = sock_of(fd, 0);
    return s ? s->arrivals : 0;
}

/* An item as ADD or MOD leaves it: armed, nothing reported yet. */
static void ep_arm(struct epoll_item *it, long fd, const struct l_epoll_event *ev)
{
    it->fd = (int)fd;
    it->events = ev->events;
    it->data = ev->data;
    it->seen = 0;
    it->arrivals = fd_arrivals(fd);
    it->off = 0;
}

/* The events an item reports now (0: none). Edge-triggered: only bits that
 * rose since they were last reported, or all that are up when new input
 * came (Linux wakes an EPOLLET waiter on every arrival, not only on the
 * first). */
static uint32_t ep_report(struct epoll_item *it, uint32_t ready)
{
    if (it->off)
        return 0;
    if (it->events & L_EPOLLET) {
        uint32_t arrivals = fd_arrivals(it->fd);
        it->seen &= ready;              /* a bit that fell rises again later */
        uint32_t fresh = arrivals != it->arrivals ? ready : ready & ~it->seen;
        it->arrivals = arrivals;
        if (!fresh)
            return 0;
        it->seen = ready;
    }
    if (ready && (it->events & L_EPOLLONESHOT))
        it->off = 1;
    return ready;
}

static struct epoll *epoll_of(long fd)
{
    struct file *f = fd_get(fd);
    return f && f->ops == &epoll_ops ? f->obj : 0;
}

static long sys_epoll_ctl(struct epoll *ep, long op, long fd, const struct l_epoll_event *ev)
{
    int valid;
    fd_events(fd, &valid);
    if (!valid)
        return -EBADF;
    int at = -1;
    for (int i = 0; i < ep->n; i++)
        if (ep->item[i].fd == fd)
            at = i;
    switch (op) {
    case 1:                             /* EPOLL_CTL_ADD */
        if (at >= 0)
            return -EEXIST;
        if (ep->n == EPOLL_ITEMS)
            return -ENOSPC;
        if (!ev)
            return -EFAULT;
        ep_arm(&ep->item[ep->n++], fd, ev);
        return 0;
    case 2:                             /* EPOLL_CTL_DEL */
        if (at < 0)
            return -ENOENT;
        ep->item[at] = ep->item[--ep->n];
        return 0;
    case 3:                             /* EPOLL_CTL_MOD */
        if (at < 0)
            return -ENOENT;
        if (!ev)
            return -EFAULT;
        ep_arm(&ep->item[at], fd, ev);
        return 0;
    default:
        return -EINVAL;
    }
}

static long sys_epoll_wait(struct epoll *ep, struct l_epoll_event *out, long max,
                           unik_time_t deadline)
{
    if (max <= 0)
        return -EINVAL;
    for (;;) {
        net_poll();
        long n = 0;
        for (int i = 0; i < ep->n && n < max; i++) {
            int valid;
            short ev = fd_events(ep->item[i].fd, &valid);
            if (!valid)
                continue;
            uint32_t got = ep_report(&ep->item[i], (uint32_t)(uint16_t)ev
                                     & (ep->item[i].events | POLLERR | POLLHUP));
            if (got) {
                out[n].events = got;
                out[n].data = ep->item[i].data;
                n++;
            }
        }
        if (n || unik_clock_monotonic() >= deadline)
            return n;
        net_wait(deadline);
    }
}

int net_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6, long *ret)
{
    struct file *f = 0;
    struct sock *s;
    switch (n) {
    case SYS_socket:
        *ret = sys_socket(a1, a2, a3);
        return 1;
    case SYS_socketpair:
        *ret = -EOPNOTSUPP;
        return 1;
    case SYS_poll:
        *ret = do_poll((struct l_pollfd *)a1, (uint64_t)a2, deadline_ms(a3));
        return 1;
    case SYS_ppoll:
        *ret = do_poll((struct l_pollfd *)a1, (uint64_t)a2,
                       deadline_ts((const struct l_timespec *)a3));
        return 1;
    case SYS_select: {
        const struct l_timeval *tv = (const struct l_timeval *)a5;
        unik_time_t d = tv ? unik_clock_monotonic() + (unik_time_t)tv->tv_sec * 1000000000ull
                                 + (unik_time_t)tv->tv_usec * 1000ull
                           : ~0ull;
        *ret = do_select(a1, (uint64_t *)a2, (uint64_t *)a3, (uint64_t *)a4, d);
        return 1;
    }
    case SYS_pselect6:
        *ret = do_select(a1, (uint64_t *)a2, (uint64_t *)a3, (uint64_t *)a4,
                         deadline_ts((const struct l_timespec *)a5));
        return 1;
    case SYS_epoll_create:
    case SYS_epoll_create1:
        *ret = sys_epoll_create(a1);
        return 1;
    case SYS_epoll_ctl: {
        struct epoll *ep = epoll_of(a1);
        *ret = ep ? sys_epoll_ctl(ep, a2, a3, (const struct l_epoll_event *)a4) : -EBADF;
        return 1;
    }
    case SYS_epoll_wait:
    case SYS_epoll_pwait: {
        struct epoll *ep = epoll_of(a1);
        *ret = ep ? sys_epoll_wait(ep, (struct l_epoll_event *)a2, a3, deadline_ms(a4))
                  : -EBADF;
        return 1;
    }
    case SYS_connect: case SYS_accept: case SYS_accept4: case SYS_sendto:
    case SYS_recvfrom: case SYS_sendmsg: case SYS_recvmsg: case SYS_shutdown:
    case SYS_bind: case SYS_listen: case SYS_getsockname: case SYS_getpeername:
    case SYS_setsockopt: case SYS_getsockopt: case SYS_sendmmsg: case SYS_recvmmsg:
        break;
    default:
        return 0;
    }
    s = sock_of(a1, &f);
    if (!s) {
        *ret = fd_get(a1) || (a1 >= 0 && a1 <= 2) ? -ENOTSOCK : -EBADF;
        return 1;
    }
    switch (n) {
    case SYS_connect: *ret = sys_connect(f, s, (const void *)a2, (uint64_t)a3); break;
    case SYS_accept: *ret = sys_accept(f, s, (void *)a2, (uint32_t *)a3, 0); break;
    case SYS_accept4: *ret = sys_accept(f, s, (void *)a2, (uint32_t *)a3, a4); break;
    case SYS_sendto:
        *ret = sock_send(f, s, (const void *)a2, (size_t)a3, a4, (const void *)a5,
                         (uint64_t)a6);
        break;
    case SYS_recvfrom:
        *ret = sock_recv(f, s, (void *)a2, (size_t)a3, a4, (void *)a5, (uint32_t *)a6);
        break;
    case SYS_sendmsg: *ret = msg_io(f, s, (struct l_msghdr *)a2, a3, 1); break;
    case SYS_recvmsg: *ret = msg_io(f, s, (struct l_msghdr *)a2, a3, 0); break;
    case SYS_sendmmsg:
        *ret = mmsg_io(f, s, (struct l_mmsghdr *)a2, (uint64_t)a3, a4, 0, 1);
        break;
    case SYS_recvmmsg:
        *ret = mmsg_io(f, s, (struct l_mmsghdr *)a2, (uint64_t)a3, a4,
                       (const struct l_timespec *)a5, 0);
        break;
    case SYS_shutdown: *ret = sys_shutdown(s, a2); break;
    case SYS_bind: *ret = sys_bind(s, (const void *)a2, (uint64_t)a3); break;
    case SYS_listen: *ret = sys_listen(s, a2); break;
    case SYS_getsockname: *ret = sys_name(s, (void *)a2, (uint32_t *)a3, 0); break;
    case SYS_getpeername: *ret = sys_name(s, (void *)a2, (uint32_t *)a3, 1); break;
    case SYS_setsockopt:
        *ret = sys_setsockopt(s, a2, a3, (const void *)a4, (uint64_t)a5);
        break;
    case SYS_getsockopt:
        *ret = sys_getsockopt(s, a2, a3, (void *)a4, (uint32_t *)a5);
        break;
    }
    return 1;
}
