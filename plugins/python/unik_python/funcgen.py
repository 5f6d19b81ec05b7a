"""One function (or the module body) → C: statements, scopes, control flow.

Expressions are in exprs.py and calls (built-ins, methods) in calls.py; both are
mixed into FuncGen. Every compile step returns C text and the static type.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from . import scopes
from . import types as T
from .calls import CallsMixin
from .errors import CompileError
from .exprs import ExprsMixin
from .program import FuncInfo
from .types import Ty
from .unit import c_string

# C codes that read nothing that can change: numbers, string constants, literals.
_CONSTANT = re.compile(r"INT64_C\(-?\d+\)|-?\d[\w.+-]*|S_\d+|true|false|NULL|rt_none\(\)")
_NAME = re.compile(r"[A-Za-z_]\w*")


@dataclass
class TryFrame:
    handler: str                 # the C Handler variable
    active: bool                 # the handler is installed (we are in the try body)
    final: list[ast.stmt] | None = None


@dataclass
class LoopFrame:
    brk: str
    cont: str
    tries: int                   # len(self.tries) when the loop started
    used: set[str] = field(default_factory=set)


class FuncGen(ExprsMixin, CallsMixin):
    def __init__(self, unit, info: FuncInfo | None, *, parent: FuncGen | None = None,
                 node: ast.AST | None = None, cname: str = "") -> None:
        self.unit = unit
        self.prog = unit.prog
        self.info = info
        self.parent = parent
        self.node = node if node is not None else (info.node if info else None)
        self.is_module = info is None and parent is None
        self.lines: list[str] = []
        self.ind = 1
        self.locals: dict[str, Ty] = {}
        self.cnames: dict[str, str] = {}          # local name → C variable (renames)
        self.cells: set[str] = set()
        self.free: dict[str, tuple[int, Ty]] = {}  # closure variables: index, type
        self.globals_decl: set[str] = set()
        self.tries: list[TryFrame] = []
        self.loops: list[LoopFrame] = []
        self.volatile = False
        self.local_funcs: dict[str, FuncInfo] = {}
        self.ret: Ty = info.ret if info else T.NONE
        self.is_gen = bool(info and info.is_gen)
        self.cname = cname or (info.cname if info else "main")
        self.temps: list[str] = []
        self.shadow: set[str] = set()             # comprehension variables (always local)
        self.may_recurse = True                   # whether to check the stack on entry
        self.own: set[str] = set()                # names this function binds (Python scoping)
        self.comp_vars: dict[str, Ty] = {}        # their C variables, declared at the top
        self.partial: dict[str, tuple[list[str], ast.AST]] = {}  # partial_local: placeholders
        self.frameless = bool(info and info.cname in unit.frameless)

    # ---- output ----
    def emit(self, line: str) -> None:
        self.lines.append("    " * self.ind + line)

    def fresh(self, prefix: str = "t") -> str:
        return self.unit.fresh(prefix)

    def in_order(self, parts: list[tuple[str, Ty]]) -> tuple[str, list[str]]:
        """Python evaluates operands left to right; C leaves the order of a call's
        arguments (and of `+`, `<`, …) unspecified, and gcc often goes right to
        left. When a part with effects follows another that is not a constant,
        every non-constant part up to the last such one is bound to a temporary,
        in order. Returns the declarations to put first (in a statement
        expression) and the codes to use instead of `parts`."""
        busy = [not _CONSTANT.fullmatch(c.strip()) and not _NAME.fullmatch(c.strip())
                for c, _ in parts]
        fixed = [bool(_CONSTANT.fullmatch(c.strip())) for c, _ in parts]
        last = max((i for i, b in enumerate(busy) if b), default=-1)
        if last <= 0 or all(fixed[:last]):
            return "", [c for c, _ in parts]
        decls, out = [], []
        for i, (c, t) in enumerate(parts):
            if i <= last and not fixed[i]:
                tmp = self.fresh("ev")
                decls.append(f"{T.ctype(t)} {tmp} = {c};")
                out.append(tmp)
            else:
                out.append(c)
        return " ".join(decls) + " ", out

    def ordered_call(self, fn: str, parts: list[tuple[str, Ty]],
                     lead: tuple[str, ...] = ()) -> str:
        """`fn(lead..., parts...)` with `parts` evaluated left to right (in_order)."""
        decls, codes = self.in_order(parts)
        call = f"{fn}({', '.join([*lead, *codes])})"
        return f"({{ {decls}{call}; }})" if decls else call

    def take_body(self) -> list[str]:
        decls = [f"{T.ctype(t)} {self.cnames[n]};" for n, t in self.locals.items()
                 if n not in self.cells and not self.is_module]
        decls += [f"{T.ctype(t)} {c};" for c, t in self.comp_vars.items()]
        return decls + [line[4:] if line.startswith("    ") else line for line in self.lines]

    # ---- names ----
    def lookup(self, name: str, node: ast.AST) -> tuple[str, Ty] | None:
        """C code reading `name`, and its type; None if not a variable."""
        if name in self.shadow:
            if name not in self.locals:
                return None
            return self.cnames[name], self.locals[name]
        if name in self.free:
            i, t = self.free[name]
            return T.from_val(f"((Cell *)cl->cells[{i}])->v", t), t
        if not self.is_module and name not in self.globals_decl:
            if name in self.cells:
                if name not in self.locals:
                    raise CompileError(node, f"variable {name} is used before it is assigned")
                return T.from_val(f"{self.cnames[name]}->v", self.locals[name]), self.locals[name]
            if name in self.locals:
                return self.cnames[name], self.locals[name]
            if name in self.own and name not in self.free:
                raise CompileError(node, f"local variable {name} is used before it is "
                                         f"assigned")
        if name in self.prog.globals:
            return f"g_{name}", self.prog.globals[name]
        return None

    def declare_local(self, name: str, t: Ty, node: ast.AST) -> None:
        if t.name == "unknown" or "?" in str(t):
            raise CompileError(node, f"cannot infer the type of {name}: annotate it "
                                     f"(e.g. {name}: list[int] = [])")
        if t == T.NONE:
            raise CompileError(node, f"{name} is assigned None: annotate it as Optional[T]")
        if (self.is_module or name in self.globals_decl) and name not in self.shadow:
            self.prog.globals[name] = t
            return
        self.locals[name] = t
        if name not in self.cnames:
            self.cnames[name] = f"l_{name}"

    def var_type(self, name: str) -> Ty | None:
        if name in self.shadow:
            return self.locals.get(name)
        if name in self.free:
            return self.free[name][1]
        if not self.is_module and name not in self.globals_decl and name in self.locals:
            return self.locals[name]
        if not self.is_module and name in self.own and name not in self.globals_decl:
            return None
        if (self.is_module or name in self.globals_decl or name not in self.locals) and \
                name in self.prog.globals:
            return self.prog.globals[name]
        return None

    def store_name(self, name: str, code: str, t: Ty, node: ast.AST) -> None:
        """Assign code (of type t) to variable name, declaring it on first use."""
        if name in self.free and name not in self.shadow:
            i, vt = self.free[name]
            self.emit(f"((Cell *)cl->cells[{i}])->v = "
                      f"{T.to_val(self.coerce(code, t, vt, node), vt)};")
            return
        vt = self.var_type(name)
        if (name in self.prog.functions or name in self.prog.classes) and \
                (self.is_module or name in self.globals_decl or vt is None):
            raise CompileError(node, f"{name} is a function or class; it cannot be assigned")
        if vt is None:
            self.declare_local(name, t, node)
            vt = t
        val = self.coerce(code, t, vt, node)
        if name in self.shadow:
            self.emit(f"{self.cnames[name]} = {val};")
        elif not self.is_module and name not in self.globals_decl and name in self.cells:
            self.emit(f"{self.cnames[name]}->v = {T.to_val(val, vt)};")
        elif not self.is_module and name not in self.globals_decl and name in self.locals:
            self.emit(f"{self.cnames[name]} = {val};")
        else:
            self.emit(f"g_{name} = {val};")

    # ---- entry points ----
    def compile_module_body(self, body: list[ast.stmt]) -> None:
        self.ind = 1
        file = self.unit.filename
        for st in body:
            f = getattr(st, "unik_file", self.unit.filename)
            if f != file:   # the body of another module (project.py): its frame's file
                file = f
                self.emit(f"rt_fr.info = &{self.unit.module_frame(f)};")
            if isinstance(st, ast.ClassDef):
                info = self.prog.classes[st.name]
                for a in info.mutable_in_order():
                    code, ty = self.expr(info.consts[a])
                    self.store_name(f"{info.name}__{a}", code, ty, st)
                continue
            if isinstance(st, (ast.FunctionDef, ast.Import, ast.ImportFrom)):
                continue
            from .program import type_alias
            if type_alias(st, self.prog.aliases) is not None:
                continue
            if isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant) and \
                    isinstance(st.value.value, str):
                continue
            self.stmt(st)
        for name, t in self.prog.globals.items():
            self.unit.decls.insert(0, f"static {T.ctype(t)} g_{name};")
            if not t.is_prim:
                self.unit.init.insert(0, f"rt_gc_root(&g_{name});")
            elif t == T.INT:   # it may hold a bignum
                self.unit.init.insert(0, f"rt_gc_root_int(&g_{name});")

    def setup_scope(self, fn: ast.AST, params: list[tuple[str, Ty]]) -> None:
        own = scopes.locals_of(fn)
        g, _ = scopes.declared(fn)
        self.globals_decl = g
        self.own = own
        self.cells = scopes.cell_vars(scopes.body_of(fn), own)
        self.volatile = any(isinstance(n, ast.Try) for n in ast.walk(fn)
                            if not isinstance(n, scopes.SCOPE_NODES) or n is fn)

    def compile_function(self) -> None:
        info = self.info
        assert info is not None and isinstance(info.node, ast.FunctionDef)
        fn = info.node
        self.setup_scope(fn, info.params)
        self.check_defaults(info)
        if info.is_gen:
            self._compile_generator(info, fn)
            return
        cparams = []
        for name, t in info.params:
            cparams.append(f"{T.ctype(t)} p_{name}")
        self.bind_params(info.params, fn)
        self.body(fn.body)
        if info.memo and info.ret != T.NONE and info.params:
            self.finish(info.cname + "_impl", cparams, info.ret, fn)
            self.memo_wrapper(info, cparams)
        else:
            self.finish(info.cname, cparams, info.ret, fn)

    def memo_wrapper(self, info: FuncInfo, cparams: list[str]) -> None:
        """@functools.cache: the function's name calls the body once per argument
        tuple; the results live in a dict (a GC root), never evicted."""
        ps = info.params
        if len(ps) == 1:
            key, kk = T.to_val(f"p_{ps[0][0]}", ps[0][1]), T.kind(ps[0][1])
        else:
            kinds = "".join(T.kind_digit(t) for _, t in ps)
            vals = "".join(f", {T.to_val(f'p_{n}', t)}" for n, t in ps)
            key, kk = f"rt_vp(rt_tuple_of({len(ps)}, \"{kinds}\"{vals}))", "RK_OBJ"
        for n, t in ps:
            if t.name in ("list", "dict", "set", "defaultdict", "counter", "deque"):
                raise CompileError(info.node, f"@cache of {info.name}: parameter {n} is a "
                                              f"{t}, which is unhashable")
        memo, rt = f"memo_{info.cname}", T.ctype(info.ret)
        sig = f"static {rt} {info.cname}({', '.join(cparams)})"
        args = ", ".join(f"p_{n}" for n, _ in ps)
        self.unit.decls.append(f"static Dict *{memo};")
        self.unit.protos.append(sig + ";")
        self.unit.funcs.append(
            f"{sig} {{\n"
            f"    if (!{memo}) {{ {memo} = rt_dict_new({kk}, {T.kind(info.ret)}); "
            f"rt_gc_root(&{memo}); }}\n"
            f"    Val k = {key}, v;\n"
            f"    if (rt_dict_get_opt({memo}, k, &v)) return {T.from_val('v', info.ret)};\n"
            f"    {rt} r = {info.cname}_impl({args});\n"
            f"    rt_dict_set({memo}, k, {T.to_val('r', info.ret)});\n"
            f"    return r;\n}}")

    def bind_params(self, params: list[tuple[str, Ty]], fn: ast.AST) -> None:
        for name, t in params:
            if name in self.cells:
                self.declare_local(name, t, fn)
                self.emit(f"{self.cnames[name]}->v = {T.to_val('p_' + name, t)};")
            else:
                self.locals[name] = t
                self.cnames[name] = f"l_{name}"
                self.emit(f"l_{name} = p_{name};")

    def finish(self, cname: str, cparams: list[str], ret: Ty, fn: ast.AST,
               closure: bool = False) -> None:
        for name, (_, at) in self.partial.items():
            raise CompileError(at, f"cannot infer the type of {name}: annotate it "
                                   f"(e.g. {name}: list[int] = [])")
        rt = "void" if ret == T.NONE else T.ctype(ret)
        if closure:
            cparams = ["Closure *cl", *cparams]
        sig = f"static {rt} {cname}({', '.join(cparams) or 'void'})"
        vol = " volatile" if self.volatile else ""
        decls = []
        for n, t in self.locals.items():
            if n in self.cells:
                decls.append(f"    Cell *{vol} {self.cnames[n]};")
            else:
                decls.append(f"    {T.ctype(t)}{vol} {self.cnames[n]};")
        for c, t in self.comp_vars.items():
            decls.append(f"    {T.ctype(t)}{vol} {c};")
        tail = []
        if ret != T.NONE and not self.ends_in_return(getattr(fn, "body", [])):
            tail.append(f"    rt_raise_new(&T_TypeError, \"{getattr(fn, 'name', 'lambda')}() "
                        f"ended without returning a {ret}\");")
        cells = [f"    {self.cnames[n]} = rt_alloc(&T_Cell, sizeof(Cell)); "
                 f"{self.cnames[n]}->kind = {T.kind(t)};"
                 for n, t in self.locals.items() if n in self.cells]
        self.unit.protos.append(sig + ";")
        check = [] if self.is_gen or not self.may_recurse else ["    RT_STACK_CHECK();"]
        # the frame this call adds to tracebacks (after the check: a RecursionError
        # names the line of the call that went too deep, as CPython's does)
        name = getattr(fn, "unik_name", fn.name) if isinstance(fn, ast.FunctionDef) \
            else "<lambda>"
        if not self.frameless:
            self.unit.decls.append(f"static const FrameInfo fi_{cname} = "
                                   f"{{{self.unit.c_file(fn)}, {c_string(name.encode())}}};")
        frame = [] if self.frameless else [f"    RT_FRAME(fi_{cname});"]
        if self.is_gen:
            frame.append("    gen->bottom = &rt_fr;")
        self.unit.funcs.append("\n".join([sig + " {", *decls, *check, *frame, *cells,
                                          *self.lines, *tail, "}"]))

    def ends_in_return(self, body: list[ast.stmt]) -> bool:
        if not body:
            return False
        last = body[-1]
        if isinstance(last, (ast.Return, ast.Raise)):
            return True
        if isinstance(last, ast.If):
            return self.ends_in_return(last.body) and self.ends_in_return(last.orelse)
        if isinstance(last, ast.While) and isinstance(last.test, ast.Constant) and \
                last.test.value is True:
            return not any(isinstance(n, ast.Break) for n in ast.walk(last))
        if isinstance(last, ast.Try):
            return (self.ends_in_return(last.body) or self.ends_in_return(last.orelse)) and \
                all(self.ends_in_return(h.body) for h in last.handlers)
        return False

    def check_defaults(self, info: FuncInfo) -> None:
        for d in info.defaults:
            if d is not None and not _immutable(d):
                raise CompileError(d, "default values must be constants (a mutable default "
                                      "is shared between calls in Python; use None)")

    def _compile_generator(self, info: FuncInfo, fn: ast.FunctionDef) -> None:
        """A generator: the function packs its arguments into a frame and returns a Gen;
        the body runs on the generator's own stack (see runtime/gen.c)."""
        elem = info.ret.args[0]
        body_name = f"{info.cname}_body"
        n = len(info.params)
        outer = [f"    Frame *fr = rt_frame_new({max(n, 1)});"]
        for i, (name, t) in enumerate(info.params):
            outer.append(f"    fr->v[{i}] = {T.to_val('p_' + name, t)};")
        outer.append(f"    return rt_gen_new({body_name}, fr, {T.kind(elem)});")
        cparams = [f"{T.ctype(t)} p_{name}" for name, t in info.params]
        sig = f"static Gen *{info.cname}({', '.join(cparams) or 'void'})"
        self.unit.protos.append(f"static void {body_name}(Gen *gen);")
        self.unit.protos.append(sig + ";")
        self.unit.funcs.append("\n".join([sig + " {", *outer, "}"]))
        self.gen_elem = elem
        for i, (name, t) in enumerate(info.params):
            self.emit(f"{T.ctype(t)} p_{name} = {T.from_val(f'((Frame *)gen->frame)->v[{i}]', t)};")
        self.bind_params(info.params, fn)
        self.ret = T.NONE
        self.body(fn.body)
        self.finish(body_name, ["Gen *gen"], T.NONE, fn)

    # ---- statements ----
    def body(self, stmts: list[ast.stmt]) -> None:
        for st in stmts:
            self.stmt(st)

    def block(self, stmts: list[ast.stmt]) -> None:
        self.ind += 1
        self.body(stmts)
        self.ind -= 1

    def stmt(self, st: ast.stmt) -> None:
        if not self.frameless and _may_raise(st, set()):
            self.emit(f"rt_fr.line = {st.lineno};")  # for the traceback of an uncaught error
        method = getattr(self, f"st_{type(st).__name__}", None)
        if method is None:
            raise CompileError(st, f"{_describe(st)} is not supported in the subset")
        try:
            method(st)
        except CompileError:
            raise
        except Exception as e:
            if not hasattr(e, "unik_line"):
                e.unik_line = st.lineno  # type: ignore[attr-defined]   # for the report
            raise

    def st_Pass(self, st: ast.Pass) -> None:
        pass

    def st_Match(self, st: ast.Match) -> None:
        from .calls import dataclass_fields
        from .matching import Rewriter

        def fields_of(name: str) -> list[str] | None:
            info = self.prog.classes.get(name)
            if info is None:
                raise CompileError(st, f"unknown class {name} in a pattern")
            if not any(c.is_dataclass for c in [info]):
                return None
            return [n for n, _, _ in dataclass_fields(info)]

        for s in Rewriter(self.fresh, fields_of).rewrite(st):
            self.stmt(s)

    def module_member(self, f: ast.expr) -> str | None:
        """'contextlib.suppress' for suppress / contextlib.suppress (imported), else None."""
        if isinstance(f, ast.Name) and self.lookup(f.id, f) is None:
            return self.prog.aliases.get(f.id)
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and \
                self.lookup(f.value.id, f) is None and f.value.id in self.prog.aliases:
            return f"{self.prog.aliases[f.value.id]}.{f.attr}"
        return None

    def st_With(self, st: ast.With) -> None:
        """`with M as v: body` is compiled as the try statement it means:

            m = M; v = m.__enter__(); raised = False
            try: body
            except BaseException as e:
                raised = True
                if not m.__exit__(e, e, e): raise   # a true result suppresses it
            finally:
                if not raised: m.__exit__(None, None, None)
        """
        item, rest = st.items[0], st.items[1:]
        body = [ast.With(items=rest, body=st.body)] if rest else st.body
        if rest:
            ast.copy_location(body[0], st)
        ce = item.context_expr
        if isinstance(ce, ast.Call) and self.module_member(ce.func) == "contextlib.suppress":
            # with suppress(E1, E2): body  is  try: body / except (E1, E2): pass
            if not ce.args or ce.keywords or item.optional_vars is not None:
                raise CompileError(ce, "write with suppress(Error, …): body")
            types = ce.args[0] if len(ce.args) == 1 else ast.Tuple(list(ce.args), ast.Load())
            tr = ast.Try(body=body, handlers=[ast.ExceptHandler(type=types, name=None,
                                                                 body=[ast.Pass()])],
                         orelse=[], finalbody=[])
            for x in ast.walk(tr):
                if not hasattr(x, "lineno"):
                    ast.copy_location(x, st)
            self.stmt(tr)
            return
        code, ty = self.expr(item.context_expr)
        info = self.prog.classes.get(ty.args[0]) if ty.name == "cls" else None
        enter = info.find_method("__enter__") if info else None
        exit_ = info.find_method("__exit__") if info else None
        if info is None or enter is None or exit_ is None:
            raise CompileError(item.context_expr, f"with needs an object of a class with "
                                                  f"__enter__ and __exit__, not {ty}")
        n = self.fresh("with")
        m, raised, e = f"{n}_m", f"{n}_raised", f"{n}_e"
        self.store_name(m, code, ty, st)

        def at(node: ast.AST) -> ast.AST:
            for x in ast.walk(node):
                ast.copy_location(x, st)
            return node

        def call(name: str, args: list[ast.expr]) -> ast.Call:
            return ast.Call(func=ast.Attribute(value=ast.Name(id=m, ctx=ast.Load()), attr=name,
                                               ctx=ast.Load()), args=args, keywords=[])

        nargs = len(exit_.params) - 1
        enter_call = call("__enter__", [])
        pre: list[ast.stmt] = [ast.Assign(targets=[item.optional_vars], value=enter_call)] \
            if item.optional_vars is not None else [ast.Expr(value=enter_call)]
        pre.append(ast.Assign(targets=[ast.Name(id=raised, ctx=ast.Store())],
                              value=ast.Constant(value=False)))
        exit_exc = call("__exit__", [ast.Name(id=e, ctx=ast.Load())] * nargs)
        reraise = ast.Raise(exc=ast.Name(id=e, ctx=ast.Load()), cause=None)
        on_exc: list[ast.stmt] = [
            ast.Assign(targets=[ast.Name(id=raised, ctx=ast.Store())],
                       value=ast.Constant(value=True))]
        if exit_.ret == T.NONE:
            on_exc += [ast.Expr(value=exit_exc), reraise]
        else:
            on_exc.append(ast.If(test=ast.UnaryOp(op=ast.Not(), operand=exit_exc),
                                 body=[reraise], orelse=[]))
        final = ast.If(test=ast.UnaryOp(op=ast.Not(), operand=ast.Name(id=raised,
                                                                         ctx=ast.Load())),
                       body=[ast.Expr(value=call("__exit__", [ast.Constant(value=None)] * nargs))],
                       orelse=[])
        handler = ast.ExceptHandler(type=ast.Name(id="BaseException", ctx=ast.Load()), name=e,
                                    body=on_exc)
        tr = ast.Try(body=body, handlers=[handler], orelse=[], finalbody=[final])
        for x in pre:
            self.stmt(at(x))
        for x in (handler, final, *on_exc):
            at(x)
        ast.copy_location(tr, st)
        self.stmt(tr)

    def st_Expr(self, st: ast.Expr) -> None:
        v = st.value
        if isinstance(v, ast.Constant) and (isinstance(v.value, str) or v.value is Ellipsis):
            return      # a docstring, or `...` (an abstract method's body)
        if isinstance(v, ast.Yield):
            self.yield_(v)
            return
        if isinstance(v, ast.YieldFrom):    # for each item of the iterable: yield it
            name = self.fresh("yf")
            loop = ast.For(target=ast.Name(id=name, ctx=ast.Store()), iter=v.value,
                           body=[ast.Expr(value=ast.Yield(value=ast.Name(id=name,
                                                                         ctx=ast.Load())))],
                           orelse=[])
            body = loop.body[0]
            assert isinstance(body, ast.Expr) and isinstance(body.value, ast.Yield)
            for n in (loop, loop.target, body, body.value, body.value.value):
                ast.copy_location(n, st)
            self.stmt(loop)
            return
        code, _ = self.expr(v)
        self.emit(f"(void)({code});")

    def st_Global(self, st: ast.Global) -> None:
        if self.is_module:
            return
        for name in st.names:
            if name not in self.prog.globals:
                raise CompileError(st, f"global {name}: no module-level variable {name} "
                                       f"(assign it at module level first)")

    def st_Nonlocal(self, st: ast.Nonlocal) -> None:
        for name in st.names:
            if name not in self.free:
                raise CompileError(st, f"nonlocal {name}: not a variable of an enclosing "
                                       f"function")

    def st_Assign(self, st: ast.Assign) -> None:
        if len(st.targets) > 1:
            hint = None
            for t in st.targets:
                if isinstance(t, ast.Name):
                    hint = self.var_type(t.id)
                    break
            code, ty = self.expr(st.value, hint)
            tmp = self.fresh()
            self.emit(f"{T.ctype(ty)} {tmp} = {code};")
            for t in st.targets:
                self.assign(t, tmp, ty)
            return
        target = st.targets[0]
        hint = None
        if isinstance(target, ast.Name):
            hint = self.var_type(target.id)
        elif isinstance(target, ast.Attribute):
            hint = self.attr_type(target)
        elif isinstance(target, ast.Subscript):
            hint = self.subscript_store_type(target)
        if hint is None and isinstance(target, ast.Name):
            hint = self.infer_empty(target.id, st.value)
            if hint is None and self.partial_local(target.id, st):
                return
        code, ty = self.expr(st.value, hint)
        self.assign(target, code, ty)

    def partial_local(self, name: str, st: ast.Assign) -> bool:
        """`out = []` (or `{}`, `set()`) whose item type only a later `out.append(x)`
        (`.add(x)`, `d[k] = v`) tells, where x's type is known (a loop variable):
        the local is declared now with placeholders for the item kinds, which
        `refine_partial` fills in at that use (mypy's partial types)."""
        v = st.value
        kind = "list" if isinstance(v, ast.List) and not v.elts else \
            "dict" if isinstance(v, ast.Dict) and not v.keys else \
            "set" if isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and \
            v.func.id == "set" and not v.args and self.lookup("set", v) is None else ""
        if not kind or self.is_module or name in self.globals_decl or name in self.free or \
                name in self.cells or self.var_type(name) is not None:
            return False
        phs = [f"__PARTIAL_{self.fresh('k')}__" for _ in range(2 if kind == "dict" else 1)]
        code = {"list": f"rt_list_new({phs[0]}, 0)", "set": f"rt_set_new({phs[0]})",
                "dict": f"rt_dict_new({phs[0]}, {phs[-1]})"}[kind]
        self.locals[name] = Ty(kind, tuple(T.UNKNOWN for _ in phs))
        self.cnames.setdefault(name, f"l_{name}")
        self.partial[name] = (phs, st)
        self.emit(f"{self.cnames[name]} = {code};")
        return True

    def refine_partial(self, name: str, tys: list[Ty]) -> None:
        phs, _ = self.partial.pop(name)
        old = self.locals[name]
        self.locals[name] = Ty(old.name, tuple(tys))
        for ph, t in zip(phs, tys, strict=True):
            for i, line in enumerate(self.lines):
                if ph in line:
                    self.lines[i] = line.replace(ph, T.kind(t))

    def infer_empty(self, name: str, value: ast.expr) -> Ty | None:
        """The type of `name = []` / `{}` / `set()` from the first use that fills it
        (`name.append(x)`, `name.add(x)`, `name[k] = v`), as mypy infers it."""
        kind = "list" if isinstance(value, ast.List) and not value.elts else \
            "dict" if isinstance(value, ast.Dict) and not value.keys else \
            "set" if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and \
            value.func.id == "set" and not value.args else ""
        if not kind or self.node is None:
            return None
        for n in ast.walk(self.node):
            parts: list[ast.expr] = []
            if kind in ("list", "set") and isinstance(n, ast.Call) and \
                    isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) \
                    and n.func.value.id == name and len(n.args) == 1 and \
                    n.func.attr == ("append" if kind == "list" else "add"):
                parts = [n.args[0]]
            elif kind == "dict" and isinstance(n, ast.Assign) and len(n.targets) == 1 and \
                    isinstance(n.targets[0], ast.Subscript) and \
                    isinstance(n.targets[0].value, ast.Name) and n.targets[0].value.id == name \
                    and not isinstance(n.targets[0].slice, ast.Slice):
                parts = [n.targets[0].slice, n.value]
            if not parts:
                continue
            mark, ind = len(self.lines), self.ind
            try:
                tys = [self.expr(e)[1] for e in parts]
            except CompileError:
                # it uses names bound later (a loop variable): what its form says
                tys = [_evident_type(e) for e in parts]
                if any(t is None for t in tys):
                    continue
            finally:
                del self.lines[mark:]
                self.ind = ind
            if any("unknown" in str(t) or t == T.NONE for t in tys):
                continue
            return Ty(kind, tuple(tys))
        return None

    def st_AnnAssign(self, st: ast.AnnAssign) -> None:
        t = self.prog.annotated_type(st)
        if isinstance(st.target, ast.Name):
            name = st.target.id
            if self.is_module:
                self.prog.globals[name] = t
            elif name not in self.locals and name not in self.free:
                self.declare_local(name, t, st)
            elif self.var_type(name) != t:
                raise CompileError(st, f"{name} was declared {self.var_type(name)}, "
                                       f"now annotated {t}")
            if st.value is not None:
                code, ty = self.expr(st.value, t)
                self.store_name(name, code, ty, st)
            return
        if isinstance(st.target, ast.Attribute) and self.info and self.info.owner and \
                isinstance(st.target.value, ast.Name) and st.target.value.id == "self":
            owner = self.info.owner
            fname = st.target.attr
            if owner.field_type(fname) is None:
                owner.fields[fname] = t
            if st.value is not None:
                code, ty = self.expr(st.value, t)
                self.assign(st.target, code, ty)
            return
        raise CompileError(st, "annotated assignment to this target is not supported")

    def assign(self, target: ast.expr, code: str, ty: Ty) -> None:
        if isinstance(target, ast.Name):
            self.store_name(target.id, code, ty, target)
        elif isinstance(target, (ast.Tuple, ast.List)):
            self.unpack(target, code, ty)
        elif isinstance(target, ast.Attribute):
            v = target.value
            if isinstance(v, ast.Name) and v.id in self.prog.classes and \
                    self.lookup(v.id, v) is None:
                owner = self.prog.class_attr_owner(v.id, target.attr)
                self.store_name(f"{owner}__{target.attr}", code, ty, target)
                return
            self.store_attr(target, code, ty)
        elif isinstance(target, ast.Subscript):
            self.store_subscript(target, code, ty)
        elif isinstance(target, ast.Starred):
            raise CompileError(target, "starred assignment targets are not supported")
        else:
            raise CompileError(target, "unsupported assignment target")

    def unpack(self, target: ast.Tuple | ast.List, code: str, ty: Ty) -> None:
        n = len(target.elts)
        stars = [i for i, e in enumerate(target.elts) if isinstance(e, ast.Starred)]
        if stars:
            self.unpack_starred(target, stars, code, ty)
            return
        if ty.name in ("vtuple", "str", "bytes"):
            code, ty = self.as_list(code, ty, target)
        if ty.name == "cls" and self.prog.classes[ty.args[0]].namedtuple:
            from .calls import dataclass_fields
            fields = dataclass_fields(self.prog.classes[ty.args[0]])
            if len(fields) != n:
                raise CompileError(target, f"cannot unpack {ty} ({len(fields)} fields) into {n}")
            tmp = self.fresh()
            self.emit(f"{T.ctype(ty)} {tmp} = RT_NN({code});")
            for e, (fname, ft, _) in zip(target.elts, fields, strict=True):
                self.assign(e, f"{tmp}->f_{fname}", ft)
            return
        tmp = self.fresh()
        self.emit(f"{T.ctype(ty)} {tmp} = {code};")
        if ty.name == "tuple":
            if len(ty.args) != n:
                raise CompileError(target, f"cannot unpack a tuple of {len(ty.args)} into {n}")
            for i, (e, et) in enumerate(zip(target.elts, ty.args, strict=True)):
                self.assign(e, T.from_val(f"{tmp}->items[{i}]", et), et)
        elif ty.name == "list":
            et = ty.args[0]
            self.emit(f"if ({tmp}->len != {n}) rt_raise_new(&T_ValueError, "
                      f"\"wrong number of values to unpack (expected {n})\");")
            for i, e in enumerate(target.elts):
                self.assign(e, T.from_val(f"{tmp}->items[{i}]", et), et)
        else:
            raise CompileError(target, f"cannot unpack a value of type {ty}")

    def unpack_starred(self, target: ast.Tuple | ast.List, stars: list[int], code: str,
                       ty: Ty) -> None:
        """first, *rest = xs; *init, last = xs; a, *mid, b = xs: the starred name gets a
        list of what the others leave."""
        if len(stars) > 1:
            raise CompileError(target, "multiple starred expressions in assignment")
        k, n = stars[0], len(target.elts)
        if ty.name == "tuple":
            rest = ty.args[k:len(ty.args) - (n - 1 - k)]
            if len(ty.args) < n - 1:
                raise CompileError(target, f"cannot unpack a tuple of {len(ty.args)} into "
                                           f"at least {n - 1}")
            if len(set(rest)) > 1:
                raise CompileError(target, f"the starred part of {ty} has items of different "
                                           f"types")
        lst, lt = self.as_list(code, ty, target)
        et = lt.args[0]
        tmp = self.fresh()
        self.emit(f"List *{tmp} = {lst};")
        self.emit(f"if ({tmp}->len < {n - 1}) rt_raise_new(&T_ValueError, \"not enough values "
                  f"to unpack (expected at least {n - 1}, got %lld)\", (long long){tmp}->len);")
        for i, e in enumerate(target.elts):
            if i < k:
                self.assign(e, T.from_val(f"{tmp}->items[{i}]", et), et)
            elif i > k:
                self.assign(e, T.from_val(f"{tmp}->items[{tmp}->len - {n - i}]", et), et)
        star = target.elts[k]
        assert isinstance(star, ast.Starred)
        self.assign(star.value, f"rt_list_slice({tmp}, {k}, {tmp}->len - {n - 1 - k}, 1, 3)", lt)

    def st_AugAssign(self, st: ast.AugAssign) -> None:
        tgt = st.target
        # list += iterable extends in place (other names of the list see it)
        cur_code, cur_ty = self.expr(_load(tgt))
        if cur_ty.name == "list" and isinstance(st.op, ast.Add):
            val, vt = self.expr(st.value, cur_ty)
            self.emit(f"rt_list_extend({cur_code}, {self.coerce(val, vt, cur_ty, st)});")
            return
        if isinstance(tgt, ast.Subscript):
            # evaluate the container and index once
            obj, oty = self.expr(tgt.value)
            idx, ity = self.expr(tgt.slice)
            o, i = self.fresh(), self.fresh()
            self.emit(f"{T.ctype(oty)} {o} = {obj};")
            self.emit(f"{T.ctype(ity)} {i} = {idx};")
            cur, ct = self.subscript_load(tgt, o, oty, i, ity)
            val, vt = self.expr(st.value)
            res, rt = self.binop(st.op, cur, ct, val, vt, st)
            self.subscript_store(tgt, o, oty, i, ity, res, rt)
            return
        val, vt = self.expr(st.value)
        res, rt = self.binop(st.op, cur_code, cur_ty, val, vt, st)
        self.assign(tgt, res, rt)

    def st_If(self, st: ast.If) -> None:
        if _is_main_guard(st.test):
            self.body(st.body)
            return
        cond = self.cond(st.test)
        self.emit(f"if ({cond}) {{")
        narrowed = self.narrow(st.test)
        self.block(st.body)
        if narrowed is not None:
            # the narrowed name goes back to its type; what the body declared stays
            old_cnames, old_locals, old_shadow = narrowed
            assert isinstance(st.test, ast.Call) and isinstance(st.test.args[0], ast.Name)
            name = st.test.args[0].id
            for now, old in ((self.cnames, old_cnames), (self.locals, old_locals)):
                if name in old:
                    now[name] = old[name]
                else:
                    now.pop(name, None)
            self.shadow = (self.shadow - {name}) | (old_shadow & {name})
        if st.orelse:
            self.emit("} else {")
            self.block(st.orelse)
        self.emit("}")

    def narrow(self, test: ast.expr):
        """In `if isinstance(x, C):` the body sees x as a C (x a variable of a base class)."""
        if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and
                test.func.id == "isinstance" and len(test.args) == 2 and
                isinstance(test.args[0], ast.Name) and isinstance(test.args[1], ast.Name)):
            return None
        name, cname = test.args[0].id, test.args[1].id
        info = self.prog.classes.get(cname)
        got = self.lookup(name, test)
        if info is None or got is None:
            return None
        code, ty = got
        if ty.name == "opt":
            ty = ty.args[0]
        if ty.name != "cls" or ty.args[0] == cname or \
                not info.is_sub(self.prog.classes[ty.args[0]]):
            return None
        saved = dict(self.cnames), dict(self.locals), set(self.shadow)
        var = self.fresh("n_" + name)
        self.ind += 1
        self.emit(f"{info.ctype} {var} = ({info.ctype})({code});")
        self.ind -= 1
        self.cnames[name] = var
        self.locals[name] = info.ty
        self.shadow.add(name)
        return saved

    def st_While(self, st: ast.While) -> None:
        loop = self.push_loop()
        self.emit("for (;;) {")
        self.ind += 1
        self.emit(f"if (!({self.cond(st.test)})) break;")
        self.body(st.body)
        self.ind -= 1
        self.emit(f"{loop.cont}:;")
        self.emit("}")
        self.loops.pop()
        self.body(st.orelse)
        self.emit(f"{loop.brk}:;")

    def push_loop(self) -> LoopFrame:
        loop = LoopFrame(self.fresh("brk"), self.fresh("cont"), len(self.tries))
        self.loops.append(loop)
        return loop

    def st_For(self, st: ast.For) -> None:
        loop = self.push_loop()
        self.for_loop(st.iter, st.target, lambda: self.body(st.body), loop)
        self.loops.pop()
        self.body(st.orelse)
        self.emit(f"{loop.brk}:;")

    def st_Break(self, st: ast.Break) -> None:
        if not self.loops:
            raise CompileError(st, "break outside a loop")
        loop = self.loops[-1]
        self.unwind(loop.tries)
        self.emit(f"goto {loop.brk};")

    def st_Continue(self, st: ast.Continue) -> None:
        if not self.loops:
            raise CompileError(st, "continue outside a loop")
        loop = self.loops[-1]
        self.unwind(loop.tries)
        self.emit(f"goto {loop.cont};")

    def unwind(self, depth: int) -> None:
        """Leave the try statements entered since `depth`: uninstall handlers, run finally."""
        saved = self.tries
        for i in range(len(saved) - 1, depth - 1, -1):
            fr = saved[i]
            if fr.active:
                self.emit(f"rt_handler = {fr.handler}.prev;")
            if fr.final:
                self.tries = saved[:i]
                self.body(fr.final)
        self.tries = saved

    def st_Return(self, st: ast.Return) -> None:
        if self.is_module:
            raise CompileError(st, "return outside a function")
        if self.is_gen:
            if st.value is not None:
                raise CompileError(st, "return with a value in a generator is not supported")
            self.unwind(0)
            self.emit("return;")
            return
        if st.value is None or (isinstance(st.value, ast.Constant) and st.value.value is None):
            if self.ret != T.NONE and self.ret.name != "opt":
                if st.value is not None:
                    raise CompileError(st.value, f"None is not a {self.ret}: declare it "
                                                 f"Optional[{self.ret}]")
                raise CompileError(st, f"return without a value in a function returning "
                                       f"{self.ret}")
            self.unwind(0)
            self.emit("return;" if self.ret == T.NONE else "return NULL;")
            return
        if self.ret == T.NONE:
            raise CompileError(st, "return with a value in a function annotated -> None")
        code, ty = self.expr(st.value, self.ret)
        code = self.coerce(code, ty, self.ret, st.value)
        if self.tries:
            tmp = self.fresh()
            self.emit(f"{T.ctype(self.ret)} {tmp} = {code};")
            self.unwind(0)
            self.emit(f"return {tmp};")
        else:
            self.emit(f"return {code};")

    def st_Assert(self, st: ast.Assert) -> None:
        cond = self.cond(st.test)
        if st.msg is not None:
            m, mt = self.expr(st.msg)
            msg = self.to_str(m, mt)
        else:
            msg = "NULL"
        self.emit(f"if (!({cond})) rt_raise(rt_exc_new(&T_AssertionError, {msg}));")

    def st_Raise(self, st: ast.Raise) -> None:
        if st.exc is None:
            self.emit("rt_reraise();")
            return
        e = st.exc
        if isinstance(e, ast.Name) and e.id in self.prog.classes:
            code, ty = self.construct(self.prog.classes[e.id], [], [], e)
        else:
            code, ty = self.expr(e)
        if ty.name != "cls" or not self.prog.classes[ty.args[0]].is_exc:
            raise CompileError(st, f"can only raise exceptions, not {ty}")
        c = st.cause
        if c is None or isinstance(c, ast.Constant) and c.value is None:
            self.emit(f"rt_raise((Exc *)({code}));")
            return
        # `raise E from cause`: printed above an uncaught E's traceback, as CPython does
        # ("The above exception was the direct cause of the following exception:")
        if isinstance(c, ast.Name) and c.id in self.prog.classes:
            cc, ct = self.construct(self.prog.classes[c.id], [], [], c)
        else:
            cc, ct = self.expr(c)
        if ct.name == "opt":
            ct = ct.args[0]
        if ct.name != "cls" or not self.prog.classes[ct.args[0]].is_exc:
            raise CompileError(c, f"an exception's cause must be an exception, not {ct}")
        e_tmp = self.fresh("e")
        self.emit(f"{{ Exc *{e_tmp} = (Exc *)({code}); rt_raise_from({e_tmp}, (Obj *)({cc})); }}")

    def st_Try(self, st: ast.Try) -> None:
        if st.finalbody:
            h = self.fresh("h")
            self.emit(f"Handler {h};")
            self.emit(f"if (RT_TRY({h})) {{")
            self.tries.append(TryFrame(h, True, st.finalbody))
            self.ind += 1
            self.try_except(st)
            self.emit(f"rt_handler = {h}.prev;")
            self.ind -= 1
            self.tries.pop()
            e = self.fresh("e")
            self.emit("} else {")
            self.ind += 1
            self.emit(f"Exc *{e} = rt_exc;")
            self.body(st.finalbody)
            self.emit(f"rt_raise({e});")
            self.ind -= 1
            self.emit("}")
            self.body(st.finalbody)
        else:
            self.try_except(st)

    def try_except(self, st: ast.Try) -> None:
        if not st.handlers:
            self.body(st.body)
            return
        h = self.fresh("h")
        self.emit(f"Handler {h};")
        self.emit(f"if (RT_TRY({h})) {{")
        self.tries.append(TryFrame(h, True))
        self.block(st.body)
        self.tries.pop()
        self.emit(f"    rt_handler = {h}.prev;")
        self.block(st.orelse)
        e = self.fresh("e")
        self.emit("} else {")
        self.ind += 1
        self.emit(f"Exc *{e} = rt_exc;")
        first = True
        for hd in st.handlers:
            classes = self.handler_classes(hd)
            test = " || ".join(f"rt_isinstance(&{e}->h, &{c.type_obj})" for c in classes) \
                if classes else "1"
            self.emit(f"{'if' if first else '} else if'} ({test}) {{")
            first = False
            self.ind += 1
            saved = None
            if hd.name:
                ety = classes[0].ty if len(classes) == 1 else self.prog.classes["Exception"].ty
                if len(classes) > 1:
                    common = classes[0]
                    while common and not all(c.is_sub(common) for c in classes):
                        common = common.base
                    ety = (common or self.prog.classes["BaseException"]).ty
                if not classes:
                    ety = self.prog.classes["BaseException"].ty
                # `as e` is the handler's own variable (each handler may give it a type)
                saved = dict(self.cnames), dict(self.locals), set(self.shadow)
                self.cnames[hd.name] = self.fresh("x_" + hd.name)
                self.locals.pop(hd.name, None)
                self.shadow.add(hd.name)
                self.store_name(hd.name, f"({T.ctype(ety)}){e}", ety, hd)
            self.body(hd.body)
            if saved is not None:
                self.comp_vars[self.cnames[hd.name]] = self.locals[hd.name]
                self.cnames, self.locals, self.shadow = saved
            self.ind -= 1
        self.emit("} else {")
        self.emit(f"    rt_raise({e});")
        self.emit("}")
        self.ind -= 1
        self.emit("}")

    def handler_classes(self, hd: ast.ExceptHandler):
        if hd.type is None:
            return []
        nodes = hd.type.elts if isinstance(hd.type, ast.Tuple) else [hd.type]
        out = []
        for n in nodes:
            name = ast.unparse(n)
            info = self.prog.classes.get(name)
            if info is None or not info.is_exc:
                raise CompileError(n, f"{name} is not an exception class")
            out.append(info)
        return out

    def st_FunctionDef(self, st: ast.FunctionDef) -> None:
        if self.is_module:
            return
        from .closures import compile_nested_def
        compile_nested_def(self, st)

    def st_Delete(self, st: ast.Delete) -> None:
        for t in st.targets:
            if not isinstance(t, ast.Subscript):
                raise CompileError(t, "del is supported on subscripts only (del x[i], "
                                      "del d[k])")
            self.delete_subscript(t)

    def st_ClassDef(self, st: ast.ClassDef) -> None:
        raise CompileError(st, "classes must be defined at module level")

    def st_Import(self, st: ast.Import) -> None:
        raise CompileError(st, "imports must be at module level")

    st_ImportFrom = st_Import

    def yield_(self, node: ast.Yield) -> None:
        if not self.is_gen:
            raise CompileError(node, "yield outside a generator function")
        if node.value is None:
            raise CompileError(node, "a bare yield is not supported: yield a value")
        code, ty = self.expr(node.value, self.gen_elem)
        code = self.coerce(code, ty, self.gen_elem, node)
        self.emit(f"rt_gen_yield(gen, {T.to_val(code, self.gen_elem)});")


_QUIET = (ast.Name, ast.Constant, ast.Compare, ast.BoolOp, ast.UnaryOp, ast.IfExp,
          ast.Load, ast.Store, ast.cmpop, ast.boolop, ast.unaryop, ast.expr_context,
          ast.Tuple, ast.operator)
_RAISING_OPS = (ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.LShift, ast.RShift)


def frameless_functions(functions: dict) -> set[str]:
    """The C names of the module-level functions that need no traceback frame: none
    of their statements may raise (but for MemoryError or RecursionError) and they call
    only such functions — fib(n), gcd(a, b)… Keeping them free of frame pushes keeps
    small recursive functions as fast as before tracebacks had frames; a
    RecursionError in one names the line of its nearest caller that has a frame."""
    quiet = {name for name, f in functions.items() if not f.is_gen and
             isinstance(f.node, ast.FunctionDef) and not any(
                 isinstance(n, ast.stmt) and n is not f.node and _may_raise(n, functions)
                 for n in ast.walk(f.node))}
    changed = True
    while changed:
        changed = False
        for name in list(quiet):
            for n in ast.walk(functions[name].node):
                if isinstance(n, ast.Call) and not (isinstance(n.func, ast.Name) and
                                                    n.func.id in quiet):
                    quiet.discard(name)
                    changed = True
                    break
    return {functions[n].cname for n in quiet}


def _may_raise(st: ast.stmt, functions: dict | set) -> bool:
    """Whether a statement's own expressions might raise (indexing, division, calls…):
    only those record their line for the traceback, so the optimiser keeps simple
    statements free of stores. A call of one of `functions` does not count (used to
    find the functions that need no frame). (An OverflowError of + - * may name an
    earlier line.)"""
    if isinstance(st, (ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal)):
        return False
    if isinstance(st, (ast.If, ast.While)):
        parts: list[ast.AST] = [st.test]
    elif isinstance(st, ast.Return):
        parts = [st.value] if st.value is not None else []
    elif isinstance(st, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and all(
            isinstance(t, (ast.Name, ast.Tuple)) for t in
            (st.targets if isinstance(st, ast.Assign) else [st.target])):
        parts = [st.value] if st.value is not None else []
        if isinstance(st, ast.AugAssign) and isinstance(st.op, _RAISING_OPS):
            return True
    elif isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant):
        return False
    elif isinstance(st, ast.Expr):
        parts = [st.value]
    else:
        return True
    for p in parts:
        for n in ast.walk(p):
            if isinstance(n, ast.Call):
                if isinstance(n.func, ast.Name) and n.func.id in functions:
                    continue
                return True     # a call's line is its frame's line in a traceback
            if isinstance(n, ast.BinOp):
                if isinstance(n.op, _RAISING_OPS):
                    return True
                continue
            if not isinstance(n, _QUIET):
                return True
            if isinstance(n, ast.Compare) and any(
                    isinstance(op, (ast.In, ast.NotIn, ast.Lt, ast.LtE, ast.Gt, ast.GtE))
                    for op in n.ops) and not all(isinstance(c, (ast.Name, ast.Constant))
                                                 for c in [n.left, *n.comparators]):
                return True
    return False


def _evident_type(e: ast.expr) -> Ty | None:
    """The type an expression has whatever its names: f-strings, `"…" % x`, str(x),
    literals."""
    if isinstance(e, ast.JoinedStr):
        return T.STR
    if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Mod) and \
            isinstance(e.left, ast.Constant) and isinstance(e.left.value, str):
        return T.STR
    if isinstance(e, ast.Call) and isinstance(e.func, ast.Name) and e.func.id in (
            "str", "repr", "int", "float", "len") and e.args:
        return {"str": T.STR, "repr": T.STR, "int": T.INT, "float": T.FLOAT,
                "len": T.INT}[e.func.id]
    if isinstance(e, ast.Constant) and type(e.value) in (int, float, str, bool):
        return {int: T.INT, float: T.FLOAT, str: T.STR, bool: T.BOOL}[type(e.value)]
    return None


def _load(t: ast.expr) -> ast.expr:
    import copy
    n = copy.copy(t)
    n.ctx = ast.Load()
    return n


def _immutable(d: ast.expr) -> bool:
    if isinstance(d, ast.Constant):
        return True
    if isinstance(d, ast.UnaryOp):
        return _immutable(d.operand)
    if isinstance(d, ast.Tuple):
        return all(_immutable(e) for e in d.elts)
    if isinstance(d, ast.Name):
        return True
    if isinstance(d, ast.Attribute):
        return True
    if isinstance(d, ast.BinOp):
        return _immutable(d.left) and _immutable(d.right)
    return False


def _is_main_guard(test: ast.expr) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and
            test.left.id == "__name__" and len(test.comparators) == 1 and
            isinstance(test.comparators[0], ast.Constant) and
            test.comparators[0].value == "__main__")


def _describe(st: ast.AST) -> str:
    return {"With": "the with statement", "AsyncWith": "async with", "Match": "match",
            "AsyncFor": "async for", "TryStar": "except*"}.get(type(st).__name__,
                                                               type(st).__name__)
