"""The metrics a report shows: each reads one number from a pair or a run,
summarised over the runs as min / median / max."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

from .results import OK, Pair, Run


@dataclass(frozen=True)
class Metric:
    key: str                    # compare.json's and the report's name
    label: str                  # a column heading
    unit: str                   # what the shown number is in
    scale: float                # raw value / scale = the shown number
    side: str                   # "image" (per build), "unikernel" or "native" (per run)
    get: Callable[[Pair, Run | None], float | None]
    about: str = ""             # one sentence for the HTML report
    integral: bool = False      # a count: shown without decimals


def _run(attr: str) -> Callable[[Pair, Run | None], float | None]:
    return lambda _p, r: None if r is None else getattr(r, attr)


METRICS: list[Metric] = [
    Metric("image_bytes", "image", "KiB", 1024, "image", lambda p, _r: p.image_bytes,
           about="The stripped image: what is deployed."),
    Metric("debug_bytes", "debug image", "KiB", 1024, "image", lambda p, _r: p.debug_bytes,
           about="The image with its symbols and debug information."),
    Metric("first_byte_ns", "→1st byte", "ms", 1e6, "unikernel", _run("first_byte_ns"),
           about="From VM creation (QEMU: its start) to the first byte on the console."),
    Metric("wall_ns", "→exit", "ms", 1e6, "unikernel", _run("wall_ns"),
           about="From VM creation (QEMU: its start) to the guest's shutdown."),
    Metric("compute_ns", "compute", "ms", 1e6, "unikernel", _run("compute_ns"),
           about="What the program measured around its kernel of work (monotonic clock)."),
    Metric("memory_bytes", "memory", "KiB", 1024, "unikernel", _run("memory_bytes"),
           about="Guest pages touched (the peak: a unikernel gives no page back), x 4 KiB."),
    Metric("exits", "exits", "", 1, "unikernel", _run("exits"), integral=True,
           about="Exits from the guest to the runner (each costs ~50 µs on this machine)."),
    Metric("hypercalls", "hypercalls", "", 1, "unikernel", _run("hypercalls"), integral=True,
           about="Xen hypercalls the guest made."),
    Metric("native_compute_ns", "native compute", "ms", 1e6, "native", _run("compute_ns"),
           about="The same program as a native Linux process: its own compute time."),
    Metric("native_wall_ns", "native →exit", "ms", 1e6, "native", _run("wall_ns"),
           about="The native process from spawn to exit."),
    Metric("native_memory_bytes", "native memory", "KiB", 1024, "native",
           _run("memory_bytes"), about="The native process's peak resident set."),
]
# Derived from two summaries of one pair: not a run's value.
RATIO = Metric("compute_vs_native", "vs native", "x", 1, "ratio", lambda _p, _r: None,
               about="Unikernel compute time over the native process's, fastest run of "
               "each (noise on a shared machine only ever adds time): 1.0 is native speed, "
               "above it slower.")
METRICS.append(RATIO)
BY_KEY = {m.key: m for m in METRICS}


@dataclass(frozen=True)
class Summary:
    min: float
    median: float
    max: float
    n: int


def values(metric: Metric, pair: Pair) -> list[float]:
    """The metric's values for pair, in its unit (empty when not measured)."""
    if metric.side == "ratio":
        guest = summary(BY_KEY["compute_ns"], pair)
        native = summary(BY_KEY["native_compute_ns"], pair)
        if guest is None or native is None or native.min <= 0:
            return []
        return [guest.min / native.min]
    if metric.side == "image":
        v = metric.get(pair, None)
        return [] if v is None else [v / metric.scale]
    side = pair.unikernel if metric.side == "unikernel" else pair.native
    if side is None or side.state != OK:
        return []
    got = [metric.get(pair, r) for r in side.runs]
    return [v / metric.scale for v in got if v is not None]


def summary(metric: Metric, pair: Pair) -> Summary | None:
    vs = values(metric, pair)
    if not vs:
        return None
    return Summary(min(vs), statistics.median(vs), max(vs), len(vs))


def shown(metrics: list[Metric], pairs: list[Pair]) -> list[Metric]:
    """The metrics that some pair has a value for (QEMU has no exit counts, …)."""
    return [m for m in metrics if any(values(m, p) for p in pairs)]


def fmt(v: float, integral: bool = False) -> str:
    """3 significant digits (a count: whole), no exponent for the sizes a report shows."""
    if v == 0 or (integral and float(v).is_integer()):
        return f"{int(v):,}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    if abs(v) >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}"


def cell(s: Summary | None, integral: bool = False) -> str:
    """`median (min–max)`, or the median alone when every run agreed."""
    if s is None:
        return "-"
    if s.min == s.max:
        return fmt(s.median, integral)
    return f"{fmt(s.median, integral)} ({fmt(s.min, integral)}–{fmt(s.max, integral)})"
