"""unik compare with the real C and OCaml plugins: every program they offer
builds, boots and prints exactly what the specification says."""

from __future__ import annotations

import json
import shutil

import pytest

from unik.compare import command, spec
from unik.compare.pairs import benchmarks_of
from unik.compare.session import Options, compare
from unik.testing import kvm_usable, plugin_host

HAVE_OCAML = shutil.which("ocamlopt") is not None and shutil.which("ocamlfind") is not None
KVM = pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm: the programs would "
                         "take minutes each on the software CPU")


def test_c_and_ocaml_offer_only_specified_programs():
    host = plugin_host()
    for name in ["c", "ocaml"] if HAVE_OCAML else ["c"]:
        offered = benchmarks_of(host.language(name))
        assert set(offered) <= set(spec.PROGRAMS), name
        assert set(offered) >= {"hello", "fib", "binarytrees", "hashmap", "nbody", "strings"}
        assert all((d / "unik.toml").is_file() for d in offered.values())


@KVM
@pytest.mark.parametrize("lang", [
    "c", pytest.param("ocaml", marks=pytest.mark.skipif(not HAVE_OCAML, reason="no OCaml"))])
def test_every_program_of_a_real_plugin_checks_out(lang, tmp_path):
    c = compare(plugin_host(), Options(langs=[lang], repeat=1, native=True,
                                       work_dir=tmp_path))
    states = {p.program: (p.unikernel.state, p.unikernel.reason) for p in c.pairs}
    offered = benchmarks_of(plugin_host().language(lang))
    assert {k for k, (s, _) in states.items() if s == "ok"} == set(offered), states
    for p in c.pairs:
        if p.unikernel.state != "ok":
            continue
        run = p.unikernel.runs[0]
        assert run.exits and run.hypercalls and run.memory_bytes and run.wall_ns
        assert (run.compute_ns is not None) == spec.PROGRAMS[p.program].timed
        assert p.native is not None and p.native.state == "ok", (p.program, p.native.reason)
        assert p.native.runs[0].memory_bytes


def test_qemu_host(tmp_path):
    if shutil.which("qemu-system-x86_64") is None:
        pytest.skip("qemu-system-x86_64 missing (apt-get install -y qemu-system-x86)")
    status = command.run(plugin_host(), Options(langs=["c"], programs=["hello", "fib"],
                                                repeat=1, host="qemu", work_dir=tmp_path))
    assert status == 0
    doc = json.loads((tmp_path / "compare.json").read_text())
    assert doc["options"]["qemu_accel"] in ("tcg", "kvm")
    for p in doc["pairs"]:
        assert p["unikernel"]["state"] == "ok"
        run = p["unikernel"]["runs"][0]
        assert run["wall_ns"] > 0 and run["exits"] is None     # QEMU has no runner statistics
