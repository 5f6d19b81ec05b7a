/*
 * tcp_reuse.c — a new connection on the addresses and ports of one in
 * TIME_WAIT. The side that closes first keeps the connection in TIME_WAIT
 * for 2 MSL; a server that closes (HTTP "Connection: close") holds one per
 * client port, and a busy client reuses its ports well within that time —
 * through `unik run -p` every client appears as the gateway, so the
 * guest's 4-tuples repeat as soon as the host's client ports do. lwIP
 * answers such a SYN with a reset when its sequence number is inside the
 * old window (the client sees "connection refused"); BSD and Linux accept
 * it when it starts above what the old connection received (RFC 1122
 * 4.2.2.13, RFC 6191). So does this hook (LWIP_HOOK_TCP_INPACKET_PCB,
 * lwip_hooks.h): the TIME_WAIT state is dropped and the SYN is queued to
 * come in again after the current input, where the listener takes it.
 * lwIP calls the hook after tcp_input has turned the header's ports,
 * sequence numbers and window to host order in place.
 */
#include <unik/kernel.h>
#include "lwip/ip.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/prot/tcp.h"
#include "lwip_hooks.h"
#include "net.h"

#define REPLAYS 16

static struct replay {
    struct pbuf *p;
    struct netif *netif;
} replays[REPLAYS];
static unsigned nr_replays;

int unik_tcp_timewait_syn(struct tcp_pcb *pcb, const struct tcp_hdr *hdr,
                          const void *opt2, struct pbuf *p)
{
    if (pcb->state != TIME_WAIT
        || (TCPH_FLAGS(hdr) & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) != TCP_SYN)
        return 0;
    /* An old duplicate (at or below what was received) stays lwIP's; so
     * do options split over two pbufs and a full queue (then: the reset). */
    if (!TCP_SEQ_GT(hdr->seqno, pcb->rcv_nxt) || opt2 || nr_replays == REPLAYS)
        return 0;
    const struct ip_hdr *ip = ip4_current_header();
    u16_t ip_len = (u16_t)IPH_HL_BYTES(ip), tcp_len = (u16_t)TCPH_HDRLEN_BYTES(hdr);
    u32_t total = (u32_t)ip_len + tcp_len + p->tot_len;
    if (total > 0xffff)
        return 0;
    struct pbuf *q = pbuf_alloc(PBUF_RAW, (u16_t)total, PBUF_RAM);
    if (!q)
        return 0;
    /* The packet as it came, in one piece (PBUF_RAM): IP header, TCP
     * header with its options (opt2 is NULL: they follow it), and what p
     * still holds after the header. */
    u8_t *d = q->payload;
    kmemcpy(d, ip, ip_len);
    kmemcpy(d + ip_len, hdr, tcp_len);
    pbuf_copy_partial(p, d + ip_len + tcp_len, p->tot_len, 0);
    /* tcp_input turned these to host order in place: back to the wire's
     * (the checksum is checked again). */
    struct tcp_hdr *t = (struct tcp_hdr *)(void *)(d + ip_len);
    t->src = lwip_htons(hdr->src);
    t->dest = lwip_htons(hdr->dest);
    t->seqno = lwip_htonl(hdr->seqno);
    t->ackno = lwip_htonl(hdr->ackno);
    t->wnd = lwip_htons(hdr->wnd);
    replays[nr_replays].p = q;
    replays[nr_replays].netif = ip_current_input_netif();
    nr_replays++;
    tcp_abandon(pcb, 0);                /* TIME_WAIT: freed, no reset sent */
    return 1;
}

int tcp_reuse_pending(void)
{
    return nr_replays != 0;
}

void tcp_reuse_replay(void)
{
    /* ip4_input may queue more (another SYN for another TIME_WAIT): take
     * the queue first. */
    struct replay now[REPLAYS];
    unsigned n = nr_replays;
    for (unsigned i = 0; i < n; i++)
        now[i] = replays[i];
    nr_replays = 0;
    for (unsigned i = 0; i < n; i++)
        ip4_input(now[i].p, now[i].netif);      /* takes the packet, whatever it does */
}
