"""The fuzz harness's cases, deterministic from a seed (tests/fuzz and bench/fuzz.py).

Three targets, each asserting the same contract: unik never raises anything
but a one-line UnikError (never exit 2, never a traceback), keeps its memory
bounded and honours --timeout.
- `domain_hypercalls`: random hypercalls with random arguments straight into
  a Domain over plain memory (every hypercall, batches included).
- `guest_hypercalls`: the bare guest's `fuzz SEED N` command: a real guest
  issuing N random hypercalls through the runner (KVM or the soft CPU).
- `mutated_images` / `mutated_tomls`: a good image / unik.toml with random
  damage, read by the runner, `unik inspect` and the model.
"""

from __future__ import annotations

import gc
import random
import resource
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "runner" / "guests"))
import build as guest_build  # noqa: E402
from unik.errors import UnikError  # noqa: E402

# Where a guest may legitimately end: its own statuses, timeout, crash, abort.
GUEST_STATUSES = set(range(124)) | {124, 125, 126}


@dataclass
class Tally:
    cases: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, outcome: str) -> None:
        self.cases += 1
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def peak_rss_mib(children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def rss_mib() -> float:
    """This process's resident memory now (peak RSS would count whatever ran
    before in the same process, such as a guest that touched 512 MiB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def bare_image(out: Path) -> Path:
    return guest_build.build(out / "guest.unik")


# -- random hypercalls into a Domain ---------------------------------------------

class Sink:
    """A console output that keeps only a count (the fuzz writes megabytes)."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, data: bytes) -> int:
        self.bytes += len(data)
        return len(data)

    def flush(self) -> None:
        pass


class World:
    """A built domain in a bytearray with its Domain (no VM, no CPU)."""

    def __init__(self, image: Path, ram_mib: int = 20) -> None:
        from unik.runner import builder as B
        from unik.runner import image as image_mod
        from unik.runner import xenabi as X
        from unik.runner.hypercalls import Domain, GuestTime
        from unik.runner.memory import GuestMemory

        img = image_mod.load(image)
        self.size = ram_mib << 20
        self.mem = GuestMemory(bytearray(self.size))
        lay = B.plan(img, self.size, flags=X.SIF_UNIK_RUNNER)
        B.build(img, self.mem, lay, cmdline=b"fuzz")
        self.domain = Domain(self.mem, lay, out=Sink(),
                             clock=GuestTime(1e9, time.monotonic_ns))
        self.scratch = lay.free_start


def _arg(rng: random.Random, scratch: int, size: int) -> int:
    k = rng.randrange(8)
    if k == 0:
        return rng.randrange(64)
    if k == 1:
        return rng.randrange(1 << 32)
    if k in (2, 3):
        return scratch + rng.randrange(16 * 4096)
    if k == 4:
        return rng.randrange(0x10000)                    # the runner's pages
    if k == 5:
        return size - rng.randrange(64)                  # the end of RAM
    if k == 6:
        return (1 << 63) | rng.getrandbits(63)
    return rng.getrandbits(64)


def domain_hypercalls(seed: int, n: int) -> Tally:
    """n random hypercalls into a fresh Domain (re-made after a Stop)."""
    from unik.runner import xenabi as X
    from unik.runner.events import Stop

    rng = random.Random(seed)
    image = bare_image_cached()
    t0, tally = time.monotonic(), Tally()
    world = World(image)
    numbers = sorted(X.HYPERCALLS)
    blocking = {(X.HC["sched_op"], X.SCHEDOP_block), (X.HC["sched_op"], X.SCHEDOP_poll)}
    for i in range(n):
        if i % 64 == 0:
            world.mem.write(world.scratch, rng.randbytes(16 * 4096))
        nr = rng.choice(numbers) if rng.randrange(8) else rng.getrandbits(32)
        args = tuple(_arg(rng, world.scratch, world.size) for _ in range(5))
        if (nr, args[0] & 0xFFFFFFFF) in blocking:
            args = (X.SCHEDOP_yield, *args[1:])         # would wait for an event
        try:
            world.domain.hypercall(nr, args)
            tally.add("returned")
        except Stop as s:
            tally.add(f"stop {s.status}")
            world = None
            gc.collect()            # a Domain is a cycle (its table of bound methods)
            world = World(image)
    tally.seconds = time.monotonic() - t0
    return tally


_IMAGE: Path | None = None


def bare_image_cached() -> Path:
    global _IMAGE
    if _IMAGE is None:
        import tempfile
        _IMAGE = bare_image(Path(tempfile.mkdtemp(prefix="unik-fuzz-")))
    return _IMAGE


# -- a guest making random hypercalls ------------------------------------------------

@dataclass
class Run:
    returncode: int
    stdout: bytes
    stderr: bytes
    seconds: float
    peak_rss_mib: float


# Runs a command and reports its peak RSS on stderr's last line. It sits
# between the test and `unik run` because a child's ru_maxrss starts from
# its parent's RSS at fork (Linux keeps the pre-exec high-water mark), and
# the test process may hold a 512 MiB guest's pages; this one is small.
_RSS_WRAPPER = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[1:])\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "sys.stderr.write(f'\\nunik-fuzz-peak-rss-kib {usage.ru_maxrss}\\n')\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n")


def guest_hypercalls(image: Path, seed: int, n: int, cpu: str,
                     timeout: float | None = None) -> Run:
    """`unik run --cpu CPU IMAGE -- fuzz SEED N` as a process: its status,
    output, time and its own peak RSS."""
    cmd = [sys.executable, "-m", "unik", "run", "--cpu", cpu, str(image)]
    if timeout:
        cmd += ["--timeout", str(timeout)]
    t0 = time.monotonic()
    guest = ["fuzz", str(seed), str(n)]
    proc = subprocess.run([sys.executable, "-c", _RSS_WRAPPER, *cmd, "--", *guest],
                          capture_output=True, stdin=subprocess.DEVNULL,
                          timeout=(timeout or 3600) + 120)
    err, _, last = proc.stderr.rstrip(b"\n").rpartition(b"\n")
    rss = int(last.split()[-1]) / 1024 if last.startswith(b"unik-fuzz-peak-rss-kib") else -1.0
    return Run(proc.returncode, proc.stdout, err, time.monotonic() - t0, rss)


# -- damaged images ------------------------------------------------------------------

def _mutations(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    phoff, = struct.unpack_from("<Q", b, 32)
    phnum, = struct.unpack_from("<H", b, 56)
    for _ in range(rng.randrange(1, 4)):
        k = rng.randrange(7)
        if k == 0:                                         # flip bytes anywhere
            for _ in range(rng.randrange(1, 16)):
                b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        elif k == 1:                                       # truncate
            del b[rng.randrange(len(b)):]
        elif k == 2 and len(b) >= 64:                      # an ELF header field
            off = rng.choice([16, 18, 24, 32, 40, 52, 54, 56, 58])
            width = 8 if off in (24, 32, 40) else 2
            b[off:off + width] = rng.getrandbits(8 * width).to_bytes(width, "little")
        elif k in (3, 4) and phnum and phoff + 56 * phnum <= len(b):   # a segment field
            at = phoff + 56 * rng.randrange(phnum) + rng.choice([0, 4, 8, 16, 24, 32, 40])
            width = 4 if (at - phoff) % 56 < 8 else 8
            v = rng.choice([0, 1, 1 << 20, 1 << 30, 1 << 36, 1 << 46, (1 << 64) - 1,
                            rng.getrandbits(8 * width)]) & ((1 << 8 * width) - 1)
            b[at:at + width] = v.to_bytes(width, "little")
        elif k == 5:                                       # random bytes
            b = bytearray(rng.randbytes(rng.randrange(1, 4096)))
        else:                                              # garbage appended
            b += rng.randbytes(rng.randrange(1, 65536))
        if len(b) < 64:
            break
    return bytes(b)


def mutated_images(good: Path, seed: int, n: int, tmp: Path) -> Iterator[Path]:
    rng = random.Random(seed)
    data = good.read_bytes()
    for i in range(n):
        p = tmp / f"m{i % 4}.unik"
        p.write_bytes(_mutations(rng, data))
        yield p


def boot_damaged(image: Path, cpu: str, timeout: float) -> str:
    """Boot one damaged image in this process: its outcome, or AssertionError
    for anything but a status a guest may end with or a one-line UnikError."""
    from unik import runner
    try:
        r = runner.boot(image, cpu=cpu, timeout=timeout, cmdline="hello", out=Sink())
    except UnikError as e:
        assert "\n" not in str(e), repr(str(e))
        return "refused"
    assert r.error is None and r.status in GUEST_STATUSES, (r.status, r.message)
    return f"status {r.status}"


def inspect_damaged(image: Path) -> str:
    from unik.image import inspect
    try:
        inspect.report(image)
    except UnikError as e:
        assert "\n" not in str(e), repr(str(e))
        return "refused"
    return "read"


# -- damaged unik.toml -----------------------------------------------------------------

GOOD_TOML = """[project]
name = "app"
lang = "c"
sources = ["main.c", "util.c"]

[run]
memory = 64
cmdline = "a b c"
timeout = 5.5

[c]
cflags = ["-O2"]
"""

_PIECES = ["[", "]", "[[", "]]", "{", "}", "=", '"', "'", "\n", ",", ".", "nan", "inf", "-1",
           "0", "1e999", "true", "[run]", "memory", "timeout", "cmdline", "[project]",
           "1979-05-27T07:32:00Z", '"""', "\\u0000", "#", "\x00", "\udcff", "é", " = [" * 40]


def mutated_tomls(seed: int, n: int) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(n):
        text = GOOD_TOML
        for _ in range(rng.randrange(1, 5)):
            at = rng.randrange(len(text) + 1)
            k = rng.randrange(4)
            if k == 0:
                text = text[:at] + rng.choice(_PIECES) + text[at:]
            elif k == 1:
                text = text[:at] + text[at + rng.randrange(1, 20):]
            elif k == 2:
                depth = rng.choice([10, 1000, 100_000])
                text += f"\n[run]\ncmdline = {'[' * depth}{']' * depth}\n"
            else:
                text = text[:at] + chr(rng.randrange(0x20, 0x7F)) + text[at:]
        yield text


def load_toml(text: str, tmp: Path) -> str:
    from unik import model
    p = tmp / "unik.toml"
    p.write_text(text, errors="surrogatepass")
    try:
        model.load(p, {"c": {"cflags": list}})
    except UnikError as e:
        assert "\n" not in str(e).strip(), repr(str(e))
        return "refused"
    return "loaded"
