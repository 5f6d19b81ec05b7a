"""Loading plugins: every language, first-party included, comes through the `unik`
entry-point group.

UNIK_PLUGINS=name,name  load only these entry points (e.g. "c" or "c,ocaml").
UNIK_PLUGINS_TRACE=1    print each hook call and result to stderr.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from importlib import metadata

import pluggy

from . import hookspecs
from .api import Language
from .errors import UnikError

GROUP = "unik"


@dataclass
class LoadedPlugin:
    name: str           # entry-point name
    module: str
    version: str
    hooks: list[str]


class PluginHost:
    """The plugin manager and the languages the plugins registered."""

    def __init__(self, pm: pluggy.PluginManager):
        self.pm = pm
        self.languages: dict[str, Language] = {}
        self.loaded: list[LoadedPlugin] = []

    def language(self, name: str) -> Language:
        try:
            return self.languages[name]
        except KeyError:
            known = ", ".join(sorted(self.languages)) or "none"
            raise UnikError(f"unknown language '{name}' (installed: {known}); "
                            "see `unik plugins`") from None

    def detect_language(self, project_dir) -> str | None:
        """The one language the plugins recognise in project_dir, or None."""
        names = sorted(set(filter(None, self.pm.hook.unik_detect_language(
            project_dir=project_dir))))
        if len(names) > 1:
            raise UnikError(f"{project_dir}: could be {' or '.join(names)}; set [project] "
                            "lang in unik.toml or pass --lang")
        return names[0] if names else None

    def _register(self, lang: Language) -> None:
        if not isinstance(lang, Language) or not lang.name:
            raise UnikError(f"a plugin registered {lang!r}, which is not a named "
                            "unik.api.Language")
        if lang.name in self.languages:
            raise UnikError(f"two plugins register the language '{lang.name}'")
        self.languages[lang.name] = lang


def _selected() -> set[str] | None:
    env = os.environ.get("UNIK_PLUGINS")
    if env is None:
        return None
    return {n.strip() for n in env.split(",") if n.strip()}


def new_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    if os.environ.get("UNIK_PLUGINS_TRACE"):
        pm.trace.root.setwriter(lambda msg: sys.stderr.write(f"unik-plugins: {msg}"))
        pm.enable_tracing()
    return pm


def finish(pm: pluggy.PluginManager, loaded: list[LoadedPlugin]) -> PluginHost:
    """Check hook implementations and collect languages."""
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as e:
        raise UnikError(f"plugin error: {e}") from None
    host = PluginHost(pm)
    host.loaded = loaded
    pm.hook.unik_register_languages(register=host._register)
    return host


def load() -> PluginHost:
    """Load every plugin of the entry-point group (or those UNIK_PLUGINS names)."""
    pm = new_manager()
    wanted = _selected()
    loaded: list[LoadedPlugin] = []
    for ep in sorted(metadata.entry_points(group=GROUP), key=lambda e: e.name):
        if wanted is not None and ep.name not in wanted:
            continue
        if pm.get_plugin(ep.name) is not None:
            continue
        try:
            module = ep.load()
        except Exception as e:  # a broken third-party plugin must not break unik
            print(f"unik: plugin '{ep.name}' failed to load: {e}", file=sys.stderr)
            continue
        pm.register(module, name=ep.name)
        dist = getattr(ep, "dist", None)
        version = dist.version if dist is not None else "?"
        hooks = sorted(h.name for h in pm.get_hookcallers(module) or [])
        loaded.append(LoadedPlugin(ep.name, ep.value, version, hooks))
    return finish(pm, loaded)
