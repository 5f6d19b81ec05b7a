"""The Python-subset plugin: programs compiled to unikernels and compared with CPython.

cases/*.py: each program is run by CPython (this interpreter) and booted as a
unikernel on the embedded runner; stdout and the exit status must be the same
byte for byte. A program that ends with an uncaught exception must also end
with the same `Type: message` line and name the same line of the file (a
traceback_*.py case: the same frames, file, line and function, in order). An
optional first-line comment `# argv: a b c` gives the command line.

reject/*.py: each program is outside the subset and must be refused at build
time with `file:line:col: message`; its first line says `# error: L:C: text`.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from unik.api import UnikError
from unik.testing import Guest, boot_image, kvm_usable

HERE = Path(__file__).resolve().parent / "python"
CASES = sorted((HERE / "cases").glob("*.py"))
REJECTS = sorted((HERE / "reject").glob("*.py"))
PROJECTS = sorted(p for p in (HERE / "projects").iterdir() if (p / "main.py").is_file())

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc missing")
HOST = ("runner", "kvm") if kvm_usable() else ("runner", "soft")


def _argv(src: str) -> list[str]:
    m = re.match(r"# argv: (.*)\n", src)
    return shlex.split(m.group(1)) if m else []


def cpython(path: Path, argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(path), *argv], capture_output=True, text=True,
                          timeout=300, cwd=path.parent)


def build(tmp: Path, path: Path) -> Path:
    g = Guest.create(tmp, "python", {"main.py": path.read_text()}, name=path.stem)
    return g.build().image


def check_same(path: Path, want: subprocess.CompletedProcess[str], status: int,
               output: str) -> None:
    output = output.replace("\r\n", "\n")
    assert status == want.returncode, f"{path.name}: status {status}, CPython " \
                                      f"{want.returncode}\n{output[-2000:]}"
    if not want.stderr:
        assert output == want.stdout
        return
    # an uncaught exception: stdout, then a traceback naming the same line and error
    assert output.startswith(want.stdout), output[-2000:]
    tail = output[len(want.stdout):]
    last = want.stderr.strip().splitlines()[-1]
    assert tail.strip().splitlines()[-1] == last, tail
    lines = re.findall(r'line (\d+)', want.stderr)
    if lines and "Traceback" in want.stderr:
        assert f"line {lines[-1]}" in tail, (tail, want.stderr)
    if path.stem.startswith("traceback"):
        # every frame, outermost first: file name, line and function, as CPython names them
        assert _frames(tail, path) == _frames(want.stderr, path), (tail, want.stderr)


def _frames(text: str, main: Path) -> list[tuple[str, str, str]]:
    """(file, line, function) of each frame; the case file is main.py in the guest."""
    return [("main.py" if Path(f).name == main.name else Path(f).name, n, fn) for f, n, fn in
            re.findall(r'File "([^"]+)", line (\d+), in (\S+)', text)]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_matches_cpython(path: Path, tmp_path: Path) -> None:
    argv = _argv(path.read_text())
    want = cpython(path, argv)
    image = build(tmp_path, path)
    r = boot_image(image, host=HOST[0], cpu=HOST[1], cmdline=shlex.join(argv), timeout=300)
    check_same(path, want, r.status, r.output)


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_project_of_modules_matches_cpython(project: Path, tmp_path: Path) -> None:
    """projects/*/: main.py importing local modules and packages (several files)."""
    want = cpython(project / "main.py", [])
    image = Guest.copy_of(project, tmp_path).build().image
    r = boot_image(image, host=HOST[0], cpu=HOST[1], timeout=300)
    check_same(project / "main.py", want, r.status, r.output)
    if "Traceback" in want.stderr:
        tail = r.output.replace("\r\n", "\n")[len(want.stdout):]
        assert _frames(tail, project / "main.py") == _frames(want.stderr, project / "main.py")


MODULE_ERRORS = {
    "circular": ({"main.py": "import a\n", "a.py": "import b\n", "b.py": "import a\n"},
                 "b.py:1:1: circular import of a is not supported"),
    "class_clash": ({"main.py": "import a\n\n\nclass P:\n    pass\n",
                     "a.py": "class P:\n    pass\n"},
                    "main.py:4:1: class P is also defined in a.py"),
    "missing_name": ({"main.py": "from a import g\n", "a.py": "def f() -> int:\n    return 1\n"},
                     "main.py:1:1: module a has no g"),
    "relative": ({"main.py": "from . import a\n", "a.py": "x = 1\n"},
                 "main.py:1:1: relative imports (from . import x) are not supported"),
    "error_in_module": ({"main.py": "import a\n\nprint(a.f())\n",
                         "a.py": "def f() -> int:\n    return 'x'\n"},
                        "a.py:2:12: "),
}


@pytest.mark.parametrize("case", MODULE_ERRORS, ids=list(MODULE_ERRORS))
def test_module_errors_name_the_file(case: str, tmp_path: Path) -> None:
    from unik_python.build import translate

    files, want = MODULE_ERRORS[case]
    for rel, text in files.items():
        (tmp_path / rel).write_text(text)
    with pytest.raises(UnikError) as e:
        translate(tmp_path / "main.py", "main.py")
    assert str(e.value).startswith(want), str(e.value)


QEMU_CASES = [p for p in CASES if p.stem in ("fib", "classes", "generators", "exceptions")]


@pytest.mark.parametrize("path", QEMU_CASES, ids=[p.stem for p in QEMU_CASES])
def test_case_on_qemu(path: Path, tmp_path: Path) -> None:
    if shutil.which("qemu-system-x86_64") is None:
        pytest.skip("qemu-system-x86_64 missing")
    argv = _argv(path.read_text())
    want = cpython(path, argv)
    image = build(tmp_path, path)
    r = boot_image(image, host="qemu", cmdline=shlex.join(argv), timeout=300)
    check_same(path, want, r.status, r.output)


def _expected_error(path: Path) -> tuple[int, int, str]:
    m = re.match(r"# error: (\d+):(\d+): (.*)\n", path.read_text())
    assert m, f"{path.name} must start with '# error: LINE:COL: message'"
    return int(m.group(1)), int(m.group(2)), m.group(3)


@pytest.mark.parametrize("path", REJECTS, ids=[p.stem for p in REJECTS])
def test_rejected_with_location(path: Path, tmp_path: Path) -> None:
    from unik_python.build import translate

    line, col, text = _expected_error(path)
    with pytest.raises(UnikError) as e:
        translate(path, "main.py")
    msg = str(e.value)
    assert msg.startswith(f"main.py:{line}:{col}: "), msg
    assert text in msg, msg
    assert "\n" not in msg


def test_rejected_program_is_one_line_from_the_cli(tmp_path: Path) -> None:
    src = REJECTS[0].read_text()
    line, col, _ = _expected_error(REJECTS[0])
    g = Guest.create(tmp_path, "python", {"main.py": src}, name="bad")
    proc = subprocess.run([sys.executable, "-m", "unik", "build"], cwd=g.dir,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"main.py:{line}:{col}: " in proc.stderr


def test_new_build_run_from_the_cli(tmp_path: Path) -> None:
    unik = [sys.executable, "-m", "unik"]
    subprocess.run([*unik, "new", "app", "--lang", "python"], cwd=tmp_path, check=True,
                   capture_output=True, timeout=60)
    app = tmp_path / "app"
    b = subprocess.run([*unik, "build"], cwd=app, capture_output=True, text=True, timeout=300)
    assert b.returncode == 0, b.stderr
    assert "compiling main.py (Python subset" in b.stderr     # progress on a first build
    r = subprocess.run([*unik, "run", "--", "x", "yz"], cwd=app, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.replace("\r\n", "\n") == cpython(app / "main.py", ["x", "yz"]).stdout


def test_exit_status_and_stderr(tmp_path: Path) -> None:
    src = ("import sys\n\nprint('to stdout')\nprint('to stderr', file=sys.stderr)\n"
           "if len(sys.argv) > 1:\n    sys.exit(int(sys.argv[1]))\nprint('not reached')\n")
    image = Guest.create(tmp_path, "python", {"main.py": src}).build().image
    r = boot_image(image, host=HOST[0], cpu=HOST[1], cmdline="42")
    assert r.status == 42
    assert "to stdout" in r.output and "to stderr" in r.output
    assert "not reached" not in r.output


# 2 GB allocated in total by a program whose live data stays small: it must finish
# in a 64 MiB guest (the GC frees what is dropped, lists, dicts and generators alike).
GC_STRESS = '''
from typing import Iterator


class Node:
    def __init__(self, value: int, next: "Node | None") -> None:
        self.value = value
        self.next = next


def gen(n: int) -> Iterator[int]:
    for i in range(n):
        yield i


total = 0
keep: list[list[int]] = []
for round in range(20000):
    chain: Node | None = None
    for i in range(100):
        chain = Node(i, chain)
    data = [round] * 1000
    d = {i: str(i) for i in range(20)}
    keep.append(data)
    if len(keep) > 10:
        keep = []
    total += sum(gen(10)) + len(d) + (chain.value if chain is not None else 0)
print(total)
'''


def test_gc_bounded_memory(tmp_path: Path) -> None:
    image = Guest.create(tmp_path, "python", {"main.py": GC_STRESS}).build().image
    r = boot_image(image, host=HOST[0], cpu=HOST[1], memory_mib=64, timeout=600)
    assert r.status == 0, r.output[-2000:]
    assert r.output.replace("\r\n", "\n") == f"{20000 * (45 + 20 + 99)}\n"


def test_unik_module(tmp_path: Path) -> None:
    """`import unik` (guest-only: console, clock, sleep through unik_yield)."""
    src = ("import unik\n\nunik.log('from the unik module')\nt = unik.now_ns()\n"
           "unik.sleep(0.02)\nprint(unik.now_ns() - t >= 20_000_000)\n")
    image = Guest.create(tmp_path, "python", {"main.py": src}).build().image
    r = boot_image(image, host=HOST[0], cpu=HOST[1])
    assert r.status == 0, r.output
    assert r.output.replace("\r\n", "\n") == "from the unik module\nTrue\n"


def test_compare_programs_print_the_specification(tmp_path: Path) -> None:
    """The plugin's `unik compare` programs (the same files bench/python.py runs)
    print exactly core/compare/spec.py's outputs on the runner."""
    import unik_python
    from unik.testing import check_benchmarks

    got = check_benchmarks(unik_python, work_dir=tmp_path,
                           programs=["hello", "fib", "hashmap", "strings", "ring"])
    assert got and set(got.values()) == {"ok"}, got
