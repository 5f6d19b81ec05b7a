"""The pre-linker: .beam modules → one image (GNU as source) the guest VM runs.

Starting from the entry function (and every exported function of the user's
modules), it follows local calls, external calls, funs and `fun M:F/A`
literals, pulling in the functions they reach — from the user's modules, from
unik's own replacement modules (lib/*.erl, e.g. io) and from OTP's .beam files.
Only reached functions are emitted. Labels, calls, BIFs, atoms and literals are
resolved here; an instruction or BIF the VM does not have is a LinkError that
names the module, function/arity and what is missing.
"""

from __future__ import annotations

import functools
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .beam import (
    FR,
    AllocList,
    Instr,
    Label,
    Lit,
    Module,
    Operand,
    OpList,
    U,
    X,
    Y,
)
from .genop import BY_NAME
from .terms import Atom, Bits, Cons, Export, Map, Term, Tuple

RUNTIME = Path(__file__).resolve().parent / "runtime"

# Instructions the VM runs; anything else reached is a build-time error.
SUPPORTED = {
    "label", "line", "func_info", "int_code_end", "call", "call_last", "call_only",
    "call_ext", "call_ext_last", "call_ext_only", "bif0", "bif1", "bif2", "gc_bif1",
    "gc_bif2", "gc_bif3", "allocate", "allocate_heap", "allocate_zero",
    "allocate_heap_zero", "test_heap", "init", "init_yregs", "deallocate", "return",
    "trim", "move", "swap", "get_list", "get_hd", "get_tl", "get_tuple_element",
    "set_tuple_element", "put_list", "put_tuple2", "jump", "is_integer", "is_float",
    "is_number", "is_atom", "is_pid", "is_reference", "is_port", "is_nil", "is_binary",
    "is_bitstr", "is_list", "is_nonempty_list", "is_tuple", "is_map", "is_function",
    "is_boolean", "is_lt", "is_ge", "is_eq", "is_ne", "is_eq_exact", "is_ne_exact",
    "is_function2", "test_arity", "is_tagged_tuple", "select_val", "select_tuple_arity",
    "badmatch", "case_end", "try_case_end", "if_end", "badrecord", "catch", "try",
    "catch_end", "try_end", "try_case", "raise", "build_stacktrace", "make_fun3",
    "call_fun", "call_fun2", "apply", "apply_last", "send", "loop_rec", "loop_rec_end",
    "remove_message", "timeout", "wait", "wait_timeout", "recv_marker_reserve",
    "recv_marker_bind", "recv_marker_clear", "recv_marker_use", "fmove", "fconv", "fadd",
    "fsub", "fmul", "fdiv", "fnegate", "fclearerror", "fcheckerror", "put_map_assoc",
    "put_map_exact", "get_map_elements", "has_map_fields", "bs_start_match3",
    "bs_start_match4", "bs_get_position", "bs_set_position", "bs_get_tail",
    "bs_test_tail2", "bs_test_unit", "bs_get_integer2", "bs_get_binary2", "bs_get_float2",
    "bs_skip_bits2", "bs_match_string", "bs_get_utf8", "bs_skip_utf8", "bs_get_utf16",
    "bs_skip_utf16", "bs_get_utf32", "bs_skip_utf32", "bs_create_bin", "bs_init_writable",
    "bs_context_to_binary", "nif_start", "on_load", "raw_raise",
}
# Emitted as nothing.
SKIPPED = {"label", "line", "int_code_end", "nif_start", "on_load"}


class LinkError(Exception):
    pass


def _read_list(path: Path, pattern: str) -> list[tuple[str, ...]]:
    rx = re.compile(pattern)
    return [m.groups() for line in path.read_text().splitlines() if (m := rx.match(line))]


@functools.cache
def fixed_atoms() -> list[str]:
    return [name for _c, name in _read_list(RUNTIME / "atoms.h", r'^A\((\w+), "(.*)"\)$')]


@functools.cache
def bif_table() -> dict[tuple[str, str, int], int]:
    rows = _read_list(RUNTIME / "bifs.h", r'^B\((\w+), "(\w+)", "([^"]+)", (\d+)\)$')
    table: dict[tuple[str, str, int], int] = {}
    for i, (_fn, mod, name, arity) in enumerate(rows):
        table.setdefault((mod, name, int(arity)), i)
    return table


@functools.cache
def custom_ops() -> dict[str, int]:
    rows = _read_list(RUNTIME / "ops.h", r"^#define OP_X_(\w+) (\d+)")
    return {name.lower(): int(n) for name, n in rows}


# ---- Erlang term order, for sorting literal map keys as the VM does ----

def _class(t: Term) -> int:
    if isinstance(t, (int, float)) and not isinstance(t, bool):
        return 0
    if isinstance(t, Atom):
        return 1
    if isinstance(t, Export):
        return 3
    if isinstance(t, Tuple):
        return 6
    if isinstance(t, Map):
        return 7
    if isinstance(t, list) and not t:
        return 8
    if isinstance(t, (list, Cons)):
        return 9
    return 10


def term_cmp(a: Term, b: Term, exact: bool = True) -> int:
    ca, cb = _class(a), _class(b)
    if ca != cb:
        return -1 if ca < cb else 1
    if ca == 0:
        assert isinstance(a, (int, float)) and isinstance(b, (int, float))
        # map-key (exact) order: every integer before every float, as BEAM's
        if exact and isinstance(a, float) != isinstance(b, float):
            return 1 if isinstance(a, float) else -1
        if a != b:
            return -1 if a < b else 1
        return 0
    if ca == 1:
        ea, eb = str(a).encode(), str(b).encode()
        return (ea > eb) - (ea < eb)
    if ca == 6:
        assert isinstance(a, Tuple) and isinstance(b, Tuple)
        if len(a.items) != len(b.items):
            return -1 if len(a.items) < len(b.items) else 1
        for x, y in zip(a.items, b.items, strict=True):
            c = term_cmp(x, y, exact)
            if c:
                return c
        return 0
    if ca == 9:
        la = list(a.items) + [a.tail] if isinstance(a, Cons) else list(a)  # type: ignore[union-attr]
        lb = list(b.items) + [b.tail] if isinstance(b, Cons) else list(b)  # type: ignore[union-attr]
        for x, y in zip(la, lb, strict=False):
            c = term_cmp(x, y, exact)
            if c:
                return c
        return (len(la) > len(lb)) - (len(la) < len(lb))
    if ca == 10:
        assert isinstance(a, Bits) and isinstance(b, Bits)
        return (a.data > b.data) - (a.data < b.data) or (a.bits > b.bits) - (a.bits < b.bits)
    if ca == 7:
        assert isinstance(a, Map) and isinstance(b, Map)
        if len(a.pairs) != len(b.pairs):
            return -1 if len(a.pairs) < len(b.pairs) else 1
        ka, kb = _sorted_pairs(a), _sorted_pairs(b)
        for (x, _), (y, _) in zip(ka, kb, strict=True):
            c = term_cmp(x, y, True)
            if c:
                return c
        for (_, x), (_, y) in zip(ka, kb, strict=True):
            c = term_cmp(x, y, exact)
            if c:
                return c
        return 0
    return (repr(a) > repr(b)) - (repr(a) < repr(b))


def _sorted_pairs(m: Map) -> list[tuple[Term, Term]]:
    return sorted(m.pairs, key=functools.cmp_to_key(lambda x, y: term_cmp(x[0], y[0])))


# ---- header words (term.h) ----

def _header(arity: int, subtag: int) -> int:
    return (arity << 8) | (subtag << 3) | 7


S_TUPLE, S_FUN, S_SUBBIN, S_MATCHCTX, S_MAP, S_EXPORT = 0, 1, 2, 3, 4, 5
S_FLOAT, S_BIGPOS, S_BIGNEG, S_BIN = 8, 9, 10, 11
MAX_SMALL = (1 << 60) - 1
MIN_SMALL = -(1 << 60)
NIL_WORD = 0x05
MASK64 = (1 << 64) - 1


@dataclass
class Function:
    module: Module
    name: str
    arity: int
    start: int          # instruction index (first label before func_info)
    end: int            # exclusive
    func_info: int      # instruction index of func_info


@dataclass
class _ModInfo:
    mod: Module
    funcs: list[Function]
    by_label: dict[int, Function]
    by_name: dict[tuple[str, int], Function]
    exported: set[tuple[str, int]]
    user: bool


@dataclass
class Image:
    """The result: assembly text, and what went into it (for messages and tests)."""
    asm: str
    modules: list[str]
    functions: int
    code_words: int
    literal_words: int
    atoms: int
    warnings: list[str]


Word = int | str        # a number, or an assembler expression (a literal's address)


@dataclass
class _Linker:
    load_module: Callable[[str], tuple[Module, bool] | None]   # name → (module, is_user)
    mods: dict[str, _ModInfo] = field(default_factory=dict)
    atoms: dict[str, int] = field(default_factory=dict)
    lits: list[Word] = field(default_factory=list)
    lit_cache: dict[str, Word] = field(default_factory=dict)
    code: list[Word | tuple[str, object]] = field(default_factory=list)
    label_pos: dict[tuple[str, int], int] = field(default_factory=dict)
    fn_pos: dict[tuple[str, str, int], int] = field(default_factory=dict)
    reached: dict[tuple[str, str, int], Function] = field(default_factory=dict)
    why: dict[tuple[str, str, int], str] = field(default_factory=dict)
    work: list[Function] = field(default_factory=list)
    funs: dict[tuple[str, int], int] = field(default_factory=dict)     # (module, FunT index) → #
    # (module, FunT index, label) of each fun made
    fun_rows: list[tuple[str, int, int]] = field(default_factory=list)
    exports: set[tuple[str, str, int]] = field(default_factory=set)
    func_rows: list[tuple[int, str, str, int]] = field(default_factory=list)
    # (code index, file, line): where each source line's code starts (stack traces)
    line_rows: list[tuple[int, str, int]] = field(default_factory=list)
    fn_first_row: int = 0           # the first of line_rows of the function being emitted
    warnings: list[str] = field(default_factory=list)
    all_atoms: set[str] = field(default_factory=set)
    speculative: bool = False       # reaching functions only named by atoms (reach_named)
    errors: list[str] = field(default_factory=list)   # what the VM lacks, all reported at once

    def __post_init__(self) -> None:
        for a in fixed_atoms():
            self.atom(a)

    # ---- atoms and literals ----

    def atom(self, name: str) -> int:
        i = self.atoms.get(name)
        if i is None:
            i = self.atoms[name] = len(self.atoms)
        return i

    def term(self, t: Term) -> Word:
        """The word for a term: an immediate, or the address of a literal."""
        if isinstance(t, bool):
            raise LinkError("internal: a Python bool is not a term")
        if isinstance(t, int):
            if MIN_SMALL <= t <= MAX_SMALL:
                return ((t << 3) | 2) & MASK64
            return self._boxed(t)
        if isinstance(t, Atom):
            return (self.atom(str(t)) << 3) | 3
        if isinstance(t, list) and not t:
            return NIL_WORD
        return self._boxed(t)

    def _boxed(self, t: Term) -> Word:
        key = f"{type(t).__name__}:{t!r}"
        hit = self.lit_cache.get(key)
        if hit is not None:
            return hit
        words = self._build(t)
        if isinstance(words, str):
            self.lit_cache[key] = words
            return words
        at = len(self.lits)
        self.lits.extend(words)
        ref = f"erl_lits+{at * 8}"
        self.lit_cache[key] = ref
        return ref

    def _build(self, t: Term) -> list[Word] | str:
        if isinstance(t, float):
            return [_header(1, S_FLOAT), struct.unpack("<Q", struct.pack("<d", t))[0]]
        if isinstance(t, int):
            mag = abs(t)
            digits = []
            while mag:
                digits.append(mag & 0xFFFFFFFF)
                mag >>= 32
            if len(digits) % 2:
                digits.append(0)
            words = [digits[i] | (digits[i + 1] << 32) for i in range(0, len(digits), 2)]
            return [_header(len(words), S_BIGNEG if t < 0 else S_BIGPOS), *words]
        if isinstance(t, Tuple):
            elems = [self.term(e) for e in t.items]
            return [_header(len(elems), S_TUPLE), *elems]
        if isinstance(t, (list, Cons)):
            items = list(t.items) if isinstance(t, Cons) else list(t)
            tail = self.term(t.tail) if isinstance(t, Cons) else NIL_WORD
            heads = [self.term(e) for e in items]
            # cells laid out in order; each tail points at the next cell
            at = len(self.lits)
            cells: list[Word] = []
            for i, h in enumerate(heads):
                nxt: Word = f"erl_lits+{(at + 2 * (i + 1)) * 8 + 1}" if i + 1 < len(heads) else tail
                cells += [h, nxt]
            self.lits.extend(cells)
            return f"erl_lits+{at * 8 + 1}"
        if isinstance(t, Bits):
            data = t.data + b"\0" * (-len(t.data) % 8)
            words = [int.from_bytes(data[i:i + 8], "little") for i in range(0, len(data), 8)]
            return [_header(1 + len(words), S_BIN), t.bits, *words]
        if isinstance(t, Map):
            pairs = _sorted_pairs(t)
            keys = self.term(Tuple(tuple(k for k, _ in pairs)))
            vals = [self.term(v) for _, v in pairs]
            return [_header(1 + len(vals), S_MAP), keys, *vals]
        if isinstance(t, Export):
            self.need_mfa(t.module, t.name, t.arity, "a fun literal")
            if (t.module, t.name, t.arity) in bif_table() or \
                    self.exists((t.module, t.name, t.arity)):
                self.exports.add((t.module, t.name, t.arity))
            return [_header(3, S_EXPORT), self.term(Atom(t.module)), self.term(Atom(t.name)),
                    ((t.arity << 3) | 2)]
        raise LinkError(f"unsupported literal {t!r}")

    # ---- modules and functions ----

    def info(self, name: str) -> _ModInfo | None:
        if name in self.mods:
            return self.mods[name]
        got = self.load_module(name)
        if got is None:
            return None
        mod, user = got
        funcs: list[Function] = []
        code = mod.code
        fi_idx = [i for i, ins in enumerate(code) if ins.op == "func_info"]
        starts = []
        for i in fi_idx:
            s = i
            while s > 0 and code[s - 1].op in ("label", "line"):
                s -= 1
            starts.append(s)
        for k, i in enumerate(fi_idx):
            end = starts[k + 1] if k + 1 < len(fi_idx) else len(code)
            ins = code[i]
            name_op, arity_op = ins.args[1], ins.args[2]
            assert isinstance(name_op, Lit) and isinstance(arity_op, U)
            funcs.append(Function(mod, str(name_op.term), arity_op.n, starts[k], end, i))
        by_label: dict[int, Function] = {}
        for f in funcs:
            for ins in code[f.start:f.end]:
                if ins.op == "label":
                    lbl = ins.args[0]
                    assert isinstance(lbl, U)
                    by_label[lbl.n] = f
        info = _ModInfo(mod, funcs, by_label, {(f.name, f.arity): f for f in funcs},
                        {(n, a) for n, a, _ in mod.exports}, user)
        self.mods[name] = info
        return info

    def reach(self, f: Function, why: str) -> None:
        key = (f.module.name, f.name, f.arity)
        if key not in self.reached:
            self.reached[key] = f
            self.why[key] = why
            self.work.append(f)

    def need_mfa(self, m: str, fn: str, a: int, why: str) -> int | None:
        """An external function: its BIF number, or None when it is Erlang code (reached)
        or does not exist (then calls raise undef at run time, as in erl; a warning)."""
        bif = bif_table().get((m, fn, a))
        if bif is not None:
            return bif
        if m == "erlang":
            self.fail(f"{self.chain(why)}: calls erlang:{fn}/{a}, a BIF that unik's "
                      f"Erlang VM does not implement")
            return None
        info = self.info(m)
        if info is None:
            self.missing(f"{why}: calls {m}:{fn}/{a}, but there is no module {m} "
                         f"(an undef error if it runs)")
            return None
        f = info.by_name.get((fn, a))
        if f is None or (fn, a) not in info.exported:
            self.missing(f"{why}: calls {m}:{fn}/{a}, which module {m} does not export "
                         f"(an undef error if it runs)")
            return None
        if self._is_nif_stub(f):
            self.fail(f"{self.chain(why)}: calls {m}:{fn}/{a}, a BIF that unik's Erlang "
                      f"VM does not implement")
            return None
        self.reach(f, why)
        return None

    @staticmethod
    def _is_nif_stub(f: Function) -> bool:
        m = f.module
        for ins in m.code[f.func_info + 1:f.end]:
            if ins.op in ("call_ext", "call_ext_only", "call_ext_last"):
                imp = ins.args[1]
                assert isinstance(imp, U)
                mod, fn, ar = m.imports[imp.n]
                if mod == "erlang" and fn == "nif_error":
                    return True
        return False

    def fail(self, msg: str) -> None:
        """Something the VM lacks: an error, unless the code was only kept because its
        name appears in the program (speculatively, for apply): then a warning, and
        the code raises undef if it ever runs."""
        if not self.speculative:
            if msg not in self.errors:
                self.errors.append(msg)
            return
        self.missing(msg + " (kept for apply by name; an undef error if it runs)")

    def missing(self, msg: str) -> None:
        if msg not in self.warnings:
            self.warnings.append(msg)

    def exists(self, mfa: tuple[str, str, int]) -> bool:
        info = self.mods.get(mfa[0])
        return info is not None and (mfa[1], mfa[2]) in info.exported and \
            (mfa[1], mfa[2]) in info.by_name and mfa in self.reached

    def _where(self, f: Function) -> str:
        return f"{f.module.name}:{f.name}/{f.arity}"

    def chain(self, where: str) -> str:
        """How a function was reached: 'a:f/1 (from b:g/0, from the entry)'."""
        steps = [where]
        seen = {where}
        while len(steps) < 6:
            m, _, rest = steps[-1].partition(":")
            n, _, a = rest.rpartition("/")
            why = self.why.get((m, n, int(a))) if a.isdigit() else None
            if why is None or why in seen:
                break
            steps.append(why)
            seen.add(why)
        return steps[0] + "".join(f" (reached from {s}" for s in steps[1:]) + ")" * (len(steps) - 1)

    # ---- scanning what a function reaches ----

    def scan(self, f: Function) -> None:
        m = f.module
        info = self.mods[m.name]
        where = self._where(f)
        atoms: set[str] = set()
        for ins in m.code[f.start:f.end]:
            if ins.op not in SUPPORTED:
                self.fail(f"{self.chain(where)}: instruction {ins.op} is not supported by "
                          f"unik's Erlang VM")
                continue
            if ins.op in ("call", "call_last", "call_only"):
                lbl = ins.args[1]
                assert isinstance(lbl, Label)
                self.reach(info.by_label[lbl.n], where)
            elif ins.op in ("call_ext", "call_ext_last", "call_ext_only"):
                imp = ins.args[1]
                assert isinstance(imp, U)
                self.need_mfa(*m.imports[imp.n], where)
            elif ins.op in ("bif0", "bif1", "bif2", "gc_bif1", "gc_bif2", "gc_bif3"):
                imp = ins.args[0 if ins.op == "bif0" else 1 if ins.op.startswith("bif") else 2]
                assert isinstance(imp, U)
                mfa = m.imports[imp.n]
                if mfa not in bif_table():
                    self.fail(f"{self.chain(where)}: BIF {mfa[0]}:{mfa[1]}/{mfa[2]} is not "
                              f"implemented by unik's Erlang VM")
            elif ins.op == "make_fun3":
                idx = ins.args[0]
                assert isinstance(idx, U)
                fe = m.funs[idx.n]
                self.reach(info.by_label[fe.label], where)
            for a in ins.args:
                self._scan_operand(a)
                # func_info's atoms are the function's own name, not a call by name
                if isinstance(a, Lit) and isinstance(a.term, Atom) and ins.op != "func_info":
                    atoms.add(str(a.term))
        self._reach_dynamic(f, atoms)

    def _reach_dynamic(self, f: Function, atoms: set[str]) -> None:
        """apply/spawn by name (`proc_lib:start_link(?MODULE, init_it, Args)`,
        `apply(GenMod, init_it, …)`): an exported function of a module in the image
        whose name is an atom of reached code is kept too (see link())."""
        self.all_atoms |= atoms
        where = self._where(f)
        for mod in atoms:
            info = self.mods.get(mod)
            if info is None:
                continue
            for (n, a) in info.exported:
                if n in atoms and (n, a) in info.by_name and n != "module_info":
                    self.reach(info.by_name[(n, a)], where)

    def reach_named(self) -> bool:
        """Reach exported functions named by any atom of reached code; True if any.
        Only modules that are themselves named by an atom of reached code can be
        called by name (`gen_server:start_link(?MODULE, …)`, `{M, F, A}` child
        specs): without that test a common atom (`open`, `init`, `info`) would
        keep epp:open/1, net_kernel:init/1 … and with them the compiler."""
        more = False
        for mod, info in list(self.mods.items()):
            if mod not in self.all_atoms:
                continue
            for (n, a) in info.exported:
                if n in self.all_atoms and n != "module_info" and (n, a) in info.by_name \
                        and (mod, n, a) not in self.reached:
                    self.reach(info.by_name[(n, a)], f"{mod}:{n}/{a} named in the code")
                    more = True
        return more

    def _scan_operand(self, a: Operand | object) -> None:
        if isinstance(a, Lit):
            self.term(a.term)      # makes the literal (and reaches fun M:F/A inside it)
        elif isinstance(a, OpList):
            for x in a.items:
                self._scan_operand(x)

    # ---- emitting code ----

    def operand(self, mod: Module, a: Operand | object) -> list[Word | tuple[str, object]]:
        if isinstance(a, X):
            return [(a.n << 6) | 0x1D]
        if isinstance(a, Y):
            return [(a.n << 6) | 0x25]
        if isinstance(a, FR):      # tagged like x and y: fmove tells them apart by the tag
            return [(a.n << 6) | 0x2D]
        if isinstance(a, U):
            return [a.n]
        if isinstance(a, Label):
            return [("label", (mod.name, a.n))] if a.n else [0]
        if isinstance(a, Lit):
            return [self.term(a.term)]
        if isinstance(a, AllocList):
            return [a.words + 2 * a.floats + 8 * a.funs]
        if isinstance(a, OpList):
            out: list[Word | tuple[str, object]] = [len(a.items)]
            for x in a.items:
                out += self.operand(mod, x)
            return out
        raise LinkError(f"internal: operand {a!r}")

    def emit(self, f: Function) -> None:
        m = f.module
        self.fn_first_row = len(self.line_rows)
        ops = custom_ops()
        fused_upto = -1
        prev_op = ""        # the last instruction emitted, "" after a label
        starts: set[int] = set()    # where instructions begin (for _chain)
        for idx in range(f.start, f.end):
            ins = m.code[idx]
            if ins.op not in ("label", "line"):
                starts.add(len(self.code))
            if idx <= fused_upto:       # covered by a superinstruction emitted already
                if ins.op != "line":
                    prev_op = ins.op
                continue
            if prev_op in _ALLOCATES and ins.op == "init_yregs":
                continue        # the VM's allocate has set every y register to [] already
            if ins.op != "line":
                prev_op = "" if ins.op == "label" else ins.op
            if ins.op == "label":
                lbl = ins.args[0]
                assert isinstance(lbl, U)
                self.label_pos[(m.name, lbl.n)] = len(self.code)
                continue
            if ins.op == "line":
                self._line(m, ins, f)
                continue
            if ins.op in SKIPPED:
                continue
            if ins.op not in SUPPORTED:
                self.code += [ops["call_undef"], self.term(Atom(m.name)),
                              self.term(Atom(f.name)), 0]
                continue
            if ins.op == "func_info":
                self.func_rows.append((len(self.code), m.name, f.name, f.arity))
                self.code += [BY_NAME["func_info"], self.term(Atom(m.name)),
                              self.term(Atom(f.name)), (f.arity << 3) | 2]
                continue
            if ins.op in ("call_ext", "call_ext_last", "call_ext_only"):
                self._emit_call_ext(m, ins, ops)
                continue
            if ins.op == "deallocate":
                nxt = idx + 1
                while nxt < f.end and m.code[nxt].op == "line":
                    nxt += 1
                if nxt < f.end and m.code[nxt].op == "return":
                    n = ins.args[0]
                    assert isinstance(n, U)
                    self.code += [ops["dealloc_return"], n.n]
                    fused_upto = nxt
                    continue
            if ins.op == "is_tuple" and idx + 1 < f.end:
                nxt_ins = m.code[idx + 1]
                if (nxt_ins.op == "test_arity" and nxt_ins.args[0] == ins.args[0]
                        and nxt_ins.args[1] == ins.args[1]):
                    continue        # test_arity tests for a tuple itself (emu.c)
            special = self._specialised(m, ins, ops)
            fused = self._fused(m, f, idx, ins, special, ops)
            if fused is not None:
                words, fused_upto = fused
                # a `line` the fusion steps over (before a call, typically) belongs
                # to the one instruction now: its return address must map there
                for j in range(idx + 1, fused_upto + 1):
                    if m.code[j].op == "line":
                        self._line(m, m.code[j], f)
                self.code += words
                continue
            if special is not None and ins.op == "move":
                nxt = idx + 1
                while nxt < f.end and m.code[nxt].op == "line":
                    nxt += 1
                second = (self._specialised(m, m.code[nxt], ops)
                          if nxt < f.end and m.code[nxt].op == "move" else None)
                pair = _MOVE2.get((special[0], second[0])) if second else None
                if pair is not None and second is not None:
                    self.code += [ops[pair], special[1], special[2], second[1], second[2]]
                    fused_upto = nxt
                    continue
            if special is not None:
                self.code += special
                continue
            args = list(ins.args)
            if ins.op == "gc_bif2":
                imp = args[2]
                assert isinstance(imp, U)
                fast = _FAST_ARITH.get(m.imports[imp.n])
                if fast is not None:
                    self.code.append(ops[fast])
                    for a in (args[0], args[1], args[3], args[4], args[5]):
                        self.code += self.operand(m, a)
                    continue
            if ins.op in ("bif0", "bif1", "bif2", "gc_bif1", "gc_bif2", "gc_bif3"):
                i = 0 if ins.op == "bif0" else 1 if ins.op.startswith("bif") else 2
                imp = args[i]
                assert isinstance(imp, U)
                mfa = m.imports[imp.n]
                if mfa not in bif_table():      # only in speculative code (see fail)
                    self.code += [ops["call_undef"], self.term(Atom(mfa[0])),
                                  self.term(Atom(mfa[1])), 0]
                    continue
                args[i] = U(bif_table()[mfa])
            elif ins.op == "make_fun3":
                idx_op = args[0]
                assert isinstance(idx_op, U)
                key = (m.name, idx_op.n)
                if key not in self.funs:
                    self.funs[key] = len(self.fun_rows)
                    self.fun_rows.append((m.name, idx_op.n, m.funs[idx_op.n].label))
                args[0] = U(self.funs[key])
            elif ins.op == "bs_match_string":
                bits, off = args[2], args[3]
                assert isinstance(bits, U) and isinstance(off, U)
                nbytes = (bits.n + 7) // 8
                args[3] = Lit(Bits(m.strings[off.n:off.n + nbytes], bits.n))
            elif ins.op == "bs_create_bin":
                segs = args[5]
                assert isinstance(segs, OpList)
                items = list(segs.items)
                for s in range(0, len(items), 6):
                    t = items[s]
                    if isinstance(t, Lit) and t.term == Atom("string"):
                        off, size = items[s + 4], items[s + 5]
                        assert isinstance(off, U) and isinstance(size, Lit)
                        n = int(size.term)  # type: ignore[arg-type]
                        items[s + 4] = Lit(Bits(m.strings[off.n:off.n + n], 8 * n))
                args[5] = OpList(tuple(items))
            self.code.append(BY_NAME[ins.op])
            for a in args:
                self.code += self.operand(m, a)
        self._chain(sorted(s for s in starts if s < len(self.code)), ops)

    def _chain(self, starts: list[int], ops: dict[str, int]) -> None:
        """Turn adjacent instructions into "then" pairs (ops.h): only the first's
        opcode word changes, so every position and label stays as it was. From the
        last pair back, so a pair's second may already be a pair itself."""
        for i in range(len(starts) - 2, -1, -1):
            at, nxt = starts[i], starts[i + 1]
            first, second = self.code[at], self.code[nxt]
            if not isinstance(first, int) or not isinstance(second, int):
                continue
            names = _chain_table().get(first)
            if names is None:
                continue
            then = ops.get(f"{names[0]}_then_{names[1].get(second, '')}")
            if then is not None and names[0] == "test_arity_get2_x" and (
                    (self.code[nxt + 2], self.code[nxt + 5]) != (self.code[at + 5],
                                                                self.code[at + 7])
                    or self.code[at + 5] == self.code[at + 7]):
                continue    # its handler tests the elements as it loaded them (emu.c)
            if then is not None:
                self.code[at] = then
                continue
            # a test + return failing into the next instruction: every fail label
            # word of the test must be the next instruction's position
            fails = _FAIL_WORDS.get(names[0])
            other = ops.get(f"{names[0]}_else_{names[1].get(second, '')}")
            if fails is None or other is None:
                continue
            if all(isinstance(w, tuple) and w[0] == "label"
                   and self.label_pos.get(w[1]) == nxt  # type: ignore[call-overload]
                   for w in (self.code[at + k] for k in fails)):
                self.code[at] = other

    def _line(self, m: Module, ins: Instr, f: Function) -> None:
        """Record a `line` instruction: the code from here on is at (file, line).
        A row that repeats the previous one is dropped unless it opens a function
        (the VM only takes a row within the function the code position is in)."""
        op = ins.args[0] if ins.args else None
        if not isinstance(op, U) or not 1 <= op.n <= len(m.lines):
            return
        file, line = m.lines[op.n - 1]
        pos = len(self.code)
        if len(self.line_rows) > self.fn_first_row:
            last_pos, last_file, last_line = self.line_rows[-1]
            if (last_file, last_line) == (file, line):
                return
            if last_pos == pos:
                self.line_rows.pop()
        self.line_rows.append((pos, file, line))

    def _next_real(self, m: Module, f: Function, idx: int) -> int | None:
        """The index of the instruction after idx, line markers skipped; None at a
        label (a jump target may not land inside a fused instruction) or the end."""
        nxt = idx + 1
        while nxt < f.end and m.code[nxt].op == "line":
            nxt += 1
        if nxt >= f.end or m.code[nxt].op == "label":
            return None
        return nxt

    def _fused(self, m: Module, f: Function, idx: int, ins: Instr,
               special: list[Word | tuple[str, object]] | None,
               ops: dict[str, int]) -> tuple[list[Word | tuple[str, object]], int] | None:
        """A superinstruction (ops.h) for ins and what follows it, with the index
        of the last instruction it covers; None when none applies."""
        nxt = self._next_real(m, f, idx)
        if nxt is None:
            return None
        after = m.code[nxt]
        if special is not None:
            kind = next((k for k, v in ops.items() if v == special[0]), "")
            if kind in ("add_yx_x", "add_c_xx") and after.op == "deallocate":
                ret = self._next_real(m, f, nxt)
                if ret is not None and m.code[ret].op == "return":
                    return [ops[kind + "_dealloc_return"], *special[1:],
                            *self.operand(m, after.args[0])], ret
            # (not across a `line`: each float operator keeps its own line for errors)
            if kind in _FLOAT_OPS and after.op in _FLOAT_OPS and nxt == idx + 1:
                second = self._specialised(m, after, ops)
                if second is not None:
                    return [ops[f"{kind}_{after.op}"], *special[1:], 0, *second[1:]], nxt
            if kind == "fmove_xf" and after.op == "fmove" and nxt == idx + 1:
                second = self._specialised(m, after, ops)
                if second is not None and second[0] == special[0]:
                    return [ops["fmove2_xf_xf"], *special[1:], 0, *second[1:]], nxt
            if kind == "is_eq_exact_xc" and after.op == "is_eq_exact":
                second = self._specialised(m, after, ops)
                if second is not None and second[0] == special[0]:
                    mov_i = self._next_real(m, f, nxt)
                    mov = (self._specialised(m, m.code[mov_i], ops)
                           if mov_i is not None and m.code[mov_i].op == "move" else None)
                    ret = self._next_real(m, f, mov_i) if mov_i is not None else None
                    if (mov is not None and mov[0] == ops["move_cx"] and ret is not None
                            and m.code[ret].op == "return"):
                        # a clause matching two literals and returning one: f(a, b) -> c;
                        return [ops["is_eq_exact2_xc_move_cx_return"], *special[1:],
                                *second[1:], *mov[1:]], ret
                    return [ops["is_eq_exact2_xc"], *special[1:], *second[1:]], nxt
            if kind == "is_eq_exact_xc" and after.op == "move":
                second = self._specialised(m, after, ops)
                ret = self._next_real(m, f, nxt)
                if (second is not None and second[0] == ops["move_cx"] and ret is not None
                        and m.code[ret].op == "return"):
                    return [ops["is_eq_exact_xc_move_cx_return"], *special[1:],
                            *second[1:]], ret
            if after.op == "return" and kind in ("is_lt_xc", "is_ge_xc", "is_eq_exact_xc",
                                                  "is_ne_exact_xc", "move_cx"):
                return [ops[kind + "_return"], *special[1:]], nxt
            if kind == "get_tuple_element_xx" and after.op == "get_tuple_element":
                second = self._specialised(m, after, ops)
                # the first write must not clobber the tuple the second reads
                if (second is not None and second[0] == special[0] and second[1] == special[1]
                        and special[3] != special[1]):
                    return [ops["get_tuple_element2_xx"], *special[1:], second[2],
                            second[3]], nxt
            if kind in ("add_c_xx", "sub_c_xx", "add_c_yx", "sub_c_yx") and after.op in (
                    "allocate", "move"):
                # N - 1 then a call's prologue: both instructions' words, one dispatch
                then = self._fused(m, f, nxt, after, self._specialised(m, after, ops), ops)
                want = "allocate_move2_xy_xx_call" if kind[-2] == "x" else "move2_xy_xx_call"
                if then is not None and then[0][0] == ops[want]:
                    return [ops[f"{kind}_{want}"], *special[1:], *then[0]], then[1]
            if kind == "test_arity_x" and after.op == "get_tuple_element":
                # f({A, B}) ->: the arity test and both elements (of the tested register)
                gets = self._fused(m, f, nxt, after, self._specialised(m, after, ops), ops)
                if (gets is not None and gets[0][0] == ops["get_tuple_element2_xx"]
                        and gets[0][1] == special[2]):
                    return [ops["test_arity_get2_x"], *special[1:], *gets[0][2:]], gets[1]
            if kind == "move_xy" and after.op == "move":
                second = self._specialised(m, after, ops)
                third_i = self._next_real(m, f, nxt)
                if (second is not None and second[0] == ops["move_xx"]
                        and third_i is not None and m.code[third_i].op == "call"):
                    call = m.code[third_i]
                    words: list[Word | tuple[str, object]] = [
                        ops["move2_xy_xx_call"], *special[1:], *second[1:]]
                    for a in call.args:
                        words += self.operand(m, a)
                    return words, third_i
            return None
        if ins.op == "test_heap" and after.op == "put_tuple2":
            words = []
            for a in (*ins.args, *after.args):
                words += self.operand(m, a)
            ret = self._next_real(m, f, nxt)
            ret2 = self._next_real(m, f, ret) if ret is not None else None
            dealloc = (ret is not None and m.code[ret].op == "deallocate"
                       and ret2 is not None and m.code[ret2].op == "return")
            if ret is not None and (m.code[ret].op == "return" or dealloc):
                # a pair of registers into an x register: raw indexes (x: n, y: n + 1)
                dst, elems = after.args[0], after.args[1]
                assert isinstance(elems, OpList)
                if (isinstance(dst, X) and len(elems.items) == 2
                        and all(isinstance(e, (X, Y)) for e in elems.items)):
                    kinds = "".join("x" if isinstance(e, X) else "y" for e in elems.items)
                    regs = [e.n if isinstance(e, X) else e.n + 1
                            for e in elems.items]  # type: ignore[union-attr]
                    head = [*self.operand(m, ins.args[0]), *self.operand(m, ins.args[1])]
                    if dealloc:
                        return [ops[f"test_heap_pair_{kinds}_dealloc_return"], *head, dst.n,
                                *regs, *self.operand(m, m.code[ret].args[0])], ret2  # type: ignore[list-item]
                    if kinds == "xx":
                        return [ops["test_heap_pair_xx_return"], *head, dst.n, *regs], ret
            if ret is not None and m.code[ret].op == "return":
                return [ops["test_heap_put_tuple2_return"], *words], ret
            if dealloc:
                assert ret is not None and ret2 is not None
                return [ops["test_heap_put_tuple2_dealloc_return"], *words,
                        *self.operand(m, m.code[ret].args[0])], ret2
            return [ops["test_heap_put_tuple2"], *words], nxt
        if ins.op == "trim" and after.op == "call":
            words = [ops["trim_call"]]
            for a in (*ins.args, *after.args):
                words += self.operand(m, a)
            return words, nxt
        if ins.op == "allocate" and after.op == "init_yregs":
            # allocate has set the y registers already (emit drops the init_yregs)
            skip = self._next_real(m, f, nxt)
            if skip is None:
                return None
            nxt, after = skip, m.code[skip]
        if ins.op == "allocate" and after.op == "move":
            # allocate + move x→y + move x→x + call (a body call's prologue)
            first = self._specialised(m, after, ops)
            snd_i = self._next_real(m, f, nxt)
            second = (self._specialised(m, m.code[snd_i], ops)
                      if snd_i is not None and m.code[snd_i].op == "move" else None)
            call_i = self._next_real(m, f, snd_i) if snd_i is not None else None
            if (first is not None and first[0] == ops["move_xy"] and second is not None
                    and second[0] == ops["move_xx"] and call_i is not None
                    and m.code[call_i].op == "call"):
                n = ins.args[0]
                assert isinstance(n, U)
                if n.n > 62:
                    return None
                # the y registers to set to [] (bit i: E[i]); the move sets its own
                clear = ((1 << (n.n + 1)) - 2) & ~(1 << first[2])  # type: ignore[operator]
                words = [ops["allocate_move2_xy_xx_call"], n.n, clear, *first[1:], *second[1:]]
                for a in m.code[call_i].args:
                    words += self.operand(m, a)
                return words, call_i
        return None

    def _specialised(self, m: Module, ins: Instr,
                     ops: dict[str, int]) -> list[Word | tuple[str, object]] | None:
        """The operand-specialised form of a hot instruction (ops.h OP_X_MOVE_XX …),
        or None: registers become raw indexes (x: n, y: n + 1 from E) and
        constants immediate words, so the VM tests no operand tags."""
        a = ins.args

        def reg(o: object) -> str | None:
            return "x" if isinstance(o, X) else "y" if isinstance(o, Y) else None

        def idx(o: X | Y) -> int:
            return o.n if isinstance(o, X) else o.n + 1

        def small(o: object) -> bool:
            return (isinstance(o, Lit) and isinstance(o.term, int)
                    and not isinstance(o.term, bool) and MIN_SMALL <= o.term <= MAX_SMALL)

        def immediate(o: object) -> bool:
            return isinstance(o, Lit) and (small(o) or isinstance(o.term, Atom)
                                            or (isinstance(o.term, list) and not o.term))

        if ins.op == "move":
            src, dst = a
            kd = reg(dst)
            if kd is None:
                return None
            assert isinstance(dst, (X, Y))
            ks = reg(src)
            if ks is not None:
                assert isinstance(src, (X, Y))
                return [ops[f"move_{ks}{kd}"], idx(src), idx(dst)]
            if isinstance(src, Lit):
                return [ops[f"move_c{kd}"], self.term(src.term), idx(dst)]
            return None
        if ins.op in ("is_lt", "is_ge") and len(a) == 3:
            fail, lhs, rhs = a
            cmp = ins.op[3:]
            if isinstance(lhs, X) and small(rhs):
                kind, ops_ = "xc", [lhs.n, self.term(rhs.term)]  # type: ignore[union-attr]
            elif small(lhs) and isinstance(rhs, X):
                kind, ops_ = "cx", [self.term(lhs.term), rhs.n]  # type: ignore[union-attr]
            elif isinstance(lhs, X) and isinstance(rhs, X):
                kind, ops_ = "xx", [lhs.n, rhs.n]
            else:
                return None
            return [ops[f"is_{cmp}_{kind}"], *self.operand(m, fail), *ops_]
        if ins.op in ("is_eq_exact", "is_ne_exact") and len(a) == 3:
            fail, lhs, rhs = a
            if isinstance(rhs, X) and immediate(lhs):
                lhs, rhs = rhs, lhs
            if isinstance(lhs, X) and immediate(rhs):
                assert isinstance(rhs, Lit)
                return [ops[f"{ins.op}_xc"], *self.operand(m, fail), lhs.n, self.term(rhs.term)]
            return None
        if ins.op == "gc_bif2":
            imp = a[2]
            assert isinstance(imp, U)
            fast = _FAST_ARITH.get(m.imports[imp.n])
            head = [*self.operand(m, a[0]), *self.operand(m, a[1])]
            if fast in ("add", "sub") and small(a[4]):
                lit = a[4]
                assert isinstance(lit, Lit)
                src, dst = a[3], a[5]
                ks, kd = reg(src), reg(dst)
                if ks is not None and kd is not None:      # registers as raw indexes
                    assert isinstance(src, (X, Y)) and isinstance(dst, (X, Y))
                    return [ops[f"{fast}_c_{ks}{kd}"], *head, idx(src), self.term(lit.term),
                            idx(dst)]
                return [ops[f"{fast}_c"], *head, *self.operand(m, a[3]),
                        self.term(lit.term), *self.operand(m, a[5])]
            # (A + B is B + A, but not in a stack trace: a literal B fails anyway)
            if fast == "add" and small(a[3]) and not isinstance(a[4], Lit):
                lit = a[3]
                assert isinstance(lit, Lit)
                src, dst = a[4], a[5]
                ks, kd = reg(src), reg(dst)
                if ks is not None and kd is not None:
                    assert isinstance(src, (X, Y)) and isinstance(dst, (X, Y))
                    return [ops[f"add_c_{ks}{kd}"], *head, idx(src), self.term(lit.term),
                            idx(dst)]
                return [ops["add_c"], *head, *self.operand(m, a[4]), self.term(lit.term),
                        *self.operand(m, a[5])]
            # two registers into an x register: the forms fib-like recursion ends in
            lhs, rhs, dst = a[3], a[4], a[5]
            if (fast in ("add", "sub") and isinstance(lhs, (X, Y)) and isinstance(rhs, X)
                    and isinstance(dst, X)):
                return [ops[f"{fast}_{reg(lhs)}x_x"], *head, idx(lhs), rhs.n, dst.n]
            return None
        if ins.op == "fmove":
            src, dst = a
            if isinstance(dst, FR):
                if isinstance(src, (X, Y)):
                    return [ops[f"fmove_{reg(src)}f"], idx(src), dst.n]
                if isinstance(src, Lit) and isinstance(src.term, float):
                    bits = struct.unpack("<Q", struct.pack("<d", src.term))[0]
                    return [ops["fmove_cf"], bits, dst.n]
                return None
            if isinstance(src, FR) and isinstance(dst, (X, Y)):
                return [ops[f"fmove_f{reg(dst)}"], src.n, idx(dst)]
            return None
        if ins.op in ("fadd", "fsub", "fmul", "fdiv") and all(isinstance(o, FR) for o in a[1:]):
            return [ops[ins.op], *self.operand(m, a[0]),
                    *(o.n for o in a[1:])]  # type: ignore[union-attr]
        if ins.op == "test_arity" and isinstance(a[1], X):
            arity = a[2]
            assert isinstance(arity, U)
            return [ops["test_arity_x"], *self.operand(m, a[0]), a[1].n,
                    _header(arity.n, 0)]       # one compare with the tuple's header word
        if ins.op == "get_tuple_element":
            src, pos, dst = a
            if isinstance(src, (X, Y)) and isinstance(dst, X):
                assert isinstance(pos, U)
                return [ops[f"get_tuple_element_{reg(src)}x"], idx(src), pos.n, dst.n]
            return None
        if ins.op == "get_list" and all(isinstance(o, X) for o in a):
            return [ops["get_list_xxx"], *(o.n for o in a)]  # type: ignore[union-attr]
        if ins.op == "put_list" and isinstance(a[2], X):
            hd, tl = a[0], a[1]
            kinds = (reg(hd) or ("c" if isinstance(hd, Lit) else "?")) + \
                (reg(tl) or ("c" if isinstance(tl, Lit) else "?"))
            if kinds in ("xx", "yx", "xy", "xc"):
                words = [idx(o) if isinstance(o, (X, Y)) else self.term(o.term)  # type: ignore[union-attr]
                         for o in (hd, tl)]
                return [ops[f"put_list_{kinds}x"], *words, a[2].n]
            return None
        return None

    def _emit_call_ext(self, m: Module, ins: Instr, ops: dict[str, int]) -> None:
        arity, imp = ins.args[0], ins.args[1]
        assert isinstance(arity, U) and isinstance(imp, U)
        mfa = m.imports[imp.n]
        bif = bif_table().get(mfa)
        if bif is not None:
            op = {"call_ext": "call_bif", "call_ext_last": "call_bif_last",
                  "call_ext_only": "call_bif_only"}[ins.op]
            self.code += [ops[op], arity.n, bif]
            if ins.op == "call_ext_last":
                self.code += self.operand(m, ins.args[2])
            return
        if not self.exists(mfa):
            # bit 16: a tail call (the caller's frame is not in erl's trace)
            tail = 1 << 16 if ins.op != "call_ext" else 0
            self.code += [ops["call_undef"], self.term(Atom(mfa[0])), self.term(Atom(mfa[1])),
                          arity.n | tail]
            if ins.op == "call_ext_last":
                self.code += self.operand(m, ins.args[2])
            return
        op = {"call_ext": "call", "call_ext_last": "call_last", "call_ext_only": "call_only"}
        self.code += [BY_NAME[op[ins.op]], arity.n, ("fn", mfa)]
        if ins.op == "call_ext_last":
            self.code += self.operand(m, ins.args[2])

    def resolve(self, w: Word | tuple[str, object]) -> Word:
        if isinstance(w, tuple):
            kind, what = w
            if kind == "label":
                return self.label_pos[what]  # type: ignore[index]
            if kind == "fn":
                mod, fn, a = what  # type: ignore[misc]
                f = self.mods[mod].by_name[(fn, a)]
                return self.label_pos[(mod, _entry_label(f))]
        return w  # type: ignore[return-value]


# "then" pairs (ops.h, _chain): which opcodes may open one, by name, and the
# names of the opcodes that may follow
@functools.cache
def _chain_table() -> dict[int, tuple[str, dict[int, str]]]:
    ops = custom_ops()
    firsts = {n.split("_then_")[0].split("_else_")[0]
              for n in ops if "_then_" in n or "_else_" in n}
    seconds = {n[len(f) + 6:] for n in ops for f in firsts
               if n.startswith(f + "_then_") or n.startswith(f + "_else_")}
    by_num = {ops[s]: s for s in seconds if s in ops}
    return {ops[f]: (f, by_num) for f in firsts if f in ops}


# the words (after the opcode) of a test + return that are fail labels
_FAIL_WORDS = {"is_lt_xc_return": (1,), "is_ge_xc_return": (1,),
               "is_eq_exact_xc_return": (1,), "is_eq_exact_xc_move_cx_return": (1,),
               "is_eq_exact2_xc_move_cx_return": (1, 4)}

# gc_bif2 calls with an inline fast path for small integers (ops.h OP_X_*)
_FAST_ARITH = {("erlang", "+", 2): "add", ("erlang", "-", 2): "sub", ("erlang", "*", 2): "mul",
               ("erlang", "band", 2): "band", ("erlang", "bor", 2): "bor",
               ("erlang", "bsr", 2): "bsr", ("erlang", "bsl", 2): "bsl",
               ("erlang", "rem", 2): "rem", ("erlang", "div", 2): "idiv"}


# adjacent moves fused into one instruction (ops.h OP_X_MOVE2_*): the kinds
# that come in pairs most (argument set-up before calls, saving to y registers)
_MOVE2_KINDS = ("cx_cx", "xx_cx", "xy_xx", "xy_cx", "xy_xy", "yx_yx", "xx_yx", "yx_yy")


def _move2_table() -> dict[tuple[int, int], str]:
    ops = custom_ops()
    return {(ops["move_" + k[:2]], ops["move_" + k[3:]]): "move2_" + k for k in _MOVE2_KINDS}


_MOVE2 = _move2_table()


_FLOAT_OPS = ("fadd", "fsub", "fmul", "fdiv")
_ALLOCATES = ("allocate", "allocate_zero", "allocate_heap", "allocate_heap_zero")


def _entry_label(f: Function) -> int:
    """The label right after func_info: where calls enter."""
    ins = f.module.code[f.func_info + 1]
    if ins.op != "label":
        raise LinkError(f"{f.module.name}:{f.name}/{f.arity}: no entry label after func_info")
    lbl = ins.args[0]
    assert isinstance(lbl, U)
    return lbl.n


def link(entry: tuple[str, str, int], roots: list[str],
         load_module: Callable[[str], tuple[Module, bool] | None]) -> Image:
    """Link the image. roots: the user's modules (all their exported functions are kept)."""
    lk = _Linker(load_module)
    mod, fn, ar = entry
    info = lk.info(mod)
    if info is None or (fn, ar) not in info.by_name:
        raise LinkError(f"the entry {mod}:{fn}/{ar} does not exist")
    lk.reach(info.by_name[(fn, ar)], "the entry")
    for r in roots:
        ri = lk.info(r)
        assert ri is not None
        for n, a, _ in ri.mod.exports:
            if n == "module_info":
                continue
            lk.reach(ri.by_name[(n, a)], f"module {r}")
            lk.exports.add((r, n, a))
    while True:
        while lk.work:
            lk.scan(lk.work.pop())
        if lk.errors:
            # every gap at once, so one build shows all a program needs
            more = len(lk.errors) - 12
            raise LinkError("\n".join(lk.errors[:12]) +
                            (f"\n(and {more} more)" if more > 0 else ""))
        lk.speculative = True
        if not lk.reach_named():
            break
    # exported functions that were reached can be applied/spawned by name
    for (m, n, a), _f in lk.reached.items():
        if (n, a) in lk.mods[m].exported:
            lk.exports.add((m, n, a))

    ops = custom_ops()
    lk.code.append(ops["undef"])          # code index 0: the undef stub (image.h)
    lk.code.append(ops["exit"])           # code index 1: a process's first return
    order = sorted(lk.reached.values(), key=lambda f: (f.module.name, f.start))
    for f in order:
        lk.emit(f)
    code = [lk.resolve(w) for w in lk.code]
    entry_f = lk.mods[mod].by_name[(fn, ar)]
    entry_pc = lk.label_pos[(mod, _entry_label(entry_f))]

    # exports: Erlang functions, and every BIF (apply/3 and fun M:F/A reach them)
    rows: list[tuple[int, int, int, Word]] = []
    for (m, n, a) in lk.exports:
        bif = bif_table().get((m, n, a))
        if bif is not None:
            continue
        f = lk.mods[m].by_name[(n, a)]
        rows.append((lk.atom(m), lk.atom(n), a, lk.label_pos[(m, _entry_label(f))]))
    for (m, n, a), bif in bif_table().items():
        rows.append((lk.atom(m), lk.atom(n), a, (1 << 63) | bif))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    dedup: list[tuple[int, int, int, Word]] = []
    for r in rows:
        if dedup and dedup[-1][:3] == r[:3]:
            continue
        dedup.append(r)

    funs = []
    for m, idx, label in lk.fun_rows:
        fe = lk.mods[m].mod.funs[idx]
        funs.append((lk.label_pos[(m, label)], lk.atom(m), lk.atom(fe.name), fe.arity,
                     fe.num_free, fe.index, fe.uniq))
    asm = _assemble(lk, code, entry_pc, (lk.atom(mod), lk.atom(fn), ar), dedup, funs)
    return Image(asm=asm, modules=sorted({f.module.name for f in order}),
                 functions=len(order), code_words=len(code), literal_words=len(lk.lits),
                 atoms=len(lk.atoms), warnings=lk.warnings)


def _quads(words: list[Word]) -> list[str]:
    out = []
    for i in range(0, len(words), 8):
        out.append("\t.quad " + ",".join(str(w) for w in words[i:i + 8]))
    return out


def _assemble(lk: _Linker, code: list[Word], entry_pc: int, entry_mfa: tuple[int, int, int],
              exports: list[tuple[int, int, int, Word]],
              funs: list[tuple[int, int, int, int, int, int, int]]) -> str:
    files: dict[str, int] = {}      # source files of the line table, as atoms
    lk.line_rows = [r for r in lk.line_rows if r[1] in files or len(files) < 4096]
    for _pos, file, _line in lk.line_rows:
        if file not in files:
            files[file] = len(files)
            lk.atom(file)
    lines = ["# generated by unik_erlang.link: the pre-linked Erlang program",
             '\t.section .rodata.erl,"a"', "\t.balign 8"]

    def sym(name: str) -> None:
        lines.extend([f"\t.globl {name}", f"{name}:"])

    sym("erl_code")
    lines += _quads(code)
    sym("erl_code_len")
    lines.append(f"\t.quad {len(code)}")
    sym("erl_entry_pc")
    lines.append(f"\t.quad {entry_pc}")
    sym("erl_entry_mfa")
    lines.append("\t.quad " + ",".join(str(x) for x in entry_mfa))
    sym("erl_lits_len")
    lines.append(f"\t.quad {len(lk.lits)}")
    sym("erl_atom_count")
    lines.append(f"\t.quad {len(lk.atoms)}")
    sym("erl_export_count")
    lines.append(f"\t.quad {len(exports)}")
    sym("erl_fun_count")
    lines.append(f"\t.quad {len(funs)}")
    sym("erl_func_count")
    lines.append(f"\t.quad {len(lk.func_rows)}")
    sym("erl_exports")
    for m, n, a, pc in exports:
        lines.append(f"\t.long {m},{n},{a},0\n\t.quad {pc}")
    sym("erl_funs")
    for pc, m, n, a, nfree, idx, uniq in funs:
        lines.append(f"\t.quad {pc}\n\t.long {m},{n},{a},{nfree},{idx},{uniq}")
    sym("erl_funcs")
    for start, m, n, a in sorted(lk.func_rows):
        lines.append(f"\t.quad {start}\n\t.long {lk.atom(m)},{lk.atom(n)},{a},0")
    sym("erl_line_count")
    lines.append(f"\t.quad {len(lk.line_rows)}")
    sym("erl_lines")
    for pos, file, line in lk.line_rows:
        fi = files[file]
        lines.append(f"\t.long {pos},{(fi << 20) | min(line, (1 << 20) - 1)}")
    sym("erl_line_files")
    lines.append("\t.long " + ",".join(str(lk.atom(f)) for f in files) if files else "\t.long 0")
    lines.append("\t.balign 8")
    sym("erl_atom_text")
    names = sorted(lk.atoms, key=lambda s: lk.atoms[s])
    for name in names:
        raw = name.encode()
        lines.append(f"\t.short {len(raw)}")
        if raw:
            lines.append("\t.byte " + ",".join(str(b) for b in raw))
    lines += ['\t.section .data.rel.ro.erl,"aw"', "\t.balign 8"]
    sym("erl_lits")
    lines += _quads(lk.lits) if lk.lits else ["\t.quad 0"]
    lines.append('\t.section .note.GNU-stack,"",@progbits')
    return "\n".join(lines) + "\n"
