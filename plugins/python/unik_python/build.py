"""Building a Python project: main.py → C (unit.compile_module) → objects.

    main.py ──compile_module──► _build/python/main.c ──ctx.cc──► main.o
    runtime/*.c ──ctx.cc ctx.cflags (once, cached)──────────────► pyrt objects

A construct outside the subset stops the build with `file:line:col: message`.
The generated C is never shown to the user: if the C compiler rejects it, that
is a bug of this compiler and is reported as one.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from unik.api import BuildContext, BuildResult, UnikError

from .errors import CompileError
from .unit import compile_module

HERE = Path(__file__).resolve().parent
RUNTIME = HERE / "runtime"
RECIPE = "1"     # bump when the recipe below changes what lands in the cache
# Generated code is compiled without warnings (it is not the user's to fix) and with
# the flags Python semantics need (wrapping is checked explicitly, not assumed).
GEN_FLAGS = ["-w", "-fwrapv", "-fno-strict-aliasing", "--param", "max-inline-insns-auto=60"]
RT_FLAGS = ["-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter", "-fwrapv"]


def _key(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()[:16]


def runtime_sources() -> list[Path]:
    return sorted(RUNTIME.glob("*.c"))


def ensure_runtime(ctx: BuildContext) -> list[Path]:
    """The runtime's objects, compiled once per configuration into unik's cache."""
    srcs = runtime_sources()
    cc_version = subprocess.run([ctx.cc, "--version"], capture_output=True,
                                text=True).stdout
    key = _key(RECIPE, cc_version, " ".join(ctx.cflags),
               *(p.name.encode() + b"\0" + p.read_bytes() for p in
                 [*srcs, RUNTIME / "pyrt.h"]))

    def build(tmp: Path) -> None:
        ctx.progress("compiling the Python runtime (once)")
        for src in srcs:
            ctx.run([ctx.cc, *ctx.cflags, *RT_FLAGS, "-I", str(ctx.unik_include), "-c",
                     str(src), "-o", str(tmp / (src.stem + ".o"))],
                    what=f"compiling the Python runtime ({src.name})")

    d = ctx.cached_dir("python", key, build)
    return [d / (src.stem + ".o") for src in srcs]


def main_source(ctx: BuildContext) -> Path:
    main = ctx.options.get("main")
    if main is not None:
        if not isinstance(main, str):
            raise UnikError("unik.toml [python]: 'main' must be a file name")
        p = ctx.project_dir / main
        if not p.is_file():
            raise UnikError(f"unik.toml [python]: main file {p} does not exist")
        return p
    names = ctx.project.sources
    if names:
        py = [n for n in names if n.endswith(".py")]
        if not py:
            raise UnikError("unik.toml: no .py file among the project's sources")
        if len(py) > 1:     # main.py and the modules it imports
            if "main.py" not in py:
                raise UnikError("unik.toml: several .py sources: name the program with "
                                "[python] main = \"file.py\"")
            py = ["main.py"]
        p = ctx.project_dir / py[0]
        if not p.is_file():
            raise UnikError(f"source file {p} (listed in unik.toml) does not exist")
        return p
    p = ctx.project_dir / "main.py"
    if p.is_file():
        return p
    found = sorted(x for x in ctx.project_dir.glob("*.py"))
    if len(found) == 1:
        return found[0]
    if not found:
        raise UnikError(f"no Python source (main.py) in {ctx.project_dir}")
    raise UnikError(f"several .py files in {ctx.project_dir} and none is main.py: name the "
                    f"program with [python] main = \"file.py\" in unik.toml")


def translate(src: Path, display: str) -> str:
    """Python source file → C, or UnikError with file:line:col: message."""
    try:
        text = src.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UnikError(f"{display}: cannot read: {e}") from None
    try:
        return compile_module(text, src.name, root=src.parent)
    except CompileError as e:
        raise UnikError(e.render(display)) from None
    except RecursionError:
        raise UnikError(f"{display}: the program is nested too deeply to compile") from None
    except Exception as e:  # noqa: BLE001 - a bug of this compiler: one line, never a traceback
        line = getattr(e, "unik_line", 0)
        raise UnikError(f"{display}:{line}:1: internal error of the Python compiler "
                        f"({type(e).__name__}: {e}); this construct is probably outside the "
                        f"subset — please report it") from None


def build(ctx: BuildContext) -> BuildResult:
    src = main_source(ctx)
    try:
        display = str(src.relative_to(Path.cwd()))
    except ValueError:
        display = str(src)
    ctx.progress(f"compiling {src.name} (Python subset → C)")
    c_text = translate(src, display)
    rt = ensure_runtime(ctx)
    out = ctx.build_dir / "python"
    out.mkdir(parents=True, exist_ok=True)
    c_file = out / (src.stem + ".c")
    c_file.write_text(c_text)
    obj = out / (src.stem + ".o")
    extra = ctx.options.get("cflags", [])
    if not isinstance(extra, list) or not all(isinstance(f, str) for f in extra):
        raise UnikError("unik.toml [python]: 'cflags' must be a list of strings")
    ctx.progress(f"compiling the generated C ({c_file.name})")
    try:
        ctx.run([ctx.cc, *ctx.cflags, *GEN_FLAGS, *extra, "-I", str(RUNTIME), "-I",
                 str(ctx.unik_include), "-c", str(c_file), "-o", str(obj)],
                what="compiling the generated C")
    except UnikError as e:
        raise UnikError(f"{display}: internal error of the Python compiler: the generated C "
                        f"({c_file}) did not compile; please report it. {str(e)[:300]}") from None
    return BuildResult(objects=[obj, *rt])
