"""Building an OCaml project into objects for unik's image linker.

    user .ml/.mli ──ocamlopt -output-complete-obj──► program.o  (code + stdlib + libasmrun.a)
    runtime/*.c   ──ctx.cc ctx.cflags──────────────► unik_stubs.o main.o (cached)
    runtime/unik.ml(i) ──ocamlopt -c, -a───────────► unik.cmxa/.a/.cmi (cached)

`-output-complete-obj` makes ocamlopt stop at a relocatable `ld -r` object: it
never runs the host's C linker, so nothing of glibc comes in. The image linker
adds the core and musl's libc.a. See ../README.md for why Debian's prebuilt
runtime is used.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from unik.api import BuildContext, BuildResult, UnikError

HERE = Path(__file__).resolve().parent
RUNTIME = HERE / "runtime"
RUNTIME_ML = ("unik.mli", "unik.ml")
RUNTIME_C = ("unik_stubs.c", "main.c")
# Compiled with the project when it uses Lwt (they need Lwt's .cmi files).
RUNTIME_LWT = ("unik_lwt.mli", "unik_lwt.ml")
# Bump when the recipe below changes what lands in the runtime cache.
RECIPE = "3"
ENTRY_MODULE = "unik_entry"
OCAML_INSTALL = "apt-get install -y ocaml-nox"
FINDLIB_INSTALL = "apt-get install -y ocaml-findlib"
OCAMLFLAGS = ["-g"]     # -g: frame tables for backtraces of uncaught exceptions

# Findlib packages whose Debian package does not follow lib<name>-ocaml-dev.
DEBIAN_PACKAGES = {
    "lwt": "liblwt-ocaml-dev", "lwt.unix": "liblwt-ocaml-dev",
    "zarith": "libzarith-ocaml-dev", "yojson": "libyojson-ocaml-dev",
    "re": "libre-ocaml-dev", "fmt": "libfmt-ocaml-dev", "cstruct": "libcstruct-ocaml-dev",
    "ppx_deriving": "libppx-deriving-ocaml-dev", "sexplib": "libsexplib-ocaml-dev",
    "stdlib-shims": "libstdlib-shims-ocaml-dev", "bigstringaf": "libbigstringaf-ocaml-dev",
}


@dataclass(frozen=True)
class Ocaml:
    ocamlfind: str
    version: str        # "4.13.1"
    stdlib: Path        # /usr/lib/ocaml: caml/*.h, libasmrun.a, stdlib.cmxa


@functools.cache
def _capture(*cmd: str) -> str:
    try:
        proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise UnikError(f"{cmd[0]}: {e}") from None
    if proc.returncode != 0:
        raise UnikError(f"`{' '.join(cmd)}` failed: {(proc.stderr or proc.stdout).strip()}")
    return proc.stdout.strip()


def ocaml() -> Ocaml:
    path = shutil.which("ocamlfind")
    if path is None:
        raise UnikError(f"ocamlfind not found: install it with `{FINDLIB_INSTALL}`")
    if shutil.which("ocamlopt") is None:
        raise UnikError(f"ocamlopt not found: install it with `{OCAML_INSTALL}`")
    stdlib = Path(_capture(path, "ocamlopt", "-where"))
    if not (stdlib / "libasmrun.a").is_file():
        raise UnikError(f"{stdlib}/libasmrun.a (OCaml's native runtime) is missing: "
                        f"install it with `{OCAML_INSTALL}`")
    return Ocaml(ocamlfind=path, version=_capture(path, "ocamlopt", "-version"), stdlib=stdlib)


def c_flags(ctx: BuildContext, oc: Ocaml) -> list[str]:
    """Flags for C code that sees unik.h and OCaml's headers (runtime stubs, user stubs)."""
    return [*ctx.cflags, "-I", str(ctx.unik_include), "-I", str(oc.stdlib)]


def runtime_key(ctx: BuildContext, oc: Ocaml) -> str:
    """The runtime's cache key: our sources, the recipe, the OCaml installation
    (its version and native runtime library) and, through ctx.cache_key, the
    guest compiler and flags. Also the plugin's fingerprint: a new OCaml
    rebuilds images."""
    files = [RUNTIME / n for n in (*RUNTIME_ML, *RUNTIME_C)]
    st = (oc.stdlib / "libasmrun.a").stat()
    return ctx.cache_key(RECIPE, oc.version, str(oc.stdlib), f"{st.st_size}:{st.st_mtime_ns}",
                         " ".join(c_flags(ctx, oc)), *files)


def ensure_runtime(ctx: BuildContext, oc: Ocaml) -> Path:
    """The compiled Unik library and C stubs, once per configuration (in unik's cache)."""
    key = runtime_key(ctx, oc)

    def build(tmp: Path) -> None:
        ctx.progress(f"compiling the OCaml Unik library (OCaml {oc.version}, once)")
        for name in RUNTIME_ML:
            shutil.copy(RUNTIME / name, tmp / name)
        ctx.run([oc.ocamlfind, "ocamlopt", *OCAMLFLAGS, "-w", "+a-4-9-40-41-42-44-45-70",
                 "-c", *RUNTIME_ML], what="compiling the Unik library", cwd=tmp)
        # An archive, so that a program that never mentions Unik does not link it.
        ctx.run([oc.ocamlfind, "ocamlopt", "-a", "unik.cmx", "-o", "unik.cmxa"],
                what="archiving the Unik library", cwd=tmp)
        for name in RUNTIME_C:
            ctx.run([ctx.cc, *c_flags(ctx, oc), "-c", str(RUNTIME / name), "-o",
                     str(tmp / (Path(name).stem + ".o"))], what=f"compiling {name}")
        # `-thread` links ask for -lpthread; musl keeps pthreads in libc.a, so an
        # empty archive answers (the runtime's own -L points here).
        (tmp / "libpthread.a").write_bytes(b"!<arch>\n")

    return ctx.cached_dir("ocaml", key, build)


def runtime_objects(runtime: Path) -> list[Path]:
    return [runtime / (Path(n).stem + ".o") for n in RUNTIME_C]


def check_packages(ctx: BuildContext, oc: Ocaml, packages: list[str]) -> None:
    """Each findlib package must be installed; a missing one names its Debian package."""
    for pkg in packages:
        proc = subprocess.run([oc.ocamlfind, "query", pkg], capture_output=True, text=True)
        if proc.returncode != 0:
            root = pkg.split(".")[0]
            deb = DEBIAN_PACKAGES.get(pkg) or DEBIAN_PACKAGES.get(root) or \
                f"lib{root.replace('_', '-')}-ocaml-dev"
            raise UnikError(f"unik.toml [ocaml]: findlib package '{pkg}' is not installed: "
                            f"install it with `apt-get install -y {deb}`")


def sources(ctx: BuildContext) -> list[Path]:
    names = ctx.project.sources
    if names is None:
        found = sorted(p for p in ctx.project_dir.rglob("*")
                       if p.suffix in (".ml", ".mli", ".c") and p.is_file()
                       and "_build" not in p.relative_to(ctx.project_dir).parts)
    else:
        found = [ctx.project_dir / n for n in names]
        for p in found:
            if not p.is_file():
                raise UnikError(f"source file {p} (listed in unik.toml) does not exist")
    if not any(p.suffix == ".ml" for p in found):
        raise UnikError(f"no OCaml sources (*.ml) in {ctx.project_dir}")
    return found


_MAIN_RE = re.compile(r"^let\s+(?:rec\s+)?main\b", re.M)


def entry_point(ctx: BuildContext, ml: list[Path]) -> str | None:
    """The function Unik.run is called on: [ocaml] main, else Unikernel.main if defined."""
    main = ctx.options.get("main")
    if main is not None:
        if main == "":
            return None
        if not re.fullmatch(r"[A-Z][A-Za-z0-9_']*(\.[A-Za-z_][A-Za-z0-9_']*)+", main):
            raise UnikError(f"unik.toml [ocaml]: 'main' must be a qualified OCaml name "
                            f"such as \"Unikernel.main\", not {main!r}")
        return main
    for p in ml:
        if p.name == "unikernel.ml" and _MAIN_RE.search(p.read_text(errors="replace")):
            return "Unikernel.main"
    return None


def compile_entry(ctx: BuildContext, common: list[str], src_dir: Path, entry: str, *,
                  lwt: bool) -> str:
    """The generated module that starts the unikernel, for whichever type main has."""
    variants = {"unit -> unit": f"Unik.run {entry}",
                "unit -> unit Unik.Task.t": f"Unik.run (fun () -> Unik.Task.async {entry})"}
    if lwt:
        variants["unit -> unit Lwt.t"] = f"Unik_lwt.run ({entry} ())"
    first: UnikError | None = None
    for code in variants.values():
        (src_dir / f"{ENTRY_MODULE}.ml").write_text(
            f"(* generated by unik: the unikernel's entry *)\nlet () = {code}\n")
        try:
            ctx.run([*common, "-c", f"{ENTRY_MODULE}.ml"], what=f"calling {entry}",
                    cwd=src_dir)
            return f"{ENTRY_MODULE}.cmx"
        except UnikError as e:
            first = first or e
    types = ", ".join(variants)
    raise UnikError(f"{entry} must have one of the types {types}; {first}")


def _strings(ctx: BuildContext, key: str) -> list[str]:
    value = ctx.options.get(key, [])
    if not all(isinstance(v, str) for v in value):
        raise UnikError(f"unik.toml [ocaml]: '{key}' must be a list of strings")
    return list(value)


def build(ctx: BuildContext) -> BuildResult:
    oc = ocaml()
    packages = _strings(ctx, "packages")
    flags = _strings(ctx, "flags")
    check_packages(ctx, oc, packages)
    srcs = sources(ctx)
    runtime = ensure_runtime(ctx, oc)

    out = ctx.build_dir / "ocaml"
    src_dir = out / "src"
    if src_dir.exists():
        shutil.rmtree(src_dir)
    src_dir.mkdir(parents=True)
    ml_files: list[str] = []
    seen: dict[str, Path] = {}
    for p in srcs:
        if p.suffix == ".c":
            continue
        if p.name in seen:
            raise UnikError(f"two OCaml sources are both module {p.stem.capitalize()}: "
                            f"{seen[p.name]} and {p}")
        seen[p.name] = p
        shutil.copy(p, src_dir / p.name)
        ml_files.append(p.name)
    uses_lwt = any(p == "lwt" or p.startswith("lwt.") for p in packages)
    if uses_lwt:
        for name in RUNTIME_LWT:
            if name in seen:
                raise UnikError(f"{seen[name]}: the module name Unik_lwt is reserved by unik")
            shutil.copy(RUNTIME / name, src_dir / name)
            ml_files.append(name)
    if ENTRY_MODULE + ".ml" in seen:
        raise UnikError(f"{seen[ENTRY_MODULE + '.ml']}: the module name "
                        f"{ENTRY_MODULE.capitalize()} is reserved by unik")
    ordered = ctx.run([oc.ocamlfind, "ocamldep", "-sort", "-native", *ml_files],
                      what="ordering OCaml modules (ocamldep)", cwd=src_dir).stdout.split()
    entry = entry_point(ctx, [p for p in srcs if p.suffix == ".ml"])

    common = [oc.ocamlfind, "ocamlopt", *OCAMLFLAGS, *flags,
              *(["-package", ",".join(packages)] if packages else []), "-I", str(runtime),
              "-ccopt", f"-L{runtime}"]
    ctx.run([*common, "-c", *ordered], what="compiling OCaml", cwd=src_dir)
    cmx = [Path(f).with_suffix(".cmx").name for f in ordered if f.endswith(".ml")]
    if entry is not None:
        cmx.append(compile_entry(ctx, common, src_dir, entry, lwt=uses_lwt))
    # ocamlopt leaves Std_exit (which flushes stdout/stderr and runs at_exit) out of
    # -output-*obj links, for a C main to call caml_shutdown; link it last, as an
    # executable would have it.
    cmx.append("std_exit.cmx")
    program = out / "program.o"
    ctx.run([*common, *(["-linkpkg"] if packages else []), str(runtime / "unik.cmxa"), *cmx,
             "-output-complete-obj", "-o", str(program)], what="linking OCaml", cwd=src_dir)

    objects = [program, *runtime_objects(runtime)]
    for p in srcs:
        if p.suffix != ".c":
            continue
        obj = out / "c" / (p.relative_to(ctx.project_dir).as_posix().replace("/", "__") + ".o")
        obj.parent.mkdir(parents=True, exist_ok=True)
        ctx.run([ctx.cc, *c_flags(ctx, oc), *_strings(ctx, "cflags"), "-I",
                 str(ctx.project_dir), "-c", str(p), "-o", str(obj)],
                what=f"compiling {p.name}")
        objects.append(obj)
    return BuildResult(objects=objects)
