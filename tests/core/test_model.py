"""unik.toml into the typed model."""

from __future__ import annotations

from pathlib import Path

import pytest

from unik import model
from unik.errors import UnikError


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "unik.toml"
    p.write_text(text)
    return p


def test_defaults(tmp_path: Path):
    p = model.load(write(tmp_path, '[project]\nname = "app"\n'))
    assert (p.name, p.lang, p.sources, p.memory_mib, p.cmdline) == ("app", None, None, None, "")


def test_full(tmp_path: Path):
    p = model.load(write(tmp_path, '[project]\nname = "a"\nlang = "c"\nsources = ["m.c"]\n'
                                   '[run]\nmemory = 16\ncmdline = "x y"\n[c]\ncflags = ["-O3"]\n'),
                   {"c": {"cflags": list}})
    assert p.memory_mib == 16 and p.cmdline == "x y" and p.lang_options == {"cflags": ["-O3"]}


@pytest.mark.parametrize("text, words", [
    ('[projekt]\nname = "a"\n', ["unknown table 'projekt'", "did you mean 'project'"]),
    ('[project]\nnme = "a"\n', ["unknown key 'nme'"]),
    ('[run]\nmemory = "lots"\n', ["'memory' must be an integer"]),
    ('[run]\nmemory = true\n', ["'memory' must be an integer"]),
    ('[run]\nmemory = 1\n', ["2..65536"]),
    ('[project]\nname = "a b"\n', ["project name"]),
    ('[project]\nsources = [1]\n', ["list of file names"]),
    ('[c]\ncflag = []\n', ["unknown key 'cflag'", "[c]"]),
    ('[run]\ntimeout = nan\n', ["'timeout'", "positive number"]),
    ('[run]\ntimeout = inf\n', ["'timeout'", "positive number"]),
    ('[run]\ntimeout = -1\n', ["'timeout'", "positive number"]),
    ('[run]\ntimeout = 0\n', ["'timeout'", "positive number"]),
    ('[run]\ncmdline = ' + '[' * 5000 + ']' * 5000 + '\n', ["nested too deeply"]),
    ('[run]\ncmdline = ' + '{a=' * 5000 + '1' + '}' * 5000 + '\n', ["nested too deeply"]),
])
def test_errors_name_key_and_file(tmp_path: Path, text: str, words: list[str]):
    with pytest.raises(UnikError) as e:
        model.load(write(tmp_path, text), {"c": {"cflags": list}})
    msg = str(e.value)
    assert "\n" not in msg and str(tmp_path / "unik.toml") in msg
    for w in words:
        assert w in msg
