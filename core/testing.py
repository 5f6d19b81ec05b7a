"""Testing unik plugins and guests in a few lines (docs/plugins.md, "Testing a plugin").

    from unik.testing import Guest

    def test_hello(tmp_path):
        g = Guest.create(tmp_path, "c", {"main.c": 'int main(){puts("hi");}'})
        r = g.boot(host="qemu")
        assert r.status == 0 and "hi" in r.output

Or enable the pytest plugin in the tests' top conftest.py (not in a test module:
there pytest warns that it cannot rewrite this module's asserts when the module
also imports from unik.testing):

    # conftest.py
    pytest_plugins = ["unik.testing"]

and take the `unik_guest` fixture: unik_guest(lang, files, name="t", toml="").
"""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import model
from .plugins import PluginHost, load

_host: PluginHost | None = None


def plugin_host() -> PluginHost:
    """The loaded plugins (once per process)."""
    global _host
    if _host is None:
        _host = load()
    return _host


def host_with(*plugins: object) -> PluginHost:
    """A plugin host over these plugin objects only (modules, or objects with
    @hookimpl hooks), checked and registered as `load()` does entry points: for
    testing what unik does with a plugin (e.g. `unik.compare.session.compare`)
    before it is installed. A plugin that fails is in `.failed` with its reason."""
    from .plugins import Plugin, new_manager

    host = PluginHost(new_manager())
    host.warn = lambda _msg: None
    for i, obj in enumerate(plugins):
        name = getattr(obj, "__name__", type(obj).__name__)
        host.add(obj, Plugin(name=name, module=name, version="test", entry_point=f"test{i}"))
    host.register_languages()
    return host


def check_benchmarks(*plugins: object, work_dir: Path, programs: list[str] | None = None,
                     native: bool = False, timeout: float = 300) -> dict[str, str]:
    """Run the plugins' `unik compare` programs once each (docs/plugins.md,
    "Benchmarks"): "lang/program" (and "lang/program (native)" with native=True)
    → "ok", or "STATE: reason" ("wrong output: line 1: expected …"). Programs a
    plugin does not offer, or has no native build for, are left out. With no
    plugins given, the installed ones are used.

        assert set(check_benchmarks(unik_toy, work_dir=tmp_path).values()) == {"ok"}
    """
    from .compare.session import Options, compare

    host = host_with(*plugins) if plugins else plugin_host()
    c = compare(host, Options(programs=programs, repeat=1, native=native, timeout=timeout,
                              work_dir=Path(work_dir)))
    out: dict[str, str] = {}
    for p in c.pairs:
        for suffix, side in (("", p.unikernel), (" (native)", p.native)):
            if side is None or side.state == "missing":
                continue
            out[f"{p.lang}/{p.program}{suffix}"] = (
                "ok" if side.state == "ok" else f"{side.state}: {side.reason}")
    return out


@dataclass
class Result:
    """A boot's exit status and what it printed: `stdout` and `stderr` as the
    host received them (stderr holds the guest's fd 2, the core's and the
    host's own lines); `output` is stdout followed by stderr."""

    status: int
    output: str
    stdout: str = ""
    stderr: str = ""


@dataclass
class Guest:
    """A project directory, built and booted on demand."""

    dir: Path

    @classmethod
    def create(cls, parent: Path, lang: str, files: dict[str, str], *, name: str = "t",
               toml: str = "") -> Guest:
        d = parent / name
        d.mkdir(parents=True, exist_ok=True)
        (d / model.CONFIG_NAME).write_text(
            f'[project]\nname = "{name}"\nlang = "{lang}"\n{toml}')
        for rel, text in files.items():
            (d / rel).parent.mkdir(parents=True, exist_ok=True)
            (d / rel).write_text(text)
        return cls(d)

    @classmethod
    def copy_of(cls, src: Path, parent: Path) -> Guest:
        d = parent / src.name
        shutil.copytree(src, d, ignore=shutil.ignore_patterns("_build"))
        return cls(d)

    def project(self) -> model.Project:
        host = plugin_host()
        proj = model.load(self.dir / model.CONFIG_NAME,
                          {n: lang.options for n, lang in host.languages.items()})
        return proj

    def build(self):
        from .image import link

        proj = self.project()
        lang = plugin_host().language(proj.lang or "")
        return link.build(proj, lang, progress=lambda _m: None)

    def boot(self, *, host: str = "runner", cpu: str = "auto", cmdline: str = "",
             timeout: float = 120, memory_mib: int | None = None,
             stdin: bytes | None = None) -> Result:
        built = self.build()
        return boot_image(built.image, host=host, cpu=cpu, cmdline=cmdline, timeout=timeout,
                          memory_mib=memory_mib, stdin=stdin)


def boot_image(image: Path, *, host: str = "runner", cpu: str = "auto", cmdline: str = "",
               timeout: float = 120, memory_mib: int | None = None,
               stdin: bytes | None = None) -> Result:
    """Boot an image on a host and collect what it printed and its exit status.
    stdin: what the guest's stdin brings through a pipe, then end of file
    (None: end of file at once)."""
    out, err = io.BytesIO(), io.BytesIO()
    fd = None if stdin is None else _pipe_from(stdin)
    try:
        if host == "qemu":
            from .hosts import qemu

            status = qemu.run(image, memory_mib=memory_mib or 64, cmdline=cmdline,
                              timeout=timeout, out=out, err=err, stdin=fd)
        else:
            from . import runner

            status = runner.run(image, memory_mib=memory_mib, cmdline=cmdline,
                                timeout=timeout, cpu=cpu, out=out, err=err, stdin=fd)
    finally:
        if fd is not None:
            os.close(fd)                # a writer still blocked on it gets EPIPE and ends
    stdout = out.getvalue().decode(errors="replace")
    stderr = err.getvalue().decode(errors="replace")
    return Result(status, stdout + stderr, stdout, stderr)


def _pipe_from(data: bytes) -> int:
    """The read end of a pipe a thread fills with data, then closes."""
    import threading

    r, w = os.pipe()

    def feed() -> None:
        try:
            with os.fdopen(w, "wb") as f:
                f.write(data)
        except OSError:                 # the guest stopped before reading it all
            pass

    threading.Thread(target=feed, name="unik-testing-stdin", daemon=True).start()
    return r


def kvm_usable() -> bool:
    return os.access("/dev/kvm", os.R_OK | os.W_OK)


try:  # the opt-in pytest plugin
    import pytest

    @pytest.fixture
    def unik_guest(tmp_path: Path):
        """Make a Guest from (lang, files) in a fresh directory."""
        def make(lang: str, files: dict[str, str], **kw) -> Guest:
            return Guest.create(tmp_path, lang, files, **kw)
        return make
except ImportError:  # pragma: no cover - pytest is only needed for testing
    pass
