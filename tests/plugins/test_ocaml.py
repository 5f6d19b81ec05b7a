"""The OCaml plugin: real OCaml projects built into images and booted.

Every program is built once (a session fixture) and booted under QEMU and on the
embedded runner (KVM, and the software CPU for the short ones); each host must
print the same thing and return the same status. Build-side checks (new
project, errors, no `syscall`) need no host.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest

from unik.testing import Guest, Result, boot_image, kvm_usable, plugin_host

pytestmark = pytest.mark.skipif(
    shutil.which("ocamlopt") is None or shutil.which("ocamlfind") is None,
    reason="ocamlopt/ocamlfind missing (apt-get install -y ocaml-nox ocaml-findlib)")


def _runner_ready() -> bool:
    try:
        from unik import runner
    except ImportError:
        return False
    return hasattr(runner, "run")


_NO_RUNNER = pytest.mark.skipif(not _runner_ready(), reason="the embedded runner has not landed")
QEMU = pytest.param(("qemu", "auto"), id="qemu")
RUNNER_KVM = pytest.param(("runner", "kvm"), id="runner-kvm", marks=[
    _NO_RUNNER, pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")])
RUNNER_SOFT = pytest.param(("runner", "soft"), id="runner-soft", marks=[_NO_RUNNER])
HOSTS = [QEMU, RUNNER_KVM]
ALL_HOSTS = [QEMU, RUNNER_KVM, RUNNER_SOFT]


def ml(src: str) -> str:
    return textwrap.dedent(src).lstrip()


HELLO = ml("""
    let main () =
      Unik.Console.log "Hello from OCaml";
      let t0 = Unik.Time.now_ns () in
      Unik.Time.sleep_ns 10_000_000L;
      let dt = Int64.sub (Unik.Time.now_ns ()) t0 in
      Printf.printf "slept %s\\n%!" (if dt >= 10_000_000L then "enough" else Int64.to_string dt);
      let y2020 = 1_577_836_800_000_000_000L in
      Printf.printf "wall clock after 2020: %b\\n" (Unik.Time.wall_ns () > y2020)
    """)

EXCEPTION = ml("""
    exception Boom of int
    let inner n = if n > 2 then raise (Boom n) else n
    let middle n = 1 + inner (n + 1)
    let () = print_endline "before the exception"; Printf.printf "%d\\n" (middle 5)
    """)

EXIT = ml("""
    let () = at_exit (fun () -> print_endline "at_exit ran"); print_string "exiting "; exit 7
    """)

# 1 GB allocated and dropped in total; the heap must stay bounded (it is checked
# inside the guest against Gc's own accounting, and the guest has 64 MiB).
GC_STRESS = ml("""
    let () =
      let total = ref 0 and keep = ref [] and n = ref 0 in
      while !total < 1_000_000_000 do
        let a = Array.make 1000 !total in
        total := !total + (8 * 1001);
        incr n;
        keep := a :: (if !n mod 100 = 0 then [] else !keep)
      done;
      (* some long-lived data promoted and dropped, and big blocks straight to the major heap *)
      for i = 1 to 200 do ignore (Sys.opaque_identity (Bytes.create (i * 4096))) done;
      Gc.compact ();
      let s = Gc.quick_stat () in
      let top_mib = s.Gc.top_heap_words * 8 / 1048576 in
      Printf.printf "allocated %d MB, top heap %d MiB, minor %d, major %d\\n"
        (!total / 1_000_000) top_mib s.Gc.minor_collections s.Gc.major_collections;
      if top_mib > 32 then (print_endline "heap not bounded"; exit 1);
      print_endline "gc ok"
    """)

FLOATS = ml("""
    let () =
      Printf.printf "%f %.3f %e %g %.17g\\n" 3.14159 2.5 12345.678 0.0001 0.1;
      Printf.printf "%s %s %s\\n" (string_of_float 1.5) (string_of_float 1e100)
        (Float.to_string (-0.0));
      Printf.printf "%h %F %s %s %s\\n" 1.0 2.0 (string_of_float nan) (string_of_float infinity)
        (string_of_float neg_infinity);
      Printf.printf "%.2f %.0f %s\\n" (float_of_string "2.675") (sqrt 2. *. 1e6)
        (string_of_float (float_of_string "0x1.8p1"));
      Printf.printf "%g %g %g %g\\n" (sin 1.0) (exp 1.0) (log 10.0) (Float.pow 2. 0.5);
      Printf.printf "%d %Ld %.1f\\n" (int_of_float 1e15) (Int64.of_float 9.2e18)
        (Float.round 2.5);
      Printf.printf "%s\\n" (string_of_float (1. /. 3.))
    """)

FLOATS_OUT = """\
3.141590 2.500 1.234568e+04 0.0001 0.10000000000000001
1.5 1e+100 -0.
0x1p+0 2. nan inf -inf
2.67 1414214 3.
0.841471 2.71828 2.30259 1.41421
1000000000000000 9200000000000000000 3.0
0.333333333333
"""

TASKS = ml("""
    open Unik.Task
    let log = Buffer.create 64
    let note s = Buffer.add_string log s; Buffer.add_char log ' '
    let loop_done = ref false
    let after ms name = let* () = sleep_ns (Unik.Time.of_ms ms) in note name; return ()
    let main () =
      async (fun () -> after 300 "c300");
      async (fun () -> after 100 "a100");
      async (fun () -> after 200 "b200");
      async (fun () -> after 100 "a100bis");        (* set after a100: fires after it *)
      async (fun () -> let* () = pause () in note "paused"; return ());
      note "main";
      (* a chain of 100k binds through pause: constant stack *)
      async (fun () ->
        let rec loop i = if i = 0 then (loop_done := true; return ()) else
          let* () = pause () in loop (i - 1) in loop 100_000);
      let v = Unik.Main.run (let* () = sleep_ns (Unik.Time.of_ms 10) in return 42) in
      note (string_of_int v);
      let p, resolve = wait () in
      async (fun () -> let* x = p in note ("got" ^ x); return ());
      async (fun () -> let* () = sleep_ns (Unik.Time.of_ms 400) in resolve "it"; return ());
      let both = let* x = after 500 "x500" and* y = after 450 "y450" in
        ignore (x, y); note "both"; return () in
      async (fun () -> both)
    let () = at_exit (fun () ->
      print_endline (Buffer.contents log); Printf.printf "loop done: %b\\n" !loop_done)
    """)

TASKS_OUT = "main paused 42 a100 a100bis b200 c300 gotit y450 x500 both \nloop done: true\n"

TASK_FAILURE = ml("""
    exception Task_failed of string
    let main () =
      Unik.Task.async (fun () ->
        Unik.Task.bind (Unik.Task.sleep_ns 1_000_000L) (fun () -> raise (Task_failed "late")));
      print_endline "main returned"
    """)

STDLIB = ml("""
    let () =
      let h = Hashtbl.create 16 in
      for i = 0 to 99_999 do Hashtbl.replace h (string_of_int i) i done;
      for i = 0 to 49_999 do Hashtbl.remove h (string_of_int (2 * i)) done;
      let sum = Hashtbl.fold (fun _ v acc -> acc + v) h 0 in
      let b = Buffer.create 16 in
      for i = 1 to 5 do Printf.bprintf b "[%d:%s]" i (String.make i '*') done;
      Printf.printf "hashtbl %d %d\\n" (Hashtbl.length h) sum;
      Printf.printf "buffer %s\\n" (Buffer.contents b);
      Printf.printf "printf |%5d|%-5s|%05.1f|%x|%S|%c|\\n" 42 "ab" 3.14159 255 "q\\"" 'z';
      let m = List.fold_left (fun m (k, v) -> StrMap.add k v m) StrMap.empty [("b", 2); ("a", 1)] in
      Printf.printf "map %s\\n" (String.concat "," (List.map fst (StrMap.bindings m)));
      Printf.printf "str %s\\n" (Str.global_replace (Str.regexp "o+") "0" "foo boo");
      Printf.printf "int64 %Ld %s\\n" (Int64.mul 3_000_000_000L 3L) (Int64.to_string Int64.min_int);
      Printf.printf "sort %s\\n" (String.concat " " (List.map string_of_int
        (List.sort compare [5; 3; 9; 1])));
      Printf.printf "argv %d\\n" (Array.length Sys.argv)
    """)
STRMAP = "include Map.Make (String)\n"

DEVICES = ml("""
    let () =
      (try ignore (Unik.Net.acquire "net0") with
       | Unik.Unsupported m -> Printf.printf "net unsupported: %s\\n" m
       | Unik.Device_error m -> Printf.printf "net error: %s\\n" m);
      (try ignore (Unik.Block.acquire "disk0") with
       | Unik.Unsupported m -> Printf.printf "block unsupported: %s\\n" m
       | Unik.Device_error m -> Printf.printf "block error: %s\\n" m);
      print_endline "devices done"
    """)

LWT = ml("""
    open Lwt.Infix
    let tick name ms n =
      let rec loop i = if i > n then Lwt.return_unit else
        Unik_lwt.sleep_ns (Unik.Time.of_ms ms) >>= fun () ->
        Printf.printf "%s %d\\n%!" name i; loop (i + 1) in
      loop 1
    let main () =
      Unik_lwt.run (Lwt.join [tick "a" 100 3; tick "b" 250 2;
                              (Lwt.pause () >|= fun () -> print_endline "paused")]);
      print_endline "lwt done"
    """)


def _has_findlib(pkg: str) -> bool:
    import subprocess
    return shutil.which("ocamlfind") is not None and subprocess.run(
        ["ocamlfind", "query", pkg], capture_output=True).returncode == 0


# name → (files, unik.toml extra, status, patterns that must all appear)
PROGRAMS: dict[str, tuple[dict[str, str], str, int, list[str]]] = {
    "hello": ({"unikernel.ml": HELLO}, "", 0,
              [r"Hello from OCaml\n", r"slept enough\n", r"wall clock after 2020: (true|false)"]),
    "exception": ({"main.ml": EXCEPTION}, "", 2,
                  [r"before the exception\n",
                   r"Fatal error: exception Main\.Boom\(6\)",
                   r'Raised at Main\.inner in file "main\.ml", line 2',
                   r"Called from Main"]),
    "exit": ({"main.ml": EXIT}, "", 7, [r"exiting at_exit ran\n"]),
    "gc": ({"main.ml": GC_STRESS}, "[run]\nmemory = 64\n", 0,
           [r"allocated 1000 MB, top heap \d+ MiB", r"gc ok\n"]),
    "floats": ({"main.ml": FLOATS}, "", 0, [re.escape(FLOATS_OUT)]),
    "tasks": ({"unikernel.ml": TASKS}, "", 0, [re.escape(TASKS_OUT)]),
    "task_failure": ({"unikernel.ml": TASK_FAILURE}, "", 2,
                     [r"main returned\n", r"Fatal error: exception Unikernel\.Task_failed",
                      r"Raised at Unikernel"]),
    "stdlib": ({"main.ml": STDLIB, "strMap.ml": STRMAP}, '[ocaml]\npackages = ["str"]\n', 0,
               [r"hashtbl 50000 2500000000\n",
                re.escape("buffer [1:*][2:**][3:***][4:****][5:*****]\n"),
                re.escape('printf |   42|ab   |003.1|ff|"q\\""|z|\n'),
                r"map a,b\n", r"str f0 b0\n",
                r"int64 9000000000 -9223372036854775808\n", r"sort 1 3 5 9\n", r"argv \d+"]),
    "devices": ({"main.ml": DEVICES}, "", 0,
                [r'net (unsupported: .*|error: Unik.Net.acquire "net0": no such device)',
                 r'block (unsupported: .*|error: Unik.Block.acquire "disk0": no such device)',
                 r"devices done"]),
}
OPTIONS_ML = ml("""
    external twice : int -> int = "app_twice"
    let start () = Unik.Console.logf "start: twice 21 = %d" (twice 21)
    """)
OPTIONS_C = ml("""
    #include <unik.h>
    #include <caml/mlvalues.h>
    value app_twice(value n) { return Val_long(2 * Long_val(n)); }
    """)
PROGRAMS["options"] = ({"app.ml": OPTIONS_ML, "stubs.c": OPTIONS_C},
                       '[ocaml]\nmain = "App.start"\nflags = ["-inline", "200"]\n'
                       'cflags = ["-DAPP=1"]\n', 0, [r"start: twice 21 = 42\n"])
PROGRAMS["lwt"] = ({"unikernel.ml": LWT}, '[ocaml]\npackages = ["lwt"]\n', 0,
                   [r"paused\na 1\na 2\nb 1\na 3\nb 2\nlwt done\n"])
# Mirage style: main returns a promise (Unik's own, or Lwt's).
PROGRAMS["task_main"] = ({"unikernel.ml": ml("""
    let main () =
      let open Unik.Task in
      let* () = sleep_ns 20_000_000L in
      Unik.Console.log "task main done"; return ()
    """)}, "", 0, [r"task main done\n"])
PROGRAMS["lwt_main"] = ({"unikernel.ml": ml("""
    let main () =
      Lwt.bind (Unik_lwt.sleep 0.02) (fun () -> print_endline "lwt main done"; Lwt.return_unit)
    """)}, '[ocaml]\npackages = ["lwt"]\n', 0, [r"lwt main done\n"])
NEEDS = {"lwt": "lwt", "lwt_main": "lwt"}     # program → findlib package it needs
# Also on the software CPU (Unicorn, ~20-50x slower than KVM); not there: gc (~40 s).
SHORT = ["hello", "exception", "exit", "floats", "tasks", "task_failure", "stdlib",
         "devices", "lwt", "options", "task_main", "lwt_main"]


class _Images(dict):
    """name → image, each program built on first use."""

    def __init__(self, parent: Path):
        super().__init__()
        self.parent = parent

    def __missing__(self, name: str) -> Path:
        files, toml, _, _ = PROGRAMS[name]
        self[name] = Guest.create(self.parent, "ocaml", files, name=name,
                                  toml=toml).build().image
        return self[name]


@pytest.fixture(scope="session")
def images(tmp_path_factory) -> _Images:
    return _Images(tmp_path_factory.mktemp("ocaml"))


def check(name: str, r: Result) -> None:
    _, _, status, patterns = PROGRAMS[name]
    # QEMU's serial turns "\n" into "\r\n"; the host undoes it per read, so a pair
    # split across two reads survives. Compare lines, not line ends.
    r = Result(r.status, r.output.replace("\r\n", "\n"))
    assert r.status == status, f"{name}: status {r.status}, output:\n{r.output}"
    for pat in patterns:
        assert re.search(pat, r.output), f"{name}: /{pat}/ not in output:\n{r.output}"


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("name", [n for n in PROGRAMS if n not in SHORT])
def test_ocaml_program(images, name: str, host: tuple[str, str]):
    if name in NEEDS and not _has_findlib(NEEDS[name]):
        pytest.skip(f"findlib package {NEEDS[name]} missing "
                    "(apt-get install -y liblwt-ocaml-dev)")
    check(name, boot_image(images[name], host=host[0], cpu=host[1], timeout=300))


@pytest.mark.parametrize("host", ALL_HOSTS)
@pytest.mark.parametrize("name", SHORT)
def test_ocaml_short_program(images, name: str, host: tuple[str, str], request):
    if name in NEEDS and not _has_findlib(NEEDS[name]):
        pytest.skip(f"findlib package {NEEDS[name]} missing "
                    "(apt-get install -y liblwt-ocaml-dev)")
    check(name, boot_image(images[name], host=host[0], cpu=host[1], timeout=300))


# ---- build side: no host needed ----

def test_registered_with_toolchain():
    lang = plugin_host().language("ocaml")
    tools = {t.name: t for t in lang.toolchain()}
    assert set(tools) >= {"ocamlopt", "ocamlfind", "libasmrun.a"}
    assert tools["ocamlopt"].install == "apt-get install -y ocaml-nox"
    assert tools["ocamlfind"].install == "apt-get install -y ocaml-findlib"
    assert all(t.found for t in tools.values())


def test_detects_ml_projects(tmp_path: Path):
    (tmp_path / "x.ml").write_text("let () = ()\n")
    assert plugin_host().detect_language(tmp_path) == "ocaml"


def test_new_project_builds_without_syscall(cli, tmp_path: Path):
    r = cli("new", "app", "--lang", "ocaml", cwd=tmp_path)
    assert r.status == 0, r.err
    proj = tmp_path / "app"
    assert (proj / "unikernel.ml").is_file()
    r = cli("build", cwd=proj)
    assert r.status == 0, r.err
    assert re.search(r"app\.unik \([\d.]+ (KiB|MiB) stripped", r.out), r.out
    from unik.image import checks
    assert checks.find_syscalls(proj / "_build" / "app.unik.debug") == []
    r = cli("inspect", cwd=proj)
    assert r.status == 0, r.err


@pytest.mark.parametrize("host", HOSTS)
def test_new_project_runs(cli, tmp_path: Path, host: tuple[str, str]):
    assert cli("new", "app", "--lang", "ocaml", cwd=tmp_path).status == 0
    args = ["run", "--timeout", "300"] + (["--host", "qemu"] if host[0] == "qemu"
                                          else ["--cpu", host[1]])
    r = cli(*args, cwd=tmp_path / "app")
    assert r.status == 0, r.out + r.err
    out = r.out.replace("\r\n", "\n")
    for line in ["Hello from OCaml on unik!", "fast: tick 3", "slow: tick 2"]:
        assert line in out, out
    m = re.search(r"slept (\d+) ms", out)
    assert m and int(m.group(1)) >= 10, out
    # Each ticker's ticks in order and none missing. Their interleaving (fast
    # every 10 ms, slow every 25 ms, each sleeping from its last wake-up) moves
    # when the host preempts the guest (QEMU's TCG on a loaded machine), so it
    # is not asserted here: a timing fact, not a property of unik.
    ticks = re.findall(r"(fast|slow): tick (\d)", out)
    assert [i for n, i in ticks if n == "fast"] == ["1", "2", "3"], out
    assert [i for n, i in ticks if n == "slow"] == ["1", "2"], out


def test_compile_error_is_a_user_error(cli, tmp_path: Path):
    Guest.create(tmp_path, "ocaml", {"main.ml": "let () = print_string 42\n"}, name="bad")
    r = cli("build", cwd=tmp_path / "bad")
    assert r.status == 1
    assert 'File "main.ml", line 1' in r.err and "int" in r.err, r.err


def test_missing_findlib_package_names_debian_package(cli, tmp_path: Path):
    Guest.create(tmp_path, "ocaml", {"main.ml": "let () = ()\n"}, name="pkg",
                 toml='[ocaml]\npackages = ["no_such_lib"]\n')
    r = cli("build", cwd=tmp_path / "pkg")
    assert r.status == 1
    assert "findlib package 'no_such_lib'" in r.err
    assert "apt-get install -y libno-such-lib-ocaml-dev" in r.err, r.err


def test_unknown_option_is_rejected(cli, tmp_path: Path):
    Guest.create(tmp_path, "ocaml", {"main.ml": "let () = ()\n"}, name="opt",
                 toml="[ocaml]\npackage = []\n")
    r = cli("build", cwd=tmp_path / "opt")
    assert r.status == 1 and "did you mean 'packages'" in r.err, r.err


def test_main_of_another_type_is_a_clear_error(cli, tmp_path: Path):
    Guest.create(tmp_path, "ocaml", {"unikernel.ml": "let main () = 42\n"}, name="ty")
    r = cli("build", cwd=tmp_path / "ty")
    assert r.status == 1
    assert "Unikernel.main must have one of the types unit -> unit, " \
        "unit -> unit Unik.Task.t" in r.err, r.err
