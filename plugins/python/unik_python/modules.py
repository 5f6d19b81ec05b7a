"""Functions of the supported modules: math, sys, time, random, heapq, bisect,
collections, dataclasses, os (getenv), unik."""

from __future__ import annotations

import ast

from . import types as T
from .errors import CompileError
from .types import Ty

# math functions of one float that map to C's libm (checked for domain errors)
MATH1 = {"sqrt", "sin", "cos", "tan", "asin", "acos", "atan", "exp", "log2", "log10", "sinh",
         "cosh", "tanh", "fabs", "log1p", "expm1", "atanh", "asinh", "acosh", "erf", "erfc",
         "gamma", "lgamma"}


def module_call(g, full: str, node: ast.Call, hint) -> tuple[str, Ty]:
    mod, _, name = full.rpartition(".")
    if mod == "itertools" or full in ("functools.reduce", "functools.partial"):
        from .iterlib import call
        return call(g, name, node, hint)
    args = node.args
    if node.keywords and full not in ("collections.deque", "bisect.bisect_left",
                                      "bisect.bisect_right", "bisect.bisect",
                                      "dataclasses.field", "math.isclose"):
        raise CompileError(node, f"{full}() takes no keyword arguments here")

    def num(i: int) -> str:
        c, t = g.expr(args[i])
        return g.coerce(c, t, T.FLOAT, args[i], promote=True)

    def need(n: int) -> None:
        if len(args) != n:
            raise CompileError(node, f"{full}() takes {n} argument{'s' if n != 1 else ''}")

    if mod == "math":
        if name in MATH1:
            need(1)
            cname = {"gamma": "tgamma"}.get(name, name)
            x = g.fresh()
            return f"({{ double {x} = {num(0)}; rt_math_check({cname}({x}), {x}); }})", T.FLOAT
        if name in ("floor", "ceil", "trunc"):
            need(1)
            c, t = g.expr(args[0])
            if t in (T.INT, T.BOOL):
                return f"((int64_t)({c}))", T.INT
            f = {"floor": "rt_math_floor", "ceil": "rt_math_ceil", "trunc": "rt_float_to_int"}
            return f"{f[name]}({g.coerce(c, t, T.FLOAT, node, promote=True)})", T.INT
        if name == "log":
            if len(args) == 2:
                return f"rt_math_log({num(0)}, {num(1)}, 1)", T.FLOAT
            need(1)
            return f"rt_math_log({num(0)}, 0, 0)", T.FLOAT
        if name in ("pow", "atan2", "hypot", "fmod", "copysign"):
            need(2)
            if name == "fmod":
                return f"fmod({num(0)}, {num(1)})", T.FLOAT
            return f"{name}({num(0)}, {num(1)})", T.FLOAT
        if name in ("isnan", "isinf", "isfinite"):
            need(1)
            return f"((bool){name}({num(0)}))", T.BOOL
        if name == "gcd":
            need(2)
            return f"rt_math_gcd({g.int_arg(args[0])}, {g.int_arg(args[1])})", T.INT
        if name == "lcm":
            need(2)
            a, b = g.fresh(), g.fresh()
            return (f"({{ int64_t {a} = {g.int_arg(args[0])}, {b} = {g.int_arg(args[1])}; "
                    f"({a} == 0 || {b} == 0) ? 0 : rt_abs(rt_mul({a} / rt_math_gcd({a}, {b}), "
                    f"{b})); }})", T.INT)
        if name == "factorial":
            need(1)
            return f"rt_math_factorial({g.int_arg(args[0])})", T.INT
        if name == "isqrt":
            need(1)
            return f"rt_math_isqrt({g.int_arg(args[0])})", T.INT
        if name in ("degrees", "radians"):
            need(1)
            f = "* (180.0 / M_PI)" if name == "degrees" else "* (M_PI / 180.0)"
            return f"(({num(0)}) {f})", T.FLOAT
        if name == "isclose":
            need(2)
            a, b = g.fresh(), g.fresh()
            tol = {"rel_tol": "1e-09", "abs_tol": "0.0"}
            for kw in node.keywords:
                if kw.arg not in tol:
                    raise CompileError(kw, f"math.isclose() has no argument {kw.arg}")
                c, t = g.expr(kw.value)
                tol[kw.arg] = g.coerce(c, t, T.FLOAT, kw.value, promote=True)
            return (f"({{ double {a} = {num(0)}, {b} = {num(1)}; {a} == {b} || fabs({a} - {b}) "
                    f"<= fmax({tol['rel_tol']} * fmax(fabs({a}), fabs({b})), "
                    f"{tol['abs_tol']}); }})", T.BOOL)
        if name == "comb" or name == "perm":
            need(2)
            n, k, r, i = g.fresh(), g.fresh(), g.fresh(), g.fresh()
            if name == "comb":
                body = (f"if ({k} > {n} - {k}) {k} = {n} - {k}; for (int64_t {i} = 1; {i} <= {k}; "
                        f"{i}++) {r} = rt_mul({r}, {n} - {k} + {i}) / {i};")
            else:
                body = f"for (int64_t {i} = 0; {i} < {k}; {i}++) {r} = rt_mul({r}, {n} - {i});"
            return (f"({{ int64_t {n} = {g.int_arg(args[0])}, {k} = {g.int_arg(args[1])}, "
                    f"{r} = 1; if ({k} < 0 || {n} < 0) rt_raise_new(&T_ValueError, "
                    f"\"must be non-negative\"); if ({k} > {n}) {r} = 0; "
                    f"else {{ {body} }} {r}; }})",
                    T.INT)
        if name == "prod":
            need(1)
            c, t = g.expr(args[0])
            lst, lt = g.as_list(c, t, node)
            et = lt.args[0]
            s, i, r = g.fresh("s"), g.fresh("i"), g.fresh("r")
            if et == T.FLOAT:
                return (f"({{ List *{s} = {lst}; double {r} = 1; for (int64_t {i} = 0; "
                        f"{i} < {s}->len; {i}++) {r} *= {s}->items[{i}].f; {r}; }})", T.FLOAT)
            return (f"({{ List *{s} = {lst}; int64_t {r} = 1; for (int64_t {i} = 0; "
                    f"{i} < {s}->len; {i}++) {r} = rt_mul({r}, {s}->items[{i}].i); {r}; }})",
                    T.INT)
        if name == "fsum":
            from .builtins import bi_sum
            c, t = bi_sum(g, node, hint)
            return g.coerce(c, t, T.FLOAT, node, promote=True), T.FLOAT
    if mod == "sys":
        if name == "exit":
            # SystemExit, as in CPython: finally clauses run, `except Exception` does not stop it
            if not args:
                return "rt_sys_exit(NULL)", T.NONE
            c, t = g.expr(args[0])
            if t in (T.INT, T.BOOL):
                return f"rt_sys_exit(rt_box(rt_vi({c}), RK_INT))", T.NONE
            if t == T.NONE:
                return "rt_sys_exit(NULL)", T.NONE
            if t == T.STR:
                return f"rt_sys_exit((Obj *)({c}))", T.NONE
            raise CompileError(node, f"sys.exit() takes an int or a str, not {t}")
        if name == "getrecursionlimit":
            return "INT64_C(1000)", T.INT
        if name == "setrecursionlimit":
            c, _ = g.expr(args[0])
            return f"((void)({c}))", T.NONE
    if mod == "os":
        if name == "getenv":        # os.environ.get(key[, default])
            from .methods import _d_get
            return _d_get(g, "rt_environ", T.dict_of(T.STR, T.STR), node, hint)
    if mod == "time":
        if name in ("monotonic", "perf_counter", "process_time"):
            need(0)
            return "rt_time_monotonic()", T.FLOAT
        if name in ("monotonic_ns", "perf_counter_ns", "time_ns"):
            need(0)
            return "rt_time_ns()", T.INT
        if name == "time":
            need(0)
            return "rt_time_time()", T.FLOAT
        if name == "sleep":
            need(1)
            return f"rt_time_sleep({num(0)})", T.NONE
    if mod == "random":
        if name == "Random":        # a generator of its own (random.c)
            if len(args) > 1 or node.keywords:
                raise CompileError(node, "random.Random() takes one seed")
            if not args:
                return "rt_rng_new(0, false)", Ty("rng")
            return f"rt_rng_new({g.int_arg(args[0])}, true)", Ty("rng")
        if name == "seed":
            need(1)
            return f"rt_random_seed({g.int_arg(args[0])})", T.NONE
        if name == "random":
            need(0)
            return "rt_random_random()", T.FLOAT
        if name == "randint":
            need(2)
            return f"rt_random_randint({g.int_arg(args[0])}, {g.int_arg(args[1])})", T.INT
        if name == "randrange":
            a = [g.int_arg(x) for x in args]
            if len(a) == 1:
                a = ["0", a[0]]
            if len(a) == 2:
                a.append("1")
            return f"rt_random_randrange({', '.join(a)})", T.INT
        if name == "uniform":
            need(2)
            return f"rt_random_uniform({num(0)}, {num(1)})", T.FLOAT
        if name in ("shuffle", "choice"):
            need(1)
            c, t = g.expr(args[0])
            if t.name != "list":
                raise CompileError(node, f"random.{name}() takes a list")
            if name == "shuffle":
                return f"rt_random_shuffle({c})", T.NONE
            return T.from_val(f"rt_random_choice({c})", t.args[0]), t.args[0]
    if mod == "heapq":
        if name in ("heappush", "heappushpop", "heapreplace"):
            need(2)
            h, ht = g.expr(args[0])
            if ht.name != "list":
                raise CompileError(node, f"heapq.{name}() takes a list")
            et = ht.args[0]
            c, t = g.expr(args[1], et)
            v = T.to_val(g.coerce(c, t, et, node), et)
            if name == "heappush":
                return f"rt_heap_push({h}, {v})", T.NONE
            f = "rt_heap_pushpop" if name == "heappushpop" else "rt_heap_replace"
            return T.from_val(f"{f}({h}, {v})", et), et
        if name in ("heappop", "heapify"):
            need(1)
            h, ht = g.expr(args[0])
            if ht.name != "list":
                raise CompileError(node, f"heapq.{name}() takes a list")
            if name == "heapify":
                return f"rt_heapify({h})", T.NONE
            return T.from_val(f"rt_heap_pop({h})", ht.args[0]), ht.args[0]
        if name in ("nsmallest", "nlargest"):
            need(2)
            n = g.int_arg(args[0])
            c, t = g.expr(args[1])
            lst, lt = g.as_list(c, t, node)
            tmp, k = g.fresh("l"), g.fresh()
            rev = "true" if name == "nlargest" else "false"
            return (f"({{ List *{tmp} = rt_list_copy({lst}); rt_list_sort({tmp}, NULL, 0, {rev}); "
                    f"int64_t {k} = {n}; if ({k} < 0) {k} = 0; "
                    f"if ({k} < {tmp}->len) {tmp}->len = {k}; "
                    f"{tmp}; }})", lt)
    if mod == "bisect":
        if name in ("bisect_left", "bisect_right", "bisect", "insort", "insort_left",
                    "insort_right"):
            if len(args) < 2:
                raise CompileError(node, f"bisect.{name}() takes a list and a value")
            lc, lt = g.expr(args[0])
            if lt.name != "list":
                raise CompileError(node, f"bisect.{name}() takes a list")
            et = lt.args[0]
            c, t = g.expr(args[1], et)
            v = T.to_val(g.coerce(c, t, et, node), et)
            right = "false" if name.endswith("left") else "true"
            if name.startswith("insort"):
                return f"rt_insort({lc}, {v}, {right})", T.NONE
            lo = g.int_arg(args[2]) if len(args) > 2 else "0"
            hi = g.int_arg(args[3]) if len(args) > 3 else "-1"
            for kw in node.keywords:
                if kw.arg == "lo":
                    lo = g.int_arg(kw.value)
                elif kw.arg == "hi":
                    hi = g.int_arg(kw.value)
                else:
                    raise CompileError(kw, f"bisect has no argument {kw.arg} here")
            return f"rt_bisect({lc}, {v}, {right}, {lo}, {hi})", T.INT
    if mod == "collections":
        if name == "deque":
            et = hint.args[0] if hint and hint.name == "deque" else None
            init = "NULL"
            if args:
                c, t = g.expr(args[0], T.list_of(et) if et else None)
                lst, lt = g.as_list(c, t, node)
                if et is None:
                    et = lt.args[0]
                init = lst
            maxlen = "-1"
            for kw in node.keywords:
                if kw.arg == "maxlen":
                    maxlen = g.int_arg(kw.value)
                else:
                    raise CompileError(kw, f"deque() has no argument {kw.arg}")
            if et is None:
                raise CompileError(node, "annotate the deque's type: q: deque[int] = deque()")
            return f"rt_deque_new({T.kind(et)}, {init}, {maxlen})", Ty("deque", (et,))
        if name == "defaultdict":
            if hint is None or hint.name != "defaultdict":
                raise CompileError(node, "annotate the defaultdict's type: "
                                         "d: defaultdict[str, int] = defaultdict(int)")
            if len(args) != 1:
                raise CompileError(node, "defaultdict() takes a factory (int, list, …)")
            kt, vt = hint.args
            fac = ast.unparse(args[0])
            ok = {"int": "int", "float": "float", "str": "str", "list": "list", "set": "set",
                  "dict": "dict", "bool": "bool"}.get(fac)
            if ok != vt.name and not (fac == "lambda: 0" and vt == T.INT):
                raise CompileError(args[0], f"defaultdict({fac}) does not make {vt} values "
                                            f"(supported factories: int, float, str, list, "
                                            f"set, dict)")
            return f"rt_dict_new({T.kind(kt)}, {T.kind(vt)})", hint
        if name == "Counter":
            if not args:
                kt = hint.args[0] if hint and hint.name == "counter" else None
                if kt is None:
                    raise CompileError(node, "annotate the Counter's type: c: Counter[str] = "
                                             "Counter()")
                return f"rt_dict_new({T.kind(kt)}, RK_INT)", Ty("counter", (kt, T.INT))
            c, t = g.expr(args[0])
            lst, lt = g.as_list(c, t, node)
            kt = lt.args[0]
            g.prog.check_key(node, kt)
            s, i, d, v, k = g.fresh("s"), g.fresh("i"), g.fresh("d"), g.fresh("v"), g.fresh("k")
            return (f"({{ List *{s} = {lst}; Dict *{d} = rt_dict_new({T.kind(kt)}, RK_INT); "
                    f"for (int64_t {i} = 0; {i} < {s}->len; {i}++) {{ Val {k} = {s}->items[{i}], "
                    f"{v}; if (!rt_dict_get_opt({d}, {k}, &{v})) {v} = rt_vi(0); "
                    f"rt_dict_set({d}, {k}, rt_vi({v}.i + 1)); }} {d}; }})",
                    Ty("counter", (kt, T.INT)))
    if mod == "unik":
        if name == "log":
            need(1)
            c, t = g.expr(args[0])
            return f"(rt_write(1, {g.to_str(c, t)}), rt_write_c(1, \"\\n\", 1))", T.NONE
        if name == "now_ns":
            return "rt_time_ns()", T.INT
        if name == "sleep":
            need(1)
            return f"rt_time_sleep({num(0)})", T.NONE
    if full == "dataclasses.field":
        raise CompileError(node, "field() is only allowed as a dataclass field's default")
    raise CompileError(node, f"{full}() is not supported in the subset")
