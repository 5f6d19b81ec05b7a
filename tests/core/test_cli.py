"""The everyday commands: doctor, plugins, new, --help."""

from __future__ import annotations

import re
import sys
from pathlib import Path


def test_doctor_finds_every_toolchain(cli):
    r = cli("doctor")
    assert r.status == 0, r.out
    for who, tool in [("core", "gcc"), ("qemu host", "qemu-system-x86_64"), ("c", "gcc"),
                      ("ocaml", "ocamlopt")]:
        assert re.search(rf"^\s+ok\s+{who}\s+{re.escape(tool)}\b", r.out, re.M), r.out
    assert "everything found" in r.out


def test_doctor_names_the_install_command_of_what_is_missing(cli, tmp_path: Path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(sys.executable)
    r = cli("doctor", env={"PATH": str(bin_dir)})
    assert r.status == 1
    assert re.search(r"MISSING\s+core\s+gcc\s+install: apt-get install -y gcc", r.out), r.out
    assert re.search(r"MISSING\s+qemu host\s+qemu-system-x86_64\s+install: apt-get install -y "
                     r"qemu-system-x86", r.out), r.out


def test_new_refuses_to_overwrite(cli, tmp_path: Path):
    assert cli("new", "app", cwd=tmp_path).status == 0
    r = cli("new", "app", cwd=tmp_path)
    assert r.status == 1 and "already exists" in r.err


def test_new_writes_a_project_per_language(cli, tmp_path: Path):
    r = cli("new", "app", "--lang", "ocaml", cwd=tmp_path)
    assert r.status == 0, r.err
    toml = (tmp_path / "app" / "unik.toml").read_text()
    assert 'lang = "ocaml"' in toml and 'name = "app"' in toml
    assert (tmp_path / "app" / "unikernel.ml").is_file()


def test_help_lists_the_commands(cli):
    r = cli("--help")
    assert r.status == 0
    for command in ["new", "build", "run", "inspect", "doctor", "plugins", "plugin"]:
        assert re.search(rf"^\s+{command}\s", r.out, re.M), r.out


def test_a_directory_of_sources_builds_without_unik_toml(cli, tmp_path: Path):
    app = tmp_path / "my app"          # not a valid project name: made into one
    app.mkdir()
    (app / "main.c").write_text('#include <stdio.h>\nint main(void) '
                                '{ puts("no toml"); return 3; }\n')
    r = cli("--lang", "c", "build", cwd=app)
    assert r.status == 0, r.err
    assert (app / "_build" / "my_app.unik").is_file()
    r = cli("run", cwd=app)              # the language is recognised from main.c
    assert (r.status, r.out) == (3, "no toml\n"), r.err
    assert not (app / "unik.toml").exists()
