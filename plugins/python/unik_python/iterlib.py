"""itertools and functools.reduce: each call builds its result list eagerly (as map and
filter do used as values), except itertools.count() and repeat(x) without a count, which
only make sense lazily: `for i in count(…)`, `for x in repeat(x)` and islice(count(…), n)
are compiled as the loops they mean (exprs.for_loop)."""

from __future__ import annotations

import ast

from . import types as T
from .errors import CompileError
from .types import Ty


def itertools_name(g, node: ast.expr) -> str | None:
    """'count' for count(…) / itertools.count(…) (imported from itertools), else None."""
    if not isinstance(node, ast.Call):
        return None
    f = node.func
    full = None
    if isinstance(f, ast.Name) and g.lookup(f.id, f) is None:
        full = g.prog.aliases.get(f.id)
    elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and \
            g.lookup(f.value.id, f) is None and g.prog.aliases.get(f.value.id):
        full = f"{g.prog.aliases[f.value.id]}.{f.attr}"
    if full and full.startswith("itertools."):
        return full.removeprefix("itertools.")
    return None


def count_args(g, node: ast.Call) -> tuple[str, str]:
    args = list(node.args)
    for kw in node.keywords:
        if kw.arg == "start" and not args:
            args.append(kw.value)
        elif kw.arg == "step":
            args += [ast.Constant(0)] if not args else []
            args.append(kw.value)
        else:
            raise CompileError(kw, f"count() has no argument {kw.arg} here")
    if len(args) > 2:
        raise CompileError(node, "count() takes a start and a step")
    start = g.int_arg(args[0]) if args else "0"
    step = g.int_arg(args[1]) if len(args) > 1 else "1"
    return start, step


def call(g, name: str, node: ast.Call, hint) -> tuple[str, Ty]:
    from .closures import function_value
    args = node.args
    kws = {kw.arg: kw.value for kw in node.keywords}

    def seq(a: ast.expr) -> tuple[str, Ty]:
        c, t = g.expr(a)
        return g.as_list(c, t, a)

    def need(lo: int, hi: int, allowed: tuple[str, ...] = ()) -> None:
        if not lo <= len(args) <= hi or any(k not in allowed for k in kws):
            raise CompileError(node, f"{name}() takes {lo}..{hi} arguments here"
                                     + (f" (keywords: {', '.join(allowed)})" if allowed else ""))

    s, i, r = g.fresh("s"), g.fresh("i"), g.fresh("r")
    if name == "partial":
        return partial(g, node)
    if name == "reduce":
        need(2, 3)
        lst, lt = seq(args[1])
        et = lt.args[0]
        if len(args) == 3:
            ic, acc_t = g.expr(args[2])
        else:
            ic, acc_t = None, et
        f, ft = function_value(g, args[0], [acc_t, et])
        ret = ft.args[-1]
        if ret != acc_t:
            raise CompileError(args[0], f"reduce(): the function returns {ret}, the "
                                        f"accumulated value is {acc_t}")
        item = T.from_val(f"{s}->items[{i}]", et)
        call_ = g.closure_call(f, [acc_t, et], ret, [r, item])
        if ic is None:
            first = (f"if (!{s}->len) rt_raise_new(&T_TypeError, \"reduce() of empty "
                     f"iterable with no initial value\"); "
                     f"{r} = {T.from_val(f'{s}->items[0]', et)}; "
                     f"{i} = 1;")
        else:
            first = f"{r} = {ic};"
        return (f"({{ List *{s} = {lst}; {T.ctype(acc_t)} {r}; int64_t {i} = 0; {first} "
                f"for (; {i} < {s}->len; {i}++) {r} = {call_}; {r}; }})", acc_t)
    if name == "chain":
        need(0, 99)
        parts = [seq(a) for a in args]
        if not parts:
            raise CompileError(node, "chain() of nothing: write []")
        et = parts[0][1].args[0]
        for (_, t), a in zip(parts, args, strict=True):
            if t.args[0] != et:
                raise CompileError(a, f"chain(): items of {t.args[0]}, the first are {et}")
        adds = " ".join(f"rt_list_extend({r}, (Obj *)({c}));" for c, _ in parts)
        return f"({{ List *{r} = rt_list_new({T.kind(et)}, 0); {adds} {r}; }})", T.list_of(et)
    if name == "repeat":
        need(2, 2)
        c, t = g.expr(args[0])
        n = g.int_arg(args[1])
        return (f"({{ {T.ctype(t)} {s} = {c}; List *{r} = rt_list_new({T.kind(t)}, 0); "
                f"for (int64_t {i} = {n}; {i} > 0; {i}--) rt_list_append({r}, "
                f"{T.to_val(s, t)}); {r}; }})", T.list_of(t))
    if name == "islice":
        need(2, 4)
        nums = [None if isinstance(a, ast.Constant) and a.value is None else g.int_arg(a)
                for a in args[1:]]
        start, stop, step = ("0", nums[0], "1") if len(nums) == 1 else \
            (nums[0] or "0", nums[1], (nums[2] if len(nums) == 3 and nums[2] else "1"))
        if stop is None:
            stop = "INT64_MAX"
        src = args[0]
        if itertools_name(g, src) == "count":     # islice(count(a, d), n): a range
            a, d = count_args(g, src)
            return (f"({{ List *{r} = rt_list_new(RK_INT, 0); int64_t {s} = {start}; "
                    f"int64_t {i} = rt_add({a}, rt_mul({s}, {d})); for (; {s} < {stop}; "
                    f"{s} += {step}) {{ rt_list_append({r}, rt_vi({i})); {i} = rt_add({i}, "
                    f"rt_mul({step}, {d})); }} {r}; }})", T.list_of(T.INT))
        c, t = g.expr(src)
        k = g.fresh("k")
        if t.name == "gen":     # lazily: an infinite generator is fine
            et = t.args[0]
            return (f"({{ Gen *{s} = {c}; List *{r} = rt_list_new({T.kind(et)}, 0); "
                    f"int64_t {k} = {start}, {i} = 0; if ({step} < 1 || {k} < 0) "
                    f"rt_raise_new(&T_ValueError, \"Indices for islice() must be None or an "
                    f"integer: 0 <= x <= sys.maxsize.\"); while ({i} < {stop} && "
                    f"rt_gen_next({s})) {{ if ({i} == {k}) {{ rt_list_append({r}, {s}->value); "
                    f"{k} += {step}; }} {i}++; }} {r}; }})", T.list_of(et))
        lst, lt = g.as_list(c, t, src)
        return (f"({{ List *{s} = {lst}; List *{r} = rt_list_new({s}->kind, 0); "
                f"int64_t {k} = {start}, {i} = {stop}; if ({step} < 1 || {k} < 0) "
                f"rt_raise_new(&T_ValueError, \"Indices for islice() must be None or an "
                f"integer: 0 <= x <= sys.maxsize.\"); if ({i} > {s}->len) {i} = {s}->len; "
                f"for (; {k} < {i}; {k} += {step}) rt_list_append({r}, {s}->items[{k}]); "
                f"{r}; }})", lt)
    if name in ("permutations", "combinations", "combinations_with_replacement"):
        need(1 if name == "permutations" else 2, 2, ("r",))
        lst, lt = seq(args[0])
        et = lt.args[0]
        rn = args[1] if len(args) > 1 else kws.get("r")
        if rn is None:
            n = "-1"
            ty = Ty("vtuple", (et,))
        else:
            n = g.int_arg(rn)
            ty = T.tuple_of(*([et] * rn.value)) if isinstance(rn, ast.Constant) and \
                isinstance(rn.value, int) and 0 <= rn.value <= 16 else Ty("vtuple", (et,))
        mode = {"permutations": 0, "combinations": 1, "combinations_with_replacement": 2}[name]
        return f"rt_it_choose({lst}, {n}, {mode})", T.list_of(ty)
    if name == "product":
        need(1, 99, ("repeat",))
        parts = [seq(a) for a in args]
        rep = kws.get("repeat")
        times = 1
        if rep is not None:
            if not (isinstance(rep, ast.Constant) and isinstance(rep.value, int) and
                    1 <= rep.value <= 16):
                raise CompileError(rep, "product(repeat=n) takes a literal n (1..16) here")
            times = rep.value
        parts = parts * times
        if len(parts) > 64:
            raise CompileError(node, "product() of more than 64 iterables")
        tys = [t.args[0] for _, t in parts]
        lists = ", ".join(c for c, _ in parts)
        kinds = "".join(T.kind_digit(t) for t in tys)
        return (f"rt_it_product({len(parts)}, \"{kinds}\", (List *[]){{{lists}}})",
                T.list_of(T.tuple_of(*tys)))
    if name == "accumulate":
        need(1, 2, ("initial", "func"))
        lst, lt = seq(args[0])
        et = lt.args[0]
        fn = args[1] if len(args) > 1 else kws.get("func")
        init = kws.get("initial")
        acc_t = et
        ic = None
        if init is not None:
            ic, it = g.expr(init, et)
            ic = g.coerce(ic, it, et, init)
        item = T.from_val(f"{s}->items[{i}]", et)
        if fn is None:
            if et not in (T.INT, T.FLOAT):
                raise CompileError(node, f"accumulate() of {et}: give it a function")
            step = f"rt_add({r}, {item})" if et == T.INT else f"({r} + {item})"
        else:
            f, ft = function_value(g, fn, [acc_t, et])
            if ft.args[-1] != acc_t:
                raise CompileError(fn, f"accumulate(): the function returns {ft.args[-1]}, "
                                       f"the items are {et}")
            step = g.closure_call(f, [acc_t, et], acc_t, [r, item])
        out = g.fresh("o")
        first = (f"{r} = {ic}; rt_list_append({out}, {T.to_val(r, et)});" if ic is not None else
                 f"if ({s}->len) {{ {r} = {T.from_val(f'{s}->items[0]', et)}; "
                 f"rt_list_append({out}, {T.to_val(r, et)}); }} {i} = 1;")
        return (f"({{ List *{s} = {lst}; List *{out} = rt_list_new({T.kind(et)}, 0); "
                f"{T.ctype(et)} {r}; int64_t {i} = 0; {first} for (; {i} < {s}->len; {i}++) "
                f"{{ {r} = {step}; rt_list_append({out}, {T.to_val(r, et)}); }} {out}; }})",
                T.list_of(et))
    if name == "zip_longest":
        need(1, 16, ("fillvalue",))
        fill = kws.get("fillvalue")
        if fill is None:
            raise CompileError(node, "zip_longest() needs a fillvalue= here (its None would "
                                     "make every item Optional)")
        parts = [seq(a) for a in args]
        tys = [t.args[0] for _, t in parts]
        fc, ft = g.expr(fill, tys[0])
        for t, a in zip(tys, args, strict=True):
            if t != ft:
                raise CompileError(a, f"zip_longest(): items of {t}, the fillvalue is {ft}")
        fv, n_ = g.fresh("fv"), g.fresh("n")
        decl = " ".join(f"List *{s}{j} = {c};" for j, (c, _) in enumerate(parts))
        longest = " ".join(f"if ({s}{j}->len > {n_}) {n_} = {s}{j}->len;"
                           for j in range(len(parts)))
        items = ", ".join(f"{i} < {s}{j}->len ? {s}{j}->items[{i}] : {fv}"
                          for j in range(len(parts)))
        kinds = T.kind_digit(ft) * len(parts)
        return (f"({{ {decl} Val {fv} = {T.to_val(fc, ft)}; int64_t {n_} = 0; {longest} "
                f"List *{r} = rt_list_new(RK_OBJ, 0); for (int64_t {i} = 0; {i} < {n_}; "
                f"{i}++) rt_list_append({r}, rt_vp(rt_tuple_of({len(parts)}, \"{kinds}\", "
                f"{items}))); {r}; }})", T.list_of(T.tuple_of(*tys)))
    if name == "pairwise":
        need(1, 1)
        lst, lt = seq(args[0])
        et = lt.args[0]
        kd = T.kind_digit(et) * 2
        return (f"({{ List *{s} = {lst}; List *{r} = rt_list_new(RK_OBJ, 0); for (int64_t {i} "
                f"= 1; {i} < {s}->len; {i}++) rt_list_append({r}, rt_vp(rt_tuple_of(2, "
                f"\"{kd}\", {s}->items[{i} - 1], {s}->items[{i}]))); {r}; }})",
                T.list_of(T.tuple_of(et, et)))
    if name in ("takewhile", "dropwhile"):
        need(2, 2)
        lst, lt = seq(args[1])
        et = lt.args[0]
        f, ft = function_value(g, args[0], [et])
        test = g.truth(g.closure_call(f, [et], ft.args[-1], [T.from_val(f"{s}->items[{i}]", et)]),
                       ft.args[-1])
        if name == "takewhile":
            loop = (f"for (; {i} < {s}->len && ({test}); {i}++) "
                    f"rt_list_append({r}, {s}->items[{i}]);")
        else:
            loop = (f"while ({i} < {s}->len && ({test})) {i}++; for (; {i} < {s}->len; {i}++) "
                    f"rt_list_append({r}, {s}->items[{i}]);")
        return (f"({{ List *{s} = {lst}; List *{r} = rt_list_new({T.kind(et)}, 0); "
                f"int64_t {i} = 0; {loop} {r}; }})", lt)
    if name == "groupby":
        need(1, 2, ("key",))
        lst, lt = seq(args[0])
        et = lt.args[0]
        fn = args[1] if len(args) > 1 else kws.get("key")
        item = T.from_val(f"{s}->items[{i}]", et)
        if fn is None:
            kt, key = et, item
        else:
            f, ft = function_value(g, fn, [et])
            kt = ft.args[-1]
            key = g.closure_call(f, [et], kt, [item])
        cur, grp, k = g.fresh("c"), g.fresh("gr"), g.fresh("k")
        same = f"rt_eq_val({T.to_val(k, kt)}, {T.to_val(cur, kt)}, {T.kind(kt)})"
        kd = T.kind_digit(kt) + T.kind_digit(T.list_of(et))
        return (f"({{ List *{s} = {lst}; List *{r} = rt_list_new(RK_OBJ, 0); "
                f"{T.ctype(kt)} {cur} = 0; List *{grp} = NULL; "
                f"for (int64_t {i} = 0; {i} < {s}->len; {i}++) {{ {T.ctype(kt)} {k} = {key}; "
                f"if (!{grp} || !({same})) {{ {grp} = rt_list_new({T.kind(et)}, 0); {cur} = {k}; "
                f"rt_list_append({r}, rt_vp(rt_tuple_of(2, \"{kd}\", {T.to_val(k, kt)}, "
                f"rt_vp({grp})))); }} rt_list_append({grp}, {s}->items[{i}]); }} {r}; }})",
                T.list_of(T.tuple_of(kt, T.list_of(et))))
    if name in ("count", "cycle") or name == "repeat":
        raise CompileError(node, f"itertools.{name}() is endless: use it in a for loop or "
                                 f"islice()")
    raise CompileError(node, f"itertools.{name}() is not supported (supported: count, repeat, "
                             f"islice, chain, product, permutations, combinations, accumulate, "
                             f"groupby, zip_longest, pairwise, takewhile, dropwhile)")


def partial(g, node: ast.Call) -> tuple[str, Ty]:
    """functools.partial(f, a, k=v) of a module-level function f: the lambda taking
    f's other parameters (`lambda b, c: f(a, b, c, k=v)`), typed by f's signature."""
    from .closures import compile_lambda
    if not node.args or not isinstance(node.args[0], ast.Name) or \
            node.args[0].id not in g.prog.functions or g.lookup(node.args[0].id, node) \
            is not None:
        raise CompileError(node, "partial() takes a module-level function by name here")
    info = g.prog.functions[node.args[0].id]
    if info.star >= 0 or info.dstar >= 0:
        raise CompileError(node, "partial() of a function with *args/**kwargs is not supported")
    given = node.args[1:]
    if any(isinstance(a, ast.Starred) for a in given) or \
            any(kw.arg is None for kw in node.keywords):
        raise CompileError(node, "partial(f, *xs) / partial(f, **d) is not supported")
    if len(given) > len(info.params):
        raise CompileError(node, f"partial(): {info.name}() takes {len(info.params)} arguments")
    bound = {kw.arg for kw in node.keywords}
    # the parameters left, but those with defaults (a lambda has none: they keep theirs)
    rest = [(n, t) for k, (n, t) in enumerate(info.params) if k >= len(given) and
            n not in bound and not (k < len(info.defaults) and info.defaults[k] is not None)]
    names = [f"_p{k}" for k in range(len(rest))]
    lam = ast.Lambda(
        args=ast.arguments(posonlyargs=[], args=[ast.arg(arg=x) for x in names], vararg=None,
                           kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
        body=ast.Call(func=ast.Name(info.name, ast.Load()),
                      args=[*given, *[ast.Name(x, ast.Load()) for x in names]],
                      keywords=list(node.keywords)))
    for x in ast.walk(lam):
        if not hasattr(x, "lineno"):
            ast.copy_location(x, node)
    return compile_lambda(g, lam, None, [t for _, t in rest])
