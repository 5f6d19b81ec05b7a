"""Building a Haskell project into objects and archives for unik's image linker.

    Main.hs + modules ──ghc --make -no-hs-main──► Main.o, …  (native code, _build/haskell/ghc)
                      └─ GHC's link step, captured ─► the archives to link: the packages'
                                        libHS*.a, libHSrts.a (non-threaded), libgmp.a, libffi.a
    runtime/main.c    ──ctx.cc──────────────────────► main.o (cached)
    config.c (generated) ───────────────────────────► the image name and the RTS options

GHC decides which packages a program needs; its link command is captured by
giving it a "linker" (`-pgml`) that only writes its arguments down. The
archives it names are handed to the image linker, which links them with the
core and musl instead of glibc. See ../README.md.
"""

from __future__ import annotations

import re
from pathlib import Path

from unik.api import BuildContext, BuildResult, UnikError

from .ghc import Ghc, ghc, static_lib
from .linkargs import CAPTURE_SCRIPT, parse_link_args
from .packages import check_packages, explain_ghc_error

HERE = Path(__file__).resolve().parent
RUNTIME = HERE / "runtime"
RUNTIME_C = ("main.c", "select.c")
# Bump when the recipe below changes what lands in the runtime cache.
RECIPE = "2"
DEFAULT_FLAGS = ("-O2",)
# runtime/main.c puts -V0 before these, in a buffer this long.
MAX_RTS_OPTS = 400


def c_flags(ctx: BuildContext, g: Ghc) -> list[str]:
    """Flags for C code that sees unik.h and GHC's headers (Rts.h)."""
    return [*ctx.cflags, "-I", str(ctx.unik_include), "-I", str(g.libdir / "include")]


def _stat(p: Path) -> str:
    try:
        st = p.stat()
    except OSError:
        return f"{p}:missing"
    return f"{p}:{st.st_size}:{st.st_mtime_ns}"


def runtime_key(ctx: BuildContext, g: Ghc) -> str:
    """The C start's cache key: our sources, the recipe, GHC's version and
    headers' home, its static RTS and, through ctx.cache_key, the guest
    compiler and flags."""
    return ctx.cache_key(RECIPE, g.version, str(g.libdir), _stat(g.libdir / "rts" / "libHSrts.a"),
                         " ".join(c_flags(ctx, g)), *(RUNTIME / n for n in RUNTIME_C))


def fingerprint(ctx: BuildContext) -> list[str]:
    """What an image depends on outside the project and the plugin: the GHC
    installation (the runtime key covers it), its package database (a package
    installed or upgraded) and the C libraries GHC links."""
    g = ghc()
    db = sorted(g.package_db.glob("*.conf")) if g.package_db.is_dir() else []
    return [runtime_key(ctx, g), *map(_stat, db),
            *(_stat(lib) for name in ("gmp", "ffi") if (lib := static_lib(name, [])))]


def ensure_runtime(ctx: BuildContext, g: Ghc) -> Path:
    """The compiled C start of a Haskell unikernel, once per configuration."""
    files = [RUNTIME / n for n in RUNTIME_C]
    key = runtime_key(ctx, g)

    def build(tmp: Path) -> None:
        ctx.progress(f"compiling the Haskell start code (GHC {g.version}, once)")
        for p in files:
            ctx.run([ctx.cc, *c_flags(ctx, g), "-c", str(p), "-o", str(tmp / (p.stem + ".o"))],
                    what=f"compiling {p.name}")

    return ctx.cached_dir("haskell", key, build)


def _strings(ctx: BuildContext, key: str, default: tuple[str, ...] = ()) -> list[str]:
    value = ctx.options.get(key, list(default))
    if not all(isinstance(v, str) for v in value):
        raise UnikError(f"unik.toml [haskell]: '{key}' must be a list of strings")
    return list(value)


def check_rts_opts(opts: list[str]) -> None:
    if len(" ".join(opts)) > MAX_RTS_OPTS:
        raise UnikError(f"unik.toml [haskell]: rts options longer than {MAX_RTS_OPTS} characters")
    for o in opts:
        if not o.startswith("-") or any(c in o for c in "\"\\\n"):
            raise UnikError(f"unik.toml [haskell]: rts option {o!r} must look like '-M512m'")
        if o.startswith("-V") or o.startswith("-N"):
            raise UnikError(f"unik.toml [haskell]: rts option {o!r} is not available: the "
                            "guest has no timer signal and one CPU (-V0 is always set)")


def main_source(ctx: BuildContext) -> Path:
    name = ctx.options.get("main", "Main.hs")
    if not isinstance(name, str) or not name.endswith((".hs", ".lhs")):
        raise UnikError("unik.toml [haskell]: 'main' must name the main module's file, "
                        "such as \"Main.hs\"")
    p = ctx.project_dir / name
    if not p.is_file():
        raise UnikError(f"no {name} in {ctx.project_dir}: a Haskell unikernel's "
                        "`main :: IO ()` lives there (or set [haskell] main)")
    return p


_MODULE_HEADER = re.compile(r"^(?:>\s*)?module\s+([A-Z][\w']*(?:\.[A-Z][\w']*)*)", re.M)


def main_module(main: Path) -> str:
    """The module the main file declares (Main when it has no header)."""
    text = re.sub(r"\{-.*?-\}", "", main.read_text(errors="replace"), flags=re.S)
    text = re.sub(r"--.*", "", text)
    m = _MODULE_HEADER.search(text)
    return m.group(1) if m else "Main"


def source_dirs(ctx: BuildContext, main: Path) -> list[Path]:
    """Where GHC looks for the project's modules (a module A.B lives in A/B.hs
    below one of them): the project, the main module's folder, and the folders
    of the files unik.toml lists."""
    dirs = [ctx.project_dir, main.parent]
    for name in ctx.project.sources or []:
        p = ctx.project_dir / name
        if not p.is_file():
            raise UnikError(f"source file {p} (listed in unik.toml) does not exist")
        dirs.append(p.parent)
    return list(dict.fromkeys(d.resolve() for d in dirs))


def c_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_config(path: Path, name: str, rts_opts: list[str]) -> None:
    path.write_text(
        "/* generated by unik: the image's name (argv[0]) and the RTS options */\n"
        f"const char __unik_image_name[] = {c_string(name)};\n"
        f"const char unik_hs_rts_opts[] = {c_string(' '.join(rts_opts))};\n")


def build(ctx: BuildContext) -> BuildResult:
    g = ghc()
    packages = _strings(ctx, "packages")
    flags = _strings(ctx, "flags", DEFAULT_FLAGS)
    for f in flags:
        if f in ("-threaded", "-dynamic", "-shared", "-staticlib") or f.startswith("-o"):
            raise UnikError(f"unik.toml [haskell]: flag {f!r} is not available: a unikernel "
                            "is one static image on GHC's non-threaded runtime")
    rts = _strings(ctx, "rts")
    check_packages(g, packages)
    check_rts_opts(rts)
    main = main_source(ctx)
    dirs = source_dirs(ctx, main)
    runtime = ensure_runtime(ctx, g)

    out = ctx.build_dir / "haskell"
    ghc_out = out / "ghc"
    ghc_out.mkdir(parents=True, exist_ok=True)
    args_file = out / "link-args.txt"
    args_file.unlink(missing_ok=True)
    capture = out / "capture-link.sh"
    capture.write_text(CAPTURE_SCRIPT.format(args=str(args_file).replace("'", "'\\''")))
    capture.chmod(0o755)

    hs = sorted({p for p in ctx.project_dir.rglob("*.hs")
                 if "_build" not in p.relative_to(ctx.project_dir).parts})
    ctx.progress(f"compiling Haskell ({len(hs)} module{'s' * (len(hs) != 1)}, "
                 f"GHC {g.version} {' '.join(flags)})")
    module = main_module(main)
    main_is = [] if module == "Main" else ["-main-is", module]
    cmd = [g.ghc, "--make", *flags, *main_is, "-no-hs-main", "-pgml", str(capture),
           "-outputdir", str(ghc_out), "-o", str(out / "program"),
           *(f"-i{d}" for d in dirs), f"-i{RUNTIME}",
           *(a for p in packages for a in ("-package", p)),
           main.relative_to(ctx.project_dir).as_posix()]
    try:
        ctx.run(cmd, what="compiling Haskell", cwd=ctx.project_dir)
    except UnikError as e:
        line = explain_ghc_error(str(e))
        raise UnikError(f"{main.name}: {line}" if line else str(e)) from None
    if not args_file.is_file():
        raise UnikError(f"GHC did not link {main.name}: does it define module Main "
                        "with `main :: IO ()`?")
    link = parse_link_args(args_file.read_text(), ghc_out.resolve())

    config = out / "config.c"
    write_config(config, ctx.project.name, rts)
    config_o = out / "config.o"
    ctx.run([ctx.cc, *ctx.cflags, "-c", str(config), "-o", str(config_o)],
            what="compiling the RTS configuration")
    objects = [*link.objects, *(runtime / (Path(n).stem + ".o") for n in RUNTIME_C), config_o]
    return BuildResult(objects=objects, libs=link.libs)
