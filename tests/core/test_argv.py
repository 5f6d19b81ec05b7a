"""The guest's argv from its command line (core/native/kernel/start.c): words
split with shell quoting, so an argument may hold spaces or quotes or be
empty — on the runner and under QEMU, for C and for a language runtime
that takes argv from main (OCaml's Sys.argv)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys

import pytest

from unik.testing import Guest

PRINT_ARGV = r"""
#include <stdio.h>
int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        printf("[%s]\n", argv[i]);
    printf("argc=%d\n", argc);
    return 0;
}
"""

ARGS = ["plain", "two words", "", "it's", 'say "hi"', "back\\slash", "tab\there", "-n"]


def expected(args: list[str]) -> str:
    return "".join(f"[{a}]\n" for a in args) + f"argc={len(args) + 1}\n"


@pytest.fixture(scope="module")
def c_guest(tmp_path_factory) -> Guest:
    return Guest.create(tmp_path_factory.mktemp("argv"), "c", {"main.c": PRINT_ARGV}, name="argv")


@pytest.mark.parametrize("host", ["runner", "qemu"])
def test_quoted_arguments_arrive_whole(c_guest: Guest, host: str):
    r = c_guest.boot(host=host, cmdline=" ".join(shlex.quote(a) for a in ARGS), timeout=120)
    assert r.status == 0, r.output
    assert r.stdout == expected(ARGS)


def test_plain_spaces_and_hand_written_quotes(c_guest: Guest):
    r = c_guest.boot(cmdline="  a   b\\ c \"d \\\"e\\\" \\x\" 'f''g' \"unterminated x")
    assert r.status == 0, r.output
    assert r.stdout == expected(["a", "b c", 'd "e" \\x', "fg", "unterminated x"])


def test_no_command_line_is_no_arguments(c_guest: Guest):
    r = c_guest.boot(cmdline="")
    assert r.stdout == "argc=1\n"


@pytest.mark.skipif(shutil.which("ocamlfind") is None,
                    reason="ocamlfind missing (apt-get install -y ocaml-nox ocaml-findlib)")
def test_ocaml_sys_argv_sees_the_same_words(tmp_path):
    src = 'let () = Array.iteri (fun i a -> if i > 0 then Printf.printf "[%s]\\n" a) Sys.argv\n'
    g = Guest.create(tmp_path, "ocaml", {"main.ml": src}, name="argv_ml")
    r = g.boot(cmdline=" ".join(shlex.quote(a) for a in ARGS))
    assert r.status == 0, r.output
    assert r.stdout == "".join(f"[{a}]\n" for a in ARGS)


@pytest.mark.parametrize("host", ["runner", "qemu"])
def test_unik_run_passes_each_argument_whole(c_guest: Guest, host: str):
    """`unik run IMAGE -- ARGS`: the arguments the user's shell split are the
    guest's argv, each whole (the CLI quotes them for the guest's splitter)."""
    image = c_guest.build().image
    where = ["--host", "qemu"] if host == "qemu" else []
    p = subprocess.run([sys.executable, "-m", "unik", "run", *where, str(image), "--", *ARGS],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout == expected(ARGS)
