/*
 * net.h — the core's network stack (lwIP underneath), grouped by file:
 * netif.c brings the NICs up and drives lwIP; sockets.c is the BSD socket
 * layer of the system calls.
 */
#ifndef UNIK_NET_NET_H
#define UNIK_NET_NET_H

#include <stdint.h>
#include <unik.h>

/* netif.c */
/* Bring up every NIC the host gave (once); 0, or -1 when there is none. */
int net_up(void);
/* Feed lwIP what the NICs received and run its timers. */
void net_poll(void);
/* Sleep until deadline (monotonic ns), a frame, or lwIP's next timer; then poll. */
void net_wait(unik_time_t deadline);

/* tcp_reuse.c */
/* SYNs that took over a TIME_WAIT connection wait to come in again: any? */
int tcp_reuse_pending(void);
/* Feed them to lwIP (net_poll does, after the NICs' frames). */
void tcp_reuse_replay(void);

#endif
