/*
 * pvh.h — the pvh-bare platform (QEMU -kernel and, one day, Xen PVH):
 * ring 0, our own page tables, 16550 UART at 0x3f8, isa-debug-exit at 0xf4.
 * Prototypes grouped by the file that implements them.
 */
#ifndef UNIK_PVH_H
#define UNIK_PVH_H

#include <stddef.h>
#include <stdint.h>
#include <unik/arch.h>
#include <unik/plat.h>

/* pvh_entry.S */
extern uint64_t pvh_pml4[512], pvh_pdpt[512], pvh_pd[4 * 512];
extern uint64_t pvh_gdt[5];

/* pvh_start.c */
extern const struct plat_ops pvh_ops;

/* pvh_console.c */
void pvh_console_init(void);
void pvh_console_write(const char *buf, size_t len);
void pvh_console_flush(void);
void pvh_stream_write(int fd, const char *buf, size_t len);

/* pvh_fwcfg.c: which host streams are terminals and the wall clock, from
 * QEMU's fw_cfg (after pvh_time_init). */
void pvh_fwcfg_init(void);
const struct unik_winsize *pvh_stream_tty(int fd);
long pvh_stdin_read(void *buf, size_t len, size_t want);      /* fd 0: "opt/unik/stdin" */
int pvh_stdin_ready(void);

/* pvh_time.c: the TSC, calibrated once at boot. */
void pvh_time_init(void);
unik_time_t pvh_clock_monotonic(void);
unik_time_t pvh_clock_wall(void);       /* pvh_fwcfg.c */
unik_handle_set_t pvh_yield(unik_time_t deadline);
/* How the TSC was calibrated (for diagnostics) and its rate. */
const char *pvh_time_method(uint64_t *hz);

/* pvh_mmu.c */
int pvh_map_pages(uint64_t va, uint64_t pa, size_t n, unsigned prot);

/* pvh_traps.c */
void pvh_traps_init(void);

/* pvh_xen.c: true when CPUID shows Xen; then pvh_xen_unsupported stops. */
int pvh_on_xen(void);
__attribute__((noreturn)) void pvh_xen_unsupported(void);

/* pvh_exit.c */
__attribute__((noreturn)) void pvh_exit(int status);

#endif /* UNIK_PVH_H */
