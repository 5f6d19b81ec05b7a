"""OCaml out of memory on the runner (issue 14): one line from the core naming
the RAM and --memory, then OCaml's own Out_of_memory, which a program can
catch; uncaught, OCaml's "Fatal error" and status 2 (docs/internals.md)."""

from __future__ import annotations

import shutil

import pytest

from unik.testing import Guest, boot_image

pytestmark = pytest.mark.skipif(
    shutil.which("ocamlopt") is None or shutil.which("ocamlfind") is None,
    reason="ocamlopt/ocamlfind missing (apt-get install -y ocaml-nox ocaml-findlib)")

CAUGHT = """
let () =
  (try ignore (Array.make (1 lsl 28) 0); print_endline "allocated"
   with Out_of_memory -> print_endline "Out_of_memory caught");
  let small = Array.make 1000 1 in
  Printf.printf "still running %d\\n" (Array.length small)
"""

UNCAUGHT = "let () = ignore (Bytes.create (1 lsl 30)); print_endline \"allocated\"\n"

LINE = ("unik: out of memory: the guest's 64 MiB of RAM are in use; give it more with "
        "`unik run --memory MiB` or `memory` in unik.toml's [run]")


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    parent = tmp_path_factory.mktemp("ocaml-oom")
    return {name: Guest.create(parent / name, "ocaml", {"main.ml": src}, name=name)
            .build().image for name, src in (("caught", CAUGHT), ("uncaught", UNCAUGHT))}


def test_out_of_memory_is_raised_and_caught(images):
    r = boot_image(images["caught"], memory_mib=64)
    assert r.status == 0, r.output
    assert r.stdout.splitlines() == ["Out_of_memory caught", "still running 1000"]
    assert r.stderr.splitlines() == [LINE]                 # the core's line, once


def test_uncaught_out_of_memory(images):
    r = boot_image(images["uncaught"], memory_mib=64)
    assert r.status == 2, r.output
    assert r.stderr.splitlines()[0] == LINE, r.output
    assert "Out_of_memory" in r.stderr and "allocated" not in r.output
