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

#endif
