"""The Erlang plugin: real Erlang programs built into images and booted.

The conformance set (tests/plugins/erlang/cases/*.erl, each a module with
start/0) is linked into one image; every case is started by the guest's
command line (`module:start`) on the embedded runner and compared with
Debian's `erl -noshell -s module start -s init stop`: stdout and the exit
status, byte for byte — except the lines that cannot match (erl's crash
reports carry timestamps and the boot process's trace; unik's the VM's).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from unik.testing import Guest, boot_image, kvm_usable

pytestmark = pytest.mark.skipif(
    shutil.which("erlc") is None or shutil.which("erl") is None,
    reason="erlc/erl missing (apt-get install -y erlang-base)")

CASES_DIR = Path(__file__).resolve().parent / "erlang" / "cases"
# a case is a module exporting start/0; other modules are helpers the cases use
CASES = sorted(p.stem for p in CASES_DIR.glob("*.erl")
               if re.search(r"-export\(\[[^\]]*\bstart/0", p.read_text()))
KVM = pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")


def normalise(text: str) -> str:
    """Drop what differs by design: crash reports (timestamps, traces), the boot crash line."""
    out: list[str] = []
    skipping = False
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith(("=ERROR REPORT===", "=CRASH REPORT===", "=SUPERVISOR REPORT===")):
            skipping = True
            continue
        if skipping:
            if line == "":
                skipping = False
            continue
        if line.startswith(('{"init terminating in do_boot"', '"init terminating in do_boot"',
                            "init terminating in do_boot", "Crash dump is being written")):
            # erl writes '{' of its boot crash line, then may let the program's
            # last output in before the rest: '{about to exit' + '"init terminating…'
            if line.startswith('"init') and out and out[-1].startswith("{"):
                out[-1] = out[-1][1:]
            continue
        out.append(line)
    return "\n".join(out)


@pytest.fixture(scope="module")
def erl_ebin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("ebin")
    # run where the sources are, as unik does: stack traces name "m.erl"
    subprocess.run(["erlc", "-o", str(d), *(p.name for p in sorted(CASES_DIR.glob("*.erl")))],
                   check=True, cwd=CASES_DIR)
    return d


@pytest.fixture(scope="module")
def cases_image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {p.name: p.read_text() for p in CASES_DIR.glob("*.erl")}
    g = Guest.create(tmp_path_factory.mktemp("cases"), "erlang", files, name="cases",
                     toml='[erlang]\nentry = "fib:start"\n')
    return g.build().image


def run_erl(ebin: Path, case: str) -> tuple[int, str]:
    env = dict(os.environ, ERL_CRASH_DUMP_SECONDS="0")
    proc = subprocess.run(["erl", "-noshell", "-pa", str(ebin), "-s", case, "start",
                           "-s", "init", "stop"], capture_output=True, timeout=120,
                          env=env, cwd=ebin)
    return proc.returncode, proc.stdout.decode(errors="replace")


@KVM
@pytest.mark.parametrize("case", CASES)
def test_conformance(case: str, cases_image: Path, erl_ebin: Path) -> None:
    want_status, want_out = run_erl(erl_ebin, case)
    r = boot_image(cases_image, host="runner", cmdline=f"{case}:start", timeout=120)
    # stdout against erl's stdout: unik writes crash reports and halt slogans to stderr
    assert normalise(r.stdout) == normalise(want_out)
    assert r.status == want_status


def test_new_project_builds_and_runs_on_qemu(tmp_path: Path) -> None:
    from unik.testing import plugin_host

    files = plugin_host().language("erlang").new_project("app")
    g = Guest.create(tmp_path, "erlang", files, name="app")
    r = g.boot(host="qemu", timeout=120)
    assert r.status == 0, r.output
    assert "Hello from Erlang on unik!" in r.output
    assert "{true,[1,2,3,4,5],#{answer => 42}}" in r.output


@KVM
def test_new_project_runs_on_the_runner(tmp_path: Path) -> None:
    from unik.testing import plugin_host

    files = plugin_host().language("erlang").new_project("app")
    r = Guest.create(tmp_path, "erlang", files, name="app").boot(host="runner")
    assert r.status == 0 and "Hello from Erlang on unik!" in r.output, r.output


def test_fib_on_qemu(cases_image: Path) -> None:
    r = boot_image(cases_image, host="qemu", cmdline="fib:start", timeout=120)
    assert r.status == 0 and "fib(27) = 196418" in r.output, r.output


def test_unsupported_bif_is_a_build_error(tmp_path: Path) -> None:
    src = "-module(m).\n-export([start/0]).\nstart() -> erlang:port_info(x).\n"
    g = Guest.create(tmp_path, "erlang", {"m.erl": src})
    with pytest.raises(Exception) as e:
        g.build()
    msg = str(e.value)
    assert "m:start/0" in msg and "port_info" in msg


def test_missing_entry_is_a_clear_error(tmp_path: Path) -> None:
    g = Guest.create(tmp_path, "erlang", {"m.erl": "-module(m).\n-export([f/1]).\nf(X) -> X.\n"})
    with pytest.raises(Exception, match="export start/0 or main/0"):
        g.build()


def test_bad_entry_option(tmp_path: Path) -> None:
    g = Guest.create(tmp_path, "erlang", {"m.erl": "-module(m).\n-export([start/0]).\n"
                                                   "start() -> ok.\n"},
                     toml='[erlang]\nentry = "nope:start"\n')
    with pytest.raises(Exception, match=re.escape("entry module 'nope'")):
        g.build()


def test_compile_error_is_reported(tmp_path: Path) -> None:
    g = Guest.create(tmp_path, "erlang", {"m.erl": "-module(m).\nstart( -> ok.\n"})
    with pytest.raises(Exception, match="compiling Erlang"):
        g.build()


def test_compare_programs_print_the_specification(tmp_path: Path) -> None:
    """The plugin's `unik compare` programs (the ones bench/erlang.py runs)
    print exactly core/compare/spec.py's outputs on the runner."""
    import unik_erlang
    from unik.testing import check_benchmarks

    got = check_benchmarks(unik_erlang, work_dir=tmp_path)
    assert set(got) == {f"erlang/{p}" for p in
                        ("hello", "fib", "binarytrees", "hashmap", "nbody", "strings", "ring")}, got
    assert set(got.values()) == {"ok"}, got
