"""The hooks a unik plugin may implement. Every hook is documented in docs/plugins.md."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from collections.abc import Callable

    from .api import Language

hookspec = pluggy.HookspecMarker("unik")


@hookspec
def unik_register_languages(register: Callable[[Language], None]) -> None:
    """Register the languages this plugin builds, each as a unik.api.Language."""


@hookspec
def unik_detect_language(project_dir: Path) -> str | None:
    """Name the language of the project in project_dir, or None if it is not yours."""
