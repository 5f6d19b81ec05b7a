"""The report's pieces without a guest: scales, number formats, the table
and the HTML of a made-up comparison, and the command line's errors."""

from __future__ import annotations

import json

from unik.compare import html, jsonout, metrics, svg, table
from unik.compare.results import Pair, Run, Side
from unik.compare.session import Comparison, Options


def test_scale_goes_log_when_values_span_decades():
    lin = svg.Scale([3.0, 40.0])
    assert not lin.log and lin.lo == 0 and lin.hi >= 40
    assert lin(0) == svg.LEFT and lin(lin.hi) == svg.WIDTH - svg.RIGHT
    log = svg.Scale([2.0, 5000.0])
    assert log.log and log.lo == 1 and log.hi == 10_000
    assert log.ticks() == [1, 10, 100, 1000, 10_000]


def test_numbers_and_cells():
    assert metrics.fmt(7.0, integral=True) == "7" and metrics.fmt(7.0) == "7.00"
    assert metrics.fmt(1234.4) == "1,234"
    assert metrics.fmt(12.34) == "12.3" and metrics.fmt(0.0123) == "0.0123"
    assert metrics.cell(None) == "-"
    assert metrics.cell(metrics.Summary(1, 2, 3, 3), integral=True) == "2 (1–3)"
    assert metrics.cell(metrics.Summary(5, 5, 5, 2)) == "5.00"


def _comparison(interrupted=False) -> Comparison:
    ok = Pair("c", "fib", image_bytes=70_000, debug_bytes=250_000)
    ok.unikernel = Side(state="ok", runs=[
        Run(wall_ns=5_000_000, first_byte_ns=4_900_000, compute_ns=3_000_000,
            memory_bytes=300 * 4096, exits=2, hypercalls=7),
        Run(wall_ns=6_000_000, first_byte_ns=5_900_000, compute_ns=4_000_000,
            memory_bytes=300 * 4096, exits=2, hypercalls=7)])
    ok.native = Side(state="ok", runs=[Run(wall_ns=9_000_000, compute_ns=2_000_000,
                                           memory_bytes=1_000_000)])
    bad = Pair("toy", "fib")
    bad.unikernel = Side(state="wrong output", reason="line 1: expected 'fib(32) = 2178309', "
                         "got 'fib(32) = 1'", check_output="fib(32) = 1\n<script>")
    return Comparison(Options(repeat=2, native=True), [ok, bad], notes=["a note"],
                      interrupted=interrupted)


def test_table_shows_ranges_ratio_and_reasons():
    text = table.render(_comparison())
    assert "3.50 (3.00–4.00)" in text            # compute ms: median (min–max)
    assert "1.50" in text                         # vs native: fastest 3.0 / fastest 2.0
    assert "wrong output: line 1: expected 'fib(32) = 2178309'" in text
    assert "median (min–max) of 2 runs" in text


def test_a_narrow_terminal_gets_fewer_columns():
    wide = table.render(_comparison())
    narrow = table.render(_comparison(), width=140)
    head = narrow.splitlines()[0]
    assert "native →exit" in wide.splitlines()[0] and "native →exit" not in head
    assert len(head) <= 140 and "compute ms" in head
    assert "left out for the terminal's width (see compare.html): native →exit" in narrow


def test_html_is_self_contained_and_escapes_guest_output():
    c = _comparison(interrupted=True)
    doc = jsonout.document(c, {"cpu": "x"}, {})
    page = html.render(c, doc)
    assert "<script>" not in page.replace('<script type="application/json"', "")
    assert "&lt;script&gt;" in page and "Interrupted" in page
    embedded = page.split('id="compare-json">')[1].split("</script>")[0]
    assert json.loads(embedded)["interrupted"] is True
    assert page.count("<svg") == len(metrics.shown(metrics.METRICS, c.pairs))


def test_cli_errors_are_one_line(cli, tmp_path):
    r = cli("compare", "--program", "fibb", "--out", str(tmp_path))
    assert r.status == 1 and r.err.strip().count("\n") == 0
    assert "unknown program 'fibb'" in r.err
    r = cli("compare", "--lang", "cobol", "--out", str(tmp_path))
    assert r.status == 1 and "cobol" in r.err and "Traceback" not in r.err
    r = cli("compare", "--repeat", "0", "--out", str(tmp_path))
    assert r.status == 1 and "--repeat must be at least 1" in r.err


def test_list_prints_every_program(cli):
    r = cli("compare", "--list")
    assert r.status == 0
    for name in ["hello", "fib", "binarytrees", "hashmap", "nbody", "strings", "ring"]:
        assert f"\n{name} " in "\n" + r.out
