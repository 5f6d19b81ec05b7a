"""Event channels, timers and the scheduler hypercalls of the runner's Domain.

sched_op (yield, block, poll, shutdown), vcpu_op and set_timer_op timers,
event_channel_op; the pending/mask bitmaps live in the guest's shared_info
(2-level ABI). Waiting happens here: poll and block sleep on the host until a
polled port is pending, the deadline passes or the runner stops the guest.
"""

from __future__ import annotations

import os
import struct

from ..threads import Event, Lock
from . import xenabi as X
from .memory import GuestMemory

_U32 = struct.Struct("<I")
MAX_GUEST_STATUS = 123          # docs/internals.md, "Exit statuses"
_PENDING_LOCK = Lock()
_DOMID = struct.Struct("<H")
MAX_WAIT_NS = 3600 * 10**9      # a guest's far deadline: look again after an hour


class Stop(Exception):
    """The guest is done; `status` is unik run's exit status."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Channel:
    __slots__ = ("state", "virq", "remote")

    def __init__(self, state: int, virq: int = -1, remote: str = "") -> None:
        self.state = state
        self.virq = virq
        self.remote = remote


class FdWaker:
    """The vCPU's wait as an eventfd, with threading.Event's set/clear/wait:
    set() from any Python thread, or a backend's C thread writes the fd
    itself (GuestIO.event_target) without the GIL; wait() sleeps in C
    (kvm.wait_fd: ppoll, ns timeouts) without the GIL."""

    def __init__(self, kvm) -> None:
        self.fd = os.eventfd(0, os.EFD_NONBLOCK | os.EFD_CLOEXEC)
        self._wait, self._drain = kvm.wait_fd, kvm.drain_fd
        self.evtchn_raise = kvm.evtchn_raise
        self.poll_ports = kvm.poll_ports

    def set(self) -> None:
        os.eventfd_write(self.fd, 1)

    def clear(self) -> None:
        self._drain(self.fd)

    def wait(self, timeout: float | None = None) -> bool:
        return self._wait(self.fd, -1 if timeout is None else int(min(timeout, 3600.0) * 1e9))

    def __del__(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def make_waker():
    """An FdWaker where the runner's Cython module is built, else an Event
    (the soft CPU without it; no backend then raises events in C)."""
    try:
        from . import kvm
    except ImportError:
        return Event()
    return FdWaker(kvm)


class EventOps:
    """Mixed into Domain: needs self.mem, self.lay, self.clock, self.console,
    self.channels, self.virqs, self.timer_deadline, self.shutdown_code,
    self.stop_requested, self.wake, self.detail."""

    # The single-shot timer (system time ns, None: not set). While the vCPU
    # loop serves the guest's sleep in C (kvm.FastCalls, see fast_calls),
    # the timer lives there and these read and write it.
    _timer_at: int | None = None
    _fast = None

    @property
    def timer_deadline(self) -> int | None:
        return self._timer_at if self._fast is None else self._fast.timer_deadline

    @timer_deadline.setter
    def timer_deadline(self, value: int | None) -> None:
        if self._fast is None:
            self._timer_at = value
        else:
            self._fast.timer_deadline = value

    def fast_calls(self):
        """The C fast path for the guest's sleep (kvm.FastCalls) for the KVM
        vCPU loop, sharing this Domain's timer, event channels and wake fd;
        None where it cannot keep the Python semantics (no eventfd waker,
        another clock, tracing: every call is then traced in Python).
        UNIK_PYTHON_HYPERCALLS=1 turns it off, for before/after measurements."""
        if self._fast is not None or self.trace or os.environ.get("UNIK_PYTHON_HYPERCALLS"):
            return self._fast
        fd = getattr(self.wake, "fd", -1)
        try:
            from . import kvm
        except ImportError:
            return None
        if fd < 0 or self.clock.host_tsc is not kvm.rdtsc or self.mem.base != 0:
            return None
        from .builder import HYPERCALL_PORT
        base = self.mem.base
        watch = [(self.lay.console - base + X.CONS_OUT_CONS,
                  self.lay.console - base + X.CONS_OUT_PROD)]
        watch += [(ring - base, ring - base + 4) for ring in self.lay.streams]
        c = self.clock
        fast = kvm.FastCalls(self.mem.view, base, self.lay.shared_info - base, fd,
                             HYPERCALL_PORT, c.stamp_host, c.mul, c.shift,
                             self.mem.check_write, watch)
        fast.timer_deadline = self._timer_at
        fast.timer_port = self.virqs.get(X.VIRQ_TIMER, -1)
        fast.wall_due = self._wall_refreshed + 10**9
        for port, fd in self.notify_fds.items():
            fast.set_notify_fd(port, fd)
        self._fast = fast
        return fast

    def fold_fast_counts(self) -> None:
        """Add the hypercalls the C fast path served to self.counts (once)."""
        fast = self._fast
        if fast is None:
            return
        for name, n in fast.counts().items():
            if n:
                self.counts[name] = self.counts.get(name, 0) + n
        fast.clear_counts()

    def set_notify_fd(self, port: int, fd: int | None) -> None:
        """A backend whose notify is only a write to eventfd `fd` (None: not,
        or no longer): the C fast path writes it itself on EVTCHNOP_send."""
        if fd is None or fd < 0:
            self.notify_fds.pop(port, None)
        else:
            self.notify_fds[port] = fd
        if self._fast is not None:
            self._fast.set_notify_fd(port, -1 if fd is None else fd)

    def _virqs_changed(self) -> None:
        if self._fast is not None:
            self._fast.timer_port = self.virqs.get(X.VIRQ_TIMER, -1)

    def _bit(self, base: int, port: int) -> tuple[int, int]:
        return self.lay.shared_info + base + (port // 64) * 8, 1 << (port % 64)

    def is_pending(self, port: int) -> bool:
        addr, bit = self._bit(X.SI_EVTCHN_PENDING, port)
        return bool(self.mem.u64(addr) & bit)

    def is_masked(self, port: int) -> bool:
        addr, bit = self._bit(X.SI_EVTCHN_MASK, port)
        return bool(self.mem.u64(addr) & bit)

    def set_pending(self, port: int) -> None:
        raise_c = getattr(self.wake, "evtchn_raise", None)
        if raise_c is not None:
            # Backend threads raise events in C at the same time: atomic
            # read-modify-writes (evtchn.pxi), never the plain ones below.
            raise_c(self.mem.view, self.lay.shared_info - self.mem.base, port)
            self.wake.set()
            return
        # Device backends raise events from their own threads too: one
        # read-modify-write of the bitmap at a time.
        with _PENDING_LOCK:
            addr, bit = self._bit(X.SI_EVTCHN_PENDING, port)
            self.mem.set_u64(addr, self.mem.u64(addr) | bit)
            if not self.is_masked(port):
                vi = self.lay.shared_info
                sel = self.mem.u64(vi + X.SI_PENDING_SEL) | (1 << (port // 64))
                self.mem.set_u64(vi + X.SI_PENDING_SEL, sel)
                self.mem.write(vi + X.SI_UPCALL_PENDING, b"\x01")
        self.wake.set()

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
            ports = memoryview(self.mem.read(ports_p, 4 * nr)).cast("I")
            if nr and max(ports) >= X.NR_EVTCHN:
                return -X.EINVAL
            if self.trace:
                self.detail += f" ports={ports.tolist()} timeout={timeout}"
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
                self.shutdown_code = reason
                return 0
            return self._shutdown(reason)
        if cmd == X.SCHEDOP_watchdog:
            return 0
        return -X.ENOSYS

    def _shutdown(self, reason: int) -> int:
        code = self.shutdown_code
        if reason in (X.SHUTDOWN_poweroff, X.SHUTDOWN_reboot):
            if code is not None and code > MAX_GUEST_STATUS:
                # 124..127 are the host's (timeout, crash, abort, host error):
                # a guest cannot claim them, nor anything else above 123.
                raise Stop(MAX_GUEST_STATUS, f"unik: guest exited with {code}, outside "
                           f"0..{MAX_GUEST_STATUS}; reporting {MAX_GUEST_STATUS}")
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

    def _block(self, ports: memoryview | None, deadline: int | None) -> None:
        """Wait until a port (any unmasked one if ports is None) is pending,
        the deadline (system time) passes, or the runner stops the guest."""
        self.drain_output()              # what it printed before waiting shows now
        self.refresh_wallclock()
        poll = getattr(self.wake, "poll_ports", None) if ports is not None else None
        if poll is not None:
            self._poll_c(poll, ports, deadline)
            return
        while not self.stop_requested.is_set():
            # Clear before looking: an event a backend thread raises after
            # the look then still ends the wait below.
            self.wake.clear()
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
            wait = None if deadline is None else (deadline - now) / 1e9
            if self.timer_deadline is not None:
                t = (self.timer_deadline - now) / 1e9
                wait = t if wait is None else min(wait, t)
            self.wake.wait(None if wait is None else min(wait, 3600.0))

    def _poll_c(self, poll, ports: memoryview, deadline: int | None) -> None:
        """_block for SCHEDOP_poll with the eventfd waker: the look at the
        ports and the sleep are one C call without the GIL (kvm.poll_ports)."""
        view, si, fd = self.mem.view, self.lay.shared_info - self.mem.base, self.wake.fd
        while not self.stop_requested.is_set():
            now = self.clock.now()
            if self.timer_deadline is not None and now >= self.timer_deadline:
                self._fire_timer()
            if deadline is not None and now >= deadline:
                return
            wait = None if deadline is None else deadline - now
            if self.timer_deadline is not None:
                t = max(self.timer_deadline - now, 0)
                wait = t if wait is None else min(wait, t)
            if poll(view, si, ports, fd, -1 if wait is None else min(wait, MAX_WAIT_NS)):
                return

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

    # -- event channels --------------------------------------------------
    def _alloc_port(self) -> int | None:
        for p in range(self._free_hint, X.NR_EVTCHN):
            if p not in self.channels:
                self._free_hint = p + 1
                return p
        return None

    def _open(self, mem: GuestMemory, out: int, ch: Channel) -> int:
        """Give ch a free port and write the port to the guest at out: the port,
        or -ENOSPC (Xen's answer when the domain has no free port)."""
        port = self._alloc_port()
        if port is None:
            return -X.ENOSPC
        self.channels[port] = ch
        mem.set_u32(out, port)
        return port

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
                elif ch.remote == "stdout":
                    self.streams[0].make_room()
                elif ch.remote == "stderr":
                    self.streams[1].make_room()
                elif port in self.notify_handlers:          # xenstore, device backends
                    self.notify_handlers[port]()
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
            port = self._open(mem, arg + 8, Channel(X.EVTCHNSTAT_virq, virq=virq))
            if port >= 0:
                self.virqs[virq] = port
                self._virqs_changed()
            return min(port, 0)
        if cmd == X.EVTCHNOP_alloc_unbound:
            dom, _remote = struct.unpack("<HH", mem.read(arg, 4))
            mem.check(arg, 8)
            if dom != X.DOMID_SELF:
                return -X.EPERM
            return min(self._open(mem, arg + 4, Channel(X.EVTCHNSTAT_unbound)), 0)
        if cmd == X.EVTCHNOP_bind_ipi:
            vcpu = mem.u32(arg)
            mem.check(arg, 8)
            if vcpu != 0:
                return -X.ENOENT
            return min(self._open(mem, arg + 4, Channel(X.EVTCHNSTAT_ipi)), 0)
        if cmd == X.EVTCHNOP_close:
            port = mem.u32(arg)
            ch = self._valid(port)
            if ch is None:
                return -X.EINVAL
            if ch.state == X.EVTCHNSTAT_virq:
                self.virqs.pop(ch.virq, None)
                self._virqs_changed()
            del self.channels[port]
            self.notify_handlers.pop(port, None)
            self.set_notify_fd(port, None)
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

