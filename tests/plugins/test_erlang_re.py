"""The Erlang VM's regex engine (plugins/erlang/.../runtime/regex.c) against erl's PCRE.

The conformance cases (re_*.erl) run the whole path in a guest; this test
compiles regex.c for the host with a small driver (erlang/re_diff/drv.c) and
compares it with `erl`'s own re:run on thousands of generated patterns and
subjects (erlang/re_diff/rxgen.erl): classes, anchors, groups, alternation,
greedy and lazy quantifiers, backreferences, lookaround, inline flags and
the caseless/multiline/dotall/ungreedy options, all with `global`, so the
stepping over empty matches is checked as well.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "erlang" / "re_diff"
RUNTIME = Path(__file__).resolve().parents[2] / "plugins" / "erlang" / "unik_erlang" / "runtime"

pytestmark = pytest.mark.skipif(
    shutil.which("erlc") is None or shutil.which("erl") is None or shutil.which("cc") is None,
    reason="erlc/erl or a host C compiler missing (apt-get install -y erlang-base gcc)")


@pytest.mark.parametrize("seed", [1, 2])
def test_regex_engine_agrees_with_erl(seed: int, tmp_path: Path) -> None:
    drv = tmp_path / "drv"
    subprocess.run(["cc", "-O2", "-Wall", "-Wextra", "-Werror", "-I", str(RUNTIME), "-o", str(drv),
                    str(HERE / "drv.c"), str(RUNTIME / "regex.c")], check=True)
    subprocess.run(["erlc", "-o", str(tmp_path), str(HERE / "rxgen.erl")], check=True)
    subprocess.run(["erl", "-noshell", "-pa", str(tmp_path), "-run", "rxgen", "main", str(seed),
                    "4000", "in.txt", "want.txt", "-s", "init", "stop"],
                   check=True, cwd=tmp_path, timeout=300)
    inputs = (tmp_path / "in.txt").read_text().splitlines()
    want = (tmp_path / "want.txt").read_text().splitlines()
    got = subprocess.run([str(drv)], input="\n".join(inputs) + "\n", capture_output=True,
                         text=True, check=True, timeout=300).stdout.splitlines()
    assert len(inputs) == len(want) == len(got) == 4000
    bad = [(i.split(" ")[0], bytes.fromhex(i.split(" ")[1]), bytes.fromhex(i.split(" ")[2]), w, g)
           for i, w, g in zip(inputs, want, got, strict=True) if w != g]
    # PCRE's own quirk, not followed: under `ungreedy` (option 64) a lazy `??`
    # before a possessive quantifier does not backtrack in erl
    bad = [b for b in bad if not (int(b[0]) & 64 and b"??" in b[1] and b"?+" in b[1])]
    assert not bad, bad[:10]
