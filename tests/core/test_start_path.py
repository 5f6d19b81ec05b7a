"""`unik run IMAGE`'s fast start: its own argument parser agrees with argparse,
paths are named as pathlib names them, and the command imports nothing of the
build, plugin, argparse or pathlib machinery."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

from unik import cli
from unik.image.elf import shown
from unik.testing import Guest

PLAIN = [
    ["run", "x.unik"],
    ["run"],
    ["-v", "run", "x.unik"],
    ["--lang", "c", "-C", "/tmp", "run", "img"],
    ["--directory", "d", "--verbose", "run", "img"],
    ["run", "--cpu", "kvm", "img"],
    ["run", "img", "--cpu=soft", "--host", "qemu", "--accel", "tcg"],
    ["run", "--memory", "64", "--timeout", "2.5", "img", "--trace", "--stats"],
    ["run", "--memory", " 64 ", "--timeout", "nan", "img"],
    ["run", "--memory=1_024", "--timeout=inf", "img"],
    ["run", "--disk", "a.img", "--disk=b.img", "--disk-size", "64M", "img"],
    ["run", "-p", "8080:80", "--publish", "53:53/udp", "--net", "user", "--net=tap:t0"],
    ["run", "--cpu", "kvm", "--cpu", "soft", "img"],
    ["run", "--net", "", "img"],
    ["run", ""],
    ["run", "-e", "A=1", "--env", "B=two words", "--env=C=", "-e", "HOME", "img"],
]
FALLBACK = [        # argparse parses these (or words their error)
    ["run", "a", "b"],
    ["run", "--mem", "64", "img"],                      # a prefix of --memory
    ["run", "--memory", "-5", "img"],                   # a value starting with '-'
    ["run", "--memory", "x", "img"],
    ["run", "--memory", "", "img"],
    ["run", "--cpu", "arm", "img"],
    ["run", "--cpu"],
    ["run", "--trace=yes", "img"],
    ["run", "-h"],
    ["run", "--help"],
    ["run", "-v", "img"],                               # a top-level option after `run`
    ["run", "-p8080:80", "img"],
    ["run", "-eA=1", "img"],
    ["run", "-", "img"],
    ["--lang=c", "run", "img"],
    ["-Cdir", "run", "img"],
    ["--version", "run"],
    ["-C", "-x", "run", "img"],
    ["--unknown", "run", "img"],
]


def shown_vars(ns) -> dict[str, str]:
    return {k: repr(v) for k, v in vars(ns).items()}      # repr: nan == nan


def argparse_vars(argv: list[str]) -> dict[str, str]:
    return shown_vars(cli.parser("run").parse_args(argv))


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
def test_plain_run_arguments_parse_as_argparse_parses_them(argv: list[str]):
    fast = cli._parse_run(argv)
    assert fast is not None
    assert shown_vars(fast) == argparse_vars(argv)


@pytest.mark.parametrize("argv", FALLBACK, ids=" ".join)
def test_anything_else_is_left_to_argparse(argv: list[str]):
    assert cli._parse_run(argv) is None


def test_the_run_options_table_is_what_argparse_is_given():
    """Every option of `unik run` is in RUN_OPTIONS (else _parse_run would send
    it to argparse: correct, but slow)."""
    p = cli.parser("run")
    run = next(a for a in p._subparsers._group_actions[0].choices.values())
    flags = {f for a in run._actions for f in a.option_strings} - {"-h", "--help"}
    assert flags == set(cli._RUN_FLAGS)


@pytest.mark.parametrize("text", ["", ".", "./", "/", "//", "///", "////a", "//a/b",
                                  "a//b/", "./a/./b/.", "a/../b", "../x", "a b/c",
                                  "_build/hello.unik", "/tmp//x.unik/"])
def test_paths_are_named_as_pathlib_names_them(text: str):
    assert shown(text) == str(PurePosixPath(text))
    assert shown(Path(text)) == str(Path(text))


HELLO = '#include <stdio.h>\nint main(void) { puts("hi"); return 3; }\n'


def test_unik_run_imports_only_what_booting_needs(tmp_path: Path):
    """The modules a whole `unik run IMAGE` loads: the runner's, none of the
    build, plugin, argparse or pathlib machinery, no device backends."""
    image = Guest.create(tmp_path, "c", {"main.c": HELLO}, name="hello").build().image
    dump = tmp_path / "modules.json"
    code = ("import sys\nfrom unik import cli\nstatus = cli.main(sys.argv[2:])\n"
            "loaded = sorted(sys.modules)\nimport json\n"      # json imports re
            "open(sys.argv[1], 'w').write(json.dumps([status, loaded]))\n")
    proc = subprocess.run([sys.executable, "-c", code, str(dump), "run", str(image)],
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout == "hi\n", proc.stderr
    status, modules = json.loads(dump.read_text())
    assert status == 3
    loaded = set(modules)
    assert "unik.runner" in loaded
    for heavy in ("argparse", "pathlib", "re", "enum", "typing", "importlib.metadata",
                  "pluggy", "elftools", "unik.plugins", "unik.image.link", "unik.model",
                  "unik.api", "unik.runner.devices", "unik.backends.xenstore",
                  "unik.runner.crash", "unik.hosts.qemu", "signal", "dataclasses",
                  "inspect", "socket", "ctypes", "unicorn", "threading", "functools",
                  "collections", "array"):
        assert heavy not in loaded, heavy


def test_run_status_and_streams_are_kept_by_the_quick_exit(tmp_path: Path):
    """`python -m unik run IMAGE` ends with os._exit: the guest's status, its
    output and unik's own lines (--stats) still arrive, on their streams."""
    image = Guest.create(tmp_path, "c", {"main.c": HELLO}, name="hello").build().image
    proc = subprocess.run([sys.executable, "-m", "unik", "run", "--stats", str(image)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    assert proc.stdout == "hi\n"
    assert proc.stderr.startswith("unik: stats: cpu=")


def test_the_quick_exit_with_stdout_or_stderr_closed(tmp_path: Path):
    """A closed stdout or stderr (sys.stdout/sys.stderr None) changes nothing
    of the status, and never gives a traceback."""
    image = Guest.create(tmp_path, "c", {"main.c": HELLO}, name="hello").build().image
    for fd in (1, 2):
        proc = subprocess.run([sys.executable, "-m", "unik", "run", "--stats", str(image)],
                              capture_output=True, text=True, timeout=120,
                              preexec_fn=lambda fd=fd: os.close(fd))
        assert proc.returncode == 3, (fd, proc.stderr)
        assert "Traceback" not in proc.stdout + proc.stderr
