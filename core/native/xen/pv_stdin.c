/*
 * pv_stdin.c — the guest's stdin on the runner's stdin ring (unik_streams.h).
 *
 * The runner reads the host's stdin only when asked: a read that finds the
 * ring empty sets `want` (the index it wants data up to) and notifies; a
 * poll sets `poll`. The answer raises the ring's event channel, which
 * pv_yield polls with the devices' ports (the ring has a device handle);
 * it ends a wait only while someone asked since that wait began (`armed`),
 * so an answer nobody waits for any more does not cut a later sleep short.
 * Without the ring (real Xen, an older runner) fd 0 is at end of file.
 */
#include <unik/plat.h>
#include "dev.h"
#include "pv.h"
#include "unik_streams.h"

#define HEADER_PAGE 4096                /* the ring's header page, before its data */
#define MIN_ASK 4096
#define L_EIO 5                         /* Linux errno values (the bare test guest */
#define L_EAGAIN 11                     /* builds without libc headers) */

static volatile struct unik_stdin_ring *ring;
static const char *data;
static uint32_t size;
static uint32_t evtchn;
static uint32_t eofs_seen;          /* terminal end-of-file answers taken */
static int armed;                   /* a waiter wants the next answer to wake it */
static int asked;                   /* a read request is out, not answered yet */
static struct unik_winsize tty;

/* The xen platform also links without the kernel's string.c (the runner's
 * bare test guest): a copy of its own, as pv_streams.c has. */
static void copy(void *dst, const void *src, size_t n)
{
    __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static uint32_t load(volatile uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* Bytes waiting in the ring; indices the runner could not have written
 * (more than the ring holds) read as none and end the stream. */
static uint32_t available(int *bad)
{
    uint32_t n = load(&ring->prod) - ring->cons;
    *bad = n > size;
    return *bad ? 0 : n;
}

static int at_eof(void)
{
    return (load(&ring->state) & UNIK_STDIN_CLOSED) || load(&ring->eofs) != eofs_seen;
}

static int answered(void)
{
    int bad;
    return available(&bad) || bad || at_eof() || (load(&ring->state) & UNIK_STDIN_READY);
}

/* unik_yield's view (pv_devices.c): the answer a waiter asked for is here. */
static int has_work(void *ctx)
{
    (void)ctx;
    return armed && answered();
}

void pv_stdin_init(const struct unik_stream_desc *d)
{
    if (!d->ring || !d->size || (d->size & (d->size - 1)))
        return;
    if (dev_handle_alloc(d->evtchn, has_work, NULL) < 0)
        return;
    ring = (volatile struct unik_stdin_ring *)(uintptr_t)d->ring;
    data = (const char *)(uintptr_t)(d->ring + HEADER_PAGE);
    size = d->size;
    evtchn = d->evtchn;
    eofs_seen = ring->eofs;
    tty.rows = d->tty_rows;
    tty.cols = d->tty_cols;
}

void pv_stdin_region(uint64_t *start, uint64_t *end)
{
    *start = *end = 0;
    if (ring) {
        *start = (uint64_t)(uintptr_t)ring;
        *end = *start + HEADER_PAGE + size;
    }
}

const struct unik_winsize *pv_stdin_tty(void)
{
    return ring && tty.rows ? &tty : NULL;
}

void pv_stdin_disarm(void)
{
    armed = 0;
}

/* What the ring holds (up to len), or end of file: > 0, 0, -L_EAGAIN for
 * nothing yet, -L_EIO for indices the runner could not have written. */
static long take(void *buf, size_t len)
{
    int bad;
    uint32_t n = available(&bad);
    if (bad)
        return -L_EIO;
    if (n) {
        uint32_t cons = ring->cons;
        if (n > len)
            n = (uint32_t)len;
        uint32_t at = cons & (size - 1);
        uint32_t first = size - at < n ? size - at : n;
        copy(buf, data + at, first);
        if (n > first)
            copy((char *)buf + first, data, n - first);
        __atomic_store_n(&ring->cons, cons + n, __ATOMIC_RELEASE);
        asked = 0;
        return n;
    }
    if (load(&ring->state) & UNIK_STDIN_CLOSED) {
        asked = 0;
        return 0;
    }
    if (load(&ring->eofs) != eofs_seen) {
        eofs_seen++;
        asked = 0;
        return 0;
    }
    return -L_EAGAIN;
}

long pv_stdin_read(void *buf, size_t len, size_t want)
{
    if (!ring || !len)
        return 0;
    long r = take(buf, len);
    if (r != -L_EAGAIN || !want)
        return r;
    /* One request at a time: the runner answers each with one host read
     * (data or end of file), so nothing moves the ring but an answer. */
    armed = 1;
    if (asked)
        return -L_EAGAIN;
    /* At least what a native program's stdio reads at a time from a pipe
     * or a file (glibc: st_blksize, 4 KiB): musl's 1 KiB stdin buffer
     * would otherwise cost an exit per KiB. */
    if (want < MIN_ASK)
        want = MIN_ASK;
    uint32_t ask = want < size ? (uint32_t)want : size;
    asked = 1;
    __atomic_store_n(&ring->want, ring->cons + ask, __ATOMIC_RELEASE);
    pv_evtchn_notify(evtchn);
    /* The runner answers during the notify when the host's stdin had
     * something (a file, a pipe with data): no wait then. */
    return take(buf, len);
}

int pv_stdin_ready(void)
{
    if (!ring)
        return 1;
    if (answered())
        return 1;
    armed = 1;
    if (!load(&ring->poll)) {
        __atomic_store_n(&ring->poll, 1, __ATOMIC_RELEASE);
        pv_evtchn_notify(evtchn);
    }
    return 0;
}
