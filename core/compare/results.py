"""What `unik compare` measured: plain data, written to compare.json as it is."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# A pair's state. Every state but "ok" carries a reason.
OK = "ok"
MISSING = "missing"                 # the language has no implementation of the program
BUILD_FAILED = "build failed"
WRONG_OUTPUT = "wrong output"
TIMEOUT = "timeout"
FAILED = "failed"                   # a non-zero exit status, a crash, a host error
INTERRUPTED = "interrupted"         # Ctrl-C came before it was measured
PENDING = "pending"


@dataclass
class Run:
    """One run of a pair (a boot, or a native process)."""

    status: int = 0
    wall_ns: int = 0                        # host-side: start (VM creation) to exit
    first_byte_ns: int | None = None        # start to the first console byte
    compute_ns: int | None = None           # what the program reported around its kernel
    memory_bytes: int | None = None         # guest pages touched x 4 KiB; native: peak RSS
    exits: int | None = None                # runner only: exits to the host
    hypercalls: int | None = None           # runner only
    hypercall_counts: dict[str, int] = field(default_factory=dict)
    cpu: str = ""                           # runner: kvm or soft


@dataclass
class Side:
    """The runs of one pair on one side: the unikernel, or the native process."""

    state: str = PENDING
    reason: str = ""
    runs: list[Run] = field(default_factory=list)
    check_output: str = ""                  # the first run's output when it was wrong


@dataclass
class Pair:
    lang: str
    program: str
    source: str = ""                        # the project directory the plugin gave
    image_bytes: int | None = None          # stripped
    debug_bytes: int | None = None          # with symbols
    build_s: float | None = None
    unikernel: Side = field(default_factory=Side)
    native: Side | None = None              # None: --native not asked
    image: Path | None = None
    native_cmd: list[str] | None = None
    memory_mib: int | None = None           # the project's [run] memory

    @property
    def key(self) -> tuple[str, str]:
        return self.lang, self.program

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("image")
        d.pop("native_cmd")
        d.pop("memory_mib")
        return d
