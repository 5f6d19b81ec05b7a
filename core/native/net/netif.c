/*
 * netif.c — the NICs as lwIP network interfaces, and the loop that drives
 * lwIP (NO_SYS): frames read with unik_net_read go to lwIP's input, lwIP's
 * output goes to unik_net_write, timers run from net_poll. Addresses come
 * from the host's configuration (unik_netdev_config: ip, netmask, gateway);
 * without one the NIC asks DHCP. NICs are eth0, eth1, … in the host's order;
 * the first is the default route. Loopback (127.0.0.1, lwIP's loopif) is
 * there with or without NICs: packets to it are queued by lwIP and
 * delivered by net_poll.
 */
#include <unik/kernel.h>
#include <unik/netdev.h>
#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"
#include "net.h"

#define MAX_NICS 8
#define DHCP_WAIT_NS (10ull * 1000000000ull)
#define SPIN_MIN_NS 10000ull             /* spin before sleeping: at least, */
#define SPIN_MAX_NS 40000ull             /* at most (net_wait; about one exit) */
#define FLOWING_NS 2000000ull            /* "flowing": a frame within this */
#define LINGER_NS (2ull * 1000000000ull)

extern void (*unik_exit_hook)(void);

struct nic {
    struct netif netif;
    unik_handle_t h;
    char name[8];
};

static struct nic nics[MAX_NICS];
static unsigned nr_nics;
static int state;                       /* 0 not tried, 1 up (-1 while coming up) */
static uint8_t frame[1600];
static unik_time_t last_frame;          /* when a NIC last gave a frame */
static unik_time_t spin_ns = SPIN_MIN_NS;   /* net_wait's spin, adapted */

uint32_t net_random(void)
{
    uint32_t r;
    random_fill(&r, sizeof r);
    return r;
}

uint32_t sys_now(void)
{
    return (uint32_t)(unik_clock_monotonic() / 1000000ull);
}

static err_t linkoutput(struct netif *nif, struct pbuf *p)
{
    struct nic *n = nif->state;
    const uint8_t *data = p->payload;
    if (p->next) {
        if (p->tot_len > sizeof frame)
            return ERR_BUF;
        pbuf_copy_partial(p, frame, p->tot_len, 0);
        data = frame;
    }
    /* A full tx ring empties as the backend works: give it a few turns. */
    for (int tries = 0; tries < 1000; tries++) {
        unik_result_t r = unik_net_write(n->h, data, p->tot_len);
        if (r == UNIK_OK)
            return ERR_OK;
        if (r != UNIK_AGAIN)
            return ERR_IF;
        unik_yield(0, NULL);
    }
    return ERR_MEM;
}

static err_t nic_init(struct netif *nif)
{
    nif->name[0] = 'e';
    nif->name[1] = 't';
    nif->mtu = 1500;
    nif->hwaddr_len = 6;
    nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    nif->output = etharp_output;
    nif->linkoutput = linkoutput;
    return ERR_OK;
}

static int config_addr(const char *nic, const char *key, ip4_addr_t *out)
{
    char buf[32];
    if (unik_netdev_config(nic, key, buf, sizeof buf) <= 0)
        return 0;
    return ip4addr_aton(buf, out);
}

static void bring_up(struct nic *n, const struct unik_net_info *info)
{
    ip4_addr_t ip, mask, gw;
    int have = config_addr(n->name, "ip", &ip);
    if (!have || !config_addr(n->name, "netmask", &mask))
        IP4_ADDR(&mask, 255, 255, 255, 0);
    if (!have || !config_addr(n->name, "gateway", &gw))
        ip4_addr_set_zero(&gw);
    if (!have)
        ip4_addr_set_zero(&ip);
    netif_add(&n->netif, &ip, &mask, &gw, n, nic_init, ethernet_input);
    kmemcpy(n->netif.hwaddr, info->mac_address, 6);
    n->netif.num = (u8_t)(n - nics);
    netif_set_up(&n->netif);
    netif_set_link_up(&n->netif);
    if (n == nics)
        netif_set_default(&n->netif);
    if (!have)
        dhcp_start(&n->netif);
}

/* At exit: what programs sent just before exiting still reaches its peer,
 * as it would from a Linux process (whose kernel keeps sending). Waits,
 * at most LINGER_NS, until no TCP connection holds unsent or unacknowledged
 * data and the NICs' transmit rings are empty. */
static void linger(void)
{
    unik_time_t deadline = unik_clock_monotonic() + LINGER_NS;
    for (;;) {
        net_poll();
        int busy = 0;
        for (struct tcp_pcb *pcb = tcp_active_pcbs; pcb; pcb = pcb->next)
            if (pcb->unsent || pcb->unacked)
                busy = 1;
        if (!busy || unik_clock_monotonic() >= deadline)
            break;
        net_wait(deadline);
    }
}

int net_up(void)
{
    if (state)
        return state > 0 ? 0 : -1;
    state = -1;
    lwip_init();
    for (unsigned i = 0; i < MAX_NICS; i++) {
        struct nic *n = &nics[nr_nics];
        struct unik_net_info info;
        ksnprintf(n->name, sizeof n->name, "eth%u", i);
        if (unik_net_acquire(n->name, &n->h, &info) != UNIK_OK)
            break;
        bring_up(n, &info);
        nr_nics++;
    }
    state = 1;                          /* with no NIC: loopback only */
    unik_exit_hook = linger;
    /* Wait (bounded) for DHCP where it is needed: programs expect an
     * address once their first socket exists. */
    unik_time_t deadline = unik_clock_monotonic() + DHCP_WAIT_NS;
    for (unsigned i = 0; i < nr_nics; i++)
        while (ip4_addr_isany_val(*netif_ip4_addr(&nics[i].netif))
               && unik_clock_monotonic() < deadline)
            net_wait(deadline);
    return 0;
}

/* Packets looped back, or SYNs to replay (tcp_reuse.c), not yet delivered? */
static int loop_pending(void)
{
    if (tcp_reuse_pending())
        return 1;
    for (struct netif *nif = netif_list; nif; nif = nif->next)
        if (nif->loop_first)
            return 1;
    return 0;
}

/* Frames the NICs hold, into lwIP; how many. Only looks at the rings: no
 * event is armed and nothing exits to the host. */
static unsigned net_input(void)
{
    unsigned got = 0;
    for (unsigned i = 0; i < nr_nics; i++) {
        struct nic *n = &nics[i];
        for (int k = 0; k < 256; k++) {
            size_t len;
            if (unik_net_read(n->h, frame, sizeof frame, &len) != UNIK_OK)
                break;
            got++;
            struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
            if (!p)
                break;                  /* out of buffers: the frame is dropped */
            pbuf_take(p, frame, (u16_t)len);
            if (n->netif.input(p, &n->netif) != ERR_OK)
                pbuf_free(p);
        }
    }
    return got;
}

void net_poll(void)
{
    netif_poll_all();
    if (net_input())
        last_frame = unik_clock_monotonic();
    if (tcp_reuse_pending())
        tcp_reuse_replay();
    sys_check_timeouts();
}

void net_wait(unik_time_t deadline)
{
    if (loop_pending()) {               /* work here already: no waiting */
        net_poll();
        return;
    }
    u32_t ms = sys_timeouts_sleeptime();
    unik_time_t now = unik_clock_monotonic();
    if (ms != SYS_TIMEOUTS_SLEEPTIME_INFINITE && now + ms * 1000000ull < deadline)
        deadline = now + ms * 1000000ull;
    /* Spin before sleeping: a frame that comes within the spin is picked
     * up without the exit to the host that sleeping costs (~50 us on the
     * runner, and the backend's notify on top). The spin only reads the
     * rings — it arms no event, so a backend that fills them meanwhile
     * never notifies. Its length adapts as KVM's halt polling does: a
     * sleep that a longer spin would have saved (the frame came within
     * SPIN_MAX_NS) doubles it, a sleep longer than that halves it — a
     * spin that keeps failing only takes the CPU the backend and the
     * sender need. An idle guest spins SPIN_MIN_NS and sleeps. The
     * bounds are about what a sleep costs on the runner (one exit, the
     * wait served in C): spinning longer than that saves nothing, and on
     * a 2-CPU host it starves the NIC thread and the sender — a 20-400 us
     * spin kept the vCPU thread busy ~75% of the time at ~130k packets/s
     * (docs/devices.md, "Packet rate"). A sleep on the runner lasts at
     * least one exit (~45 us), so with these bounds it rarely counts as
     * short: in practice the spin stays near SPIN_MIN_NS. */
    if (now - last_frame >= FLOWING_NS)
        spin_ns = SPIN_MIN_NS;
    unik_time_t spin_end = now + spin_ns < deadline ? now + spin_ns : deadline;
    for (;;) {
        if (net_input()) {
            last_frame = unik_clock_monotonic();
            break;
        }
        now = unik_clock_monotonic();
        if (now >= spin_end)
            break;
        __builtin_ia32_pause();
    }
    if (now >= spin_end && now < deadline) {
        unik_yield(deadline, NULL);
        unik_time_t slept = unik_clock_monotonic() - now;
        if (slept < SPIN_MAX_NS)
            spin_ns = spin_ns * 2 < SPIN_MAX_NS ? spin_ns * 2 : SPIN_MAX_NS;
        else
            spin_ns = spin_ns / 2 > SPIN_MIN_NS ? spin_ns / 2 : SPIN_MIN_NS;
    }
    net_poll();
}
