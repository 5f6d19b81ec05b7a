"""The built-in C language plugin — the reference for plugin authors (see README.md)."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

from unik.api import (
    BuildContext,
    BuildResult,
    Language,
    Tool,
    UnikError,
    benchmark_projects,
    find_tool,
    hookimpl,
)

HERE = Path(__file__).resolve().parent


class C(Language):
    name = "c"
    description = "C11 against musl and unik.h"
    extensions = (".c",)
    options = {"cflags": list, "libs": list}

    def toolchain(self) -> list[Tool]:
        return [find_tool("gcc", "apt-get install -y gcc"),
                find_tool("objdump", "apt-get install -y binutils", ("--version",))]

    def new_project(self, name: str) -> dict[str, str]:
        return {"main.c": (HERE / "templates" / "main.c").read_text()}

    def build(self, ctx: BuildContext) -> BuildResult:
        sources = _sources(ctx)
        extra = ctx.options.get("cflags", [])
        if not all(isinstance(f, str) for f in extra):
            raise UnikError("unik.toml [c]: 'cflags' must be a list of strings")
        objects = []
        for src in sources:
            obj = ctx.build_dir / "obj" / (src.relative_to(ctx.project_dir).as_posix()
                                           .replace("/", "__") + ".o")
            obj.parent.mkdir(parents=True, exist_ok=True)
            ctx.run([ctx.cc, *ctx.cflags, *extra, *ctx.uapi_cflags, "-I", str(ctx.project_dir),
                     "-c", str(src), "-o", str(obj)], what=f"compiling {src.name}")
            objects.append(obj)
        return BuildResult(objects=objects)

    def benchmarks(self) -> dict[str, Path]:
        return benchmark_projects(HERE / "bench")

    def native_build(self, project_dir: Path, out_dir: Path) -> list[str] | None:
        # The same sources, optimisation and [c] cflags as in the guest, against glibc.
        sources = sorted(str(p) for p in project_dir.rglob("*.c") if "_build" not in p.parts)
        if not sources:
            raise UnikError(f"no C sources in {project_dir}")
        try:
            toml = tomllib.loads((project_dir / "unik.toml").read_text())
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise UnikError(f"{project_dir / 'unik.toml'}: {e}") from None
        extra = toml.get("c", {}).get("cflags", [])
        exe = out_dir / project_dir.name
        try:
            proc = subprocess.run(["gcc", "-O2", "-g", *map(str, extra), "-o", str(exe), "-I",
                                   str(project_dir), *sources, "-lm"],
                                  capture_output=True, text=True)
        except OSError as e:
            raise UnikError(f"gcc (native build): {e.strerror}") from None
        if proc.returncode != 0:
            raise UnikError(f"gcc (native build) failed:\n{(proc.stderr or proc.stdout).strip()}")
        return [str(exe)]


def _sources(ctx: BuildContext) -> list[Path]:
    names = ctx.project.sources
    if names is None:
        found = sorted(p for p in ctx.project_dir.rglob("*.c") if "_build" not in p.parts)
    else:
        found = [ctx.project_dir / n for n in names]
        for p in found:
            if not p.is_file():
                raise UnikError(f"source file {p} (listed in unik.toml) does not exist")
    if not found:
        raise UnikError(f"no C sources in {ctx.project_dir}")
    return found


@hookimpl
def unik_register_languages(register) -> None:
    register(C())


@hookimpl
def unik_detect_language(project_dir: Path) -> str | None:
    has_c = any(p for p in project_dir.glob("*.c"))
    return "c" if has_c else None
