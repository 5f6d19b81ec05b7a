"""The public plugin API: what a language plugin (first- or third-party) uses.

A plugin module implements hooks (see unik.hookspecs) marked with `hookimpl`
and registers Language objects. It needs nothing else from unik (tests may use
unik.testing). docs/plugins.md documents every name here; names are only ever
added, never changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from .cache import cache_key
from .errors import UnikError
from .model import Project
from .toolchain.debsrc import DebianSource

hookimpl = pluggy.HookimplMarker("unik")

__all__ = ["BuildContext", "BuildResult", "DebianSource", "Language", "Tool", "UnikError",
           "benchmark_projects", "cache_key", "fetch_debian_source", "find_tool", "hookimpl",
           "unik_include"]

# What Language.fingerprint may return: strings count as themselves, paths by content.
Fingerprint = Iterable["str | bytes | os.PathLike[str]"]


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
    """What a language's build gets from unik (docs/plugins.md describes each field).

    run and progress may be called from several threads at once, e.g. from a
    concurrent.futures.ThreadPoolExecutor(ctx.jobs) compiling a runtime's files.
    """

    project: Project
    project_dir: Path
    build_dir: Path                     # _build/ of the project; the plugin may write under it
    cc: str                             # the C compiler for guest code (gcc)
    cflags: list[str]                   # flags for C code compiled against musl (see flags.py)
    libc_include: Path                  # musl's headers
    unik_include: Path                  # the directory holding unik.h
    progress: Callable[[str], None]     # one short line about long work ("building OCaml runtime")
    # run(cmd, what="…", cwd=None, env=None): runs a tool, returns its CompletedProcess
    # (text stdout/stderr); a failure (non-zero exit, not found) → UnikError with its output.
    run: Callable[..., subprocess.CompletedProcess[str]]
    cached_dir: Callable[[str, str, Callable[[Path], None]], Path]   # (kind, key, build) → dir
    verbose: bool = False
    ar: str = "ar"                      # the archiver for guest objects (binutils ar)
    jobs: int = 1                       # how many compiles to run at once ($UNIK_JOBS, or CPUs)
    compiler_id: str = ""               # the guest compiler's identity (path and version)
    # Flags that make Linux's UAPI headers (<linux/…>, <asm/…>) visible after
    # musl's, for a program's own C sources, so `#include <linux/fs.h>` compiles
    # as on Linux; not for runtimes' builds (their configure checks would change).
    uapi_cflags: list[str] = field(default_factory=list)

    @property
    def options(self) -> dict[str, Any]:
        """The project's table for this language in unik.toml ([c], [ocaml], …)."""
        return self.project.lang_options

    def cache_key(self, *parts: str | bytes | os.PathLike[str]) -> str:
        """A cache key over parts (see unik.api.cache_key) and what guest C code is
        compiled with: the compiler's identity and ctx.cflags (which name musl's
        cached build). The key for a runtime compiled with ctx.cc and ctx.cflags."""
        return cache_key(self.compiler_id, *self.cflags, *parts)


def fetch_debian_source(ctx: BuildContext, package: str, *,
                        unpack: bool = True) -> DebianSource:
    """Debian's source package of `package` (a source or binary package name),
    fetched once into unik's cache with a private apt configuration (no deb-src
    lines needed in the system's sources) and unpacked with Debian's patches
    applied. Reports progress through ctx.progress. The tree is shared by every
    build: copy it (or build out of tree) rather than writing into it."""
    from .toolchain import debsrc

    return debsrc.fetch(package, ctx.progress, unpack=unpack)


def unik_include() -> Path:
    """The directory holding unik.h (ctx.unik_include outside a build, e.g. for
    Language.native_build compiling a runtime against unik.h served by Linux)."""
    from .toolchain import flags

    return flags.INCLUDE


def benchmark_projects(folder: Path) -> dict[str, Path]:
    """What Language.benchmarks usually returns: each subfolder of folder that
    holds a unik.toml, by name ({} when folder does not exist)."""
    if not folder.is_dir():
        return {}
    return {p.name: p for p in sorted(folder.iterdir()) if (p / "unik.toml").is_file()}


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

    def fingerprint(self, ctx: BuildContext) -> Fingerprint:
        """What this language's build depends on beyond the project's files and
        the plugin's own files (which unik hashes itself): strings (versions,
        flags, a runtime's cache key) and paths (hashed by content). When any of
        it changes, the image is rebuilt; else `unik build` says "up to date"."""
        return ()

    def benchmarks(self) -> dict[str, Path]:
        """Implementations of `unik compare`'s programs: name → project directory
        (docs/plugins.md, "Benchmarks", says what each must print)."""
        return {}

    def native_build(self, project_dir: Path, out_dir: Path) -> list[str] | None:
        """For `unik compare --native`: build the project in project_dir (one of
        benchmarks()) as an ordinary Linux program into out_dir (empty, the
        plugin's to write) and return the command that runs it; the program's
        parameter is appended to it. None: this language has no native build
        (the default). Raise UnikError with the tool's message when it fails."""
        return None

    def check_toolchain(self) -> None:
        """Raise UnikError naming the install command for the first missing tool."""
        for tool in self.toolchain():
            if not tool.found:
                raise UnikError(f"{tool.name} not found (needed for {self.name}): "
                                f"install it with `{tool.install}`")
