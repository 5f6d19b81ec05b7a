"""The public plugin API: what a language plugin (first- or third-party) uses.

A plugin module implements hooks (see unik.hookspecs) marked with `hookimpl`
and registers Language objects. It needs nothing else from unik.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from .errors import UnikError
from .model import Project

hookimpl = pluggy.HookimplMarker("unik")

__all__ = ["BuildContext", "BuildResult", "Language", "Tool", "UnikError", "hookimpl",
           "find_tool"]


@dataclass(frozen=True)
class Tool:
    """One toolchain program a language needs, as `unik doctor` shows it."""

    name: str
    path: str | None
    version: str = ""
    install: str = ""       # the exact command that installs it, e.g. "apt-get install -y gcc"

    @property
    def found(self) -> bool:
        return self.path is not None


def find_tool(name: str, install: str, version_args: Sequence[str] = ("--version",)) -> Tool:
    """Look a program up on PATH and read the first line of its version output."""
    path = shutil.which(name)
    version = ""
    if path is not None and version_args:
        try:
            proc = subprocess.run([path, *version_args], capture_output=True, text=True,
                                  timeout=20)
            first = (proc.stdout or proc.stderr).strip().splitlines()[:1]
            version = first[0] if first else ""
        except (OSError, subprocess.TimeoutExpired):
            version = "?"
    return Tool(name=name, path=path, version=version, install=install)


@dataclass
class BuildContext:
    """What a language's build gets from unik."""

    project: Project
    project_dir: Path
    build_dir: Path                     # _build/ of the project; the plugin may write under it
    cc: str                             # the C compiler for guest code
    cflags: list[str]                   # flags for C code compiled against musl (see flags.py)
    libc_include: Path                  # musl's headers
    unik_include: Path                  # the directory holding unik.h
    progress: Callable[[str], None]     # one short line about long work ("building OCaml runtime")
    run: Callable[..., subprocess.CompletedProcess[str]]   # runs a tool; failure → UnikError
    cached_dir: Callable[[str, str, Callable[[Path], None]], Path]   # (kind, key, build) → dir
    verbose: bool = False

    @property
    def options(self) -> dict[str, Any]:
        """The project's table for this language in unik.toml ([c], [ocaml], …)."""
        return self.project.lang_options


@dataclass
class BuildResult:
    """What a language's build hands to the image linker."""

    objects: list[Path] = field(default_factory=list)   # linked whole
    libs: list[Path] = field(default_factory=list)      # archives, searched


class Language:
    """A language plugin's description and build. Subclass and override."""

    name: str = ""
    description: str = ""
    extensions: tuple[str, ...] = ()
    # Keys allowed in the project's [<name>] table of unik.toml, with their types.
    options: dict[str, type] = {}

    def toolchain(self) -> list[Tool]:
        """The programs this language needs, found or not (for `unik doctor`)."""
        return []

    def new_project(self, name: str) -> dict[str, str]:
        """Files (relative path → text) of a new project, besides unik.toml."""
        raise UnikError(f"language {self.name} cannot create projects")

    def build(self, ctx: BuildContext) -> BuildResult:
        """Compile the project's sources and the language runtime into objects."""
        raise NotImplementedError

    def benchmarks(self) -> dict[str, Path]:
        """Benchmark programs (name → project directory) for comparisons."""
        return {}

    def check_toolchain(self) -> None:
        """Raise UnikError naming the install command for the first missing tool."""
        for tool in self.toolchain():
            if not tool.found:
                raise UnikError(f"{tool.name} not found (needed for {self.name}): "
                                f"install it with `{tool.install}`")
