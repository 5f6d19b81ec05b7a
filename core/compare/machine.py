"""The machine a comparison ran on and every toolchain's version, for compare.json."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

from .. import __version__
from ..api import Tool
from ..errors import UnikError
from ..plugins import PluginHost, blame


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def info() -> dict[str, Any]:
    mem_kib = _first("/proc/meminfo", "MemTotal").split()[:1]
    kvm = os.access("/dev/kvm", os.R_OK | os.W_OK)
    return {
        "cpu": _first("/proc/cpuinfo", "model name") or platform.processor(),
        "cpus": os.cpu_count(),
        "memory_mib": int(mem_kib[0]) // 1024 if mem_kib else None,
        "kernel": platform.release(),
        "os": _pretty_os(),
        "kvm": ("PVM (nested, pagetable-based)" if Path("/sys/module/kvm_pvm").exists()
                else "usable") if kvm else "absent",
        "python": platform.python_version(),
        "unik": __version__,
    }


def _pretty_os() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.platform()


def toolchains(host: PluginHost, langs: list[str]) -> dict[str, Any]:
    """language → its tools (name, version, path) from Language.toolchain(), and
    the plugin that provides it with its version."""
    out: dict[str, Any] = {}
    for name in langs:
        lang = host.languages[name]
        plugin = host.plugin_of(name)
        entry: dict[str, Any] = {"plugin": plugin.name if plugin else "",
                                 "plugin_version": plugin.version if plugin else ""}
        try:
            with blame(lang, "listing its toolchain"):
                tools = list(lang.toolchain())
            entry["tools"] = [{"name": t.name, "version": t.version, "path": t.path}
                              for t in tools if isinstance(t, Tool)]
        except UnikError as e:
            entry["error"] = str(e)
        out[name] = entry
    return out
