/*
 * xs.c — the xenstore client: requests over the store ring
 * (xen/io/xs_wire.h), one at a time, answered in order; watch events that
 * arrive among the replies are counted so that xs_wait can sleep on them.
 * The same code runs on the runner (which answers inside the notify) and on
 * Xen (where xenstored answers later: we poll the store port).
 */
#include <stdarg.h>
#include <unik/kernel.h>
#include "dev.h"
#include "hypercall.h"
#include "pv.h"

static volatile struct xenstore_domain_interface *ring;
static uint32_t port;
static uint32_t next_id = 1;
static unsigned watch_events;           /* watch events seen since the last xs_wait look */
static char reply[XENSTORE_PAYLOAD_MAX + 1];
/* While nonzero (monotonic ns), ring waits end there and the request fails
 * (xs_write_by: the exit status, which must never hold up the exit). */
static unik_time_t io_deadline;

static int wait_ring(void)
{
    if (io_deadline && unik_clock_monotonic() >= io_deadline)
        return -1;
    dev_evtchn_wait(port, io_deadline);
    return 0;
}

int xs_init(void)
{
    if (ring)
        return 0;
    if (!dev_platform_ok() || !xen_start->store_mfn)
        return -1;
    ring = (volatile struct xenstore_domain_interface *)(uintptr_t)(
        pv_mfn_to_pfn(xen_start->store_mfn) << 12);
    port = xen_start->store_evtchn;
    return 0;
}

static int put_bytes(const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        uint32_t cons = ring->req_cons, prod = ring->req_prod;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        uint32_t space = XENSTORE_RING_SIZE - (prod - cons);
        if (!space) {
            pv_evtchn_notify(port);
            if (wait_ring())
                return -1;
            continue;
        }
        while (space && len) {
            ring->req[prod % XENSTORE_RING_SIZE] = *p++;
            prod++, space--, len--;
        }
        __atomic_thread_fence(__ATOMIC_RELEASE);
        ring->req_prod = prod;
    }
    return 0;
}

static int get_bytes(void *data, size_t len)
{
    char *p = data;
    while (len) {
        uint32_t cons = ring->rsp_cons, prod = ring->rsp_prod;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (prod == cons) {
            if (wait_ring())
                return -1;
            continue;
        }
        while (cons != prod && len) {
            *p++ = ring->rsp[cons % XENSTORE_RING_SIZE];
            cons++, len--;
        }
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        ring->rsp_cons = cons;
        pv_evtchn_notify(port);         /* room for more replies */
    }
    return 0;
}

/* One message; its payload in reply[] (watch events are counted). */
static int read_message(struct xsd_sockmsg *m)
{
    if (get_bytes(m, sizeof *m))
        return -1;
    if (m->len > XENSTORE_PAYLOAD_MAX) {
        kprintf("unik: xenstore: reply of %u bytes; the store is broken\n", m->len);
        unik_abort();
    }
    if (get_bytes(reply, m->len))
        return -1;
    reply[m->len] = 0;
    if (m->type == XS_WATCH_EVENT)
        watch_events++;
    return 0;
}

/* The reply to request id (skipping watch events): its type, or -1 when
 * io_deadline passed. */
static int read_reply(uint32_t id, uint32_t *len)
{
    for (;;) {
        struct xsd_sockmsg m;
        if (read_message(&m))
            return -1;
        if (m.type == XS_WATCH_EVENT || m.req_id != id)
            continue;
        *len = m.len;
        return (int)m.type;
    }
}

/* Send one request made of parts (each NUL-terminated or not, as given). */
static int request(uint32_t type, const void *a, size_t alen, const void *b, size_t blen,
                   uint32_t *rlen)
{
    if (xs_init() || alen + blen > XENSTORE_PAYLOAD_MAX)
        return -1;
    struct xsd_sockmsg m = { .type = type, .req_id = next_id++, .tx_id = 0,
                             .len = (uint32_t)(alen + blen) };
    if (put_bytes(&m, sizeof m) || put_bytes(a, alen) || (blen && put_bytes(b, blen)))
        return -1;
    pv_evtchn_notify(port);
    uint32_t len;
    int t = read_reply(m.req_id, &len);
    if (t < 0)
        return -1;
    if (rlen)
        *rlen = len;
    return t == XS_ERROR ? -1 : 0;
}

int xs_read(const char *path, char *buf, size_t size)
{
    uint32_t len;
    if (request(XS_READ, path, kstrlen(path) + 1, 0, 0, &len) || size == 0)
        return -1;
    if (len >= size)
        len = (uint32_t)size - 1;
    kmemcpy(buf, reply, len);
    buf[len] = 0;
    return (int)len;
}

int xs_read_long(const char *path, long *out)
{
    char buf[32];
    if (xs_read(path, buf, sizeof buf) <= 0)
        return -1;
    long v = 0;
    for (const char *p = buf; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return 0;
}

int xs_write(const char *path, const char *value)
{
    return request(XS_WRITE, path, kstrlen(path) + 1, value, kstrlen(value), 0);
}

int xs_write_by(const char *path, const char *value, unik_time_t deadline)
{
    io_deadline = deadline ? deadline : 1;
    int rc = xs_write(path, value);
    io_deadline = 0;
    return rc;
}

int xs_printf(const char *path, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return xs_write(path, buf);
}

int xs_directory(const char *path, char *buf, size_t size)
{
    uint32_t len;
    if (request(XS_DIRECTORY, path, kstrlen(path) + 1, 0, 0, &len) || len > size)
        return -1;
    kmemcpy(buf, reply, len);
    int n = 0;
    for (uint32_t i = 0; i < len; i++)
        n += buf[i] == 0;
    return n;
}

static int watch_op(uint32_t type, const char *path, const char *token)
{
    char buf[256];
    size_t a = kstrlen(path) + 1, b = kstrlen(token) + 1;
    if (a + b > sizeof buf)
        return -1;
    kmemcpy(buf, path, a);
    kmemcpy(buf + a, token, b);
    return request(type, buf, a + b, 0, 0, 0);
}

int xs_watch(const char *path, const char *token)
{
    return watch_op(XS_WATCH, path, token);
}

int xs_unwatch(const char *path, const char *token)
{
    return watch_op(XS_UNWATCH, path, token);
}

/* Consume replies already in the ring (watch events only: no request is
 * outstanding between calls). */
static void drain_events(void)
{
    while (ring->rsp_prod != ring->rsp_cons) {
        struct xsd_sockmsg m;
        (void)read_message(&m);
    }
}

long xs_wait(const char *path, int (*ok)(long value), unik_time_t deadline)
{
    static const char token[] = "unik-wait";
    if (xs_watch(path, token))
        return -1;
    long v = -1;
    for (;;) {
        long cur;
        watch_events = 0;               /* before the read: an event during it counts */
        if (xs_read_long(path, &cur) == 0 && ok(cur)) {
            v = cur;
            break;
        }
        while (!watch_events) {
            if (ring->rsp_prod != ring->rsp_cons) {
                drain_events();
                continue;
            }
            if (unik_clock_monotonic() >= deadline)
                goto out;
            dev_evtchn_wait(port, deadline);
        }
    }
out:
    xs_unwatch(path, token);
    return v;
}
