"""A broken plugin is named and skipped; unik and the other languages keep working.

Throw-away third-party plugins are installed (a module and a .dist-info with its
entry point, as pip would leave them) on PYTHONPATH and unik is run as a user
runs it: one good plugin whose language builds and boots, and one plugin for
each way a plugin can break.
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest

from unik.testing import kvm_usable

GOOD = """
    from pathlib import Path
    from unik.api import BuildResult, Language, hookimpl

    class Good(Language):
        name = "good"
        description = "a test language: C in *.good files"
        extensions = (".good",)

        def build(self, ctx):
            objects = []
            for src in sorted(ctx.project_dir.glob("*.good")):
                obj = ctx.build_dir / (src.stem + ".o")
                ctx.run([ctx.cc, *ctx.cflags, "-x", "c", "-c", str(src), "-o", str(obj)],
                        what=f"compiling {src.name}")
                objects.append(obj)
            return BuildResult(objects=objects)

    @hookimpl
    def unik_register_languages(register):
        register(Good())
"""

BROKEN = {
    # dist name: (module source, what `unik plugins` says about it)
    "unik-importfail": ("import lupa_is_not_installed\n",
                        "failed to load: ModuleNotFoundError: No module named "
                        "'lupa_is_not_installed'"),
    "unik-exits": ("import sys\nsys.exit(3)\n", "failed to load: SystemExit: 3"),
    "unik-twoc": ("""
        from unik.api import Language, hookimpl
        class MyC(Language):
            name = "c"
        @hookimpl
        def unik_register_languages(register):
            register(MyC())
    """, "registers the language 'c', which plugin c (unik.lang_c) registers already"),
    "unik-typo": ("""
        from unik.api import hookimpl
        @hookimpl
        def unik_register_language(register):
            pass
    """, "unik_register_language is not a unik hook (did you mean unik_register_languages?)"),
    "unik-badarg": ("""
        from unik.api import hookimpl
        @hookimpl
        def unik_register_languages(registry):
            pass
    """, "unik_register_languages(registry) takes 'registry', which the hook does not "
         "pass; it passes register"),
    "unik-notlang": ("""
        from unik.api import hookimpl
        @hookimpl
        def unik_register_languages(register):
            register("lua")
    """, "registered 'lua', which is not a unik.api.Language"),
}

BOOM = """
    from unik.api import Language, hookimpl

    class Boom(Language):
        name = "boom"
        extensions = (".boom",)

        def build(self, ctx):
            table = {}
            return table["lua_version"]

    @hookimpl
    def unik_register_languages(register):
        register(Boom())
"""

SHAKY = """
    from unik.api import Language, hookimpl

    class Shaky(Language):
        name = "shaky"

        def toolchain(self):
            raise OSError("cannot ask the package manager")

    @hookimpl
    def unik_register_languages(register):
        register(Shaky())
"""


def install(site: Path, dist: str, source: str, version: str = "1.0",
            entry_point: str | None = None) -> None:
    """What `pip install` of a one-module plugin leaves in site-packages."""
    module = dist.replace("-", "_")
    entry_point = entry_point or dist.removeprefix("unik-")
    (site / f"{module}.py").write_text(textwrap.dedent(source))
    info = site / f"{module}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(f"[unik]\n{entry_point} = {module}\n")


@pytest.fixture
def site(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site"
    site.mkdir()
    install(site, "unik-good", GOOD)
    install(site, "unik-boom", BOOM)
    install(site, "unik-shaky", SHAKY)
    for dist, (source, _) in BROKEN.items():
        install(site, dist, source)
    return {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}


def project(parent: Path, name: str, lang: str, files: dict[str, str]) -> Path:
    d = parent / name
    d.mkdir()
    (d / "unik.toml").write_text(f'[project]\nname = "{name}"\nlang = "{lang}"\n')
    for rel, text in files.items():
        (d / rel).write_text(text)
    return d


HELLO = '#include <stdio.h>\nint main(void) { puts("hello from {}"); return 7; }\n'


def test_plugins_lists_each_failure_with_its_reason(cli, site):
    r = cli("plugins", env=site)
    assert r.status == 0, r.err
    for dist, (_, reason) in BROKEN.items():
        line = next((ln for ln in r.out.splitlines() if ln.startswith(f"{dist} ")), "")
        assert "FAILED" in line and reason in line, (dist, r.out)
    assert re.search(r"^unik-good 1\.0 \(unik_good\) languages: good;", r.out, re.M), r.out
    assert re.search(r"^    good +a test language: C in \*\.good files \[\.good\]$", r.out,
                     re.M), r.out
    assert re.search(r"^c .*languages: c;", r.out, re.M), r.out   # unik's own c is intact
    assert "Traceback" not in r.out + r.err


def test_doctor_exits_non_zero_naming_the_failed_plugins(cli, site):
    r = cli("doctor", env=site)
    assert r.status == 1, r.out
    for dist in BROKEN:
        assert re.search(rf"^\s+FAILED\s+plugin {dist} ", r.out, re.M), r.out
    assert re.search(r"^\s+FAILED\s+plugin unik-shaky failed while listing its toolchain: "
                     r"OSError: cannot ask the package manager$", r.out, re.M), r.out
    assert f"{len(BROKEN) + 1} plugin problem(s)" in r.out
    assert re.search(r"^\s+ok\s+c\s+gcc\b", r.out, re.M), r.out


def test_other_languages_still_build_and_boot(cli, site, tmp_path: Path):
    for lang, ext in [("c", "c"), ("good", "good")]:
        d = project(tmp_path, f"app-{lang}", lang, {f"main.{ext}": HELLO.replace("{}", lang)})
        r = cli("build", cwd=d, env=site)
        assert r.status == 0, r.err
        # Each skipped plugin is one line on stderr, naming it; never a traceback.
        for dist in BROKEN:
            assert f"unik: plugin {dist} skipped: " in r.err, r.err
        assert "Traceback" not in r.err
        if kvm_usable():
            r = cli("run", cwd=d, env=site)
            assert r.status == 7 and f"hello from {lang}" in r.out, (r.status, r.out, r.err)


def test_exception_in_build_names_the_plugin(cli, site, tmp_path: Path):
    d = project(tmp_path, "app", "boom", {"main.boom": ""})
    r = cli("build", cwd=d, env=site)
    assert r.status == 1
    lines = [ln for ln in r.err.splitlines() if ln.startswith("unik: error:")]
    assert lines == ["unik: error: plugin unik-boom failed while building: KeyError: "
                     "'lua_version' (unik -v … shows the traceback)"], r.err
    assert "Traceback" not in r.err and "internal error" not in r.err
    r = cli("-v", "build", cwd=d, env=site)
    assert r.status == 1
    assert "Traceback (most recent call last)" in r.err
    assert 'return table["lua_version"]' in r.err      # the plugin's own line
    assert "unik: error: plugin unik-boom failed while building: KeyError" in r.err


def test_a_failed_plugins_language_is_unknown_and_the_plugin_named(cli, site, tmp_path: Path):
    d = project(tmp_path, "app", "lua", {"main.lua": ""})
    r = cli("build", cwd=d, env=site)
    assert r.status == 1
    assert "unknown language 'lua'" in r.err, r.err
    assert "unik: plugin unik-notlang skipped: registered 'lua'" in r.err, r.err
    r = cli("new", "x", "--lang", "lua", cwd=tmp_path, env=site)
    assert r.status == 1
    assert re.search(r"unknown language 'lua' \(installed: .*good.*; failed plugins: "
                     r"unik-badarg, ", r.err), r.err


def test_two_plugins_with_one_entry_point_name(cli, tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    install(site, "unik-good", GOOD)
    install(site, "unik-good-fork", GOOD.replace('"good"', '"fork"'), entry_point="good")
    r = cli("plugins", env={"PYTHONPATH": str(site)})
    assert r.status == 0
    assert re.search(r"^unik-good 1\.0 \(unik_good\) languages: good;", r.out, re.M), r.out
    assert re.search(r"^unik-good-fork 1\.0 \(unik_good_fork\) FAILED: its entry point "
                     r"'good' is plugin unik-good's \(unik_good\) already$", r.out, re.M), r.out
