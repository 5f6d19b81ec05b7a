"""The OCaml plugin (MirageOS style): ocamlopt native code on unik. See ../README.md."""

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

HERE = Path(__file__).resolve().parent


class OCaml(Language):
    name = "ocaml"
    description = "OCaml (ocamlopt native code) with the Unik library, MirageOS style"
    extensions = (".ml", ".mli")
    options = {"packages": list, "flags": list, "main": str, "cflags": list}

    def toolchain(self) -> list[Tool]:
        tools = [find_tool("ocamlopt", _build.OCAML_INSTALL, ("-version",)),
                 find_tool("ocamlfind", _build.FINDLIB_INSTALL,
                           ("query", "findlib", "-format", "findlib %v"))]
        where = Path("/usr/lib/ocaml")
        if tools[0].found:
            try:
                where = _build.ocaml().stdlib
            except Exception:  # noqa: BLE001 - doctor reports, never raises
                pass
        asmrun = where / "libasmrun.a"
        tools.append(Tool("libasmrun.a", str(asmrun) if asmrun.is_file() else None,
                          "OCaml native runtime", _build.OCAML_INSTALL))
        return tools

    def new_project(self, name: str) -> dict[str, str]:
        return {"unikernel.ml": (HERE / "templates" / "unikernel.ml").read_text()}

    def fingerprint(self, ctx: BuildContext) -> list[str]:
        # The Unik library's cache key covers the OCaml installation as well.
        return [_build.runtime_key(ctx, _build.ocaml())]

    def build(self, ctx: BuildContext) -> BuildResult:
        return _build.build(ctx)

    def benchmarks(self) -> dict[str, Path]:
        return benchmark_projects(HERE / "bench")

    def native_build(self, project_dir: Path, out_dir: Path) -> list[str]:
        from .native import native_build

        return native_build(project_dir, out_dir)


@hookimpl
def unik_register_languages(register) -> None:
    register(OCaml())


@hookimpl
def unik_detect_language(project_dir: Path) -> str | None:
    return "ocaml" if any(project_dir.glob("*.ml")) else None
