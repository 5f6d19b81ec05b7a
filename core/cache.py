"""Where built-once artefacts live (musl, the guest core, language runtimes)."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


def cache_root() -> Path:
    """$UNIK_CACHE, else ~/.cache/unik."""
    env = os.environ.get("UNIK_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "unik"


def key_of(parts: Iterable[bytes | str]) -> str:
    """A short stable hash of the inputs of a build."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()[:16]


def _tree(root: Path) -> list[Path]:
    """Files under root, sorted; caches (__pycache__) and hidden files left out."""
    return sorted(p for p in root.rglob("*") if p.is_file() and not any(
        part.startswith(".") or part == "__pycache__" for part in p.relative_to(root).parts))


def cache_key(*parts: str | bytes | os.PathLike[str]) -> str:
    """A short stable key (16 hex digits) over strings, bytes and files.

    A string or bytes counts as itself. A path counts by its content: a file by
    its name and bytes, a directory by every file under it (relative path and
    bytes; __pycache__ and hidden files left out). Where the inputs live does
    not count, so the same runtime sources give the same key in any install.
    A path that does not exist is an error (FileNotFoundError).
    """
    flat: list[bytes | str] = []
    for part in parts:
        if isinstance(part, (str, bytes)):
            flat += ["s", part]
            continue
        path = Path(part)
        if path.is_dir():
            flat += ["d", path.name]
            for f in _tree(path):
                flat += [f.relative_to(path).as_posix(), f.read_bytes()]
        else:
            flat += ["f", path.name, path.read_bytes()]
    return key_of(flat)


def files_key(paths: Iterable[Path], *extra: str) -> str:
    """A key over file names and contents plus extra strings (flags, versions)."""
    parts: list[bytes | str] = list(extra)
    for p in sorted(paths):
        parts.append(str(p.name))
        parts.append(p.read_bytes())
    return key_of(parts)


def cached_dir(kind: str, key: str, build: Callable[[Path], None]) -> Path:
    """Return cache_root()/kind/key, building it with build(tmpdir) if absent.

    The build happens in a temporary directory that is renamed into place, so
    an interrupted build never leaves a half-built entry behind.
    """
    final = cache_root() / kind / key
    if final.is_dir():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=final.parent))
    try:
        build(tmp)
        try:
            tmp.rename(final)
        except OSError:
            if not final.is_dir():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return final
