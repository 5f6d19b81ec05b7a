"""Which (language, program) pairs exist: every installed language's
benchmarks(), matched against the specification. Nothing here knows a
language by name: a new plugin's programs are picked up as they come."""

from __future__ import annotations

from pathlib import Path

from ..api import Language
from ..errors import UnikError
from ..plugins import PluginHost, blame
from . import spec
from .results import MISSING, Pair


def benchmarks_of(lang: Language) -> dict[str, Path]:
    """lang.benchmarks(), checked: a plugin that returns nonsense is named."""
    with blame(lang, "listing its benchmarks (benchmarks())"):
        got = lang.benchmarks()
        if not isinstance(got, dict) or not all(
                isinstance(k, str) and isinstance(v, str | Path) for k, v in got.items()):
            raise TypeError("benchmarks() must return a dict of program name -> project "
                            "directory")
    return {k: Path(v) for k, v in got.items()}


def select(host: PluginHost, langs: list[str] | None,
           programs: list[str] | None) -> tuple[list[Pair], list[str]]:
    """The pairs to measure, in report order, and notes for the user (a
    program a plugin offers that the specification does not know, …).
    Unknown --lang / --program names are a UnikError."""
    for name in programs or []:
        if name not in spec.PROGRAMS:
            raise UnikError(f"unknown program '{name}'; the programs are "
                            f"{', '.join(spec.PROGRAMS)} (unik compare --list)")
    for name in langs or []:
        host.language(name)          # one line naming the languages when unknown
    chosen_langs = list(dict.fromkeys(langs or sorted(host.languages)))   # once each, in order
    chosen_progs = list(dict.fromkeys(programs or list(spec.PROGRAMS)))
    notes: list[str] = []
    pairs: list[Pair] = []
    offered: dict[str, dict[str, Path]] = {}
    for name in chosen_langs:
        try:
            offered[name] = benchmarks_of(host.languages[name])
        except UnikError as e:
            notes.append(str(e))
            offered[name] = {}
        for extra in sorted(set(offered[name]) - set(spec.PROGRAMS)):
            notes.append(f"{name}: benchmark '{extra}' is not one of unik compare's "
                         "programs; left out")
    for prog in chosen_progs:
        for name in chosen_langs:
            src = offered[name].get(prog)
            pair = Pair(lang=name, program=prog, source=str(src or ""))
            if src is None:
                pair.unikernel.state = MISSING
                pair.unikernel.reason = "no implementation"
            elif not (src / "unik.toml").is_file():
                pair.unikernel.state = MISSING
                pair.unikernel.reason = f"{src} has no unik.toml"
            pairs.append(pair)
    return pairs, notes
