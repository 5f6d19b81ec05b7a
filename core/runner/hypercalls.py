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
import threading
import time
from collections.abc import Callable

from ..backends.console import ConsoleBackend, RingError
from . import xenabi as X
from .builder import CONSOLE_EVTCHN, LOW_END, STORE_EVTCHN, Layout
from .memory import GuestFault, GuestMemory

MASK64 = (1 << 64) - 1
_U32 = struct.Struct("<I")
_DOMID = struct.Struct("<H")


class CpuOps:
    """What hypercalls may do to the vCPU (the KVM and soft CPUs implement it)."""

    def set_fs_base(self, base: int) -> None: ...
    def set_gs_base(self, base: int) -> None: ...
    def flush_tlb(self) -> None: ...
    def set_cr3(self, cr3: int) -> None: ...


class Channel:
    __slots__ = ("state", "virq", "remote")

    def __init__(self, state: int, virq: int = -1, remote: str = "") -> None:
        self.state = state
        self.virq = virq
        self.remote = remote


class GuestTime:
    """Xen system time (ns since boot) for the guest, and its TSC scaling."""

    def __init__(self, tsc_hz: float, tsc_now: Callable[[], int]) -> None:
        self.t0 = time.monotonic_ns()
        self.tsc_hz = tsc_hz
        self.tsc_now = tsc_now

    def now(self) -> int:
        return time.monotonic_ns() - self.t0

    def scale(self) -> tuple[int, int]:
        """(tsc_to_system_mul, tsc_shift) as Xen computes them: ns = (tsc<<shift)*mul>>32."""
        r, shift = 1e9 / self.tsc_hz, 0
        while r >= 1.0:
            r, shift = r / 2, shift + 1
        while r < 0.5:
            r, shift = r * 2, shift - 1
        return int(r * (1 << 32)), shift


class Stop(Exception):
    """The guest is done; `status` is unik run's exit status."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Domain:
    def __init__(self, mem: GuestMemory, lay: Layout, *, out, clock: GuestTime,
                 cpu: CpuOps | None = None, trace: Callable[[str], None] | None = None) -> None:
        self.mem = mem
        self.lay = lay
        self.clock = clock
        self.cpu = cpu or CpuOps()
        self.trace = trace
        self.console = ConsoleBackend(mem, lay.console, out)
        self.channels: dict[int, Channel] = {
            CONSOLE_EVTCHN: Channel(X.EVTCHNSTAT_interdomain, remote="console"),
            STORE_EVTCHN: Channel(X.EVTCHNSTAT_interdomain, remote="xenstore"),
        }
        self.virqs: dict[int, int] = {}
        self._free_hint = 1                 # no free port below it
        self.timer_deadline: int | None = None
        self.shutdown_code: int | None = None
        self.stop_requested = threading.Event()     # timeout, Ctrl-C
        self.wake = threading.Event()
        self.counts: dict[str, int] = {}
        self.cr3 = lay.pt_base
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
        self.init_shared_info()

    # -- shared_info -----------------------------------------------------
    def init_shared_info(self) -> None:
        si = self.lay.shared_info
        mul, shift = self.clock.scale()
        tsc = self.clock.tsc_now()
        sys_time = self.clock.now()
        self.mem.pack(X.VCPU_TIME_INFO, si + X.SI_TIME, 2, 0, tsc, sys_time, mul, shift, 0)
        boot_wall = time.time_ns() - sys_time
        self.mem.pack(X.SI_WC, si + X.SI_WC_VERSION, 2, (boot_wall // 10**9) & 0xFFFFFFFF,
                      boot_wall % 10**9, boot_wall // 10**9 >> 32)

    def _bit(self, base: int, port: int) -> tuple[int, int]:
        return self.lay.shared_info + base + (port // 64) * 8, 1 << (port % 64)

    def is_pending(self, port: int) -> bool:
        addr, bit = self._bit(X.SI_EVTCHN_PENDING, port)
        return bool(self.mem.u64(addr) & bit)

    def is_masked(self, port: int) -> bool:
        addr, bit = self._bit(X.SI_EVTCHN_MASK, port)
        return bool(self.mem.u64(addr) & bit)

    def set_pending(self, port: int) -> None:
        addr, bit = self._bit(X.SI_EVTCHN_PENDING, port)
        self.mem.set_u64(addr, self.mem.u64(addr) | bit)
        if not self.is_masked(port):
            vi = self.lay.shared_info
            sel = self.mem.u64(vi + X.SI_PENDING_SEL) | (1 << (port // 64))
            self.mem.set_u64(vi + X.SI_PENDING_SEL, sel)
            self.mem.write(vi + X.SI_UPCALL_PENDING, b"\x01")
        self.wake.set()

    # -- dispatch --------------------------------------------------------
    def hypercall(self, nr: int, args: tuple[int, ...]) -> int:
        """rax for hypercall `nr`; raises Stop when the guest is done."""
        name = X.HYPERCALLS.get(nr, f"hypercall_{nr}")
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
            raise Stop(125, f"unik: guest killed: {e}") from None
        if self.trace:
            self.trace(f"{name}({', '.join(f'{a:#x}' for a in args[:3])}){self.detail}"
                       f" = {rc}")
        return rc & MASK64

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

    # -- sched_op --------------------------------------------------------
    def _sched_op(self, cmd, arg, *_):
        cmd &= 0xFFFFFFFF
        self.detail = f" {X.SCHEDOP.get(cmd, cmd)}"
        if cmd == X.SCHEDOP_yield:
            return 0
        if cmd == X.SCHEDOP_block:
            self._block(None, self.timer_deadline)
            return 0
        if cmd == X.SCHEDOP_poll:
            ports_p, nr, timeout = self.mem.unpack(X.SCHED_POLL, arg)
            if nr > 128:
                return -X.EINVAL
            raw = self.mem.read(ports_p, 4 * nr)
            ports = [p for (p,) in struct.iter_unpack("<I", raw)]
            if any(p >= X.NR_EVTCHN for p in ports):
                return -X.EINVAL
            self.detail += f" ports={ports} timeout={timeout}"
            deadline = timeout or None
            tport = self.virqs.get(X.VIRQ_TIMER)
            if tport in ports and self.timer_deadline is not None:
                deadline = self.timer_deadline if deadline is None else min(
                    deadline, self.timer_deadline)
            self._block(ports, deadline)
            return 0
        if cmd in (X.SCHEDOP_shutdown, X.SCHEDOP_shutdown_code):
            (reason,) = self.mem.unpack(_U32, arg)
            self.detail += f" reason={reason}"
            if cmd == X.SCHEDOP_shutdown_code:
                self.shutdown_code = reason & 0xFF
                return 0
            return self._shutdown(reason)
        if cmd == X.SCHEDOP_watchdog:
            return 0
        return -X.ENOSYS

    def _shutdown(self, reason: int) -> int:
        code = self.shutdown_code
        if reason in (X.SHUTDOWN_poweroff, X.SHUTDOWN_reboot):
            raise Stop(0 if code is None else code)
        if reason in (X.SHUTDOWN_crash, 4):          # crash, watchdog
            raise Stop(126 if code == 126 else 125,
                       "" if code in (125, 126) else f"guest crashed (shutdown reason {reason})")
        if reason in (X.SHUTDOWN_suspend, 5):
            return -X.EOPNOTSUPP
        return -X.EINVAL

    def _fire_timer(self) -> None:
        self.timer_deadline = None
        port = self.virqs.get(X.VIRQ_TIMER)
        if port is not None:
            self.set_pending(port)

    def _block(self, ports: list[int] | None, deadline: int | None) -> None:
        """Wait until a port (any unmasked one if ports is None) is pending,
        the deadline (system time) passes, or the runner stops the guest."""
        while not self.stop_requested.is_set():
            if self.timer_deadline is not None and self.clock.now() >= self.timer_deadline:
                self._fire_timer()
            if ports is None:
                if any(self.is_pending(p) and not self.is_masked(p) for p in self.channels):
                    return
            elif any(self.is_pending(p) for p in ports):
                return
            now = self.clock.now()
            if deadline is not None and now >= deadline:
                return
            self.wake.clear()
            wait = None if deadline is None else (deadline - now) / 1e9
            if self.timer_deadline is not None:
                t = (self.timer_deadline - now) / 1e9
                wait = t if wait is None else min(wait, t)
            self.wake.wait(None if wait is None else min(wait, 3600.0))

    # -- timers ----------------------------------------------------------
    def _set_timer_op(self, timeout, *_):
        self.timer_deadline = timeout or None
        if timeout and timeout <= self.clock.now():
            self._fire_timer()
        return 0

    def _vcpu_op(self, cmd, vcpu, arg, *_):
        cmd &= 0xFFFFFFFF
        self.detail = f" {X.VCPUOP.get(cmd, cmd)}"
        if vcpu & 0xFFFFFFFF != 0:
            return -X.ENOENT
        if cmd == X.VCPUOP_set_singleshot_timer:
            deadline, flags = self.mem.unpack(X.SINGLESHOT, arg)
            self.detail += f" at={deadline}"
            if flags & X.VCPU_SSHOTTMR_future and deadline < self.clock.now():
                return -X.ETIME
            self.timer_deadline = deadline
            return 0
        if cmd == X.VCPUOP_stop_singleshot_timer:
            self.timer_deadline = None
            return 0
        if cmd == X.VCPUOP_is_up:
            return 1
        if cmd in (6, X.VCPUOP_stop_periodic_timer):
            return 0
        return -X.ENOSYS

    def _set_segment_base(self, which, base, *_):
        which &= 0xFFFFFFFF
        if which == X.SEGBASE_FS:
            self.cpu.set_fs_base(base)
        elif which == X.SEGBASE_GS_KERNEL:
            self.cpu.set_gs_base(base)
        elif which not in (X.SEGBASE_GS_USER, X.SEGBASE_GS_USER_SEL):
            return -X.EINVAL
        return 0

    # -- event channels --------------------------------------------------
    def _alloc_port(self) -> int | None:
        for p in range(self._free_hint, X.NR_EVTCHN):
            if p not in self.channels:
                self._free_hint = p + 1
                return p
        return None

    def _valid(self, port: int) -> Channel | None:
        return self.channels.get(port) if port < X.NR_EVTCHN else None

    def _evtchn_op(self, cmd, arg, *_):
        cmd &= 0xFFFFFFFF
        self.detail = f" {X.EVTCHNOP.get(cmd, cmd)}"
        mem = self.mem
        if cmd == X.EVTCHNOP_send:
            port = mem.u32(arg)
            self.detail += f" port={port}"
            ch = self._valid(port)
            if ch is None:
                return -X.EINVAL
            if ch.state == X.EVTCHNSTAT_interdomain:
                if ch.remote == "console":
                    self.console.drain()
                    self.set_pending(port)
            elif ch.state == X.EVTCHNSTAT_ipi:
                self.set_pending(port)
            elif ch.state != X.EVTCHNSTAT_unbound:
                return -X.EINVAL
            return 0
        if cmd == X.EVTCHNOP_bind_virq:
            virq, vcpu = struct.unpack("<II", mem.read(arg, 8))
            mem.check(arg, 12)
            if virq >= X.NR_VIRQS:
                return -X.EINVAL
            if vcpu != 0:
                return -X.ENOENT
            if virq in self.virqs:
                return -X.EEXIST
            port = self._alloc_port()
            if port is None:
                return -X.ENOSPC
            self.channels[port] = Channel(X.EVTCHNSTAT_virq, virq=virq)
            self.virqs[virq] = port
            mem.set_u32(arg + 8, port)
            return 0
        if cmd == X.EVTCHNOP_alloc_unbound:
            dom, _remote = struct.unpack("<HH", mem.read(arg, 4))
            mem.check(arg, 8)
            if dom != X.DOMID_SELF:
                return -X.EPERM
            port = self._alloc_port()
            if port is None:
                return -X.ENOSPC
            self.channels[port] = Channel(X.EVTCHNSTAT_unbound)
            mem.set_u32(arg + 4, port)
            return 0
        if cmd == X.EVTCHNOP_bind_ipi:
            vcpu = mem.u32(arg)
            mem.check(arg, 8)
            if vcpu != 0:
                return -X.ENOENT
            port = self._alloc_port()
            if port is None:
                return -X.ENOSPC
            self.channels[port] = Channel(X.EVTCHNSTAT_ipi)
            mem.set_u32(arg + 4, port)
            return 0
        if cmd == X.EVTCHNOP_close:
            port = mem.u32(arg)
            ch = self._valid(port)
            if ch is None:
                return -X.EINVAL
            if ch.state == X.EVTCHNSTAT_virq:
                self.virqs.pop(ch.virq, None)
            del self.channels[port]
            self._free_hint = min(self._free_hint, port)
            for base in (X.SI_EVTCHN_PENDING,):
                a, bit = self._bit(base, port)
                mem.set_u64(a, mem.u64(a) & ~bit)
            return 0
        if cmd == X.EVTCHNOP_unmask:
            port = mem.u32(arg)
            if self._valid(port) is None:
                return -X.EINVAL
            a, bit = self._bit(X.SI_EVTCHN_MASK, port)
            mem.set_u64(a, mem.u64(a) & ~bit)
            if self.is_pending(port):
                self.set_pending(port)
            return 0
        if cmd == X.EVTCHNOP_status:
            dom = _DOMID.unpack(mem.read(arg, 2))[0]
            port = mem.u32(arg + 4)
            mem.check(arg, 24)
            if dom != X.DOMID_SELF:
                return -X.ESRCH
            if port >= X.NR_EVTCHN:
                return -X.EINVAL
            ch = self.channels.get(port)
            state = X.EVTCHNSTAT_closed if ch is None else ch.state
            u = ch.virq if ch is not None and ch.state == X.EVTCHNSTAT_virq else 0
            mem.write(arg + 8, struct.pack("<IIII", state, 0, u, 0))
            return 0
        return -X.ENOSYS

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
            # Memory is fixed at boot: giving back is accepted, getting more is not.
            return nr_ext if op == X.XENMEM_decrease_reservation else 0
        return -X.ENOSYS

    # -- page tables -----------------------------------------------------
    def _pte_target_ok(self, ptr: int) -> bool:
        return LOW_END <= ptr and ptr + 8 <= self.lay.ram_size and ptr % 8 == 0

    def _val_ok(self, val: int) -> bool:
        """A PTE value may map any guest frame but the runner's own low pages."""
        if not val & 1:
            return True
        frame = val & 0x000FFFFFFFFFF000
        if frame < LOW_END and frame != self.lay.shared_info:
            return False
        return frame < self.lay.ram_size

    def _mmu_update(self, reqs, count, pdone, domid, *_):
        count &= 0xFFFFFFFF
        if domid & 0xFFFF not in (X.DOMID_SELF, 0):
            return -X.ESRCH
        if count > (1 << 20):
            return -X.EINVAL
        self.detail = f" count={count}"
        done, rc = 0, 0
        raw = self.mem.read(reqs, count * 16) if count else b""
        for ptr, val in struct.iter_unpack("<QQ", raw):
            cmd, ptr = ptr & 3, ptr & ~3
            if cmd not in (X.MMU_NORMAL_PT_UPDATE, X.MMU_PT_UPDATE_PRESERVE_AD):
                rc = -X.ENOSYS if cmd == 3 else 0
                if cmd == X.MMU_MACHPHYS_UPDATE:
                    done += 1
                    continue
                break
            if not self._pte_target_ok(ptr) or not self._val_ok(val):
                rc = -X.EINVAL
                break
            self.mem.set_u64(ptr, val)
            done += 1
        if pdone:
            self.mem.set_u32(pdone, done)
        return rc

    def _walk_l1(self, va: int) -> int | None:
        table = self.cr3 & 0x000FFFFFFFFFF000
        for shift in (39, 30, 21):
            e = self.mem.u64(table + ((va >> shift) & 511) * 8)
            if not e & 1 or e & 0x80:
                return None
            table = e & 0x000FFFFFFFFFF000
        return table + ((va >> 12) & 511) * 8

    def _update_va(self, va, val, flags, *_):
        pte = self._walk_l1(va)
        if pte is None or not self._pte_target_ok(pte) or not self._val_ok(val):
            return -X.EINVAL
        self.mem.set_u64(pte, val)
        if flags & X.UVMF_FLUSHTYPE_MASK:
            self.cpu.flush_tlb()
        return 0

    def _mmuext_op(self, ops, count, pdone, domid, *_):
        count &= 0xFFFFFFFF
        if domid & 0xFFFF not in (X.DOMID_SELF, 0):
            return -X.ESRCH
        if count > (1 << 20):
            return -X.EINVAL
        done, rc, flush = 0, 0, False
        raw = self.mem.read(ops, count * 24) if count else b""
        for cmd, arg1, _arg2 in struct.iter_unpack("<I4xQQ", raw):
            self.detail += f" {X.MMUEXT.get(cmd, cmd)}"
            if cmd in (6, 7, 8, 9, 10, 11):
                flush = True
            elif cmd == 5:                               # new_baseptr
                if arg1 * X.PAGE >= self.lay.ram_size:
                    rc = -X.EINVAL
                    break
                self.cr3 = arg1 * X.PAGE
                self.cpu.set_cr3(self.cr3)
            elif cmd not in (0, 1, 2, 3, 4, 12, 18, 15):
                rc = -X.ENOSYS
                break
            done += 1
        if flush:
            self.cpu.flush_tlb()
        if pdone:
            self.mem.set_u32(pdone, done)
        return rc

    def _multicall(self, calls, n, *_):
        n &= 0xFFFFFFFF
        if n > 1024:
            return -X.EINVAL
        self.mem.check(calls, n * X.MULTICALL_ENTRY.size)
        for i in range(n):
            addr = calls + i * X.MULTICALL_ENTRY.size
            op, _res, *args = self.mem.unpack(X.MULTICALL_ENTRY, addr)
            if op == X.HC["multicall"]:
                res = -X.EINVAL & MASK64
            else:
                res = self.hypercall(op, tuple(args[:5]))
            self.mem.set_u64(addr + 8, res)
        return 0


def stderr_trace(t0: int) -> Callable[[str], None]:
    def trace(line: str) -> None:
        sys.stderr.write(f"[{(time.monotonic_ns() - t0) / 1e6:10.3f} ms] {line}\n")
    return trace
