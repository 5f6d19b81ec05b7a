/*
 * xen_abi.h — the parts of the Xen guest ABI (x86-64, PV) the core uses.
 *
 * Our own definitions, written from Xen's public headers (xen/xen.h,
 * xen/sched.h, xen/vcpu.h, xen/event_channel.h, xen/memory.h,
 * xen/io/console.h, xen/elfnote.h, xen/errno.h), which are the spec. The
 * embedded runner (core/runner/xenabi.py) implements the same numbers and
 * layouts from the host side.
 */
#ifndef UNIK_XEN_ABI_H
#define UNIK_XEN_ABI_H

#ifndef __ASSEMBLY__
#include <stdint.h>
#endif

/* ELF note types (name "Xen"). */
#define XEN_NOTE_ENTRY          1
#define XEN_NOTE_HYPERCALL_PAGE 2

/* Hypercall numbers; stub i of the hypercall page is at hypercall_page + 32*i. */
#define HC_set_trap_table       0
#define HC_mmu_update           1
#define HC_set_callbacks        4
#define HC_memory_op            12
#define HC_multicall            13
#define HC_update_va_mapping    14
#define HC_set_timer_op         15
#define HC_xen_version          17
#define HC_console_io           18
#define HC_vcpu_op              24
#define HC_set_segment_base     25
#define HC_mmuext_op            26
#define HC_sched_op             29
#define HC_event_channel_op     32
#define HC_STUB_SIZE            32

#ifndef __ASSEMBLY__

/* Error numbers (returned negated). */
#define XEN_EPERM   1
#define XEN_EINVAL  22
#define XEN_ENOSYS  38
#define XEN_ETIME   62

/* console_io */
#define CONSOLEIO_write 0

/* sched_op */
#define SCHEDOP_yield         0
#define SCHEDOP_block         1
#define SCHEDOP_shutdown      2
#define SCHEDOP_poll          3
#define SCHEDOP_shutdown_code 5
#define SHUTDOWN_poweroff     0
#define SHUTDOWN_crash        3

struct xen_sched_shutdown {
    uint32_t reason;
};

struct xen_sched_poll {
    uint32_t *ports;            /* guest handle */
    uint32_t nr_ports;
    uint64_t timeout;           /* absolute system time (ns), 0 = none */
};

/* vcpu_op */
#define VCPUOP_set_singleshot_timer  8
#define VCPUOP_stop_singleshot_timer 9
#define VCPU_SSHOTTMR_future         1

struct xen_vcpu_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;
};

/* event_channel_op */
#define EVTCHNOP_bind_virq     1
#define EVTCHNOP_close         3
#define EVTCHNOP_send          4
#define EVTCHNOP_alloc_unbound 6
#define EVTCHNOP_unmask        9
#define VIRQ_TIMER             0
#define DOMID_SELF             0x7ff0u

struct xen_evtchn_bind_virq {
    uint32_t virq;
    uint32_t vcpu;
    uint32_t port;              /* out */
};

struct xen_evtchn_port {        /* close, send, unmask */
    uint32_t port;
};

/* memory_op */
#define XENMEM_populate_physmap 6
#define XENMEM_memory_map 9

struct xen_memory_reservation {
    uint64_t extent_start;          /* guest pointer to an array of pfns */
    uint64_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;
    uint16_t domid;
};

/* mmu_update / mmuext_op / multicall */
#define MMU_NORMAL_PT_UPDATE   0
#define MMUEXT_TLB_FLUSH_LOCAL 6
#define MMUEXT_INVLPG_LOCAL    7
#define DOMID_SELF_MMU         0x7ff0u

struct xen_mmu_update {
    uint64_t ptr;               /* machine address of the PTE | command */
    uint64_t val;
};

struct xen_mmuext_op {
    uint32_t cmd;
    uint32_t pad;
    uint64_t arg1;              /* mfn or linear address */
    uint64_t arg2;
};

struct xen_multicall_entry {
    uint64_t op;
    uint64_t result;
    uint64_t args[6];
};

/* update_va_mapping flags */
#define UVMF_INVLPG 2

/* Xen's read-only machine-to-physical table in every x86-64 PV guest. */
#define XEN_M2P_VIRT_START 0xffff800000000000ull

/* set_segment_base */
#define SEGBASE_FS 0

/* start_info: the record %rsi points to at the PV entry. */
#define SIF_PRIVILEGED    (1u << 0)
#define SIF_INITDOMAIN    (1u << 1)
/*
 * unik's own flags, set only by the embedded runner (real Xen never does):
 * RUNNER: the boot page tables map all RAM (user, writable, identity; 2 MiB
 * pages but the first 2 MiB and those holding the tables, whose frames are
 * read-only) and shared_info lies inside it; WRFSBASE: CPL3 may write the FS base itself
 * (else HYPERVISOR_set_segment_base).
 */
#define SIF_UNIK_RUNNER   (1u << 30)
#define SIF_UNIK_WRFSBASE (1u << 29)
/* RAM beyond the boot region must be populated (XENMEM_populate_physmap)
 * before use: the runner gives it to KVM as the guest's allocator reaches it. */
#define SIF_UNIK_POPULATE (1u << 28)
/* With SIF_UNIK_POPULATE, what the runner gives at boot: the first 128 MiB
 * (core/runner/kvmcpu.py POPULATE_FIRST). */
#define UNIK_POPULATED_AT_BOOT (128ull << 20)
/* The runner backs guest RAM from here on with transparent huge pages
 * (= HUGE_PAGES_FROM in core/runner/__init__.py). */
#define UNIK_HUGE_PAGES_FROM (16ull << 20)

struct xen_start_info {
    char magic[32];             /* "xen-<version>-x86_64" */
    uint64_t nr_pages;
    uint64_t shared_info;       /* machine address */
    uint32_t flags;
    uint32_t pad0;
    uint64_t store_mfn;
    uint32_t store_evtchn;
    uint32_t pad1;
    uint64_t console_mfn;       /* domU console ring (0 for dom0) */
    uint32_t console_evtchn;
    uint32_t pad2;
    uint64_t pt_base;           /* virtual address of the top-level page table */
    uint64_t nr_pt_frames;
    uint64_t mfn_list;          /* virtual address of the p2m list */
    uint64_t mod_start;
    uint64_t mod_len;
    char cmd_line[1024];
    uint64_t first_p2m_pfn;
    uint64_t nr_p2m_frames;
};

/* shared_info (one page) */
struct xen_vcpu_time_info {
    uint32_t version;           /* odd while the record is being updated */
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;       /* ns at tsc_timestamp */
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad1[2];
};

struct xen_vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    uint8_t pad[6];
    uint64_t evtchn_pending_sel;
    uint64_t cr2;
    uint64_t arch_pad;
    struct xen_vcpu_time_info time;
};

#define XEN_LEGACY_MAX_VCPUS 32
#define XEN_NR_EVTCHN_WORDS  64

struct xen_shared_info {
    struct xen_vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    uint64_t evtchn_pending[XEN_NR_EVTCHN_WORDS];
    uint64_t evtchn_mask[XEN_NR_EVTCHN_WORDS];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    uint64_t max_pfn;
    uint64_t pfn_to_mfn_frame_list_list;
    uint64_t nmi_reason;
    uint64_t p2m_cr3;
    uint64_t p2m_vaddr;
    uint64_t p2m_generation;
};

/* The PV console ring (one page). */
struct xen_cons_ring {
    char in[1024];
    char out[2048];
    uint32_t in_cons, in_prod;
    uint32_t out_cons, out_prod;
};

_Static_assert(sizeof(struct xen_start_info) == 1168, "start_info layout");
_Static_assert(sizeof(struct xen_vcpu_info) == 64, "vcpu_info layout");
_Static_assert(__builtin_offsetof(struct xen_shared_info, wc_version) == 3072,
               "shared_info layout");
_Static_assert(sizeof(struct xen_shared_info) == 3136, "shared_info size");
_Static_assert(__builtin_offsetof(struct xen_cons_ring, out_prod) == 3084,
               "console ring layout");
_Static_assert(sizeof(struct xen_sched_poll) == 24, "sched_poll layout");
_Static_assert(sizeof(struct xen_mmuext_op) == 24, "mmuext_op layout");

#endif /* !__ASSEMBLY__ */
#endif /* UNIK_XEN_ABI_H */
