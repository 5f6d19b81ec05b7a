"""`unik plugin new NAME`: a complete third-party language plugin to start from.

The files under template/ are written with these words replaced: @name@ (the
language, "toy"), @Name@ (its class, "Toy"), @package@ ("unik_toy"), @dist@
("unik-toy"). A path part named unik_NAME becomes the package, NAME the
language; the ".tmpl" suffix (which keeps the template's Python files out of
linters and test runs) is dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import UnikError

TEMPLATE = Path(__file__).resolve().parent / "template"
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_RESERVED = {"project", "run", "c", "unik"}


def words(name: str) -> dict[str, str]:
    return {"@name@": name, "@Name@": "".join(w.capitalize() for w in name.split("_")),
            "@package@": f"unik_{name}", "@dist@": f"unik-{name.replace('_', '-')}"}


def render(name: str) -> dict[str, str]:
    """Relative path → text of every file of the plugin unik-NAME."""
    if not _NAME_RE.match(name):
        raise UnikError(f"plugin name '{name}': lower-case letters, digits and '_', starting "
                        "with a letter (it names the language and the package unik_NAME)")
    if name in _RESERVED:
        raise UnikError(f"plugin name '{name}' is taken by unik itself; choose another")
    subst = words(name)
    out: dict[str, str] = {}
    for src in sorted(TEMPLATE.rglob("*")):
        if not src.is_file() or "__pycache__" in src.parts:
            continue
        rel = src.relative_to(TEMPLATE).as_posix()
        rel = rel.removesuffix(".tmpl").replace("unik_NAME", subst["@package@"]) \
            .replace("NAME", name)
        text = src.read_text()
        for word, value in subst.items():
            text = text.replace(word, value)
        out[rel] = text
    return out


def create(name: str, cwd: Path, directory: str | None = None) -> Path:
    """Write the plugin into directory (default ./unik-NAME); it must not exist."""
    files = render(name)
    target = (cwd / directory) if directory else cwd / words(name)["@dist@"]
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UnikError(f"{target} already exists")
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return target
