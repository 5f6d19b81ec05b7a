/*
 * pv_streams.c — stdout and stderr on the runner's stream rings
 * (unik_streams.h), or on the one PV console where there are none (Xen).
 *
 * Writes copy into the ring and return: the runner drains while the vCPU
 * runs, so no exit is needed until the ring is full. Then the guest
 * notifies the ring's event channel (the runner drains it synchronously)
 * and, if the runner could not make room, yields and tries again.
 */
#include <unik/kernel.h>
#include "hypercall.h"
#include "pv.h"
#include "unik_streams.h"

struct stream {
    volatile struct unik_stream_ring *hdr;
    char *data;
    uint32_t mask;
    uint32_t evtchn;
    struct unik_winsize tty;
};

static struct stream streams[UNIK_NR_STREAMS];

static int power_of_two(uint32_t v)
{
    return v && !(v & (v - 1));
}

void pv_streams_init(const struct xen_start_info *si)
{
    if (!(si->flags & SIF_UNIK_RUNNER))
        return;                         /* Xen: nothing was announced */
    const struct unik_streams *rec =
        (const struct unik_streams *)((const char *)si + UNIK_STREAMS_OFFSET);
    if (rec->magic != UNIK_STREAMS_MAGIC || rec->version != 1 || rec->nr < UNIK_NR_STREAMS)
        return;
    for (int i = 0; i < UNIK_NR_STREAMS; i++) {
        const struct unik_stream_desc *d = &rec->stream[i];
        if (!d->ring || !power_of_two(d->size))
            continue;
        streams[i].hdr = (volatile struct unik_stream_ring *)(uintptr_t)d->ring;
        streams[i].data = (char *)(uintptr_t)(d->ring + UNIK_PAGE_SIZE);
        streams[i].mask = d->size - 1;
        streams[i].evtchn = d->evtchn;
        streams[i].tty.rows = d->tty_rows;
        streams[i].tty.cols = d->tty_cols;
    }
    if (rec->nr > UNIK_STREAM_IN)
        pv_stdin_init(&rec->stream[UNIK_STREAM_IN]);
}

/* The region [start, end) the rings occupy (0, 0 without rings), for the
 * page allocator to keep out. */
void pv_streams_region(uint64_t *start, uint64_t *end)
{
    *start = *end = 0;
    for (int i = 0; i < UNIK_NR_STREAMS; i++) {
        if (!streams[i].hdr)
            continue;
        uint64_t lo = (uint64_t)(uintptr_t)streams[i].hdr;
        uint64_t hi = lo + UNIK_PAGE_SIZE + streams[i].mask + 1;
        if (!*end || lo < *start)
            *start = lo;
        if (hi > *end)
            *end = hi;
    }
    uint64_t lo, hi;
    pv_stdin_region(&lo, &hi);
    if (hi && (!*end || lo < *start))
        *start = lo;
    if (hi > *end)
        *end = hi;
}

/* rep movsb: fast for the sizes a write brings; the xen platform also links
 * without the kernel's string.c (the runner's bare test guest). */
static void copy(char *dst, const char *src, size_t n)
{
    __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static void ring_write(struct stream *s, const char *buf, size_t len)
{
    uint32_t size = s->mask + 1;
    if (!s->hdr->first_write_ns)
        s->hdr->first_write_ns = (uint64_t)pv_clock_monotonic();
    while (len) {
        uint32_t prod = s->hdr->prod;
        uint32_t cons = __atomic_load_n(&s->hdr->cons, __ATOMIC_ACQUIRE);
        uint32_t used = prod - cons;
        if (used >= size) {
            /* Full (or indices the guest cannot trust): the runner drains on
             * the notify (an exit per ring-full at most: the drain thread
             * usually keeps ahead); if even that made no room, let it run. */
            pv_evtchn_notify(s->evtchn);
            if (__atomic_load_n(&s->hdr->cons, __ATOMIC_ACQUIRE) == cons)
                HYPERVISOR_sched_op(SCHEDOP_yield, 0);
            continue;
        }
        size_t n = size - used;
        if (n > len)
            n = len;
        uint32_t at = prod & s->mask;
        size_t first = size - at < n ? size - at : n;
        copy(s->data + at, buf, first);
        if (n > first)
            copy(s->data, buf + first, n - first);
        __atomic_store_n(&s->hdr->prod, prod + (uint32_t)n, __ATOMIC_RELEASE);
        buf += n;
        len -= n;
    }
}

void pv_stream_write(int fd, const char *buf, size_t len)
{
    int i = fd == 2 ? UNIK_STREAM_ERR : UNIK_STREAM_OUT;
    if (streams[i].hdr)
        ring_write(&streams[i], buf, len);
    else
        pv_console_write(buf, len);
}

/* The core's own lines: stderr's ring, else the console. */
void pv_diag_write(const char *buf, size_t len)
{
    pv_stream_write(2, buf, len);
}

const struct unik_winsize *pv_stream_tty(int fd)
{
    if (fd == 0)
        return pv_stdin_tty();
    int i = fd == 2 ? UNIK_STREAM_ERR : UNIK_STREAM_OUT;
    if (!streams[i].hdr || !streams[i].tty.rows)
        return 0;
    return &streams[i].tty;
}
