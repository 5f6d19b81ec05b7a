"""`unik run --host qemu`: boot an image with QEMU's PVH loader (-M microvm -kernel).

The guest's stdout is COM1 (QEMU's stdio), its stderr and the core's own lines
COM2 (a second 16550 at 0x2f8 whose output comes back through a pipe), each
copied to the host's stream of the same name. Whether those are terminals
reaches the guest through fw_cfg ("opt/unik/tty"), and so does the wall clock
("opt/unik/wall"; microvm has no RTC): core/native/arch/x86_64/pvh_fwcfg.c.
The host's stdin, when not a terminal, is read whole first and handed over as
"opt/unik/stdin" (qemu_stdin.py).

On a PVM-based nested KVM (this project's CI machine) a ring-0 guest under
`-accel kvm` runs ~5,000× slower than under TCG, so "auto" picks TCG there.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import BinaryIO

from ..errors import UnikError
from ..image import elf

INSTALL_HINT = "apt-get install -y qemu-system-x86"
DEBUG_EXIT_PORT = 0xF4
EXIT_TIMEOUT = 124
EXIT_CRASH = 125
EXIT_HOST_ERROR = 127
EXIT_BROKEN_PIPE = 141          # 128 + SIGPIPE, as the runner reports it


def qemu_binary() -> str:
    path = shutil.which("qemu-system-x86_64")
    if path is None:
        raise UnikError(f"qemu-system-x86_64 not found: install it with `{INSTALL_HINT}`")
    return path


def kvm_is_pvm() -> bool:
    """True on a PVM (pagetable-based, nested) KVM, where ring 0 is emulated."""
    return Path("/sys/module/kvm_pvm").exists()


def choose_accel(accel: str) -> tuple[str, str]:
    """(accelerator, why) for "auto" | "kvm" | "tcg"."""
    if accel in ("kvm", "tcg"):
        return accel, "as asked"
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return "tcg", "no usable /dev/kvm"
    if kvm_is_pvm():
        return "tcg", "KVM here is PVM, where ring-0 guests run ~5,000x slower than TCG"
    return "kvm", "/dev/kvm is usable"


def command(image: Path, *, memory_mib: int, cmdline: str, accel: str,
            err_fd: int | None = None,
            ttys: tuple[tuple[int, int], ...] = ((0, 0), (0, 0)),
            stdin_path: Path | None = None) -> list[str]:
    """QEMU's command line; err_fd: where COM2 (the guest's stderr) writes."""
    cmd = [qemu_binary(), "-M", "microvm", "-accel", accel, "-m", str(memory_mib),
           "-nographic", "-monitor", "none", "-serial", "stdio", "-no-reboot",
           "-device", f"isa-debug-exit,iobase={DEBUG_EXIT_PORT:#x},iosize=0x04"]
    if err_fd is not None:
        cmd += ["-chardev", f"file,id=unikerr,path=/dev/fd/{err_fd}",
                "-device", "isa-serial,chardev=unikerr,iobase=0x2f8,irq=3"]
    tty = " ".join(f"{rows}x{cols}" for rows, cols in ttys)
    cmd += ["-fw_cfg", f"name=opt/unik/tty,string={tty}",
            "-fw_cfg", f"name=opt/unik/wall,string={time.time_ns()}", "-kernel", str(image)]
    if stdin_path is not None:
        cmd += ["-fw_cfg", f"name=opt/unik/stdin,file={stdin_path}"]
    if cmdline:
        cmd += ["-append", cmdline]
    return cmd


def min_memory_mib(info: elf.Image) -> int:
    """The image, rounded up to a MiB, plus 2 MiB for boot tables, stack and a heap:
    with less, QEMU loads the image into memory it does not have and the guest
    never starts (it hangs instead of failing)."""
    end = max((s.paddr + s.memsz for s in info.segments if s.type == "PT_LOAD"), default=0)
    return -(-end // (1 << 20)) + 2


def status_from_qemu(rc: int) -> int:
    """QEMU exits with (status << 1) | 1 through isa-debug-exit; anything else is a host fault."""
    if rc & 1:
        return rc >> 1
    return EXIT_HOST_ERROR


def run(image: Path, *, memory_mib: int = 64, cmdline: str = "", timeout: float | None = None,
        accel: str = "auto", out: BinaryIO | None = None, err: BinaryIO | None = None,
        verbose: bool = False, stdin: int | None = None) -> int:
    """Boot `image` under QEMU; stdin: the host file descriptor the guest's
    fd 0 reads (whole, up front; None: end of file)."""
    info = elf.read(image, sections=False)
    if info.pvh_entry is None:
        raise UnikError(f"{image}: no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY); "
                        "QEMU cannot boot it")
    needed = min_memory_mib(info)
    if memory_mib < needed:
        raise UnikError(f"--memory {memory_mib} MiB is too small for {image.name}: "
                        f"it needs at least {needed} MiB under QEMU")
    chosen, why = choose_accel(accel)
    if verbose or accel == "auto":
        print(f"unik: qemu with -accel {chosen} ({why})", file=sys.stderr, flush=True)
    from ..backends.sink import Sink, std_stream

    out = out if out is not None else std_stream("stdout")
    err = err if err is not None else std_stream("stderr")
    ttys = (Sink(out).isatty(), Sink(err).isatty())
    from .qemu_stdin import StdinTimeout, read_whole, stdin_file

    started = time.monotonic()
    try:
        data = read_whole(stdin, None if timeout is None else started + timeout)
    except StdinTimeout:
        print(f"unik: guest did not exit within {timeout:g} s (still reading stdin); stopped",
              file=sys.stderr)
        return EXIT_TIMEOUT
    if timeout is not None:
        timeout = max(timeout - (time.monotonic() - started), 0.001)
    stdin_path = stdin_file(data)
    try:
        return _boot(image, memory_mib, cmdline, chosen, timeout, out, err, ttys, stdin_path)
    finally:
        if stdin_path is not None:
            stdin_path.unlink(missing_ok=True)


def _boot(image: Path, memory_mib: int, cmdline: str, chosen: str, timeout: float | None,
          out: BinaryIO, err: BinaryIO, ttys: tuple[tuple[int, int], ...],
          stdin_path: Path | None) -> int:
    err_r, err_w = os.pipe()
    cmd = command(image, memory_mib=memory_mib, cmdline=cmdline, accel=chosen,
                  err_fd=err_w, ttys=ttys, stdin_path=stdin_path)
    sink, err_sink = _Tail(out), _Tail(err)
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True,
                                pass_fds=(err_w,))
    finally:
        os.close(err_w)
    try:
        with os.fdopen(err_r, "rb", buffering=0) as com2:
            stdout, stderr = _pump(proc, {proc.stdout: sink, com2: err_sink}, timeout)
    except KeyboardInterrupt:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    except BrokenPipeError:         # the reader of our stdout went away: as SIGPIPE would
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        _discard(out)
        return EXIT_BROKEN_PIPE
    if stdout is None:
        print(f"unik: guest did not exit within {timeout:g} s; stopped", file=sys.stderr)
        return EXIT_TIMEOUT
    status = status_from_qemu(proc.returncode)
    if proc.returncode & 1 and status in (EXIT_TIMEOUT, EXIT_HOST_ERROR):
        # Through isa-debug-exit: the guest's own word, not the host's.
        print(f"unik: guest exited with {status}, outside 0..123; reporting 123",
              file=sys.stderr)
        return 123
    if status == EXIT_CRASH:
        _symbolise(image, err_sink.tail + sink.tail)
    if status == EXIT_HOST_ERROR:
        last = stderr.decode(errors="replace").strip().splitlines()[-1:] or ["(no message)"]
        print(f"unik: qemu failed (exit {proc.returncode}): {last[0]}", file=sys.stderr)
    return status


def _discard(stream: BinaryIO) -> None:
    """Point a broken stream's descriptor at /dev/null, so that flushing what is
    still buffered (at close, at exit) does not fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (AttributeError, OSError, ValueError):
        pass


class _Tail:
    """A sink that keeps the last few KiB written, for the crash report."""

    KEEP = 8192

    def __init__(self, sink: BinaryIO):
        self.sink = sink
        self.tail = b""

    def write(self, data: bytes) -> None:
        self.sink.write(data)
        self.tail = (self.tail + data)[-self.KEEP:]

    def flush(self) -> None:
        self.sink.flush()


def _symbolise(image: Path, output: bytes) -> None:
    """The guest core printed its registers (it has no symbols): name the code."""
    from ..image.symbols import symbols_for

    regs = re.findall(rb"\b(rip|rsp)=([0-9a-f]+)", output)
    rip = next((int(v, 16) for n, v in reversed(regs) if n == b"rip"), None)
    if rip is None:
        return
    where = symbols_for(image).lookup(rip)
    if where:
        print(f"unik: guest crashed at {where} (rip {rip:#x})", file=sys.stderr)


def _pump(proc: subprocess.Popen[bytes], sinks: dict, timeout: float | None,
          ) -> tuple[bytes | None, bytes]:
    """Copy each serial port's output to its sink as it comes (QEMU's own
    stderr is kept for messages); None on timeout."""
    import selectors

    assert proc.stdout is not None and proc.stderr is not None
    deadline = None if timeout is None else time.monotonic() + timeout
    err = bytearray()
    sel = selectors.DefaultSelector()
    for f in (*sinks, proc.stderr):
        sel.register(f, selectors.EVENT_READ)
    open_streams = len(sinks) + 1
    pending = dict.fromkeys(sinks, b"")
    while open_streams:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return None, bytes(err)
        for key, _ in sel.select(left):
            chunk = os.read(key.fd, 65536)
            if not chunk:
                sel.unregister(key.fileobj)
                open_streams -= 1
            elif key.fileobj in sinks:
                # A serial line ends "\r\n"; the guest wrote "\n". Hold back a
                # trailing "\r" in case its "\n" comes in the next read.
                f, sink = key.fileobj, sinks[key.fileobj]
                data = pending[f] + chunk
                pending[f] = b"\r" if data.endswith(b"\r") else b""
                sink.write(data[:len(data) - len(pending[f])].replace(b"\r\n", b"\n"))
                sink.flush()
            else:
                err += chunk
    for f, sink in sinks.items():
        sink.write(pending[f])
        sink.flush()
    proc.wait()
    return b"", bytes(err)
