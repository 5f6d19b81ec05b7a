"""The embedded runner: a small Xen-compatible hypervisor for one guest on KVM.

`run()` boots an image as a Xen PV guest at CPL3 (see builder.py) on a KVM
vCPU, or on the software CPU (soft.py, Unicorn) when /dev/kvm is missing or
unusable or cpu="soft", and returns unik run's exit status
(docs/internals.md).
"""

from __future__ import annotations

import sys
import time

from .. import threads
from ..backends.sink import std_stream, tty_size_of
from ..backends.stdin import tty_size
from ..backends.streams import Drainer
from ..errors import UnikError
from . import builder as B
from . import image as image_mod
from . import xenabi as X
from .events import Stop
from .exits import Machine, handle_exit
from .hypercalls import Domain, GuestTime, stderr_trace
from .memory import GuestMemory

TYPE_CHECKING = False          # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import BinaryIO

    from .devices import DeviceSpecs

MIB = 1 << 20
# Guest RAM without --memory or [run] memory: generous, as a process's is.
# Untouched RAM costs the host nothing (committed on first touch) and the
# boot nothing (no p2m list, 2 MiB mappings: one table entry per 2 MiB).
DEFAULT_MEMORY_MIB = 1024
DEFAULT_HEAP = 64 * MIB          # at least this much above an image's boot layout
STATUS_INTERRUPTED = 130
STATUS_BROKEN_PIPE = 141            # 128 + SIGPIPE: what a shell shows for a process ended by it
MAX_MEMORY_MIB = 64 * 1024          # the p2m list alone is 2 MiB per GiB
# Guest RAM above this is backed by transparent huge pages (first touch ~5x
# cheaper on shadow-paging KVM); below it, what a boot touches (image, boot
# structures, the first heap pages) stays in 4 KiB pages: small guests boot
# fast and pack densely. The guest's vm layer puts its 2 MiB chunks above it
# (= UNIK_HUGE_PAGES_FROM in core/native/xen/xen_abi.h).
HUGE_PAGES_FROM = 16 * MIB
KICK_SIGNAL_RT = 2                  # the vCPU's kick: SIGRTMIN + 2 (kvm.SIGRTMIN)


class Result:
    """What one boot produced (for stats and benchmarks)."""

    def __init__(self) -> None:
        self.status = 127
        self.cpu = ""
        self.t_create = 0           # monotonic ns: before KVM_CREATE_VM / Uc()
        self.t_start = 0            # first instruction about to run
        self.t_stop = 0             # shutdown seen
        self.exits = 0
        self.pages = -1
        self.domain: Domain | None = None
        self.message = ""
        self.error: BaseException | None = None


def default_memory(img: image_mod.Image) -> int:
    return max(DEFAULT_MEMORY_MIB * MIB, B.minimum_ram(img) + DEFAULT_HEAP)


def _memory_bytes(img, memory_mib: int | None) -> int:
    """Guest RAM in bytes: one cap for --memory, [run] memory and what the
    image implies, checked before anything is allocated."""
    if memory_mib is None:
        size = default_memory(img)
        if size > MAX_MEMORY_MIB * MIB:
            raise UnikError(f"{img.path}: needs {size >> 20} MiB of RAM, more than the "
                            f"runner's {MAX_MEMORY_MIB} MiB")
        return size
    if memory_mib <= 0:
        raise UnikError(f"--memory must be positive (got {memory_mib})")
    if memory_mib > MAX_MEMORY_MIB:
        raise UnikError(f"--memory {memory_mib} MiB is more than the runner's "
                        f"{MAX_MEMORY_MIB} MiB")
    size = memory_mib * MIB
    return (size + B.LARGE - 1) & ~(B.LARGE - 1)


def _check_timeout(timeout: float | None) -> None:
    if timeout is not None and not (timeout > 0 and timeout != float("inf")):
        raise UnikError(f"--timeout must be a positive number of seconds (got {timeout})")


def _choose_cpu(cpu: str):
    """('kvm', system object) or ('soft', None)."""
    if cpu not in ("auto", "kvm", "soft"):
        raise UnikError(f"unknown --cpu {cpu!r} (auto, kvm or soft)")
    if cpu == "soft":
        return "soft", None
    from .kvmcpu import open_kvm
    try:
        return "kvm", open_kvm()
    except UnikError:
        if cpu == "kvm":
            raise
        return "soft", None


class Boot:
    """One guest, from domain building to shutdown (runs in one thread)."""

    def __init__(self, img, ram_size: int, cmdline: bytes, kind: str, sysobj, out, err,
                 trace: bool, devices: DeviceSpecs | None = None,
                 stdin: int | None = None, count_pages: bool = True) -> None:
        self.devices = devices
        self.count_pages = count_pages
        self.img, self.ram_size, self.cmdline = img, ram_size, cmdline
        self.kind, self.sysobj, self.out, self.err, self.trace = kind, sysobj, out, err, trace
        self.ttys = (tty_size_of(out), tty_size_of(err))     # the Domain makes the sinks
        self.stdin = stdin
        self.drainer: Drainer | None = None
        self.result = Result()
        self.cpu = None
        self.domain: Domain | None = None
        self.ready = threads.Event()
        self.done = threads.Event()
        # Set by request_stop from the first moment: a timeout or Ctrl-C that
        # comes while the domain is being built stops the guest before it runs.
        self.stop_requested = threads.Event()
        self.stop_status, self.stop_message = 124, ""

    def prepare(self) -> None:
        r = self.result
        r.cpu = self.kind
        r.t_create = time.monotonic_ns()
        flags = X.SIF_UNIK_RUNNER
        if self.kind == "kvm":
            from . import kvm
            from .kvmcpu import POPULATE_FIRST, KvmCpu
            self.ram = kvm.Ram(self.ram_size, huge_from=HUGE_PAGES_FROM)
            mem = GuestMemory(self.ram.view())
            # RAM past the first chunk goes to KVM as the guest reaches it.
            lazy = self.img.populates and self.ram_size > POPULATE_FIRST
            if lazy:
                flags |= X.SIF_UNIK_POPULATE
            lay = B.plan(self.img, self.ram_size, flags=flags)
            B.build(self.img, mem, lay, cmdline=self.cmdline, ttys=self.ttys,
                    stdin_tty=tty_size(self.stdin))
            self.cpu = KvmCpu(self.sysobj, self.ram, lay, lazy=lazy)
            if self.cpu.fsgsbase:
                lay.flags |= X.SIF_UNIK_WRFSBASE
                mem.set_u32(lay.start_info + 48, lay.flags)
            clock = GuestTime(self.cpu.tsc_hz(), self.cpu.guest_tsc, kvm.rdtsc)
        else:
            from .soft import SoftCpu, soft_ram
            self.ram, view = soft_ram(self.ram_size)
            mem = GuestMemory(view)
            lay = B.plan(self.img, self.ram_size, flags=flags)
            B.build(self.img, mem, lay, cmdline=self.cmdline, ttys=self.ttys,
                    stdin_tty=tty_size(self.stdin))
            self.cpu = SoftCpu(self.ram, self.ram_size, lay)
            clock = self.cpu.clock()
        trace = stderr_trace(r.t_create) if self.trace else None
        self.domain = Domain(mem, lay, out=self.out, err=self.err, clock=clock, cpu=self.cpu,
                             trace=trace, devices=self.devices, stdin=self.stdin)
        self.domain.stop_requested = self.stop_requested
        for sink in self.domain.sinks:
            sink.on_broken = lambda: self.request_stop(STATUS_BROKEN_PIPE, "")
            sink.stop = self.stop_requested     # a stalled reader cannot hold a stop
        r.domain = self.domain
        if self.kind == "kvm":
            self.cpu.fast = self.domain.fast_calls()
        self.machine = Machine(self.domain, self.cpu, image=self.img.path,
                               stop_status=self.stop_status, stop_message=self.stop_message)

    def run(self) -> None:
        r = self.result
        try:
            try:
                self.prepare()
            except OSError as e:
                raise UnikError(f"the runner could not set up the guest: {e}") from None
            self.ready.set()
            self.drainer = Drainer(self.domain.streams)
            self.drainer.start()
            r.t_start = time.monotonic_ns()
            if self.stop_requested.is_set():        # stopped while being built
                stop = Stop(self.stop_status, self.stop_message)
            else:
                stop = self.cpu.loop(lambda ex: handle_exit(ex, self.machine))
            r.t_stop = time.monotonic_ns()
            self.domain.fold_fast_counts()
            r.status, r.message = stop.status, stop.message
            self.drainer.stop()
            try:    # what the guest wrote and no drain saw yet (a crash, an abort)
                self.domain.drain_output()
            except Exception:
                pass
            if self.machine.crash is not None:
                from .crash import report

                # unik's own lines go to stderr, after everything the guest wrote.
                text = report(self.machine.crash, self.domain.mem, self.img.path)
                self.domain.sinks[1].write(text.encode() + b"\n")
        except UnikError as e:
            r.error = e
        except BaseException as e:            # never a traceback because of a guest
            r.error = e
            r.status = 127
            r.message = f"unik: runner error: {type(e).__name__}: {e}"
        finally:
            if self.drainer is not None:
                self.drainer.stop()
            if self.domain is not None and self.domain.stdin is not None:
                self.domain.stdin.close()
            for sink in self.domain.sinks if self.domain is not None else ():
                sink.close()            # the caller's pipe sees EOF when it closes its end
            r.exits = getattr(self.cpu, "exits", 0) or (
                self.cpu.vcpu.exits if self.kind == "kvm" and self.cpu else 0)
            try:        # mincore over all of RAM: only for those who look (stats, benches)
                if self.count_pages:
                    r.pages = self.ram.resident_pages()
            except Exception:
                pass
            self.ready.set()
            self.done.set()

    def request_stop(self, status: int, message: str) -> None:
        """From the main thread, at any moment: before the domain exists (it
        then never runs), while it runs (the vCPU is kicked out of KVM_RUN
        or a wait) or inside a long hypercall batch (it ends early)."""
        self.stop_status, self.stop_message = status, message
        machine = getattr(self, "machine", None)
        if machine is not None:
            machine.stop_status, machine.stop_message = status, message
        self.stop_requested.set()
        domain, cpu = self.domain, self.cpu
        # The kick first: the C wait (kvm.FastCalls) looks at the kick's
        # flag after emptying the wake fd, so one of the two ends it.
        if cpu is not None:
            cpu.kick()
        if domain is not None:
            domain.wake.set()

    def close(self) -> None:
        if self.domain is not None:
            self.domain.close_devices()         # disks durable before unik run returns
        if self.cpu is not None:
            self.cpu.close()


def boot(image: Path, *, memory_mib: int | None = None, cmdline: str = "",
         timeout: float | None = None, cpu: str = "auto", trace: bool = False,
         out: BinaryIO | None = None, err: BinaryIO | None = None,
         devices: DeviceSpecs | None = None, stdin: int | None = None,
         count_pages: bool = True) -> Result:
    """Boot `image` to shutdown; the Result carries status and measurements
    (`pages`, the guest RAM it touched, when count_pages).
    The guest's stdout goes to `out`, its stderr to `err` (the host's by default);
    its stdin reads the host file descriptor `stdin` as it asks (None: end of file)."""
    _check_timeout(timeout)
    img = image_mod.load(image, max_end=MAX_MEMORY_MIB * MIB)
    ram_size = _memory_bytes(img, memory_mib)
    B.plan(img, ram_size)                       # "too little memory" before any VM exists
    kind, sysobj = _choose_cpu(cpu)
    if kind == "kvm":
        from . import kvm
        kvm.install_kick_signal(kvm.SIGRTMIN + KICK_SIGNAL_RT)
    cmd = cmdline.encode(errors="surrogateescape")     # a non-UTF-8 argument, as os.fsencode
    if len(cmd) >= X.MAX_GUEST_CMDLINE:
        raise UnikError(f"command line too long ({len(cmd)} bytes, at most "
                        f"{X.MAX_GUEST_CMDLINE - 1})")
    b = Boot(img, ram_size, cmd, kind, sysobj, out or std_stream("stdout"),
             err or std_stream("stderr"), trace, devices, stdin, count_pages)
    t = threads.Thread(b.run, "unik-vcpu")
    t.start()
    # Wait on an Event, not Thread.join: a join interrupted by Ctrl-C can
    # report the thread finished while it still runs (CPython 3.11).
    deadline = None if timeout is None else time.monotonic() + timeout
    stopping: tuple[int, str] | None = None
    while not b.done.is_set():
        try:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0 and stopping is None:
                stopping = (124, f"unik: timeout: guest stopped after {timeout:g} s")
                b.request_stop(*stopping)
                deadline = None
                continue
            b.done.wait(0.25 if left is None else min(left, 0.25))
            if stopping is not None:
                b.request_stop(*stopping)       # again: a kick may land before KVM_RUN
        except KeyboardInterrupt:
            if stopping is None:
                stopping = (STATUS_INTERRUPTED, "unik: interrupted")
                b.request_stop(*stopping)
    t.join()
    b.close()
    if isinstance(b.result.error, UnikError):
        if cpu == "auto" and kind == "kvm" and not b.result.t_start:
            # KVM opened but would not take this guest: the software CPU will.
            return boot(image, memory_mib=memory_mib, cmdline=cmdline, timeout=timeout,
                        cpu="soft", trace=trace, out=out, err=err, devices=devices,
                        stdin=stdin, count_pages=count_pages)
        raise b.result.error
    return b.result


def format_stats(r: Result) -> str:
    d = r.domain
    counts = d.counts if d else {}
    total = sum(counts.values())
    detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
    first = d.first_byte_ns() if d else None
    fb = f"{(first - r.t_create) / 1e6:.3f} ms" if first else "-"
    down = f"{(r.t_stop - r.t_create) / 1e6:.3f} ms" if r.t_stop else "-"
    return (f"unik: stats: cpu={r.cpu} exits={r.exits} hypercalls={total} ({detail})\n"
            f"unik: stats: first console byte {fb}, shutdown {down} after VM creation, "
            f"guest pages touched {r.pages}")


def run(image: Path, *, memory_mib: int | None = None, cmdline: str = "",
        timeout: float | None = None, cpu: str = "auto", trace: bool = False,
        stats: bool = False, out: BinaryIO | None = None,
        err: BinaryIO | None = None, devices: DeviceSpecs | None = None,
        stdin: int | None = None) -> int:
    """Boot `image` on the runner; returns the exit status (docs/internals.md)."""
    r = boot(image, memory_mib=memory_mib, cmdline=cmdline, timeout=timeout, cpu=cpu,
             trace=trace, out=out, err=err, devices=devices, stdin=stdin, count_pages=stats)
    lines = ([r.message.rstrip("\n")] if r.message else []) + ([format_stats(r)] if stats else [])
    for line in lines:
        if err is not None:
            err.write(line.encode() + b"\n")
            err.flush()
        elif sys.stderr is not None:            # None: started with stderr closed
            sys.stderr.write(line + "\n")
    return r.status
