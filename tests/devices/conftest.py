"""Fixtures for the device tests (helpers in devboot.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devboot import Images  # noqa: E402


@pytest.fixture(scope="session")
def images(tmp_path_factory) -> Images:
    return Images(tmp_path_factory.mktemp("device-guests"))
