"""How many compiles run at once: $UNIK_JOBS, else the CPUs this process may use."""

from __future__ import annotations

import os

from ..errors import UnikError


def jobs() -> int:
    env = os.environ.get("UNIK_JOBS", "").strip()
    if env:
        if not env.isdigit() or int(env) < 1:
            raise UnikError(f"UNIK_JOBS={env!r}: must be a whole number of at least 1")
        return int(env)
    return max(1, len(os.sched_getaffinity(0)))
