"""Nested functions and lambdas: each becomes a C function taking its Closure
first; the variables it shares with enclosing functions live in cells."""

from __future__ import annotations

import ast

from . import scopes
from . import types as T
from .errors import CompileError
from .program import FuncInfo, signature
from .types import Ty

BUILTIN_FUNCS = {"len", "str", "repr", "abs", "int", "float", "bool", "ord", "chr", "hex",
                 "sum", "min", "max", "sorted", "list", "round", "hash"}


def _captures(g, fn: ast.AST, node: ast.AST) -> list[tuple[str, Ty, str]]:
    """(name, type, C expression of its cell) for each variable fn takes from g."""
    out = []
    for name in sorted(scopes.free_vars(fn)):
        if name in g.free:
            i, t = g.free[name]
            out.append((name, t, f"cl->cells[{i}]"))
        elif not g.is_module and name in g.cells and name not in g.globals_decl:
            t = g.locals.get(name)
            if t is None:
                raise CompileError(node, f"{name} is used by a nested function before it is "
                                         f"assigned (assign it first)")
            out.append((name, t, f"(Obj *){g.cnames[name]}"))
    return out


def _child(g, info: FuncInfo | None, fn: ast.AST, cname: str, caps, params):
    from .funcgen import FuncGen
    child = FuncGen(g.unit, info, parent=g, node=fn, cname=cname)
    child.free = {name: (i, t) for i, (name, t, _) in enumerate(caps)}
    child.setup_scope(fn, params)
    child.cells -= set(child.free)
    return child


def compile_nested_def(g, st: ast.FunctionDef) -> None:
    cname = g.fresh(f"n_{st.name}_")
    info = signature(g.prog, st, cname, None)
    if info.is_gen:
        raise CompileError(st, "nested generator functions are not supported: define the "
                               "generator at module level")
    fnty = Ty("fn", (*(t for _, t in info.params), info.ret))
    if g.var_type(st.name) is None:
        g.declare_local(st.name, fnty, st)
    g.local_funcs[st.name] = info
    g.check_defaults(info)
    caps = _captures(g, st, st)
    child = _child(g, info, st, cname, caps, info.params)
    child.bind_params(info.params, st)
    child.body(st.body)
    cparams = [f"{T.ctype(t)} p_{n}" for n, t in info.params]
    child.finish(cname, cparams, info.ret, st, closure=True)
    cells = "".join(f", {c}" for _, _, c in caps)
    g.store_name(st.name, f"rt_closure((void *){cname}, {len(caps)}{cells})", fnty, st)


def compile_lambda(g, node: ast.Lambda, hint: Ty | None,
                   ptys: list[Ty] | None = None) -> tuple[str, Ty]:
    a = node.args
    if a.vararg or a.kwarg or a.kwonlyargs or a.defaults:
        raise CompileError(node, "lambdas with defaults, *args or keyword-only parameters "
                                 "are not supported")
    names = [x.arg for x in a.args]
    if ptys is None:
        if hint is None or hint.name != "fn" or len(hint.args) - 1 != len(names):
            raise CompileError(node, "cannot infer the lambda's parameter types: assign it to "
                                     "an annotated Callable[[...], R] variable")
        ptys = list(hint.args[:-1])
    if len(ptys) != len(names):
        raise CompileError(node, f"the lambda takes {len(names)} parameters, "
                                 f"{len(ptys)} expected")
    params = list(zip(names, ptys, strict=True))
    cname = g.fresh("lambda")
    caps = _captures(g, node, node)
    info = FuncInfo("<lambda>", cname, params, [None] * len(params), T.NONE, node)
    child = _child(g, info, node, cname, caps, params)
    child.bind_params(params, node)
    want = hint.args[-1] if hint is not None and hint.name == "fn" else None
    code, ret = child.expr(node.body, want)
    if want is not None and ret != want:
        code, ret = child.coerce(code, ret, want, node), want
    if ret == T.NONE:
        child.emit(f"(void)({code});")
    else:
        child.emit(f"return {code};")
    child.ret = ret
    cparams = [f"{T.ctype(t)} p_{n}" for n, t in params]
    child.finish(cname, cparams, ret, ast.Module(body=[ast.Return()], type_ignores=[]),
                 closure=True)
    cells = "".join(f", {c}" for _, _, c in caps)
    return f"rt_closure((void *){cname}, {len(caps)}{cells})", Ty("fn", (*ptys, ret))


def function_value(g, node: ast.expr, ptys: list[Ty]) -> tuple[str, Ty]:
    """A function argument (map, filter, key=): a lambda, a function name, or a value."""
    if isinstance(node, ast.Lambda):
        return compile_lambda(g, node, None, ptys)
    if isinstance(node, ast.Name) and node.id in BUILTIN_FUNCS and g.lookup(node.id, node) \
            is None and node.id not in g.prog.functions:
        # a built-in used as a value (key=len, map(str, …)): a lambda calling it
        lam = ast.parse(f"lambda {', '.join(f'_a{i}' for i in range(len(ptys)))}: "
                        f"{node.id}({', '.join(f'_a{i}' for i in range(len(ptys)))})",
                        mode="eval").body
        for n in ast.walk(lam):
            ast.copy_location(n, node)
        return compile_lambda(g, lam, None, ptys)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
            node.value.id in ("str", "list", "dict", "set", "int", "float") and \
            g.lookup(node.value.id, node) is None and len(ptys) >= 1:
        # an unbound method of a built-in type (key=str.lower): a lambda calling it
        rest = ", ".join(f"_a{i}" for i in range(1, len(ptys)))
        params = ", ".join(f"_a{i}" for i in range(len(ptys)))
        lam = ast.parse(f"lambda {params}: _a0.{node.attr}({rest})", mode="eval").body
        for n in ast.walk(lam):
            ast.copy_location(n, node)
        return compile_lambda(g, lam, None, ptys)
    lam = operator_lambda(g, node)
    if lam is not None:
        return compile_lambda(g, lam, None, ptys)
    code, ty = g.expr(node)
    if ty.name != "fn":
        raise CompileError(node, f"expected a function, got {ty}")
    if list(ty.args[:-1]) != ptys:
        raise CompileError(node, f"the function takes {', '.join(map(str, ty.args[:-1]))}; "
                                 f"{', '.join(map(str, ptys))} expected")
    return code, ty


def key_adapter(g, node: ast.expr, et: Ty) -> tuple[str, str]:
    """key=f as a Closure from Val to Val (what the runtime's sort, min and max call)."""
    code, fty = function_value(g, node, [et])
    ret = fty.args[-1]
    if ret == T.NONE:
        raise CompileError(node, "the key function returns nothing")
    name = g.fresh("key")
    rt = T.ctype(ret)
    call = (f"(({rt} (*)(Closure *, {T.ctype(et)}))f->fn)(f, {T.from_val('v', et)})")
    g.unit.funcs.append(f"static Val {name}(Closure *c, Val v) {{ Closure *f = (Closure *)"
                        f"c->cells[0]; return {T.to_val(call, ret)}; }}")
    g.unit.protos.append(f"static Val {name}(Closure *c, Val v);")
    return f"rt_closure((void *){name}, 1, (Obj *)({code}))", T.kind(ret)


# operator.add & co as the lambdas they are (operator.add is lambda a, b: a + b)
OPERATOR_BINARY = {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//",
                   "mod": "%", "pow": "**", "and_": "&", "or_": "|", "xor": "^",
                   "lshift": "<<", "rshift": ">>", "eq": "==", "ne": "!=", "lt": "<",
                   "le": "<=", "gt": ">", "ge": ">=", "concat": "+", "contains": " in "}
OPERATOR_UNARY = {"neg": "-", "pos": "+", "not_": "not ", "truth": "not not ", "abs": "abs",
                  "invert": "~"}


def operator_lambda(g, node: ast.expr) -> ast.Lambda | None:
    """operator.add, operator.itemgetter(1, 0), operator.attrgetter("name"): a lambda."""
    call = node if isinstance(node, ast.Call) else None
    ref = call.func if call is not None else node
    full = None
    if isinstance(ref, ast.Name) and g.lookup(ref.id, ref) is None:
        full = g.prog.aliases.get(ref.id)
    elif isinstance(ref, ast.Attribute) and isinstance(ref.value, ast.Name) and \
            g.lookup(ref.value.id, ref) is None and g.prog.aliases.get(ref.value.id):
        full = f"{g.prog.aliases[ref.value.id]}.{ref.attr}"
    if full is None or not full.startswith("operator."):
        return None
    name = full.removeprefix("operator.")
    if call is None and name in OPERATOR_BINARY:
        op = OPERATOR_BINARY[name]
        src = f"lambda a, b: b{op}a" if name == "contains" else f"lambda a, b: a {op} b"
    elif call is None and name in OPERATOR_UNARY:
        op = OPERATOR_UNARY[name]
        src = "lambda a: abs(a)" if op == "abs" else f"lambda a: {op}a"
    elif call is not None and name in ("itemgetter", "attrgetter") and call.args and \
            not call.keywords:
        if name == "attrgetter":
            if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) and
                       a.value.isidentifier() for a in call.args):
                raise CompileError(node, "attrgetter() takes attribute names as literals here")
            parts = [f"x.{a.value}" for a in call.args]        # type: ignore[attr-defined]
        else:
            parts = [f"x[{ast.unparse(a)}]" for a in call.args]
        body = parts[0] if len(parts) == 1 else f"({', '.join(parts)})"
        src = f"lambda x: {body}"
    else:
        raise CompileError(node, f"{full} is not supported as a function here (operator: "
                                 f"add, sub, mul, …, neg, itemgetter, attrgetter)")
    lam = ast.parse(src, mode="eval").body
    for n in ast.walk(lam):
        ast.copy_location(n, node)
    assert isinstance(lam, ast.Lambda)
    return lam
