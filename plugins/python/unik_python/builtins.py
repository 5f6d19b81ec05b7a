"""The built-in functions (print, len, sorted, …): each takes the FuncGen, the call
node and the type hint, and returns (C code, type)."""

from __future__ import annotations

import ast

from . import types as T
from .errors import CompileError
from .types import Ty


def _args(g, node: ast.Call, lo: int, hi: int, name: str) -> list[tuple[str, Ty]]:
    if not lo <= len(node.args) <= hi:
        raise CompileError(node, f"{name}() takes {lo if lo == hi else f'{lo} to {hi}'} "
                                 f"positional arguments")
    return [g.expr(a) for a in node.args]


def _kw(node: ast.Call, allowed: set[str], name: str) -> dict[str, ast.expr]:
    out = {}
    for kw in node.keywords:
        if kw.arg not in allowed:
            raise CompileError(kw, f"{name}() has no keyword argument {kw.arg} in the subset")
        out[kw.arg] = kw.value
    return out


def bi_input(g, node: ast.Call, hint):
    """input([prompt]): a line of stdin without its newline; EOFError at the end."""
    args = _args(g, node, 0, 1, "input")
    if not args:
        return "rt_input(NULL)", T.STR
    c, t = args[0]
    return f"rt_input({g.to_str(c, t)})", T.STR


def bi_print(g, node: ast.Call, hint):
    kws = _kw(node, {"sep", "end", "file", "flush"}, "print")
    fd = "1"
    if "file" in kws:
        f = ast.unparse(kws["file"])
        full = g.prog.aliases.get(f.split(".")[0], f.split(".")[0])
        target = full + f[len(f.split(".")[0]):]
        if target in ("sys.stderr",):
            fd = "2"
        elif target not in ("sys.stdout",):
            raise CompileError(kws["file"], "print(file=…) accepts sys.stdout or sys.stderr")
    sep = g.unit.string(" ")
    end = g.unit.string("\n")
    if "sep" in kws:
        c, t = g.expr(kws["sep"])
        sep = c if t == T.STR else "S_none" if t == T.NONE else _bad(kws["sep"], "sep", t)
        if t == T.NONE:
            sep = g.unit.string(" ")
    if "end" in kws:
        c, t = g.expr(kws["end"])
        end = c if t == T.STR else g.unit.string("\n") if t == T.NONE else \
            _bad(kws["end"], "end", t)
    parts = []
    if len(node.args) > 1 and "sep" in kws:
        s = g.fresh("sep")
        parts.append(f"Str *{s} = {sep};")
        sep = s
    # every argument is evaluated before any is converted (print(d, d.pop(k)) shows d after)
    vals = []
    for a in node.args:
        c, t = g.expr(a)
        tmp = g.fresh("p")
        parts.append(f"{T.ctype(t) if t != T.NONE else 'Obj *'} {tmp} = {c};")
        vals.append((tmp, t))
    for i, (c, t) in enumerate(vals):
        if i:
            parts.append(f"rt_write({fd}, {sep});")
        parts.append(f"rt_write({fd}, {g.to_str(c, t)});")
    parts.append(f"rt_write({fd}, {end});")
    if "flush" in kws:
        parts.append("rt_flush();")
    return "({ " + " ".join(parts) + " (void)0; })", T.NONE


def _bad(node, what, t):
    raise CompileError(node, f"print {what} must be a str, not {t}")


def bi_len(g, node, hint):
    (c, t), = _args(g, node, 1, 1, "len")
    n = t.name
    if n == "str":
        return f"rt_str_len({c})", T.INT
    if n in ("list", "set", "deque", "bytes", "frozenset") or t.is_dictlike:
        return f"(({c})->len)", T.INT
    if n == "tuple":
        return f"((void)({c}), INT64_C({len(t.args)}))", T.INT
    if n == "vtuple":
        return f"((int64_t)({c})->n)", T.INT
    if n == "cls":
        got = g.dunder_call(c, t, "__len__", [], node)
        if got:
            return got
    raise CompileError(node, f"len() of {t} is not supported")


def bi_range(g, node, hint):
    args = [g.index_arg(a) for a in node.args]
    if not 1 <= len(args) <= 3:
        raise CompileError(node, "range() takes 1 to 3 int arguments")
    if len(args) == 1:
        args = ["0", args[0]]
    if len(args) == 2:
        args.append("1")
    return f"rt_range_list({', '.join(args)})", T.list_of(T.INT)


def _key(g, kws, et: Ty, name: str):
    """key=… as a Closure taking and returning Val, and the key's kind."""
    from .closures import key_adapter
    if "key" not in kws:
        return "NULL", "RK_INT"
    k = kws["key"]
    if isinstance(k, ast.Constant) and k.value is None:
        return "NULL", "RK_INT"
    return key_adapter(g, k, et)


def bi_sorted(g, node, hint):
    kws = _kw(node, {"key", "reverse"}, "sorted")
    (c, t), = _args(g, node, 1, 1, "sorted")
    lst, lt = g.as_list(c, t, node)
    key, kk = _key(g, kws, lt.args[0], "sorted")
    rev = g.cond(kws["reverse"]) if "reverse" in kws else "false"
    tmp = g.fresh("l")
    return (f"({{ List *{tmp} = rt_list_copy({lst}); rt_list_sort({tmp}, {key}, {kk}, {rev}); "
            f"{tmp}; }})", lt)


def _minmax(g, node, hint, which: str):
    kws = _kw(node, {"key", "default"}, which)
    if len(node.args) == 1:
        (c, t), = _args(g, node, 1, 1, which)
        lst, lt = g.as_list(c, t, node)
        et = lt.args[0]
        key, kk = _key(g, kws, et, which)
        ismax = int(which == "max")
        if "default" in kws:
            d, dt = g.expr(kws["default"], et)
            tmp = g.fresh("l")
            got = T.from_val(f'rt_list_minmax({tmp}, {key}, {kk}, {ismax}, "{which}")', et)
            return (f"({{ List *{tmp} = {lst}; {tmp}->len ? {got} : "
                    f"{g.coerce(d, dt, et, node)}; }})", et)
        return (T.from_val(f"rt_list_minmax({lst}, {key}, {kk}, {int(which == 'max')}, "
                           f"\"{which}\")", et), et)
    if len(node.args) < 2:
        raise CompileError(node, f"{which}() needs an iterable or two or more arguments")
    vals = [g.expr(a) for a in node.args]
    tys = {t for _, t in vals}
    if tys <= {T.INT, T.BOOL}:
        et = T.INT
    elif T.FLOAT in tys and tys & {T.INT, T.BOOL}:
        raise CompileError(node, f"{which}() of an int and a float returns either type: "
                                 f"convert the ints with float()")
    elif len(tys) == 1:
        et = vals[0][1]
    else:
        raise CompileError(node, f"{which}() of different types: {', '.join(map(str, tys))}")
    if "key" not in kws and et in (T.INT, T.FLOAT):
        res = g.fresh()
        parts = [f"{T.ctype(et)} {res} = {g.coerce(vals[0][0], vals[0][1], et, node)};"]
        op = "<" if which == "min" else ">"
        for c, t in vals[1:]:
            v = g.fresh()
            better = f"({v} {op} {res})" if et == T.FLOAT else \
                f"rt_int_{'lt' if which == 'min' else 'gt'}({v}, {res})"
            parts.append(f"{T.ctype(et)} {v} = {g.coerce(c, t, et, node)}; "
                         f"if ({better}) {res} = {v};")
        return "({ " + " ".join(parts) + f" {res}; }})", et
    key, kk = _key(g, kws, et, which)
    lst = f"rt_list_of({T.kind(et)}, {len(vals)}, " + ", ".join(
        T.to_val(g.coerce(c, t, et, node), et) for c, t in vals) + ")"
    return (T.from_val(f"rt_list_minmax({lst}, {key}, {kk}, {int(which == 'max')}, "
                       f"\"{which}\")", et), et)


def bi_min(g, node, hint):
    return _minmax(g, node, hint, "min")


def bi_max(g, node, hint):
    return _minmax(g, node, hint, "max")


def bi_sum(g, node, hint):
    _kw(node, set(), "sum")
    if not 1 <= len(node.args) <= 2:
        raise CompileError(node, "sum() takes an iterable and an optional start")
    c, t = g.expr(node.args[0])
    lst, lt = g.as_list(c, t, node)
    et = lt.args[0]
    if et == T.BOOL:
        et_sum = T.INT
    elif et.name == "unknown":
        et_sum = T.INT
    else:
        et_sum = et
    if et_sum not in (T.INT, T.FLOAT):
        raise CompileError(node, f"sum() of {et} is not supported (numbers only)")
    start = "0"
    if len(node.args) == 2:
        sc, st = g.expr(node.args[1])
        if st == T.FLOAT:
            et_sum = T.FLOAT
        start = g.coerce(sc, st, et_sum, node)
    s, i, acc = g.fresh("s"), g.fresh("i"), g.fresh("acc")
    item = T.from_val(f"{s}->items[{i}]", et if et.name != "unknown" else T.INT)
    add = f"{acc} = rt_add({acc}, {item});" if et_sum == T.INT else f"{acc} += {item};"
    return (f"({{ List *{s} = {lst}; {T.ctype(et_sum)} {acc} = {start}; "
            f"for (int64_t {i} = 0; {i} < {s}->len; {i}++) {add} {acc}; }})", et_sum)


def bi_abs(g, node, hint):
    (c, t), = _args(g, node, 1, 1, "abs")
    if t in (T.INT, T.BOOL):
        return f"rt_abs({c})", T.INT
    if t == T.FLOAT:
        return f"fabs({c})", T.FLOAT
    raise CompileError(node, f"abs() of {t}")


def _iter_list(g, node, name):
    (c, t), = _args(g, node, 1, 1, name)
    return g.as_list(c, t, node)


def bi_reversed(g, node, hint):
    lst, lt = _iter_list(g, node, "reversed")
    tmp = g.fresh("l")
    return f"({{ List *{tmp} = rt_list_copy({lst}); rt_list_reverse({tmp}); {tmp}; }})", lt


def bi_list(g, node, hint):
    if not node.args:
        et = hint.args[0] if hint and hint.name == "list" else T.UNKNOWN
        return f"rt_list_new({T.kind(et)}, 0)", T.list_of(et)
    c, t = g.expr(node.args[0], hint)
    lst, lt = g.as_list(c, t, node)
    if lst == c:
        return f"rt_list_copy({c})", lt
    return lst, lt


def bi_set(g, node, hint):
    if not node.args:
        et = hint.args[0] if hint and hint.name == "set" else T.UNKNOWN
        return f"rt_set_new({T.kind(et)})", T.set_of(et)
    lst, lt = _iter_list(g, node, "set")
    et = lt.args[0]
    s, i, r = g.fresh("s"), g.fresh("i"), g.fresh("r")
    return (f"({{ List *{s} = {lst}; Dict *{r} = rt_set_new({T.kind(et)}); "
            f"for (int64_t {i} = 0; {i} < {s}->len; {i}++) rt_set_add({r}, {s}->items[{i}]); "
            f"{r}; }})", T.set_of(et))


def bi_dict(g, node, hint):
    if node.keywords:
        raise CompileError(node, "dict(key=value) is not supported: use a literal")
    if not node.args:
        kt, vt = hint.args if hint and hint.is_dictlike else (T.UNKNOWN, T.UNKNOWN)
        return f"rt_dict_new({T.kind(kt)}, {T.kind(vt)})", T.dict_of(kt, vt)
    c, t = g.expr(node.args[0])
    if t.is_dictlike:
        return f"rt_dict_copy({c})", T.dict_of(*t.args)
    lst, lt = g.as_list(c, t, node)
    et = lt.args[0]
    if et.name != "tuple" or len(et.args) != 2:
        raise CompileError(node, "dict() takes a dict or an iterable of pairs")
    kt, vt = et.args
    s, i, r, p = g.fresh("s"), g.fresh("i"), g.fresh("r"), g.fresh("p")
    return (f"({{ List *{s} = {lst}; Dict *{r} = rt_dict_new({T.kind(kt)}, {T.kind(vt)}); "
            f"for (int64_t {i} = 0; {i} < {s}->len; {i}++) {{ Tuple *{p} = {s}->items[{i}].p; "
            f"rt_dict_set({r}, {p}->items[0], {p}->items[1]); }} {r}; }})", T.dict_of(kt, vt))


def bi_tuple(g, node, hint):
    """tuple(iterable): a tuple[T, ...]."""
    if not node.args:
        et = hint.args[0] if hint and hint.name == "vtuple" else T.UNKNOWN
        return f"rt_vtuple_from_list(rt_list_new({T.kind(et)}, 0))", Ty("vtuple", (et,))
    c, t = g.expr(node.args[0])
    if t.name == "vtuple":
        return c, t
    lst, lt = g.as_list(c, t, node)
    return f"rt_vtuple_from_list({lst})", Ty("vtuple", lt.args)


def bi_enumerate(g, node, hint):
    """enumerate(x[, start]) as a value: a list of (index, item) pairs."""
    start_node = _kw(node, {"start"}, "enumerate").get("start")
    args = _args(g, node, 1, 2 if start_node is None else 1, "enumerate")
    lst, lt = g.as_list(*args[0], node)
    if start_node is not None or len(args) == 2:
        sc, st = args[1] if len(args) == 2 else g.expr(start_node)
        if st != T.INT:
            raise CompileError(node, f"enumerate(): start must be an int, not {st}")
    else:
        sc = "INT64_C(0)"
    et = lt.args[0]
    s, i, r, n = g.fresh("s"), g.fresh("i"), g.fresh("r"), g.fresh("n")
    return (f"({{ List *{s} = {lst}; int64_t {n} = {sc}; List *{r} = rt_list_new(RK_OBJ, 0); "
            f"for (int64_t {i} = 0; {i} < {s}->len; {i}++) rt_list_append({r}, "
            f"rt_vp(rt_tuple_of(2, \"0{T.kind_digit(et)}\", rt_vi(rt_add({n}, {i})), "
            f"{s}->items[{i}]))); {r}; }})", T.list_of(T.tuple_of(T.INT, et)))


def bi_zip(g, node, hint):
    if len(node.args) == 1 and isinstance(node.args[0], ast.Starred):
        return _zip_star(g, node.args[0].value)
    if len(node.args) < 2:
        raise CompileError(node, "zip() takes two or more iterables")
    seqs = []
    for a in node.args:
        c, t = g.expr(a)
        seqs.append(g.as_list(c, t, a))
    names = [g.fresh("s") for _ in seqs]
    n, i, r = g.fresh("n"), g.fresh("i"), g.fresh("r")
    parts = [f"List *{nm} = {c};" for nm, (c, _) in zip(names, seqs, strict=True)]
    parts.append(f"int64_t {n} = {names[0]}->len;")
    parts += [f"if ({nm}->len < {n}) {n} = {nm}->len;" for nm in names[1:]]
    kinds = "".join(T.kind_digit(t.args[0]) for _, t in seqs)
    items = ", ".join(f"{nm}->items[{i}]" for nm in names)
    parts.append(f"List *{r} = rt_list_new(RK_OBJ, 0);")
    parts.append(f"for (int64_t {i} = 0; {i} < {n}; {i}++) rt_list_append({r}, "
                 f"rt_vp(rt_tuple_of({len(names)}, \"{kinds}\", {items})));")
    return "({ " + " ".join(parts) + f" {r}; }})", T.list_of(T.tuple_of(*(t.args[0] for _, t
                                                                          in seqs)))


def _allany(g, node, which):
    lst, lt = _iter_list(g, node, which)
    et = lt.args[0]
    s, i, r = g.fresh("s"), g.fresh("i"), g.fresh("r")
    test = g.truth(T.from_val(f"{s}->items[{i}]", et), et)
    if which == "all":
        body = f"if (!{test}) {{ {r} = false; break; }}"
        init = "true"
    else:
        body = f"if ({test}) {{ {r} = true; break; }}"
        init = "false"
    return (f"({{ List *{s} = {lst}; bool {r} = {init}; "
            f"for (int64_t {i} = 0; {i} < {s}->len; {i}++) {body} {r}; }})", T.BOOL)


def bi_all(g, node, hint):
    return _allany(g, node, "all")


def bi_any(g, node, hint):
    return _allany(g, node, "any")


def bi_map(g, node, hint):
    if len(node.args) != 2:
        raise CompileError(node, "map() takes a function and one iterable here")
    from .closures import function_value
    c, t = g.expr(node.args[1])
    lst, lt = g.as_list(c, t, node)
    et = lt.args[0]
    f, ft = function_value(g, node.args[0], [et])
    ret = ft.args[-1]
    s, i, r = g.fresh("s"), g.fresh("i"), g.fresh("r")
    call = g.closure_call(f, [et], ret, [T.from_val(f"{s}->items[{i}]", et)])
    return (f"({{ List *{s} = {lst}; List *{r} = rt_list_new({T.kind(ret)}, 0); "
            f"for (int64_t {i} = 0; {i} < {s}->len; {i}++) rt_list_append({r}, "
            f"{T.to_val(call, ret)}); {r}; }})", T.list_of(ret))


def bi_filter(g, node, hint):
    if len(node.args) != 2:
        raise CompileError(node, "filter() takes a function and an iterable")
    from .closures import function_value
    c, t = g.expr(node.args[1])
    lst, lt = g.as_list(c, t, node)
    et = lt.args[0]
    s, i, r = g.fresh("s"), g.fresh("i"), g.fresh("r")
    item = T.from_val(f"{s}->items[{i}]", et)
    if isinstance(node.args[0], ast.Constant) and node.args[0].value is None:
        test = g.truth(item, et)
    else:
        f, ft = function_value(g, node.args[0], [et])
        test = g.truth(g.closure_call(f, [et], ft.args[-1], [item]), ft.args[-1])
    return (f"({{ List *{s} = {lst}; List *{r} = rt_list_new({T.kind(et)}, 0); "
            f"for (int64_t {i} = 0; {i} < {s}->len; {i}++) if ({test}) "
            f"rt_list_append({r}, {s}->items[{i}]); {r}; }})", lt)


def bi_isinstance(g, node, hint):
    if len(node.args) != 2:
        raise CompileError(node, "isinstance() takes two arguments")
    c, t = g.expr(node.args[0])
    classes = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
    tests = []
    for cl in classes:
        name = ast.unparse(cl)
        prim = {"int": T.INT, "float": T.FLOAT, "str": T.STR, "bool": T.BOOL}
        if name in prim:
            want = prim[name]
            inner = t.args[0] if t.name == "opt" else t
            ok = inner == want or (want == T.INT and inner == T.BOOL)
            tests.append(("(({c}) != NULL)" if t.name == "opt" else "true") if ok else "false")
            continue
        if name in ("list", "dict", "set", "tuple", "frozenset"):
            inner = t.args[0] if t.name == "opt" else t
            tests.append("true" if inner.name == name else "false")
            continue
        info = g.prog.classes.get(name)
        if info is None:
            raise CompileError(cl, f"isinstance() of {name} is not supported")
        if t.name not in ("cls", "opt"):
            tests.append("false")
            continue
        tests.append(f"rt_isinstance((Obj *)({c}), &{info.type_obj})")
    return "(" + " || ".join(tests) + ")", T.BOOL


def bi_int(g, node, hint):
    if not node.args:
        return "INT64_C(0)", T.INT
    c, t = g.expr(node.args[0])
    if len(node.args) == 2:
        if t != T.STR:
            raise CompileError(node, "int(x, base) needs a str")
        return f"rt_str_to_int({c}, {g.int_arg(node.args[1])})", T.INT
    if t.name == "opt" and t.args[0].is_prim:
        c, t = g.coerce(c, t, t.args[0], node), t.args[0]
    if t in (T.INT, T.BOOL):
        return f"((int64_t)({c}))", T.INT
    if t == T.FLOAT:
        return f"rt_float_to_int({c})", T.INT
    if t == T.STR:
        return f"rt_str_to_int({c}, 10)", T.INT
    raise CompileError(node, f"int() of {t} is not supported")


def bi_float(g, node, hint):
    if not node.args:
        return "0.0", T.FLOAT
    c, t = g.expr(node.args[0])
    if t in (T.INT, T.BOOL, T.FLOAT):
        return f"({'rt_i2f' if t == T.INT else '(double)'}({c}))", T.FLOAT
    if t == T.STR:
        return f"rt_str_to_float({c})", T.FLOAT
    raise CompileError(node, f"float() of {t} is not supported")


def bi_str(g, node, hint):
    if not node.args:
        return g.unit.string(""), T.STR
    (c, t), = _args(g, node, 1, 1, "str")
    return g.to_str(c, t), T.STR


def bi_repr(g, node, hint):
    (c, t), = _args(g, node, 1, 1, "repr")
    return g.to_repr(c, t), T.STR


def bi_bool(g, node, hint):
    if not node.args:
        return "false", T.BOOL
    (c, t), = _args(g, node, 1, 1, "bool")
    return g.truth(c, t), T.BOOL


def bi_ord(g, node, hint):
    (c, t), = _args(g, node, 1, 1, "ord")
    if t != T.STR:
        raise CompileError(node, f"ord() needs a str, not {t}")
    return f"rt_ord({c})", T.INT


def bi_chr(g, node, hint):
    return f"rt_chr({g.int_arg(node.args[0])})", T.STR


def bi_hex(g, node, hint):
    return f"rt_hex({g.int_arg(node.args[0])}, 16)", T.STR


def bi_oct(g, node, hint):
    return f"rt_hex({g.int_arg(node.args[0])}, 8)", T.STR


def bi_bin(g, node, hint):
    return f"rt_hex({g.int_arg(node.args[0])}, 2)", T.STR


def bi_divmod(g, node, hint):
    (a, at), (b, bt) = _args(g, node, 2, 2, "divmod")
    x, y = g.fresh(), g.fresh()
    if at in (T.INT, T.BOOL) and bt in (T.INT, T.BOOL):
        return (f"({{ int64_t {x} = {a}, {y} = {b}; rt_tuple_of(2, \"00\", "
                f"rt_vi(rt_floordiv({x}, {y})), rt_vi(rt_mod({x}, {y}))); }})",
                T.tuple_of(T.INT, T.INT))
    return (f"({{ double {x} = {a}, {y} = {b}; rt_tuple_of(2, \"11\", "
            f"rt_vf(rt_ffloordiv({x}, {y})), rt_vf(rt_fmod({x}, {y}))); }})",
            T.tuple_of(T.FLOAT, T.FLOAT))


def bi_pow(g, node, hint):
    args = _args(g, node, 2, 3, "pow")
    if len(args) == 3:
        (a, _), (b, _), (m, _) = args
        return f"rt_powmod({a}, {b}, {m})", T.INT
    (a, at), (b, bt) = args
    return g.binop(ast.Pow(), a, at, b, bt, node)


def bi_round(g, node, hint):
    args = _args(g, node, 1, 2, "round")
    c, t = args[0]
    if len(args) == 1:
        if t in (T.INT, T.BOOL):
            return f"((int64_t)({c}))", T.INT
        return f"rt_round_float({c})", T.INT
    nd = g.coerce(args[1][0], args[1][1], T.INT, node)
    if t in (T.INT, T.BOOL):
        return f"rt_round_int_nd({c}, {nd})", T.INT
    return f"rt_round_nd({c}, {nd})", T.FLOAT


def bi_hash(g, node, hint):
    (c, t), = _args(g, node, 1, 1, "hash")
    return f"rt_hash_val({T.to_val(c, t)}, {T.kind(t)})", T.INT


def bi_id(g, node, hint):
    raise CompileError(node, "id() is not supported (addresses differ from CPython's)")




def bi_next(g, node, hint):
    """next(gen[, default]); also of a generator expression (built as a list here)."""
    if not 1 <= len(node.args) <= 2:
        raise CompileError(node, "next() takes one or two arguments")
    c, t = g.expr(node.args[0])
    if t.name == "list":
        et = t.args[0]
        v = g.fresh("l")
        first = T.from_val(f"{v}->items[0]", et)
        if len(node.args) == 1:
            return (f"({{ List *{v} = {c}; if (!{v}->len) rt_raise(rt_exc_new("
                    f"&T_StopIteration, NULL)); {first}; }})"), et
        d = node.args[1]
        if isinstance(d, ast.Constant) and d.value is None:
            rt = T.opt(et)
            return (f"({{ List *{v} = {c}; {v}->len ? {g.coerce(first, et, rt, d)} : "
                    f"{g.coerce('NULL', T.NONE, rt, d)}; }})"), rt
        dc, dt = g.expr(d, et)
        return f"({{ List *{v} = {c}; {v}->len ? {first} : ({g.coerce(dc, dt, et, d)}); }})", et
    if t.name != "gen":
        raise CompileError(node, f"next() of {t} is not supported (generators only)")
    et = t.args[0]
    v = g.fresh("g")
    if len(node.args) == 2:     # next(gen, default): the default when it is exhausted
        d = node.args[1]
        if isinstance(d, ast.Constant) and d.value is None:
            rt = T.opt(et)
            got = g.coerce(T.from_val(f"{v}->value", et), et, rt, d)
            return (f"({{ Gen *{v} = {c}; rt_gen_next({v}) ? {got} : "
                    f"{g.coerce('NULL', T.NONE, rt, d)}; }})"), rt
        dc, dt = g.expr(d, et)
        return (f"({{ Gen *{v} = {c}; rt_gen_next({v}) ? {T.from_val(f'{v}->value', et)} : "
                f"({g.coerce(dc, dt, et, d)}); }})"), et
    return T.from_val(f"rt_gen_next_value({c})", et), et


def bi_iter(g, node, hint):
    raise CompileError(node, "iter() is not supported: call a generator function")


def bi_super(g, node, hint):
    raise CompileError(node, "super() is supported as super().method(...) only")


def bi_exit(g, node, hint):
    raise CompileError(node, "use sys.exit()")


def bi_open(g, node, hint):
    raise CompileError(node, "open(): a unikernel has no file system")


def bi_eval(g, node, hint):
    raise CompileError(node, "eval() needs an interpreter: not supported")


bi_exec = bi_eval


def bi_getattr(g, node, hint):
    raise CompileError(node, "getattr() with a computed name is not supported")


bi_setattr = bi_getattr
bi_hasattr = bi_getattr


def bi_type(g, node, hint):
    raise CompileError(node, "type() is not supported: use isinstance()")



def bi_bytes(g, node, hint):
    """bytes(), bytes(n) (zeros), bytes(list of ints), bytes(s, "utf-8")."""
    if not node.args:
        return "rt_bytes_zeros(0)", T.BYTES
    c, t = g.expr(node.args[0], T.list_of(T.INT))
    if t == T.STR:
        if len(node.args) != 2:
            raise CompileError(node, "bytes(str) needs an encoding: bytes(s, 'utf-8')")
        from .methods import _utf8_only
        _utf8_only(node, node.args, 1, "bytes()")
        return f"rt_str_encode({c})", T.BYTES
    if len(node.args) != 1:
        raise CompileError(node, "bytes() takes one argument here (or a str and 'utf-8')")
    if t in (T.INT, T.BOOL):
        return f"rt_bytes_zeros({c})", T.BYTES
    if t == T.BYTES:
        return c, t
    lst, lt = g.as_list(c, t, node)
    if lt.args[0] not in (T.INT, T.BOOL):
        raise CompileError(node, f"bytes() of {t}: the items must be ints")
    return f"rt_bytes_from_list({lst})", T.BYTES


def bi_bytearray(g, node, hint):
    raise CompileError(node, "bytearray is not supported: build a list[int] and convert it "
                             "with bytes(...)")


def _zip_star(g, rows_node):
    """zip(*rows): the columns of a list of sequences, each a tuple[T, ...]."""
    c, t = g.expr(rows_node)
    lst, lt = g.as_list(c, t, rows_node)
    row_t = lt.args[0]
    if row_t.name not in ("list", "vtuple", "tuple", "str"):
        raise CompileError(rows_node, f"zip(*rows) of {lt}: rows must be lists or tuples")
    et = T.elem(row_t) if row_t.name != "tuple" else row_t.args[0]
    if row_t.name == "tuple" and len(set(row_t.args)) > 1:
        raise CompileError(rows_node, f"zip(*rows) of {lt}: items of different types")
    m, rows, n, j, i, col, r = (g.fresh(x) for x in "mrnjicz")
    row_list, _ = g.as_list(f"(({T.ctype(row_t)}){m}->items[{j}].p)", row_t, rows_node)
    return (f"({{ List *{m} = {lst}; List *{rows} = rt_list_new(RK_OBJ, {m}->len); "
            f"int64_t {n} = {m}->len ? INT64_MAX : 0; "
            f"for (int64_t {j} = 0; {j} < {m}->len; {j}++) {{ List *_rw = {row_list}; "
            f"{rows}->items[{j}] = rt_vp(_rw); if (_rw->len < {n}) {n} = _rw->len; }} "
            f"List *{r} = rt_list_new(RK_OBJ, 0); "
            f"for (int64_t {i} = 0; {i} < {n}; {i}++) {{ "
            f"List *{col} = rt_list_new({T.kind(et)}, {m}->len); "
            f"for (int64_t {j} = 0; {j} < {m}->len; {j}++) {col}->items[{j}] = "
            f"((List *){rows}->items[{j}].p)->items[{i}]; "
            f"rt_list_append({r}, rt_vp(rt_vtuple_from_list({col}))); }} {r}; }})",
            T.list_of(Ty("vtuple", (et,))))


def bi_frozenset(g, node, hint):
    """frozenset() / frozenset(iterable): a set that hashes (dict keys, set items)."""
    h = Ty("set", hint.args) if hint is not None and hint.name == "frozenset" else None
    c, t = bi_set(g, node, h)
    return f"rt_frozen({c})", Ty("frozenset", t.args)
