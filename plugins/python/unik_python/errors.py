"""The one error a Python program can get from the compiler: file:line:col: message."""

from __future__ import annotations

import ast
from pathlib import Path


class CompileError(Exception):
    """A construct outside the subset (or a type error), at a place in the source."""

    def __init__(self, node: ast.AST | None, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = getattr(node, "lineno", 0) if node is not None else 0
        self.col = (getattr(node, "col_offset", 0) + 1) if node is not None else 0
        # another module of the program (project.py): its path from main.py's directory
        self.file: str | None = getattr(node, "unik_file", None)

    def render(self, path: str) -> str:
        if self.file is not None:
            parent = str(Path(path).parent)
            path = self.file if parent == "." else f"{parent}/{self.file}"
        return f"{path}:{self.line}:{self.col}: {self.message}"
