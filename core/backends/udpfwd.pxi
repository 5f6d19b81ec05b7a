# udpfwd.pxi — the fast path of `-p HOST:GUEST/udp` (included by netring.pyx).
#
# libslirp moves a forwarded port's datagrams one at a time: per datagram a
# poll() round, FIONREAD, recvfrom, a look at the error queue, and on the way
# back setsockopt and sendto — six system calls, and one datagram per poll
# round, which capped UDP echo near 100k packets/s. Here the NIC's thread
# reads the forward's socket (libslirp's own, found by slirp.py) with
# recvmmsg, up to UDP_BATCH datagrams a call, builds the frames for the
# guest itself, and sends the guest's replies from that port with one
# sendmmsg per tx pass. It keeps libslirp's semantics:
#
# - the guest sees the sender's address as libslirp shows it: 127.0.0.1 and
#   the host's own addresses become the gateway (10.0.2.2), others stay;
#   TTL 64, a fresh IP id, a UDP checksum, fragments above the MTU;
# - a reply goes out of the forward's socket (so the peer sees the port it
#   sent to), to the gateway → 127.0.0.1 translated back;
# - anything else stays libslirp's: other ports and protocols, fragments,
#   IP options, bad checksums, addresses inside the virtual network (DNS),
#   broadcast and multicast; a reply sendmmsg could not send is handed to
#   libslirp, which retries it and answers a failure with ICMP as before;
#   the socket's error queue (ICMP from the host) is left to libslirp: the
#   poll set reports POLLERR on it to libslirp, never POLLIN.
#
# Replies of one size to one peer (an echo's answers to its client, a
# server's to a load generator) leave as one message with Linux's UDP GSO
# (UDP_SEGMENT, 4.18+): the kernel builds and routes one buffer and cuts it
# into the same datagrams, so the peer sees exactly what separate sends
# give it, for one pass through the UDP/IP send path instead of one per
# datagram (that path was ~3/4 of the NIC thread's CPU at 64 B). A kernel
# or route that refuses it (no checksum offload: EIO; a path MTU below the
# size: EINVAL/EMSGSIZE) gets those datagrams one by one and GSO is not
# tried again on that NIC.

cdef extern from *:
    """
    #include <errno.h>
    #include <netinet/in.h>
    #include <netinet/udp.h>
    #include <string.h>
    #include <sys/socket.h>
    #include <sys/uio.h>

    #define UDP_FWDS 16
    #define UDP_BATCH 32
    #define UDP_DGRAM 65536
    #define UDP_FRAME 1514
    #define UDP_GSO_BYTES 65000             /* a GSO message's payload, at most */
    #ifndef UDP_SEGMENT
    #define UDP_SEGMENT 103
    #endif

    struct udp_fwd { int fd; uint16_t guest_port; int pidx; };

    struct udp_out {                    /* one reply waiting for sendmmsg */
        int fd;
        const unsigned char *frame;     /* for libslirp if the send fails */
        uint16_t frame_len;
    };

    struct udp_path {
        int n;
        struct udp_fwd fwd[UDP_FWDS];
        uint32_t guest_ip, gateway_ip, net, mask;   /* network byte order */
        unsigned char guest_mac[6], router_mac[6];
        uint16_t ip_id;
        int announced;                  /* the router's ARP request went to the guest */
        uint64_t rx, tx, punted;
        /* recvmmsg */
        struct mmsghdr rmsg[UDP_BATCH];
        struct iovec riov[UDP_BATCH];
        struct sockaddr_in raddr[UDP_BATCH];
        unsigned char *rbuf;            /* UDP_BATCH * UDP_DGRAM */
        /* sendmmsg */
        int nout;
        struct udp_out out[UDP_BATCH];
        struct mmsghdr smsg[UDP_BATCH];
        struct iovec siov[UDP_BATCH];
        struct sockaddr_in saddr[UDP_BATCH];
        /* the same, joined into GSO messages (udp_flush) */
        int gso_off;                    /* the kernel refused UDP_SEGMENT once */
        uint64_t gso_msgs;              /* GSO messages sent (several datagrams each) */
        struct mmsghdr gmsg[UDP_BATCH];
        int gfirst[UDP_BATCH], gcount[UDP_BATCH];
        union { char buf[CMSG_SPACE(sizeof(uint16_t))]; struct cmsghdr align; } gctl[UDP_BATCH];
    };

    static uint32_t udp_sum(const unsigned char *p, size_t n, uint32_t s)
    {
        for (; n > 1; p += 2, n -= 2)
            s += (uint32_t)p[0] << 8 | p[1];
        if (n)
            s += (uint32_t)p[0] << 8;
        return s;
    }

    static uint16_t udp_fold(uint32_t s)
    {
        while (s >> 16)
            s = (s & 0xffff) + (s >> 16);
        return (uint16_t)~s;
    }

    static uint16_t be16(const unsigned char *p) { return (uint16_t)(p[0] << 8 | p[1]); }
    static void put16(unsigned char *p, uint16_t v) { p[0] = (unsigned char)(v >> 8); p[1] = (unsigned char)v; }

    /* The UDP checksum's pseudo-header and the datagram (addresses as
     * stored: network order bytes). */
    static uint16_t udp_csum(uint32_t src, uint32_t dst, const unsigned char *udp, size_t n)
    {
        unsigned char ph[12];
        memcpy(ph, &src, 4);
        memcpy(ph + 4, &dst, 4);
        ph[8] = 0; ph[9] = 17;
        put16(ph + 10, (uint16_t)n);
        uint16_t c = udp_fold(udp_sum(udp, n, udp_sum(ph, 12, 0)));
        return c ? c : 0xffff;
    }

    static int udp_find(const struct udp_path *u, uint16_t guest_port)
    {
        for (int i = 0; i < u->n; i++)
            if (u->fwd[i].guest_port == guest_port)
                return i;
        return -1;
    }

    /* A datagram of n bytes from `from` for forward f, as the frames the
     * guest gets (one, or IP fragments of at most 1480 bytes each), into
     * `put(frame, len, ctx)`. Returns how many frames. */
    typedef void (*udp_put_fn)(const unsigned char *frame, size_t len, void *ctx);

    /* Before its first datagram the guest gets what libslirp sends a guest
     * it has not heard from: the router's ARP request for the guest's
     * address. The guest learns the router's MAC from it, so its answers
     * to a burst go out at once instead of queueing (and overflowing) behind
     * an ARP request of its own. */
    static void udp_announce(struct udp_path *u, udp_put_fn put, void *ctx)
    {
        unsigned char f[42];
        memset(f, 0xff, 6);
        memcpy(f + 6, u->router_mac, 6);
        f[12] = 0x08; f[13] = 0x06;
        put16(f + 14, 1); put16(f + 16, 0x0800); f[18] = 6; f[19] = 4; put16(f + 20, 1);
        memcpy(f + 22, u->router_mac, 6);
        memcpy(f + 28, &u->gateway_ip, 4);
        memset(f + 32, 0, 6);
        memcpy(f + 38, &u->guest_ip, 4);
        put(f, sizeof f, ctx);
        u->announced = 1;
    }

    static int udp_to_guest(struct udp_path *u, int f, const struct sockaddr_in *from,
                            unsigned char *payload, size_t n, udp_put_fn put, void *ctx)
    {
        if (!u->announced)
            udp_announce(u, put, ctx);
        uint32_t src = from->sin_addr.s_addr;
        unsigned char lo[4] = { 127, 0, 0, 1 };
        uint32_t loopback;
        memcpy(&loopback, lo, 4);
        if (src == loopback || src == INADDR_ANY)   /* as libslirp's sotranslate_in */
            src = u->gateway_ip;
        /* The UDP header goes in the 8 bytes before the payload (rbuf
         * leaves them free), so the datagram is contiguous for the sum. */
        unsigned char *udp = payload - 8;
        size_t ulen = n + 8;
        memcpy(udp, &from->sin_port, 2);
        put16(udp + 2, u->fwd[f].guest_port);
        put16(udp + 4, (uint16_t)ulen);
        put16(udp + 6, 0);
        put16(udp + 6, udp_csum(src, u->guest_ip, udp, ulen));
        uint16_t id = u->ip_id++;
        unsigned char frame[UDP_FRAME];
        int frames = 0;
        for (size_t off = 0; off < ulen; frames++) {
            size_t chunk = ulen - off > 1480 ? 1480 : ulen - off;
            int more = off + chunk < ulen;
            memcpy(frame, u->guest_mac, 6);
            memcpy(frame + 6, u->router_mac, 6);
            frame[12] = 0x08; frame[13] = 0x00;
            unsigned char *ip = frame + 14;
            ip[0] = 0x45; ip[1] = 0;
            put16(ip + 2, (uint16_t)(20 + chunk));
            put16(ip + 4, id);
            put16(ip + 6, (uint16_t)((more ? 0x2000 : 0) | (off / 8)));
            ip[8] = 64; ip[9] = 17;
            put16(ip + 10, 0);
            memcpy(ip + 12, &src, 4);
            memcpy(ip + 16, &u->guest_ip, 4);
            put16(ip + 10, udp_fold(udp_sum(ip, 20, 0)));
            memcpy(ip + 20, udp + off, chunk);
            put(frame, 34 + chunk, ctx);
            off += chunk;
        }
        return frames;
    }

    /* A frame from the guest: a reply on a forward's port that this path
     * sends? Then it is queued for sendmmsg (payload stays in the frame,
     * which lives until udp_flush) and 1 is returned; 0: libslirp's. */
    static int udp_from_guest(struct udp_path *u, const unsigned char *frame, size_t len)
    {
        if (!u->n || len < 42 || frame[12] != 0x08 || frame[13] != 0x00)
            return 0;
        const unsigned char *ip = frame + 14;
        if (ip[0] != 0x45 || ip[9] != 17 || (be16(ip + 6) & 0x3fff))
            return 0;                   /* options, not UDP, a fragment */
        size_t total = be16(ip + 2);
        if (total < 28 || total > len - 14 || udp_fold(udp_sum(ip, 20, 0)) != 0)
            return 0;
        uint32_t src, dst;
        memcpy(&src, ip + 12, 4);
        memcpy(&dst, ip + 16, 4);
        if (src != u->guest_ip)
            return 0;
        const unsigned char *udp = ip + 20;
        int f = udp_find(u, be16(udp));
        if (f < 0 || be16(udp + 4) != total - 20)
            return 0;
        if (be16(udp + 6)) {            /* a checksum given must be right */
            uint32_t s = udp_sum(udp, total - 20, 0);
            unsigned char ph[12];
            memcpy(ph, &src, 4);
            memcpy(ph + 4, &dst, 4);
            ph[8] = 0; ph[9] = 17;
            put16(ph + 10, (uint16_t)(total - 20));
            if (udp_fold(udp_sum(ph, 12, s)) != 0)
                return 0;
        }
        unsigned char first = ((const unsigned char *)&dst)[0];
        if (dst == u->gateway_ip) {
            unsigned char lo[4] = { 127, 0, 0, 1 };
            memcpy(&dst, lo, 4);        /* as libslirp's sotranslate_out */
        } else if ((dst & u->mask) == u->net || first >= 224 || first == 0
                   || dst == 0xffffffffu) {
            return 0;                   /* DNS, the network's own, broadcast: libslirp */
        }
        if (u->nout == UDP_BATCH)
            return 0;
        int k = u->nout++;
        memcpy(u->guest_mac, frame + 6, 6);
        u->out[k].fd = u->fwd[f].fd;
        u->out[k].frame = frame;
        u->out[k].frame_len = (uint16_t)len;
        u->saddr[k].sin_family = AF_INET;
        memcpy(&u->saddr[k].sin_port, udp + 2, 2);
        u->saddr[k].sin_addr.s_addr = dst;
        u->siov[k].iov_base = (void *)(udp + 8);
        u->siov[k].iov_len = total - 28;
        memset(&u->smsg[k], 0, sizeof u->smsg[k]);
        u->smsg[k].msg_hdr.msg_name = &u->saddr[k];
        u->smsg[k].msg_hdr.msg_namelen = sizeof u->saddr[k];
        u->smsg[k].msg_hdr.msg_iov = &u->siov[k];
        u->smsg[k].msg_hdr.msg_iovlen = 1;
        return 1;
    }

    static int udp_same_peer(const struct udp_path *u, int a, int b)
    {
        return u->saddr[a].sin_port == u->saddr[b].sin_port
            && u->saddr[a].sin_addr.s_addr == u->saddr[b].sin_addr.s_addr
            && u->siov[a].iov_len == u->siov[b].iov_len;
    }

    /* Queued replies [i, j) (one socket) as messages in gmsg: a run of
     * same-sized datagrams to one peer is one GSO message. How many. */
    static int udp_group(struct udp_path *u, int i, int j)
    {
        int ng = 0;
        for (int k = i; k < j; ng++) {
            int g = k + 1;
            size_t size = u->siov[k].iov_len;
            if (!u->gso_off && size > 0)
                while (g < j && udp_same_peer(u, k, g) && (size_t)(g - k + 1) * size <= UDP_GSO_BYTES)
                    g++;
            struct msghdr *m = &u->gmsg[ng].msg_hdr;
            memset(&u->gmsg[ng], 0, sizeof u->gmsg[ng]);
            m->msg_name = &u->saddr[k];
            m->msg_namelen = sizeof u->saddr[k];
            m->msg_iov = &u->siov[k];
            m->msg_iovlen = (size_t)(g - k);
            if (g - k > 1) {
                m->msg_control = u->gctl[ng].buf;
                m->msg_controllen = sizeof u->gctl[ng].buf;
                struct cmsghdr *c = CMSG_FIRSTHDR(m);
                c->cmsg_level = SOL_UDP;
                c->cmsg_type = UDP_SEGMENT;
                c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
                uint16_t seg = (uint16_t)size;
                memcpy(CMSG_DATA(c), &seg, sizeof seg);
            }
            u->gfirst[ng] = k;
            u->gcount[ng] = g - k;
            k = g;
        }
        return ng;
    }

    /* Send the queued replies: one sendmmsg per run of the same socket. A
     * reply that could not be sent goes to `punt` (libslirp). */
    static void udp_flush(struct udp_path *u, udp_put_fn punt, void *ctx)
    {
        int i = 0;
        while (i < u->nout) {
            int j = i;
            int fd = u->out[i].fd;
            while (j < u->nout && u->out[j].fd == fd)
                j++;
            int ng = udp_group(u, i, j);
            for (int m = 0; m < ng;) {
                int sent = sendmmsg(fd, &u->gmsg[m], (unsigned)(ng - m), MSG_DONTWAIT);
                if (sent > 0) {
                    for (int k = m; k < m + sent; k++) {
                        u->tx += (uint64_t)u->gcount[k];
                        u->gso_msgs += u->gcount[k] > 1;
                    }
                    m += sent;
                    continue;
                }
                int first = u->gfirst[m], count = u->gcount[m];
                if (count > 1) {        /* GSO refused: these one by one */
                    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS
                            && errno != EINTR)
                        u->gso_off = 1;
                    for (int k = first; k < first + count; k++) {
                        if (sendmmsg(fd, &u->smsg[k], 1, MSG_DONTWAIT) == 1) {
                            u->tx++;
                        } else {
                            u->punted++;
                            punt(u->out[k].frame, u->out[k].frame_len, ctx);
                        }
                    }
                } else {                /* this one failed: libslirp tries, and reports */
                    u->punted++;
                    punt(u->out[first].frame, u->out[first].frame_len, ctx);
                }
                m++;
            }
            i = j;
        }
        u->nout = 0;
    }

    /* Datagrams waiting on forward f, into frames for the guest; at most
     * `room` datagrams. Returns how many were read. */
    static int udp_receive(struct udp_path *u, int f, int room, udp_put_fn put, void *ctx)
    {
        if (room > UDP_BATCH)
            room = UDP_BATCH;
        if (room <= 0)
            return 0;
        for (int k = 0; k < room; k++) {
            u->riov[k].iov_base = u->rbuf + (size_t)k * UDP_DGRAM + 8;
            u->riov[k].iov_len = UDP_DGRAM - 8 - 20;
            memset(&u->rmsg[k], 0, sizeof u->rmsg[k]);
            u->rmsg[k].msg_hdr.msg_name = &u->raddr[k];
            u->rmsg[k].msg_hdr.msg_namelen = sizeof u->raddr[k];
            u->rmsg[k].msg_hdr.msg_iov = &u->riov[k];
            u->rmsg[k].msg_hdr.msg_iovlen = 1;
        }
        int got = recvmmsg(u->fwd[f].fd, u->rmsg, (unsigned)room, MSG_DONTWAIT, NULL);
        if (got <= 0)
            return 0;
        for (int k = 0; k < got; k++) {
            if (u->raddr[k].sin_family != AF_INET || (u->rmsg[k].msg_hdr.msg_flags & MSG_TRUNC))
                continue;               /* too large for IPv4: dropped, as libslirp does */
            udp_to_guest(u, f, &u->raddr[k], u->riov[k].iov_base, u->rmsg[k].msg_len, put, ctx);
            u->rx++;
        }
        return got;
    }
    """
    struct udp_fwd:
        int fd
        uint16_t guest_port
        int pidx

    struct udp_path:
        int n
        udp_fwd fwd[16]
        uint32_t guest_ip, gateway_ip, net, mask
        unsigned char guest_mac[6]
        unsigned char router_mac[6]
        uint64_t rx, tx, punted, gso_msgs
        unsigned char *rbuf
        int nout

    ctypedef void (*udp_put_fn)(const unsigned char *frame, size_t len, void *ctx) noexcept nogil
    enum: UDP_FWDS, UDP_BATCH, UDP_DGRAM
    int udp_from_guest(udp_path *u, const unsigned char *frame, size_t len) nogil
    void udp_flush(udp_path *u, udp_put_fn punt, void *ctx) nogil
    int udp_receive(udp_path *u, int f, int room, udp_put_fn put, void *ctx) nogil
