/*
 * lwipopts.h — how the core configures lwIP 2.1: no OS (NO_SYS: one thread,
 * the socket layer in core/native/net drives lwIP's raw API and timers),
 * IPv4 with ARP, ICMP echo, UDP, TCP, DHCP. Sized for "many connections":
 * 1100 TCP pcbs, 64 KiB windows with window scaling, 64 KiB send buffers.
 * Every pool is static (the core has no malloc of its own).
 */
#ifndef UNIK_LWIPOPTS_H
#define UNIK_LWIPOPTS_H

#define NO_SYS                      1
#define SYS_LIGHTWEIGHT_PROT        0
#define LWIP_SOCKET                 0
#define LWIP_NETCONN                0
#define LWIP_IPV4                   1
#define LWIP_IPV6                   0
#define LWIP_ARP                    1
#define LWIP_ICMP                   1
#define LWIP_RAW                    0
#define LWIP_UDP                    1
#define LWIP_TCP                    1
#define LWIP_DHCP                   1
#define LWIP_DNS                    0
#define LWIP_IGMP                   0
#define LWIP_STATS                  0
#define LWIP_NETIF_STATUS_CALLBACK  1
#define LWIP_NETIF_LINK_CALLBACK    0
#define LWIP_NETIF_TX_SINGLE_PBUF   1
/* 127.0.0.1 (and a NIC's own address) loop back inside the stack, as on
 * Linux: net_poll delivers the looped packets (NO_SYS: netif_poll_all). */
#define LWIP_HAVE_LOOPIF            1
#define LWIP_NETIF_LOOPBACK         1
#define LWIP_LOOPBACK_MAX_PBUFS     512
#define LWIP_CHKSUM_ALGORITHM       3
/* A new connection on the address and ports of one in TIME_WAIT is taken
 * (tcp_reuse.c), as BSD and Linux take it, instead of lwIP's reset. */
#define LWIP_HOOK_FILENAME          "lwip_hooks.h"
#define LWIP_TCP_KEEPALIVE          1
#define SO_REUSE                    1
#define IP_REASSEMBLY               1
#define IP_FRAG                     1
#define ETH_PAD_SIZE                0
#define ARP_TABLE_SIZE              64
#define ARP_QUEUEING                1
/* Packets held per address while its ARP request is out: a server's
 * answers to a burst (64 datagrams in flight) all wait, none is dropped. */
#define ARP_QUEUE_LEN               128

#define MEM_ALIGNMENT               8
#define MEM_SIZE                    (8 * 1024 * 1024)
#define MEMP_NUM_PBUF               1024
#define MEMP_NUM_RAW_PCB            0
#define MEMP_NUM_UDP_PCB            128
#define MEMP_NUM_TCP_PCB            1100
#define MEMP_NUM_TCP_PCB_LISTEN     64
#define MEMP_NUM_TCP_SEG            4096
#define MEMP_NUM_ARP_QUEUE          256
#define MEMP_NUM_REASSDATA          8
#define IP_REASS_MAX_PBUFS          64
#define PBUF_POOL_SIZE              1024
#define PBUF_POOL_BUFSIZE           1536

#define TCP_MSS                     1460
#define LWIP_WND_SCALE              1
#define TCP_RCV_SCALE               2
#define TCP_WND                     (128 * 1024)
#define TCP_SND_BUF                 (64 * 1024)
#define TCP_SND_QUEUELEN            ((4 * TCP_SND_BUF + TCP_MSS - 1) / TCP_MSS)
#define TCP_SNDLOWAT                (TCP_SND_BUF / 4)
#define TCP_LISTEN_BACKLOG          1
#define TCP_DEFAULT_LISTEN_BACKLOG  128
#define TCP_OVERSIZE                TCP_MSS
#define TCP_QUEUE_OOSEQ             1
#define LWIP_TCP_TIMESTAMPS         0

#define LWIP_DEBUG                  0

#endif
