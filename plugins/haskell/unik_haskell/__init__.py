"""The Haskell plugin (HaLVM style): GHC native code on unik. See ../README.md."""

from __future__ import annotations

from pathlib import Path

from unik.api import (
    BuildContext,
    BuildResult,
    Language,
    Tool,
    benchmark_projects,
    find_tool,
    hookimpl,
)

from . import build as _build
from . import ghc as _ghc

HERE = Path(__file__).resolve().parent


class Haskell(Language):
    name = "haskell"
    description = "Haskell (GHC native code, non-threaded RTS) with the Unik module, HaLVM style"
    extensions = (".hs", ".lhs")
    options = {"packages": list, "flags": list, "rts": list, "main": str}

    def toolchain(self) -> list[Tool]:
        tools = [find_tool("ghc", _ghc.GHC_INSTALL, ("--version",)),
                 find_tool("ghc-pkg", _ghc.GHC_INSTALL, ("--version",))]
        libdir = Path("/usr/lib/ghc")
        if tools[0].found:
            try:
                libdir = _ghc.ghc().libdir
            except Exception:  # noqa: BLE001 - doctor reports, never raises
                pass
        rts = libdir / "rts" / "libHSrts.a"
        tools.append(Tool("libHSrts.a", str(rts) if rts.is_file() else None,
                          "GHC's static runtime", _ghc.GHC_INSTALL))
        for lib, what, install in (("gmp", "GMP, for Integer", _ghc.GMP_INSTALL),
                                   ("ffi", "libffi, for GHC's runtime", _ghc.FFI_INSTALL)):
            found = _ghc.static_lib(lib, [])
            tools.append(Tool(f"lib{lib}.a", str(found) if found else None, what, install))
        return tools

    def new_project(self, name: str) -> dict[str, str]:
        return {"Main.hs": (HERE / "templates" / "Main.hs").read_text()}

    def fingerprint(self, ctx: BuildContext) -> list[str]:
        return _build.fingerprint(ctx)

    def build(self, ctx: BuildContext) -> BuildResult:
        return _build.build(ctx)

    def benchmarks(self) -> dict[str, Path]:
        return benchmark_projects(HERE / "bench")

    def native_build(self, project_dir: Path, out_dir: Path) -> list[str]:
        from .native import native_build

        return native_build(project_dir, out_dir)


@hookimpl
def unik_register_languages(register) -> None:
    register(Haskell())


@hookimpl
def unik_detect_language(project_dir: Path) -> str | None:
    return "haskell" if any(project_dir.glob("*.hs")) or any(project_dir.glob("*.lhs")) \
        else None
