"""Loading plugins: every language, first-party included, comes through the `unik`
entry-point group.

A broken plugin never breaks unik: whatever goes wrong while loading it
(import, hook validation, registering its languages) marks that plugin failed,
with a one-line reason that names it, and the others keep working. `unik plugins`
lists failed plugins and `unik doctor` exits non-zero for them. Exceptions
from a plugin's own code later on (detection, build) are blamed on it too
(see `blame`).

UNIK_PLUGINS=name,name  load only these entry points (e.g. "c" or "c,ocaml").
UNIK_PLUGINS_TRACE=1    print each hook call and result to stderr.
"""

from __future__ import annotations

import contextlib
import difflib
import inspect
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pluggy

from . import hookspecs
from .api import Language
from .errors import UnikError

GROUP = "unik"
# The distribution whose entry points are unik's own (first-party) plugins.
CORE_DIST = "unik"
# Table names of unik.toml that a language may not take.
_RESERVED = {"project", "run"}
_LANG_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
HOOKS: dict[str, tuple[str, ...]] = {
    name: tuple(inspect.signature(getattr(hookspecs, name)).parameters)
    for name in dir(hookspecs) if name.startswith("unik_")
}


class PluginFailed(UnikError):
    """An exception raised by a plugin's own code, reported as that plugin's failure.

    The message is one line naming the plugin; the original exception is the
    __cause__ (the CLI prints its traceback under -v).
    """

    def __init__(self, plugin: str, message: str):
        super().__init__(message)
        self.plugin = plugin


@dataclass
class Plugin:
    """One entry point of the `unik` group, loaded or failed."""

    name: str            # how messages name it: its distribution (unik-lua), or for
                         # unik's own plugins the entry point (c, ocaml)
    module: str          # the entry point's value ("unik_lua")
    version: str
    hooks: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    entry_point: str = ""
    error: str | None = None    # why it was skipped; None when it loaded

    @property
    def ok(self) -> bool:
        return self.error is None


LoadedPlugin = Plugin   # the name before failed plugins were kept


# Which plugin registered each Language object, for blame() (kept with the
# object, so an id is never reused while it is in here).
_OWNERS: dict[int, tuple[Language, Plugin]] = {}


def owner(lang: Language) -> str:
    """The name of the plugin that registered lang (its module if none did)."""
    entry = _OWNERS.get(id(lang))
    if entry is not None and entry[0] is lang:
        return entry[1].name
    return type(lang).__module__.split(".")[0]


def describe(e: BaseException) -> str:
    """`KeyError: 'x'`: an exception as one line."""
    text = " ".join(str(e).split())
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


@contextlib.contextmanager
def blame(who: str | Language, doing: str) -> Iterator[None]:
    """Turn an exception from plugin code into a PluginFailed naming the plugin.

    A UnikError is the plugin's own message to the user and passes unchanged.
    """
    name = who if isinstance(who, str) else owner(who)
    try:
        yield
    except UnikError:
        raise
    except (Exception, SystemExit) as e:   # a plugin's sys.exit() must not end unik silently
        raise PluginFailed(name, f"plugin {name} failed while {doing}: {describe(e)}") from e


class PluginHost:
    """The plugin manager, the plugins found, and the languages they registered."""

    def __init__(self, pm: pluggy.PluginManager):
        self.pm = pm
        self.languages: dict[str, Language] = {}
        self.plugins: list[Plugin] = []
        self.warn = _warn

    @property
    def loaded(self) -> list[Plugin]:
        return [p for p in self.plugins if p.ok]

    @property
    def failed(self) -> list[Plugin]:
        return [p for p in self.plugins if not p.ok]

    def language(self, name: str) -> Language:
        try:
            return self.languages[name]
        except KeyError:
            known = ", ".join(sorted(self.languages)) or "none"
            broken = [p.name for p in self.failed]
            also = f"; failed plugins: {', '.join(broken)}" if broken else ""
            raise UnikError(f"unknown language '{name}' (installed: {known}{also}); "
                            "see `unik plugins`") from None

    def plugin_of(self, lang: str) -> Plugin | None:
        return next((p for p in self.loaded if lang in p.languages), None)

    def detect_language(self, project_dir: Path) -> str | None:
        """The one language the plugins recognise in project_dir, or None.

        Each plugin's unik_detect_language is asked (one that raises is named and
        ignored); when none answers, the languages' `extensions` decide.
        """
        names: set[str] = set()
        for plugin in self.loaded:
            try:
                with blame(plugin.name, "detecting the project's language"):
                    answers = self._call(plugin, "unik_detect_language",
                                         project_dir=project_dir)
            except PluginFailed as e:
                self.warn(str(e))
                continue
            for answer in answers:
                if answer is not None and not isinstance(answer, str):
                    self.warn(f"plugin {plugin.name}: unik_detect_language returned "
                              f"{answer!r}, not a language name; ignored")
                elif answer:
                    names.add(answer)
        if not names:
            names = self._by_extension(project_dir)
        if len(names) > 1:
            raise UnikError(f"{project_dir}: could be {' or '.join(sorted(names))}; set "
                            "[project] lang in unik.toml or pass --lang")
        return names.pop() if names else None

    def _by_extension(self, project_dir: Path) -> set[str]:
        suffixes = {p.suffix for p in project_dir.iterdir() if p.is_file()} \
            if project_dir.is_dir() else set()
        return {n for n, lang in self.languages.items()
                if suffixes & set(lang.extensions)}

    # --- loading -----------------------------------------------------------------

    def add(self, obj: object, plugin: Plugin) -> None:
        """Validate and register one plugin object (a module or an instance)."""
        self.plugins.append(plugin)
        problem = _check_hooks(obj)
        if problem is None:
            try:
                self.pm.register(obj, name=plugin.entry_point or plugin.name)
            except pluggy.PluginValidationError as e:
                problem = str(e).strip().splitlines()[-1]
            except ValueError as e:    # the same object or name registered twice
                problem = str(e)
        if problem is not None:
            self._fail(plugin, obj, problem)
            return
        plugin.hooks = sorted(h.name for h in self.pm.get_hookcallers(obj) or [])

    def register_languages(self) -> None:
        """Ask each plugin for its languages; a plugin whose registration goes
        wrong in any way is skipped whole."""
        for plugin in self.loaded:
            staged: list[Language] = []
            problem: str | None = None
            try:
                self._call(plugin, "unik_register_languages", register=staged.append)
                for lang in staged:
                    _check_language(lang)
            except _Invalid as e:
                problem = str(e)
            except (Exception, SystemExit) as e:
                problem = f"unik_register_languages raised {describe(e)}"
            names = [lang.name for lang in staged] if problem is None else []
            for lang in staged if problem is None else []:
                other = self.plugin_of(lang.name)
                if other is not None:
                    problem = (f"registers the language '{lang.name}', which plugin "
                               f"{other.name} ({other.module}) registers already")
                elif names.count(lang.name) > 1:
                    problem = f"registers the language '{lang.name}' twice"
                if problem:
                    break
            if problem is not None:
                self._fail(plugin, self.pm.get_plugin(self._key(plugin)), problem)
                continue
            for lang in staged:
                self.languages[lang.name] = lang
                _OWNERS[id(lang)] = (lang, plugin)
            plugin.languages = names

    def _fail(self, plugin: Plugin, obj: object, problem: str) -> None:
        plugin.error = problem
        plugin.hooks = []
        if obj is not None and self.pm.is_registered(obj):
            self.pm.unregister(obj)
        self.warn(f"plugin {plugin.name} skipped: {problem}")

    @staticmethod
    def _key(plugin: Plugin) -> str:
        return plugin.entry_point or plugin.name

    def _call(self, plugin: Plugin, hook: str, **kwargs: Any) -> list[Any]:
        """Call one plugin's implementation of a hook (traced like any hook call)."""
        mine = self.pm.get_plugin(self._key(plugin))
        if mine is None:
            return []
        others = [p for p in self.pm.get_plugins() if p is not mine]
        return self.pm.subset_hook_caller(hook, others)(**kwargs)


class _Invalid(Exception):
    """A plugin's definitions break the rules; the message is the reason."""


def _check_hooks(obj: object) -> str | None:
    """Misspelled hooks, unmarked hooks and unknown hook arguments, as one line."""
    for attr in sorted(dir(obj)):
        if not attr.startswith("unik_"):
            continue
        func = getattr(obj, attr, None)
        if not callable(func):
            continue
        if attr not in HOOKS:
            close = difflib.get_close_matches(attr, list(HOOKS), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            return f"{attr} is not a unik hook{hint}; the hooks are {', '.join(HOOKS)}"
        if not hasattr(func, "unik_impl"):
            return f"{attr} is not marked with @unik.api.hookimpl, so unik would never call it"
        try:
            params = inspect.signature(func).parameters.values()
        except (TypeError, ValueError):
            continue
        # Like pluggy: parameters with a default are never passed, so any name will do.
        args = [p.name for p in params if p.default is p.empty
                and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        unknown = [a for a in args if a not in HOOKS[attr]]
        if unknown:
            return (f"{attr}({', '.join(args)}) takes {', '.join(map(repr, unknown))}, which "
                    f"the hook does not pass; it passes {', '.join(HOOKS[attr])}")
    return None


def _check_language(lang: object) -> None:
    if not isinstance(lang, Language):
        raise _Invalid(f"registered {lang!r}, which is not a unik.api.Language")
    name = lang.name
    if not isinstance(name, str) or not _LANG_NAME_RE.match(name):
        raise _Invalid(f"registered a {type(lang).__name__} named {name!r}: a language name "
                       "is lower-case letters, digits, '-' or '_'")
    if name in _RESERVED:
        raise _Invalid(f"registered the language '{name}', a name unik.toml uses itself")
    exts = lang.extensions
    if isinstance(exts, str) or not all(isinstance(x, str) and x.startswith(".")
                                        for x in exts):
        raise _Invalid(f"language '{name}': extensions must be a tuple like ('.c', '.h'), "
                       f"not {exts!r}")
    if not isinstance(lang.description, str):
        raise _Invalid(f"language '{name}': description must be a string")
    opts = lang.options
    if not isinstance(opts, dict) or not all(
            isinstance(k, str) and (isinstance(v, type) or (
                isinstance(v, tuple) and all(isinstance(t, type) for t in v)))
            for k, v in opts.items()):
        raise _Invalid(f"language '{name}': options must map key names to types, "
                       f"like {{'flags': list}}, not {opts!r}")


def _warn(message: str) -> None:
    print(f"unik: {message}", file=sys.stderr)


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


def finish(pm: pluggy.PluginManager, loaded: list[Plugin]) -> PluginHost:
    """A host over plugins already registered with pm (tests register objects
    directly): check their hooks and collect their languages."""
    host = PluginHost(pm)
    for name, obj in pm.list_name_plugin():
        info = next((p for p in loaded if PluginHost._key(p) == name), None) \
            or Plugin(name=name, module=getattr(obj, "__name__", type(obj).__module__),
                      version="?", entry_point=name)
        pm.unregister(obj)
        host.add(obj, info)
    host.register_languages()
    return host


def _ordered(eps: list[metadata.EntryPoint]) -> list[metadata.EntryPoint]:
    """unik's own plugins first, so a third-party plugin cannot take their languages."""
    def dist_name(ep: metadata.EntryPoint) -> str:
        dist = getattr(ep, "dist", None)
        return dist.name if dist is not None else ""
    return sorted(eps, key=lambda ep: (dist_name(ep) != CORE_DIST, ep.name, dist_name(ep)))


def _describe_entry_point(ep: metadata.EntryPoint, siblings: int) -> Plugin:
    dist = getattr(ep, "dist", None)
    dist_name = dist.name if dist is not None else ""
    if not dist_name or dist_name == CORE_DIST:
        name = ep.name
    else:
        name = dist_name if siblings == 1 else f"{dist_name}:{ep.name}"
    version = dist.version if dist is not None else "?"
    return Plugin(name=name, module=ep.value, version=version, entry_point=ep.name)


def load(*, warn: bool = True) -> PluginHost:
    """Load every plugin of the entry-point group (or those UNIK_PLUGINS names).

    warn: print one line to stderr for each plugin that is skipped.
    """
    host = PluginHost(new_manager())
    if not warn:
        host.warn = lambda _msg: None
    wanted = _selected()
    eps = list(metadata.entry_points(group=GROUP))
    per_dist: dict[str, int] = {}
    for ep in eps:
        d = getattr(ep, "dist", None)
        per_dist[d.name if d else ""] = per_dist.get(d.name if d else "", 0) + 1
    seen: dict[str, Plugin] = {}
    for ep in _ordered(eps):
        if wanted is not None and ep.name not in wanted:
            continue
        d = getattr(ep, "dist", None)
        info = _describe_entry_point(ep, per_dist.get(d.name if d else "", 1))
        first = seen.get(ep.name)
        if first is not None:
            host.plugins.append(info)
            info.error = (f"its entry point '{ep.name}' is plugin {first.name}'s "
                          f"({first.module}) already")
            host.warn(f"plugin {info.name} skipped: {info.error}")
            continue
        seen[ep.name] = info
        try:
            module = ep.load()
        except (Exception, SystemExit) as e:  # a broken plugin must not break unik
            host.plugins.append(info)
            info.error = f"failed to load: {describe(e)}"
            host.warn(f"plugin {info.name} skipped: {info.error}")
            continue
        host.add(module, info)
    for name in sorted((wanted or set()) - set(seen)):
        # Always said, even where failures are listed instead: it is no plugin's failure.
        _warn(f"UNIK_PLUGINS names '{name}', which no installed plugin provides")
    host.register_languages()
    return host
