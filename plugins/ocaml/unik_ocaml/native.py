"""OCaml.native_build: a benchmark program as an ordinary ocamlopt executable
(glibc, Linux) with the same Unik library, unik.h served by native/unik_linux.c."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

from unik.api import UnikError, unik_include

from . import build as _build

UNIK_LINUX = Path(__file__).resolve().parent / "native" / "unik_linux.c"


def _run(cmd: list[str], cwd: Path, what: str) -> str:
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    except OSError as e:
        raise UnikError(f"{what}: {cmd[0]}: {e.strerror}") from None
    if proc.returncode != 0:
        raise UnikError(f"{what} failed:\n{(proc.stderr or proc.stdout).strip()}")
    return proc.stdout


def native_build(project_dir: Path, out_dir: Path) -> list[str]:
    oc = _build.ocaml()
    work = out_dir / "src"
    work.mkdir(parents=True, exist_ok=True)
    rt = _build.RUNTIME
    mls = sorted(p for p in project_dir.glob("*.ml"))
    if not mls:
        raise UnikError(f"no OCaml sources in {project_dir}")
    for f in [*(rt / n for n in _build.RUNTIME_ML), rt / "unik_stubs.c", UNIK_LINUX, *mls]:
        shutil.copy(f, work / f.name)
    ordered = _run([oc.ocamlfind, "ocamldep", "-sort", "-native", *(p.name for p in mls)],
                   work, "ordering OCaml modules (ocamldep)").split()
    exe = out_dir / project_dir.name
    # The project's [ocaml] packages (unix for the socket programs), as findlib has them.
    conf = tomllib.loads((project_dir / "unik.toml").read_text())
    pkgs = [str(p) for p in conf.get("ocaml", {}).get("packages", [])]
    findlib = ["-package", ",".join(pkgs), "-linkpkg"] if pkgs else []
    _run([oc.ocamlfind, "ocamlopt", *_build.OCAMLFLAGS, *findlib,
          "-ccopt", f"-I{unik_include()}",
          "unik.mli", "unik.ml", *ordered, "unik_stubs.c",
          UNIK_LINUX.name, "-o", str(exe)], work, "ocamlopt (native build)")
    return [str(exe)]
