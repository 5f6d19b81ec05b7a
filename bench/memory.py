"""Guest RAM on the runner, side by side in one run: boot of the C hello with
--memory 32, 1024 (the default) and 4096 (VM creation → shutdown, pages the
host committed), and a C program that mallocs and touches 512 MiB with no
--memory at all.

Rounds are interleaved (each size once per round) and the best of N is kept:
the machine is shared and its load drifts.

    python bench/memory.py [--rounds N]   → a table, bench/results/memory.json
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import table, write_json  # noqa: E402

SIZES = (32, 1024, 4096)
HELLO = '#include <stdio.h>\nint main(void) { printf("Hello, unik!\\n"); return 0; }\n'
TOUCH = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    size_t n = 512u << 20;
    char *p = malloc(n);
    if (!p) { printf("malloc failed\n"); return 1; }
    memset(p, 1, n);
    printf("touched %zu MiB\n", n >> 20);
    return 0;
}
"""


def build(d: Path, name: str, src: str) -> Path:
    from unik.testing import Guest
    return Guest.create(d / name, "c", {"main.c": src}, name=name).build().image


def one_boot(image: Path, memory_mib: int | None) -> tuple[float, int, int]:
    from unik import runner
    out = io.BytesIO()
    r = runner.boot(image, memory_mib=memory_mib, out=out)
    if r.status != 0:
        raise SystemExit(f"bench: {image.name} --memory {memory_mib}: status {r.status}: "
                         f"{out.getvalue()[-200:]!r}")
    return (r.t_stop - r.t_create) / 1e6, r.pages, r.exits


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        hello = build(Path(tmp), "hello", HELLO)
        touch = build(Path(tmp), "touch", TOUCH)
        best: dict[int, tuple[float, int, int]] = {}
        for _ in range(args.rounds):
            for mib in SIZES:
                ms, pages, exits = one_boot(hello, mib)
                if mib not in best or ms < best[mib][0]:
                    best[mib] = (ms, pages, exits)
        t0 = time.perf_counter()
        touch_ms, touch_pages, _ = one_boot(touch, None)
        touch_wall = time.perf_counter() - t0
    base = best[SIZES[0]][0]
    rows = [("what", "best ms", "ratio to --memory 32; host pages committed")]
    for mib in SIZES:
        ms, pages, exits = best[mib]
        rows.append((f"hello, --memory {mib}", f"{ms:.3f}",
                     f"{ms / base:.2f}x; {pages} pages, {exits} exits"))
    rows.append(("malloc+touch 512 MiB, no --memory", f"{touch_ms:.1f}",
                 f"{touch_pages} pages ({touch_pages * 4 >> 10} MiB)"))
    print(table(rows))
    path = write_json("memory", {
        "rounds": args.rounds,
        "hello": {str(m): {"best_ms": best[m][0], "pages": best[m][1], "exits": best[m][2],
                           "ratio": best[m][0] / base} for m in SIZES},
        "touch_512mib": {"ms": touch_ms, "wall_s": touch_wall, "pages": touch_pages},
    })
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
