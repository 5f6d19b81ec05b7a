"""Each hypercall with valid and hostile arguments, returning Xen's error codes.

The Domain runs over plain memory (no VM): the same code serves the KVM
vCPU and the soft CPU. Hostile: pointers outside RAM, huge lengths, bad
event-channel numbers, bad sub-commands.
"""

from __future__ import annotations

import struct

import pytest

from unik.backends.console import RingError
from unik.runner import builder as B
from unik.runner import xenabi as X
from unik.runner.hypercalls import Stop
from unik.runner.memory import GuestFault

BAD = 0x7FFF_0000_0000          # outside guest RAM
EDGE = (20 << 20) - 4           # the last 4 bytes of RAM


def test_unknown_hypercall(world):
    assert X.signed(world.domain.hypercall(60, (0,) * 5)) == -X.ENOSYS
    assert X.signed(world.domain.hypercall(1 << 20, (0,) * 5)) == -X.ENOSYS


def test_memory_check_is_the_one_gate(world):
    mem = world.mem
    with pytest.raises(GuestFault):
        mem.read(EDGE, 8)
    with pytest.raises(GuestFault):
        mem.read(-8, 8)
    with pytest.raises(GuestFault):
        mem.write(world.size, b"x")
    assert mem.read(EDGE, 4) == b"\0" * 4


# -- console_io --------------------------------------------------------------

def test_console_io_write(world):
    world.mem.write(world.scratch, b"early\n")
    assert world.call("console_io", X.CONSOLEIO_write, 6, world.scratch) == 0
    assert world.out.getvalue() == b"early\n"


@pytest.mark.parametrize("count, ptr", [(10, BAD), (0x7FFFFFFF, None), (-1, None),
                                        (8, EDGE)])
def test_console_io_hostile(world, count, ptr):
    ptr = world.scratch if ptr is None else ptr
    assert world.call("console_io", X.CONSOLEIO_write, count, ptr) == -X.EFAULT
    assert world.out.getvalue() == b""


def test_console_io_bad_command(world):
    assert world.call("console_io", 7, 1, world.scratch) == -X.ENOSYS


# -- the console ring --------------------------------------------------------

def _ring_put(world, data: bytes, prod_offset: int = 0):
    ring = world.lay.console
    prod = world.mem.u32(ring + X.CONS_OUT_PROD)
    for i, b in enumerate(data):
        world.mem.write(ring + X.CONS_OUT + (prod + i) % X.CONS_OUT_SIZE, bytes([b]))
    world.mem.set_u32(ring + X.CONS_OUT_PROD, prod + len(data) + prod_offset)


def _send(world, port: int) -> int:
    world.mem.set_u32(world.scratch, port)
    return world.call("event_channel_op", X.EVTCHNOP_send, world.scratch)


def test_console_ring_drained_on_notify(world):
    _ring_put(world, b"hello ring\n")
    assert _send(world, B.CONSOLE_EVTCHN) == 0
    assert world.out.getvalue() == b"hello ring\n"
    assert world.mem.u32(world.lay.console + X.CONS_OUT_CONS) == 11
    assert world.domain.is_pending(B.CONSOLE_EVTCHN)          # the backend notifies back


def test_console_ring_wraps(world):
    ring = world.lay.console
    world.mem.set_u32(ring + X.CONS_OUT_CONS, 0xFFFF_FFF0)
    world.mem.set_u32(ring + X.CONS_OUT_PROD, 0xFFFF_FFF0)
    data = bytes(range(32, 32 + 40))
    _ring_put(world, data)
    assert _send(world, B.CONSOLE_EVTCHN) == 0
    assert world.out.getvalue() == data


def test_console_ring_indices_out_of_range_kill_the_guest(world):
    _ring_put(world, b"x", prod_offset=100000)
    with pytest.raises(Stop) as e:
        _send(world, B.CONSOLE_EVTCHN)
    assert e.value.status == 125 and "out of range" in e.value.message
    assert world.out.getvalue() == b""
    with pytest.raises(RingError):
        world.domain.console.drain()


# -- sched_op ----------------------------------------------------------------

def test_sched_op_yield_and_bad_commands(world):
    assert world.call("sched_op", X.SCHEDOP_yield, 0) == 0
    assert world.call("sched_op", 99, 0) == -X.ENOSYS
    assert world.call("sched_op", X.SCHEDOP_shutdown, BAD) == -X.EFAULT
    assert world.call("sched_op", X.SCHEDOP_shutdown_code, EDGE + 2) == -X.EFAULT


@pytest.mark.parametrize("code, reason, status", [(0, X.SHUTDOWN_poweroff, 0),
                                                  (7, X.SHUTDOWN_poweroff, 7),
                                                  (125, X.SHUTDOWN_crash, 125),
                                                  (126, X.SHUTDOWN_crash, 126),
                                                  (None, X.SHUTDOWN_crash, 125)])
def test_shutdown_statuses(world, code, reason, status):
    if code is not None:
        world.mem.set_u32(world.scratch, code)
        assert world.call("sched_op", X.SCHEDOP_shutdown_code, world.scratch) == 0
    world.mem.set_u32(world.scratch, reason)
    with pytest.raises(Stop) as e:
        world.call("sched_op", X.SCHEDOP_shutdown, world.scratch)
    assert e.value.status == status


def test_shutdown_bad_reason(world):
    world.mem.set_u32(world.scratch, 77)
    assert world.call("sched_op", X.SCHEDOP_shutdown, world.scratch) == -X.EINVAL


def _poll(world, ports, timeout=0, nr=None, ports_ptr=None):
    p = world.scratch + 64
    world.mem.write(p, struct.pack(f"<{len(ports)}I", *ports))
    world.mem.pack(X.SCHED_POLL, world.scratch, p if ports_ptr is None else ports_ptr,
                   len(ports) if nr is None else nr, timeout)
    return world.call("sched_op", X.SCHEDOP_poll, world.scratch)


def test_poll_returns_at_once_for_a_pending_port(world):
    world.domain.set_pending(B.CONSOLE_EVTCHN)
    assert _poll(world, [B.CONSOLE_EVTCHN]) == 0


def test_poll_with_a_timeout(world):
    clock = world.domain.clock
    t0 = clock.now()
    assert _poll(world, [B.STORE_EVTCHN], timeout=t0 + 20_000_000) == 0
    assert clock.now() - t0 >= 19_000_000


def test_poll_wakes_on_the_singleshot_timer(world):
    port = _bind_virq(world, X.VIRQ_TIMER)
    clock = world.domain.clock
    t0 = clock.now()
    world.mem.pack(X.SINGLESHOT, world.scratch + 512, t0 + 10_000_000, 0)
    assert world.call("vcpu_op", X.VCPUOP_set_singleshot_timer, 0, world.scratch + 512) == 0
    assert _poll(world, [port]) == 0
    assert clock.now() - t0 >= 9_000_000
    assert world.domain.is_pending(port)


def test_poll_hostile(world):
    assert _poll(world, [1], ports_ptr=BAD) == -X.EFAULT
    assert _poll(world, [1], nr=1 << 30) == -X.EINVAL
    assert _poll(world, [1], nr=129) == -X.EINVAL
    assert _poll(world, [1 << 20]) == -X.EINVAL
    assert world.call("sched_op", X.SCHEDOP_poll, EDGE - 8) == -X.EFAULT   # struct runs off RAM


def test_block_returns_when_stopped(world):
    world.domain.stop_requested.set()
    assert world.call("sched_op", X.SCHEDOP_block, 0) == 0


# -- vcpu_op / timers ------------------------------------------------------

def test_vcpu_op(world):
    world.mem.pack(X.SINGLESHOT, world.scratch, 1, X.VCPU_SSHOTTMR_future)
    assert world.call("vcpu_op", X.VCPUOP_set_singleshot_timer, 0, world.scratch) == -X.ETIME
    world.mem.pack(X.SINGLESHOT, world.scratch, 1 << 62, 0)
    assert world.call("vcpu_op", X.VCPUOP_set_singleshot_timer, 0, world.scratch) == 0
    assert world.domain.timer_deadline == 1 << 62
    assert world.call("vcpu_op", X.VCPUOP_stop_singleshot_timer, 0, 0) == 0
    assert world.domain.timer_deadline is None
    assert world.call("vcpu_op", X.VCPUOP_stop_singleshot_timer, 5, 0) == -X.ENOENT
    assert world.call("vcpu_op", X.VCPUOP_set_singleshot_timer, 0, BAD) == -X.EFAULT
    assert world.call("vcpu_op", 99, 0, 0) == -X.ENOSYS
    assert world.call("vcpu_op", X.VCPUOP_is_up, 0, 0) == 1


def test_set_timer_op(world):
    assert world.call("set_timer_op", 1 << 62) == 0
    assert world.domain.timer_deadline == 1 << 62
    assert world.call("set_timer_op", 0) == 0
    assert world.domain.timer_deadline is None


# -- event channels ----------------------------------------------------------

def _bind_virq(world, virq, vcpu=0):
    a = world.scratch + 256
    world.mem.write(a, struct.pack("<III", virq, vcpu, 0))
    rc = world.call("event_channel_op", X.EVTCHNOP_bind_virq, a)
    return world.mem.u32(a + 8) if rc == 0 else rc


def test_bind_virq(world):
    port = _bind_virq(world, X.VIRQ_TIMER)
    assert port > B.STORE_EVTCHN
    assert _bind_virq(world, X.VIRQ_TIMER) == -X.EEXIST
    assert _bind_virq(world, 9999) == -X.EINVAL
    assert _bind_virq(world, 1, vcpu=3) == -X.ENOENT
    assert world.call("event_channel_op", X.EVTCHNOP_bind_virq, BAD) == -X.EFAULT


def test_alloc_unbound_status_close(world):
    a = world.scratch
    world.mem.write(a, struct.pack("<HHI", X.DOMID_SELF, 0, 0))
    assert world.call("event_channel_op", X.EVTCHNOP_alloc_unbound, a) == 0
    port = world.mem.u32(a + 4)
    st = world.scratch + 64
    world.mem.write(st, struct.pack("<HHI16x", X.DOMID_SELF, 0, port))
    assert world.call("event_channel_op", X.EVTCHNOP_status, st) == 0
    assert world.mem.u32(st + 8) == X.EVTCHNSTAT_unbound
    assert _send(world, port) == 0                      # dropped, as Xen does
    world.mem.set_u32(a, port)
    assert world.call("event_channel_op", X.EVTCHNOP_close, a) == 0
    assert world.call("event_channel_op", X.EVTCHNOP_close, a) == -X.EINVAL
    assert world.call("event_channel_op", X.EVTCHNOP_status, st) == 0
    assert world.mem.u32(st + 8) == X.EVTCHNSTAT_closed
    world.mem.write(a, struct.pack("<HHI", 5, 0, 0))
    assert world.call("event_channel_op", X.EVTCHNOP_alloc_unbound, a) == -X.EPERM


@pytest.mark.parametrize("port", [0, 4000, 4096, 100000, 0xFFFFFFFF])
def test_bad_event_channel_numbers(world, port):
    world.mem.set_u32(world.scratch, port)
    for op in (X.EVTCHNOP_send, X.EVTCHNOP_close, X.EVTCHNOP_unmask):
        assert world.call("event_channel_op", op, world.scratch) == -X.EINVAL


def test_event_channel_op_hostile(world):
    assert world.call("event_channel_op", X.EVTCHNOP_send, BAD) == -X.EFAULT
    assert world.call("event_channel_op", 77, world.scratch) == -X.ENOSYS


def test_unmask_sets_the_upcall_bits(world):
    port = _bind_virq(world, X.VIRQ_TIMER)
    a, bit = world.domain._bit(X.SI_EVTCHN_MASK, port)
    world.mem.set_u64(a, bit)
    world.domain.set_pending(port)
    assert world.mem.read(world.lay.shared_info + X.SI_UPCALL_PENDING, 1) == b"\0"
    world.mem.set_u32(world.scratch, port)
    assert world.call("event_channel_op", X.EVTCHNOP_unmask, world.scratch) == 0
    assert world.mem.read(world.lay.shared_info + X.SI_UPCALL_PENDING, 1) == b"\1"


def test_port_exhaustion(world):
    a = world.scratch
    for _ in range(X.NR_EVTCHN):
        world.mem.write(a, struct.pack("<HHI", X.DOMID_SELF, 0, 0))
        rc = world.call("event_channel_op", X.EVTCHNOP_alloc_unbound, a)
        if rc:
            break
    assert rc == -X.ENOSPC


# -- memory_op ---------------------------------------------------------------

def test_memory_map(world):
    buf = world.scratch + 64
    world.mem.pack(X.MEMORY_MAP, world.scratch, 8, buf)
    assert world.call("memory_op", X.XENMEM_memory_map, world.scratch) == 0
    assert world.mem.u32(world.scratch) == 1
    assert world.mem.unpack(X.E820_ENTRY, buf) == (0, world.size, X.E820_RAM)
    world.mem.pack(X.MEMORY_MAP, world.scratch, 8, BAD)
    assert world.call("memory_op", X.XENMEM_memory_map, world.scratch) == -X.EFAULT
    world.mem.pack(X.MEMORY_MAP, world.scratch, 0, buf)
    assert world.call("memory_op", X.XENMEM_memory_map, world.scratch) == -X.EINVAL


def test_reservations(world):
    world.mem.write(world.scratch, struct.pack("<H", X.DOMID_SELF))
    assert world.call("memory_op", X.XENMEM_current_reservation, world.scratch) == \
        world.size // 4096
    world.mem.write(world.scratch, struct.pack("<H", 3))
    assert world.call("memory_op", X.XENMEM_current_reservation, world.scratch) == -X.ESRCH
    world.mem.pack(X.MEMORY_RESERVATION, world.scratch, BAD, 4, 0, 0, X.DOMID_SELF)
    assert world.call("memory_op", X.XENMEM_decrease_reservation, world.scratch) == -X.EFAULT
    world.mem.pack(X.MEMORY_RESERVATION, world.scratch, world.scratch + 64, 1 << 50, 0, 0,
                   X.DOMID_SELF)
    assert world.call("memory_op", X.XENMEM_decrease_reservation, world.scratch) == -X.EINVAL
    assert world.call("memory_op", 1000, world.scratch) == -X.ENOSYS


# -- page tables -------------------------------------------------------------

def _pt_entry_for(world, va):
    """Address of a 4 KiB PTE inside the first 2 MiB (the builder's 4 KiB table)."""
    return world.domain._walk_l1(va)


def test_mmu_update(world):
    pte = _pt_entry_for(world, 0x20000)
    req = world.scratch
    world.mem.pack(X.MMU_UPDATE, req, pte | X.MMU_NORMAL_PT_UPDATE, 0)
    done = world.scratch + 64
    assert world.call("mmu_update", req, 1, done, X.DOMID_SELF) == 0
    assert world.mem.u32(done) == 1 and world.mem.u64(pte) == 0


@pytest.mark.parametrize("ptr, val, rc", [
    (BAD, 0, -X.EINVAL),                       # PTE outside RAM
    (0x1000, 0, -X.EINVAL),                    # the runner's own pages (GDT)
    (None, (1 << 40) | 7, -X.EPERM),           # maps a frame outside RAM (Xen: MMIO)
    (None, 7 | 0x3000, -X.EBUSY),              # maps the runner's TSS (not the guest's page)
    (None, 7 | 0x7000, 0),                     # shared_info may be mapped
    (None, 7 | 0x200000, 0),
    ("low", 7 | 0x200000, -X.EPERM),           # the entries that map the runner's pages
])
def test_mmu_update_hostile_entries(world, ptr, val, rc):
    if ptr is None:
        ptr = _pt_entry_for(world, 0x20000)
    elif ptr == "low":
        ptr = _pt_entry_for(world, 0x3000)
    world.mem.pack(X.MMU_UPDATE, world.scratch, ptr, val)
    done = world.scratch + 64
    assert world.call("mmu_update", world.scratch, 1, done, X.DOMID_SELF) == rc
    assert world.mem.u32(done) == (1 if rc == 0 else 0)


def test_mmu_update_hostile_arrays(world):
    assert world.call("mmu_update", BAD, 1, 0, X.DOMID_SELF) == -X.EFAULT
    assert world.call("mmu_update", world.scratch, 1 << 30, 0, X.DOMID_SELF) == -X.EINVAL
    assert world.call("mmu_update", world.size - 16, 2, 0, X.DOMID_SELF) == -X.EFAULT
    assert world.call("mmu_update", world.scratch, 0, BAD, X.DOMID_SELF) == -X.EFAULT
    assert world.call("mmu_update", world.scratch, 0, 0, 9) == -X.ESRCH


def test_mmuext_flush_and_baseptr(world):
    op = world.scratch
    world.mem.pack(X.MMUEXT_OP, op, 6, 0, 0)                      # tlb_flush_local
    assert world.call("mmuext_op", op, 1, 0, X.DOMID_SELF) == 0
    assert world.cpu.flushes == 1
    world.mem.pack(X.MMUEXT_OP, op, 5, world.lay.pt_base // 4096, 0)   # new_baseptr
    assert world.call("mmuext_op", op, 1, 0, X.DOMID_SELF) == 0
    assert world.cpu.cr3 == world.lay.pt_base
    world.mem.pack(X.MMUEXT_OP, op, 5, 1 << 40, 0)
    assert world.call("mmuext_op", op, 1, 0, X.DOMID_SELF) == -X.EINVAL
    world.mem.pack(X.MMUEXT_OP, op, 99, 0, 0)
    assert world.call("mmuext_op", op, 1, 0, X.DOMID_SELF) == -X.ENOSYS
    assert world.call("mmuext_op", BAD, 1, 0, X.DOMID_SELF) == -X.EFAULT


def test_update_va_mapping(world):
    assert world.call("update_va_mapping", 0x20000, 0x30007, 1) == 0
    assert world.call("update_va_mapping", 0x20000, 0x5007, 1) == -X.EBUSY   # runner page
    assert world.cpu.flushes == 1
    assert world.call("update_va_mapping", 0x4000_0000_0000, 0x5007, 0) == -X.EINVAL
    assert world.call("update_va_mapping", 0x20000, (1 << 45) | 7, 0) == -X.EPERM
    assert world.call("update_va_mapping", 0xA000, 0x30007, 0) == -X.EPERM    # store list


def test_multicall(world):
    calls = world.scratch
    e = X.MULTICALL_ENTRY
    world.mem.pack(e, calls, X.HC["xen_version"], 0, 0, 0, 0, 0, 0, 0)
    world.mem.pack(e, calls + e.size, X.HC["multicall"], 0, calls, 1, 0, 0, 0, 0)
    world.mem.pack(e, calls + 2 * e.size, 77, 0, 0, 0, 0, 0, 0, 0)
    assert world.call("multicall", calls, 3) == 0
    assert world.mem.u64(calls + 8) == 4 << 16 | 17
    assert X.signed(world.mem.u64(calls + e.size + 8)) == -X.EINVAL
    assert X.signed(world.mem.u64(calls + 2 * e.size + 8)) == -X.ENOSYS
    assert world.call("multicall", BAD, 1) == -X.EFAULT
    assert world.call("multicall", calls, 1 << 20) == -X.EINVAL


# -- the rest ------------------------------------------------------------------

def test_xen_version(world):
    assert world.call("xen_version", 0, 0) == 4 << 16 | 17
    assert world.call("xen_version", 1, world.scratch) == 0
    assert world.mem.cstring(world.scratch, 16) == b".0-unik"
    assert world.call("xen_version", 3, BAD) == -X.EFAULT
    assert world.call("xen_version", 7, 0) == 4096
    assert world.call("xen_version", 99, 0) == -X.ENOSYS


def test_set_segment_base(world):
    assert world.call("set_segment_base", X.SEGBASE_FS, 0x1234000) == 0
    assert world.cpu.fs_base == 0x1234000
    assert world.call("set_segment_base", 9, 0) == -X.EINVAL


def test_accepted_calls(world):
    for name in ("set_trap_table", "set_callbacks", "vm_assist"):
        assert world.call(name, world.scratch) == 0


def test_shared_info_time_and_wallclock(world):
    si = world.lay.shared_info
    version, _, tsc, sys_time, mul, shift, _ = world.mem.unpack(X.VCPU_TIME_INFO, si + X.SI_TIME)
    assert version % 2 == 0 and sys_time == 0
    clock = world.domain.clock
    assert tsc == clock.stamp_guest
    # the guest's formula over one second of ticks gives one second
    ticks = int(clock.tsc_hz)
    ns = ((ticks << shift) if shift >= 0 else (ticks >> -shift)) * mul >> 32
    assert abs(ns - 10**9) < 10
    wc_version, sec, _nsec, hi = world.mem.unpack(X.SI_WC, si + X.SI_WC_VERSION)
    import time
    assert abs((hi << 32 | sec) - time.time()) < 5


@pytest.mark.parametrize("hz", [1e9, 2.09994e9, 3.7e9, 0.8e9])
def test_host_and_guest_agree_on_time(hz):
    """The host's now() is the guest's formula over the same TSC, to the nanosecond."""
    from unik.runner.hypercalls import GuestTime
    tsc = [5_000_000_000]
    c = GuestTime(hz, lambda: tsc[0])
    for step in (0, 1, 12345, 10**9, 10**12):
        tsc[0] = c.stamp_guest + step
        mul, shift = c.scale()
        d = (step << shift) if shift >= 0 else (step >> -shift)
        assert c.now() == (d * mul) >> 32
    tsc[0] = c.stamp_guest + int(hz * 3600)
    assert abs(c.now() - 3600 * 10**9) < 3600 * 10**9 * 1e-6


def test_wallclock_refresh_keeps_the_seqlock_even(world):
    import time
    d = world.domain
    d._wall_refreshed -= 2 * 10**9                 # pretend a second has passed
    before = world.mem.u32(world.lay.shared_info + X.SI_WC_VERSION)
    d.refresh_wallclock()
    version, sec, nsec, hi = world.mem.unpack(X.SI_WC, world.lay.shared_info + X.SI_WC_VERSION)
    assert version % 2 == 0 and version > before
    wall = (hi << 32 | sec) * 10**9 + nsec + d.clock.now()
    assert abs(wall - time.time_ns()) < 10**8


def test_random_hypercalls_never_break_the_host(world):
    """20,000 hypercalls with random numbers, sub-commands and pointers (into
    RAM, its edges and far outside): each returns a value or stops the guest
    with a Stop; nothing else escapes, no host memory outside RAM is touched."""
    import random
    rng = random.Random(1234)
    size = world.size
    interesting = [0, 1, 2, 3, 5, 8, 9, 13, 14, 22, 0x7FF0, 1 << 31, (1 << 32) - 1, 1 << 63,
                   (1 << 64) - 1, size - 1, size - 8, size, BAD]
    world.domain.stop_requested.set()               # blocking calls return at once
    for _ in range(20000):
        nr = rng.choice(list(X.HYPERCALLS) + [rng.randrange(1 << 16)])
        args = []
        for _ in range(5):
            r = rng.random()
            if r < 0.3:
                args.append(rng.choice(interesting))
            elif r < 0.6:
                args.append(world.scratch + rng.randrange(4096))
            elif r < 0.8:
                args.append(rng.randrange(16))
            else:
                args.append(rng.getrandbits(64))
        if rng.random() < 0.5:                    # random structs behind the pointers
            world.mem.write(world.scratch, rng.randbytes(4096))
        try:
            rc = world.domain.hypercall(nr, tuple(args))
        except Stop:
            world.domain.shutdown_code = None
            continue
        assert 0 <= rc < 1 << 64
