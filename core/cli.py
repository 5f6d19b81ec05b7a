"""The `unik` command line. Exit codes: 0 ok, 1 user error (one line), 2 internal error.

`unik run IMAGE` is the command a user starts most, so its path imports only
what booting needs: its arguments are parsed without argparse (which brings
re, enum, gettext and locale: a few ms of every start) when they are plain
(`_parse_run`); anything else — help, a mistake, an abbreviation — goes to
argparse, which parses it and words any error. pathlib, the plugins and the
image builder load only in the commands that use them.
"""

from __future__ import annotations

import os
import sys

from . import __version__
from .errors import UnikError

TYPE_CHECKING = False          # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from . import model
    from .plugins import PluginHost

EXIT_USER = 1
EXIT_INTERNAL = 2


def _progress(msg: str) -> None:
    print(f"unik: {msg}", file=sys.stderr, flush=True)


class Session:
    """What every subcommand needs: parsed args and the loaded plugins."""

    def __init__(self, args: argparse.Namespace | RunArgs):
        self.args = args
        self._cwd: Path | None = None
        self._host: PluginHost | None = None

    @property
    def cwd(self) -> Path:
        """-C DIR or the current directory (pathlib loads here: `unik run IMAGE`
        needs neither)."""
        if self._cwd is None:
            from pathlib import Path

            d = self.args.directory
            self._cwd = Path(d).resolve() if d else Path.cwd()
        return self._cwd

    @property
    def host(self) -> PluginHost:
        # Imported here: `unik run IMAGE` needs no plugins, and loading
        # entry points is a good part of a Python CLI's start-up.
        if self._host is None:
            from .plugins import load

            self._host = load()
        return self._host

    def quiet_host(self) -> PluginHost:
        """The plugins, without a warning line per failed one (for commands that
        list the failures themselves)."""
        if self._host is None:
            from .plugins import load

            self._host = load(warn=False)
        return self._host

    def project(self) -> model.Project:
        from . import model

        path = model.find(self.cwd)
        if path is None:
            return self._implicit_project()
        schemas = {n: lang.options for n, lang in self.host.languages.items()}
        proj = model.load(path, schemas)
        lang = self.args.lang or proj.lang or self.host.detect_language(proj.dir)
        if lang is None:
            raise UnikError(f"{path}: cannot tell the language; set [project] lang or "
                            "pass --lang")
        self.host.language(lang)
        if proj.lang != lang:
            proj.lang = lang
            proj.lang_options = dict(proj.raw.get(lang, {}))
        return proj

    def _implicit_project(self) -> model.Project:
        """No unik.toml anywhere up: the current directory is the project, with
        every default, when it holds sources of the language (`--lang` or the one
        the plugins recognise) — `unik --lang c build` next to a main.c works."""
        from . import model

        lang = self.args.lang or self.host.detect_language(self.cwd)
        if lang is None:
            raise UnikError(f"no unik.toml in {self.cwd} or its parents, and no sources "
                            "of a known language here (create a project with "
                            "`unik new NAME --lang LANG`)")
        exts = self.host.language(lang).extensions
        if not any(p.is_file() and p.suffix in exts for p in self.cwd.iterdir()):
            raise UnikError(f"no unik.toml in {self.cwd} or its parents, and no {lang} "
                            f"sources ({', '.join(exts)}) here (create a project with "
                            f"`unik new NAME --lang {lang}`)")
        return model.implicit(self.cwd, lang)


def cmd_new(s: Session) -> int:
    from pathlib import Path

    from . import model

    name = s.args.name
    lang_name = s.args.lang or "c"
    lang = s.host.language(lang_name)
    target = s.cwd / name
    if target.exists():
        raise UnikError(f"{target} already exists")
    from .plugins import blame

    with blame(lang, "creating a project (new_project)"):
        files = lang.new_project(Path(name).name)
        _check_project_files(files)
    target.mkdir(parents=True)
    (target / model.CONFIG_NAME).write_text(model.render(Path(name).name, lang_name))
    for rel, text in files.items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_text(text)
    print(f"created {target} ({lang_name}): {', '.join([model.CONFIG_NAME, *files])}")
    print(f"next: cd {name} && unik build && unik run")
    return 0


def _check_project_files(files: object) -> None:
    from pathlib import Path

    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                              for k, v in files.items()):
        raise TypeError("new_project() must return a dict of relative path → text")
    for rel in files:
        p = Path(rel)
        if p.is_absolute() or ".." in p.parts or not p.parts:
            raise ValueError(f"new_project() returned the path {rel!r}, which is not "
                             "inside the project")


def _build(s: Session, *, to_stderr: bool = False):
    import time

    from .image import link

    proj = s.project()
    lang = s.host.language(proj.lang or "")
    t0 = time.monotonic()
    built = link.build(proj, lang, progress=_progress, verbose=s.args.verbose)
    took = time.monotonic() - t0
    done = f"built in {took:.1f} s" if built.fresh else "up to date"
    if to_stderr:   # under `unik run` stdout belongs to the guest
        print(f"unik: {built.image.name} ({link.human_size(built.info.size)}) {done}",
              file=sys.stderr, flush=True)
    else:
        print(f"{link.summary(built)} {done}")
    return proj, built


def cmd_build(s: Session) -> int:
    _build(s)
    return 0


_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")


def guest_cmdline(args: list[str]) -> str:
    """The guest splits its command line as a shell does (start.c), so each
    argument is quoted where it holds anything but plain characters: spaces,
    quotes and empty arguments reach the guest's argv intact. (shlex.quote
    would do the same, at the price of importing re on the run path.)"""
    def quoted(arg: str) -> str:
        if arg and all(c in _PLAIN for c in arg):
            return arg
        return "'" + arg.replace("'", "'\\''") + "'"
    return " ".join(quoted(x) for x in args)


def cmd_run(s: Session) -> int:
    global _teardown_needed
    a = s.args
    memory = a.memory
    timeout = a.timeout
    cmdline = guest_cmdline(a.args)
    disks = []
    if a.disk:
        from pathlib import Path

        disks = [Path(d) for d in a.disk]
    disk_size = a.disk_size
    ports, nets = list(a.publish), list(a.net)
    if a.image:
        image = a.image             # the runner reads it as given; QEMU's path wants a Path
    else:
        proj, built = _build(s, to_stderr=True)
        image = built.image
        memory = memory or proj.memory_mib
        timeout = timeout if timeout is not None else proj.timeout
        cmdline = cmdline or proj.cmdline
        disks = disks or [proj.dir / d for d in proj.disks]
        disk_size = disk_size or proj.disk_size
        ports = ports or proj.ports
        nets = nets or proj.nets
    devices = _devices(disks, disk_size, nets, ports) if disks or disk_size or nets or ports \
        else None
    if timeout is not None and not (timeout > 0 and timeout != float("inf")):
        raise UnikError(f"--timeout must be a positive number of seconds (got {timeout})")
    if a.host == "qemu":
        from pathlib import Path

        from .hosts import qemu

        return qemu.run(Path(image), memory_mib=memory or 64, cmdline=cmdline, timeout=timeout,
                        accel=a.accel, verbose=a.verbose, stdin=0, devices=devices)
    from . import runner

    status = runner.run(image, memory_mib=memory, cmdline=cmdline, timeout=timeout, cpu=a.cpu,
                        trace=a.trace, stats=a.stats, devices=devices, stdin=0)
    if a.image:
        _teardown_needed = False        # no build, no plugin: see entry()
    return status


def _devices(disks: list[Path], disk_size: str | None, nets: list[str], ports: list[str]):
    """The devices `unik run` attaches (checked, disks created) before booting."""
    from .runner.devices import DeviceSpecs, parse_nics, parse_size, prepare_disk

    size = None if disk_size is None else parse_size(disk_size)
    if size is not None and not disks:
        raise UnikError("--disk-size needs --disk FILE")
    nics = parse_nics(nets, ports)
    return DeviceSpecs(disks=[prepare_disk(d, size) for d in disks], nics=nics)


def cmd_inspect(s: Session) -> int:
    from pathlib import Path

    from .image import inspect, link

    if s.args.image:
        path = Path(s.args.image)
    else:
        path = link.image_path(s.project())
    print(inspect.report(path))
    return 0


def cmd_doctor(s: Session) -> int:
    from .api import Tool, find_tool
    from .plugins import blame

    host = s.quiet_host()
    missing = 0
    rows: list[tuple[str, Tool]] = [
        ("core", find_tool("gcc", "apt-get install -y gcc")),
        ("core", find_tool("objdump", "apt-get install -y binutils")),
        ("core", find_tool("ar", "apt-get install -y binutils")),
        ("core", find_tool("apt-get", "(Debian's apt)", ())),
        ("core", find_tool("dpkg-source", "apt-get install -y dpkg-dev")),
        ("qemu host", find_tool("qemu-system-x86_64", "apt-get install -y qemu-system-x86"))]
    broken: list[str] = []
    for name, lang in sorted(host.languages.items()):
        try:
            with blame(lang, "listing its toolchain"):
                tools = list(lang.toolchain())
                if not all(isinstance(t, Tool) for t in tools):
                    raise TypeError("toolchain() must return a list of unik.api.Tool")
        except UnikError as e:
            broken.append(str(e))
            continue
        rows += [(name, t) for t in tools]
    for who, tool in rows:
        if tool.found:
            print(f"  ok       {who:<10} {tool.name:<20} {tool.version}")
        else:
            missing += 1
            print(f"  MISSING  {who:<10} {tool.name:<20} install: {tool.install}")
    kvm = os.access("/dev/kvm", os.R_OK | os.W_OK)
    print(f"  {'ok' if kvm else 'note':<8} runner     /dev/kvm             "
          f"{'usable' if kvm else 'absent: unik run uses the software CPU (slower)'}")
    for p in host.failed:
        broken.append(f"plugin {p.name} ({p.module}) skipped: {p.error}")
    for line in broken:
        print(f"  FAILED   {line}")
    problems = []
    if missing:
        problems.append(f"{missing} tool(s) missing")
    if broken:
        problems.append(f"{len(broken)} plugin problem(s) (see `unik plugins`)")
    if problems:
        print("; ".join(problems))
        return EXIT_USER
    print("everything found")
    return 0


def cmd_plugins(s: Session) -> int:
    host = s.quiet_host()
    if not host.plugins:
        print("no plugins found (the `unik` entry-point group is empty)")
    for p in host.plugins:
        if not p.ok:
            print(f"{p.name} {p.version} ({p.module}) FAILED: {p.error}")
            continue
        print(f"{p.name} {p.version} ({p.module}) languages: {', '.join(p.languages) or '-'}; "
              f"hooks: {', '.join(p.hooks)}")
        for name in p.languages:
            lang = host.languages[name]
            exts = " ".join(lang.extensions) or "no extensions"
            print(f"    {name:<10} {lang.description or '(no description)'} [{exts}]")
    return 0


def cmd_plugin_new(s: Session) -> int:
    from . import skeleton

    target = skeleton.create(s.args.name, s.cwd, directory=s.args.path)
    print(f"created {target}: the plugin unik-{s.args.name} (language '{s.args.name}')")
    print(f"next: pip install -e {target}  &&  unik new hello --lang {s.args.name}  &&  "
          "cd hello && unik run")
    return 0


def cmd_compare(s: Session) -> int:
    from pathlib import Path

    from .compare import command
    from .compare.session import Options

    a = s.args
    if a.list:
        print(command.list_programs())
        return 0
    out = Path(a.out) if a.out else s.cwd / "unik-compare"
    opts = Options(langs=a.compare_langs, programs=a.programs, repeat=a.repeat, host=a.host,
                   cpu=a.cpu, native=a.native, timeout=a.timeout, work_dir=out.resolve())
    return command.run(s.host, opts)


class _Opt:
    """One option of `unik run`: what argparse is given for it, and what
    `_parse_run` accepts without argparse (the same table, so they agree)."""

    __slots__ = ("flags", "dest", "action", "type", "choices", "default", "metavar", "help")

    def __init__(self, *flags: str, dest: str, help: str, action: str = "store",
                 type: type | None = None, choices: tuple[str, ...] | None = None,
                 default: object = None, metavar: str | None = None) -> None:
        self.flags, self.dest, self.help, self.action = flags, dest, help, action
        self.type, self.choices, self.default, self.metavar = type, choices, default, metavar

    def argparse_kwargs(self) -> dict:
        kw: dict = {"dest": self.dest, "help": self.help, "action": self.action}
        if self.action != "store_true":
            kw["default"] = [] if self.action == "append" else self.default
            for k in ("type", "choices", "metavar"):
                if getattr(self, k) is not None:
                    kw[k] = getattr(self, k)
        return kw


RUN_OPTIONS = (
    _Opt("--host", dest="host", choices=("runner", "qemu"), default="runner",
         help="where to boot: the embedded runner (default) or QEMU"),
    _Opt("--cpu", dest="cpu", choices=("auto", "kvm", "soft"), default="auto",
         help="runner CPU: KVM, or the software CPU (default: KVM when usable)"),
    _Opt("--accel", dest="accel", choices=("auto", "kvm", "tcg"), default="auto",
         help="QEMU accelerator (auto: TCG on a PVM-based nested KVM)"),
    _Opt("--memory", dest="memory", type=int, metavar="MiB", help="guest RAM"),
    _Opt("--timeout", dest="timeout", type=float, metavar="S",
         help="stop the guest after S seconds"),
    _Opt("--trace", dest="trace", action="store_true", default=False,
         help="print every hypercall (runner)"),
    _Opt("--stats", dest="stats", action="store_true", default=False,
         help="print exit/hypercall counts (runner)"),
    _Opt("--disk", dest="disk", action="append", metavar="FILE",
         help="attach a raw disk image as xvda, xvdb, … (runner; repeatable)"),
    _Opt("--disk-size", dest="disk_size", metavar="SIZE",
         help="create a missing --disk FILE with this size (64M, 1G, …)"),
    _Opt("-p", "--publish", dest="publish", action="append", metavar="HOST:GUEST[/udp]",
         help="forward a host port (on 127.0.0.1) to the guest through a user-mode NIC "
              "(runner; repeatable)"),
    _Opt("--net", dest="net", action="append", metavar="user|tap:NAME",
         help="add a NIC: user-mode (libslirp, no root) or a TAP device "
              "(tap:NAME[,ip=A.B.C.D/N][,gw=A.B.C.D]); repeatable"),
)
_RUN_FLAGS = {f: o for o in RUN_OPTIONS for f in o.flags}
_TOP_VALUES = {"--lang": "lang", "-C": "directory", "--directory": "directory"}


class RunArgs:
    """`unik run`'s arguments as argparse's Namespace would hold them."""

    def __init__(self) -> None:
        self.lang: str | None = None
        self.directory: str | None = None
        self.verbose = False
        self.command = "run"
        self.image: str | None = None
        for o in RUN_OPTIONS:
            setattr(self, o.dest, [] if o.action == "append" else o.default)
        self.func = cmd_run


def _parse_run(argv: list[str]) -> RunArgs | None:
    """`[-v] [--lang L] [-C DIR] run [IMAGE] [OPTION VALUE | --OPTION=VALUE]…`
    exactly as argparse would parse it, without importing argparse; None for
    anything this does not take as plain (help, a prefix of an option, a
    value starting with '-', a bad value, an unknown word): argparse then
    parses it and words the error."""
    a = RunArgs()
    i, n = 0, len(argv)
    while i < n and argv[i] != "run":
        word = argv[i]
        if word in ("-v", "--verbose"):
            a.verbose = True
            i += 1
        elif word in _TOP_VALUES and i + 1 < n and not argv[i + 1].startswith("-"):
            setattr(a, _TOP_VALUES[word], argv[i + 1])
            i += 2
        else:
            return None
    i += 1
    if i > n:
        return None
    while i < n:
        word = argv[i]
        i += 1
        if not word.startswith("-"):
            if a.image is not None:
                return None                 # argparse: unrecognized arguments
            a.image = word
            continue
        name, eq, value = word.partition("=") if word.startswith("--") else (word, "", "")
        o = _RUN_FLAGS.get(name)
        if o is None:
            return None
        if o.action == "store_true":
            if eq:
                return None
            setattr(a, o.dest, True)
            continue
        if not eq:
            if i >= n:
                return None
            value = argv[i]
            i += 1
        if value.startswith("-"):
            return None
        if o.type is not None:
            try:
                value = o.type(value)
            except ValueError:
                return None
        if o.choices is not None and value not in o.choices:
            return None
        if o.action == "append":
            getattr(a, o.dest).append(value)
        else:
            setattr(a, o.dest, value)
    return a


COMMANDS = ("new", "build", "run", "compare", "inspect", "doctor", "plugins", "plugin")


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; with `only`, just that subcommand's parser under the
    top-level one (what parsing `unik run …` needs: each subparser costs
    argparse's set-up and gettext look-ups at every start)."""

    import argparse

    class HelpFormatter(argparse.HelpFormatter):
        """argparse's formatter without its `import shutil` (a few ms of every
        start-up): the width comes from os directly."""

        def __init__(self, prog: str) -> None:
            try:
                width = os.get_terminal_size(sys.stderr.fileno()).columns
            except (OSError, ValueError, AttributeError):      # AttributeError: stderr closed
                width = int(os.environ.get("COLUMNS", "80") or 80)
            super().__init__(prog, width=max(width - 2, 20))

    class Parser(argparse.ArgumentParser):
        def __init__(self, *args, **kw) -> None:
            kw.setdefault("formatter_class", HelpFormatter)
            super().__init__(*args, **kw)

    def want(name: str) -> bool:
        return only is None or only == name

    p = Parser(
        prog="unik", description="Build unikernels from programs in several languages "
        "and run them on an embedded Xen-compatible runner, QEMU or Xen.")
    p.add_argument("--version", action="version", version=f"unik {__version__}")
    p.add_argument("--lang", help="the project's language (default: unik.toml, or detected)")
    p.add_argument("-C", "--directory", help="run as if started in this directory")
    p.add_argument("-v", "--verbose", action="store_true", help="show the commands run")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    if want("new"):
        s = sub.add_parser("new", help="create a project: unik.toml and a hello program")
        s.add_argument("name")
        s.add_argument("--lang", dest="lang_new", help="language of the project (default c)")
        s.set_defaults(func=cmd_new)

    if want("build"):
        s = sub.add_parser("build", help="build the project into _build/NAME.unik")
        s.set_defaults(func=cmd_build)

    if want("run"):
        s = sub.add_parser("run", help="build if needed, then boot the image")
        s.add_argument("image", nargs="?", help="an image to boot (default: build the project)")
        for o in RUN_OPTIONS:
            s.add_argument(*o.flags, **o.argparse_kwargs())
        s.epilog = "Everything after `--` is the guest's command line: unik run -- ARG..."
        s.set_defaults(func=cmd_run)

    if want("compare"):
        s = sub.add_parser("compare", help="the same programs in every installed language: "
                           "table, compare.json, compare.html")
        s.add_argument("--lang", dest="compare_langs", action="append", metavar="L",
                       help="only this language (repeatable; default: every installed one)")
        s.add_argument("--program", dest="programs", action="append", metavar="P",
                       help="only this program (repeatable; default: all, see --list)")
        s.add_argument("--repeat", type=int, default=3, metavar="N", help="runs per pair (3)")
        s.add_argument("--host", choices=["runner", "qemu"], default="runner",
                       help="boot on the embedded runner (default) or QEMU")
        s.add_argument("--cpu", choices=["auto", "kvm", "soft"], default="auto",
                       help="runner CPU (default: KVM when usable)")
        s.add_argument("--native", action="store_true",
                       help="also run each program as a native Linux process, where the "
                       "language can build one")
        s.add_argument("--timeout", type=float, default=300.0, metavar="S",
                       help="stop a run after S seconds (300)")
        s.add_argument("--out", metavar="DIR",
                       help="where builds, compare.json and compare.html go (./unik-compare)")
        s.add_argument("--list", action="store_true", help="list the programs and exit")
        s.epilog = ("Exit status: 0 every pair ran and printed the expected output; 3 some pair "
                    "failed (the report says why); 130 interrupted (partial report written); "
                    "1 a user error.")
        s.set_defaults(func=cmd_compare)

    if want("inspect"):
        s = sub.add_parser("inspect", help="show an image's notes, sections and symbols")
        s.add_argument("image", nargs="?", help="default: the project's image")
        s.set_defaults(func=cmd_inspect)

    if want("doctor"):
        s = sub.add_parser("doctor", help="check every toolchain the installed plugins need")
        s.set_defaults(func=cmd_doctor)

    if want("plugins"):
        s = sub.add_parser("plugins", help="list plugins (loaded and failed), their languages "
                           "and hooks")
        s.set_defaults(func=cmd_plugins)

    if want("plugin"):
        s = sub.add_parser("plugin", help="plugin authors' tools: `unik plugin new NAME`")
        psub = s.add_subparsers(dest="plugin_command", metavar="SUBCOMMAND", required=True)
        s = psub.add_parser("new", help="write a complete third-party language plugin "
                            "(unik-NAME/) to start from")
        s.add_argument("name", help="the language's name: lower-case letters, digits, '_'")
        s.add_argument("--path", help="where to write it (default: ./unik-NAME)")
        s.set_defaults(func=cmd_plugin_new)
    return p


def _command(argv: list[str]) -> str | None:
    """The subcommand argv names, past the top-level options; None when it
    names none (then the whole parser reports, or prints the help)."""
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in COMMANDS:
            return a
        if a in ("--lang", "-C", "--directory"):
            i += 2
        elif a in ("-v", "--verbose") or a.startswith(("--lang=", "--directory=")) or (
                a.startswith("-C") and len(a) > 2):
            i += 1
        else:
            return None
    return None


# False once a `unik run IMAGE` on the runner has finished: the VM is closed,
# disks are durable, no plugin was loaded (see entry()).
_teardown_needed = True


def entry() -> None:
    """The `unik` command (scripts/unik, `python -m unik`): main(), then the
    exit. After `unik run IMAGE` on the runner, once stdout and stderr are
    flushed, the process ends at once (os._exit): the interpreter's teardown
    — freeing every module and object, ~3 ms, a tenth of the whole command —
    does nothing for a run that is over. Every other command (plugins may
    have atexit work) exits the ordinary way."""
    status = main()
    if not _teardown_needed:
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:          # None: the descriptor was closed
                    stream.flush()
        except (OSError, ValueError):
            pass                        # the ordinary exit reports it, as Python does
        else:
            os._exit(status)
    sys.exit(status)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # Split off the guest's command line first: argparse would give its first
    # word to `run`'s optional IMAGE.
    guest_args: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, guest_args = argv[:cut], argv[cut + 1:]
    command = _command(argv)
    args = (_parse_run(argv) if command == "run" else None) or \
        parser(command).parse_args(argv)
    args.args = guest_args
    if getattr(args, "lang_new", None):
        args.lang = args.lang_new
    try:
        return args.func(Session(args))
    except UnikError as e:
        from .plugins import PluginFailed

        hint = ""
        if isinstance(e, PluginFailed) and e.__cause__ is not None:
            if args.verbose:
                import traceback

                traceback.print_exception(e.__cause__, file=sys.stderr)
            else:
                hint = " (unik -v … shows the traceback)"
        print(f"unik: error: {e}{hint}", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print("unik: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception:
        print("unik: internal error (please report):", file=sys.stderr)
        import traceback

        traceback.print_exc()
        return EXIT_INTERNAL


if __name__ == "__main__":
    entry()
