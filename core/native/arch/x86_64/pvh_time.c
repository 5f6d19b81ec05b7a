/*
 * pvh_time.c — clocks of pvh-bare: the TSC, calibrated once at boot.
 *
 * Calibration, first that works:
 *   1. CPUID 0x15 (TSC/crystal ratio with the crystal frequency);
 *   2. the hypervisor timing leaf 0x40000010 (TSC kHz; KVM/VMware style);
 *   3. the i8254 PIT: channel 2 gated through port 0x61 when that port
 *      works, else channel 0 read back with latch commands, over ~20 ms;
 *   4. CPUID 0x16 (nominal base MHz), else 2 GHz with a warning.
 * The PIT runs at 1.193182 MHz; under QEMU TCG both the PIT and the TSC
 * follow the host clock, so a few per cent of precision is what to expect.
 * The wall clock comes from the host through fw_cfg (pvh_fwcfg.c). Waiting is
 * a `pause` loop until the deadline: with interrupts off, `hlt` would never
 * wake.
 */
#include "pvh.h"
#include <unik/kernel.h>
#include <unik/x86.h>
#include "../../virtio/virtio.h"

#define PIT_HZ 1193182ull
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_61 0x61
#define CAL_TICKS (PIT_HZ / 50)          /* 20 ms */

static uint64_t tsc0;
static uint64_t tsc_hz;
static uint64_t mult;                    /* ns per tick << 32 */
static const char *method;

static uint64_t hz_from_cpuid(void)
{
    uint32_t a, b, c, d;
    cpuid(0, 0, &a, &b, &c, &d);
    if (a >= 0x15) {
        uint32_t den, num, crystal;
        cpuid(0x15, 0, &den, &num, &crystal, &d);
        if (den && num && crystal) {
            method = "CPUID 0x15";
            return (uint64_t)crystal * num / den;
        }
    }
    cpuid(1, 0, &a, &b, &c, &d);
    if (c & (1u << 31)) {                /* hypervisor present */
        uint32_t max;
        cpuid(0x40000000, 0, &max, &b, &c, &d);
        if (max >= 0x40000010 && max < 0x40010000) {
            cpuid(0x40000010, 0, &a, &b, &c, &d);
            if (a) {
                method = "hypervisor leaf 0x40000010";
                return (uint64_t)a * 1000;
            }
        }
    }
    return 0;
}

/* Channel 2, mode 0, gated by port 0x61: OUT2 (bit 5) rises after the count. */
static uint64_t hz_from_pit_ch2(void)
{
    uint8_t p = inb(PORT_61);
    if (p == 0xff)
        return 0;                        /* no port 0x61 (e.g. QEMU microvm) */
    outb(PORT_61, (p & ~0x02) | 0x01);   /* speaker off, gate on */
    outb(PIT_CMD, 0xb0);                 /* channel 2, lo/hi, mode 0, binary */
    outb(PIT_CH2, CAL_TICKS & 0xff);
    uint64_t start = rdtsc();
    outb(PIT_CH2, CAL_TICKS >> 8);       /* counting starts here */
    for (unsigned long spins = 0; !(inb(PORT_61) & 0x20); spins++) {
        if (spins > 50000000) {
            outb(PORT_61, p);
            return 0;
        }
    }
    uint64_t end = rdtsc();
    outb(PORT_61, p);
    if (end <= start)
        return 0;
    return (end - start) * PIT_HZ / CAL_TICKS;
}

static unsigned pit_ch0_read(void)
{
    outb(PIT_CMD, 0x00);                 /* latch channel 0 */
    unsigned lo = inb(PIT_CH0);
    unsigned hi = inb(PIT_CH0);
    return lo | hi << 8;
}

/* Channel 0 in mode 2 (rate generator) from 0x10000, read back by latching. */
static uint64_t hz_from_pit_ch0(void)
{
    outb(PIT_CMD, 0x34);                 /* channel 0, lo/hi, mode 2, binary */
    outb(PIT_CH0, 0);
    outb(PIT_CH0, 0);                    /* count 0x10000 */
    unsigned prev = pit_ch0_read();
    if (prev == 0xffff && pit_ch0_read() == 0xffff)
        return 0;                        /* nothing there */
    uint64_t elapsed = 0, start = rdtsc(), end = start;
    for (uint64_t spins = 0; elapsed < CAL_TICKS; spins++) {
        unsigned now = pit_ch0_read();
        elapsed += (prev - now) & 0xffff; /* counts down, wraps at 0x10000 */
        prev = now;
        end = rdtsc();
        if (spins > 100000000)
            return 0;
    }
    if (end <= start)
        return 0;
    return (end - start) * PIT_HZ / elapsed;
}

void pvh_time_init(void)
{
    tsc_hz = hz_from_cpuid();
    if (!tsc_hz && (tsc_hz = hz_from_pit_ch2()))
        method = "PIT channel 2";
    if (!tsc_hz && (tsc_hz = hz_from_pit_ch0()))
        method = "PIT channel 0";
    if (!tsc_hz) {
        uint32_t a, b, c, d;
        cpuid(0, 0, &a, &b, &c, &d);
        if (a >= 0x16) {
            cpuid(0x16, 0, &a, &b, &c, &d);
            tsc_hz = (uint64_t)(a & 0xffff) * 1000000;
            method = "CPUID 0x16 (nominal)";
        }
    }
    if (!tsc_hz) {
        tsc_hz = 2000000000ull;
        method = "none";
        kprintf("unik: cannot calibrate the TSC; assuming 2 GHz\n");
    }
    mult = (1000000000ull << 32) / tsc_hz;
    tsc0 = rdtsc();
}

unik_time_t pvh_clock_monotonic(void)
{
    uint64_t d = rdtsc() - tsc0;
    return (unik_time_t)(((unsigned __int128)d * mult) >> 32);
}

unik_handle_set_t pvh_yield(unik_time_t deadline)
{
    pvh_console_flush();
    /* No interrupts: the virtio devices are polled (virtio/virtio_mmio.c). */
    for (;;) {
        unik_handle_set_t ready = virtio_ready();
        if (ready || pvh_clock_monotonic() >= deadline)
            return ready;
        cpu_relax();
    }
}

const char *pvh_time_method(uint64_t *hz)
{
    *hz = tsc_hz;
    return method;
}
