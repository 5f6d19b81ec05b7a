/*
 * unik_streams.h — the embedded runner's stream extension (unik's own, not Xen's).
 *
 * Xen gives a PV domU one console ring of 2 KiB; its convention for a
 * second console (xenstore device/console/1) needs a xenstore. The runner
 * instead announces two larger output rings — one per standard stream — and
 * a stdin ring (below) in a record at UNIK_STREAMS_OFFSET inside the
 * start_info page, and only when
 * it sets SIF_UNIK_RUNNER: real Xen never sets that flag and never writes
 * there, so a guest on Xen ignores the record and writes both streams to
 * the one PV console (merged, in order).
 *
 * Each ring is a header page (struct unik_stream_ring) followed by `size`
 * bytes of data (a power of two, whole pages). The guest produces, the
 * runner consumes; indices are free-running 32-bit counters as in Xen's
 * console ring. The runner drains the rings on its own while the vCPU runs
 * (and whenever the guest stops or waits), so the guest notifies the ring's
 * event channel only when it finds the ring full — an exit per ring-full at
 * most, not per write.
 */
#ifndef UNIK_STREAMS_H
#define UNIK_STREAMS_H

#include <stdint.h>

#define UNIK_STREAMS_OFFSET 0xC00         /* in the start_info page */
#define UNIK_STREAMS_MAGIC  0x316d727473756e75ull   /* "unustrm1" little-endian */

#define UNIK_STREAM_OUT 0                 /* guest fd 1 → host stdout */
#define UNIK_STREAM_ERR 1                 /* guest fd 2 and the core's lines → host stderr */
#define UNIK_NR_STREAMS 2
#define UNIK_STREAM_IN  2                 /* host stdin → guest fd 0 (when nr > 2) */

struct unik_stream_desc {
    uint64_t ring;          /* guest-physical address of the header page */
    uint32_t size;          /* data bytes after the header page (power of two) */
    uint32_t evtchn;        /* notify when full */
    uint16_t tty_rows;      /* the host side is a terminal of this size; 0 0: not a terminal */
    uint16_t tty_cols;
    uint32_t reserved;
};

struct unik_streams {
    uint64_t magic;
    uint32_t version;       /* 1 */
    uint32_t nr;            /* UNIK_NR_STREAMS */
    struct unik_stream_desc stream[UNIK_NR_STREAMS + 1];    /* nr of them used */
};

struct unik_stream_ring {
    volatile uint32_t cons; /* runner */
    volatile uint32_t prod; /* guest */
    /* Guest: Xen system time (ns) of its first write, for the runner's
     * "time to first byte" — the drain that sees it may come later. */
    volatile uint64_t first_write_ns;
};

/*
 * The stdin ring (stream[UNIK_STREAM_IN], when the record's nr > 2) runs the
 * other way: the runner produces, the guest consumes, and the runner reads
 * the host's stdin only when the guest asks — as a process's read(2) does —
 * so input the guest never asks for stays with the host for whoever reads
 * it next. The guest sets `want` to the index it wants data up to (cons +
 * its read's size) and notifies the event channel; the runner reads at most
 * want - prod bytes (and what fits), publishes them, and raises the event.
 * A poll sets `poll` and notifies; the runner raises the event once a read
 * would not block (UNIK_STDIN_READY). A host read of 0 bytes is end of file:
 * for a pipe or a file UNIK_STDIN_CLOSED (every later read returns 0), for
 * a terminal one more `eofs` (one read returns 0 per Ctrl-D, then reading
 * goes on, as on a terminal). The runner sets CLOSED up front when the
 * host's stdin is /dev/null or not open.
 */
#define UNIK_STDIN_CLOSED 1u
#define UNIK_STDIN_READY  2u

struct unik_stdin_ring {
    volatile uint32_t cons;  /* guest */
    volatile uint32_t prod;  /* runner */
    volatile uint32_t want;  /* guest: read up to this index */
    volatile uint32_t poll;  /* guest: nonzero = tell me when a read would not block */
    volatile uint32_t state; /* runner: UNIK_STDIN_* */
    volatile uint32_t eofs;  /* runner: end-of-file answers given on a terminal */
};

_Static_assert(sizeof(struct unik_stream_desc) == 24, "stream descriptor layout");
_Static_assert(sizeof(struct unik_streams) == 88, "streams record layout");

#endif /* UNIK_STREAMS_H */
