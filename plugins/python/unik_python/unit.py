"""A compilation unit: the whole program's C text, assembled from its parts.

    declare (program.py) → classes (classes.py) → module body and every function
    (funcgen.py, exprs.py, calls.py) → one C file, in the order C needs.
"""

from __future__ import annotations

import ast
from pathlib import Path

from . import types as T
from .classes import emit_classes
from .errors import CompileError
from .program import Program, declare
from .types import Ty


def c_string(data: bytes) -> str:
    """A C string literal holding exactly these bytes."""
    out = []
    for b in data:
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif 32 <= b < 127 and c != "?":
            out.append(c)
        else:
            out.append(f"\\{b:03o}")
    return '"' + "".join(out) + '"'


class Unit:
    def __init__(self, prog: Program, filename: str) -> None:
        self.prog = prog
        self.filename = filename
        self.frameless: set[str] = set()    # C names of functions without a traceback frame
        # copies of functions for int arguments to float parameters (calls.py)
        self.specializations: dict[tuple, object] = {}
        self.spec_only: tuple | None = None
        self.cmp_done: set[str] = set()     # the rich-comparison functions defined (classes.py)
        self.strings: dict[str, str] = {}        # text → C global name
        self.byte_strings: dict[bytes, str] = {}  # bytes literal → C global name
        self.protos: list[str] = []
        self.decls: list[str] = []               # global variables, type objects
        self.funcs: list[str] = []               # function definitions
        self.init: list[str] = []                # run at start, before the module body
        self.counter = 0
        self.fn_values: set[str] = set()         # top-level functions used as values
        self.class_structs: list[str] = []
        self.inits_done: set[str] = set()

    def ensure_init(self, info) -> None:
        """Compile a class's __init__ (and its bases') once: it declares the fields it assigns."""
        from .funcgen import FuncGen

        if info.builtin or info.name in self.inits_done:
            return
        self.inits_done.add(info.name)
        if info.base is not None:
            self.ensure_init(info.base)
        init = info.methods.get("__init__")
        if init is not None:
            FuncGen(self, init).compile_function()

    def fresh(self, prefix: str = "t") -> str:
        self.counter += 1
        return f"_{prefix}{self.counter}"

    def bytes_const(self, b: bytes) -> str:
        name = self.byte_strings.get(b)
        if name is None:
            name = f"B_{len(self.byte_strings)}"
            self.byte_strings[b] = name
        return name

    def string(self, s: str) -> str:
        name = self.strings.get(s)
        if name is None:
            name = f"S_{len(self.strings)}"
            self.strings[s] = name
        return name

    def fn_value(self, name: str) -> str:
        """A Closure for top-level function `name` (a static object, never freed)."""
        if name not in self.fn_values:
            self.fn_values.add(name)
            f = self.prog.functions[name]
            params = ", ".join(f"{T.ctype(t)} a{i}" for i, (_, t) in enumerate(f.params))
            args = ", ".join(f"a{i}" for i in range(len(f.params)))
            rt = "void" if f.ret == T.NONE else T.ctype(f.ret)
            sep = ", " if params else ""
            self.funcs.append(f"static {rt} fw_{name}(Closure *cl{sep}{params}) {{ (void)cl; "
                              f"{'' if rt == 'void' else 'return '}{f.cname}({args}); }}")
            self.protos.append(f"static {rt} fw_{name}(Closure *cl{sep}{params});")
            self.decls.append(f"static Closure fc_{name} = {{.h = {{.type = &T_Closure}}, "
                              f".fn = (void *)fw_{name}, .n = 0}};")
        return f"(&fc_{name})"

    def counter_key(self) -> str:
        """A key function for Counter.most_common: minus the count of an (item, count) pair."""
        if "counter_key" not in self.fn_values:
            self.fn_values.add("counter_key")
            self.funcs.append("static Val ck_fn(Closure *c, Val v) { (void)c; "
                              "return rt_vi(-((Tuple *)v.p)->items[1].i); }")
            self.decls.append("static Val ck_fn(Closure *c, Val v);")
            self.decls.append("static Closure ck_cl = {.h = {.type = &T_Closure}, "
                              ".fn = (void *)ck_fn, .n = 0};")
        return "(&ck_cl)"

    def c_file(self, node: ast.AST | None = None) -> str:
        """The name of the file of `node` (default: the main file) as a C string."""
        return c_string(str(getattr(node, "unik_file", self.filename)).encode())

    def module_frame(self, file: str) -> str:
        """The FrameInfo of module-level code of another file of the program."""
        name = f"fi_mod_{len(self.decls)}"
        self.decls.append(f"static const FrameInfo {name} = {{{c_string(file.encode())}, "
                          f"\"<module>\"}};")
        return name

    def render(self) -> str:
        out = ["/* generated by unik's Python compiler: do not edit */", '#include "pyrt.h"',
               "extern const Type T_Str, T_Closure, T_Cell;",
               "#define RT_NN(p) ({ __typeof__(p) _nn = (p); if (!_nn) rt_none_error(); _nn; })",
               "Closure *rt_closure(void *fn, int n, ...);", ""]
        out += self.class_structs
        for name in self.strings:
            out.append(f"static Str *{self.strings[name]};")
        for name in self.byte_strings.values():
            out.append(f"static Bytes *{name};")
        out += self.protos
        out += self.decls
        out += self.funcs
        out.append("int main(int argc, char **argv) {")
        out.append(f"    rt_file = {self.c_file()};")
        out.append("    rt_init(argc, argv, (char *)__builtin_frame_address(0) + 16);")
        out.append(f"    static const FrameInfo fi_module = {{{self.c_file()}, \"<module>\"}};")
        out.append("    RT_FRAME(fi_module);")
        out.append("    (void)rt_fr;")
        for b, name in self.byte_strings.items():
            out.append(f"    {name} = rt_bytes_new({c_string(b)}, {len(b)}); rt_gc_root(&{name});")
        for s, name in self.strings.items():
            data = s.encode("utf-8", "surrogatepass")
            out.append(f"    {name} = rt_str_new({c_string(data)}, {len(data)}); "
                       f"rt_gc_root(&{name});")
        out += ["    " + line for line in self.init]
        out.append("    rt_flush();")
        out.append("    return 0;")
        out.append("}")
        return "\n".join(out) + "\n"


def compile_module(source: str, filename: str, root: Path | None = None) -> str:
    """Python source → C source, or CompileError. `root`: the directory of the local
    modules it may import (project.py)."""
    from .funcgen import FuncGen
    from .project import merge

    try:
        module = ast.parse(source, filename=filename)
    except SyntaxError as e:
        err = CompileError(None, f"syntax error: {e.msg}")
        err.line, err.col = e.lineno or 0, e.offset or 0
        raise err from None
    if root is not None:
        module = merge(module, root) or module
    prog = Program(module)
    declare(prog)
    _bound_method_keys(prog, module)
    unit = Unit(prog, filename)
    # Globals first: annotated ones, then the type of each simple assignment's value
    # (compiled in a scratch function and thrown away), so functions and __init__
    # bodies may use module constants whatever the order.
    for st in module.body:
        if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name):
            prog.globals[st.target.id] = prog.annotated_type(st)
    for st in module.body:
        if isinstance(st, ast.Assign) and len(st.targets) == 1 and \
                isinstance(st.targets[0], ast.Name) and st.targets[0].id not in prog.globals:
            try:
                _, ty = FuncGen(unit, None).expr(st.value)
            except CompileError:
                continue
            if ty.name not in ("unknown", "None") and "unknown" not in str(ty):
                prog.globals[st.targets[0].id] = ty
    for info in prog.classes.values():
        for a in info.mutable_in_order():
            _, ty = FuncGen(unit, None).expr(info.consts[a])
            prog.globals[f"{info.name}__{a}"] = ty
    for info in prog.classes.values():
        if not info.builtin:
            unit.ensure_init(info)
    from .funcgen import frameless_functions
    unit.frameless = frameless_functions(prog.functions)
    main = FuncGen(unit, None)
    main.compile_module_body(module.body)
    for f in prog.functions.values():
        FuncGen(unit, f).compile_function()
    for info in prog.classes.values():
        if info.builtin or info.node is None:
            continue
        for mname, m in info.methods.items():
            if mname != "__init__":
                FuncGen(unit, m).compile_function()
    emit_classes(unit)
    unit.init += main.take_body()
    return unit.render()


def _bound_method_keys(prog: Program, module: ast.Module) -> None:
    """`key=counts.get` (a bound method of a variable) becomes
    `key=lambda _unik_k: counts.get(_unik_k)` before any scope is analysed, so the
    lambda captures the variable like one the user wrote."""
    types = {"str", "list", "dict", "set", "int", "float", "bytes", "tuple"}
    for n in ast.walk(module):
        if not isinstance(n, ast.Call):
            continue
        for kw in n.keywords:
            v = kw.value
            if kw.arg == "key" and isinstance(v, ast.Attribute) and \
                    isinstance(v.value, ast.Name) and v.value.id not in prog.classes and \
                    v.value.id not in prog.aliases and v.value.id not in types:
                lam = ast.parse(f"lambda _unik_k: {v.value.id}.{v.attr}(_unik_k)",
                                mode="eval").body
                for x in ast.walk(lam):
                    ast.copy_location(x, v)
                    if hasattr(v, "unik_file"):
                        x.unik_file = v.unik_file  # type: ignore[attr-defined]
                kw.value = lam


def global_type(unit: Unit, name: str) -> Ty | None:
    return unit.prog.globals.get(name)
