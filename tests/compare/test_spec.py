"""The programs' specification and the output check: no guest needed."""

from __future__ import annotations

import pytest

from unik.compare import spec
from unik.compare.check import check


def test_every_program_has_a_sane_specification():
    assert list(spec.PROGRAMS)[:2] == ["hello", "fib"]
    for p in spec.PROGRAMS.values():
        out = p.expected()
        assert out.endswith("\n") and "compute_ns" not in out, p.name
        assert p.summary and p.param_means
        assert p.cmdline == ("" if p.param is None else str(p.param))


def test_fib_and_ring_outputs():
    assert spec.PROGRAMS["fib"].expected() == "fib(32) = 2178309\n"
    assert spec.PROGRAMS["fib"].expected(10) == "fib(10) = 55\n"
    # token 1,000,000 round 503: 1000000 mod 503 = 36, numbered from 1
    assert spec.PROGRAMS["ring"].expected() == "37\n"


def _ring_by_simulation(n: int) -> str:
    holder, token = 0, n
    while token:
        holder, token = (holder + 1) % spec.RING_SIZE, token - 1
    return f"{holder + 1}\n"


@pytest.mark.parametrize("n", [0, 1, 502, 503, 1234])
def test_ring_reference_matches_a_simulation(n):
    assert spec.PROGRAMS["ring"].expected(n) == _ring_by_simulation(n)


def _hashmap_by_simulation(n: int) -> str:
    h: dict[int, int] = {}
    s = 0
    for rnd in range(1, 11):
        for i in range(n):
            h[i * 7919] = i * rnd
        for i in range(n):
            s += h[i * 7919]
        for i in range(n // 2):
            h.pop(2 * i * 7919, None)
    hs = {f"key{i}": i for i in range(n)}
    s += sum(hs[f"key{i}"] for i in range(n))
    return f"sum {s}, {len(h)} + {len(hs)} keys\n"


@pytest.mark.parametrize("n", [1, 2, 7, 1000])
def test_hashmap_closed_form_matches_a_simulation(n):
    assert spec.PROGRAMS["hashmap"].expected(n) == _hashmap_by_simulation(n)


def _tree_nodes(d: int) -> int:
    return 1 if d == 0 else 1 + 2 * _tree_nodes(d - 1)


def test_binarytrees_counts_nodes_like_the_benchmarks_game():
    lines = spec.PROGRAMS["binarytrees"].expected(6).splitlines()
    assert lines[0] == f"stretch tree of depth 7\t check: {_tree_nodes(7)}"
    assert lines[1] == f"64\t trees of depth 4\t check: {64 * _tree_nodes(4)}"
    assert lines[-1] == f"long lived tree of depth 6\t check: {_tree_nodes(6)}"
    # depth 16 is the default: 1 stretch + depths 4, 6, ..., 16 + long lived
    assert len(spec.PROGRAMS["binarytrees"].expected().splitlines()) == 9


def test_nbody_reference_is_the_benchmarks_games():
    # The benchmarks game's published output for 1000 steps.
    assert spec.PROGRAMS["nbody"].expected(1000) == "-0.169075164\n-0.169087605\n"
    assert spec.PROGRAMS["nbody"].expected().startswith("-0.169075164\n")


def test_strings_reference():
    assert spec.PROGRAMS["strings"].expected(12) == "length 26, sevens 1\n"


FIB = spec.PROGRAMS["fib"]


def test_check_accepts_the_exact_output_and_reads_compute_ns():
    got = check(FIB, "fib(32) = 2178309\r\ncompute_ns 1234\n")
    assert got.ok and got.compute_ns == 1234
    assert check(FIB, "compute_ns 5\nfib(32) = 2178309").ok     # anywhere, no final newline


@pytest.mark.parametrize("output, reason", [
    ("fib(32) = 2178308\ncompute_ns 1\n",
     "line 1: expected 'fib(32) = 2178309', got 'fib(32) = 2178308'"),
    ("compute_ns 1\n", "line 1: expected 'fib(32) = 2178309', got nothing"),
    ("fib(32) = 2178309\nextra\ncompute_ns 1\n", "line 2: expected nothing, got 'extra'"),
    ("fib(32) = 2178309\n", "no `compute_ns N` line"),
    ("fib(32) = 2178309\ncompute_ns 1\ncompute_ns 2\n", "more than one compute_ns line"),
])
def test_check_names_what_is_wrong(output, reason):
    got = check(FIB, output)
    assert not got.ok and got.reason.startswith(reason)


def test_hello_need_not_time_itself():
    assert check(spec.PROGRAMS["hello"], "Hello, world!\n").ok


def test_docs_show_each_programs_expected_output():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "plugins.md").read_text()
    section = doc.split("## Benchmarks (`unik compare`)")[1].split("\n## ")[0]
    for p in spec.PROGRAMS.values():
        row = next((ln for ln in section.splitlines() if ln.startswith(f"| `{p.name}` |")),
                   None)
        assert row is not None, f"{p.name} missing from docs/plugins.md"
        assert f"| {p.param if p.param is not None else 'none'} |" in row
        for line in p.expected().splitlines()[:1]:
            assert line.replace("\t", "\\t") in row, (p.name, line)
