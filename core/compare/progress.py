"""A progress bar on stderr: redrawn in place on a terminal, one line per
step elsewhere (a log keeps every step)."""

from __future__ import annotations

import shutil
import sys
from typing import TextIO


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.label = ""

    def grow(self, more: int) -> None:
        self.total += more

    def start(self, label: str) -> None:
        """Say what runs now (it counts when finished with step())."""
        self.label = label
        if self.tty:
            self._draw()
        else:
            print(f"unik: [{self.done + 1}/{self.total}] {label}", file=self.stream, flush=True)

    def step(self) -> None:
        self.done = min(self.done + 1, self.total)
        if self.tty:
            self._draw()

    def note(self, msg: str) -> None:
        """A line above the bar (a failure, a long one-time build)."""
        if self.tty:
            self._clear()
        print(f"unik: {msg}", file=self.stream, flush=True)
        if self.tty:
            self._draw()

    def close(self) -> None:
        if self.tty:
            self._clear()

    def _clear(self) -> None:
        self.stream.write("\r\x1b[2K")
        self.stream.flush()

    def _draw(self) -> None:
        width = shutil.get_terminal_size((80, 20)).columns
        bar_w = 24
        filled = bar_w * self.done // max(self.total, 1)
        head = f"[{'#' * filled}{'.' * (bar_w - filled)}] {self.done}/{self.total} "
        label = self.label[:max(0, width - len(head) - 1)]
        self.stream.write("\r\x1b[2K" + head + label)
        self.stream.flush()
