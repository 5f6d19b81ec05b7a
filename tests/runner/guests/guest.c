/*
 * guest.c — a bare test guest for the runner: the xen-pv platform with a
 * core_main of its own that does what its command line says:
 *   hello            print a line and exit 0
 *   exit N           exit with status N
 *   clock            print monotonic/wall clocks around a 20 ms yield
 *   pagefault        read an unmapped address (expect 125 + a register dump)
 *   null             read address 0 (the runner leaves page 0 unmapped)
 *   lowpeek          read the runner's GDT page (supervisor-only: faults at CPL3)
 *   spin             loop forever at CPL3 (expect 124 with --timeout)
 *   sleep            yield until the end of time (blocks in SCHEDOP_poll)
 *   ring             corrupt the console ring indices, then notify
 *   abort            exit through the crash path with 126
 *   big              print 10000 numbered lines (ring wrap-around)
 *   map              remap pages with plat->map_pages and check contents
 *   fsbase           set and read back the FS base
 *   fpu              print the x87 control word and MXCSR the guest starts with
 *   hostile          make hypercalls with bad arguments, print their results
 *   hcloop N         make N xen_version hypercalls, print "hypercall_ns <total>"
 */
#include <unik/plat.h>
#include "../../../core/native/xen/hypercall.h"
#include "../../../core/native/xen/pv.h"

const struct plat_ops *plat;

/* The core's exception report (arch/x86_64/traps.c), for pv_traps.c on Xen. */
#include <unik/arch.h>
void arch_trap_report(const struct trap_frame *f, uint64_t cr2)
{
    plat->console_write("unik: CPU exception\n", 20);
    (void)f;
    (void)cr2;
}

/* The core's page allocator, for the platform's page tables: a small pool. */
uint64_t page_alloc(size_t n);
static uint8_t pool[32][4096] __attribute__((aligned(4096)));
static unsigned pool_used;

uint64_t page_alloc(size_t n)
{
    if (n != 1 || pool_used == 32)
        return 0;
    return (uint64_t)(uintptr_t)pool[pool_used++];
}

/* What the tests read: the guest's stdout (console_write is the core's own
 * lines, which go to stderr where the host has two streams). */
static void out(const char *s, size_t n)
{
    plat->stream_write(1, s, n);
}

static void puts_(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    out(s, n);
}

static void putu(uint64_t v)
{
    char b[24];
    int i = 23;
    b[i] = 0;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    puts_(b + i);
}

static void puti(long v)
{
    if (v < 0) {
        puts_("-");
        putu((uint64_t)-v);
    } else {
        putu((uint64_t)v);
    }
}

static int starts(const char *s, const char *p)
{
    while (*p)
        if (*s++ != *p++)
            return 0;
    return 1;
}

static int atoi_(const char *s)
{
    int v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (*s++ - '0');
    return v;
}

static uint8_t scratch[3][4096] __attribute__((aligned(4096)));

static void report(const char *what, long rc)
{
    puts_(what);
    puts_(" ");
    puti(rc);
    puts_("\n");
}

static void hostile(void)
{
    const uint64_t bad = 0x7fff00000000ull;
    report("console_io_badptr", HYPERVISOR_console_io(CONSOLEIO_write, 10, (const char *)bad));
    report("console_io_huge", HYPERVISOR_console_io(CONSOLEIO_write, 0x7fffffff, "x"));
    report("console_io_neg", HYPERVISOR_console_io(CONSOLEIO_write, -1, "x"));
    report("sched_badcmd", HYPERVISOR_sched_op(99, 0));
    report("sched_shutdown_badptr", HYPERVISOR_sched_op(SCHEDOP_shutdown, (void *)bad));
    struct xen_evtchn_port p = { .port = 100000 };
    report("evtchn_send_badport", HYPERVISOR_event_channel_op(EVTCHNOP_send, &p));
    p.port = 4000;
    report("evtchn_close_unbound", HYPERVISOR_event_channel_op(EVTCHNOP_close, &p));
    report("evtchn_badptr", HYPERVISOR_event_channel_op(EVTCHNOP_send, (void *)bad));
    report("evtchn_badcmd", HYPERVISOR_event_channel_op(77, &p));
    struct xen_evtchn_bind_virq bv = { .virq = 9999, .vcpu = 0 };
    report("bind_virq_bad", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv));
    bv.virq = VIRQ_TIMER;
    HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv);
    report("bind_virq_again", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv));
    report("vcpu_op_badvcpu", HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 5, 0));
    struct xen_vcpu_singleshot_timer t = { .timeout_abs_ns = 1, .flags = VCPU_SSHOTTMR_future };
    report("timer_past_future", HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t));
    uint32_t ports[1] = { 0 };
    struct xen_sched_poll poll = { .ports = (uint32_t *)bad, .nr_ports = 1, .timeout = 0 };
    report("poll_badptr", HYPERVISOR_sched_op(SCHEDOP_poll, &poll));
    poll.ports = ports;
    poll.nr_ports = 1u << 30;
    report("poll_huge", HYPERVISOR_sched_op(SCHEDOP_poll, &poll));
    struct xen_mmu_update u = { .ptr = bad, .val = 0 };
    unsigned done = 0;
    report("mmu_update_badpte", HYPERVISOR_mmu_update(&u, 1, &done, DOMID_SELF_MMU));
    report("mmu_update_badreq", HYPERVISOR_mmu_update((void *)bad, 1, &done, DOMID_SELF_MMU));
    report("unknown_hypercall", xen_hypercall3(60, 0, 0, 0));
    report("xen_version", xen_hypercall3(HC_xen_version, 0, 0, 0));
    report("memory_op_badcmd", xen_hypercall3(HC_memory_op, 1000, 0, 0));
}

static void do_map(void)
{
    uint8_t *a = scratch[0], *b = scratch[1];
    a[0] = 'A';
    b[0] = 'B';
    const uint64_t va = 0x4000000000ull;    /* 256 GiB: unmapped at boot */
    int rc = plat->map_pages(va, (uint64_t)(uintptr_t)a, 1, PLAT_PROT_READ | PLAT_PROT_WRITE);
    report("map_a", rc);
    volatile uint8_t *p = (volatile uint8_t *)va;
    puts_("read ");
    out((const char *)p, 1);
    puts_("\n");
    rc = plat->map_pages(va, (uint64_t)(uintptr_t)b, 1, PLAT_PROT_READ | PLAT_PROT_WRITE);
    report("map_b", rc);
    puts_("read ");
    out((const char *)p, 1);
    puts_("\n");
    /* Split a 2 MiB page of the identity map: remap scratch[2] onto a. */
    rc = plat->map_pages((uint64_t)(uintptr_t)scratch[2], (uint64_t)(uintptr_t)a, 1,
                         PLAT_PROT_READ | PLAT_PROT_WRITE);
    report("map_split", rc);
    puts_("read ");
    out((const char *)scratch[2], 1);
    puts_("\n");
    rc = plat->map_pages(va, 0, 1, PLAT_PROT_NONE);
    report("unmap", rc);
    puts_("touching unmapped\n");
    plat->console_flush();
    (void)*p;
    puts_("unmapped page still readable\n");
    plat->exit(1);
}

__attribute__((noreturn)) void core_main(struct plat_boot *boot)
{
    plat = boot->ops;
    const char *c = boot->cmdline;
    if (starts(c, "hello")) {
        puts_("Hello from the bare guest on ");
        puts_(plat->name);
        puts_("\n");
        plat->exit(0);
    } else if (starts(c, "exit ")) {
        plat->exit(atoi_(c + 5));
    } else if (starts(c, "clock")) {
        unik_time_t t0 = plat->clock_monotonic();
        unik_time_t w0 = plat->clock_wall();
        plat->yield(t0 + 20000000);
        unik_time_t t1 = plat->clock_monotonic();
        puts_("slept_ms ");
        putu((t1 - t0) / 1000000);
        puts_("\nwall_s ");
        putu(w0 / 1000000000ull);
        puts_("\nram ");
        putu(boot->ram[0].start);
        puts_(" ");
        putu(boot->ram[0].end);
        puts_("\n");
        plat->exit(0);
    } else if (starts(c, "pagefault")) {
        puts_("faulting\n");
        plat->console_flush();
        (void)*(volatile uint64_t *)0x7fff00000000ull;
    } else if (starts(c, "lowpeek")) {
        (void)*(volatile uint64_t *)0x1008;
        puts_("read the GDT\n");
        plat->exit(1);
    } else if (starts(c, "null")) {
        (void)*(volatile uint64_t *)0;
    } else if (starts(c, "spin")) {
        puts_("spinning\n");
        plat->console_flush();
        for (;;)
            __asm__ volatile("" ::: "memory");
    } else if (starts(c, "sleep")) {
        puts_("sleeping\n");
        plat->yield(~0ull);
        puts_("woke up\n");
        plat->exit(0);
    } else if (starts(c, "ring")) {
        volatile struct xen_cons_ring *r =
            (volatile struct xen_cons_ring *)(uintptr_t)(xen_start->console_mfn << 12);
        r->out_prod = r->out_cons + 100000;
        pv_evtchn_notify(xen_start->console_evtchn);
        puts_("still running\n");
        plat->exit(3);
    } else if (starts(c, "abort")) {
        puts_("aborting\n");
        plat->exit(UNIK_EXIT_ABORT);
    } else if (starts(c, "big")) {
        for (int i = 0; i < 10000; i++) {
            puts_("line ");
            putu((uint64_t)i);
            puts_("\n");
        }
        plat->exit(0);
    } else if (starts(c, "map")) {
        do_map();
    } else if (starts(c, "fpu")) {
        uint16_t cw;
        uint32_t mx;
        __asm__ volatile("fnstcw %0" : "=m"(cw));
        __asm__ volatile("stmxcsr %0" : "=m"(mx));
        puts_("fcw ");
        putu(cw);
        puts_(" mxcsr ");
        putu(mx);
        puts_("\n");
        plat->exit(0);
    } else if (starts(c, "fsbase")) {
        scratch[2][8] = 'F';
        scratch[2][9] = 'S';
        plat->set_fs_base((uint64_t)(uintptr_t)scratch[2]);
        uint16_t v;
        __asm__ volatile("movw %%fs:8, %0" : "=r"(v) : : "memory");
        puts_("fs ");
        out((const char *)&v, 2);
        puts_("\n");
        plat->exit(0);
    } else if (starts(c, "hcloop ")) {
        int n = atoi_(c + 7);
        unik_time_t t0 = plat->clock_monotonic();
        for (int i = 0; i < n; i++)
            xen_hypercall3(HC_xen_version, 0, 0, 0);
        unik_time_t t1 = plat->clock_monotonic();
        puts_("hypercall_ns ");
        putu(t1 - t0);
        puts_("\n");
        plat->exit(0);
    } else if (starts(c, "hostile")) {
        hostile();
        plat->exit(0);
    }
    puts_("unknown command: ");
    puts_(c);
    puts_("\n");
    plat->exit(1);
}
