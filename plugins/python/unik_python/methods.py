"""Methods of the built-in types: str, bytes, list, dict (and defaultdict, Counter), set,
deque."""

from __future__ import annotations

import ast

from . import types as T
from .errors import CompileError
from .types import Ty


def builtin_method(g, obj: str, ot: Ty, name: str, node: ast.Call, hint) -> tuple[str, Ty]:
    n = ot.name
    if n == "str" and name == "format" and isinstance(node.func, ast.Attribute) and \
            isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str):
        return literal_format(g, node.func.value.value, node)
    table = {"str": STR_METHODS, "list": LIST_METHODS, "set": SET_METHODS,
             "deque": DEQUE_METHODS, "bytes": BYTES_METHODS, "int": INT_METHODS}.get(n)
    if ot.is_dictlike:
        table = DICT_METHODS
    if n == "frozenset":        # the methods that do not change the set; results frozen
        if name not in FROZEN_METHODS:
            raise CompileError(node, f"frozenset has no method {name} (it cannot change)")
        o = g.fresh("o")
        code, ty = SET_METHODS[name](g, o, Ty("set", ot.args), node, hint)
        if ty.name == "set":
            code, ty = f"rt_frozen({code})", ot
        return f"({{ {T.ctype(ot)} {o} = {obj}; {code}; }})", ty
    if table is None or name not in table:
        raise CompileError(node, f"{ot} has no method {name} in the subset")
    o = g.fresh("o")
    code, ty = table[name](g, o, ot, node, hint)
    return f"({{ {T.ctype(ot)} {o} = {obj}; {code}; }})", ty


def _a(g, node: ast.Call, lo: int, hi: int, name: str, hints=()) -> list[tuple[str, Ty]]:
    if node.keywords and name not in ("sort", "split", "pop", "get"):
        raise CompileError(node, f"{name}() takes no keyword arguments here")
    if not lo <= len(node.args) <= hi:
        raise CompileError(node, f"{name}() takes {lo if lo == hi else f'{lo} to {hi}'} "
                                 f"arguments")
    out = []
    for i, a in enumerate(node.args):
        out.append(g.expr(a, hints[i] if i < len(hints) else None))
    return out


def _str(g, node, args, i, default="NULL"):
    if len(args) <= i:
        return default
    c, t = args[i]
    if t == T.NONE:
        return "NULL"
    if t != T.STR:
        raise CompileError(node, f"expected a str argument, got {t}")
    return c


def _int(g, node, args, i, default):
    if len(args) <= i:
        return default
    c, t = args[i]
    return g.coerce(c, t, T.INT, node)


# ---- str ----
def _s_simple(fn):
    def m(g, o, ot, node, hint):
        _a(g, node, 0, 0, fn)
        return f"rt_str_{fn}({o})", T.STR
    return m


def _s_strip(which):
    def m(g, o, ot, node, hint):
        args = _a(g, node, 0, 1, "strip")
        return f"rt_str_strip({o}, {_str(g, node, args, 0)}, {which})", T.STR
    return m


def _s_split(g, o, ot, node, hint, fn="split"):
    args = _a(g, node, 0, 2, fn)
    sep = _str(g, node, args, 0)
    mx = _int(g, node, args, 1, "-1")
    for kw in node.keywords:
        c, t = g.expr(kw.value)
        if kw.arg == "sep":
            sep = c if t == T.STR else "NULL"
        elif kw.arg == "maxsplit":
            mx = g.coerce(c, t, T.INT, kw)
        else:
            raise CompileError(kw, f"{fn}() has no argument {kw.arg}")
    return f"rt_str_{fn}({o}, {sep}, {mx})", T.list_of(T.STR)


def _s_join(g, o, ot, node, hint):
    (c, t), = _a(g, node, 1, 1, "join", (T.list_of(T.STR),))
    lst, lt = g.as_list(c, t, node)
    if lt.args[0] not in (T.STR, T.UNKNOWN):
        raise CompileError(node, f"join() needs strings, got {lt.args[0]}")
    return f"rt_str_join({o}, {lst})", T.STR


def _s_find(fn):
    def m(g, o, ot, node, hint):
        args = _a(g, node, 1, 2, fn)
        sub = _str(g, node, args, 0)
        if fn == "find":
            return f"rt_str_find({o}, {sub}, {_int(g, node, args, 1, '0')})", T.INT
        if fn == "rfind":
            return f"rt_str_rfind({o}, {sub})", T.INT
        if fn == "index":
            return f"rt_str_index_of({o}, {sub})", T.INT
        return f"rt_str_count({o}, {sub})", T.INT
    return m


def _s_with(fn):
    def m(g, o, ot, node, hint):
        (c, t), = _a(g, node, 1, 1, fn)
        if t.name == "tuple":
            tmp = g.fresh()
            tests = " || ".join(f"rt_str_{fn}({o}, {tmp}->items[{i}].p)"
                                for i in range(len(t.args)))
            return f"({{ Tuple *{tmp} = {c}; {tests}; }})", T.BOOL
        return f"rt_str_{fn}({o}, {_str(g, node, [(c, t)], 0)})", T.BOOL
    return m


def _s_partition(fn):
    def m(g, o, ot, node, hint):
        args = _a(g, node, 1, 1, fn)
        sep = _str(g, node, args, 0)
        p, i = g.fresh("p"), g.fresh("i")
        find = f"rt_str_find({o}, {p}, 0)" if fn == "partition" else f"rt_str_rfind({o}, {p})"
        empty = 'rt_str_c("")'
        miss = f"rt_vp({o}), rt_vp({empty}), rt_vp({empty})" if fn == "partition" else \
            f"rt_vp({empty}), rt_vp({empty}), rt_vp({o})"
        hit = (f"rt_vp(rt_str_slice({o}, 0, {i}, 1, 3)), rt_vp({p}), "
               f"rt_vp(rt_str_slice({o}, {i} + rt_str_len({p}), 0, 1, 1))")
        return (f"({{ Str *{p} = {sep}; if (!{p}->len) rt_raise_new(&T_ValueError, "
                f"\"empty separator\"); int64_t {i} = {find}; {i} < 0 ? "
                f"rt_tuple_of(3, \"333\", {miss}) : rt_tuple_of(3, \"333\", {hit}); }})",
                T.tuple_of(T.STR, T.STR, T.STR))
    return m


def _s_replace(g, o, ot, node, hint):
    args = _a(g, node, 2, 3, "replace")
    return (f"rt_str_replace({o}, {_str(g, node, args, 0)}, {_str(g, node, args, 1)}, "
            f"{_int(g, node, args, 2, '-1')})", T.STR)


def _s_is(which, fn):
    def m(g, o, ot, node, hint):
        _a(g, node, 0, 0, fn)
        return f"rt_str_is({o}, {which})", T.BOOL
    return m


def _s_pad(how, fn):
    def m(g, o, ot, node, hint):
        args = _a(g, node, 1, 2, fn)
        return (f"rt_str_center({o}, {_int(g, node, args, 0, '0')}, "
                f"{_str(g, node, args, 1)}, {how})", T.STR)
    return m


def _s_zfill(g, o, ot, node, hint):
    args = _a(g, node, 1, 1, "zfill")
    return f"rt_str_zfill({o}, {_int(g, node, args, 0, '0')})", T.STR


def _s_splitlines(g, o, ot, node, hint):
    _a(g, node, 0, 0, "splitlines")
    return f"rt_str_splitlines({o})", T.list_of(T.STR)


def _s_format(g, o, ot, node, hint):
    raise CompileError(node, "str.format() needs a literal format string here "
                             "(\"{} {}\".format(a, b)); or use an f-string")


def literal_format(g, fmt: str, node: ast.Call) -> tuple[str, Ty]:
    """"...{}...".format(args): the literal is parsed here, as an f-string would be."""
    import string
    try:
        parts = list(string.Formatter().parse(fmt))
    except ValueError as e:
        raise CompileError(node, f"bad format string: {e}") from None
    args = [g.expr(a) for a in node.args]
    kwargs = {kw.arg: g.expr(kw.value) for kw in node.keywords}
    auto = 0
    b = g.fresh("b")
    out = [f"Buf {b} = {{0}};"]
    for lit, field, spec, conv in parts:
        if lit:
            out.append(f"rt_buf_str(&{b}, {g.unit.string(lit)});")
        if field is None:
            continue
        if field == "":
            idx: int | str = auto
            auto += 1
        elif field.isdigit():
            idx = int(field)
        elif field.isidentifier():
            idx = field
        else:
            raise CompileError(node, f"format field {{{field}}} is not supported (only "
                                     f"{{}}, {{0}} and {{name}})")
        if isinstance(idx, int):
            if idx >= len(args):
                raise CompileError(node, f"format string needs argument {idx}")
            code, ty = args[idx]
        else:
            if idx not in kwargs:
                raise CompileError(node, f"format string needs keyword argument {idx}")
            code, ty = kwargs[idx]
        if spec and "{" in spec:
            raise CompileError(node, "nested {} in a format spec is not supported here")
        fv = ast.FormattedValue(value=ast.Name(id="_", ctx=ast.Load()),
                                conversion=ord(conv) if conv else -1,
                                format_spec=ast.JoinedStr(values=[ast.Constant(spec)])
                                if spec else None)
        out.append(f"rt_buf_str(&{b}, {g.format_value(code, ty, fv)});")
    return "({ " + " ".join(out) + f" rt_buf_done(&{b}); }})", T.STR


def _utf8_only(node, args, i, what):
    """An encoding argument: only UTF-8 (the only encoding inside the guest)."""
    if len(args) > i:
        a = node.args[i]
        if not (isinstance(a, ast.Constant) and isinstance(a.value, str) and
                a.value.lower().replace("_", "-") in ("utf-8", "utf8")):
            raise CompileError(a, f"{what}: only the 'utf-8' encoding is supported")


def _s_encode(g, o, ot, node, hint):
    args = _a(g, node, 0, 1, "encode")
    _utf8_only(node, args, 0, "encode()")
    return f"rt_str_encode({o})", T.BYTES


# ---- bytes ----
def _bytes_arg(node, args, i):
    c, t = args[i]
    if t != T.BYTES:
        raise CompileError(node, f"expected a bytes argument, got {t}")
    return c


def _b_decode(g, o, ot, node, hint):
    args = _a(g, node, 0, 1, "decode")
    _utf8_only(node, args, 0, "decode()")
    return f"rt_bytes_decode({o})", T.STR


def _b_hex(g, o, ot, node, hint):
    _a(g, node, 0, 0, "hex")
    return f"rt_bytes_hex({o})", T.STR


def _b_sub(fn, ret):
    def m(g, o, ot, node, hint):
        args = _a(g, node, 1, 1, fn)
        return f"rt_bytes_{fn}({o}, {_bytes_arg(node, args, 0)})", ret
    return m


def _i_to_bytes(g, o, ot, node, hint):
    """n.to_bytes(length=1, byteorder="big", signed=False)"""
    length = "1"
    if node.args:
        c, t = g.expr(node.args[0])
        length = g.coerce(c, t, T.INT, node)
    for kw in node.keywords:
        if kw.arg == "length":
            c, t = g.expr(kw.value)
            length = g.coerce(c, t, T.INT, node)
    rest = ast.Call(func=node.func, args=node.args[1:], keywords=[
        kw for kw in node.keywords if kw.arg != "length"])
    little, signed = g.byte_order_args(rest, 0, "to_bytes")
    return f"rt_int_to_bytes({o}, {length}, {little}, {signed})", T.BYTES


def _i_bit_length(g, o, ot, node, hint):
    _a(g, node, 0, 0, "bit_length")
    return f"rt_int_bit_length({o})", T.INT


INT_METHODS = {"to_bytes": _i_to_bytes, "bit_length": _i_bit_length}

BYTES_METHODS = {
    "decode": _b_decode, "hex": _b_hex, "find": _b_sub("find", T.INT),
    "index": _b_sub("index", T.INT), "count": _b_sub("count", T.INT),
    "startswith": _b_sub("startswith", T.BOOL), "endswith": _b_sub("endswith", T.BOOL),
}


STR_METHODS = {
    "upper": _s_simple("upper"), "lower": _s_simple("lower"),
    "casefold": _s_simple("lower"),     # the same but for ß and a few ligatures
    "capitalize": _s_simple("capitalize"), "title": _s_simple("title"),
    "swapcase": _s_simple("swapcase"),
    "strip": _s_strip(3), "lstrip": _s_strip(1), "rstrip": _s_strip(2),
    "split": _s_split, "rsplit": lambda g, o, ot, node, hint: _s_split(g, o, ot, node, hint,
                                                                       "rsplit"),
    "join": _s_join, "find": _s_find("find"), "rfind": _s_find("rfind"),
    "index": _s_find("index"), "count": _s_find("count"),
    "startswith": _s_with("startswith"), "endswith": _s_with("endswith"),
    "replace": _s_replace, "isdigit": _s_is(0, "isdigit"), "isalpha": _s_is(1, "isalpha"),
    "isspace": _s_is(2, "isspace"), "isalnum": _s_is(3, "isalnum"),
    "isupper": _s_is(4, "isupper"), "islower": _s_is(5, "islower"),
    "isdecimal": _s_is(6, "isdecimal"), "isnumeric": _s_is(6, "isnumeric"),
    "center": _s_pad(0, "center"), "ljust": _s_pad(1, "ljust"), "rjust": _s_pad(2, "rjust"),
    "zfill": _s_zfill, "splitlines": _s_splitlines, "format": _s_format,
    "encode": _s_encode, "partition": _s_partition("partition"),
    "rpartition": _s_partition("rpartition"),
}


# ---- list ----
def _val(g, node, args, i, et):
    c, t = args[i]
    return T.to_val(g.coerce(c, t, et, node), et)


def _l_append(g, o, ot, node, hint):
    et = ot.args[0]
    args = _a(g, node, 1, 1, "append", (et,))
    return f"rt_list_append({o}, {_val(g, node, args, 0, et)})", T.NONE


def _l_extend(g, o, ot, node, hint):
    (c, t), = _a(g, node, 1, 1, "extend", (ot,))
    lst, lt = g.as_list(c, t, node)
    g.coerce(lst, lt, ot, node)
    return f"rt_list_extend({o}, {lst})", T.NONE


def _l_pop(g, o, ot, node, hint):
    args = _a(g, node, 0, 1, "pop")
    et = ot.args[0]
    return T.from_val(f"rt_list_pop({o}, {_int(g, node, args, 0, '-1')})", et), et


def _l_insert(g, o, ot, node, hint):
    et = ot.args[0]
    args = _a(g, node, 2, 2, "insert", (T.INT, et))
    return f"rt_list_insert({o}, {_int(g, node, args, 0, '0')}, {_val(g, node, args, 1, et)})", \
        T.NONE


def _l_val(fn, ret):
    def m(g, o, ot, node, hint):
        et = ot.args[0]
        args = _a(g, node, 1, 1, fn, (et,))
        return f"rt_list_{fn}({o}, {_val(g, node, args, 0, et)})", ret
    return m


def _l_noarg(fn, ret_self=False):
    def m(g, o, ot, node, hint):
        _a(g, node, 0, 0, fn)
        return f"rt_list_{fn}({o})", ot if ret_self else T.NONE
    return m


def _l_sort(g, o, ot, node, hint):
    from .builtins import _key, _kw
    kws = _kw(node, {"key", "reverse"}, "sort")
    if node.args:
        raise CompileError(node, "sort() takes keyword arguments only")
    key, kk = _key(g, kws, ot.args[0], "sort")
    rev = g.cond(kws["reverse"]) if "reverse" in kws else "false"
    return f"rt_list_sort({o}, {key}, {kk}, {rev})", T.NONE


LIST_METHODS = {
    "append": _l_append, "extend": _l_extend, "pop": _l_pop, "insert": _l_insert,
    "remove": _l_val("remove", T.NONE), "index": _l_val("index", T.INT),
    "count": _l_val("count", T.INT), "reverse": _l_noarg("reverse"),
    "copy": _l_noarg("copy", True), "clear": _l_noarg("clear"), "sort": _l_sort,
}


# ---- dict ----
def _d_get(g, o, ot, node, hint):
    kt, vt = ot.args
    args = _a(g, node, 1, 2, "get", (kt, vt))
    k = _val(g, node, args, 0, kt)
    v = g.fresh("v")
    if len(args) == 2:
        dc, dt = args[1]
        if dt == T.NONE:
            rt = T.opt(vt)
            return (f"({{ Val {v}; rt_dict_get_opt({o}, {k}, &{v}) ? "
                    f"{g.coerce(T.from_val(v, vt), vt, rt, node)} : NULL; }})", rt)
        return (f"({{ Val {v}; rt_dict_get_opt({o}, {k}, &{v}) ? {T.from_val(v, vt)} : "
                f"{g.coerce(dc, dt, vt, node)}; }})", vt)
    rt = T.opt(vt)
    return (f"({{ Val {v}; rt_dict_get_opt({o}, {k}, &{v}) ? "
            f"{g.coerce(T.from_val(v, vt), vt, rt, node)} : NULL; }})", rt)


def _d_list(fn):
    def m(g, o, ot, node, hint):
        _a(g, node, 0, 0, fn)
        kt, vt = ot.args
        ty = {"keys": T.list_of(kt), "values": T.list_of(vt),
              "items": T.list_of(T.tuple_of(kt, vt))}[fn]
        return f"rt_dict_{fn}({o})", ty
    return m


def _d_pop(g, o, ot, node, hint):
    kt, vt = ot.args
    args = _a(g, node, 1, 2, "pop", (kt, vt))
    k = _val(g, node, args, 0, kt)
    if len(args) == 2 and args[1][1] == T.NONE:     # pop(k, None): Optional[V]
        rt = T.opt(vt)
        v, kv = g.fresh("v"), g.fresh("k")
        return (f"({{ Val {v}, {kv} = {k}; rt_dict_get_opt({o}, {kv}, &{v}) ? "
                f"(rt_dict_del({o}, {kv}), {g.coerce(T.from_val(v, vt), vt, rt, node)}) : "
                f"NULL; }})", rt)
    if len(args) == 2:
        return T.from_val(f"rt_dict_pop({o}, {k}, true, {_val(g, node, args, 1, vt)})", vt), vt
    return T.from_val(f"rt_dict_pop({o}, {k}, false, rt_vi(0))", vt), vt


def _d_setdefault(g, o, ot, node, hint):
    kt, vt = ot.args
    args = _a(g, node, 2, 2, "setdefault", (kt, vt))
    k, v, kv = _val(g, node, args, 0, kt), g.fresh("v"), g.fresh("k")
    return (T.from_val(f"({{ Val {kv} = {k}, {v}; if (!rt_dict_get_opt({o}, {kv}, &{v})) {{ "
                       f"{v} = {_val(g, node, args, 1, vt)}; rt_dict_set({o}, {kv}, {v}); }} "
                       f"{v}; }})", vt), vt)


def _d_update(g, o, ot, node, hint):
    (c, t), = _a(g, node, 1, 1, "update", (ot,))
    g.coerce(c, t, T.dict_of(*ot.args), node)
    return f"rt_dict_update({o}, {c})", T.NONE


def _d_copy(g, o, ot, node, hint):
    _a(g, node, 0, 0, "copy")
    return f"rt_dict_copy({o})", ot


def _d_clear(g, o, ot, node, hint):
    _a(g, node, 0, 0, "clear")
    return f"rt_dict_clear({o})", T.NONE


def _d_popitem(g, o, ot, node, hint):
    _a(g, node, 0, 0, "popitem")
    return f"rt_dict_popitem({o})", T.tuple_of(*ot.args)


def _c_most_common(g, o, ot, node, hint):
    args = _a(g, node, 0, 1, "most_common")
    kt = ot.args[0]
    n = _int(g, node, args, 0, "-1")
    items, i, m = g.fresh("it"), g.fresh("i"), g.fresh("n")
    neg = g.unit.counter_key()
    return (f"({{ List *{items} = rt_dict_items({o}); rt_list_sort({items}, {neg}, RK_INT, "
            f"false); int64_t {m} = {n}; if ({m} >= 0 && {m} < {items}->len) {items}->len = "
            f"{m}; (void){i}; {items}; }})".replace(f"(void){i}; ", ""),
            T.list_of(T.tuple_of(kt, T.INT)))


def _c_total(g, o, ot, node, hint):
    i, s = g.fresh("i"), g.fresh("s")
    return (f"({{ int64_t {s} = 0; for (int64_t {i} = 0; rt_dict_next({o}, &{i}); {i}++) "
            f"{s} += {o}->entries[{i}].value.i; {s}; }})", T.INT)


DICT_METHODS = {
    "get": _d_get, "keys": _d_list("keys"), "values": _d_list("values"),
    "items": _d_list("items"), "pop": _d_pop, "setdefault": _d_setdefault,
    "update": _d_update, "copy": _d_copy, "clear": _d_clear, "popitem": _d_popitem,
    "most_common": _c_most_common, "total": _c_total,
}


# ---- set ----
def _set_val(fn):
    def m(g, o, ot, node, hint):
        et = ot.args[0]
        args = _a(g, node, 1, 1, fn, (et,))
        return f"rt_set_{fn}({o}, {_val(g, node, args, 0, et)})", T.NONE
    return m


def _set_op(fn, ret_bool=False):
    def m(g, o, ot, node, hint):
        (c, t), = _a(g, node, 1, 1, fn, (ot,))
        if t.name not in ("set", "frozenset"):
            lst, lt = g.as_list(c, t, node)
            tmp, i, s = g.fresh(), g.fresh("i"), g.fresh("s")
            c = (f"({{ List *{s} = {lst}; Dict *{tmp} = rt_set_new({T.kind(lt.args[0])}); "
                 f"for (int64_t {i} = 0; {i} < {s}->len; {i}++) rt_set_add({tmp}, "
                 f"{s}->items[{i}]); {tmp}; }})")
        if fn == "update":
            return f"rt_dict_update({o}, {c})", T.NONE
        if fn in ("issubset", "issuperset"):
            a, b = (o, c) if fn == "issubset" else (c, o)
            return f"rt_set_subset({a}, {b})", T.BOOL
        if fn == "isdisjoint":
            return f"(rt_set_inter({o}, {c})->len == 0)", T.BOOL
        f = {"union": "rt_set_union", "intersection": "rt_set_inter",
             "difference": "rt_set_diff", "symmetric_difference": "rt_set_symdiff"}[fn]
        return f"{f}({o}, {c})", ot
    return m


def _set_pop(g, o, ot, node, hint):
    _a(g, node, 0, 0, "pop")
    et = ot.args[0]
    return T.from_val(f"rt_set_pop({o})", et), et


SET_METHODS = {
    "add": _set_val("add"), "remove": _set_val("remove"), "discard": _set_val("discard"),
    "pop": _set_pop, "union": _set_op("union"), "intersection": _set_op("intersection"),
    "difference": _set_op("difference"), "symmetric_difference":
    _set_op("symmetric_difference"), "issubset": _set_op("issubset"),
    "issuperset": _set_op("issuperset"), "isdisjoint": _set_op("isdisjoint"),
    "update": _set_op("update"), "copy": _d_copy, "clear": _d_clear,
}


FROZEN_METHODS = {"union", "intersection", "difference", "symmetric_difference", "issubset",
                  "issuperset", "isdisjoint", "copy"}


# ---- deque ----
def _dq_val(fn):
    def m(g, o, ot, node, hint):
        et = ot.args[0]
        args = _a(g, node, 1, 1, fn, (et,))
        return f"rt_deque_{fn}({o}, {_val(g, node, args, 0, et)})", T.NONE
    return m


def _dq_pop(fn):
    def m(g, o, ot, node, hint):
        _a(g, node, 0, 0, fn)
        et = ot.args[0]
        return T.from_val(f"rt_deque_{fn}({o})", et), et
    return m


def _dq_rotate(g, o, ot, node, hint):
    args = _a(g, node, 0, 1, "rotate")
    return f"rt_deque_rotate({o}, {_int(g, node, args, 0, '1')})", T.NONE


def _dq_clear(g, o, ot, node, hint):
    return f"rt_deque_clear({o})", T.NONE


def _dq_extend(g, o, ot, node, hint):
    (c, t), = _a(g, node, 1, 1, "extend", (T.list_of(ot.args[0]),))
    lst, _ = g.as_list(c, t, node)
    s, i = g.fresh("s"), g.fresh("i")
    return (f"({{ List *{s} = {lst}; for (int64_t {i} = 0; {i} < {s}->len; {i}++) "
            f"rt_deque_append({o}, {s}->items[{i}]); }})", T.NONE)


DEQUE_METHODS = {
    "append": _dq_val("append"), "appendleft": _dq_val("appendleft"),
    "pop": _dq_pop("pop"), "popleft": _dq_pop("popleft"), "rotate": _dq_rotate,
    "clear": _dq_clear, "extend": _dq_extend,
}
