"""The fuzz harness's long mode: the CI cases of tests/fuzz at scale.

    python bench/fuzz.py [--guest-calls N] [--domain-calls N] [--images N] [--tomls N]
                         [--cpu kvm|soft|auto] [--seed S]

Defaults: 10^7 random hypercalls from a guest (one boot), 10^6 straight into a
Domain, 5,000 damaged images booted and inspected, 100,000 damaged unik.toml.
Prints cases, time, peak RSS and outcomes per target; writes bench/results/fuzz.json.
Any broken contract (a traceback, exit 2, a multi-line error) stops it with the case.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))
from _common import table, write_json  # noqa: E402
from fuzzlib import (  # noqa: E402
    bare_image_cached,
    boot_damaged,
    domain_hypercalls,
    guest_hypercalls,
    inspect_damaged,
    load_toml,
    mutated_images,
    mutated_tomls,
    peak_rss_mib,
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guest-calls", type=int, default=10**7)
    ap.add_argument("--domain-calls", type=int, default=10**6)
    ap.add_argument("--images", type=int, default=5000)
    ap.add_argument("--tomls", type=int, default=100_000)
    ap.add_argument("--cpu", default="auto")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    results: dict[str, dict] = {}
    image = bare_image_cached()

    print(f"fuzz: a guest making {a.guest_calls} random hypercalls ({a.cpu})", flush=True)
    run = guest_hypercalls(image, a.seed, a.guest_calls, a.cpu)
    ok = run.returncode == 0 and run.stdout.endswith(f"fuzz done {a.guest_calls}\n".encode())
    if not ok:
        raise SystemExit(f"fuzz: guest run failed ({run.returncode}): {run.stderr[-2000:]!r}")
    results["guest hypercalls"] = {"cases": a.guest_calls, "seconds": run.seconds,
                                   "peak_rss_mib": run.peak_rss_mib,
                                   "outcomes": {"status 0": 1}}
    print(f"fuzz: {results['guest hypercalls']}", flush=True)

    print(f"fuzz: {a.domain_calls} hypercalls straight into a Domain", flush=True)
    t = domain_hypercalls(a.seed, a.domain_calls)
    results["domain hypercalls"] = {"cases": t.cases, "seconds": t.seconds,
                                    "peak_rss_mib": peak_rss_mib(), "outcomes": t.outcomes}
    print(f"fuzz: {results['domain hypercalls']}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        for what, fn in (("damaged images, runner", lambda p: boot_damaged(p, a.cpu, 1.0)),
                         ("damaged images, inspect", inspect_damaged)):
            print(f"fuzz: {a.images} {what}", flush=True)
            outcomes: dict[str, int] = {}
            t0 = time.monotonic()
            for i, img in enumerate(mutated_images(image, a.seed + len(results), a.images,
                                                   Path(tmp))):
                try:
                    o = fn(img)
                except AssertionError as e:
                    raise SystemExit(f"fuzz: {what} case {i}: {e}") from None
                outcomes[o] = outcomes.get(o, 0) + 1
            results[what] = {"cases": a.images, "seconds": time.monotonic() - t0,
                             "peak_rss_mib": peak_rss_mib(), "outcomes": outcomes}
            print(f"fuzz: {what}: {results[what]}", flush=True)

        print(f"fuzz: {a.tomls} damaged unik.toml", flush=True)
        outcomes = {}
        t0 = time.monotonic()
        for text in mutated_tomls(a.seed, a.tomls):
            o = load_toml(text, Path(tmp))
            outcomes[o] = outcomes.get(o, 0) + 1
        results["damaged unik.toml"] = {"cases": a.tomls, "seconds": time.monotonic() - t0,
                                        "peak_rss_mib": peak_rss_mib(), "outcomes": outcomes}

    rows = [("target", "cases", "seconds, peak RSS (MiB), outcomes")]
    for what, r in results.items():
        outs = ", ".join(f"{k} {v}" for k, v in sorted(r["outcomes"].items()))
        rows.append((what, str(r["cases"]),
                     f"{r['seconds']:.1f} s, {r['peak_rss_mib']:.0f} MiB; {outs}"))
    print(table(rows))
    print(f"wrote {write_json('fuzz', {'seed': a.seed, 'cpu': a.cpu, 'targets': results})}")


if __name__ == "__main__":
    main()
