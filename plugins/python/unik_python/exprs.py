"""Expressions → C: literals, names, operators, comparisons, subscripts,
attributes, f-strings, comprehensions, and the for-loop over each iterable."""

from __future__ import annotations

import ast
from collections.abc import Callable

from . import types as T
from .errors import CompileError
from .types import Ty

ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
         ast.Mod: "%", ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
         ast.LShift: "<<", ast.RShift: ">>", ast.MatMult: "@"}
CMP_OPS = {ast.Lt: "CMP_LT", ast.LtE: "CMP_LE", ast.Gt: "CMP_GT", ast.GtE: "CMP_GE"}
INT_CMP = {ast.Lt: "rt_int_lt", ast.LtE: "rt_int_le", ast.Gt: "rt_int_gt", ast.GtE: "rt_int_ge",
           ast.Eq: "rt_int_eq", ast.NotEq: "rt_int_ne"}
C_CMP = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
DUNDER = {ast.Add: "__add__", ast.Sub: "__sub__", ast.Mult: "__mul__",
          ast.Div: "__truediv__", ast.FloorDiv: "__floordiv__", ast.Mod: "__mod__",
          ast.Lt: "__lt__", ast.LtE: "__le__", ast.Gt: "__gt__", ast.GtE: "__ge__",
          ast.Eq: "__eq__", ast.NotEq: "__ne__"}


def _is_constant(e: ast.expr) -> bool:
    """A literal CPython's compiler folds to a constant."""
    if isinstance(e, ast.Constant):
        return True
    if isinstance(e, ast.UnaryOp) and isinstance(e.op, (ast.USub, ast.UAdd)):
        return _is_constant(e.operand)
    if isinstance(e, ast.Tuple):
        return all(_is_constant(x) for x in e.elts)
    return False


def int_literal(v: int) -> str:
    """An int constant: a C literal on the fast path, else a bignum parsed once per
    evaluation (see runtime/bigint.c for the range of machine ints)."""
    if -(2**63) + 2**47 <= v < 2**63:
        return f"INT64_C({v})"
    return f'rt_int_lit("{v}")'


def to_double(code: str, ty: Ty) -> str:
    """A number as a C double: an int may be a bignum, so it converts through the runtime."""
    if ty == T.FLOAT:
        return f"({code})"
    if ty == T.INT:
        return f"rt_i2f({code})"
    return f"((double)({code}))"


# the `string` module's constants, as CPython defines them
STRING_CONSTANTS = {
    "string.ascii_lowercase": "abcdefghijklmnopqrstuvwxyz",
    "string.ascii_uppercase": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "string.ascii_letters": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "string.digits": "0123456789",
    "string.hexdigits": "0123456789abcdefABCDEF",
    "string.octdigits": "01234567",
    "string.punctuation": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    "string.whitespace": " \t\n\r\x0b\x0c",
}
STRING_CONSTANTS["string.printable"] = (STRING_CONSTANTS["string.digits"] +
                                        STRING_CONSTANTS["string.ascii_letters"] +
                                        STRING_CONSTANTS["string.punctuation"] +
                                        STRING_CONSTANTS["string.whitespace"])


class RawTarget(ast.expr):
    """A loop target that is a plain C variable (for loops the compiler makes up)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class ExprsMixin:
    # ---- entry ----
    def expr(self, node: ast.expr, hint: Ty | None = None) -> tuple[str, Ty]:
        method = getattr(self, f"ex_{type(node).__name__}", None)
        if method is None:
            raise CompileError(node, f"{type(node).__name__} expressions are not supported "
                                     f"in the subset")
        return method(node, hint)

    def cond(self, node: ast.expr) -> str:
        """C truth of node; `and`/`or` in a condition need not have one operand type."""
        if isinstance(node, ast.BoolOp):
            op = " && " if isinstance(node.op, ast.And) else " || "
            return "(" + op.join(self.cond(v) for v in node.values) + ")"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return f"(!{self.cond(node.operand)})"
        code, ty = self.expr(node, T.BOOL)
        return self.truth(code, ty)

    def truth(self, code: str, ty: Ty) -> str:
        n = ty.name
        if n in ("bool", "int"):
            return f"({code})"
        if n == "float":
            return f"(({code}) != 0.0)"
        if n in ("str", "bytes"):
            return f"(({code})->len != 0)"
        if n == "list":
            return f"(({code})->len != 0)"
        if ty.is_dictlike or n in ("set", "frozenset"):
            return f"(({code})->len != 0)"
        if n == "tuple":
            return f"({len(ty.args)} != 0)"
        if n == "vtuple":
            return f"(({code})->n != 0)"
        if n == "None":
            return "0"
        if n == "opt" and ty.args[0].is_prim:
            return f"(({code}) != NULL)"
        return f"rt_truth((Obj *)({code}))"

    # ---- type conversions ----
    def coerce(self, code: str, src: Ty, dst: Ty, node: ast.AST, promote: bool = False) -> str:
        """`code` of type src as a dst. An int is not silently made a float where it is
        kept (a variable, field, item, argument, result): CPython keeps the int and prints
        `1`, this would print `1.0`, so that is refused with the fix to write. `promote`
        is for an int consumed as a number at once (math.sqrt(2))."""
        if src == dst:
            return code
        if dst == T.FLOAT and src in (T.INT, T.BOOL):
            if not promote:
                self._int_for_float(node)
            return to_double(code, src)
        if dst == T.INT and src == T.BOOL:
            return f"((int64_t)({code}))"
        if src == T.NONE and (dst.name == "opt"):
            return f"(({T.ctype(dst)})NULL)"
        if dst.name == "opt":
            inner = dst.args[0]
            if src.name == "opt":
                return self.coerce(code, src.args[0], inner, node) if not inner.is_prim \
                    and src.args[0] != inner else (code if src.args[0] == inner else
                                                   self._fail(node, src, dst))
            v = self.coerce(code, src, inner, node)
            if inner.is_prim:
                return f"rt_box({T.to_val(v, inner)}, {T.kind(inner)})"
            return v
        if src.name == "opt":
            inner = src.args[0]
            if inner.is_prim:
                return self.coerce(T.from_val(f"rt_unbox({code})", inner), inner, dst, node)
            return self.coerce(code, inner, dst, node)
        if src.name == "cls" and dst.name == "cls":
            a, b = self.prog.classes[src.args[0]], self.prog.classes[dst.args[0]]
            if a.is_sub(b):
                return f"(({b.ctype})({code}))"
        if src.name == dst.name and src.name in ("list", "set", "frozenset", "dict", "deque",
                                                 "defaultdict",
                                                 "counter", "gen", "tuple", "fn") and \
                len(src.args) == len(dst.args) and all(
                    a == b or a.name == "unknown" for a, b in zip(src.args, dst.args, strict=True)):
            return code
        if dst.name == "dict" and src.name in ("defaultdict", "counter") and \
                src.args == dst.args:
            return code
        if dst.name == "vtuple" and (src.name == "vtuple" and src.args[0].name == "unknown" or
                                     src.name == "tuple" and all(a == dst.args[0]
                                                                 for a in src.args)):
            return code     # the same Tuple object: a fixed tuple of one item type
        return self._fail(node, src, dst)

    def _int_for_float(self, node: ast.AST) -> None:
        if isinstance(node, (ast.keyword, ast.AnnAssign, ast.Assign, ast.Return)) and \
                node.value is not None:
            node = node.value
        fix = "write float(...)"
        if isinstance(node, ast.Constant) and type(node.value) is int:
            fix = f"write {node.value}.0"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant) and \
                type(node.operand.value) is int and isinstance(node.op, ast.USub):
            fix = f"write -{node.operand.value}.0"
        elif isinstance(getattr(node, "ctx", None), ast.Store):
            fix = f"assign {ast.unparse(node)} a float (3.0, float(n))"   # a target
        elif isinstance(node, ast.expr):
            fix = f"write float({ast.unparse(node)})"
        raise CompileError(node, f"an int where a float is kept: CPython keeps the int "
                                 f"(it prints without '.0'); {fix}")

    def _fail(self, node: ast.AST, src: Ty, dst: Ty) -> str:
        if src == T.NONE:
            raise CompileError(node, f"None is not a {dst}: declare it Optional[{dst}]")
        raise CompileError(node, f"expected {dst}, got {src}")

    def to_str(self, code: str, ty: Ty) -> str:
        n = ty.name
        if n == "str":
            return code
        if n == "int":
            return f"rt_int_str({code})"
        if n == "float":
            return f"rt_float_repr({code})"
        if n == "bool":
            return f"rt_bool_str({code})"
        if n == "None":
            return "rt_str_c(\"None\")"
        return f"rt_str((Obj *)({code}))"

    def to_repr(self, code: str, ty: Ty) -> str:
        if ty.name == "str":
            return f"rt_str_repr({code})"
        if ty.name in ("int", "float", "bool", "None"):
            return self.to_str(code, ty)
        return f"rt_repr((Obj *)({code}))"

    # ---- literals and names ----
    def ex_Constant(self, node: ast.Constant, hint: Ty | None) -> tuple[str, Ty]:
        v = node.value
        if v is None:
            return "NULL", T.NONE
        if isinstance(v, bool):
            return ("true" if v else "false"), T.BOOL
        if isinstance(v, int):
            return int_literal(v), T.INT
        if isinstance(v, float):
            if v != v:
                return "NAN", T.FLOAT
            if v in (float("inf"), float("-inf")):
                return ("INFINITY" if v > 0 else "-INFINITY"), T.FLOAT
            return repr(v) if "e" in repr(v) or "." in repr(v) else repr(v) + ".0", T.FLOAT
        if isinstance(v, str):
            return self.unit.string(v), T.STR
        if isinstance(v, bytes):
            return self.unit.bytes_const(v), T.BYTES
        raise CompileError(node, f"constant {v!r} is not supported")

    def ex_Name(self, node: ast.Name, hint: Ty | None) -> tuple[str, Ty]:
        got = self.lookup(node.id, node)
        if got is not None:
            return got
        if node.id in self.prog.functions:
            f = self.prog.functions[node.id]
            return self.unit.fn_value(node.id), Ty("fn", (*(t for _, t in f.params), f.ret))
        if node.id == "__name__":
            return self.unit.string("__main__"), T.STR
        if node.id in self.prog.classes and self.prog.classes[node.id].is_enum:
            # an enum class as a value: its members, in definition order
            from .enums import MEMBERS
            got = self.lookup(f"{node.id}__{MEMBERS}", node)
            if got is not None:
                return f"rt_list_copy({got[0]})", got[1]
        if node.id == "NotImplemented" and hint == T.BOOL:
            # only after `if not isinstance(other, C)` in `__eq__(self, other: object)`,
            # where other is typed C: never reached
            return "false", T.BOOL
        from .closures import BUILTIN_FUNCS, function_value
        if node.id in BUILTIN_FUNCS and hint is not None and hint.name == "fn":
            return function_value(self, node, list(hint.args[:-1]))
        if node.id in self.prog.aliases:
            full = self.prog.aliases[node.id]
            const = self.module_constant(full, node)
            if const:
                return const
        raise CompileError(node, f"name {node.id} is not defined (or not supported here)")

    def module_constant(self, full: str, node: ast.AST) -> tuple[str, Ty] | None:
        consts = {"math.pi": ("M_PI", T.FLOAT), "math.e": ("M_E", T.FLOAT),
                  "math.tau": ("(2 * M_PI)", T.FLOAT), "math.inf": ("INFINITY", T.FLOAT),
                  "math.nan": ("NAN", T.FLOAT), "sys.maxsize": ("INT64_MAX", T.INT),
                  "sys.argv": ("rt_argv", T.list_of(T.STR)),
                  # `for line in sys.stdin`, list(sys.stdin): every line (read at once)
                  "sys.stdin": ("rt_stdin_readlines()", T.list_of(T.STR))}
        if full in STRING_CONSTANTS:
            return self.unit.string(STRING_CONSTANTS[full]), T.STR
        return consts.get(full)

    def ex_Attribute(self, node: ast.Attribute, hint: Ty | None) -> tuple[str, Ty]:
        v = node.value
        if node.attr == "__name__" and (
                isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == "type"
                and len(v.args) == 1 and self.lookup("type", v) is None or
                isinstance(v, ast.Attribute) and v.attr == "__class__"):
            # type(x).__name__ / x.__class__.__name__: the class of the object at run time
            code, ty = self.expr(v.args[0] if isinstance(v, ast.Call) else v.value)
            if ty.name in ("cls", "opt") and not (ty.name == "opt" and ty.args[0].is_prim):
                return f"rt_str_c(((Obj *)RT_NN({code}))->type->name)", T.STR
            return self.unit.string(str(ty) if ty.name not in ("list", "dict", "set", "tuple",
                                                                "vtuple", "frozenset") else
                                    "tuple" if ty.name == "vtuple" else ty.name), T.STR
        if isinstance(node.value, ast.Name) and node.value.id in self.prog.aliases and \
                self.lookup(node.value.id, node) is None:
            full = f"{self.prog.aliases[node.value.id]}.{node.attr}"
            got = self.module_constant(full, node)
            if got:
                return got
            raise CompileError(node, f"{full} is not supported")
        if isinstance(node.value, ast.Name) and node.value.id in self.prog.classes and \
                self.lookup(node.value.id, node) is None:
            info = self.prog.classes[node.value.id]
            c = info
            while c:
                if node.attr in c.mutable:
                    return self.lookup(f"{c.name}__{node.attr}", node)
                if node.attr in c.consts:
                    return self.expr(c.consts[node.attr])
                if node.attr in c.defaults and not c.is_dataclass:
                    # an annotated class attribute read on the class: its value
                    code, ty = self.expr(c.defaults[node.attr], c.fields[node.attr])
                    return self.coerce(code, ty, c.fields[node.attr], node), \
                        c.fields[node.attr]
                c = c.base
            raise CompileError(node, f"class {info.name} has no constant {node.attr}")
        obj, ot = self.expr(node.value)
        return self.load_attr(obj, ot, node)

    def load_attr(self, obj: str, ot: Ty, node: ast.Attribute) -> tuple[str, Ty]:
        if ot.name == "opt" and ot.args[0].name == "cls":
            obj, ot = f"RT_NN({obj})", ot.args[0]
        if ot.name != "cls":
            raise CompileError(node, f"{ot} has no attribute {node.attr}")
        info = self.prog.classes[ot.args[0]]
        self.unit.ensure_init(info)
        ft = info.field_type(node.attr)
        if ft is None:
            m = info.find_method(node.attr)
            if m is not None and m.is_property:
                return self.dispatch(info, m, self.fresh("o"), obj, []), m.ret
            c = info
            while c:
                if node.attr in c.mutable:
                    return self.lookup(f"{c.name}__{node.attr}", node)
                if node.attr in c.consts:
                    return self.expr(c.consts[node.attr])
                c = c.base
            if info.is_exc and node.attr == "args":
                raise CompileError(node, "exception .args is not supported: use str(e)")
            raise CompileError(node, f"class {info.name} has no field {node.attr}")
        return f"({obj})->f_{node.attr}", ft

    def attr_type(self, target: ast.Attribute) -> Ty | None:
        try:
            _, ot = self.expr(target.value)
        except CompileError:
            return None
        if ot.name == "opt":
            ot = ot.args[0]
        if ot.name != "cls":
            return None
        return self.prog.classes[ot.args[0]].field_type(target.attr)

    def store_attr(self, target: ast.Attribute, code: str, ty: Ty) -> None:
        obj, ot = self.expr(target.value)
        if ot.name == "opt" and ot.args[0].name == "cls":
            obj, ot = f"RT_NN({obj})", ot.args[0]
        if ot.name != "cls":
            raise CompileError(target, f"cannot set attribute {target.attr} on {ot}")
        info = self.prog.classes[ot.args[0]]
        ft = info.field_type(target.attr)
        setter = info.find_method(f"{target.attr}__setter")
        if ft is None and setter is not None:
            if len(setter.params) != 2:
                raise CompileError(target, f"the setter of {target.attr} takes self and a value")
            pt = setter.params[1][1]
            self.emit(self.dispatch(info, setter, self.fresh("o"), obj,
                                    [self.coerce(code, ty, pt, target)]) + ";")
            return
        if ft is None and info.find_method(target.attr) is not None:
            raise CompileError(target, f"property {target.attr} of {info.name} has no setter")
        if ft is None:
            in_init = (self.info is not None and self.info.name == "__init__" and
                       self.info.owner is info and isinstance(target.value, ast.Name) and
                       target.value.id == "self")
            if not in_init:
                raise CompileError(target, f"setattr on an object of class {info.name} with a "
                                           f"name not declared in the class ({target.attr}) "
                                           f"is not supported")
            if ty.name == "unknown" or "?" in str(ty) or ty == T.NONE:
                raise CompileError(target, f"cannot infer the type of field {target.attr}: "
                                           f"annotate it (self.{target.attr}: T = ...)")
            info.fields[target.attr] = ty
            ft = ty
        self.emit(f"({obj})->f_{target.attr} = {self.coerce(code, ty, ft, target)};")

    # ---- containers ----
    def ex_List(self, node: ast.List, hint: Ty | None) -> tuple[str, Ty]:
        et = hint.args[0] if hint and hint.name == "list" else None
        return self.sequence(node.elts, et, "list", node)

    def ex_Set(self, node: ast.Set, hint: Ty | None) -> tuple[str, Ty]:
        et = hint.args[0] if hint and hint.name == "set" else None
        return self.sequence(node.elts, et, "set", node)

    def sequence(self, elts: list[ast.expr], et: Ty | None, what: str,
                 node: ast.AST) -> tuple[str, Ty]:
        if any(isinstance(e, ast.Starred) for e in elts):
            return self.starred_sequence(elts, et, what, node)
        items = []
        for e in elts:
            c, t = self.expr(e, et)
            if et is None:
                et = t
            elif t != et and et == T.INT and t == T.FLOAT:
                self._int_for_float(items[0][2])    # [1, 2.5]: CPython keeps the 1 an int
            elif t != et and t.name == "cls" and et.name == "cls" and \
                    self.common_base(et, t) is not None:
                et = self.common_base(et, t)    # [Circle(…), Rect(…)]: a list of Shape
            else:
                self.coerce(c, t, et, e)      # an element of another type: said where it is
            items.append((c, t, e))
        if et is None:
            et = T.UNKNOWN
        if et == T.NONE:
            raise CompileError(node, f"a {what} of None needs an annotation "
                                     f"(e.g. {what}[Optional[int]])")
        parts = [(self.coerce(c, t, et, e), et) for c, t, e in items]
        # a set adds its items one statement at a time: already in order
        decls, codes = self.in_order(parts) if what == "list" else ("", [c for c, _ in parts])
        vals = [T.to_val(c, et) for c in codes]
        ty = Ty(what, (et,))
        if what == "list":
            if not vals:
                return f"rt_list_new({T.kind(et)}, 0)", ty
            lst = f"rt_list_of({T.kind(et)}, {len(vals)}, {', '.join(vals)})"
            return (f"({{ {decls}{lst}; }})" if decls else lst), ty
        self.prog.check_key(node, et)
        tmp = self.fresh()
        adds = "".join(f" rt_set_add({tmp}, {v});" for v in vals)
        if len(elts) > 2 and all(_is_constant(e) for e in elts):
            # CPython's compiler folds the literal into a frozenset, rebuilds it from that
            # frozenset's order when it merges constants, and the set is made by merging
            # it into an empty one: the table order follows those steps, so do they here
            r, f2, i = self.fresh(), self.fresh(), self.fresh("i")
            k = T.kind(et)
            return (f"({{ Dict *{tmp} = rt_set_new({k});{adds} Dict *{f2} = rt_set_new({k}); "
                    f"for (int64_t {i} = 0; rt_dict_next({tmp}, &{i}); {i}++) "
                    f"rt_set_add({f2}, {tmp}->entries[{i}].key); Dict *{r} = rt_set_new({k}); "
                    f"rt_dict_update({r}, {f2}); {r}; }})", ty)
        return f"({{ Dict *{tmp} = rt_set_new({T.kind(et)});{adds} {tmp}; }})", ty

    def common_base(self, a: Ty, b: Ty) -> Ty | None:
        """The nearest class both class types derive from (None: unrelated)."""
        x, y = self.prog.classes[a.args[0]], self.prog.classes[b.args[0]]
        c = x
        while c is not None and not y.is_sub(c):
            c = c.base
        return c.ty if c is not None and not c.builtin else None

    def starred_sequence(self, elts: list[ast.expr], et: Ty | None, what: str,
                         node: ast.AST) -> tuple[str, Ty]:
        """[a, *xs, b] / {*xs, y}: a list (or set) built item by item, iterables extended."""
        acc = self.fresh("sq")
        parts: list[str] = []
        for e in elts:
            if isinstance(e, ast.Starred):
                c, t = self.expr(e.value)
                lst, lt = self.as_list(c, t, e)
                it = lt.args[0]
                et = et or it
                if it != et:
                    raise CompileError(e, f"*{ast.unparse(e.value)} has {it} items, not {et}")
                parts.append(f"rt_list_extend({acc}, {lst});")
            else:
                c, t = self.expr(e, et)
                et = et or t
                parts.append(f"rt_list_append({acc}, {T.to_val(self.coerce(c, t, et, e), et)});")
        assert et is not None
        body = f"List *{acc} = rt_list_new({T.kind(et)}, 0); {' '.join(parts)}"
        if what == "list":
            return f"({{ {body} {acc}; }})", T.list_of(et)
        self.prog.check_key(node, et)
        st, i = self.fresh(), self.fresh("i")
        return (f"({{ {body} Dict *{st} = rt_set_new({T.kind(et)}); for (int64_t {i} = 0; "
                f"{i} < {acc}->len; {i}++) rt_set_add({st}, {acc}->items[{i}]); {st}; }})",
                T.set_of(et))

    def ex_Dict(self, node: ast.Dict, hint: Ty | None) -> tuple[str, Ty]:
        kt = vt = None
        if hint and hint.is_dictlike:
            kt, vt = hint.args
        if any(k is None for k in node.keys):
            return self.merged_dict(node, kt, vt)
        items = []
        for k, v in zip(node.keys, node.values, strict=True):
            kc, ktt = self.expr(k, kt)
            vc, vtt = self.expr(v, vt)
            kt = kt or ktt
            vt = vt or vtt
            items.append((kc, ktt, vc, vtt))
        kt = kt or T.UNKNOWN
        vt = vt or T.UNKNOWN
        self.prog.check_key(node, kt)
        tmp = self.fresh()
        sets = ""
        for kc, ktt, vc, vtt in items:       # each key before its value
            decls, (kc, vc) = self.in_order([(self.coerce(kc, ktt, kt, node), kt),
                                             (self.coerce(vc, vtt, vt, node), vt)])
            put = f"rt_dict_set({tmp}, {T.to_val(kc, kt)}, {T.to_val(vc, vt)});"
            sets += f" {{ {decls}{put} }}" if decls else f" {put}"
        return (f"({{ Dict *{tmp} = rt_dict_new({T.kind(kt)}, {T.kind(vt)});{sets} {tmp}; }})",
                T.dict_of(kt, vt))

    def merged_dict(self, node: ast.Dict, kt: Ty | None, vt: Ty | None) -> tuple[str, Ty]:
        """{**a, k: v, **b}: a new dict, updated in order."""
        d = self.fresh("md")
        parts: list[str] = []
        for k, v in zip(node.keys, node.values, strict=True):
            if k is None:
                c, t = self.expr(v)
                if not t.is_dictlike:
                    raise CompileError(v, f"**{ast.unparse(v)} is a {t}, not a dict")
                kt, vt = kt or t.args[0], vt or t.args[1]
                if (t.args[0], t.args[1]) != (kt, vt):
                    raise CompileError(v, f"**{ast.unparse(v)} is a {t}, not a "
                                          f"{T.dict_of(kt, vt)}")
                parts.append(f"rt_dict_update({d}, {c});")
            else:
                kc, ktt = self.expr(k, kt)
                vc, vtt = self.expr(v, vt)
                kt, vt = kt or ktt, vt or vtt
                parts.append(f"rt_dict_set({d}, {T.to_val(self.coerce(kc, ktt, kt, k), kt)}, "
                             f"{T.to_val(self.coerce(vc, vtt, vt, v), vt)});")
        assert kt is not None and vt is not None
        return (f"({{ Dict *{d} = rt_dict_new({T.kind(kt)}, {T.kind(vt)}); {' '.join(parts)} "
                f"{d}; }})", T.dict_of(kt, vt))

    def ex_Tuple(self, node: ast.Tuple, hint: Ty | None) -> tuple[str, Ty]:
        hints = hint.args if hint and hint.name == "tuple" and \
            len(hint.args) == len(node.elts) else [None] * len(node.elts)
        codes, tys = [], []
        for e, h in zip(node.elts, hints, strict=True):
            c, t = self.expr(e, h)
            if h is not None:
                c, t = self.coerce(c, t, h, e), h
            if t == T.NONE:
                raise CompileError(e, "None in a tuple needs an annotation "
                                      "(tuple[Optional[T], ...])")
            codes.append(c)
            tys.append(t)
        kinds = "".join(T.kind_digit(t) for t in tys)
        decls, codes = self.in_order(list(zip(codes, tys, strict=True)))
        vals = ", ".join(T.to_val(c, t) for c, t in zip(codes, tys, strict=True))
        sep = ", " if vals else ""
        tup = f'rt_tuple_of({len(tys)}, "{kinds}"{sep}{vals})'
        return (f"({{ {decls}{tup}; }})" if decls else tup), T.tuple_of(*tys)

    # ---- operators ----
    def percent_format(self, node: ast.BinOp) -> tuple[str, Ty]:
        """"%s=%d" % (a, b) with a literal format: converted to format specs here."""
        import re
        fmt = node.left.value
        spec_re = r"%(?:\(([^)]*)\))?([-+ 0#]*)(\d*)(?:\.(\d+))?([sdifrxXoeEgGc%])"
        pre: list[str] = []         # declarations that run first, in order
        keyed = self.percent_keyed(node, [m.group(1) for m in re.finditer(spec_re, fmt)
                                          if m.group(5) != "%"], pre)
        args: list[tuple[str, Ty]] = []
        if keyed is None:
            vals = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
            args = [self.expr(v) for v in vals]
            if not isinstance(node.right, ast.Tuple) and args[0][1].name == "tuple":
                # "%s-%s" % pair: the tuple's items are the arguments
                tup, tt = args[0]
                tmp = self.fresh("pt")
                pre.append(f"Tuple *{tmp} = {tup};")
                args = [(T.from_val(f"{tmp}->items[{i}]", et), et)
                        for i, et in enumerate(tt.args)]
        b = self.fresh("b")
        out = [*pre, f"Buf {b} = {{0}};"]
        pos = 0
        k = 0
        for m in re.finditer(spec_re, fmt):
            if m.start() > pos:
                out.append(f"rt_buf_str(&{b}, {self.unit.string(fmt[pos:m.start()])});")
            pos = m.end()
            key, flags, width, prec, conv = m.groups()
            if conv == "%":
                out.append(f"rt_buf_str(&{b}, {self.unit.string('%')});")
                continue
            if keyed is not None:
                code, ty = keyed[key]
            else:
                if k >= len(args):
                    raise CompileError(node, "not enough arguments for format string")
                code, ty = args[k]
                k += 1
            # %-formatting right-aligns unless '-'; a str's format spec left-aligns
            align = "<" if "-" in flags else (">" if conv in "sr" and width else "")
            sign = "+" if "+" in flags else (" " if " " in flags else "")
            zero = "0" if "0" in flags and not align else ""
            spec = f"{align}{sign}{zero}{width}"
            if conv in "sr":
                code, ty = (self.to_repr(code, ty) if conv == "r" else self.to_str(code, ty)), \
                    T.STR
                if prec:
                    spec += f".{prec}"
            elif conv in "di":
                if ty == T.FLOAT:
                    code, ty = f"rt_float_to_int({code})", T.INT
                spec += "d"
            else:
                if prec:
                    spec += f".{prec}"
                spec += {"i": "d", "c": "c"}.get(conv, conv)
                if conv in "eEfFgG" and ty in (T.INT, T.BOOL):
                    code, ty = to_double(code, ty), T.FLOAT
            fv = ast.FormattedValue(value=ast.Name(id="_", ctx=ast.Load()), conversion=-1,
                                    format_spec=ast.JoinedStr(values=[ast.Constant(spec)])
                                    if spec else None)
            out.append(f"rt_buf_str(&{b}, {self.format_value(code, ty, fv)});")
        if pos < len(fmt):
            out.append(f"rt_buf_str(&{b}, {self.unit.string(fmt[pos:])});")
        if k != len(args):
            raise CompileError(node, "not all arguments converted during string formatting")
        return "({ " + " ".join(out) + f" rt_buf_done(&{b}); }})", T.STR

    def percent_keyed(self, node: ast.BinOp, keys: list[str | None], pre: list[str],
                      ) -> dict[str, tuple[str, Ty]] | None:
        """"%(name)s" % mapping: each key's value, compiled once (None: no keys).
        The mapping is a dict display with string keys (every value runs, in
        order, as CPython builds the dict first) or a name of a dict of str."""
        if not any(k is not None for k in keys):
            return None
        if any(k is None for k in keys):
            raise CompileError(node, "format requires a mapping: every conversion needs "
                                     "a %(key)")
        r = node.right
        out: dict[str, tuple[str, Ty]] = {}
        if isinstance(r, ast.Dict) and all(isinstance(k, ast.Constant) and
                                           isinstance(k.value, str) for k in r.keys):
            for kn, v in zip(r.keys, r.values, strict=True):
                c, t = self.expr(v)
                tmp = self.fresh("pk")
                pre.append(f"{T.ctype(t)} {tmp} = {c};")
                out[kn.value] = (tmp, t)    # type: ignore[union-attr]
        elif isinstance(r, ast.Name):
            for k in dict.fromkeys(keys):
                sub = ast.Subscript(value=r, slice=ast.Constant(k), ctx=ast.Load())
                ast.copy_location(sub, r)
                ast.copy_location(sub.slice, r)
                out[k] = self.expr(sub)     # looked up where the format uses it
            return out
        else:
            raise CompileError(r, "'%(key)s' % …: give a dict display with string keys or "
                                  "the name of a dict")
        missing = [k for k in keys if k not in out]
        if missing:
            raise CompileError(r, f"format key {missing[0]!r} is not in the dict")
        return out

    def ex_BinOp(self, node: ast.BinOp, hint: Ty | None) -> tuple[str, Ty]:
        if isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and \
                isinstance(node.left.value, str):
            return self.percent_format(node)
        lh = hint if isinstance(node.op, (ast.Add, ast.Mult)) and hint and \
            hint.name == "list" else None
        a, at = self.expr(node.left, lh)
        b, bt = self.expr(node.right, at if at.name == "list" else None)
        if isinstance(node.op, ast.Pow) and at == T.INT and bt == T.INT and \
                isinstance(node.right, ast.UnaryOp) and isinstance(node.right.op, ast.USub):
            # 10 ** -2 is a float
            return f"rt_fpow({to_double(a, at)}, {to_double(b, bt)})", T.FLOAT
        decls, (a, b) = self.in_order([(a, at), (b, bt)])
        code, ty = self.binop(node.op, a, at, b, bt, node)
        return (f"({{ {decls}{code}; }})" if decls else code), ty

    def binop(self, op: ast.operator, a: str, at: Ty, b: str, bt: Ty,
              node: ast.AST) -> tuple[str, Ty]:
        sym = ARITH.get(type(op))
        if at.name == "opt" and at.args[0].is_prim:
            a, at = self.coerce(a, at, at.args[0], node), at.args[0]
        if bt.name == "opt" and bt.args[0].is_prim:
            b, bt = self.coerce(b, bt, bt.args[0], node), bt.args[0]
        if at == T.BOOL and bt in (T.INT, T.BOOL, T.FLOAT) and sym not in ("&", "|", "^"):
            a, at = f"((int64_t)({a}))", T.INT
        if bt == T.BOOL and at in (T.INT, T.FLOAT) and sym not in ("&", "|", "^"):
            b, bt = f"((int64_t)({b}))", T.INT
        if at == T.BOOL and bt == T.BOOL and sym in ("&", "|", "^"):
            return f"((bool)(({a}) {sym} ({b})))", T.BOOL
        if at == T.INT and bt == T.INT:
            f = {"+": "rt_add", "-": "rt_sub", "*": "rt_mul", "//": "rt_floordiv",
                 "%": "rt_mod", "**": "rt_ipow", "<<": "rt_lshift", ">>": "rt_rshift"}.get(sym)
            if f:
                return f"{f}({a}, {b})", T.INT
            if sym in ("&", "|", "^"):
                return f"{ {'&': 'rt_and', '|': 'rt_or', '^': 'rt_xor'}[sym]}({a}, {b})", T.INT
            if sym == "/":
                return f"rt_truediv({to_double(a, at)}, {to_double(b, bt)})", T.FLOAT
        if at in (T.INT, T.FLOAT) and bt in (T.INT, T.FLOAT):
            x, y = to_double(a, at), to_double(b, bt)
            if sym in ("+", "-", "*"):
                return f"({x} {sym} {y})", T.FLOAT
            f = {"/": "rt_ftruediv", "//": "rt_ffloordiv", "%": "rt_fmod",
                 "**": "rt_fpow"}.get(sym)
            if f:
                return f"{f}({x}, {y})", T.FLOAT
        if at == T.STR and bt == T.STR and sym == "+":
            return f"rt_str_concat({a}, {b})", T.STR
        if at == T.STR and bt in (T.INT, T.BOOL) and sym == "*":
            return f"rt_str_repeat({a}, {b})", T.STR
        if at in (T.INT, T.BOOL) and bt == T.STR and sym == "*":
            return f"rt_str_repeat({b}, {a})", T.STR
        if at == T.STR and sym == "%":
            raise CompileError(node, "printf-style '%' formatting needs a literal format "
                                     "string here; or use an f-string")
        if at.name == "list" and bt.name == "list" and sym == "+":
            rt = at if at.args[0].name != "unknown" else bt
            if at.args[0].name != "unknown" and bt.args[0].name != "unknown" and at != bt:
                raise CompileError(node, f"cannot add {at} and {bt}")
            return f"rt_list_concat({a}, {b})", rt
        if at.name == "list" and bt in (T.INT, T.BOOL) and sym == "*":
            return f"rt_list_repeat({a}, {b})", at
        if at in (T.INT, T.BOOL) and bt.name == "list" and sym == "*":
            return f"rt_list_repeat({b}, {a})", bt
        if at.is_dictlike and bt.is_dictlike and sym == "|" and at.args == bt.args:
            d = self.fresh("du")     # a | b: a new dict, b's values win
            return (f"({{ Dict *{d} = rt_dict_copy({a}); rt_dict_update({d}, {b}); {d}; }})",
                    T.dict_of(*at.args))
        if at == T.BYTES and bt == T.BYTES and sym == "+":
            return f"rt_bytes_concat({a}, {b})", T.BYTES
        if at == T.BYTES and bt in (T.INT, T.BOOL) and sym == "*":
            return f"rt_bytes_repeat({a}, {b})", T.BYTES
        if bt == T.BYTES and at in (T.INT, T.BOOL) and sym == "*":
            return f"rt_bytes_repeat({b}, {a})", T.BYTES
        if at.name == "vtuple" and bt.name in ("vtuple", "tuple") and sym == "+":
            bl, blt = self.as_list(b, bt, node)
            if blt.args[0] != at.args[0]:
                raise CompileError(node, f"cannot concatenate {at} and {bt}")
            return (f"rt_vtuple_from_list(rt_list_concat({self.as_list(a, at, node)[0]}, "
                    f"{bl}))"), at
        if at.name == "tuple" and bt.name == "tuple" and sym == "+":
            tys = [*at.args, *bt.args]
            ta, tb = self.fresh(), self.fresh()
            vals = [f"{ta}->items[{i}]" for i in range(len(at.args))] + \
                [f"{tb}->items[{i}]" for i in range(len(bt.args))]
            kinds = "".join(T.kind_digit(t) for t in tys)
            return (f"({{ Tuple *{ta} = {a}; Tuple *{tb} = {b}; rt_tuple_of({len(tys)}, "
                    f"\"{kinds}\", {', '.join(vals)}); }})", T.tuple_of(*tys))
        if at.name in ("set", "frozenset") and bt.name in ("set", "frozenset") and \
                at.args == bt.args:
            f = {"|": "rt_set_union", "&": "rt_set_inter", "-": "rt_set_diff",
                 "^": "rt_set_symdiff"}.get(sym)
            if f:       # the result has the left operand's type, as in CPython
                return (f"rt_frozen({f}({a}, {b}))" if at.name == "frozenset" else
                        f"{f}({a}, {b})"), at
        if at.name == "cls" and type(op) in DUNDER:
            got = self.dunder_call(a, at, DUNDER[type(op)], [(b, bt)], node)
            if got:
                return got
        raise CompileError(node, f"unsupported operand types for {sym}: {at} and {bt}")

    def dunder_call(self, a: str, at: Ty, name: str, args: list[tuple[str, Ty]],
                    node: ast.AST) -> tuple[str, Ty] | None:
        info = self.prog.classes[at.args[0]]
        m = info.find_method(name)
        if m is None:
            return None
        if isinstance(node, ast.BinOp) and m.owner is not None and \
                not m.owner.overridden(m.name) and not info.overridden(m.name):
            # v * 3 with __mul__(self, k: float): an int copy, as for a direct method call
            call = ast.copy_location(ast.Call(ast.Name("_", ast.Load()), [node.right], []), node)
            m = self.int_specialization(m, call, shift=1) or m
        return self.method_call(info, m, a, args, [], node)

    def ex_UnaryOp(self, node: ast.UnaryOp, hint: Ty | None) -> tuple[str, Ty]:
        if isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) and \
                type(node.operand.value) is int:
            return int_literal(-node.operand.value), T.INT
        if isinstance(node.op, ast.Not):
            return f"(!{self.cond(node.operand)})", T.BOOL
        c, t = self.expr(node.operand)
        if t.name == "opt" and t.args[0].is_prim:
            c, t = self.coerce(c, t, t.args[0], node), t.args[0]
        if t == T.BOOL:
            c, t = f"((int64_t)({c}))", T.INT
        if isinstance(node.op, ast.USub):
            if t == T.INT:
                return f"rt_neg({c})", T.INT
            if t == T.FLOAT:
                return f"(-({c}))", T.FLOAT
            if t.name == "cls":
                got = self.dunder_call(c, t, "__neg__", [], node)
                if got:
                    return got
        if isinstance(node.op, ast.UAdd) and t in (T.INT, T.FLOAT):
            return c, t
        if isinstance(node.op, ast.Invert) and t == T.INT:
            return f"rt_invert({c})", T.INT
        raise CompileError(node, f"unsupported operand type for unary operator: {t}")

    def ex_BoolOp(self, node: ast.BoolOp, hint: Ty | None) -> tuple[str, Ty]:
        vals = [self.expr(v, hint) for v in node.values]
        tys = {t for _, t in vals}
        op = "&&" if isinstance(node.op, ast.And) else "||"
        if tys == {T.BOOL}:
            return "(" + f" {op} ".join(f"({c})" for c, _ in vals) + ")", T.BOOL
        # `a or b` on other values: the value of the deciding operand
        ty = vals[0][1]
        for _, t in vals[1:]:
            if t != ty:
                if ty.name == "opt" and t == ty.args[0]:
                    ty = t
                elif t == T.NONE and ty.name != "opt":
                    ty = T.opt(ty)
                elif ty == T.NONE:
                    ty = T.opt(t)
                elif not (ty.name == "opt" and t in (ty.args[0], T.NONE)):
                    raise CompileError(node, f"'{'and' if op == '&&' else 'or'}' of {ty} and "
                                             f"{t}: operands must have the same type")
        res = self.fresh()
        parts = [f"{T.ctype(ty)} {res};"]
        close = ""
        for i, (c, t) in enumerate(vals):
            last = i == len(vals) - 1
            if ty.name != "opt" and t.name == "opt":
                conv = c
            else:
                conv = self.coerce(c, t, ty, node) if t != ty else c
            tv = self.fresh()
            if last:
                parts.append(f"{res} = {self.coerce(c, t, ty, node)};")
                break
            parts.append(f"{T.ctype(t)} {tv} = {c};")
            test = self.truth(tv, t)
            if op == "||":
                parts.append(f"if ({test}) {res} = {self.coerce(tv, t, ty, node)}; else {{")
            else:
                parts.append(f"if (!{test}) {res} = {self.coerce(tv, t, ty, node)}; else {{")
            close += "}"
            del conv
        return "({ " + " ".join(parts) + close + f" {res}; }})", ty

    def ex_IfExp(self, node: ast.IfExp, hint: Ty | None) -> tuple[str, Ty]:
        c = self.cond(node.test)
        a, at = self.expr(node.body, hint)
        # `x if x is not None else d` / `d if x is None else x`: x is not None there
        t = node.test
        if isinstance(t, ast.Compare) and len(t.ops) == 1 and isinstance(t.left, ast.Name) \
                and isinstance(t.comparators[0], ast.Constant) and \
                t.comparators[0].value is None:
            side = node.body if isinstance(t.ops[0], ast.IsNot) else \
                node.orelse if isinstance(t.ops[0], ast.Is) else None
            if isinstance(side, ast.Name) and side.id == t.left.id:
                if side is node.body and at.name == "opt":
                    a, at = self.coerce(a, at, at.args[0], node), at.args[0]
                elif side is node.orelse and hint is None:
                    _, st = self.expr(side)
                    if st.name == "opt":
                        a, at = self.coerce(a, at, st.args[0], node) if at != st.args[0] \
                            else a, st.args[0]
                        b = self.coerce(self.expr(side)[0], st, st.args[0], node)
                        return f"(({c}) ? {a} : {b})", at
        b, bt = self.expr(node.orelse, hint or at)
        ty = at
        if at != bt:
            if at == T.NONE:
                ty = T.opt(bt)
            elif bt == T.NONE:
                ty = T.opt(at)
            elif {at, bt} == {T.INT, T.FLOAT}:
                ty = T.FLOAT
            elif hint is not None:
                ty = hint
            elif at.name == "cls" and bt.name == "cls":
                x, y = self.prog.classes[at.args[0]], self.prog.classes[bt.args[0]]
                common = x
                while common and not y.is_sub(common):
                    common = common.base
                if common is None:
                    raise CompileError(node, f"the branches have types {at} and {bt}")
                ty = common.ty
            elif at.name == "opt" and bt == at.args[0]:
                ty = at
            elif bt.name == "opt" and at == bt.args[0]:
                ty = bt
            else:
                raise CompileError(node, f"the branches have different types: {at} and {bt}")
        return (f"(({c}) ? {self.coerce(a, at, ty, node)} : {self.coerce(b, bt, ty, node)})",
                ty)

    def ex_Compare(self, node: ast.Compare, hint: Ty | None) -> tuple[str, Ty]:
        parts = []
        left, lt = self.expr(node.left)
        left0, lt0 = left, lt
        pre = []
        for i, (op, right) in enumerate(zip(node.ops, node.comparators, strict=True)):
            r, rt = self.expr(right, lt if lt.name in ("list", "set", "dict") else None)
            if i < len(node.ops) - 1:
                tmp = self.fresh()
                pre.append(f"{T.ctype(rt)} {tmp} = {r};")
                r = tmp
            parts.append(self.compare(op, left, lt, r, rt, node))
            left, lt = r, rt
        if len(parts) == 1 and not pre:
            decls, (a, b) = self.in_order([(left0, lt0), (left, lt)])
            if decls:
                return f"({{ {decls}{self.compare(node.ops[0], a, lt0, b, lt, node)}; }})", T.BOOL
            return parts[0], T.BOOL
        # chained: a < b < c evaluates b once and stops at the first false
        res = self.fresh()
        code = f"bool {res} = {parts[0]};"
        for p, d in zip(parts[1:], pre, strict=False):
            code += f" if ({res}) {{ {d} {res} = {p}; }}"
        # the temporaries must be declared before use: emit in order
        if pre:
            code = f"bool {res}; {pre[0]} {res} = {parts[0]};"
            for j, p in enumerate(parts[1:], start=1):
                nxt = pre[j] if j < len(pre) else ""
                code += f" if ({res}) {{ {nxt} {res} = {p}; }}"
            # a later temporary used in a deeper block: hoist declarations instead
            decls = " ".join(d.split("=")[0].strip() + ";" for d in pre[1:])
            assigns = [d.split(" = ", 1) for d in pre[1:]]
            code = f"bool {res}; {decls} {pre[0]} {res} = {parts[0]};"
            for j, p in enumerate(parts[1:], start=1):
                if j < len(pre):
                    name = assigns[j - 1][0].split()[-1]
                    code += f" if ({res}) {{ {name} = {assigns[j - 1][1]} {res} = {p}; }}"
                else:
                    code += f" if ({res}) {{ {res} = {p}; }}"
        return f"({{ {code} {res}; }})", T.BOOL

    def compare(self, op: ast.cmpop, a: str, at: Ty, b: str, bt: Ty, node: ast.AST) -> str:
        if isinstance(op, (ast.Is, ast.IsNot)):
            neg = isinstance(op, ast.IsNot)
            if bt == T.NONE or at == T.NONE:
                x, xt = (a, at) if bt == T.NONE else (b, bt)
                if xt.is_prim:
                    return "false" if not neg else "true"
                return f"(({x}) {'!=' if neg else '=='} NULL)"
            if at.is_prim or bt.is_prim:
                raise CompileError(node, "'is' compares objects: use == for numbers")
            return f"((void *)({a}) {'!=' if neg else '=='} (void *)({b}))"
        if isinstance(op, (ast.In, ast.NotIn)):
            code = self.contains(b, bt, a, at, node)
            return f"(!{code})" if isinstance(op, ast.NotIn) else code
        for side in ("a", "b"):
            t = at if side == "a" else bt
            if t.name == "opt" and t.args[0].is_prim and (at == T.NONE or bt == T.NONE):
                pass
        if at == T.NONE or bt == T.NONE:
            if isinstance(op, (ast.Eq, ast.NotEq)):
                x, xt = (a, at) if bt == T.NONE else (b, bt)
                eq = "1" if xt == T.NONE else ("0" if xt.is_prim else f"(({x}) == NULL)")
                return eq if isinstance(op, ast.Eq) else f"(!{eq})"
        if at.name == "opt" and at.args[0].is_prim and bt.is_prim:
            if isinstance(op, (ast.Eq, ast.NotEq)):
                tmp = self.fresh()
                inner = at.args[0]
                got = T.from_val(f'((Box *){tmp})->v', inner)
                same = f"rt_int_eq({got}, {b})" if inner == T.INT else f"{got} == ({b})"
                eq = f"({{ Obj *{tmp} = {a}; {tmp} != NULL && {same}; }})"
                return eq if isinstance(op, ast.Eq) else f"(!{eq})"
            a, at = self.coerce(a, at, at.args[0], node), at.args[0]
        if bt.name == "opt" and bt.args[0].is_prim and at.is_prim:
            b, bt = self.coerce(b, bt, bt.args[0], node), bt.args[0]
        nums = (T.INT, T.FLOAT, T.BOOL)
        if at in nums and bt in nums:
            if T.INT in (at, bt) and T.FLOAT in (at, bt):   # exact, as CPython compares
                ops = [ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq]
                swap = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}
                if at == T.INT:
                    return f"rt_int_fcompare({a}, {b}, {ops.index(type(op))})"
                return f"rt_int_fcompare({b}, {a}, {ops.index(swap.get(type(op), type(op)))})"
            if T.FLOAT in (at, bt):
                return f"({to_double(a, at)} {C_CMP[type(op)]} {to_double(b, bt)})"
            if T.INT in (at, bt):   # a bignum compares through the runtime
                return f"{INT_CMP[type(op)]}({a}, {b})"
            return f"(({a}) {C_CMP[type(op)]} ({b}))"
        if at == T.STR and bt == T.STR:
            if isinstance(op, ast.Eq):
                return f"rt_str_eq({a}, {b})"
            if isinstance(op, ast.NotEq):
                return f"(!rt_str_eq({a}, {b}))"
            return f"(rt_str_cmp({a}, {b}) {C_CMP[type(op)]} 0)"
        if at.name == "cls" and type(op) in DUNDER:
            got = self.dunder_call(a, at, DUNDER[type(op)], [(b, bt)], node)
            if got:
                return f"({got[0]})"
            if isinstance(op, ast.NotEq):
                got = self.dunder_call(a, at, "__eq__", [(b, bt)], node)
                if got:
                    return f"(!({got[0]}))"
        if isinstance(op, (ast.Eq, ast.NotEq)):
            if at.is_prim or bt.is_prim:
                if at.is_prim and bt.is_prim:
                    return f"(({a}) {C_CMP[type(op)]} ({b}))"
                return "false" if isinstance(op, ast.Eq) else "true"
            eq = f"rt_eq((Obj *)({a}), (Obj *)({b}))"
            return eq if isinstance(op, ast.Eq) else f"(!{eq})"
        if type(op) in CMP_OPS:
            if at.is_prim or bt.is_prim:
                raise CompileError(node, f"cannot order {at} and {bt}")
            return f"rt_cmp_val(rt_vp({a}), rt_vp({b}), RK_OBJ, {CMP_OPS[type(op)]})"
        raise CompileError(node, f"unsupported comparison between {at} and {bt}")

    def contains(self, cont: str, ct: Ty, item: str, it: Ty, node: ast.AST) -> str:
        if ct.name == "frozenset":
            ct = Ty("set", ct.args)
        n = ct.name
        if n == "vtuple":
            cont, ct = self.as_list(cont, ct, node)
            n = "list"
        if n == "bytes":
            if it == T.BYTES:
                return f"rt_bytes_contains({cont}, {item})"
            if it in (T.INT, T.BOOL):
                return f"rt_bytes_contains_byte({cont}, {item})"
            raise CompileError(node, f"'in <bytes>' needs bytes or an int on the left, not {it}")
        if n == "str":
            if it != T.STR:
                raise CompileError(node, f"'in <str>' needs a str on the left, not {it}")
            return f"rt_str_contains({cont}, {item})"
        if n in ("list", "set", "deque") or ct.is_dictlike:
            et = ct.args[0]
            v = T.to_val(self.coerce(item, it, et, node), et)
            f = {"list": "rt_list_contains", "deque": "rt_deque_contains"}.get(n,
                                                                               "rt_dict_contains")
            return f"{f}({cont}, {v})"
        if n == "tuple":
            tmp = self.fresh()
            tests = []
            for i, et in enumerate(ct.args):
                if et == it or {et, it} <= {T.INT, T.FLOAT, T.BOOL}:
                    tests.append(self.compare(ast.Eq(), f"{T.from_val(f'{tmp}->items[{i}]', et)}",
                                              et, item, it, node))
            return f"({{ Tuple *{tmp} = {cont}; {' || '.join(tests) or '0'}; }})"
        if n == "cls":
            got = self.dunder_call(cont, ct, "__contains__", [(item, it)], node)
            if got:
                return got[0]
        raise CompileError(node, f"'in' is not supported on {ct}")

    # ---- subscripts ----
    def ex_Subscript(self, node: ast.Subscript, hint: Ty | None) -> tuple[str, Ty]:
        v = node.value
        if isinstance(v, ast.Name) and v.id in self.prog.classes and \
                self.prog.classes[v.id].is_enum and self.lookup(v.id, v) is None:
            from .enums import BY_NAME  # Color["RED"]
            call = ast.Call(func=ast.Attribute(value=v, attr=BY_NAME, ctx=ast.Load()),
                            args=[node.slice], keywords=[])
            return self.expr(ast.copy_location(call, node))
        obj, ot = self.expr(node.value)
        if ot.name == "cls" and self.prog.classes[ot.args[0]].namedtuple and \
                isinstance(node.slice, ast.Constant) and type(node.slice.value) is int:
            from .calls import dataclass_fields  # a NamedTuple's item: its field
            fields = dataclass_fields(self.prog.classes[ot.args[0]])
            i = node.slice.value
            if not -len(fields) <= i < len(fields):
                raise CompileError(node, "tuple index out of range")
            fname, ft, _ = fields[i]
            return f"(RT_NN({obj}))->f_{fname}", ft
        if isinstance(node.slice, ast.Slice):
            return self.slice_load(obj, ot, node.slice, node)
        idx, it = self.expr(node.slice)
        return self.subscript_load(node, obj, ot, idx, it)

    def slice_args(self, sl: ast.Slice) -> tuple[str, str, str, int]:
        has = 0
        parts = []
        for i, part in enumerate((sl.lower, sl.upper)):
            if part is None:
                parts.append("0")
            else:
                c, t = self.expr(part)
                parts.append(self.coerce(c, t, T.INT, part))
                has |= 1 << i
        step = "1"
        if sl.step is not None:
            c, t = self.expr(sl.step)
            step = self.coerce(c, t, T.INT, sl.step)
        return parts[0], parts[1], step, has

    def slice_load(self, obj: str, ot: Ty, sl: ast.Slice, node: ast.AST) -> tuple[str, Ty]:
        if ot.name == "tuple":
            return self.fixed_tuple_slice(obj, ot, sl, node)
        a, b, step, has = self.slice_args(sl)
        if ot == T.STR:
            return f"rt_str_slice({obj}, {a}, {b}, {step}, {has})", T.STR
        if ot.name == "list":
            return f"rt_list_slice({obj}, {a}, {b}, {step}, {has})", ot
        if ot.name == "bytes":
            return f"rt_bytes_slice({obj}, {a}, {b}, {step}, {has})", ot
        if ot.name == "vtuple":
            lst = f"rt_list_from_tuple({obj}, {T.kind(ot.args[0])})"
            return f"rt_vtuple_from_list(rt_list_slice({lst}, {a}, {b}, {step}, {has}))", ot
        raise CompileError(node, f"slicing is not supported on {ot}")

    def fixed_tuple_slice(self, obj: str, ot: Ty, sl: ast.Slice,
                          node: ast.AST) -> tuple[str, Ty]:
        """t[1:], t[::-1] on a tuple of fixed types: the bounds must be constants,
        so the result's item types are known; a tuple of those items."""
        bounds: list[int | None] = []
        for part in (sl.lower, sl.upper, sl.step):
            v = part
            neg = isinstance(v, ast.UnaryOp) and isinstance(v.op, ast.USub)
            if neg:
                v = v.operand              # type: ignore[union-attr]
            if part is None:
                bounds.append(None)
            elif isinstance(v, ast.Constant) and type(v.value) is int:
                bounds.append(-v.value if neg else v.value)
            else:
                raise CompileError(node, f"a slice of {ot} needs constant bounds (its item "
                                         f"types depend on them)")
        if bounds[2] == 0:
            raise CompileError(node, "slice step cannot be zero")
        picks = range(len(ot.args))[slice(*bounds)]
        tys = [ot.args[i] for i in picks]
        t = self.fresh("ts")
        kinds = "".join(T.kind_digit(x) for x in tys)
        vals = "".join(f", {t}->items[{i}]" for i in picks)
        return (f'({{ Tuple *{t} = {obj}; rt_tuple_of({len(tys)}, "{kinds}"{vals}); }})',
                T.tuple_of(*tys))

    def subscript_load(self, node: ast.AST, obj: str, ot: Ty, idx: str,
                       it: Ty) -> tuple[str, Ty]:
        n = ot.name
        if n == "opt":
            return self.subscript_load(node, f"RT_NN({obj})", ot.args[0], idx, it)
        if n in ("list", "str", "deque") and it not in (T.INT, T.BOOL):
            raise CompileError(node, f"{ot} indices must be int, not {it}")
        if n == "list":
            return T.from_val(f"rt_list_get({obj}, {idx})", ot.args[0]), ot.args[0]
        if n == "bytes":
            if it not in (T.INT, T.BOOL):
                raise CompileError(node, f"bytes indices must be int, not {it}")
            return f"rt_bytes_get({obj}, {idx})", T.INT
        if n == "vtuple":
            if it not in (T.INT, T.BOOL):
                raise CompileError(node, f"tuple indices must be int, not {it}")
            return T.from_val(f"rt_tuple_get({obj}, {idx})", ot.args[0]), ot.args[0]
        if n == "deque":
            return T.from_val(f"rt_deque_get({obj}, {idx})", ot.args[0]), ot.args[0]
        if n == "str":
            return f"rt_str_index({obj}, {idx})", T.STR
        if ot.is_dictlike:
            kt, vt = ot.args
            k = T.to_val(self.coerce(idx, it, kt, node), kt)
            if n == "dict":
                return T.from_val(f"rt_dict_get({obj}, {k})", vt), vt
            d, kv, v = self.fresh(), self.fresh(), self.fresh()
            if n == "counter":
                return (T.from_val(f"({{ Dict *{d} = {obj}; Val {kv} = {k}, {v}; "
                                   f"if (!rt_dict_get_opt({d}, {kv}, &{v})) {v} = rt_vi(0); "
                                   f"{v}; }})", vt), vt)
            dflt = self.default_value(vt, node)
            return (T.from_val(f"({{ Dict *{d} = {obj}; Val {kv} = {k}, {v}; "
                               f"if (!rt_dict_get_opt({d}, {kv}, &{v})) {{ {v} = "
                               f"{T.to_val(dflt, vt)}; rt_dict_set({d}, {kv}, {v}); }} {v}; }})",
                               vt), vt)
        if n == "tuple":
            if not (idx.startswith("INT64_C(") and idx.endswith(")")) and \
                    not idx.lstrip("-").isdigit():
                raise CompileError(node, "tuple indices must be integer constants (each item "
                                         "has its own type)")
            i = int(idx[len("INT64_C("):-1]) if idx.startswith("INT64_C(") else int(idx)
            if not -len(ot.args) <= i < len(ot.args):
                raise CompileError(node, "tuple index out of range")
            et = ot.args[i]
            return T.from_val(f"({obj})->items[{i % len(ot.args)}]", et), et
        if n == "cls":
            got = self.dunder_call(obj, ot, "__getitem__", [(idx, it)], node)
            if got:
                return got
        raise CompileError(node, f"{ot} is not subscriptable")

    def default_value(self, vt: Ty, node: ast.AST) -> str:
        """The value a defaultdict creates for a missing key."""
        n = vt.name
        if n == "int":
            return "INT64_C(0)"
        if n == "float":
            return "0.0"
        if n == "bool":
            return "false"
        if n == "str":
            return self.unit.string("")
        if n == "list":
            return f"rt_list_new({T.kind(vt.args[0])}, 0)"
        if n == "set":
            return f"rt_set_new({T.kind(vt.args[0])})"
        if n == "dict":
            return f"rt_dict_new({T.kind(vt.args[0])}, {T.kind(vt.args[1])})"
        raise CompileError(node, f"defaultdict of {vt} is not supported")

    def subscript_store_type(self, target: ast.Subscript) -> Ty | None:
        try:
            _, ot = self.expr(target.value)
        except CompileError:
            return None
        if ot.name in ("list", "deque") and not isinstance(target.slice, ast.Slice):
            return ot.args[0]
        if ot.name == "list":
            return ot
        if ot.is_dictlike:
            return ot.args[1]
        return None

    def store_subscript(self, target: ast.Subscript, code: str, ty: Ty) -> None:
        obj, ot = self.expr(target.value)
        if isinstance(target.slice, ast.Slice):
            if ot.name != "list" or target.slice.step is not None:
                raise CompileError(target, "slice assignment is supported on lists, "
                                           "without a step")
            a, b, _, has = self.slice_args(target.slice)
            self.emit(f"rt_list_set_slice({obj}, {a}, {b}, {has}, "
                      f"{self.coerce(code, ty, ot, target)});")
            return
        idx, it = self.expr(target.slice)
        v = target.value
        if isinstance(v, ast.Name) and v.id in self.partial and ot.name == "dict" and \
                "?" not in str(it) + str(ty) and T.NONE not in (it, ty):
            self.refine_partial(v.id, [it, ty])       # d = {} … d[k] = v
            obj, ot = self.expr(v)
        self.subscript_store(target, obj, ot, idx, it, code, ty)

    def subscript_store(self, target: ast.AST, obj: str, ot: Ty, idx: str, it: Ty, code: str,
                        ty: Ty) -> None:
        n = ot.name
        if n in ("list", "deque"):
            et = ot.args[0]
            v = T.to_val(self.coerce(code, ty, et, target), et)
            f = "rt_list_set" if n == "list" else "rt_deque_set"
            self.emit(f"{f}({obj}, {self.coerce(idx, it, T.INT, target)}, {v});")
            return
        if ot.is_dictlike:
            kt, vt = ot.args
            k = T.to_val(self.coerce(idx, it, kt, target), kt)
            v = T.to_val(self.coerce(code, ty, vt, target), vt)
            self.emit(f"rt_dict_set({obj}, {k}, {v});")
            return
        if n == "cls":
            got = self.dunder_call(obj, ot, "__setitem__", [(idx, it), (code, ty)], target)
            if got:
                self.emit(f"{got[0]};")
                return
        raise CompileError(target, f"{ot} does not support item assignment")

    def delete_subscript(self, t: ast.Subscript) -> None:
        obj, ot = self.expr(t.value)
        if isinstance(t.slice, ast.Slice):
            if ot.name != "list" or t.slice.step is not None:
                raise CompileError(t, "del of a slice is supported on lists, without a step")
            a, b, _, has = self.slice_args(t.slice)
            self.emit(f"rt_list_del_slice({obj}, {a}, {b}, {has});")
            return
        idx, it = self.expr(t.slice)
        if ot.name == "list":
            self.emit(f"rt_list_del({obj}, {self.coerce(idx, it, T.INT, t)});")
        elif ot.is_dictlike:
            kt = ot.args[0]
            self.emit(f"rt_dict_del({obj}, {T.to_val(self.coerce(idx, it, kt, t), kt)});")
        else:
            raise CompileError(t, f"del is not supported on {ot}")

    # ---- f-strings ----
    def ex_JoinedStr(self, node: ast.JoinedStr, hint: Ty | None) -> tuple[str, Ty]:
        b = self.fresh("b")
        parts = [f"Buf {b} = {{0}};"]
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(f"rt_buf_str(&{b}, {self.unit.string(v.value)});")
                continue
            if v.format_spec is None and v.conversion in (-1, ord("s")):
                code, ty = self.expr(v.value)
                if ty == T.INT:      # straight into the buffer, no string in between
                    parts.append(f"rt_buf_int(&{b}, {code});")
                    continue
                parts.append(f"rt_buf_str(&{b}, {self.format_value(code, ty, v)});")
                continue
            parts.append(f"rt_buf_str(&{b}, {self.formatted(v)});")
        return f"({{ {' '.join(parts)} rt_buf_done(&{b}); }})", T.STR

    def formatted(self, v: ast.FormattedValue) -> str:
        code, ty = self.expr(v.value)
        return self.format_value(code, ty, v)

    def format_value(self, code: str, ty: Ty, v: ast.FormattedValue) -> str:
        if v.conversion == ord("r"):
            code, ty = self.to_repr(code, ty), T.STR
        elif v.conversion in (ord("s"), ord("a")):
            code, ty = self.to_str(code, ty), T.STR
        if v.format_spec is None:
            return self.to_str(code, ty)
        spec, _ = self.ex_JoinedStr(v.format_spec, None) if isinstance(
            v.format_spec, ast.JoinedStr) else self.expr(v.format_spec)
        if ty == T.INT:
            return f"rt_format_int({code}, {spec})"
        if ty == T.FLOAT:
            return f"rt_format_float({code}, {spec})"
        if ty == T.BOOL:
            return f"rt_format_val(rt_vi({code}), RK_BOOL, {spec})"
        if ty == T.STR:
            return f"rt_format_str({code}, {spec})"
        if ty.name == "opt" and ty.args[0].is_prim:
            inner = ty.args[0]
            return f"rt_format_val(rt_unbox({code}), {T.kind(inner)}, {spec})"
        return f"rt_format_str({self.to_str(code, ty)}, {spec})"

    # ---- comprehensions ----
    def comprehension(self, node, make: Callable[[], tuple[str, str]],
                      add: Callable[[str], None]) -> str:
        """Loops for each generator of node, with add() at the innermost level.
        Comprehension variables get fresh C names (they do not leak)."""
        saved = dict(self.cnames), dict(self.locals), set(self.shadow)
        res = self.fresh("c")
        names: list[str] = []

        def level(i: int) -> None:
            if i == len(node.generators):
                add(res)
                return
            gen = node.generators[i]
            if gen.is_async:
                raise CompileError(node, "async comprehensions are not supported")
            for t in ast.walk(gen.target):
                if isinstance(t, ast.Name):
                    self.cnames[t.id] = self.fresh("v_" + t.id)
                    self.locals.pop(t.id, None)
                    self.shadow.add(t.id)
                    names.append(t.id)

            def inner() -> None:
                for cond in gen.ifs:
                    self.emit(f"if (!({self.cond(cond)})) continue;")
                level(i + 1)

            loop = self.push_loop()
            self.for_loop(gen.iter, gen.target, inner, loop, comp=True)
            self.loops.pop()
            self.emit(f"{loop.brk}:;")

        decl, init = make()
        outer_lines, outer_ind = self.lines, self.ind
        self.lines, self.ind = [], 0
        self.emit(f"{decl} {res} = {init};")
        try:
            level(0)
            body = self.lines
        finally:
            self.lines, self.ind = outer_lines, outer_ind
            for name in names:
                if name in self.locals:
                    self.comp_vars[self.cnames[name]] = self.locals[name]
            self.cnames, self.locals, self.shadow = saved
        # one statement expression, evaluated where the comprehension stands (after the
        # operands to its left, and only if a surrounding `and`/`if` gets to it)
        return "({ " + " ".join(line.strip() for line in body) + f" {res}; }})"

    def elem_hint(self, hint: Ty | None, name: str) -> Ty | None:
        return hint.args[0] if hint and hint.name == name else None

    def ex_ListComp(self, node: ast.ListComp, hint: Ty | None) -> tuple[str, Ty]:
        et_box: list[Ty] = []
        ehint = self.elem_hint(hint, "list")

        def add(res: str) -> None:
            c, t = self.expr(node.elt, ehint)
            if ehint is not None:
                c, t = self.coerce(c, t, ehint, node), ehint
            et_box.append(t)
            self.emit(f"rt_list_append({res}, {T.to_val(c, t)});")

        kind_ph = self.fresh("K")
        res = self.comprehension(node, lambda: ("List *", f"rt_list_new({kind_ph}, 0)"), add)
        et = et_box[0]
        return res.replace(kind_ph, T.kind(et)), T.list_of(et)

    def ex_SetComp(self, node: ast.SetComp, hint: Ty | None) -> tuple[str, Ty]:
        et_box: list[Ty] = []
        ehint = self.elem_hint(hint, "set")

        def add(res: str) -> None:
            c, t = self.expr(node.elt, ehint)
            if ehint is not None:
                c, t = self.coerce(c, t, ehint, node), ehint
            et_box.append(t)
            self.emit(f"rt_set_add({res}, {T.to_val(c, t)});")

        kind_ph = self.fresh("K")
        res = self.comprehension(node, lambda: ("Dict *", f"rt_set_new({kind_ph})"), add)
        return res.replace(kind_ph, T.kind(et_box[0])), T.set_of(et_box[0])

    def ex_DictComp(self, node: ast.DictComp, hint: Ty | None) -> tuple[str, Ty]:
        box: list[tuple[Ty, Ty]] = []
        kh, vh = hint.args if hint and hint.is_dictlike else (None, None)

        def add(res: str) -> None:
            k, kt = self.expr(node.key, kh)
            v, vt = self.expr(node.value, vh)
            if kh is not None:
                k, kt = self.coerce(k, kt, kh, node), kh
                v, vt = self.coerce(v, vt, vh, node), vh
            box.append((kt, vt))
            self.emit(f"rt_dict_set({res}, {T.to_val(k, kt)}, {T.to_val(v, vt)});")

        kp, vp = self.fresh("K"), self.fresh("K")
        res = self.comprehension(node, lambda: ("Dict *", f"rt_dict_new({kp}, {vp})"), add)
        kt, vt = box[0]
        return res.replace(kp, T.kind(kt)).replace(vp, T.kind(vt)), T.dict_of(kt, vt)

    def ex_GeneratorExp(self, node: ast.GeneratorExp, hint: Ty | None) -> tuple[str, Ty]:
        # Consumed where it stands (sum(x for x in …), any(…), "".join(…)): built as a list.
        lc = ast.ListComp(elt=node.elt, generators=node.generators)
        ast.copy_location(lc, node)
        return self.ex_ListComp(lc, T.list_of(hint.args[0]) if hint and hint.name == "gen"
                                else None)

    def fix_placeholder(self, ph: str, value: str) -> None:
        for i in range(len(self.lines) - 1, -1, -1):
            if ph in self.lines[i]:
                self.lines[i] = self.lines[i].replace(ph, value)
                return

    # ---- for loops ----
    def for_loop(self, it: ast.expr, target: ast.expr, body: Callable[[], None], loop,
                 comp: bool = False) -> None:
        """for target in it: body — each iterable as the loop it needs."""
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and \
                self.lookup(it.func.id, it) is None and it.func.id not in self.prog.functions:
            fname = it.func.id
            if fname == "range":
                return self.range_loop(it, target, body, loop)
            if fname == "enumerate":
                return self.enumerate_loop(it, target, body, loop)
            if fname == "zip":
                return self.zip_loop(it, target, body, loop)
            if fname == "reversed":
                return self.reversed_loop(it, target, body, loop)
        from .iterlib import count_args, itertools_name
        endless = itertools_name(self, it)
        if endless in ("count", "repeat", "cycle") and isinstance(it, ast.Call) and \
                (endless != "repeat" or len(it.args) == 1):
            return self.endless_loop(endless, it, target, body, loop, count_args)
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) and \
                it.func.attr in ("items", "keys", "values") and not it.args:
            obj, ot = self.expr(it.func.value)
            if ot.is_dictlike:
                return self.dict_loop(obj, ot, it.func.attr, target, body, loop)
        code, ty = self.expr(it)
        self.iterate(code, ty, target, body, loop, it)

    def bind_target(self, target: ast.expr, code: str, ty: Ty) -> None:
        if isinstance(target, RawTarget):
            self.emit(f"{T.ctype(ty)} {target.name} = {code};")
            return
        self.assign(target, code, ty)

    def loop_body(self, body: Callable[[], None], loop) -> None:
        self.ind += 1
        body()
        self.emit(f"{loop.cont}:;")
        self.ind -= 1

    def iterate(self, code: str, ty: Ty, target: ast.expr, body, loop, node) -> None:
        if ty.name == "cls":    # a class with __iter__ (a generator method, or returning one)
            code, ty = self.iter_of(code, ty, node)
        if ty.name == "frozenset":
            ty = Ty("set", ty.args)
        seq = self.fresh("s")
        i = self.fresh("i")
        ctype, head, item, item_ty = self.iteration(ty, seq, i, node)
        self.emit(f"{ctype} *{seq} = {code};")
        self.emit(head)
        self.ind += 1
        self.bind_target(target, item, item_ty)
        self.ind -= 1
        self.loop_body(body, loop)
        self.emit("}")

    @staticmethod
    def iteration(ty: Ty, seq: str, i: str, node: ast.AST) -> tuple[str, str, str, Ty]:
        """How a for loop walks a value of type ty: the C type of the sequence, the
        loop's head, the current item and its type."""
        def counted(length: str) -> str:
            return f"for (int64_t {i} = 0; {i} < {seq}->{length}; {i}++) {{"

        n = ty.name
        et = ty.args[0] if ty.args else T.INT
        if n == "list":
            return "List", counted("len"), T.from_val(f"{seq}->items[{i}]", et), et
        if n == "bytes":
            return "Bytes", counted("len"), f"((int64_t){seq}->data[{i}])", T.INT
        if n == "str":
            return ("Str", f"for (int64_t {i} = 0; {i} < {seq}->len;) {{",
                    f"rt_str_next_char({seq}, &{i})", T.STR)
        if n == "set" or ty.is_dictlike:
            return ("Dict", f"for (int64_t {i} = 0; rt_dict_next({seq}, &{i}); {i}++) {{",
                    T.from_val(f"{seq}->entries[{i}].key", et), et)
        if n == "deque":
            return "Deque", counted("len"), T.from_val(f"rt_deque_get({seq}, {i})", et), et
        if n == "gen":
            return ("Gen", f"while (rt_gen_next({seq})) {{",
                    T.from_val(f"{seq}->value", et), et)
        if n == "tuple" and len(set(ty.args)) > 1:
            raise CompileError(node, f"iterating over {ty} (items of different types) is "
                                     f"not supported")
        if n in ("vtuple", "tuple"):
            return "Tuple", counted("n"), T.from_val(f"{seq}->items[{i}]", et), et
        raise CompileError(node, f"cannot iterate over {ty}")
    def int_arg(self, node: ast.expr) -> str:
        c, t = self.expr(node)
        return self.coerce(c, t, T.INT, node)

    def index_arg(self, node: ast.expr) -> str:
        """An int that must be a machine integer (a range bound): a bignum raises
        OverflowError as in CPython."""
        return f"rt_int_index({self.int_arg(node)})"

    def endless_loop(self, name: str, it: ast.Call, target, body, loop, count_args) -> None:
        """for i in count(a, d) / for x in repeat(x) / for x in cycle(xs): until break."""
        if name == "count":
            start, step = count_args(self, it)
            i, s = self.fresh("i"), self.fresh("st")
            self.emit(f"int64_t {i} = {start}, {s} = {step};")
            self.emit(f"for (;; {i} = rt_add({i}, {s})) {{")
            self.ind += 1
            self.bind_target(target, i, T.INT)
        elif name == "repeat":
            c, t = self.expr(it.args[0])
            v = self.fresh("v")
            self.emit(f"{T.ctype(t)} {v} = {c};")
            self.emit("for (;;) {")
            self.ind += 1
            self.bind_target(target, v, t)
        else:
            if len(it.args) != 1 or it.keywords:
                raise CompileError(it, "cycle() takes one iterable")
            c, t = self.expr(it.args[0])
            lst, lt = self.as_list(c, t, it)
            et = lt.args[0]
            s, i = self.fresh("s"), self.fresh("i")
            self.emit(f"List *{s} = rt_list_copy({lst});")
            self.emit(f"for (int64_t {i} = 0; {s}->len; {i} = {i} + 1 < {s}->len ? {i} + 1 : 0) {{")
            self.ind += 1
            self.bind_target(target, T.from_val(f"{s}->items[{i}]", et), et)
        self.ind -= 1
        self.loop_body(body, loop)
        self.emit("}")

    def range_loop(self, it: ast.Call, target, body, loop) -> None:
        args = it.args
        if not 1 <= len(args) <= 3 or it.keywords:
            raise CompileError(it, "range() takes 1 to 3 int arguments")
        start = "0" if len(args) == 1 else self.index_arg(args[0])
        # a bignum stop is beyond any machine-int counter: the loop behaves the same
        stop = f"rt_int_clamp({self.int_arg(args[0] if len(args) == 1 else args[1])})"
        step_node = args[2] if len(args) == 3 else None
        i, e, s = self.fresh("i"), self.fresh("e"), self.fresh("st")
        self.emit(f"int64_t {i} = {start}, {e} = {stop};")
        if step_node is None:
            self.emit(f"for (; {i} < {e}; {i}++) {{")
        else:
            step = self.index_arg(step_node)
            self.emit(f"int64_t {s} = {step};")
            self.emit(f"if ({s} == 0) rt_raise_new(&T_ValueError, \"range() arg 3 must not "
                      f"be zero\");")
            self.emit(f"for (; {s} > 0 ? {i} < {e} : {i} > {e}; {i} += {s}) {{")
        self.ind += 1
        self.bind_target(target, i, T.INT)
        self.ind -= 1
        self.loop_body(body, loop)
        self.emit("}")

    def enumerate_loop(self, it: ast.Call, target, body, loop) -> None:
        if not 1 <= len(it.args) <= 2:
            raise CompileError(it, "enumerate() takes an iterable and an optional start")
        start = "0"
        if len(it.args) == 2:
            start = self.int_arg(it.args[1])
        for kw in it.keywords:
            if kw.arg == "start":
                start = self.int_arg(kw.value)
            else:
                raise CompileError(kw, f"enumerate() has no argument {kw.arg}")
        if not (isinstance(target, ast.Tuple) and len(target.elts) == 2):
            raise CompileError(target, "write for i, x in enumerate(...)")
        k = self.fresh("k")
        self.emit(f"int64_t {k} = {start};")
        inner_target = target.elts[1]

        def wrapped() -> None:
            self.assign(target.elts[0], f"{k}++", T.INT)
            body()

        code, ty = self.expr(it.args[0])
        self.iterate(code, ty, inner_target, wrapped, loop, it)

    def zip_loop(self, it: ast.Call, target, body, loop) -> None:
        if any(isinstance(a, ast.Starred) for a in it.args):
            code, ty = self.expr(it)
            self.iterate(code, ty, target, body, loop, it)
            return
        if len(it.args) < 2 or it.keywords:
            raise CompileError(it, "zip() takes two or more iterables")
        if not (isinstance(target, ast.Tuple) and len(target.elts) == len(it.args)):
            raise CompileError(target, f"write for a, b in zip(...) with {len(it.args)} names")
        seqs = []
        for a in it.args:
            c, t = self.expr(a)
            lst, lt = self.as_list(c, t, a)
            s = self.fresh("s")
            self.emit(f"List *{s} = {lst};")
            seqs.append((s, lt.args[0]))
        i, n = self.fresh("i"), self.fresh("n")
        self.emit(f"int64_t {n} = {seqs[0][0]}->len;")
        for s, _ in seqs[1:]:
            self.emit(f"if ({s}->len < {n}) {n} = {s}->len;")
        self.emit(f"for (int64_t {i} = 0; {i} < {n}; {i}++) {{")
        self.ind += 1
        for (s, et), tgt in zip(seqs, target.elts, strict=True):
            self.assign(tgt, T.from_val(f"{s}->items[{i}]", et), et)
        self.ind -= 1
        self.loop_body(body, loop)
        self.emit("}")

    def reversed_loop(self, it: ast.Call, target, body, loop) -> None:
        if len(it.args) != 1:
            raise CompileError(it, "reversed() takes one argument")
        arg = it.args[0]
        if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and \
                arg.func.id == "range" and len(arg.args) <= 2:
            start = "0" if len(arg.args) == 1 else self.int_arg(arg.args[0])
            stop = self.int_arg(arg.args[-1])
            i, lo = self.fresh("i"), self.fresh("lo")
            self.emit(f"int64_t {lo} = {start}, {i} = {stop};")
            self.emit(f"while ({i}-- > {lo}) {{")
            self.ind += 1
            self.bind_target(target, i, T.INT)
            self.ind -= 1
            self.loop_body(body, loop)
            self.emit("}")
            return
        c, t = self.expr(arg)
        lst, lt = self.as_list(c, t, arg)
        s, i = self.fresh("s"), self.fresh("i")
        self.emit(f"List *{s} = {lst};")
        self.emit(f"for (int64_t {i} = {s}->len - 1; {i} >= 0; {i}--) {{")
        self.ind += 1
        self.emit(f"if ({i} >= {s}->len) continue;")
        self.bind_target(target, T.from_val(f"{s}->items[{i}]", lt.args[0]), lt.args[0])
        self.ind -= 1
        self.loop_body(body, loop)
        self.emit("}")

    def dict_loop(self, obj: str, ot: Ty, what: str, target, body, loop) -> None:
        kt, vt = ot.args
        d, i = self.fresh("d"), self.fresh("i")
        self.emit(f"Dict *{d} = {obj};")
        self.emit(f"for (int64_t {i} = 0; rt_dict_next({d}, &{i}); {i}++) {{")
        self.ind += 1
        k = T.from_val(f"{d}->entries[{i}].key", kt)
        v = T.from_val(f"{d}->entries[{i}].value", vt)
        if what == "keys":
            self.bind_target(target, k, kt)
        elif what == "values":
            self.bind_target(target, v, vt)
        elif isinstance(target, ast.Tuple) and len(target.elts) == 2:
            self.assign(target.elts[0], k, kt)
            self.assign(target.elts[1], v, vt)
        else:
            tt = T.tuple_of(kt, vt)
            self.bind_target(target, f'rt_tuple_of(2, "{T.kind_digit(kt)}{T.kind_digit(vt)}", '
                                     f'{T.to_val(k, kt)}, {T.to_val(v, vt)})', tt)
        self.ind -= 1
        self.loop_body(body, loop)
        self.emit("}")

    def iter_of(self, code: str, ty: Ty, node: ast.AST) -> tuple[str, Ty]:
        got = self.dunder_call(code, ty, "__iter__", [], node)
        if got is None:
            raise CompileError(node, f"cannot iterate over {ty} (it has no __iter__)")
        if got[1].name == "cls":
            raise CompileError(node, "__iter__ must be a generator (-> Iterator[T]) here")
        return got

    def as_list(self, code: str, ty: Ty, node: ast.AST) -> tuple[str, Ty]:
        """Any iterable as a list (a copy only where it is not one already)."""
        if ty.name == "cls":
            code, ty = self.iter_of(code, ty, node)
        if ty.name == "frozenset":
            ty = Ty("set", ty.args)
        n = ty.name
        if n == "list":
            return code, ty
        if n == "vtuple":
            return f"rt_list_from_tuple({code}, {T.kind(ty.args[0])})", T.list_of(ty.args[0])
        if n == "bytes":
            return f"rt_bytes_list({code})", T.list_of(T.INT)
        if n == "str":
            return f"rt_str_list({code})", T.list_of(T.STR)
        if n == "set" or ty.is_dictlike:
            return f"rt_dict_keys({code})", T.list_of(ty.args[0])
        if n in ("gen", "deque", "tuple"):
            et = ty.args[0] if ty.args else T.INT
            if n == "tuple" and len(set(ty.args)) > 1:
                raise CompileError(node, f"{ty} has items of different types")
            res = self.fresh("l")
            outer_lines, outer_ind = self.lines, self.ind
            self.lines, self.ind = [], 0
            self.emit(f"List *{res} = rt_list_new({T.kind(et)}, 0);")
            loop = self.push_loop()
            var = RawTarget(self.fresh("x"))
            self.iterate(code, ty, var,
                         lambda: self.emit(f"rt_list_append({res}, {T.to_val(var.name, et)});"),
                         loop, node)
            self.loops.pop()
            self.emit(f"{loop.brk}:;")
            body, self.lines, self.ind = self.lines, outer_lines, outer_ind
            return "({ " + " ".join(line.strip() for line in body) + f" {res}; }})", \
                T.list_of(et)
        raise CompileError(node, f"cannot iterate over {ty}")

    def ex_Lambda(self, node: ast.Lambda, hint: Ty | None) -> tuple[str, Ty]:
        from .closures import compile_lambda
        return compile_lambda(self, node, hint)

    def ex_NamedExpr(self, node: ast.NamedExpr, hint: Ty | None) -> tuple[str, Ty]:
        c, t = self.expr(node.value, hint)
        tmp = self.fresh()
        self.emit(f"{T.ctype(t)} {tmp};")
        # evaluate in place: (tmp = value, store, tmp)
        name = node.target.id
        vt = self.var_type(name)
        if vt is None:
            self.declare_local(name, t, node)
            vt = t
        target = self.lookup(name, node)
        assert target is not None
        if name in self.cells or name in self.free:
            raise CompileError(node, "walrus on a captured variable is not supported")
        return f"({target[0]} = {self.coerce(c, t, vt, node)})", vt

    def ex_Yield(self, node: ast.Yield, hint: Ty | None) -> tuple[str, Ty]:
        raise CompileError(node, "yield is supported as a statement only (not as a value)")

    def ex_Starred(self, node: ast.Starred, hint: Ty | None) -> tuple[str, Ty]:
        raise CompileError(node, "*unpacking is not supported here")

    def ex_Await(self, node: ast.Await, hint: Ty | None) -> tuple[str, Ty]:
        raise CompileError(node, "await is not supported")
