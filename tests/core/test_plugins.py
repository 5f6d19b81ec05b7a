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


def _host_with(*objects) -> plugins.PluginHost:
    """A host over plugin objects, as load() builds it from entry points."""
    host = plugins.PluginHost(plugins.new_manager())
    host.warn = lambda _msg: None
    for i, obj in enumerate(objects):
        host.add(obj, plugins.Plugin(name=f"p{i}", module=f"mod{i}", version="1"))
    host.register_languages()
    return host


def _failure(host: plugins.PluginHost, name: str) -> str:
    failed = {p.name: p.error for p in host.failed}
    assert name in failed, f"{name} did not fail: {[p.name for p in host.plugins]}"
    return failed[name] or ""


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


def test_misspelled_hook_fails_that_plugin_only():
    class Bad:
        @hookimpl
        def unik_register_language(self, register):  # missing the "s"
            pass

    host = _host_with(ToyPlugin(), Bad())
    why = _failure(host, "p1")
    assert "unik_register_language is not a unik hook" in why
    assert "did you mean unik_register_languages?" in why
    assert isinstance(host.language("toy"), Toy) and [p.name for p in host.loaded] == ["p0"]


def test_wrong_hook_argument_fails_that_plugin_only():
    class Bad:
        @hookimpl
        def unik_register_languages(self, registrar):
            raise AssertionError("never called")

    host = _host_with(Bad(), ToyPlugin())
    why = _failure(host, "p0")
    assert "unik_register_languages(registrar) takes 'registrar'" in why
    assert "it passes register" in why
    assert "toy" in host.languages


def test_hook_argument_with_a_default_is_allowed():
    class P:
        @hookimpl
        def unik_register_languages(self, register, later=None):  # never passed, as in pluggy
            register(Toy())

    assert "toy" in _host_with(P()).languages


def test_hook_without_the_marker_is_named():
    class Bad:
        def unik_register_languages(self, register):  # no @hookimpl: pluggy ignores it
            register(Toy())

    assert "not marked with @unik.api.hookimpl" in _failure(_host_with(Bad()), "p0")


def test_duplicate_language_names_both_plugins():
    host = _host_with(ToyPlugin(), ToyPlugin())
    why = _failure(host, "p1")
    assert "registers the language 'toy', which plugin p0 (mod0) registers already" in why
    assert host.plugin_of("toy") is not None and host.plugin_of("toy").name == "p0"
    # The failed plugin's other hooks are gone too: detection only asks p0.
    assert host.pm.get_plugin("p1") is None


@pytest.mark.parametrize("thing, reason", [
    ("a string", "registered 'a string', which is not a unik.api.Language"),
    (Language(), "registered a Language named '': a language name is lower-case"),
    (type("Run", (Language,), {"name": "run"})(), "a name unik.toml uses itself"),
    (type("E", (Language,), {"name": "e", "extensions": ".e"})(), "extensions must be"),
    (type("O", (Language,), {"name": "o", "options": {"x": "list"}})(), "options must map"),
])
def test_registering_something_wrong_fails_that_plugin(thing, reason):
    class Bad:
        @hookimpl
        def unik_register_languages(self, register):
            register(Toy2())
            register(thing)

    class Toy2(Toy):
        name = "toy2"

    host = _host_with(Bad(), ToyPlugin())
    assert reason in _failure(host, "p0")
    assert "toy2" not in host.languages      # nothing of a failed plugin is kept
    assert "toy" in host.languages


def test_exception_in_register_hook_fails_that_plugin():
    class Bad:
        @hookimpl
        def unik_register_languages(self, register):
            raise KeyError("lua_version")

    why = _failure(_host_with(Bad(), ToyPlugin()), "p0")
    assert why == "unik_register_languages raised KeyError: 'lua_version'"


def test_failing_detection_is_named_and_ignored(tmp_path: Path):
    class Bad:
        @hookimpl
        def unik_detect_language(self, project_dir):
            raise RuntimeError("boom")

    host = _host_with(Bad(), ToyPlugin())
    said: list[str] = []
    host.warn = said.append
    (tmp_path / "a.toy").write_text("")
    assert host.detect_language(tmp_path) == "toy"
    assert said == ["plugin p0 failed while detecting the project's language: "
                    "RuntimeError: boom"]


def test_extensions_decide_when_no_hook_answers(tmp_path: Path):
    class Quiet(Language):
        name = "quiet"
        extensions = (".q",)

    class QuietPlugin:
        @hookimpl
        def unik_register_languages(self, register):
            register(Quiet())

    host = _host_with(QuietPlugin())
    assert host.detect_language(tmp_path) is None
    (tmp_path / "main.q").write_text("")
    assert host.detect_language(tmp_path) == "quiet"


def test_blame_names_the_plugin_and_keeps_the_cause():
    host = _host_with(ToyPlugin())
    lang = host.language("toy")
    with pytest.raises(plugins.PluginFailed) as info:
        with plugins.blame(lang, "building"):
            {}["missing"]
    assert str(info.value) == "plugin p0 failed while building: KeyError: 'missing'"
    assert isinstance(info.value.__cause__, KeyError)
    # A UnikError is the plugin's own message to the user: unchanged.
    with pytest.raises(UnikError, match="^no sources$"):
        with plugins.blame(lang, "building"):
            raise UnikError("no sources")


def test_first_party_plugins_come_through_the_entry_point_group(cli):
    r = cli("plugins")
    assert r.status == 0
    assert re.search(r"^c .*\(unik\.lang_c\) languages: c;", r.out, re.M), r.out
    # Each language with its description and extensions.
    assert re.search(r"^    c +C11 against musl and unik\.h \[\.c\]$", r.out, re.M), r.out


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
    assert r.status == 0 and re.search(r"^unik-toy 1\.2 \(unik_toy\) languages: toy;", r.out, re.M)
    r = cli("plugins", env={**env, "UNIK_PLUGINS": "toy"})
    assert "unik-toy 1.2" in r.out and "unik.lang_c" not in r.out
    r = cli("plugins", env={**env, "UNIK_PLUGINS": "toy,nope"})
    assert "UNIK_PLUGINS names 'nope', which no installed plugin provides" in r.err
    r = cli("plugins", env={**env, "UNIK_PLUGINS": "toy", "UNIK_PLUGINS_TRACE": "1"})
    assert "unik_register_languages" in r.err


def test_hookimpl_marker_is_the_projects():
    assert isinstance(hookimpl, pluggy.HookimplMarker) and hookimpl.project_name == "unik"


def test_every_public_name_is_documented():
    import dataclasses

    from unik import api
    from unik.model import Project

    doc = (REPO / "docs" / "plugins.md").read_text()
    names = list(api.__all__)
    names += [n for n in vars(Language) if not n.startswith("_")]
    names += [f.name for f in dataclasses.fields(api.BuildContext)]
    names += [n for n in vars(api.BuildContext) if not n.startswith("_")
              and callable(getattr(api.BuildContext, n)) or n == "options"]
    names += [f.name for f in dataclasses.fields(Project)] + ["dir"]
    names += [f.name for f in dataclasses.fields(api.DebianSource)] + ["upstream"]
    for name in sorted(set(names)):
        assert re.search(rf"`{re.escape(name)}[`(]", doc), f"{name} not in docs/plugins.md"
