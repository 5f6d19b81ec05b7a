"""Building an Erlang project into objects for unik's image linker.

    user *.erl ──erlc──► *.beam ─┐
    lib/*.erl (io) ──erlc──► *.beam (cached) ─┼─ link.py ──► image.s ──as──► image.o
    OTP's stdlib/kernel .beam (Debian) ───────┘
    runtime/*.c ──ctx.cc ctx.cflags -O2──► the VM's objects (cached)

Nothing is loaded in the guest: link.py resolves everything into image.s.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import re
import shutil
import subprocess
from pathlib import Path

from unik.api import BuildContext, BuildResult, UnikError

from . import beam
from .link import LinkError, link

HERE = Path(__file__).resolve().parent
RUNTIME = HERE / "runtime"
LIB = HERE / "lib"
ERLANG_INSTALL = "apt-get install -y erlang-base"
OTP_LIB = Path("/usr/lib/erlang/lib")
# Where OTP's modules are looked for, in this order.
OTP_APPS = ("stdlib", "kernel", "erts", "compiler")
RECIPE = "1"
VM_CFLAGS = ["-O2", "-fno-strict-aliasing", "-Wall", "-Wextra", "-Werror"]


def _key(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()[:16]


@functools.cache
def _capture(*cmd: str) -> str:
    try:
        proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise UnikError(f"{cmd[0]}: {e}") from None
    return (proc.stdout + proc.stderr).strip()


def erlc() -> str:
    path = shutil.which("erlc")
    if path is None:
        raise UnikError(f"erlc not found: install it with `{ERLANG_INSTALL}`")
    return path


def otp_dirs() -> list[Path]:
    dirs = []
    for app in OTP_APPS:
        found = sorted(OTP_LIB.glob(f"{app}-*/ebin"))
        if found:
            dirs.append(found[-1])
    if not dirs:
        raise UnikError(f"OTP's library is not in {OTP_LIB}: install it with `{ERLANG_INSTALL}`")
    return dirs


def ensure_vm(ctx: BuildContext) -> list[Path]:
    """The VM's C objects, compiled once per configuration."""
    sources = sorted(RUNTIME.glob("*.c"))
    headers = sorted(RUNTIME.glob("*.h"))
    flags = [*ctx.cflags, *VM_CFLAGS, "-I", str(ctx.unik_include), "-I", str(RUNTIME)]
    key = _key(RECIPE, _capture(ctx.cc, "--version"), " ".join(flags),
               *(p.name.encode() + b"\0" + p.read_bytes() for p in [*sources, *headers]))

    def build(tmp: Path) -> None:
        ctx.progress("compiling the Erlang VM (once)")
        for src in sources:
            ctx.run([ctx.cc, *flags, "-c", str(src), "-o", str(tmp / (src.stem + ".o"))],
                    what=f"compiling the Erlang VM ({src.name})")

    out = ctx.cached_dir("erlang-vm", key, build)
    return [out / (s.stem + ".o") for s in sources]


def ensure_lib(ctx: BuildContext) -> Path:
    """unik's replacement modules (lib/*.erl) compiled with erlc, once."""
    sources = sorted(LIB.glob("*.erl"))
    key = _key(RECIPE, "lib-relative-sources",
               _capture(erlc(), "-noshell", "+V") or "erlc",
               *(p.name.encode() + b"\0" + p.read_bytes() for p in sources))

    def build(tmp: Path) -> None:
        # bare file names, run from lib/: the Line chunks (stack frames) then
        # name "io.erl" as OTP's own modules do, not where unik is installed
        ctx.run([erlc(), "-o", str(tmp.resolve()), *(p.name for p in sources)],
                what="compiling unik's io module", cwd=LIB)

    return ctx.cached_dir("erlang-lib", key, build)


@functools.cache
def _reader_code() -> bytes:
    return b"".join((HERE / n).read_bytes() for n in ("beam.py", "terms.py", "genop.py"))


def load_cached(ctx: BuildContext, path: Path) -> beam.Module:
    """An OTP .beam decoded once (decoding io_lib_pretty & co. takes seconds in Python)."""
    data = path.read_bytes()
    key = _key(RECIPE, str(path), data, _reader_code())

    def build(tmp: Path) -> None:
        try:
            mod = beam.load(path)
        except beam.BeamError as e:
            raise LinkError(str(e)) from None
        (tmp / "module.pickle").write_bytes(pickle.dumps(mod, protocol=pickle.HIGHEST_PROTOCOL))

    d = ctx.cached_dir("erlang-beam", f"{path.stem}-{key}", build)
    return pickle.loads((d / "module.pickle").read_bytes())


def sources(ctx: BuildContext) -> list[Path]:
    names = ctx.project.sources
    if names is None:
        found = sorted(p for p in ctx.project_dir.rglob("*.erl")
                       if "_build" not in p.relative_to(ctx.project_dir).parts)
    else:
        found = [ctx.project_dir / n for n in names]
        for p in found:
            if not p.is_file():
                raise UnikError(f"source file {p} (listed in unik.toml) does not exist")
    found = [p for p in found if p.suffix == ".erl"]
    if not found:
        raise UnikError(f"no Erlang sources (*.erl) in {ctx.project_dir}")
    return found


_ENTRY_RE = re.compile(r"^([a-z][A-Za-z0-9_@]*):([a-z][A-Za-z0-9_@]*)(?:/0)?$")


def entry_point(ctx: BuildContext, modules: dict[str, beam.Module]) -> tuple[str, str, int]:
    entry = ctx.options.get("entry")
    if entry is not None:
        if not isinstance(entry, str) or not (m := _ENTRY_RE.match(entry)):
            raise UnikError(f"unik.toml [erlang]: 'entry' must look like \"module:function\" "
                            f"(a function of no arguments), not {entry!r}")
        mod, fn = m.group(1), m.group(2)
        if mod not in modules:
            raise UnikError(f"unik.toml [erlang]: entry module '{mod}' is not among the "
                            f"project's modules ({', '.join(sorted(modules))})")
        if (fn, 0) not in {(n, a) for n, a, _ in modules[mod].exports}:
            raise UnikError(f"unik.toml [erlang]: {mod}:{fn}/0 is not exported by {mod}")
        return (mod, fn, 0)
    found = [(name, fn) for name, m in sorted(modules.items()) for fn in ("start", "main")
             if (fn, 0) in {(n, a) for n, a, _ in m.exports}]
    if len(found) == 1:
        return (found[0][0], found[0][1], 0)
    if not found:
        raise UnikError("no entry: export start/0 or main/0 from a module, or set "
                        "`entry = \"module:function\"` under [erlang] in unik.toml")
    names = ", ".join(f"{m}:{f}/0" for m, f in found)
    raise UnikError(f"several possible entries ({names}): choose one with "
                    f"`entry = \"module:function\"` under [erlang] in unik.toml")


def _flags(ctx: BuildContext) -> list[str]:
    flags = ctx.options.get("erlc_flags", [])
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        raise UnikError("unik.toml [erlang]: 'erlc_flags' must be a list of strings")
    return list(flags)


def build(ctx: BuildContext) -> BuildResult:
    erlc()
    srcs = sources(ctx)
    out = ctx.build_dir / "erlang"
    ebin = out / "ebin"
    if ebin.exists():
        shutil.rmtree(ebin)
    ebin.mkdir(parents=True)
    seen: dict[str, Path] = {}
    for p in srcs:
        if p.stem in seen:
            raise UnikError(f"two Erlang sources are both module {p.stem}: {seen[p.stem]} and {p}")
        seen[p.stem] = p
    # paths relative to the project: the Line chunks (stack traces) name the
    # files as erlc was given them, as when a user runs `erlc m.erl` there
    rel = [str(p.relative_to(ctx.project_dir)) if p.is_relative_to(ctx.project_dir) else str(p)
           for p in srcs]
    ctx.run([erlc(), *_flags(ctx), "-o", str(ebin.resolve()), *rel], what="compiling Erlang",
            cwd=ctx.project_dir)
    user: dict[str, beam.Module] = {}
    for p in sorted(ebin.glob("*.beam")):
        try:
            m = beam.load(p)
        except beam.BeamError as e:
            raise UnikError(str(e)) from None
        user[m.name] = m
    lib_dir = ensure_lib(ctx)
    search = [lib_dir, *otp_dirs()]

    def load_module(name: str) -> tuple[beam.Module, bool] | None:
        if name in user:
            return user[name], True
        for d in search:
            p = d / f"{name}.beam"
            if p.is_file():
                return load_cached(ctx, p), False
        return None

    entry = entry_point(ctx, user)
    try:
        image = link(entry, sorted(user), load_module)
    except LinkError as e:
        raise UnikError(f"erlang: {e}") from None
    for w in image.warnings:
        ctx.progress(f"warning: {w}")
    ctx.progress(f"linked {image.functions} functions of {len(image.modules)} modules "
                 f"({image.code_words} code words, {image.literal_words} literal words)")
    asm = out / "image.s"
    asm.write_text(image.asm)
    obj = out / "image.o"
    ctx.run([ctx.cc, "-c", str(asm), "-o", str(obj)], what="assembling the Erlang image")
    return BuildResult(objects=[obj, *ensure_vm(ctx)])
