"""The comparison programs: one specification each, the single place that says
what every language's implementation must compute and print.

An implementation gets its parameter as the first word of its command line
(argv[1] in C, Sys.argv.(1) in OCaml), prints exactly `expected(param)` on the
console, line by line, and one more line `compute_ns N`: the nanoseconds its
kernel of work took on the monotonic clock (not the start-up, not the printing
of results). It exits with status 0. docs/plugins.md ("Benchmarks") is the
contract as plugin authors read it; `unik compare --list` prints this table.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class Program:
    name: str
    summary: str                    # one line: what it computes
    param: int | None               # passed on the command line; None: no parameter
    param_means: str                # what the parameter is
    reference: Callable[[int | None], str] = field(repr=False)  # exact output, for any param
    timed: bool = True              # must print `compute_ns N`
    needs: str = ""                 # "processes": only languages with processes/threads
    known: dict[int, str] = field(default_factory=dict, repr=False)  # outputs too slow to compute

    def expected(self, param: int | None = None) -> str:
        """The exact console output (without the compute_ns line), '\\n'-terminated lines."""
        p = self.param if param is None else param
        if p is not None and p in self.known:
            return self.known[p]
        return self.reference(p)

    @property
    def cmdline(self) -> str:
        return "" if self.param is None else str(self.param)


def _hello(_p: int | None) -> str:
    return "Hello, world!\n"


def _fib(n: int | None) -> str:
    assert n is not None
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return f"fib({n}) = {a}\n"


def _binarytrees(n: int | None) -> str:
    assert n is not None
    max_depth = max(6, n)
    nodes = lambda d: (1 << (d + 1)) - 1  # noqa: E731 - a perfect tree of depth d
    lines = [f"stretch tree of depth {max_depth + 1}\t check: {nodes(max_depth + 1)}"]
    for d in range(4, max_depth + 1, 2):
        iters = 1 << (max_depth - d + 4)
        lines.append(f"{iters}\t trees of depth {d}\t check: {iters * nodes(d)}")
    lines.append(f"long lived tree of depth {max_depth}\t check: {nodes(max_depth)}")
    return "\n".join(lines) + "\n"


def _hashmap(n: int | None) -> str:
    assert n is not None
    tri = n * (n - 1) // 2
    # 10 rounds: every key found with value i*round (sum 55*tri), then the
    # string-keyed round (tri); the even int keys are removed after each round.
    return f"sum {56 * tri}, {n - n // 2} + {n} keys\n"


_SOLAR_MASS = 4 * math.pi * math.pi
_DAYS = 365.24
# x, y, z, vx, vy, vz (per day), mass (solar masses): Sun, Jupiter, Saturn, Uranus, Neptune
_BODIES = [
    (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
    (4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
     9.54791938424326609e-04),
    (8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
     2.85885980666130812e-04),
    (1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
     4.36624404335156298e-05),
    (1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
     5.15138902046611451e-05),
]


def _nbody(n: int | None) -> str:
    """The Computer Language Benchmarks Game's n-body, in its reference order of
    operations (every implementation must keep it: the 9th decimal depends on it)."""
    assert n is not None
    b = [[x, y, z, vx * _DAYS, vy * _DAYS, vz * _DAYS, m * _SOLAR_MASS]
         for x, y, z, vx, vy, vz, m in _BODIES]
    px = py = pz = 0.0
    for body in b:
        px += body[3] * body[6]
        py += body[4] * body[6]
        pz += body[5] * body[6]
    b[0][3] = -px / _SOLAR_MASS
    b[0][4] = -py / _SOLAR_MASS
    b[0][5] = -pz / _SOLAR_MASS

    def energy() -> float:
        e = 0.0
        for i, bi in enumerate(b):
            e += 0.5 * bi[6] * (bi[3] * bi[3] + bi[4] * bi[4] + bi[5] * bi[5])
            for bj in b[i + 1:]:
                dx, dy, dz = bi[0] - bj[0], bi[1] - bj[1], bi[2] - bj[2]
                e -= (bi[6] * bj[6]) / math.sqrt(dx * dx + dy * dy + dz * dz)
        return e

    before = energy()
    dt = 0.01
    for _ in range(n):
        for i, bi in enumerate(b):
            for bj in b[i + 1:]:
                dx, dy, dz = bi[0] - bj[0], bi[1] - bj[1], bi[2] - bj[2]
                d2 = dx * dx + dy * dy + dz * dz
                mag = dt / (d2 * math.sqrt(d2))
                bi[3] -= dx * bj[6] * mag
                bi[4] -= dy * bj[6] * mag
                bi[5] -= dz * bj[6] * mag
                bj[3] += dx * bi[6] * mag
                bj[4] += dy * bi[6] * mag
                bj[5] += dz * bi[6] * mag
        for body in b:
            body[0] += dt * body[3]
            body[1] += dt * body[4]
            body[2] += dt * body[5]
    return f"{before:.9f}\n{energy():.9f}\n"


@lru_cache(maxsize=4)
def _strings(n: int | None) -> str:
    assert n is not None
    s = "".join(f"{i}," for i in range(n))
    return f"length {len(s)}, sevens {s.count('7')}\n"


def _ring(n: int | None) -> str:
    assert n is not None
    return f"{n % RING_SIZE + 1}\n"


RING_SIZE = 503
DATAGRAM = 64
HELLO_BODY = len("Hello, world!")


def _udp_echo(n: int | None) -> str:
    return f"echoed {n} datagrams of {DATAGRAM} bytes\n"


def _http_hello(n: int | None) -> str:
    assert n is not None
    return f"served {n} requests, {n * HELLO_BODY} body bytes\n"

PROGRAMS: dict[str, Program] = {p.name: p for p in [
    Program("hello", "print one line and exit: boot and start-up cost", None, "none",
            _hello, timed=False),
    Program("fib", "naive doubly recursive fib(n): calls and integer arithmetic", 32, "n",
            _fib),
    Program("binarytrees", "allocate and walk perfect binary trees (the benchmarks game's "
            "binary-trees): allocation and GC", 16, "maximum depth", _binarytrees),
    Program("hashmap", "with the language's own hash table or map: 10 rounds of insert n "
            "int keys (i*7919 -> i*round), look all up, remove the even ones; then n string "
            "keys \"key<i>\" -> i; print the sum of what was looked up and both sizes",
            100_000, "n keys", _hashmap),
    Program("nbody", "n steps of the benchmarks game's 5-body simulation (dt 0.01), "
            "energy before and after: floating point", 1_000_000, "steps", _nbody,
            known={1_000_000: "-0.169075164\n-0.169086185\n"}),
    Program("strings", "append \"<i>,\" for i in 0..n-1 to one growing string, then "
            "count its '7' characters: string building", 1_000_000, "n pieces", _strings),
    Program("ring", f"pass a token n times round a ring of {RING_SIZE} processes or threads "
            "(the benchmarks game's thread-ring); print the 1-based number of the one "
            "holding it when it reaches 0", 1_000_000, "passes", _ring, needs="processes"),
    Program("udp-echo", "a UDP echo server and its client in one program, BSD sockets over "
            f"127.0.0.1: n datagrams of {DATAGRAM} bytes, one in flight, each echo checked: "
            "the TCP/IP stack and the socket calls", 100_000, "datagrams", _udp_echo,
            needs="sockets"),
    Program("http-hello", "an HTTP/1.1 server and a keep-alive client in one program over "
            "127.0.0.1 (TCP, one connection, TCP_NODELAY): n GET requests, one at a time, "
            "each read to its blank line and answered \"Hello, world!\" with a "
            "Content-Length, each answer read whole", 20_000, "requests", _http_hello,
            needs="sockets"),
]}
"""Every program in the order reports show them. udp-echo and http-hello talk to
themselves over loopback (the guest core's stack has 127.0.0.1 with or without
a NIC; natively, Linux's loopback): the stack and socket layer per packet,
not the host's network."""
