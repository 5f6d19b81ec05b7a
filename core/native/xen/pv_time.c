/*
 * pv_time.c — clocks from shared_info: Xen system time from vcpu_time_info
 * (TSC-scaled, version seqlock) and the wall clock from wc_*.
 */
#include "pv.h"

static inline uint64_t pv_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static unik_time_t last_mono;

unik_time_t pv_clock_monotonic(void)
{
    volatile struct xen_vcpu_time_info *t = &xen_shared->vcpu_info[0].time;
    uint32_t version, mul;
    uint64_t stamp, sys, tsc;
    int8_t shift;
    do {
        version = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        stamp = t->tsc_timestamp;
        sys = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        tsc = pv_rdtsc();
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((version & 1) || version != t->version);
    uint64_t delta = tsc > stamp ? tsc - stamp : 0;
    if (shift >= 0)
        delta <<= shift;
    else
        delta >>= -shift;
    unik_time_t now = sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
    if (now < last_mono)
        now = last_mono;
    last_mono = now;
    return now;
}

unik_time_t pv_clock_wall(void)
{
    uint32_t version;
    uint64_t sec, nsec;
    do {
        version = xen_shared->wc_version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        sec = ((uint64_t)xen_shared->wc_sec_hi << 32) | xen_shared->wc_sec;
        nsec = xen_shared->wc_nsec;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((version & 1) || version != xen_shared->wc_version);
    if (sec == 0 && nsec == 0)
        return 0;
    return sec * 1000000000ull + nsec + pv_clock_monotonic();
}
