"""Debian's prebuilt OCaml libraries link against unik's musl through the core's
glibc-compatibility layer (core/native/compat/), and the `unix` library works as
far as a unikernel without a file system or sockets can.

The libraries are those findlib lists as distributed with OCaml (Debian's
`ocaml`/`ocaml-nox` package ships them, built against glibc). Each one with a
native archive is linked whole (`-linkall`: every symbol of every module must
resolve) into an image that boots; those that cannot work in a unikernel are
named in CANNOT_WORK with why, and the test checks that at run time.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap

import pytest

from unik.testing import Guest, boot_image, kvm_usable

pytestmark = pytest.mark.skipif(
    shutil.which("ocamlopt") is None or shutil.which("ocamlfind") is None,
    reason="ocamlopt/ocamlfind missing (apt-get install -y ocaml-nox ocaml-findlib)")

HOSTS = [
    pytest.param(("qemu", "auto"), id="qemu"),
    pytest.param(("runner", "kvm"), id="runner-kvm",
                 marks=pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")),
]

UNIX = textwrap.dedent("""
    let () =
      let t0 = Unix.gettimeofday () in
      Printf.printf "time after 2020: %b\\n" (Unix.time () > 1_577_836_800.);
      Printf.printf "pid %d\\n" (Unix.getpid ());
      Printf.printf "UNIK_TEST=%s\\n" (try Unix.getenv "UNIK_TEST" with Not_found -> "<unset>");
      Unix.sleepf 0.05;
      let dt = Unix.gettimeofday () -. t0 in
      Printf.printf "slept: %b\\n" (dt >= 0.05 && dt < 30.);
      (match Unix.openfile "/etc/passwd" [Unix.O_RDONLY] 0 with
       | _ -> print_endline "openfile: opened?"
       | exception Unix.Unix_error (e, fn, arg) ->
         Printf.printf "openfile: Unix_error %s(%s): %s\\n" fn arg (Unix.error_message e));
      print_endline "SUCCESS"
    """).lstrip()

# Libraries distributed with OCaml that link but cannot do their job in a
# unikernel: (what the probe program does, what it must print).
CANNOT_WORK = {
    "threads.posix": (
        'let () = match Thread.create ignore () with\n'
        '  | _ -> print_endline "created?"\n'
        '  | exception Sys_error m -> print_endline ("no threads: " ^ m)\n',
        # one vCPU and no clone(): pthread_create fails with EAGAIN
        r"no threads: Thread\.create: Resource temporarily unavailable"),
    "dynlink": (
        'let () = match Dynlink.loadfile "p.cmxs" with\n'
        '  | () -> print_endline "loaded?"\n'
        '  | exception Dynlink.Error e ->\n'
        '    print_endline ("no dynlink: " ^ Dynlink.error_message e)\n',
        # one static image: no dlopen, and no file to load
        r"no dynlink: .*Dynamic loading not supported"),
}
# Flags a library needs at compile and link time.
FLAGS = {"threads.posix": ["-thread"]}


def distributed_with_ocaml() -> dict[str, str | None]:
    """findlib package → its native archive (None when it has none), for the
    packages distributed with OCaml and their internal subpackages (threads.posix)."""
    listing = subprocess.run(["ocamlfind", "list"], capture_output=True, text=True,
                             check=True).stdout
    names = re.findall(r"^(\S+)\s+\(version: \[distributed with O[Cc]aml", listing, re.M)
    internal = re.findall(r"^(\S+)\s+\(version: \[internal\]", listing, re.M)
    names += [p for p in internal if p.split(".")[0] in names]
    out: dict[str, str | None] = {}
    for pkg in names:
        archive = subprocess.run(
            ["ocamlfind", "query", "-predicates", "native,mt,mt_posix", "-format", "%a", pkg],
            capture_output=True, text=True).stdout.strip()
        out[pkg] = archive or None
    return out


LIBS = distributed_with_ocaml() if shutil.which("ocamlfind") else {}


def _toml(packages: list[str], flags: list[str]) -> str:
    quoted = ", ".join(f'"{p}"' for p in packages)
    fl = ", ".join(f'"{f}"' for f in flags)
    return f"[ocaml]\npackages = [{quoted}]\nflags = [{fl}]\n"


@pytest.mark.parametrize("host", HOSTS)
def test_unix_time_sleep_pid_env(tmp_path, host):
    g = Guest.create(tmp_path, "ocaml", {"main.ml": UNIX}, toml=_toml(["unix"], []))
    r = boot_image(g.build().image, host=host[0], cpu=host[1], timeout=300)
    assert r.status == 0, r.output
    out = r.stdout.replace("\r\n", "\n")
    assert "time after 2020: true\npid 1\nUNIK_TEST=<unset>\nslept: true\n" in out, r.output
    # no file system: a Unix_error with a clear errno, not a crash
    assert re.search(r"openfile: Unix_error open\(/etc/passwd\): \w", out), r.output
    assert "SUCCESS" in out


def test_the_library_list_is_what_debian_ships():
    assert {"unix", "str", "bigarray", "dynlink", "threads.posix"} <= set(LIBS), LIBS


@pytest.mark.parametrize("pkg", sorted(p for p, a in LIBS.items() if a))
def test_every_library_links_whole_and_boots(tmp_path, pkg):
    src = CANNOT_WORK[pkg][0] if pkg in CANNOT_WORK else 'let () = print_endline "linked"\n'
    g = Guest.create(tmp_path, "ocaml", {"main.ml": src},
                     toml=_toml([pkg], ["-linkall", *FLAGS.get(pkg, [])]))
    host = "runner" if kvm_usable() else "qemu"
    r = boot_image(g.build().image, host=host, timeout=300)
    assert r.status == 0, r.output
    want = CANNOT_WORK[pkg][1] if pkg in CANNOT_WORK else "linked"
    assert re.search(want, r.stdout), r.output


# Packages with no native archive to link, and why.
NO_NATIVE = {
    "bytes": "a compatibility alias: Bytes is in the stdlib",
    "seq": "a compatibility alias: Seq is in the stdlib",
    "uchar": "a compatibility alias: Uchar is in the stdlib",
    "stdlib-shims": "a compatibility alias of the stdlib",
    "stdlib": "linked into every image",
    "threads": "an umbrella: threads.posix is the native library",
    "threads.none": "the no-threads placeholder: nothing to link",
    "compiler-libs": "an umbrella over compiler-libs.*",
    "compiler-libs.toplevel": "bytecode only (the toplevel)",
    "ocamldoc": "bytecode only (a tool's library)",
}


def test_libraries_without_native_code_are_known():
    none = {p for p, a in LIBS.items() if a is None}
    unknown = none - set(NO_NATIVE)
    assert not unknown, f"no native archive, reason not known: {sorted(unknown)}"
    assert "unix" not in none and "str" not in none
