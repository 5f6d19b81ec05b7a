"""The Erlang plugin (LING style): a BEAM-compatible VM in the unikernel. See ../README.md."""

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


class Erlang(Language):
    name = "erlang"
    description = "Erlang/OTP 25 .beam files run by a compact BEAM-compatible VM, LING style"
    extensions = (".erl",)
    options = {"entry": str, "erlc_flags": list}

    def toolchain(self) -> list[Tool]:
        return [find_tool("erlc", _build.ERLANG_INSTALL, ())]

    def new_project(self, name: str) -> dict[str, str]:
        return {"hello.erl": (HERE / "templates" / "hello.erl").read_text()}

    def build(self, ctx: BuildContext) -> BuildResult:
        return _build.build(ctx)

    def benchmarks(self) -> dict[str, Path]:
        return benchmark_projects(HERE / "bench")


@hookimpl
def unik_register_languages(register) -> None:
    register(Erlang())


@hookimpl
def unik_detect_language(project_dir: Path) -> str | None:
    return "erlang" if any(project_dir.glob("*.erl")) else None
