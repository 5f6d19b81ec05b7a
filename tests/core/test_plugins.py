"""The plugin surface: entry-point loading, hooks, docs for every hook."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pluggy
import pytest

from unik import hookspecs, plugins
from unik.api import Language, hookimpl
from unik.errors import UnikError

REPO = Path(__file__).resolve().parents[2]
HOOKS = sorted(n for n in dir(hookspecs) if n.startswith("unik_"))


def test_every_hook_is_documented():
    doc = (REPO / "docs" / "plugins.md").read_text()
    for name in HOOKS:
        assert re.search(rf"^### `{name}\(", doc, re.M), f"{name} not in docs/plugins.md"


def test_every_hook_has_a_test():
    here = Path(__file__).read_text()
    for name in HOOKS:
        assert f"def test_hook_{name}" in here, f"no test_hook_{name}"


def _host_with(*modules) -> plugins.PluginHost:
    pm = plugins.new_manager()
    for i, m in enumerate(modules):
        pm.register(m, name=f"p{i}")
    return plugins.finish(pm, [])


class Toy(Language):
    name = "toy"
    extensions = (".toy",)


class ToyPlugin:
    @hookimpl
    def unik_register_languages(self, register):
        register(Toy())

    @hookimpl
    def unik_detect_language(self, project_dir: Path):
        return "toy" if list(project_dir.glob("*.toy")) else None


def test_hook_unik_register_languages():
    host = _host_with(ToyPlugin())
    assert isinstance(host.language("toy"), Toy)
    with pytest.raises(UnikError, match="unknown language 'nope'"):
        host.language("nope")


def test_hook_unik_detect_language(tmp_path: Path):
    class CPlugin:
        @hookimpl
        def unik_detect_language(self, project_dir: Path):
            return "c" if list(project_dir.glob("*.c")) else None

    host = _host_with(ToyPlugin(), CPlugin())
    assert host.detect_language(tmp_path) is None
    (tmp_path / "a.toy").write_text("")
    assert host.detect_language(tmp_path) == "toy"
    (tmp_path / "stub.c").write_text("")
    with pytest.raises(UnikError, match="could be c or toy"):
        host.detect_language(tmp_path)


def test_misspelled_hook_is_rejected():
    class Bad:
        @hookimpl
        def unik_register_language(self, register):  # missing the "s"
            pass

    with pytest.raises(UnikError, match="plugin error"):
        _host_with(Bad())


def test_duplicate_language_is_rejected():
    with pytest.raises(UnikError, match="two plugins register the language 'toy'"):
        _host_with(ToyPlugin(), ToyPlugin())


def test_first_party_plugins_come_through_the_entry_point_group(cli):
    r = cli("plugins")
    assert r.status == 0
    assert re.search(r"^c .*\(unik\.lang_c\) languages: c;", r.out, re.M), r.out


def test_third_party_plugin_from_an_entry_point(cli, tmp_path: Path):
    # A whole third-party plugin: one module and its entry point.
    (tmp_path / "unik_toy.py").write_text(textwrap.dedent("""
        from unik.api import Language, hookimpl
        class Toy(Language):
            name = "toy"
        @hookimpl
        def unik_register_languages(register):
            register(Toy())
    """))
    dist = tmp_path / "unik_toy-1.2.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: unik-toy\nVersion: 1.2\n")
    (dist / "entry_points.txt").write_text("[unik]\ntoy = unik_toy\n")
    import os
    env = {"PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    r = cli("plugins", env=env)
    assert r.status == 0 and re.search(r"^toy 1\.2 \(unik_toy\) languages: toy;", r.out, re.M)
    r = cli("plugins", env={**env, "UNIK_PLUGINS": "toy"})
    assert "toy 1.2" in r.out and "unik.lang_c" not in r.out
    r = cli("plugins", env={**env, "UNIK_PLUGINS": "toy", "UNIK_PLUGINS_TRACE": "1"})
    assert "unik_register_languages" in r.err


def test_hookimpl_marker_is_the_projects():
    assert isinstance(hookimpl, pluggy.HookimplMarker) and hookimpl.project_name == "unik"
