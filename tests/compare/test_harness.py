"""The harness on a throw-away plugin whose programs build, run, print the
wrong thing, fail to build, hang and fail: every pair shows what happened,
the rest still runs, and Ctrl-C keeps what was measured."""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import fakeplugin
import pytest

from unik.api import Language, hookimpl
from unik.compare import command, measure
from unik.compare.session import Options, compare
from unik.testing import check_benchmarks, host_with, kvm_usable

pytestmark = pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm (the "
                                "hanging program would take minutes on the software CPU)")


class Broken(Language):
    name = "broken"

    def benchmarks(self):
        raise RuntimeError("no programs here")


class BrokenPlugin:
    @hookimpl
    def unik_register_languages(self, register):
        register(Broken())


@pytest.fixture
def fake(tmp_path, monkeypatch):
    fakeplugin.write(tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    sys.modules.pop("unik_fakelang", None)
    return importlib.import_module("unik_fakelang")


def _by_program(pairs):
    return {p.program: p for p in pairs}


def test_every_kind_of_failure_is_shown_and_the_rest_runs(fake, tmp_path):
    host = host_with(fake, BrokenPlugin())
    opts = Options(repeat=2, timeout=3, native=True, work_dir=tmp_path / "out")
    c = compare(host, opts)
    pairs = _by_program([p for p in c.pairs if p.lang == "fakelang"])
    ok = pairs["fib"].unikernel
    assert ok.state == "ok" and len(ok.runs) == 2
    assert {r.compute_ns for r in ok.runs} == {123}          # the param reached argv[1]
    assert all(r.exits and r.hypercalls and r.memory_bytes and r.first_byte_ns
               for r in ok.runs)
    assert pairs["fib"].image_bytes and pairs["fib"].debug_bytes > pairs["fib"].image_bytes
    assert pairs["hello"].unikernel.state == "ok"
    bt = pairs["binarytrees"].unikernel
    assert bt.state == "wrong output" and bt.runs == []
    assert bt.reason.startswith("line 1: expected 'stretch tree of depth 17")
    assert "got 'wrong'" in bt.reason
    hm = pairs["hashmap"].unikernel
    assert hm.state == "build failed" and "compiling main.fk failed" in hm.reason
    assert pairs["nbody"].unikernel.state == "timeout"
    st = pairs["strings"].unikernel
    assert st.state == "failed" and st.reason.startswith("exit status 3")
    assert pairs["ring"].unikernel.state == "missing"
    # native: fib has a native build, the others say they have none
    assert pairs["fib"].native.state == "ok"
    assert [r.compute_ns for r in pairs["fib"].native.runs] == [7, 7]
    assert pairs["hello"].native.state == "missing"
    assert pairs["hello"].native.reason == "no native build"
    # the other plugin's failure and the unknown program are notes, not a stop
    assert any("BrokenPlugin" in n and "no programs here" in n for n in c.notes)
    assert any("'extra' is not one of" in n for n in c.notes)
    assert {p.unikernel.state for p in c.pairs if p.lang == "broken"} == {"missing"}


def test_report_files_and_exit_status(fake, tmp_path, capsys):
    host = host_with(fake)
    out = tmp_path / "out"
    status = command.run(host, Options(programs=["hello", "fib", "strings"], repeat=1,
                                       timeout=20, work_dir=out))
    assert status == command.EXIT_SOME_FAILED
    text = capsys.readouterr().out
    assert "failed: exit status 3" in text and "fib" in text
    doc = json.loads((out / "compare.json").read_text())
    assert doc["interrupted"] is False and doc["options"]["repeat"] == 1
    assert doc["machine"]["cpus"] and doc["toolchains"]["core"]["gcc"]
    assert doc["programs"]["fib"]["expected"] == "fib(32) = 2178309\n"
    states = {p["program"]: p["unikernel"]["state"] for p in doc["pairs"]}
    assert states == {"hello": "ok", "fib": "ok", "strings": "failed"}
    fib = next(p for p in doc["pairs"] if p["program"] == "fib")
    assert fib["unikernel"]["runs"][0]["compute_ns"] == 123
    assert fib["summary"]["compute_ns"]["median"] == 123 / 1e6
    html = (out / "compare.html").read_text()
    assert html.count("<svg") >= 5 and "exit status 3" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # self-contained


def test_ctrl_c_keeps_what_was_measured(fake, tmp_path, monkeypatch):
    real = measure.boot_runner
    calls = []

    def boot(*a, **kw):
        calls.append(1)
        if len(calls) == 3:          # round 2's first boot
            raise KeyboardInterrupt
        return real(*a, **kw)

    monkeypatch.setattr(measure, "boot_runner", boot)
    out = tmp_path / "out"
    status = command.run(host_with(fake), Options(programs=["hello", "fib"], repeat=3,
                                                  work_dir=out))
    assert status == command.EXIT_INTERRUPTED
    doc = json.loads((out / "compare.json").read_text())
    assert doc["interrupted"] is True
    runs = {p["program"]: len(p["unikernel"]["runs"]) for p in doc["pairs"]}
    assert runs == {"hello": 1, "fib": 1}
    assert "Interrupted" in (out / "compare.html").read_text()


def test_check_benchmarks_for_plugin_authors(fake, tmp_path):
    got = check_benchmarks(fake, work_dir=tmp_path, programs=["hello", "fib", "strings",
                                                                "ring"], native=True)
    assert got == {"fakelang/hello": "ok", "fakelang/fib": "ok",
                   "fakelang/fib (native)": "ok",
                   "fakelang/strings": "failed: exit status 3"}


def test_an_unknown_program_or_language_is_one_line(fake, tmp_path):
    from unik.errors import UnikError

    host = host_with(fake)
    with pytest.raises(UnikError, match="unknown program 'fibb'"):
        compare(host, Options(programs=["fibb"], work_dir=tmp_path))
    with pytest.raises(UnikError, match="cobol"):
        compare(host, Options(langs=["cobol"], work_dir=tmp_path))


def _cli_env(site: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")])
    return env


def test_an_installed_third_party_plugin_is_compared_without_changes_to_unik(tmp_path):
    site = fakeplugin.write(tmp_path / "site", dist_info=True)
    proc = subprocess.run([sys.executable, "-m", "unik", "compare", "--lang", "fakelang",
                           "--program", "hello", "--program", "fib", "--repeat", "1",
                           "--out", str(tmp_path / "out")], env=_cli_env(site),
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "fakelang" in proc.stdout and "hello" in proc.stdout
    doc = json.loads((tmp_path / "out" / "compare.json").read_text())
    assert doc["toolchains"]["fakelang"]["plugin"] == "unik-fakelang"
    assert [p["unikernel"]["state"] for p in doc["pairs"]] == ["ok", "ok"]


def test_sigint_writes_a_partial_report(tmp_path):
    site = fakeplugin.write(tmp_path / "site", dist_info=True)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "unik", "compare", "--lang", "fakelang",
                             "--program", "hello", "--program", "nbody", "--repeat", "1",
                             "--timeout", "120", "--out", str(out)], env=_cli_env(site),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path)
    log = ""
    deadline = time.monotonic() + 300
    # wait until the hanging nbody guest runs (the progress lines say so), then Ctrl-C
    assert proc.stderr is not None
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        log += line
        if "round 1/1: fakelang/nbody" in line or not line:
            break
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    stdout, rest = proc.communicate(timeout=120)
    assert proc.returncode == 130, log + rest
    doc = json.loads((out / "compare.json").read_text())
    assert doc["interrupted"] is True
    states = {p["program"]: p["unikernel"]["state"] for p in doc["pairs"]}
    assert states == {"hello": "ok", "nbody": "interrupted"}
    assert "Traceback" not in rest
