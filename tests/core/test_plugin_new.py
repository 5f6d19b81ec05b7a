"""`unik plugin new`: the skeleton is a complete plugin a third party installs with pip.

The generated plugin is pip-installed into a fresh virtual environment that
sees this environment's packages (unik and its dependencies, pytest) through a
.pth file, so nothing of unik is fetched; pip builds the plugin's wheel with
setuptools as it would for any author. Its template project then builds and
boots, and a change to its runtime rebuilds the image.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from unik import skeleton


def test_render_substitutes_every_word():
    files = skeleton.render("lua_jit")
    assert set(files) == {"README.md", "pyproject.toml", "tests/conftest.py",
                          "tests/test_lua_jit.py", "unik_lua_jit/__init__.py",
                          "unik_lua_jit/runtime/main.c", "unik_lua_jit/templates/main.lua_jit"}
    for rel, text in files.items():
        assert "@" + "name@" not in text and "@Name@" not in text and "@package@" not in text \
            and "@dist@" not in text, rel
    assert 'lua_jit = "unik_lua_jit"' in files["pyproject.toml"]
    assert 'name = "unik-lua-jit"' in files["pyproject.toml"]
    assert "class LuaJit(Language)" in files["unik_lua_jit/__init__.py"]


@pytest.mark.parametrize("bad", ["Toy", "9lives", "to-y", "c", "project", ""])
def test_bad_names_are_one_line(cli, tmp_path: Path, bad: str):
    r = cli("plugin", "new", bad, cwd=tmp_path)
    assert r.status == 1 and "Traceback" not in r.err, r.err
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_overwrite(cli, tmp_path: Path):
    assert cli("plugin", "new", "toy", cwd=tmp_path).status == 0
    r = cli("plugin", "new", "toy", cwd=tmp_path)
    assert r.status == 1 and "already exists" in r.err


def _venv(path: Path) -> Path:
    """A fresh venv that sees this environment's site-packages (unik, pytest, ...)."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    py = path / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; "
                           "print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    ours = sysconfig.get_paths()["purelib"]
    # A .pth line starting with `import` runs; addsitedir also reads our .pth files
    # (a development install of unik is one).
    Path(site, "zz-unik-host.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    return py


def _run(*cmd: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(list(map(str, cmd)), cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env, stdin=subprocess.DEVNULL)


def _pip_install(py: Path, plugin: Path, cwd: Path) -> None:
    r = _run(py, "-m", "pip", "install", "--force-reinstall", "--no-deps", "-q",
             "--disable-pip-version-check", str(plugin), cwd=cwd)
    assert r.returncode == 0, r.stdout + r.stderr


def test_generated_plugin_installs_builds_boots_and_rebuilds(tmp_path: Path):
    py = _venv(tmp_path / "venv")
    r = _run(py, "-m", "unik", "plugin", "new", "toy", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    plugin = tmp_path / "unik-toy"
    for rel in ["pyproject.toml", "README.md", "unik_toy/__init__.py",
                "unik_toy/runtime/main.c", "unik_toy/templates/main.toy",
                "tests/conftest.py", "tests/test_toy.py"]:
        assert (plugin / rel).is_file(), rel
    _pip_install(py, plugin, tmp_path)
    # It is installed, not used from its folder: the package is in the venv.
    r = _run(py, "-c", "import unik_toy; print(unik_toy.__file__)", cwd=tmp_path)
    assert str(tmp_path / "venv") in r.stdout, r.stdout + r.stderr

    r = _run(py, "-m", "unik", "plugins", cwd=tmp_path)
    assert "unik-toy 0.1.0 (unik_toy) languages: toy;" in r.stdout, r.stdout + r.stderr
    assert "toy        the toy language" in r.stdout and "[.toy]" in r.stdout

    r = _run(py, "-m", "unik", "new", "hello", "--lang", "toy", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    app = tmp_path / "hello"
    r = _run(py, "-m", "unik", "run", cwd=app)
    assert (r.returncode, r.stdout) == (0, "Hello from toy on unik!\n"), r.stderr
    r = _run(py, "-m", "unik", "run", cwd=app)
    assert "up to date" in r.stderr and r.stdout == "Hello from toy on unik!\n", r.stderr

    # The plugin's author changes its runtime and installs it again.
    main_c = plugin / "unik_toy" / "runtime" / "main.c"
    text = main_c.read_text()
    assert "const char *p = toy_program;" in text
    main_c.write_text(text.replace("const char *p = toy_program;",
                                   'const char *p = toy_program;\n    puts("[runtime v2]");'))
    _pip_install(py, plugin, tmp_path)
    r = _run(py, "-m", "unik", "run", cwd=app)
    assert "up to date" not in r.stderr and "built in" in r.stderr, r.stderr
    assert (r.returncode, r.stdout) == (0, "[runtime v2]\nHello from toy on unik!\n"), r.stderr

    # The plugin's own tests (the unik_guest fixture) pass as generated, without warnings.
    r = _run(py, "-m", "pytest", "-q", "-W", "error::pytest.PytestAssertRewriteWarning",
             cwd=plugin)
    assert r.returncode == 0 and "2 passed" in r.stdout, r.stdout + r.stderr
    # And its code is clean by the linter and rules this project uses.
    r = _run(sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "--select",
             "E,F,W,I,B,UP", "--line-length", "100", str(plugin), cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
