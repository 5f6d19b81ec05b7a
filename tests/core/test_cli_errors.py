"""Bad input gets one clear line and exit status 1 — never a traceback."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


def one_line_error(r) -> str:
    assert r.status == 1, (r.status, r.err)
    assert "Traceback" not in r.err
    lines = [ln for ln in r.err.splitlines() if ln.startswith("unik: error:")]
    assert len(lines) == 1, r.err
    return lines[0]


def test_unik_toml_typo_names_key_and_file(cli, tmp_path: Path):
    (tmp_path / "unik.toml").write_text('[project]\nname = "x"\nlang = "c"\n[run]\nmemroy = 3\n')
    (tmp_path / "main.c").write_text("int main(void){return 0;}\n")
    line = one_line_error(cli("build", cwd=tmp_path))
    assert "memroy" in line and "unik.toml" in line and "did you mean 'memory'" in line


def test_unik_toml_wrong_type(cli, tmp_path: Path):
    (tmp_path / "unik.toml").write_text('[project]\nname = 5\n')
    line = one_line_error(cli("build", cwd=tmp_path))
    assert "'name' must be a string" in line


def test_unik_toml_syntax_error(cli, tmp_path: Path):
    (tmp_path / "unik.toml").write_text('[project\nname = "x"\n')
    line = one_line_error(cli("build", cwd=tmp_path))
    assert "unik.toml" in line


def test_unknown_language(cli, tmp_path: Path):
    (tmp_path / "unik.toml").write_text('[project]\nname = "x"\nlang = "cobol"\n')
    line = one_line_error(cli("build", cwd=tmp_path))
    assert "unknown language 'cobol'" in line


def test_no_project(cli, tmp_path: Path):
    line = one_line_error(cli("build", cwd=tmp_path))
    assert "no unik.toml" in line and "no sources of a known language" in line
    line = one_line_error(cli("--lang", "c", "build", cwd=tmp_path))
    assert "no unik.toml" in line and "no c sources (.c)" in line


@pytest.mark.parametrize("host", ["runner", "qemu"])
@pytest.mark.parametrize("content", [b"", b"not an elf at all", b"\x7fELF" + b"\xff" * 60,
                                     b"\x7fELF\x02\x01\x01" + b"\0" * 9 + b"\x02\0\x3e\0"
                                     + b"\1\0\0\0" + b"\0" * 8 + b"\xff" * 8 + b"\0" * 30],
                         ids=["empty", "text", "garbage-header", "bad-phoff"])
def test_malformed_elf(cli, tmp_path: Path, host: str, content: bytes):
    img = tmp_path / "bad.unik"
    img.write_bytes(content)
    line = one_line_error(cli("run", "--host", host, str(img)))
    assert "bad.unik" in line


def test_missing_image(cli, tmp_path: Path):
    line = one_line_error(cli("inspect", str(tmp_path / "nope.unik")))
    assert "no such image" in line


def test_missing_gcc(cli, tmp_path: Path):
    (tmp_path / "unik.toml").write_text('[project]\nname = "x"\nlang = "c"\n')
    (tmp_path / "main.c").write_text("int main(void){return 0;}\n")
    empty = tmp_path / "bin"
    empty.mkdir()
    # Only python on PATH: no gcc, no binutils.
    (empty / "python3").symlink_to(sys.executable)
    line = one_line_error(cli("build", cwd=tmp_path, env={"PATH": str(empty)}))
    assert "gcc not found" in line and "apt-get install -y gcc" in line
    assert os.path.exists(tmp_path / "main.c")   # nothing lost
