"""The one error a Python program can get from the compiler: file:line:col: message."""

from __future__ import annotations

import ast


class CompileError(Exception):
    """A construct outside the subset (or a type error), at a place in the source."""

    def __init__(self, node: ast.AST | None, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = getattr(node, "lineno", 0) if node is not None else 0
        self.col = (getattr(node, "col_offset", 0) + 1) if node is not None else 0

    def render(self, path: str) -> str:
        return f"{path}:{self.line}:{self.col}: {self.message}"
