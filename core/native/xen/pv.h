/*
 * pv.h — the xen-pv platform's internal interface, grouped by the file that
 * implements it. The platform runs at CPL3 on the embedded runner and as a
 * classic PV guest on Xen; it is entered at _unik_pv_entry
 * (arch/x86_64/pv_entry.S) with %rsi = start_info.
 */
#ifndef UNIK_XEN_PV_H
#define UNIK_XEN_PV_H

#include <stddef.h>
#include <stdint.h>
#include <unik.h>
#include "xen_abi.h"

/* pv_start.c */
extern struct xen_start_info *xen_start;
extern volatile struct xen_shared_info *xen_shared;
int pv_on_runner(void);
/* Frame numbers: guest pseudo-physical (pfn) vs machine (mfn). The runner
 * maps them 1:1; on Xen, through the p2m list and Xen's m2p table. */
uint64_t pv_pfn_to_mfn(uint64_t pfn);
uint64_t pv_mfn_to_pfn(uint64_t mfn);

/* pv_console.c */
void pv_console_init(const struct xen_start_info *si);
void pv_console_write(const char *buf, size_t len);
void pv_console_flush(void);
/* If output awaits a notify: clear that state and return the port, else 0
 * (for callers that batch the notify with other hypercalls). */
uint32_t pv_console_take_notify(void);

/* pv_streams.c: stdout/stderr on the runner's stream rings (unik_streams.h),
 * on the PV console elsewhere. */
struct unik_winsize;
void pv_streams_init(const struct xen_start_info *si);
void pv_streams_region(uint64_t *start, uint64_t *end);
void pv_stream_write(int fd, const char *buf, size_t len);
void pv_diag_write(const char *buf, size_t len);
const struct unik_winsize *pv_stream_tty(int fd);

/* pv_stdin.c: fd 0 on the runner's stdin ring (unik_streams.h); end of
 * file without it. */
struct unik_stream_desc;
void pv_stdin_init(const struct unik_stream_desc *d);
void pv_stdin_region(uint64_t *start, uint64_t *end);
const struct unik_winsize *pv_stdin_tty(void);
long pv_stdin_read(void *buf, size_t len, size_t want);
int pv_stdin_ready(void);
void pv_stdin_disarm(void);

/* pv_time.c */
unik_time_t pv_clock_monotonic(void);
unik_time_t pv_clock_wall(void);

/* pv_events.c */
void pv_events_init(void);
int pv_evtchn_test_and_clear(uint32_t port);
void pv_evtchn_notify(uint32_t port);
unik_handle_set_t pv_yield(unik_time_t deadline);

/* pv_mmu.c */
int pv_map_pages(uint64_t va, uint64_t pa, size_t n, unsigned prot);
int pv_map_ram_early(uint64_t mapped_end, uint64_t ram_end, uint64_t *free, uint64_t limit);

/* pv_traps.c (+ arch/x86_64/pv_trap_entry.S) */
void pv_traps_init(void);

/* pv_plat.c */
extern const struct plat_ops xen_pv_ops;
__attribute__((noreturn)) void pv_exit(int status);

#endif /* UNIK_XEN_PV_H */
