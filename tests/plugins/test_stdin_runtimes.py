"""Language runtimes read the guest's stdin: OCaml's input_line/read_line,
Haskell's getLine/getContents/interact (GHC's non-threaded RTS waits for fd 0
with poll and select) and Erlang's io:get_line/get_chars, fed through a pipe
on the runner and under QEMU, and with the input coming late (the guest waits
for it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from unik.testing import Guest, kvm_usable

HOSTS = [
    pytest.param(("runner", "kvm"), id="runner-kvm",
                 marks=pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")),
    pytest.param(("runner", "soft"), id="runner-soft"),
    pytest.param(("qemu", "auto"), id="qemu"),
]
NO_OCAML = pytest.mark.skipif(
    shutil.which("ocamlfind") is None,
    reason="ocamlfind missing (apt-get install -y ocaml-nox ocaml-findlib)")
NO_GHC = pytest.mark.skipif(shutil.which("ghc") is None,
                            reason="ghc missing (apt-get install -y ghc)")
NO_ERLC = pytest.mark.skipif(shutil.which("erlc") is None,
                             reason="erlc missing (apt-get install -y erlang-base)")

OCAML = textwrap.dedent("""\
    let () =
      let first = read_line () in
      Printf.printf "first: %s\\n" first;
      let n = ref 1 in
      (try
         while true do
           let l = input_line stdin in
           incr n;
           Printf.printf "%d: %s\\n" !n l
         done
       with End_of_file -> ());
      Printf.printf "lines=%d\\n" !n
    """)

HASKELL = textwrap.dedent("""\
    import System.Environment (getArgs)

    main :: IO ()
    main = do
      args <- getArgs
      case args of
        ["interact"] -> interact (\\s -> "words=" ++ show (length (words s)) ++ "\\n")
        _ -> do
          first <- getLine
          putStrLn ("first: " ++ first)
          rest <- getContents
          let ls = lines rest
          mapM_ (\\(i, l) -> putStrLn (show i ++ ": " ++ l)) (zip [2 :: Int ..] ls)
          putStrLn ("lines=" ++ show (1 + length ls))
    """)

ERLANG = textwrap.dedent("""\
    -module(main).
    -export([main/0]).
    main() ->
        io:format(standard_error, "started~n", []),
        "alpha\\n" = io:get_line(""),
        "be" = io:get_chars("", 2),
        "ta gamma\\n" = io:get_line(''),
        io:format("first: alpha~n"),
        loop(2).
    loop(N) ->
        case io:get_line("") of
            eof -> io:format("lines=~p~n", [N - 1]);
            Line -> io:format("~p: ~s", [N, Line]), loop(N + 1)
        end.
    """)

INPUT = b"alpha\nbeta gamma\n\ndelta\n"
EXPECTED = "first: alpha\n2: beta gamma\n3: \n4: delta\nlines=4\n"


@pytest.fixture(scope="module")
def ocaml_image(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("ocaml_stdin")
    return Guest.create(d, "ocaml", {"main.ml": OCAML}, name="ocin").build().image


@pytest.fixture(scope="module")
def haskell_image(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("haskell_stdin")
    return Guest.create(d, "haskell", {"Main.hs": HASKELL}, name="hsin").build().image


def _boot(image: Path, host: tuple[str, str], data: bytes, cmdline: str = ""):
    from unik.testing import boot_image

    return boot_image(image, host=host[0], cpu=host[1], cmdline=cmdline, timeout=300,
                      stdin=data)


def _late(image: Path, data: bytes, *args: str) -> subprocess.CompletedProcess:
    """`unik run` on a pipe whose data comes after the guest started waiting."""
    r, w = os.pipe()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "unik", "run", str(image), "--", *args],
                                stdin=r, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    finally:
        os.close(r)
    time.sleep(1.5)                     # the guest waits by now (not asserted)
    for line in data.splitlines(keepends=True):
        os.write(w, line)
        time.sleep(0.1)
    os.close(w)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@NO_OCAML
@pytest.mark.parametrize("host", HOSTS)
def test_ocaml_input_line_until_end_of_file(ocaml_image, host):
    r = _boot(ocaml_image, host, INPUT)
    assert r.status == 0, r.output
    assert r.stdout == EXPECTED, r.output


@NO_OCAML
@pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")
def test_ocaml_waits_for_late_input(ocaml_image):
    p = _late(ocaml_image, INPUT)
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode() == EXPECTED


@NO_GHC
@pytest.mark.parametrize("host", HOSTS)
def test_haskell_getline_and_getcontents(haskell_image, host):
    r = _boot(haskell_image, host, INPUT)
    assert r.status == 0, r.output
    assert r.stdout == EXPECTED, r.output


@NO_GHC
@pytest.mark.parametrize("host", HOSTS)
def test_haskell_interact(haskell_image, host):
    words = b" ".join(b"w%d" % i for i in range(5000)) + b"\n"
    r = _boot(haskell_image, host, words * 20, cmdline="interact")
    assert r.status == 0, r.output
    assert r.stdout == "words=100000\n", r.output


@NO_GHC
@pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")
def test_haskell_waits_for_late_input(haskell_image):
    """GHC's non-threaded RTS: fdReady (poll, timeout 0) says not ready, the
    scheduler then waits in select until the line comes."""
    p = _late(haskell_image, INPUT)
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode() == EXPECTED


@pytest.fixture(scope="module")
def erlang_image(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("erlang_stdin")
    return Guest.create(d, "erlang", {"main.erl": ERLANG}, name="erlin").build().image


@NO_ERLC
@pytest.mark.parametrize("host", HOSTS)
def test_erlang_get_line_and_get_chars(erlang_image, host):
    r = _boot(erlang_image, host, INPUT)
    assert r.status == 0, r.output
    # the line "beta gamma" was read in two pieces; the rest line by line
    assert r.stdout == "first: alpha\n2: \n3: delta\nlines=3\n", r.output
    assert r.stderr == "started\n", r.output
