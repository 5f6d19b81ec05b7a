"""The hypercall layer: the part of Xen one PV guest on the runner talks to.

One `Domain` per guest. `Domain.hypercall(nr, args)` is called with the
hypercall number from the stub and the five argument registers (rdi, rsi,
rdx, r10, r8) and returns the value for rax. Numbers, argument structs and
error codes are Xen's (xenabi.py). Every guest pointer and length goes
through GuestMemory.check; a bad one gives -EFAULT as on Xen. The same
layer serves the KVM vCPU and the software CPU.
"""

from __future__ import annotations

import struct
import sys
import time

from ..backends.console import ConsoleBackend, RingError
from ..backends.sink import Sink, std_stream
from ..backends.stdin import StdinRing
from ..backends.streams import StreamRing
from ..threads import Event, Lock
from . import xenabi as X
from .builder import (
    CONSOLE_EVTCHN,
    NULL_GUARD_END,
    STDERR_EVTCHN,
    STDIN_EVTCHN,
    STDIN_SIZE,
    STDOUT_EVTCHN,
    STORE_EVTCHN,
    STREAM_SIZES,
    Layout,
)
from .events import Channel, EventOps, Stop, make_waker
from .memory import GuestFault, GuestMemory
from .mmu import MmuOps

TYPE_CHECKING = False          # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from collections.abc import Callable

    from .devices import Devices

MASK64 = (1 << 64) - 1
_U32 = struct.Struct("<I")
_DOMID = struct.Struct("<H")


def _canonical(addr: int) -> bool:
    """A 48-bit canonical address (bits 63..47 all equal)."""
    top = addr >> 47
    return top == 0 or top == (1 << 17) - 1


class CpuOps:
    """What hypercalls may do to the vCPU (the KVM and soft CPUs implement it)."""

    def set_fs_base(self, base: int) -> None: ...
    def set_gs_base(self, base: int) -> None: ...
    def flush_tlb(self) -> None: ...
    def set_cr3(self, cr3: int) -> None: ...

    def store_ptes(self, mem: GuestMemory, pairs: list[tuple[int, int]]) -> bool:
        """Make the vCPU see page-table stores the host has made in `mem`
        (the soft CPU sees them already; KVM's shadow paging does not).
        True when that flushed the vCPU's TLB as well."""
        return False

    def populate(self, start: int, end: int) -> None:
        """Make guest RAM [start, end) usable by the vCPU (KVM: memory slots)."""


class GuestTime:
    """Xen system time (ns since boot) and its TSC scaling, shared by host and guest.

    The host computes "now" from the TSC exactly as the guest does from
    vcpu_time_info (same stamp, multiplier and shift), so both agree to the
    nanosecond however far the TSC's nominal rate is off: a deadline the
    host sees passed is passed for the guest too. `guest_tsc` reads the TSC
    as the guest sees it (once, for the stamp), `host_tsc` as the host does
    (cheap, every call); they differ by a constant offset, if at all.
    """

    def __init__(self, tsc_hz: float, guest_tsc: Callable[[], int],
                 host_tsc: Callable[[], int] | None = None) -> None:
        self.tsc_hz = tsc_hz
        self.mul, self.shift = self._scale(tsc_hz)
        self.host_tsc = host_tsc or guest_tsc
        self.stamp_guest = guest_tsc()
        self.stamp_host = self.host_tsc()
        self.stamp_wall = time.time_ns()
        self.stamp_mono = time.monotonic_ns()      # host monotonic at system time 0

    @staticmethod
    def _scale(hz: float) -> tuple[int, int]:
        """(tsc_to_system_mul, tsc_shift) as Xen computes them: ns = (tsc<<shift)*mul>>32."""
        r, shift = 1e9 / hz, 0
        while r >= 1.0:
            r, shift = r / 2, shift + 1
        while r < 0.5:
            r, shift = r * 2, shift - 1
        return int(r * (1 << 32)), shift

    def scale(self) -> tuple[int, int]:
        return self.mul, self.shift

    def ticks_to_ns(self, ticks: int) -> int:
        ticks = max(ticks, 0)
        ticks = ticks << self.shift if self.shift >= 0 else ticks >> -self.shift
        return (ticks * self.mul) >> 32

    def now(self) -> int:
        return self.ticks_to_ns(self.host_tsc() - self.stamp_host)


class Domain(EventOps, MmuOps):
    def __init__(self, mem: GuestMemory, lay: Layout, *, out, clock: GuestTime,
                 cpu: CpuOps | None = None, trace: Callable[[str], None] | None = None,
                 err=None, devices=None, stdin: int | None = None) -> None:
        self.mem = mem
        self.lay = lay
        self.clock = clock
        self.cpu = cpu or CpuOps()
        self.trace = trace
        self.console = ConsoleBackend(mem, lay.console, out)
        if err is None:
            err = std_stream("stderr")
        self.sinks = (Sink(out), Sink(err))
        self.streams = [StreamRing(mem, ring, size, sink) for ring, size, sink
                        in zip(lay.streams, STREAM_SIZES, self.sinks, strict=True)]
        self.channels: dict[int, Channel] = {
            CONSOLE_EVTCHN: Channel(X.EVTCHNSTAT_interdomain, remote="console"),
            STORE_EVTCHN: Channel(X.EVTCHNSTAT_interdomain, remote="xenstore"),
            STDOUT_EVTCHN: Channel(X.EVTCHNSTAT_interdomain, remote="stdout"),
            STDERR_EVTCHN: Channel(X.EVTCHNSTAT_interdomain, remote="stderr"),
        }
        self.virqs: dict[int, int] = {}
        self._free_hint = 1                 # no free port below it
        self.timer_deadline = None
        self.shutdown_code: int | None = None
        self.stop_requested = Event()     # timeout, Ctrl-C
        self.wake = make_waker()        # an eventfd: backends' C threads write it
        self.counts: dict[str, int] = {}
        self.cr3 = lay.pt_base
        self.mmu_init()
        self.table: dict[int, Callable[..., int]] = {
            X.HC["set_trap_table"]: self._accept, X.HC["set_callbacks"]: self._accept,
            X.HC["callback_op"]: self._accept, X.HC["vm_assist"]: self._accept,
            X.HC["fpu_taskswitch"]: self._accept, X.HC["stack_switch"]: self._accept,
            X.HC["mmu_update"]: self._mmu_update, X.HC["update_va_mapping"]: self._update_va,
            X.HC["mmuext_op"]: self._mmuext_op, X.HC["multicall"]: self._multicall,
            X.HC["memory_op"]: self._memory_op, X.HC["set_timer_op"]: self._set_timer_op,
            X.HC["xen_version"]: self._xen_version, X.HC["console_io"]: self._console_io,
            X.HC["vcpu_op"]: self._vcpu_op, X.HC["set_segment_base"]: self._set_segment_base,
            X.HC["sched_op"]: self._sched_op, X.HC["event_channel_op"]: self._evtchn_op,
            X.HC["hvm_op"]: self._hvm_op,
        }
        self.notify_handlers: dict[int, Callable[[], None]] = {}   # port → device backend
        self.notify_fds: dict[int, int] = {}       # port → a backend's wake eventfd
        # The guest's stdin (fd on the host, None: end of file), read on demand.
        self.stdin = StdinRing(mem, lay.stdin, STDIN_SIZE, stdin,
                               lambda: self.set_pending(STDIN_EVTCHN)) if lay.stdin else None
        if self.stdin is not None:
            self.channels[STDIN_EVTCHN] = Channel(X.EVTCHNSTAT_interdomain, remote="stdin")
            self.notify_handlers[STDIN_EVTCHN] = self.stdin.notify
        self.init_shared_info()
        # The xenstore and the grant table (runner/devices.py) are set up when
        # the guest first uses them — a guest with no devices never does — or
        # at once when `unik run` attaches devices.
        self._devices: Devices | None = None
        self._device_lock = Lock()
        self.notify_handlers[STORE_EVTCHN] = lambda: self.devices.ring.serve()
        self.table[X.HC["grant_table_op"]] = lambda *a: self.devices.grant_table_op(*a)
        if devices is not None:
            self._make_devices(devices)
        # From here on no hypercall result lands in the runner's own pages.
        mem.protect_low(NULL_GUARD_END, lay.shared_info)

    @property
    def devices(self) -> Devices:
        """The guest's xenstore, grant table and device backends (made on first use)."""
        return self._devices if self._devices is not None else self._make_devices(None)

    def _make_devices(self, specs) -> Devices:
        with self._device_lock:
            if self._devices is None:
                from .devices import Devices

                self._devices = Devices(self, specs)
                self.table[X.HC["grant_table_op"]] = self._devices.grant_table_op
        return self._devices

    def close_devices(self) -> None:
        """Close the device backends (disks durable); nothing to do when none was made."""
        if self._devices is not None:
            self._devices.close()

    def drain_output(self) -> None:
        """Everything the guest has written so far, to the host's streams."""
        self.console.drain()
        for ring in self.streams:
            ring.drain()

    def first_byte_ns(self) -> int | None:
        """Host monotonic ns of the guest's first output: when it wrote it (the
        stream rings carry that time), else when the console backend saw it."""
        times = [t for t in (self.console.first_byte_ns,
                             *(r.first_write_host_ns(self.clock.stamp_mono)
                               for r in self.streams)) if t]
        return min(times, default=None)

    # -- shared_info -----------------------------------------------------
    def init_shared_info(self) -> None:
        si, c = self.lay.shared_info, self.clock
        self.mem.pack(X.VCPU_TIME_INFO, si + X.SI_TIME, 2, 0, c.stamp_guest, 0, c.mul, c.shift, 0)
        self._write_wallclock(c.stamp_wall, 2)
        self._wall_refreshed = c.now()

    def _write_wallclock(self, boot_wall: int, version: int) -> None:
        """wc_* = the wall time at system time 0, under the version seqlock."""
        at = self.lay.shared_info + X.SI_WC_VERSION
        sec, nsec = divmod(boot_wall, 10**9)
        self.mem.set_u32(at, version | 1)                       # odd: being updated
        self.mem.pack(X.SI_WC, at, version | 1, sec & 0xFFFFFFFF, nsec, sec >> 32)
        self.mem.set_u32(at, ((version | 1) + 1) & 0xFFFFFFFF)

    def refresh_wallclock(self) -> None:
        """Keep wc + system time on the host's wall clock (the TSC's nominal
        rate is a few ppm off), as Xen does; at most once a second."""
        now = self.clock.now()
        if now - self._wall_refreshed < 10**9:
            return
        self._wall_refreshed = now
        if self._fast is not None:
            self._fast.wall_due = now + 10**9
        version = self.mem.u32(self.lay.shared_info + X.SI_WC_VERSION)
        self._write_wallclock(time.time_ns() - now, version)

    # -- dispatch --------------------------------------------------------
    def hypercall(self, nr: int, args: tuple[int, ...]) -> int:
        """rax for hypercall `nr`; raises Stop when the guest is done."""
        # Numbers the guest invents share one key: the table stays bounded.
        name = X.HYPERCALLS.get(nr, "unknown")
        self.counts[name] = self.counts.get(name, 0) + 1
        self.detail = ""
        if self.timer_deadline is not None and self.clock.now() >= self.timer_deadline:
            self._fire_timer()
        fn = self.table.get(nr)
        try:
            rc = -X.ENOSYS if fn is None else fn(*args)
        except GuestFault:
            rc = -X.EFAULT
        except RingError as e:
            name = self._name(nr)
            self._trace(name, args, f" -> guest killed: {e}")
            raise Stop(125, f"unik: guest killed: {e}") from None
        except Stop as s:
            name = self._name(nr)
            self._trace(name, args, f" -> guest stopped, status {s.status}")
            raise
        # The page-table stores of this call (a multicall's too), in one batch.
        self.apply_pt_stores()
        if self.trace:
            self._trace(self._name(nr), args, f" = {rc}")
        return rc & MASK64

    @staticmethod
    def _name(nr: int) -> str:
        return X.HYPERCALLS.get(nr, f"hypercall_{nr}")

    def preempted(self) -> bool:
        """True when the runner wants the guest stopped (timeout, Ctrl-C): long
        batches (multicall, mmu_update, mmuext_op) check it between entries
        and end early, and the exit handler then stops the guest."""
        return self.stop_requested.is_set()

    def _trace(self, name: str, args: tuple[int, ...], result: str) -> None:
        if self.trace:
            self.trace(f"{name}({', '.join(f'{a:#x}' for a in args[:3])}){self.detail}{result}")

    def _accept(self, *args) -> int:
        return 0

    # -- console_io ------------------------------------------------------
    def _console_io(self, cmd, count, buf, *_):
        cmd &= 0xFFFFFFFF
        count &= 0xFFFFFFFF
        if cmd == X.CONSOLEIO_write:
            self.detail = f" write {count} bytes"
            self.mem.check(buf, count)
            for off in range(0, count, 1 << 16):
                self.console.write(self.mem.read(buf + off, min(1 << 16, count - off)))
            return 0
        if cmd == X.CONSOLEIO_read:
            return 0
        return -X.ENOSYS

    # -- xen_version -----------------------------------------------------
    def _xen_version(self, cmd, arg, *_):
        cmd &= 0xFFFFFFFF
        self.detail = f" {X.XENVER.get(cmd, cmd)}"
        if cmd == 0:
            return X.XEN_MAJOR << 16 | X.XEN_MINOR
        strings = {1: (b".0-unik", 16), 3: (b"xen-3.0-x86_64", 1024), 4: (b"unik", 64),
                   8: (b"", 16), 9: (b"", 1024)}
        if cmd in strings:
            s, size = strings[cmd]
            self.mem.write(arg, s.ljust(size, b"\0"))
            return 0
        if cmd == 2:
            self.mem.write(arg, b"gcc".ljust(64, b"\0") + b"unik".ljust(16, b"\0")
                           + b"unik".ljust(32, b"\0") + b"".ljust(32, b"\0"))
            return 0
        if cmd == 5:
            self.mem.set_u64(arg, 0xFFFF800000000000)
            return 0
        if cmd == 6:
            idx = self.mem.u32(arg)
            self.mem.set_u32(arg + 4, 0)
            return 0 if idx == 0 else -X.EINVAL
        if cmd == 7:
            return X.PAGE
        return -X.ENOSYS

    # -- set_segment_base ----------------------------------------------
    def _set_segment_base(self, which, base, *_):
        which &= 0xFFFFFFFF
        if which in (X.SEGBASE_FS, X.SEGBASE_GS_KERNEL) and not _canonical(base):
            return -X.EINVAL            # Xen's answer; KVM would refuse the sregs
        if which == X.SEGBASE_FS:
            self.cpu.set_fs_base(base)
        elif which == X.SEGBASE_GS_KERNEL:
            self.cpu.set_gs_base(base)
        elif which not in (X.SEGBASE_GS_USER, X.SEGBASE_GS_USER_SEL):
            return -X.EINVAL
        return 0

    # -- hvm_op ----------------------------------------------------------
    def _hvm_op(self, cmd, arg, *_):
        cmd &= 0xFFFFFFFF
        if cmd not in (X.HVMOP_get_param, X.HVMOP_set_param):
            return -X.ENOSYS
        domid, index, _value = self.mem.unpack(X.HVM_PARAM, arg)
        self.detail = f" {'get' if cmd else 'set'}_param index={index}"
        if domid != X.DOMID_SELF:
            return -X.ESRCH
        if cmd == X.HVMOP_set_param:
            return -X.EPERM
        values = {X.HVM_PARAM_STORE_PFN: self.lay.store // X.PAGE,
                  X.HVM_PARAM_STORE_EVTCHN: STORE_EVTCHN,
                  X.HVM_PARAM_CONSOLE_PFN: self.lay.console // X.PAGE,
                  X.HVM_PARAM_CONSOLE_EVTCHN: CONSOLE_EVTCHN}
        if index not in values:
            return -X.EINVAL
        self.mem.set_u64(arg + 8, values[index])
        return 0

    # -- memory_op -------------------------------------------------------
    def _memory_op(self, cmd, arg, *_):
        op = cmd & 0x3F
        self.detail = f" {X.XENMEM.get(op, op)}"
        mem, n = self.mem, self.lay.nr_pages
        if op == 7:                                 # XENMEM_add_to_physmap
            return self.devices.add_to_physmap(arg)
        if op == X.XENMEM_memory_map:
            nr, buf = mem.unpack(X.MEMORY_MAP, arg)
            if nr < 1:
                return -X.EINVAL
            mem.write(buf, X.E820_ENTRY.pack(0, n * X.PAGE, X.E820_RAM))
            mem.set_u32(arg, 1)
            return 0
        if op in (X.XENMEM_current_reservation, X.XENMEM_maximum_reservation):
            if _DOMID.unpack(mem.read(arg, 2))[0] != X.DOMID_SELF:
                return -X.ESRCH
            return n
        if op == X.XENMEM_maximum_ram_page:
            return n
        if op == X.XENMEM_maximum_gpfn:
            return n - 1
        if op in (X.XENMEM_increase_reservation, X.XENMEM_decrease_reservation,
                  X.XENMEM_populate_physmap):
            start, nr_ext, order, _flags, domid = mem.unpack(X.MEMORY_RESERVATION, arg)
            if domid != X.DOMID_SELF:
                return -X.ESRCH
            if order > 18 or nr_ext > (1 << 40):
                return -X.EINVAL
            if nr_ext:
                mem.check(start, nr_ext * 8)
            if op == X.XENMEM_populate_physmap:
                return self._populate(start, nr_ext, order)
            # Memory is fixed at boot: giving back is accepted, getting more is not.
            return nr_ext if op == X.XENMEM_decrease_reservation else 0
        return -X.ENOSYS

    def _populate(self, extents: int, nr: int, order: int) -> int:
        """XENMEM_populate_physmap of pfns inside RAM (SIF_UNIK_POPULATE):
        they are given to the vCPU; the number of extents done, as on Xen."""
        done = 0
        for i in range(min(nr, 1 << 16)):
            if i % 1024 == 0 and i and self.preempted():
                break
            pfn = self.mem.u64(extents + 8 * i)
            start, end = pfn * X.PAGE, (pfn + (1 << order)) * X.PAGE
            if end > self.lay.ram_size:
                break
            self.cpu.populate(start, end)
            done += 1
        return done

    def _multicall(self, calls, n, *_):
        n &= 0xFFFFFFFF
        if n > 1024:
            return -X.EINVAL
        self.mem.check(calls, n * X.MULTICALL_ENTRY.size)
        for i in range(n):
            if self.preempted():
                break
            self.detail = ""
            addr = calls + i * X.MULTICALL_ENTRY.size
            op, _res, *args = self.mem.unpack(X.MULTICALL_ENTRY, addr)
            if op == X.HC["multicall"]:
                res = -X.EINVAL & MASK64
            else:
                try:
                    res = self.hypercall(op, tuple(args[:5]))
                except Stop:
                    self.detail = f" call {i + 1} of {n}"
                    raise
            try:
                self.mem.set_u64(addr + 8, res)
            except GuestFault:
                return -X.EFAULT
        self.detail = f" {n} calls"
        return 0


def stderr_trace(t0: int) -> Callable[[str], None]:
    def trace(line: str) -> None:
        sys.stderr.write(f"[{(time.monotonic_ns() - t0) / 1e6:10.3f} ms] {line}\n")
    return trace
