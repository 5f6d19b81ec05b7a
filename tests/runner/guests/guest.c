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
 *   flood            print numbered lines forever (a reader that stops reading)
 *   inport / outport read / write a port the TSS bitmap forbids (expect #GP, 125)
 *   lowwrite         ask hypercalls to write results into the runner's pages
 *   hcnumbers N      make N hypercalls with numbers no hypercall has
 *   fuzz SEED N      make N hypercalls with random numbers and arguments
 *                    (xorshift from SEED), print "fuzz done N"
 *   ptwrite          store to its own page table (make the TSS page user-writable):
 *                    read-only, as on Xen (expect a page fault, 125)
 *   ptrules          page-table updates Xen refuses, print their results
 *   ptbatch N K      K times map N pages (one mmu_update batch each), print
 *                    "ptbatch_ns <total>" (bench/pagetables.py)
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

/* Tables a 2 MiB page replaced (pv_mmu.c): the pool does not take them back. */
void page_free(uint64_t pa, size_t n);
void page_free(uint64_t pa, size_t n)
{
    (void)pa;
    (void)n;
}

/* The core functions the platform's xenstore client uses (for the exit
 * status on real Xen; kept by the linker since pv_exit may call it). */
size_t kstrlen(const char *s);
size_t kstrlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

unik_time_t unik_clock_monotonic(void)
{
    return plat->clock_monotonic();
}

void kprintf(const char *fmt, ...)
{
    plat->console_write(fmt, kstrlen(fmt));
}

void unik_abort(void)
{
    plat->exit(UNIK_EXIT_ABORT);
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
    /* unik_yield's multicall shape (served in C on KVM) with one bad part:
     * the per-call results must be the Python layer's. */
    uint32_t badport[2] = { 0, 5000 };
    struct xen_sched_poll past = { .ports = ports, .nr_ports = 1, .timeout = 1 };
    struct xen_multicall_entry mc[2] = {
        { .op = HC_vcpu_op, .args = { VCPUOP_set_singleshot_timer, 0, bad } },
        { .op = HC_sched_op, .args = { SCHEDOP_poll, (uint64_t)&past } },
    };
    long mrc = HYPERVISOR_multicall(mc, 2);
    report("multicall_sleep_badtimer", mrc ? mrc : (long)mc[0].result);
    past.ports = badport;
    past.nr_ports = 2;
    mc[0].args[2] = (uint64_t)&t;
    t.flags = 0;
    mrc = HYPERVISOR_multicall(mc, 2);
    report("multicall_sleep_badport", mrc ? mrc : (long)mc[1].result);
    struct xen_mmu_update u = { .ptr = bad, .val = 0 };
    unsigned done = 0;
    report("mmu_update_badpte", HYPERVISOR_mmu_update(&u, 1, &done, DOMID_SELF_MMU));
    report("mmu_update_badreq", HYPERVISOR_mmu_update((void *)bad, 1, &done, DOMID_SELF_MMU));
    report("unknown_hypercall", xen_hypercall3(60, 0, 0, 0));
    report("xen_version", xen_hypercall3(HC_xen_version, 0, 0, 0));
    report("memory_op_badcmd", xen_hypercall3(HC_memory_op, 1000, 0, 0));
}


/* A hypercall by number through the runner's port, for numbers the
 * hypercall page has no stub for (the runner only). */
static long raw_hypercall(uint32_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                          uint64_t a5)
{
    register uint64_t r10 __asm__("r10") = a4;
    register uint64_t r8 __asm__("r8") = a5;
    uint64_t rax = nr;
    __asm__ volatile("out %%eax, $0xe0"
                     : "+a"(rax), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                     :
                     : "memory", "rcx", "r11");
    return (long)rax;
}

static uint64_t rng;

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The fuzzer's arguments point into area[0..7]; a result written there may
 * run a page past it (xen_version writes up to 1 KiB), into slack. */
static struct {
    uint8_t area[8][4096];
    uint8_t slack[4096];
} fz __attribute__((aligned(4096)));

/* An argument: small numbers, pointers into the area (whose words are such
 * arguments too, so that pointers inside structs stay harmless to the
 * fuzzer), pointers the runner must refuse (its own pages, outside RAM,
 * non-canonical) or, when `any`, any 32- or 64-bit value. */
static uint64_t fuzz_arg(int any)
{
    uint64_t r = next_random();
    switch (r % (any ? 8 : 6)) {
    case 0: return (r >> 8) % 64;
    case 1:
    case 2: return (uint64_t)(uintptr_t)fz.area + (r >> 8) % (sizeof fz.area - 64);
    case 3: return (r >> 8) % 0x10000;                       /* the runner's pages */
    case 4: return 0x7fff00000000ull + (r >> 8) % 4096;      /* outside RAM */
    case 5: return 0x8000000000000000ull | (r >> 8);          /* non-canonical */
    case 6: return (r >> 8) % 0x100000000ull;
    default: return next_random();
    }
}

/* Hypercalls that cannot stop or block the guest nor rewrite its own memory
 * outside the area: sched_op and the page-table calls are left out (they
 * would end the run or remap the fuzzer), and so is multicall, which would
 * reach them. Everything else, and numbers no hypercall has. */
static const uint32_t fuzz_ops[] = { 0, 3, 4, 5, 6, 7, 12, 15, 17, 18, 19, 20, 22, 24, 25,
                                     32, 33, 34, 35, 36, 38, 40, 41, 48, 49, 60, 127 };

static void fuzz(uint64_t seed, unsigned n)
{
    rng = seed * 2654435761u + 1;
    for (unsigned i = 0; i < n; i++) {
        if (i % 256 == 0)
            for (unsigned k = 0; k < sizeof fz.area / 8; k++)
                ((uint64_t *)fz.area)[k] = fuzz_arg(0);
        uint64_t r = next_random();
        uint32_t nr = r % 16 == 0 ? (uint32_t)(r >> 32)
                                  : fuzz_ops[(r >> 8) % (sizeof fuzz_ops / sizeof fuzz_ops[0])];
        uint64_t a1 = fuzz_arg(1), a2 = fuzz_arg(1), a3 = fuzz_arg(1);
        if (nr == HC_console_io && (a2 & 0xffffffffu) > 4096)
            a2 = 0;                              /* keep the output small */
        if (nr == HC_set_segment_base)
            a1 = a1 % 2 ? 2 : 5;                 /* GS kernel or invalid; FS is left alone */
        raw_hypercall(nr, a1, a2, a3, fuzz_arg(1), fuzz_arg(1));
    }
    puts_("fuzz done ");
    putu(n);
    puts_("\n");
}

static void lowwrite(void)
{
    /* xen_version(extraversion) writes 16 bytes at its argument: the GDT. */
    report("xen_version_into_gdt", xen_hypercall3(HC_xen_version, 1, 0x1000, 0));
    struct xen_multicall_entry *mc = (struct xen_multicall_entry *)(uintptr_t)0x2000;
    report("multicall_into_idt", HYPERVISOR_multicall(mc, 1));
    struct xen_mmu_update u = { .ptr = 0, .val = 0 };
    report("pdone_into_tss", HYPERVISOR_mmu_update(&u, 0, (unsigned *)(uintptr_t)0x3000,
                                                   DOMID_SELF_MMU));
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

/* The boot tables' L1 entry for va (in the first 2 MiB: a 4 KiB table). */
static volatile uint64_t *boot_l1e(uint64_t va)
{
    const uint64_t addr = 0x000ffffffffff000ull;
    volatile uint64_t *t = (volatile uint64_t *)(uintptr_t)xen_start->pt_base;
    for (int shift = 39; shift > 12; shift -= 9)
        t = (volatile uint64_t *)(uintptr_t)(t[(va >> shift) & 511] & addr);
    return &t[(va >> 12) & 511];
}

static long update1(volatile uint64_t *entry, uint64_t val)
{
    struct xen_mmu_update u = { .ptr = (uint64_t)(uintptr_t)entry, .val = val };
    unsigned done = 0;
    return HYPERVISOR_mmu_update(&u, 1, &done, DOMID_SELF_MMU);
}

static void ptrules(void)
{
    const uint64_t va = 0x20000;            /* unused RAM below the image */
    volatile uint64_t *e = boot_l1e(va);
    uint64_t l4 = xen_start->pt_base;
    report("map_runner_tss", update1(e, 0x3000 | 7));
    report("map_table_writable", update1(e, l4 | 7));
    report("map_table_readonly", update1(e, l4 | 5));
    struct xen_mmuext_op flush = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
    unsigned done = 0;
    HYPERVISOR_mmuext_op(&flush, 1, &done, DOMID_SELF_MMU);
    puts_(((volatile uint64_t *)va)[0] == ((volatile uint64_t *)(uintptr_t)l4)[0]
          ? "table_view ok\n" : "table_view differs\n");
    report("map_beyond_ram", update1(e, (1ull << 40) | 7));
    report("change_runner_entry", update1(boot_l1e(0x3000), 0));
    struct xen_mmuext_op pin = { .cmd = 0 /* MMUEXT_PIN_L1_TABLE */,
                                 .arg1 = (uint64_t)(uintptr_t)scratch[0] >> 12 };
    report("pin_writable_page", HYPERVISOR_mmuext_op(&pin, 1, &done, DOMID_SELF_MMU));
    volatile uint64_t *l3 = (volatile uint64_t *)(uintptr_t)(((volatile uint64_t *)
                                                              (uintptr_t)l4)[0] & ~0xfffull);
    volatile uint64_t *l2 = (volatile uint64_t *)(uintptr_t)(l3[0] & 0x000ffffffffff000ull);
    /* 2 MiB pages are the runner's extension, checked; 1 GiB pages never */
    report("superpage_misaligned", update1(&l2[5], (6ull << 21) | 0x1000 | 0x87));
    report("superpage_over_runner", update1(&l2[5], 0x87));
    report("superpage_1g", update1(&l3[1], (1ull << 30) | 0x87));
    /* A table the guest cannot see at its own address (the runner stores
     * through it): pinned fine, its entries refused. */
    uint64_t t = (uint64_t)(uintptr_t)scratch[1];
    report("unmap_page", update1(boot_l1e(t), 0));
    pin.arg1 = t >> 12;
    report("pin_unmapped_page", HYPERVISOR_mmuext_op(&pin, 1, &done, DOMID_SELF_MMU));
    report("update_unmapped_table", update1((volatile uint64_t *)(uintptr_t)t, 0x30005));
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
    } else if (starts(c, "yieldloop ")) {
        /* Short sleeps (the timer + poll multicall of unik_yield, which the
         * runner serves in C): each must end at or after its deadline. */
        int n = atoi_(c + 10);
        int early = 0;
        unik_time_t t0 = plat->clock_monotonic();
        for (int i = 0; i < n; i++) {
            unik_time_t deadline = plat->clock_monotonic() + 2000;
            plat->yield(deadline);
            if (plat->clock_monotonic() < deadline)
                early++;
        }
        unik_time_t t1 = plat->clock_monotonic();
        puts_("yields ");
        putu((uint64_t)n);
        puts_(" early ");
        putu((uint64_t)early);
        puts_(" yield_ns ");
        putu(t1 - t0);
        puts_("\n");
        plat->exit(0);
    } else if (starts(c, "flood")) {
        for (uint64_t i = 0;; i++) {         /* until the runner stops it */
            puts_("flood line ");
            putu(i);
            puts_("\n");
        }
    } else if (starts(c, "inport")) {
        uint8_t v;
        __asm__ volatile("inb $0x60, %0" : "=a"(v));
        puts_("in returned\n");
        plat->exit(1);
    } else if (starts(c, "outport")) {
        __asm__ volatile("outb %0, $0x80" : : "a"((uint8_t)1));
        puts_("out returned\n");
        plat->exit(1);
    } else if (starts(c, "lowwrite")) {
        lowwrite();
        plat->exit(0);
    } else if (starts(c, "hcnumbers ")) {
        int n = atoi_(c + 10);
        long rc = 0;
        for (int i = 0; i < n; i++)
            rc |= raw_hypercall(1000 + (uint32_t)i, 0, 0, 0, 0, 0);
        report("hcnumbers", rc);
        plat->exit(0);
    } else if (starts(c, "fuzz ")) {
        const char *a = c + 5;
        uint64_t seed = (uint64_t)atoi_(a);
        while (*a && *a != ' ')
            a++;
        fuzz(seed, (unsigned)atoi_(a + (*a == ' ')));
        plat->exit(0);
    } else if (starts(c, "ptwrite")) {
        puts_("writing the page table\n");
        plat->console_flush();
        *boot_l1e(0x3000) = 0x3000 | 7;
        puts_("wrote the page table\n");
        plat->exit(1);
    } else if (starts(c, "ptbatch ")) {
        const char *a = c + 8;
        unsigned n = (unsigned)atoi_(a);
        while (*a && *a != ' ')
            a++;
        int k = atoi_(a + (*a == ' '));
        const uint64_t va = 0x4000000000ull;    /* 256 GiB: tables made by the first */
        plat->map_pages(va, (uint64_t)(uintptr_t)scratch[0], 1, PLAT_PROT_READ);
        unik_time_t t0 = plat->clock_monotonic();
        long rc = 0;
        for (int i = 0; i < k; i++)
            for (unsigned j = 0; j < n; j += 64)   /* pv_mmu sends 64 entries a batch */
                rc |= plat->map_pages(va + j * 4096ull, (uint64_t)(uintptr_t)scratch[i & 1],
                                      n - j < 64 ? n - j : 64, PLAT_PROT_READ);
        unik_time_t t1 = plat->clock_monotonic();
        report("ptbatch_rc", rc);
        puts_("ptbatch_ns ");
        putu(t1 - t0);
        puts_("\n");
        plat->exit(0);
    } else if (starts(c, "ptrules")) {
        ptrules();
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
