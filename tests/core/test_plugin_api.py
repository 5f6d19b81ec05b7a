"""What unik.api gives a language's build: cache keys, fingerprints and the
up-to-date check, the BuildContext's tools, and what a build must return."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from unik import model
from unik.api import BuildContext, BuildResult, Language, cache_key
from unik.image import link
from unik.plugins import PluginFailed
from unik.testing import boot_image, kvm_usable

HELLO = '#include <stdio.h>\nint main(void) { puts("%s"); return 0; }\n'


class Recorder(Language):
    """C built through the public API, with a declared dependency outside the project."""

    name = "rec"

    def __init__(self, depends_on: Path, files: int = 1):
        self.depends_on = depends_on
        self.files = files
        self.contexts: list[BuildContext] = []
        self.threads: set[int] = set()

    def fingerprint(self, ctx: BuildContext) -> list[object]:
        return ["rec-recipe-1", self.depends_on]

    def build(self, ctx: BuildContext) -> BuildResult:
        self.contexts.append(ctx)
        runtime = ctx.cached_dir("test-rec", ctx.cache_key(self.depends_on), self._runtime(ctx))
        objects = [ctx.build_dir / "main.o"]
        ctx.run([ctx.cc, *ctx.cflags, "-c", str(ctx.project_dir / "main.c"), "-o",
                 str(objects[0])], what="compiling main.c")
        return BuildResult(objects=objects, libs=[runtime / "librt.a"])

    def _runtime(self, ctx: BuildContext):
        def build(out: Path) -> None:
            def compile_one(i: int) -> Path:
                self.threads.add(threading.get_ident())
                src = out / f"f{i}.c"
                src.write_text(f"int rt_f{i}(void) {{ return {i}; }}\n")
                ctx.run([ctx.cc, *ctx.cflags, "-c", src.name, "-o", f"f{i}.o"],
                        what=f"compiling f{i}.c", cwd=out)
                return out / f"f{i}.o"
            with ThreadPoolExecutor(ctx.jobs) as pool:
                objs = list(pool.map(compile_one, range(self.files)))
            ctx.run([ctx.ar, "rcs", str(out / "librt.a"), *map(str, objs)], what="ar")
        return build


def _project(tmp_path: Path, text: str = "hi") -> model.Project:
    d = tmp_path / "app"
    d.mkdir(exist_ok=True)
    (d / "unik.toml").write_text('[project]\nname = "app"\nlang = "rec"\n')
    (d / "main.c").write_text(HELLO % text)
    return model.load(d / "unik.toml", {"rec": {}})


def _build(proj: model.Project, lang: Language) -> link.Built:
    return link.build(proj, lang, progress=lambda _m: None)


def test_cache_key_counts_strings_and_file_contents(tmp_path: Path):
    a = tmp_path / "a"
    a.mkdir()
    (a / "x.c").write_text("int x;")
    k1 = cache_key("v1", a)
    assert len(k1) == 16 and k1 == cache_key("v1", a)
    assert cache_key("v2", a) != k1
    assert cache_key(str(a)) != cache_key(a)            # a str is a string, a Path content
    b = tmp_path / "elsewhere" / "a"
    b.mkdir(parents=True)
    (b / "x.c").write_text("int x;")
    assert cache_key("v1", b) == k1                      # where it lives does not count
    (b / "__pycache__").mkdir()
    (b / "__pycache__" / "x.pyc").write_bytes(b"junk")
    assert cache_key("v1", b) == k1
    (b / "x.c").write_text("int y;")
    assert cache_key("v1", b) != k1
    with pytest.raises(FileNotFoundError):
        cache_key(tmp_path / "missing")


def test_the_context_gives_ar_jobs_compiler_and_a_thread_safe_run(tmp_path: Path):
    lang = Recorder(tmp_path / "dep.txt", files=6)
    lang.depends_on.write_text("1")
    proj = _project(tmp_path)
    built = _build(proj, lang)
    ctx = lang.contexts[-1]
    assert Path(ctx.ar).name == "ar" and Path(ctx.ar).is_file()
    assert ctx.jobs >= 1
    assert "gcc" in ctx.compiler_id and Path(ctx.cc).name == "gcc"
    assert ctx.cache_key("x") != cache_key("x")          # it adds the compiler and flags
    assert built.fresh and built.image.is_file()
    if kvm_usable():
        r = boot_image(built.image)
        assert r.status == 0 and "hi" in r.output


def test_fingerprint_and_sources_decide_up_to_date(tmp_path: Path):
    dep = tmp_path / "dep.txt"
    dep.write_text("runtime v1")
    lang = Recorder(dep)
    proj = _project(tmp_path)
    assert _build(proj, lang).fresh
    assert not _build(proj, lang).fresh                  # nothing changed: up to date
    dep.write_text("runtime v2")                         # what fingerprint() names
    assert _build(proj, lang).fresh
    assert not _build(proj, lang).fresh
    _project(tmp_path, "changed")                        # the project's own files
    assert _build(proj, lang).fresh
    # A cache entry the last build used was removed: built again.
    ctx = lang.contexts[-1]
    entry = ctx.cached_dir("test-rec", ctx.cache_key(dep), lambda out: None)
    for f in entry.iterdir():
        f.unlink()
    entry.rmdir()
    assert _build(proj, lang).fresh


def test_a_single_module_plugin_hashes_its_file_not_its_folder():
    files = link.plugin_files(Recorder(Path("x")))
    assert files == [Path(__file__).resolve()]
    from unik import lang_c
    c_files = link.plugin_files(lang_c.C())
    assert Path(lang_c.__file__).resolve() in c_files
    assert all(Path(lang_c.__file__).resolve().parent in p.parents for p in c_files)


def test_fingerprint_naming_a_missing_file_blames_the_plugin(tmp_path: Path):
    lang = Recorder(tmp_path / "nope.txt")
    with pytest.raises(PluginFailed, match=r"fingerprint\(\) names .*nope\.txt"):
        _build(_project(tmp_path), lang)


def test_build_must_return_a_build_result(tmp_path: Path):
    class NoResult(Recorder):
        def build(self, ctx):
            return None

    class Missing(Recorder):
        def build(self, ctx):
            return BuildResult(objects=[ctx.build_dir / "never-made.o"])

    dep = tmp_path / "dep.txt"
    dep.write_text("")
    with pytest.raises(PluginFailed, match=r"failed while building: TypeError: build\(\) "
                       r"returned NoneType, not a unik.api.BuildResult"):
        _build(_project(tmp_path), NoResult(dep))
    with pytest.raises(PluginFailed, match=r"returned .*never-made\.o, which does not exist"):
        _build(_project(tmp_path), Missing(dep))


def test_unik_jobs_is_checked(tmp_path: Path, monkeypatch):
    from unik.errors import UnikError
    from unik.toolchain.jobs import jobs

    monkeypatch.setenv("UNIK_JOBS", "3")
    assert jobs() == 3
    monkeypatch.setenv("UNIK_JOBS", "lots")
    with pytest.raises(UnikError, match="UNIK_JOBS='lots'"):
        jobs()
