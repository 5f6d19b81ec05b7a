/*
 * dev_abi.h — the Xen device ABI the frontends speak: grant table v1
 * (xen/grant_table.h), xenstore wire format (xen/io/xs_wire.h), shared rings
 * (xen/io/ring.h), blkif (xen/io/blkif.h) and netif (xen/io/netif.h). Written
 * from those headers (libxen-dev); layouts are pinned by the asserts below.
 */
#ifndef UNIK_XEN_DEV_ABI_H
#define UNIK_XEN_DEV_ABI_H

#include <stdint.h>

/* ---- hypercalls ---- */
#define HC_grant_table_op        20
#define GNTTABOP_setup_table     2
#define GNTTABOP_query_size      6
#define XENMEM_add_to_physmap    7
#define XENMAPSPACE_grant_table  1

typedef uint32_t grant_ref_t;
typedef uint16_t domid_t;

struct xen_grant_entry_v1 {
    uint16_t flags;
    domid_t domid;
    uint32_t frame;
};
#define GTF_permit_access   1u
#define GTF_readonly        (1u << 2)
#define GTF_reading         (1u << 3)
#define GTF_writing         (1u << 4)
#define GNTTAB_NR_RESERVED  8           /* refs the toolstack keeps (console, store) */

struct xen_gnttab_setup_table {
    domid_t dom;
    uint32_t nr_frames;
    int16_t status;
    uint64_t *frame_list;
};
struct xen_gnttab_query_size {
    domid_t dom;
    uint32_t nr_frames;
    uint32_t max_nr_frames;
    int16_t status;
};
struct xen_add_to_physmap {
    domid_t domid;
    uint16_t size;
    uint32_t space;
    uint64_t idx;
    uint64_t gpfn;
};

struct xen_evtchn_alloc_unbound {
    domid_t dom, remote_dom;
    uint32_t port;                      /* out */
};

/* ---- xenstore ---- */
enum {
    XS_DIRECTORY = 1, XS_READ = 2, XS_WATCH = 4, XS_UNWATCH = 5,
    XS_TRANSACTION_START = 6, XS_TRANSACTION_END = 7, XS_WRITE = 11, XS_MKDIR = 12,
    XS_RM = 13, XS_WATCH_EVENT = 15, XS_ERROR = 16,
};
struct xsd_sockmsg {
    uint32_t type, req_id, tx_id, len;
};
#define XENSTORE_RING_SIZE   1024
#define XENSTORE_PAYLOAD_MAX 4096
struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];
    char rsp[XENSTORE_RING_SIZE];
    uint32_t req_cons, req_prod;
    uint32_t rsp_cons, rsp_prod;
};

/* xenbus states */
enum {
    XenbusStateUnknown, XenbusStateInitialising, XenbusStateInitWait,
    XenbusStateInitialised, XenbusStateConnected, XenbusStateClosing,
    XenbusStateClosed,
};

/* ---- shared rings: a 64-byte header, then a power of two of slots ---- */
struct ring_header {
    uint32_t req_prod, req_event;
    uint32_t rsp_prod, rsp_event;
    uint8_t pad[48];
};

/* ---- blkif ---- */
#define BLKIF_OP_READ            0
#define BLKIF_OP_WRITE           1
#define BLKIF_OP_FLUSH_DISKCACHE 3
#define BLKIF_MAX_SEGMENTS       11
#define BLKIF_RSP_OKAY           0
struct blkif_segment {
    grant_ref_t gref;
    uint8_t first_sect, last_sect;
    uint16_t pad;
};
struct blkif_request {
    uint8_t operation;
    uint8_t nr_segments;
    uint16_t handle;
    uint64_t id;
    uint64_t sector_number;
    struct blkif_segment seg[BLKIF_MAX_SEGMENTS];
};
struct blkif_response {
    uint64_t id;
    uint8_t operation;
    int16_t status;
};
#define BLK_RING_SIZE 32
struct blkif_sring {
    struct ring_header h;
    union {
        struct blkif_request req;
        struct blkif_response rsp;
    } ring[BLK_RING_SIZE];
};

/* ---- netif ---- */
#define NETTXF_csum_blank     (1u << 0)
#define NETTXF_data_validated (1u << 1)
#define NETTXF_more_data      (1u << 2)
#define NETRXF_more_data      (1u << 2)
#define NETIF_RSP_OKAY        0
struct netif_tx_request {
    grant_ref_t gref;
    uint16_t offset, flags, id, size;
};
struct netif_tx_response {
    uint16_t id;
    int16_t status;
};
struct netif_rx_request {
    uint16_t id, pad;
    grant_ref_t gref;
};
struct netif_rx_response {
    uint16_t id, offset, flags;
    int16_t status;
};
#define NET_TX_RING_SIZE 256
#define NET_RX_RING_SIZE 256
struct netif_tx_sring {
    struct ring_header h;
    union {
        struct netif_tx_request req;
        struct netif_tx_response rsp;
    } ring[NET_TX_RING_SIZE];
};
struct netif_rx_sring {
    struct ring_header h;
    union {
        struct netif_rx_request req;
        struct netif_rx_response rsp;
    } ring[NET_RX_RING_SIZE];
};

_Static_assert(sizeof(struct xen_grant_entry_v1) == 8, "grant entry");
_Static_assert(sizeof(struct xen_gnttab_setup_table) == 24, "setup_table");
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "add_to_physmap");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, req_cons) == 2048, "xs");
_Static_assert(sizeof(struct blkif_request) == 112, "blkif request");
_Static_assert(sizeof(struct blkif_response) == 16, "blkif response");
_Static_assert(sizeof(struct blkif_sring) <= 4096, "blkif ring");
_Static_assert(sizeof(struct netif_tx_request) == 12, "netif tx request");
_Static_assert(sizeof(struct netif_rx_response) == 8, "netif rx response");
_Static_assert(sizeof(struct netif_tx_sring) <= 4096, "netif tx ring");
_Static_assert(sizeof(struct netif_rx_sring) <= 4096, "netif rx ring");

#endif /* UNIK_XEN_DEV_ABI_H */
