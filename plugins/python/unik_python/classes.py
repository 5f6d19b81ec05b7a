"""User classes → C: a struct (base fields first), a Type with its vtable and the
slots CPython's dunder methods fill (repr, str, eq, hash, ordering, len, bool),
a GC trace function, and the constructor. Dataclasses get __init__, __repr__,
__eq__ (and ordering with order=True) generated here."""

from __future__ import annotations

from . import types as T
from .program import ClassInfo, FuncInfo
from .types import Ty


def _field_repr(expr: str, t: Ty) -> str:
    if t == T.INT:
        return f"rt_int_str({expr})"
    if t == T.FLOAT:
        return f"rt_float_repr({expr})"
    if t == T.BOOL:
        return f"rt_bool_str({expr})"
    if t == T.STR:
        return f"rt_str_repr({expr})"
    return f"rt_repr((Obj *)({expr}))"


def _field_eq(a: str, b: str, t: Ty) -> str:
    if t.is_prim:
        return f"({a} == {b})"
    if t == T.STR:
        return f"rt_str_eq({a}, {b})"
    return f"rt_eq((Obj *)({a}), (Obj *)({b}))"


def _chain(info: ClassInfo) -> list[ClassInfo]:
    out = []
    c: ClassInfo | None = info
    while c is not None:
        out.append(c)
        c = c.base
    return out


def _define(unit, code: str) -> None:
    """A static helper function, declared before the Type objects that point to it."""
    unit.protos.append(code[:code.index("{")].rstrip() + ";")
    unit.funcs.append(code)


def _wrap(unit, info: ClassInfo, m: FuncInfo, kind: str) -> str:
    owner = m.owner
    assert owner is not None
    name = f"w_{info.name}_{m.name}"
    self_c = f"(({owner.ctype})a)"
    if kind == "str":
        _define(unit, f"static Str *{name}(Obj *a) {{ return {m.cname}({self_c}); }}")
    elif kind == "eq":
        other = m.params[1][1] if len(m.params) > 1 else info.ty
        _define(unit, f"static bool {name}(Obj *a, Obj *b) {{ return {m.cname}({self_c}, "
                          f"({T.ctype(other)})b); }}")
    elif kind == "hash":
        _define(unit, f"static int64_t {name}(Obj *a) {{ int64_t h = {m.cname}({self_c}); "
                          f"return h == -1 ? -2 : h; }}")
    elif kind == "len":
        _define(unit, f"static int64_t {name}(Obj *a) {{ return {m.cname}({self_c}); }}")
    elif kind == "truth":
        _define(unit, f"static bool {name}(Obj *a) {{ return {m.cname}({self_c}); }}")
    return name


def emit_classes(unit) -> None:
    prog = unit.prog
    structs = unit.class_structs
    classes = list(prog.classes.values())
    for info in classes:
        structs.append(f"struct C_{info.name};")
    for info in classes:
        if info.builtin:
            structs.append(f"struct C_{info.name} {{ Obj h; Str *msg; Obj *value; int traced; }};")
    for info in classes:
        if info.builtin:
            continue
        _emit_class(unit, info)


def _emit_class(unit, info: ClassInfo) -> None:
    fields = info.all_fields()
    body = ["Obj h;"]
    if info.is_exc:
        body += ["Str *msg;", "Obj *value;", "int traced;"]     # Exc's fields (pyrt.h)
    body += [f"{T.ctype(t)} f_{n};" for n, t in fields.items()]
    unit.class_structs.append(f"struct C_{info.name} {{ {' '.join(body)} }};")
    n = info.name
    ptr = f"struct C_{n} *"
    # GC trace
    marks = [f"rt_gc_mark(s->f_{f});" for f, t in fields.items() if not t.is_prim]
    marks += [f"rt_gc_mark_int(s->f_{f});" for f, t in fields.items() if t == T.INT]  # bignums
    if info.is_exc:
        marks = ["rt_gc_mark(s->msg);", "rt_gc_mark(s->value);", *marks]
    unit.funcs.append(f"static void tr_{n}(Obj *o) {{ {ptr}s = ({ptr})o; (void)s; "
                      f"{' '.join(marks)} }}")
    unit.protos.append(f"static void tr_{n}(Obj *o);")
    # vtable
    vt = info.vtable()
    if vt:
        entries = ", ".join(f"(void *){m.cname}" for m in vt)
        unit.decls.append(f"static void *vt_{n}[] = {{ {entries} }};")
    # slots
    slots = {".name": f'"{n}"', ".trace": f"tr_{n}"}
    module = getattr(info.node, "unik_module", None)
    if module:      # defined in an imported module: a traceback says util.ParseError
        slots[".module"] = f'"{module}"'
    base = info.base
    if base is not None:
        slots[".base"] = f"&{base.type_obj}"
    if vt:
        slots[".vt"] = f"vt_{n}"
    find = info.find_method
    dc = next((c for c in _chain(info) if c.is_dataclass), None)
    if find("__repr__"):
        slots[".repr"] = _wrap(unit, info, find("__repr__"), "str")
    elif dc is not None:
        slots[".repr"] = _dc_repr(unit, info)
    elif info.is_exc:
        slots[".repr"] = "rt_exc_repr"
    else:
        _define(unit, f"static Str *dr_{n}(Obj *o) {{ return rt_str_fmt(\"<__main__.{n} "
                          f"object at %p>\", (void *)o); }}")
        slots[".repr"] = f"dr_{n}"
    if find("__str__"):
        slots[".str"] = _wrap(unit, info, find("__str__"), "str")
    elif info.is_exc and not find("__repr__"):
        slots[".str"] = "rt_exc_str"
    if find("__eq__"):
        slots[".eq"] = _wrap(unit, info, find("__eq__"), "eq")
    elif dc is not None:
        slots[".eq"] = _dc_eq(unit, info)
    if find("__hash__"):
        slots[".hash"] = _wrap(unit, info, find("__hash__"), "hash")
    elif dc is not None and dc.frozen:
        slots[".hash"] = _dc_hash(unit, info)
    if find("__lt__"):
        slots[".cmp"] = _cmp(unit, info)
    elif dc is not None and dc.order:
        slots[".cmp"] = _dc_cmp(unit, info)
    if find("__len__"):
        slots[".len"] = _wrap(unit, info, find("__len__"), "len")
    if find("__bool__"):
        slots[".truth"] = _wrap(unit, info, find("__bool__"), "truth")
    init = "".join(f", {k} = {v}" for k, v in slots.items())[2:]
    unit.decls.append(f"const Type {info.type_obj} = {{{init}}};")
    unit.protos.insert(0, f"extern const Type {info.type_obj};")
    _constructor(unit, info)


def _constructor(unit, info: ClassInfo) -> None:
    from .calls import dataclass_fields
    from .funcgen import FuncGen

    n = info.name
    ptr = f"struct C_{n} *"
    g = FuncGen(unit, None)
    g.is_module = False
    pre = []
    # class-level defaults of plain (non-dataclass) classes are set before __init__ runs
    chain = _chain(info)
    for c in reversed(chain):
        if c.builtin or c.is_dataclass:
            continue
        for fname, d in c.defaults.items():
            t = c.fields[fname]
            # a subclass that sets the attribute again in its body (interest_rate = 0.05)
            # gives its instances that value, as CPython's class attribute lookup does
            for sub in chain[:chain.index(c)]:
                if fname in sub.consts:
                    d = sub.consts[fname]
                    break
            code, ty = g.expr(d, t)
            pre.append(f"o->f_{fname} = {g.coerce(code, ty, t, d)};")
    init: FuncInfo | None = None
    dc: ClassInfo | None = None
    for c in _chain(info):
        if c.builtin:
            break
        if "__init__" in c.methods:
            init = c.methods["__init__"]
            break
        if c.is_dataclass:
            dc = c
            break
    if init is not None:
        params = [f"{T.ctype(t)} a_{pn}" for pn, t in init.params[1:]]
        args = ", ".join([f"(({init.owner.ctype})o)", *(f"a_{pn}" for pn, _ in init.params[1:])])
        call = f"{init.cname}({args});"
    elif dc is not None:
        fields = dataclass_fields(dc)
        params = [f"{T.ctype(t)} a_{fn}" for fn, t, _ in fields]
        args = ", ".join([f"((struct C_{dc.name} *)o)", *(f"a_{fn}" for fn, _, _ in fields)])
        call = f"init_{dc.name}({args});"
    elif info.is_exc:
        params = ["Str *msg"]
        call = "o->msg = msg;"
    else:
        params = []
        call = ""
    for c in _chain(info):
        if c.is_dataclass and not c.builtin:
            _dc_init(unit, c)
    sig = f"{ptr}new_{n}({', '.join(params) or 'void'})"
    unit.protos.append(f"static {sig};")
    lines = [f"static {sig} {{", f"    {ptr}o = rt_alloc(&{info.type_obj}, sizeof(struct C_{n}));"]
    lines += ["    " + line for line in g.lines]
    lines += ["    " + p for p in pre]
    lines += [f"    {call}", "    return o;", "}"]
    decls = [f"    {T.ctype(t)} {c};" for c, t in getattr(g, "comp_vars", {}).items()]
    lines[1:1] = decls
    unit.funcs.append("\n".join(lines))


_dc_inits_done: set[int] = set()


def _dc_init(unit, c: ClassInfo) -> None:
    from .calls import dataclass_fields

    key = f"init_{c.name}"
    if key in unit.fn_values:
        return
    unit.fn_values.add(key)
    fields = dataclass_fields(c)
    params = [f"struct C_{c.name} *o", *(f"{T.ctype(t)} a_{fn}" for fn, t, _ in fields)]
    sig = f"static void init_{c.name}({', '.join(params)})"
    unit.protos.append(sig + ";")
    sets = " ".join(f"o->f_{fn} = a_{fn};" for fn, _, _ in fields)
    post = ""
    if c.find_method("__post_init__"):
        m = c.find_method("__post_init__")
        post = f" {m.cname}(({m.owner.ctype})o);"
    unit.funcs.append(f"{sig} {{ {sets}{post} }}")


def _dc_fields(info: ClassInfo, use: str = "") -> list[tuple[str, Ty]]:
    """The dataclass's fields, without those field(compare=False) / field(repr=False)
    leaves out of `use` ("compare" / "repr")."""
    from .calls import dataclass_fields
    dc = next(c for c in _chain(info) if c.is_dataclass)
    skip = {n for c in _chain(info) for n in c.skip.get(use, set())}
    return [(n, t) for n, t, _ in dataclass_fields(dc) if n not in skip]


def _dc_repr(unit, info: ClassInfo) -> str:
    n = info.name
    ptr = f"struct C_{n} *"
    parts = [f'rt_buf_add(&b, "{n}(", {len(n) + 1});']
    for i, (fn, t) in enumerate(_dc_fields(info, "repr")):
        label = f"{', ' if i else ''}{fn}="
        parts.append(f'rt_buf_add(&b, "{label}", {len(label)});')
        parts.append(f"rt_buf_str(&b, {_field_repr(f's->f_{fn}', t)});")
    parts.append('rt_buf_add(&b, ")", 1);')
    _define(unit, f"static Str *dcr_{n}(Obj *o) {{ {ptr}s = ({ptr})o; Buf b = {{0}}; "
                      f"{' '.join(parts)} return rt_buf_done(&b); }}")
    return f"dcr_{n}"


def _dc_eq(unit, info: ClassInfo) -> str:
    n = info.name
    ptr = f"struct C_{n} *"
    tests = [_field_eq(f"x->f_{fn}", f"y->f_{fn}", t) for fn, t in _dc_fields(info, "compare")]
    _define(unit, f"static bool dce_{n}(Obj *a, Obj *b) {{ if (a->type != b->type) return "
                      f"false; {ptr}x = ({ptr})a; {ptr}y = ({ptr})b; (void)x; (void)y; "
                      f"return {' && '.join(tests) or 'true'}; }}")
    return f"dce_{n}"


def _dc_hash(unit, info: ClassInfo) -> str:
    """A frozen dataclass's (or NamedTuple's) hash: the hash of the tuple of its
    compared fields, as CPython computes it."""
    n = info.name
    ptr = f"struct C_{n} *"
    fields = _dc_fields(info, "compare")
    kinds = "".join(T.kind_digit(t) for _, t in fields)
    vals = "".join(f", {T.to_val(f'x->f_{fn}', t)}" for fn, t in fields)
    _define(unit, f"static int64_t dch_{n}(Obj *a) {{ {ptr}x = ({ptr})a; (void)x; "
                      f"return rt_hash_val(rt_vp(rt_tuple_of({len(fields)}, \"{kinds}\"{vals})), "
                      f"RK_OBJ); }}")
    return f"dch_{n}"


def _dc_cmp(unit, info: ClassInfo) -> str:
    n = info.name
    ptr = f"struct C_{n} *"
    steps = []
    for fn, t in _dc_fields(info, "compare"):
        a, b = T.to_val(f"x->f_{fn}", t), T.to_val(f"y->f_{fn}", t)
        steps.append(f"if (!rt_eq_val({a}, {b}, {T.kind(t)})) return rt_cmp_val({a}, {b}, "
                     f"{T.kind(t)}, op);")
    _define(unit, f"static int dcc_{n}(Obj *a, Obj *b, int op) {{ {ptr}x = ({ptr})a; "
                      f"{ptr}y = ({ptr})b; (void)x; (void)y; {' '.join(steps)} "
                      f"return op == CMP_LE || op == CMP_GE; }}")
    return f"dcc_{n}"


def _cmp(unit, info: ClassInfo) -> str:
    # a subclass that defines none of the four shares its base's function, so that
    # instances of sibling classes compare (the runtime checks for one function)
    c = info
    while c.base is not None and not c.base.builtin and c.base.find_method("__lt__") and \
            not any(m in c.methods for m in ("__lt__", "__le__", "__gt__", "__ge__")):
        c = c.base
    if c is not info:
        return f"cmp_{c.name}" if f"cmp_{c.name}" in unit.cmp_done else _cmp(unit, c)
    unit.cmp_done.add(f"cmp_{info.name}")
    n = info.name
    lt = info.find_method("__lt__")
    assert lt is not None and lt.owner is not None
    other = lt.params[1][1] if len(lt.params) > 1 else info.ty

    def call(m: FuncInfo | None, x: str, y: str) -> str | None:
        if m is None or m.owner is None:
            return None
        return f"{m.cname}(({m.owner.ctype}){x}, ({T.ctype(other)}){y})"

    f = info.find_method
    less = call(lt, "a", "b")
    le = call(f("__le__"), "a", "b") or f"({less} || !{call(lt, 'b', 'a')})"
    gt = call(f("__gt__"), "a", "b") or call(lt, "b", "a")
    ge = call(f("__ge__"), "a", "b") or f"(!{less})"
    _define(unit, f"static int cmp_{n}(Obj *a, Obj *b, int op) {{ switch (op) {{ "
                      f"case CMP_LT: return {less}; case CMP_LE: return {le}; "
                      f"case CMP_GT: return {gt}; default: return {ge}; }} }}")
    return f"cmp_{n}"
