"""The Python-subset plugin: statically typed Python compiled ahead of time to C
and linked into a unikernel. See ../README.md for the subset."""

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

HERE = Path(__file__).resolve().parent


class Python(Language):
    name = "python"
    description = "a statically typed subset of Python, compiled to C (no interpreter)"
    extensions = (".py",)
    options = {"main": str, "cflags": list}

    def toolchain(self) -> list[Tool]:
        return [find_tool("gcc", "apt-get install -y gcc")]

    def new_project(self, name: str) -> dict[str, str]:
        return {"main.py": (HERE / "templates" / "main.py").read_text()}

    def build(self, ctx: BuildContext) -> BuildResult:
        from . import build
        return build.build(ctx)

    def benchmarks(self) -> dict[str, Path]:
        return benchmark_projects(HERE / "bench")


@hookimpl
def unik_register_languages(register) -> None:
    register(Python())


@hookimpl
def unik_detect_language(project_dir: Path) -> str | None:
    return "python" if any(project_dir.glob("*.py")) else None
