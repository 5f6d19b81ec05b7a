/*
 * lwip_hooks.h — the core's hooks into lwIP (LWIP_HOOK_FILENAME). lwIP
 * includes this from several files, so only forward declarations here.
 */
#ifndef UNIK_LWIP_HOOKS_H
#define UNIK_LWIP_HOOKS_H

struct tcp_pcb;
struct tcp_hdr;
struct pbuf;

/* A SYN for a connection in TIME_WAIT (tcp_reuse.c): nonzero when it was
 * taken over (the old state dropped, the SYN queued to come again). */
int unik_tcp_timewait_syn(struct tcp_pcb *pcb, const struct tcp_hdr *hdr,
                          const void *opt2, struct pbuf *p);

#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p) \
    (unik_tcp_timewait_syn((pcb), (hdr), (opt2), (p)) ? ERR_ABRT : ERR_OK)

#endif
