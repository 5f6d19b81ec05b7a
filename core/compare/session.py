"""Running a comparison: build every pair, check each implementation's output,
run the pairs in interleaved rounds (load that drifts over the run on a shared
machine then biases no pair), and keep what was measured when a pair fails
or the user presses Ctrl-C."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnikError
from ..plugins import PluginHost
from . import measure, spec
from .check import check
from .measure import Failure
from .pairs import select
from .progress import Progress
from .results import BUILD_FAILED, INTERRUPTED, MISSING, OK, PENDING, WRONG_OUTPUT, Pair, Run, Side

DEFAULT_TIMEOUT = 300.0


@dataclass
class Options:
    langs: list[str] | None = None
    programs: list[str] | None = None
    repeat: int = 3
    host: str = "runner"                # runner | qemu
    cpu: str = "auto"                   # the runner's: auto | kvm | soft
    native: bool = False
    timeout: float = DEFAULT_TIMEOUT    # per run
    work_dir: Path = Path("unik-compare")


@dataclass
class Comparison:
    options: Options
    pairs: list[Pair]
    notes: list[str] = field(default_factory=list)
    interrupted: bool = False
    started: float = field(default_factory=time.time)
    finished: float = 0.0
    accel: str = ""                     # QEMU's accelerator, when host is qemu


Runner = Callable[[Pair], tuple[Run, str]]


def compare(host: PluginHost, opts: Options, progress: Progress | None = None) -> Comparison:
    """Measure every selected pair; never raises for a pair's failure. Unknown
    --lang/--program is a UnikError before anything runs."""
    if opts.repeat < 1:
        raise UnikError("--repeat must be at least 1")
    if opts.timeout <= 0:
        raise UnikError("--timeout must be positive")
    if opts.host == "qemu":
        from ..hosts import qemu

        qemu.qemu_binary()          # missing: one line now, not a failure per pair
    pairs, notes = select(host, opts.langs, opts.programs)
    result = Comparison(opts, pairs, notes)
    todo = [p for p in pairs if p.unikernel.state != MISSING]
    bar = progress or Progress(0)
    bar.grow(len(todo) * (1 + opts.repeat) * (2 if opts.native else 1))
    for note in notes:
        bar.note(note)
    try:
        _build_all(host, opts, todo, bar, result)
        _run_rounds(opts, todo, bar, result)
    except KeyboardInterrupt:
        result.interrupted = True
        bar.note("interrupted: keeping what was measured")
    finally:
        bar.close()
        for p in todo:
            for side in (p.unikernel, p.native):
                if side is not None and side.state == PENDING:
                    side.state = OK if side.runs else INTERRUPTED
                    if not side.runs:
                        side.reason = "interrupted before it ran"
        result.finished = time.time()
    return result


def _build_all(host: PluginHost, opts: Options, todo: list[Pair], bar: Progress,
               result: Comparison) -> None:
    build_root = opts.work_dir / "build"
    for p in todo:
        lang = host.languages[p.lang]
        bar.start(f"building {p.lang}/{p.program}")
        work = build_root / p.lang / p.program
        try:
            b = measure.build(host, lang, Path(p.source), work,
                              progress=lambda m, p=p: bar.note(f"{p.lang}/{p.program}: {m}"))
        except (UnikError, OSError) as e:
            # paths in the compiler's messages: relative to the copy of the program
            msg = str(e).replace(f"{work}/", "")
            p.unikernel.state, p.unikernel.reason = BUILD_FAILED, measure.one_line(msg)
            bar.note(f"{p.lang}/{p.program}: build failed: {p.unikernel.reason}")
            bar.grow(-opts.repeat)
        else:
            p.image, p.build_s = b.image, round(b.seconds, 3)
            p.image_bytes, p.debug_bytes = b.image.stat().st_size, b.debug.stat().st_size
            p.memory_mib = b.memory_mib
        bar.step()
        if not opts.native:
            continue
        p.native = Side()
        bar.start(f"building {p.lang}/{p.program} natively")
        try:
            cmd = measure.native_build(lang, Path(p.source),
                                       build_root / p.lang / f"{p.program}.native")
        except (UnikError, OSError) as e:
            p.native.state, p.native.reason = BUILD_FAILED, measure.one_line(str(e))
            bar.note(f"{p.lang}/{p.program}: native build failed: {p.native.reason}")
            bar.grow(-opts.repeat)
        else:
            if cmd is None:
                p.native.state, p.native.reason = MISSING, "no native build"
                bar.grow(-opts.repeat)
            p.native_cmd = cmd
        bar.step()
    if opts.host == "qemu":
        from ..hosts import qemu

        result.accel, why = qemu.choose_accel("auto")
        bar.note(f"QEMU with -accel {result.accel} ({why})")


def _run_rounds(opts: Options, todo: list[Pair], bar: Progress, result: Comparison) -> None:
    for rnd in range(opts.repeat):
        for p in todo:
            prog = spec.PROGRAMS[p.program]
            for side, what, run in _sides(opts, p, result):
                if side.state != PENDING or run is None:
                    continue
                bar.start(f"round {rnd + 1}/{opts.repeat}: {p.lang}/{p.program}{what}")
                _run_once(side, prog, run, p, what, bar)
                bar.step()
                if side.state != PENDING:           # failed: its later rounds won't run
                    bar.grow(-(opts.repeat - rnd - 1))


def _sides(opts: Options, p: Pair, result: Comparison):
    cmdline = spec.PROGRAMS[p.program].cmdline
    if p.image is not None:
        image = p.image
        if opts.host == "qemu":
            yield p.unikernel, "", lambda: measure.boot_qemu(
                image, cmdline=cmdline, timeout=opts.timeout, accel=result.accel or "tcg",
                memory_mib=p.memory_mib)
        else:
            yield p.unikernel, "", lambda: measure.boot_runner(
                image, cmdline=cmdline, timeout=opts.timeout, cpu=opts.cpu,
                memory_mib=p.memory_mib)
    else:
        yield p.unikernel, "", None
    if p.native is not None:
        cmd = p.native_cmd
        yield p.native, " (native)", (None if cmd is None else lambda: measure.run_native(
            cmd, param=cmdline, timeout=opts.timeout))


def _run_once(side: Side, prog: spec.Program, run, p: Pair, what: str, bar: Progress) -> None:
    if run is None:
        return
    try:
        got, output = run()
    except Failure as f:
        side.state, side.reason = f.state, f.reason
        side.check_output = f.output[-2000:]
        bar.note(f"{p.lang}/{p.program}{what}: {f.state}: {f.reason}")
        return
    verdict = check(prog, output)
    if not verdict.ok:
        side.state, side.reason, side.check_output = WRONG_OUTPUT, verdict.reason, output[-2000:]
        bar.note(f"{p.lang}/{p.program}{what}: wrong output: {verdict.reason}")
        return
    got.compute_ns = verdict.compute_ns
    side.runs.append(got)
