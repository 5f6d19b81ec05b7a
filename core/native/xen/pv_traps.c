/*
 * pv_traps.c — CPU exceptions on real Xen PV: the trap table (pv_trap_entry.S)
 * and the report. The runner reports exceptions itself (its IDT's ring-0
 * stubs exit to it), so there the table is not installed.
 */
#include <unik/arch.h>
#include <unik/plat.h>
#include "hypercall.h"
#include "pv.h"

extern const char pv_trap_table[];

void pv_traps_init(void)
{
    if (!pv_on_runner())
        xen_hypercall1(HC_set_trap_table, pv_trap_table);
}

__attribute__((noreturn)) void pv_trap(struct trap_frame *f);

__attribute__((noreturn)) void pv_trap(struct trap_frame *f)
{
    arch_trap_report(f, xen_shared->vcpu_info[0].cr2);
    pv_exit(UNIK_EXIT_CRASH);
}
