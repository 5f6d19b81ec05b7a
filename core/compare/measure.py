"""Measuring one pair: its build, one boot on the runner or under QEMU, one
run of its native program. Each returns data or raises Failure (a reason the
report shows); KeyboardInterrupt passes through."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .. import model
from ..api import Language
from ..errors import UnikError
from ..plugins import PluginHost, blame
from .results import FAILED, TIMEOUT, Run

PAGE = 4096
STATUS_TIMEOUT = 124
STATUS_INTERRUPTED = 130


class Failure(Exception):
    """A run or build that did not work: state (results.*) and reason."""

    def __init__(self, state: str, reason: str, output: str = ""):
        super().__init__(reason)
        self.state, self.reason, self.output = state, reason, output


def one_line(text: str, limit: int = 300) -> str:
    """A tool's message for a table cell: its most telling lines, joined."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    pick = lines[:1] + [ln for ln in lines[1:] if "error" in ln.lower()][:2] or lines[-1:]
    joined = " | ".join(pick)
    return joined if len(joined) <= limit else joined[:limit - 3] + "..."


def sync_tree(src: Path, dst: Path) -> None:
    """dst mirrors src (but keeps its _build/): an unchanged program is up to
    date on the next `unik compare`, a changed one rebuilds."""
    dst.mkdir(parents=True, exist_ok=True)
    keep = {model.CONFIG_NAME} | {p.relative_to(src).as_posix() for p in src.rglob("*")}
    for p in sorted(dst.rglob("*"), reverse=True):
        rel = p.relative_to(dst)
        if rel.parts[0] == "_build" or rel.as_posix() in keep:
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        else:
            p.unlink()
    shutil.copytree(src, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns("_build"))


@dataclass
class BuiltImage:
    image: Path
    debug: Path
    seconds: float
    memory_mib: int | None


def build(host: PluginHost, lang: Language, src: Path, work: Path, progress) -> BuiltImage:
    """Build a copy of src in work with lang (UnikError on failure)."""
    from ..image import link

    sync_tree(src, work)
    schemas = {n: lg.options for n, lg in host.languages.items()}
    proj = model.load(work / model.CONFIG_NAME, schemas)
    if proj.lang != lang.name:
        proj.lang = lang.name
        proj.lang_options = dict(proj.raw.get(lang.name, {}))
    t0 = time.monotonic()
    built = link.build(proj, lang, progress=progress)
    return BuiltImage(built.image, built.debug, time.monotonic() - t0, proj.memory_mib)


def native_build(lang: Language, src: Path, work: Path) -> list[str] | None:
    """The plugin's native build of src into work (emptied first)."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    with blame(lang, "building a native program (native_build())"):
        cmd = lang.native_build(src, work)
        if cmd is not None and not (isinstance(cmd, list | tuple) and cmd
                                    and all(isinstance(c, str | Path) for c in cmd)):
            raise TypeError("native_build() must return a command (a list of strings) or None")
    return None if cmd is None else [str(c) for c in cmd]


MAX_OUTPUT = 1 << 20     # the programs print a few lines; a runaway one is cut here


class _Sink(io.RawIOBase):
    """Collects the console (up to MAX_OUTPUT) and notes when its first byte came."""

    def __init__(self) -> None:
        super().__init__()
        self.data = bytearray()
        self.first_ns: int | None = None
        self.cut = False

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:      # type: ignore[override]
        if self.first_ns is None and len(b):
            self.first_ns = time.monotonic_ns()
        room = MAX_OUTPUT - len(self.data)
        self.data += bytes(b[:max(room, 0)])
        self.cut = self.cut or len(b) > room
        return len(b)

    def text(self) -> str:
        text = self.data.decode(errors="replace")
        return text + "\n[output cut at 1 MiB]\n" if self.cut else text


def _fail_status(status: int, message: str, output: str) -> Failure:
    if status == STATUS_TIMEOUT:
        return Failure(TIMEOUT, message.removeprefix("timeout: ") or "did not exit in time",
                       output)
    what = {125: "crashed", 126: "aborted", 127: "the host could not run it"}.get(
        status, f"exit status {status}")
    tail = one_line(message or output[-400:])
    return Failure(FAILED, f"{what}: {tail}" if tail else what, output)


def boot_runner(image: Path, *, cmdline: str, timeout: float, cpu: str,
                memory_mib: int | None) -> tuple[Run, str]:
    """One boot on the embedded runner, with its statistics."""
    from .. import runner

    sink = _Sink()
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            r = runner.boot(image, memory_mib=memory_mib, cmdline=cmdline, timeout=timeout,
                            cpu=cpu, out=sink)   # type: ignore[arg-type]
    except UnikError as e:
        raise Failure(FAILED, str(e)) from None
    except Exception as e:      # the runner's own bug must not end the comparison
        raise Failure(FAILED, f"runner error: {type(e).__name__}: {e}") from None
    if r.status == STATUS_INTERRUPTED:
        raise KeyboardInterrupt
    output = sink.text()
    if r.status != 0:
        raise _fail_status(r.status, r.message.replace("unik: ", "", 1), output)
    d = r.domain
    counts = dict(d.counts) if d else {}
    first = d.first_byte_ns() if d else None
    run = Run(status=0, wall_ns=r.t_stop - r.t_create,
              first_byte_ns=(first - r.t_create) if first else None,
              memory_bytes=r.pages * PAGE if r.pages >= 0 else None, exits=r.exits,
              hypercalls=sum(counts.values()), hypercall_counts=counts, cpu=r.cpu)
    return run, output


def boot_qemu(image: Path, *, cmdline: str, timeout: float, accel: str,
              memory_mib: int | None) -> tuple[Run, str]:
    """One boot under QEMU (-M microvm): wall time from spawning QEMU."""
    from ..hosts import qemu

    sink = _Sink()
    err = io.StringIO()
    t0 = time.monotonic_ns()
    try:
        with contextlib.redirect_stderr(err):
            status = qemu.run(image, memory_mib=memory_mib or 64, cmdline=cmdline,
                              timeout=timeout, accel=accel, out=sink)  # type: ignore[arg-type]
    except UnikError as e:
        raise Failure(FAILED, str(e)) from None
    except OSError as e:
        raise Failure(FAILED, f"qemu: {e}") from None
    t1 = time.monotonic_ns()
    output = sink.text()
    if status != 0:
        raise _fail_status(status, err.getvalue().replace("unik: ", ""), output)
    return Run(status=0, wall_ns=t1 - t0,
               first_byte_ns=(sink.first_ns - t0) if sink.first_ns else None), output


def peakrss() -> Path:
    """The helper that reports a native program's peak RSS (built once, cached)."""
    from ..cache import cache_key, cached_dir
    from ..errors import UnikError

    src = Path(__file__).resolve().parent / "peakrss.c"

    def make(tmp: Path) -> None:
        proc = subprocess.run(["gcc", "-O2", "-static", "-o", str(tmp / "peakrss"), str(src)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise UnikError(f"building peakrss failed: {proc.stderr.strip()}")

    return cached_dir("peakrss", cache_key(src), make) / "peakrss"


def run_native(cmd: list[str], *, param: str, timeout: float) -> tuple[Run, str]:
    """One run of a native program: wall time, and its peak RSS (peakrss.c)."""
    argv = [*cmd, param] if param else list(cmd)
    rfd, wfd = os.pipe()
    try:
        helper = str(peakrss())
    except (UnikError, OSError) as e:
        raise Failure(FAILED, f"cannot measure native runs: {e}") from None
    t0 = time.monotonic_ns()
    try:
        proc = subprocess.Popen([helper, str(wfd), *argv], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True, pass_fds=(wfd,))
    except OSError as e:
        raise Failure(FAILED, f"cannot start {argv[0]}: {e.strerror}") from None
    finally:
        os.close(wfd)
    try:
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            out, _ = proc.communicate()
            raise Failure(TIMEOUT, f"did not exit within {timeout:g} s",
                          out.decode(errors="replace")) from None
        except KeyboardInterrupt:
            os.killpg(proc.pid, 9)
            proc.wait()
            raise
        t1 = time.monotonic_ns()
        report = os.read(rfd, 256).decode(errors="replace")
    finally:
        os.close(rfd)
    output = out.decode(errors="replace")
    if proc.returncode != 0:
        raise Failure(FAILED, f"exit status {proc.returncode}: {one_line(output[-400:])}",
                      output)
    kib = report.split()[1] if report.startswith("maxrss_kib ") else ""
    return Run(status=0, wall_ns=t1 - t0,
               memory_bytes=int(kib) * 1024 if kib.isdigit() else None), output
