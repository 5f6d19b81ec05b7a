"""Building a Haskell project into objects and archives for unik's image linker.

    Main.hs + modules ──ghc --make -no-hs-main──► Main.o, …  (native code, _build/haskell/ghc)
                      └─ GHC's link step, captured ─► the archives to link: the packages'
                                        libHS*.a, libHSrts.a (non-threaded), libgmp.a, libffi.a
    runtime/*.c       ──ctx.cc──────────────────────► main.o glibc_compat.o (cached)
    config.c (generated) ───────────────────────────► the image name and the RTS options

GHC decides which packages a program needs; its link command is captured by
giving it a "linker" (`-pgml`) that only writes its arguments down. The
archives it names are handed to the image linker, which links them with the
core and musl instead of glibc. See ../README.md.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from unik.api import BuildContext, BuildResult, UnikError

HERE = Path(__file__).resolve().parent
RUNTIME = HERE / "runtime"
RUNTIME_C = ("main.c", "glibc_compat.c")
# Bump when the recipe below changes what lands in the runtime cache.
RECIPE = "1"
GHC_INSTALL = "apt-get install -y ghc"
GMP_INSTALL = "apt-get install -y libgmp-dev"
FFI_INSTALL = "apt-get install -y libffi-dev"
DEFAULT_FLAGS = ("-O2",)
# runtime/main.c puts -V0 before these, in a buffer this long.
MAX_RTS_OPTS = 400
# Libraries named by GHC's link step that musl's libc.a already holds.
LIBC_PARTS = frozenset({"c", "m", "rt", "dl", "pthread", "util"})
SYSTEM_LIB_DIRS = (Path("/usr/lib/x86_64-linux-gnu"), Path("/usr/lib"), Path("/usr/local/lib"))

# Modules of well-known Hackage packages (for the message when an import is
# not found), and packages whose Debian package is not libghc-<name>-dev.
MODULE_PACKAGES = {
    "Data.Aeson": "aeson", "Data.Vector": "vector", "Data.HashMap": "unordered-containers",
    "Data.HashSet": "unordered-containers", "Data.Hashable": "hashable",
    "System.Random": "random", "Test.QuickCheck": "QuickCheck",
    "Control.Concurrent.Async": "async", "Data.List.Split": "split",
    "Control.Parallel": "parallel", "Data.Attoparsec": "attoparsec",
    "Control.Lens": "lens", "Network.Socket": "network", "Data.Primitive": "primitive",
    "Data.Scientific": "scientific", "Codec.Compression.Zlib": "zlib",
    "Text.Megaparsec": "megaparsec", "Data.Yaml": "yaml", "Data.Default": "data-default",
    "Control.Monad.Random": "MonadRandom", "Data.Vector.Unboxed": "vector",
}
DEBIAN_PACKAGES = {"QuickCheck": "libghc-quickcheck2-dev"}

_INFO_PAIR = re.compile(r'\("([^"]*)","([^"]*)"\)')
_PKG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*")
_NOT_FOUND = re.compile(r"Could not find module [‘'`]([^’']+)[’']")
_HIDDEN = re.compile(r"It is a member of the hidden package [‘'`]([^’']+)[’']")


@dataclass(frozen=True)
class Ghc:
    ghc: str
    ghc_pkg: str
    version: str        # "9.0.2"
    libdir: Path        # /usr/lib/ghc: include/Rts.h, rts/libHSrts.a, package dirs
    package_db: Path    # the global package database (Debian: /var/lib/ghc/package.conf.d)


@functools.cache
def _capture(*cmd: str) -> str:
    try:
        proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise UnikError(f"{cmd[0]}: {e}") from None
    if proc.returncode != 0:
        raise UnikError(f"`{' '.join(cmd)}` failed: {(proc.stderr or proc.stdout).strip()}")
    return proc.stdout.strip()


def debian_package(pkg: str) -> str:
    return DEBIAN_PACKAGES.get(pkg, f"libghc-{pkg.lower()}-dev")


def ghc() -> Ghc:
    """The installed GHC, from one `ghc --info` (it is asked on every build)."""
    path = shutil.which("ghc")
    if path is None:
        raise UnikError(f"ghc not found: install it with `{GHC_INSTALL}`")
    pkg = shutil.which("ghc-pkg") or str(Path(path).with_name("ghc-pkg"))
    info = dict(_INFO_PAIR.findall(_capture(path, "--info")))
    try:
        version, libdir = info["Project version"], Path(info["LibDir"])
        package_db = Path(info["Global Package DB"])
    except KeyError as e:
        raise UnikError(f"`ghc --info` does not say {e}: is {path} GHC?") from None
    if not (libdir / "rts" / "libHSrts.a").is_file():
        raise UnikError(f"{libdir}/rts/libHSrts.a (GHC's static runtime) is missing: "
                        f"install it with `{GHC_INSTALL}`")
    return Ghc(ghc=path, ghc_pkg=pkg, version=version, libdir=libdir, package_db=package_db)


def static_lib(name: str, dirs: list[Path]) -> Path | None:
    for d in [*dirs, *SYSTEM_LIB_DIRS]:
        p = d / f"lib{name}.a"
        if p.is_file():
            return p
    return None


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


def check_packages(g: Ghc, packages: list[str]) -> None:
    """Each listed package must be installed; a missing one names its Debian package."""
    for pkg in packages:
        if not _PKG_NAME.fullmatch(pkg):
            raise UnikError(f"unik.toml [haskell]: '{pkg}' is not a package name")
        proc = subprocess.run([g.ghc_pkg, "--simple-output", "field", pkg, "id"],
                              capture_output=True, text=True)
        if proc.returncode != 0 or not proc.stdout.strip():
            raise UnikError(f"unik.toml [haskell]: package '{pkg}' is not installed: "
                            f"install it with `apt-get install -y {debian_package(pkg)}`")


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


def explain_ghc_error(msg: str) -> str | None:
    """One actionable line for a missing or hidden package, else None."""
    m = _HIDDEN.search(msg)
    if m:
        pkg = re.sub(r"-[0-9][0-9.]*$", "", m.group(1))
        return (f"module is in the hidden package '{pkg}': add it to `packages` in "
                f"unik.toml's [haskell] table")
    m = _NOT_FOUND.search(msg)
    if m:
        module = m.group(1)
        pkg = next((p for mod, p in MODULE_PACKAGES.items()
                    if module == mod or module.startswith(mod + ".")), None)
        if pkg is not None:
            return (f"module {module} is not installed: it is in package '{pkg}', "
                    f"install it with `apt-get install -y {debian_package(pkg)}`")
        return (f"module {module} is neither in the project nor in an installed package: "
                f"if it is from a Hackage package NAME, install `libghc-NAME-dev`")
    return None


CAPTURE_SCRIPT = """#!/bin/sh
# unik: GHC's "linker". It writes GHC's link arguments down (response files
# expanded) for the image linker, and links nothing.
for a in "$@"; do
  case "$a" in @*) cat "${{a#@}}"; echo;; *) printf '"%s"\\n' "$a";; esac
done > '{args}'
"""


def _unquote(line: str) -> str:
    line = line.strip()
    if len(line) >= 2 and line[0] == '"' and line[-1] == '"':
        line = line[1:-1]
    return re.sub(r"\\(.)", r"\1", line)


@dataclass
class LinkInputs:
    objects: list[Path]
    libs: list[Path]


def parse_link_args(text: str, outputdir: Path) -> LinkInputs:
    """The project's objects and the archives from GHC's link arguments."""
    args = [_unquote(line) for line in text.splitlines() if line.strip()]
    dirs = [Path(a[2:]) for a in args if a.startswith("-L")]
    objects: list[Path] = []
    libs: list[Path] = []
    for a in args:
        if a.endswith(".o") and not a.startswith("-"):
            p = Path(a)
            # GHC's own temporary objects (a link-info note) stay behind.
            if outputdir in p.resolve().parents:
                objects.append(p)
        elif a.startswith("-l"):
            name = a[2:]
            if name in LIBC_PARTS:
                continue
            lib = static_lib(name, dirs)
            if lib is None:
                hint = {"gmp": GMP_INSTALL, "ffi": FFI_INSTALL}.get(
                    name, f"install the -dev package that holds lib{name}.a")
                raise UnikError(f"no static library lib{name}.a (GHC links with -l{name}): "
                                f"{hint}")
            if lib not in libs:
                libs.append(lib)
    return LinkInputs(objects, libs)


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
