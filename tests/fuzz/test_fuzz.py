"""The fuzz harness in CI: deterministic seeds, bounded time (~1 minute).

`python bench/fuzz.py` is the long mode (10^7 guest hypercalls and more);
its figures are in the README's reliability section.
"""

from __future__ import annotations

import pytest
from fuzzlib import (
    bare_image_cached,
    boot_damaged,
    domain_hypercalls,
    guest_hypercalls,
    inspect_damaged,
    load_toml,
    mutated_images,
    mutated_tomls,
    rss_mib,
)

from unik.testing import kvm_usable

SEED = 2026
RSS_LIMIT_MIB = 300         # a fuzzed `unik run` process
RSS_GROWTH_MIB = 100        # this process, across a fuzz target


def test_random_hypercalls_into_a_domain():
    before = rss_mib()
    tally = domain_hypercalls(SEED, 100_000)
    assert tally.cases == 100_000 and tally.outcomes.get("returned", 0) > 90_000
    assert rss_mib() - before < RSS_GROWTH_MIB


@pytest.mark.parametrize("cpu, n", [
    pytest.param("kvm", 100_000, id="kvm", marks=pytest.mark.skipif(
        not kvm_usable(), reason="no usable /dev/kvm")),
    pytest.param("soft", 100_000, id="soft"),
])
def test_a_guest_making_random_hypercalls(cpu, n):
    run = guest_hypercalls(bare_image_cached(), SEED, n, cpu)
    why = (run.returncode, run.stdout[-300:], run.stderr[-2000:], run.peak_rss_mib)
    assert run.returncode == 0, why
    assert run.stdout.endswith(f"fuzz done {n}\n".encode()), why
    assert b"Traceback" not in run.stderr, why
    assert 0 < run.peak_rss_mib < RSS_LIMIT_MIB, why


def test_timeout_holds_during_a_hypercall_storm():
    run = guest_hypercalls(bare_image_cached(), SEED, 10**9, "auto", timeout=2)
    assert run.returncode == 124, run.stderr[-2000:]


def test_damaged_images_on_the_runner(tmp_path):
    before = rss_mib()
    outcomes: dict[str, int] = {}
    for img in mutated_images(bare_image_cached(), SEED, 150, tmp_path):
        o = boot_damaged(img, "auto", timeout=1.0)
        outcomes[o] = outcomes.get(o, 0) + 1
    assert outcomes.get("refused", 0) > 0
    assert rss_mib() - before < RSS_GROWTH_MIB


def test_damaged_images_under_inspect(tmp_path):
    for img in mutated_images(bare_image_cached(), SEED + 1, 300, tmp_path):
        inspect_damaged(img)


def test_damaged_unik_toml(tmp_path):
    outcomes: dict[str, int] = {}
    for text in mutated_tomls(SEED, 3000):
        o = load_toml(text, tmp_path)
        outcomes[o] = outcomes.get(o, 0) + 1
    assert outcomes.get("refused", 0) > 100 and outcomes.get("loaded", 0) > 10
