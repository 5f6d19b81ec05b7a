"""Erlang features beyond the conformance set's stdout: stack-trace locations
in the crash reports the VM prints on stderr, file names from include files,
and the external term format read back from erl's own bytes.

Each program also runs under `erl -noshell` where the two can be compared.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from unik.testing import Guest, boot_image, kvm_usable

pytestmark = [
    pytest.mark.skipif(shutil.which("erlc") is None or shutil.which("erl") is None,
                       reason="erlc/erl missing (apt-get install -y erlang-base)"),
    pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm"),
]

CRASHER = """\
-module(crasher).
-export([start/0, boot_fail/0]).
-include("inc/helpers.hrl").

start() ->
    Pid = spawn(fun() -> worker(3) end),
    Ref = monitor(process, Pid),
    receive {'DOWN', Ref, process, Pid, Reason} ->
        io:format("down: ~p~n", [Reason])
    end,
    io:format("~p~n", [try helper(x) catch error:R:S -> {R, S} end]).

boot_fail() ->
    entry_fails(2).

worker(0) -> {ok, _} = lookup(missing);
worker(N) -> worker(N - 1).

lookup(K) -> maps:find(K, #{}).

entry_fails(N) ->
    N + list_to_atom("boom").
"""

HELPERS = """\
helper(X) ->
    X * 2.
"""


def _erl_output(tmp: Path, files: dict[str, str], module: str) -> str:
    d = tmp / "erl"
    for rel, text in files.items():
        (d / rel).parent.mkdir(parents=True, exist_ok=True)
        (d / rel).write_text(text)
    subprocess.run(["erlc", f"{module}.erl"], cwd=d, check=True, capture_output=True)
    proc = subprocess.run(["erl", "-noshell", "-s", module, "start", "-s", "init", "stop"],
                          cwd=d, capture_output=True, timeout=60,
                          env={"ERL_CRASH_DUMP_SECONDS": "0", "PATH": "/usr/bin:/bin"})
    # erl's logger prints the crash report to stdout whenever it gets to it: drop it
    return re.sub(r"^=ERROR REPORT=.*?\n\n", "", proc.stdout.decode(errors="replace"),
                  flags=re.S | re.M)


def test_crash_reports_carry_file_and_line(tmp_path: Path) -> None:
    files = {"crasher.erl": CRASHER, "inc/helpers.hrl": HELPERS}
    image = Guest.create(tmp_path, "erlang", files).build().image
    r = boot_image(image)
    want = _erl_output(tmp_path, files, "crasher")
    # the monitor's reason and the caught trace are printed by the program: as erl
    down = re.search(r"^down: .*?(?=^\{)", r.stdout, re.S | re.M)
    want_down = re.search(r"^down: .*?(?=^\{)", want, re.S | re.M)
    assert down and want_down and down.group(0) == want_down.group(0), (r.stdout, want)
    assert '{file,"crasher.erl"},{line,16}' in down.group(0).replace("\n", "").replace(" ", "")
    caught = r.stdout[down.end():]
    assert caught.split("\n")[0] == want[want_down.end():].split("\n")[0]
    assert '{file,"inc/helpers.hrl"},{line,2}' in caught.replace("\n", "").replace(" ", "")
    # the spawned process's crash report (on the console; erl's logger) names the line
    assert "Error in process" in r.output
    assert ('{{badmatch,error},[{crasher,worker,1,[{file,"crasher.erl"},{line,16}]}]}'
            in r.output), r.output
    assert r.status == 0
    # the entry's crash: erl's do_boot line, with the BIF frame and the location
    r = boot_image(image, cmdline="crasher:boot_fail")
    assert r.status == 1
    boot = [ln for ln in r.output.splitlines() if ln.startswith("init terminating in do_boot")]
    assert boot and "{erlang,'+',[2,boom]" in boot[0], r.output
    assert '{crasher,entry_fails,1,[{file,"crasher.erl"},{line,22}]}' in boot[0]


def test_binary_to_term_reads_erls_bytes(tmp_path: Path) -> None:
    """Terms encoded by erl decode to the same terms here (and back)."""
    term = ('{[1, -7, 3.5, 1 bsl 80, "text", <<1,2,3>>, <<5:3>>], #{k => [a | b]}, '
            '{}, [], \'ünï\', -(1 bsl 40)}')
    proc = subprocess.run(["erl", "-noshell", "-eval",
                           f"io:format(\"~w\", [term_to_binary({term})]), init:stop()."],
                          capture_output=True, timeout=60, check=True)
    encoded = proc.stdout.decode()
    src = (f"-module(dec).\n-export([start/0]).\n"
           f"start() ->\n    B = {encoded},\n    T = binary_to_term(B),\n"
           f"    T = {term},\n    B = term_to_binary(T),\n    io:format(\"same~n\").\n")
    r = Guest.create(tmp_path, "erlang", {"dec.erl": src}).boot()
    assert r.status == 0 and r.stdout.strip() == "same", r.output


def test_common_message_tags_do_not_pull_in_otp(tmp_path: Path) -> None:
    """Atoms like open/init/info name exported OTP functions (epp:open/1,
    net_kernel:init/1, inet:info/1): they must not keep them, and with them the
    compiler, in the image of a program that only uses them as tags."""
    src = ("-module(tags).\n-export([start/0]).\n"
           "start() ->\n"
           "    Msgs = [{open, \"f\"}, {init, []}, {info, x}, {read, 1}, {parse, 2}],\n"
           "    io:format(\"~p~n\", [[element(1, M) || M <- Msgs]]).\n")
    g = Guest.create(tmp_path, "erlang", {"tags.erl": src})
    image = g.build().image
    assert image.stat().st_size < 1536 * 1024, image.stat().st_size   # the 1.5 MB
    r = boot_image(image)
    assert r.status == 0 and r.stdout.strip() == "[open,init,info,read,parse]", r.output


def test_gen_server_crash_report_and_lib_file_names(tmp_path: Path) -> None:
    """A gen_server whose handle_call crashes: gen_server's own report (it asks
    process_info for the client's current_stacktrace) reaches the console and
    the caller goes on; frames in unik's replacement modules name "io.erl" as
    OTP's do, not the path unik was built at."""
    src = """\
-module(gsc).
-behaviour(gen_server).
-export([start/0, init/1, handle_call/3, handle_cast/2]).
start() ->
    {ok, P} = gen_server:start(?MODULE, [], []),
    {'EXIT', {{boom, _}, _}} = (catch gen_server:call(P, crash)),
    try io:get_chars("", -1) catch error:function_clause:S -> io:format("~p~n", [hd(S)]) end,
    io:format("after~n").
init([]) -> {ok, state}.
handle_call(crash, _From, _S) -> erlang:error(boom).
handle_cast(_, S) -> {noreply, S}.
"""
    r = Guest.create(tmp_path, "erlang", {"gsc.erl": src}).boot()
    assert r.status == 0, r.output
    assert "** Generic server" in r.output and "** Last message in was crash" in r.output
    assert '{gsc,start,0,[{file,"gsc.erl"},{line,6}]}' in r.output.replace("\n", "").replace(
        " ", ""), r.output                   # the client's stack trace, from process_info
    frame = r.stdout.split("after")[0].replace("\n", "").replace(" ", "")
    assert frame.startswith('{io,get_chars,[standard_io,[],-1],[{file,"io.erl"},{line,'), frame
    assert r.stdout.endswith("after\n")


READER = """\
-module(reader).
-export([start/0]).
start() ->
    io:format("~p~n", [io:get_line("name? ")]),
    io:format("~p~n", [io:fread("num> ", "~d ~a")]),
    io:format("~p~n", [io:read("term> ")]),
    io:format("~p~n", [io:read("")]),
    io:format("~p~n", [io:get_line("")]),
    io:format("~p~n", [io:fread("", "~d")]),
    io:format("~p~n", [io:read("")]).
"""


def test_reading_stdin_like_erl(tmp_path: Path) -> None:
    """io:get_line, io:fread and io:read over piped input (a term across two
    lines, a bad term, end of file) print what erl prints."""
    data = b"alice\n42 atom\n{x,\n [1, 2]}.\nfoo(.\nrest of line\n"
    src = tmp_path / "src"
    src.mkdir()
    (src / "reader.erl").write_text(READER)
    subprocess.run(["erlc", "reader.erl"], check=True, cwd=src)
    want = subprocess.run(["erl", "-noshell", "-s", "reader", "start", "-s", "init", "stop"],
                          input=data, capture_output=True, cwd=src, timeout=60)
    image = Guest.create(tmp_path / "g", "erlang", {"reader.erl": READER}).build().image
    r = boot_image(image, host="runner", stdin=data, timeout=120)
    assert r.status == want.returncode == 0, r.output
    assert r.stdout == want.stdout.decode()
