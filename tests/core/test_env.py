"""The guest's environment: `unik run -e KEY=VALUE` / `-e KEY` and unik.toml's
`[run] env`, carried in the command line as `NAME=VALUE… -- ARGS`
(core/native/kernel/start.c) — on the runner and under QEMU, for C's
getenv/environ, OCaml's Sys.getenv, Haskell's lookupEnv and GHCRTS, and the
Python subset's os.environ."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from unik.testing import Guest

PRINT_ENV = r"""
#include <stdio.h>
#include <stdlib.h>
extern char **environ;
int main(int argc, char **argv)
{
    for (char **e = environ; *e; e++)
        printf("env [%s]\n", *e);
    for (int i = 1; i < argc; i++)
        printf("arg [%s]\n", argv[i]);
    const char *home = getenv("HOME");
    printf("HOME=%s\n", home ? home : "(unset)");
    return 0;
}
"""

ENV = {"HOME": "/root", "SPACED": "two  words", "QUOTES": "it's \"quoted\"", "EMPTY": "",
       "EQ": "a=b", "BACK": "back\\slash"}


def unik(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "unik", *args], capture_output=True,
                          text=True, timeout=180, cwd=cwd, env=env)


def shown(env: dict[str, str], args: tuple[str, ...] | list[str] = ()) -> str:
    """What PRINT_ENV prints for this environment and these arguments."""
    return ("".join(f"env [{k}={v}]\n" for k, v in env.items())
            + "".join(f"arg [{a}]\n" for a in args)
            + f"HOME={env.get('HOME', '(unset)')}\n")


@pytest.fixture(scope="module")
def c_guest(tmp_path_factory) -> Guest:
    return Guest.create(tmp_path_factory.mktemp("env"), "c", {"main.c": PRINT_ENV}, name="env")


@pytest.mark.parametrize("host", ["runner", "qemu"])
def test_unik_run_e_sets_the_environment(c_guest: Guest, host: str):
    image = c_guest.build().image
    where = ["--host", "qemu"] if host == "qemu" else []
    opts = [w for k, v in ENV.items() for w in ("-e", f"{k}={v}")]
    host_env = dict(os.environ, UNIK_TEST_PASSED="from the host")
    host_env.pop("UNIK_TEST_UNSET", None)
    p = unik("run", *where, str(image), *opts, "-e", "UNIK_TEST_PASSED", "-e", "UNIK_TEST_UNSET",
             "--", "x", "--", "A=1", env=host_env)
    assert p.returncode == 0, p.stderr
    want = dict(ENV, UNIK_TEST_PASSED="from the host")
    assert p.stdout == shown(want, ["x", "--", "A=1"])


def test_no_environment_by_default(c_guest: Guest):
    p = unik("run", str(c_guest.build().image))
    assert p.returncode == 0, p.stderr
    assert p.stdout == "HOME=(unset)\n"


@pytest.mark.parametrize("args", [["A=1", "--", "b"], ["--"], ["--", "--"]])
def test_arguments_that_look_like_the_separator_stay_arguments(c_guest: Guest, args):
    """Without -e, argv holding `--` (even after NAME=VALUE words) is still argv."""
    p = unik("run", str(c_guest.build().image), "--", *args)
    assert p.returncode == 0, p.stderr
    assert p.stdout == shown({}, args)


def test_the_transport_read_by_hand(c_guest: Guest):
    """What a user of real Xen writes in xl's extra=: words before `--` are the
    environment only when every one is NAME=VALUE."""
    r = c_guest.boot(cmdline="A=1 'B=x y' -- arg")
    assert r.stdout == shown({"A": "1", "B": "x y"}, ["arg"])
    r = c_guest.boot(cmdline="A=1 not-env -- arg")
    assert r.stdout == shown({}, ["A=1", "not-env", "--", "arg"])
    r = c_guest.boot(cmdline="A=1 B=2")
    assert r.stdout == shown({}, ["A=1", "B=2"])


def test_unik_toml_env_with_the_command_line_winning(tmp_path):
    g = Guest.create(tmp_path, "c", {"main.c": PRINT_ENV}, name="envtoml",
                     toml='[run]\nenv = { HOME = "/home/toml", KEEP = "kept value" }\n')
    p = unik("run", cwd=g.dir)
    assert p.returncode == 0, p.stderr
    assert p.stdout.endswith(shown({"HOME": "/home/toml", "KEEP": "kept value"}))
    p = unik("run", "-e", "HOME=/cli", "-e", "NEW=1", "--", "z", cwd=g.dir)
    assert p.returncode == 0, p.stderr
    assert p.stdout.endswith(shown({"HOME": "/cli", "KEEP": "kept value", "NEW": "1"}, ["z"]))


@pytest.mark.parametrize("toml, says", [
    ('env = { "1BAD" = "x" }', "'1BAD' is not a variable name"),
    ('env = { N = 3 }', "'N' must be a string, not int"),
    ('env = "HOME=/"', "'env' must be a table"),
])
def test_a_bad_unik_toml_env_is_one_line(tmp_path, toml: str, says: str):
    g = Guest.create(tmp_path, "c", {"main.c": PRINT_ENV}, name="badenv", toml=f"[run]\n{toml}\n")
    p = unik("run", cwd=g.dir)
    assert p.returncode == 1
    assert p.stderr.count("\n") == 1 and says in p.stderr, p.stderr


@pytest.mark.parametrize("host", ["runner", "qemu"])
def test_an_environment_too_long_for_xen_is_one_line(c_guest: Guest, host: str):
    image = c_guest.build().image
    where = ["--host", "qemu"] if host == "qemu" else []
    p = unik("run", *where, str(image), "-e", "BIG=" + "x" * 1100)
    assert p.returncode == 1
    assert p.stdout == ""
    assert p.stderr.startswith("unik: error: the guest's command line and environment are 1")
    assert p.stderr.count("\n") == 1, p.stderr
    p = unik("run", *where, str(image), "--", "y" * 1024)
    assert p.returncode == 1
    assert p.stderr == ("unik: error: the guest's command line is 1024 bytes, more than the "
                        "1023 Xen's start_info cmd_line holds\n")


def test_a_bad_e_name_is_one_line(c_guest: Guest):
    p = unik("run", str(c_guest.build().image), "-e", "1X=2")
    assert p.returncode == 1
    assert p.stderr.startswith("unik: error: -e 1X=2: the name must be")
    assert p.stderr.count("\n") == 1, p.stderr


@pytest.mark.skipif(shutil.which("ocamlfind") is None,
                    reason="ocamlfind missing (apt-get install -y ocaml-nox ocaml-findlib)")
def test_ocaml_sys_getenv(tmp_path):
    src = ('let show k = Printf.printf "%s=[%s]\\n" k '
           '(match Sys.getenv_opt k with Some v -> v | None -> "(unset)")\n'
           'let () = List.iter show ["HOME"; "SPACED"; "EMPTY"; "MISSING"; "OCAMLRUNPARAM"]\n')
    g = Guest.create(tmp_path, "ocaml", {"main.ml": src}, name="env_ml")
    p = unik("run", "-e", "HOME=/root", "-e", "SPACED=a b", "-e", "EMPTY=",
             "-e", "OCAMLRUNPARAM=v=0", cwd=g.dir)
    assert p.returncode == 0, p.stderr
    assert p.stdout.endswith("HOME=[/root]\nSPACED=[a b]\nEMPTY=[]\nMISSING=[(unset)]\n"
                             "OCAMLRUNPARAM=[v=0]\n")


HS_ENV = """\
import System.Environment (getEnvironment, lookupEnv)

main :: IO ()
main = do
  mapM_ (\\k -> lookupEnv k >>= \\v -> putStrLn (k ++ "=" ++ maybe "(unset)" show v))
        ["HOME", "SPACED", "MISSING"]
  env <- getEnvironment
  print (lookup "EMPTY" env, length env)
"""


@pytest.mark.skipif(shutil.which("ghc") is None,
                    reason="ghc missing (apt-get install -y ghc libghc-*-dev)")
def test_haskell_lookup_env_and_ghcrts(tmp_path):
    g = Guest.create(tmp_path, "haskell", {"Main.hs": HS_ENV}, name="env_hs")
    p = unik("run", "-e", "HOME=/root", "-e", "SPACED=a \"b\"", "-e", "EMPTY=",
             "-e", "GHCRTS=-s", cwd=g.dir)
    assert p.returncode == 0, p.stderr
    assert p.stdout.endswith('HOME="/root"\nSPACED="a \\"b\\""\nMISSING=(unset)\n'
                             '(Just "",4)\n')
    assert "Productivity" in p.stderr        # the RTS read GHCRTS=-s: its statistics


PY_ENV = """\
import os
from os import getenv

print(os.environ["HOME"], repr(os.environ.get("SPACED")), "MISSING" in os.environ)
print(getenv("EMPTY"), getenv("MISSING"), os.getenv("MISSING", "dflt"))
print(sorted(os.environ))
"""


def test_python_os_environ(tmp_path):
    g = Guest.create(tmp_path, "python", {"main.py": PY_ENV}, name="env_py")
    p = unik("run", "-e", "HOME=/root", "-e", "SPACED=a 'b'", "-e", "EMPTY=", cwd=g.dir)
    assert p.returncode == 0, p.stderr
    assert p.stdout.endswith("/root \"a 'b'\" False\n None dflt\n['EMPTY', 'HOME', 'SPACED']\n")


ERL_ENV = """\
-module(main).
-export([start/0]).
start() ->
    [io:format("~s=~p~n", [K, os:getenv(K)]) || K <- ["HOME", "SPACED", "EMPTY", "MISSING"]],
    io:format("~s~n", [os:getenv("MISSING", "dflt")]),
    true = os:putenv("MADE", "here"),
    io:format("~s ~p~n", [os:getenv("MADE"), lists:member("MADE=here", os:getenv())]),
    true = os:unsetenv("MADE"),
    io:format("~p ~p~n", [os:getenv("MADE"), catch os:getenv(bad)]).
"""


@pytest.mark.skipif(shutil.which("erlc") is None,
                    reason="erlc missing (apt-get install -y erlang-base)")
def test_erlang_os_getenv(tmp_path):
    g = Guest.create(tmp_path, "erlang", {"main.erl": ERL_ENV}, name="env_erl")
    p = unik("run", "-e", "HOME=/root", "-e", "SPACED=a b", "-e", "EMPTY=", cwd=g.dir)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith('HOME="/root"\nSPACED="a b"\nEMPTY=[]\nMISSING=false\ndflt\n'
                               "here true\nfalse {'EXIT',{badarg,[{os,getenv,[bad],"), p.stdout


def test_a_value_that_is_not_utf8_arrives_as_its_bytes(c_guest: Guest):
    """The host's environment may hold any bytes; the guest gets them as given."""
    image = c_guest.build().image
    p = subprocess.run([sys.executable.encode(), b"-m", b"unik", b"run", bytes(image), b"-e",
                        b"RAW=a\xffb"], capture_output=True, timeout=180)
    assert p.returncode == 0, p.stderr
    assert p.stdout == b"env [RAW=a\xffb]\nHOME=(unset)\n"
