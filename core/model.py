"""unik.toml, read into a typed model; every mistake is a one-line UnikError."""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UnikError

CONFIG_NAME = "unik.toml"
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
_ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Key → type of each known table; a language's own table is checked against its options.
_SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "project": {"name": str, "lang": str, "sources": list, "version": str},
    "run": {"memory": int, "cmdline": str, "timeout": (int, float), "disk": (str, list),
            "disk-size": (str, int), "ports": list, "net": (str, list), "env": dict},
}


@dataclass
class Project:
    name: str
    lang: str | None
    sources: list[str] | None           # None: every file with the language's extensions
    memory_mib: int | None = None
    cmdline: str = ""
    timeout: float | None = None
    disks: list[str] = field(default_factory=list)      # [run] disk (relative to the project)
    disk_size: str | None = None
    ports: list[str] = field(default_factory=list)      # [run] ports: "HOST:GUEST[/udp]"
    nets: list[str] = field(default_factory=list)       # [run] net: "user", "tap:NAME"
    env: dict[str, str] = field(default_factory=dict)   # [run] env: the guest's environment
    lang_options: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None             # the unik.toml it came from

    @property
    def dir(self) -> Path:
        assert self.path is not None
        return self.path.parent


def _suggest(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _type_name(t: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", list: "a list",
             bool: "true or false", dict: "a table"}
    if isinstance(t, tuple):
        return " or ".join(names.get(x, x.__name__) for x in t)
    return names.get(t, t.__name__)


def check_table(where: str, table: dict[str, Any],
                schema: dict[str, type | tuple[type, ...]]) -> None:
    """Unknown keys and wrong types are errors naming the key and file."""
    for key, value in table.items():
        if key not in schema:
            raise UnikError(f"{where}: unknown key '{key}'{_suggest(key, list(schema))}")
        want = schema[key]
        ok = isinstance(value, want) and not (isinstance(value, bool) and want is not bool)
        if not ok:
            raise UnikError(f"{where}: '{key}' must be {_type_name(want)}, "
                            f"not {type(value).__name__}")


def _str_list(path: Path, run: dict[str, Any], key: str) -> list[str]:
    value = run.get(key, [])
    value = [value] if isinstance(value, str) else value
    if not all(isinstance(v, str) for v in value):
        raise UnikError(f"{path} [run]: '{key}' must be a string or a list of strings")
    return list(value)


def _env(path: Path, run: dict[str, Any]) -> dict[str, str]:
    env = run.get("env", {})
    for key, value in env.items():
        if not _ENV_NAME_RE.match(key):
            raise UnikError(f"{path} [run] env: '{key}' is not a variable name (letters, "
                            "digits and '_', not starting with a digit)")
        if not isinstance(value, str):
            raise UnikError(f"{path} [run] env: '{key}' must be a string, not "
                            f"{type(value).__name__} (quote it: {key} = \"…\")")
    return dict(env)


def load(path: Path, lang_schemas: dict[str, dict[str, type]] | None = None) -> Project:
    """Read and check unik.toml. lang_schemas: language name → its options."""
    lang_schemas = lang_schemas or {}
    try:
        raw = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise UnikError(f"{path}: not found (create a project with `unik new NAME`)") from None
    except tomllib.TOMLDecodeError as e:
        raise UnikError(f"{path}: {e}") from None
    except RecursionError:
        raise UnikError(f"{path}: arrays or tables nested too deeply") from None
    except (OSError, UnicodeDecodeError) as e:
        raise UnikError(f"{path}: cannot read: {e}") from None
    known = [*_SCHEMA, *lang_schemas]
    for key, value in raw.items():
        if key not in known:
            raise UnikError(f"{path}: unknown table '{key}'{_suggest(key, known)}")
        if not isinstance(value, dict):
            raise UnikError(f"{path}: '{key}' must be a table ([{key}])")
    proj = raw.get("project", {})
    check_table(f"{path} [project]", proj, _SCHEMA["project"])
    run = raw.get("run", {})
    check_table(f"{path} [run]", run, _SCHEMA["run"])
    name = proj.get("name", path.parent.resolve().name)
    if not _NAME_RE.match(name):
        raise UnikError(f"{path}: project name '{name}' must be letters, digits, '-' or '_'")
    sources = proj.get("sources")
    if sources is not None and not all(isinstance(s, str) for s in sources):
        raise UnikError(f"{path} [project]: 'sources' must be a list of file names")
    memory = run.get("memory")
    if memory is not None and not 2 <= memory <= 65536:
        raise UnikError(f"{path} [run]: 'memory' is in MiB and must be 2..65536")
    timeout = run.get("timeout")
    if timeout is not None and not (math.isfinite(timeout) and timeout > 0):
        raise UnikError(f"{path} [run]: 'timeout' is in seconds and must be a positive "
                        f"number (got {timeout})")
    disks = _str_list(path, run, "disk")
    ports = _str_list(path, run, "ports")
    nets = _str_list(path, run, "net")
    disk_size = run.get("disk-size")
    lang = proj.get("lang")
    if lang is not None and lang_schemas and lang not in lang_schemas:
        raise UnikError(f"{path} [project]: unknown language '{lang}'"
                        f"{_suggest(lang, list(lang_schemas))}; see `unik plugins`")
    for lname, schema in lang_schemas.items():
        if lname in raw:
            check_table(f"{path} [{lname}]", raw[lname], schema)
    return Project(name=name, lang=lang, sources=sources, memory_mib=memory,
                   cmdline=run.get("cmdline", ""), timeout=run.get("timeout"),
                   disks=disks, disk_size=None if disk_size is None else str(disk_size),
                   ports=ports, nets=nets, env=_env(path, run),
                   lang_options=dict(raw.get(lang, {})) if lang else {}, raw=raw, path=path)


def implicit(directory: Path, lang: str) -> Project:
    """The project of a directory without unik.toml: every default, named after
    the directory (made a valid name)."""
    name = re.sub(r"[^A-Za-z0-9_-]", "_", directory.name)[:64]
    if not _NAME_RE.match(name):
        name = "app"
    return Project(name=name, lang=lang, sources=None, path=directory / CONFIG_NAME)


def find(start: Path) -> Path | None:
    """The unik.toml in start or the nearest parent."""
    for d in [start, *start.parents]:
        if (d / CONFIG_NAME).is_file():
            return d / CONFIG_NAME
    return None


def render(name: str, lang: str) -> str:
    """The unik.toml of a new project."""
    return (f'[project]\nname = "{name}"\nlang = "{lang}"\n\n'
            "[run]\n# memory = 1024    # MiB of guest RAM (the default); touched pages only cost\n"
            '# cmdline = ""\n'
            '# env = { GREETING = "hello" }    # the guest\'s environment (unik run -e wins)\n')
