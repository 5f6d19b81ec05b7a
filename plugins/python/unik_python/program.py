"""The declarations of a program: imports, classes, functions, annotations.

The first pass over the module: it gives every function its signature and every
class its layout before any body is compiled, so bodies can refer to each other
in any order.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from . import types as T
from .enums import enum_kind
from .enums import rewrite as rewrite_enum
from .errors import CompileError
from .types import Ty

# Module members the subset knows, by the names programs import.
MODULES = {"math", "sys", "time", "random", "heapq", "bisect", "collections", "dataclasses",
           "typing", "unik", "__future__", "enum", "types", "abc", "functools", "string",
           "operator", "itertools", "contextlib", "os"}
SUPPORTED = ", ".join(sorted(MODULES - {"__future__"}))
TYPING_NAMES = {"Optional", "List", "Dict", "Set", "Tuple", "Callable", "Iterator", "Iterable",
                "Generator", "Union", "Any", "Final", "Deque", "DefaultDict", "Sequence"}
BUILTIN_EXCEPTIONS = {
    "BaseException": None, "Exception": "BaseException", "SystemExit": "BaseException",
    "ArithmeticError": "Exception", "LookupError": "Exception", "ValueError": "Exception",
    "TypeError": "Exception", "KeyError": "LookupError", "IndexError": "LookupError",
    "ZeroDivisionError": "ArithmeticError", "OverflowError": "ArithmeticError",
    "RuntimeError": "Exception", "RecursionError": "RuntimeError",
    "NotImplementedError": "RuntimeError", "AssertionError": "Exception",
    "StopIteration": "Exception", "AttributeError": "Exception", "MemoryError": "Exception",
    "UnicodeError": "ValueError", "UnicodeDecodeError": "UnicodeError", "EOFError": "Exception",
}


@dataclass
class FuncInfo:
    name: str
    cname: str
    params: list[tuple[str, Ty]]
    defaults: list[ast.expr | None]
    ret: Ty
    node: ast.FunctionDef | ast.Lambda | None
    owner: ClassInfo | None = None
    is_gen: bool = False
    vslot: int = -1           # vtable slot, for methods
    is_property: bool = False  # @property getter: read as an attribute
    memo: bool = False        # @functools.cache / @lru_cache: results kept by arguments
    star: int = -1            # index in params of *args (a tuple[T, ...]), or -1
    dstar: int = -1           # index in params of **kwargs (a dict[str, T]), or -1
    npos: int = -1            # how many parameters may be passed by position (-1: all)


@dataclass
class ClassInfo:
    name: str
    base: ClassInfo | None
    node: ast.ClassDef | None
    builtin: bool = False     # a built-in exception class
    is_exc: bool = False
    is_dataclass: bool = False
    order: bool = False
    frozen: bool = False      # @dataclass(frozen=True) or a NamedTuple: hashable by its fields
    namedtuple: bool = False  # a typing.NamedTuple: also unpacks and indexes like a tuple
    fields: dict[str, Ty] = field(default_factory=dict)          # own fields only
    defaults: dict[str, ast.expr] = field(default_factory=dict)
    factories: dict[str, ast.expr] = field(default_factory=dict)  # field(default_factory=…)
    skip: dict[str, set[str]] = field(default_factory=dict)  # field(compare=False, repr=False):
    # "compare" / "repr" → the fields left out of ==/ordering / of repr
    methods: dict[str, FuncInfo] = field(default_factory=dict)
    subclasses: list[ClassInfo] = field(default_factory=list)
    consts: dict[str, ast.expr] = field(default_factory=dict)    # class attributes (constants)
    is_enum: bool = False     # an Enum / IntEnum (enums.py): the class as a value is its members
    mutable: set[str] = field(default_factory=set)   # class attributes assigned somewhere:
    # each is the module global `g_<Class>__<name>`, set where the class is defined

    @property
    def ty(self) -> Ty:
        return T.cls(self.name)

    def mutable_in_order(self) -> list[str]:
        """The class attributes that are globals, in the order the class body sets them."""
        return [a for a in self.consts if a in self.mutable]

    @property
    def ctype(self) -> str:
        return f"struct C_{self.name} *"

    @property
    def type_obj(self) -> str:
        return f"T_{self.name}" if self.builtin else f"TU_{self.name}"

    def all_fields(self) -> dict[str, Ty]:
        out = self.base.all_fields() if self.base else {}
        out.update(self.fields)
        return out

    def field_type(self, name: str) -> Ty | None:
        c: ClassInfo | None = self
        while c:
            if name in c.fields:
                return c.fields[name]
            c = c.base
        return None

    def find_method(self, name: str) -> FuncInfo | None:
        c: ClassInfo | None = self
        while c:
            if name in c.methods:
                return c.methods[name]
            c = c.base
        return None

    def is_sub(self, other: ClassInfo) -> bool:
        c: ClassInfo | None = self
        while c:
            if c is other:
                return True
            c = c.base
        return False

    def overridden(self, name: str) -> bool:
        """Whether a subclass (at any depth) defines method `name` again."""
        for s in self.subclasses:
            if name in s.methods or s.overridden(name):
                return True
        return False

    def vtable(self) -> list[FuncInfo]:
        """Methods by slot: the base's slots first, then new names."""
        slots = self.base.vtable() if self.base else []
        for name, m in self.methods.items():
            for i, s in enumerate(slots):
                if s.name == name:
                    slots[i] = m
                    break
            else:
                slots.append(m)
        return slots


class Program:
    """What the module declares; filled by `declare`."""

    def __init__(self, module: ast.Module) -> None:
        self.module = module
        self.aliases: dict[str, str] = {}       # local name → "math.sqrt", "collections.deque"
        self.classes: dict[str, ClassInfo] = {}
        self.functions: dict[str, FuncInfo] = {}
        self.globals: dict[str, Ty] = {}
        self.type_aliases: dict[str, ast.expr] = {}     # `Grid = list[list[str]]`
        for name, base in BUILTIN_EXCEPTIONS.items():
            info = ClassInfo(name, self.classes[base] if base else None, None, builtin=True,
                             is_exc=True)
            self.classes[name] = info
            if base:
                self.classes[base].subclasses.append(info)

    def class_attr_owner(self, cls: str, attr: str) -> str:
        """The class (cls or a base) whose class attribute `attr` is."""
        c: ClassInfo | None = self.classes[cls]
        while c is not None and attr not in c.consts:
            c = c.base
        return c.name if c is not None else cls

    # ---- annotations ----
    def annotated_type(self, st: ast.AnnAssign) -> Ty:
        """`x: T = v`'s type; `dict[K, V]` holding a `defaultdict(…)` is a defaultdict."""
        t = self.resolve(st.annotation)
        v = st.value
        if t.name == "dict" and isinstance(v, ast.Call) and self.aliases.get(
                ast.unparse(v.func)) == "collections.defaultdict":
            return Ty("defaultdict", t.args)
        return t

    def resolve(self, node: ast.expr | None, what: str = "annotation") -> Ty:
        if node is None:
            raise CompileError(node, f"missing {what}")
        if isinstance(node, ast.Constant):
            if node.value is None:
                return T.NONE
            if isinstance(node.value, str):
                try:
                    inner = ast.parse(node.value, mode="eval").body
                except SyntaxError:
                    raise CompileError(node, f"bad string annotation {node.value!r}") from None
                ast.copy_location(inner, node)
                for n in ast.walk(inner):
                    ast.copy_location(n, node)
                return self.resolve(inner, what)
        if isinstance(node, ast.Name) and node.id in self.type_aliases:
            return self.resolve(self.type_aliases[node.id], what)
        if isinstance(node, ast.Name):
            n = self.aliases.get(node.id, node.id)
            simple = {"int": T.INT, "float": T.FLOAT, "bool": T.BOOL, "str": T.STR,
                      "None": T.NONE, "bytes": T.BYTES}
            if n in simple:
                return simple[n]
            if n in self.classes:
                return self.classes[n].ty
            if n in ("list", "typing.List", "dict", "typing.Dict", "set", "typing.Set",
                     "tuple", "typing.Tuple"):
                raise CompileError(node, f"{node.id} needs its element types, e.g. {node.id}[int]")
            if n == "typing.Any":
                raise CompileError(node, "Any is not supported: every value needs a static type")
            if n == "random.Random":
                return Ty("rng")
            raise CompileError(node, f"unknown type {node.id}")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                self.aliases.get(node.value.id) == "random" and node.attr == "Random":
            return Ty("rng")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            a, b = self.resolve(node.left), self.resolve(node.right)
            if b == T.NONE:
                return T.opt(a)
            if a == T.NONE:
                return T.opt(b)
            raise CompileError(node, "unions other than X | None are not supported")
        if isinstance(node, ast.Subscript):
            base = node.value
            bname = self.aliases.get(base.id, base.id) if isinstance(base, ast.Name) else \
                (ast.unparse(base) if isinstance(base, ast.Attribute) else "")
            bname = {"List": "list", "typing.List": "list", "Dict": "dict", "typing.Dict": "dict",
                     "Set": "set", "typing.Set": "set", "Tuple": "tuple", "typing.Tuple": "tuple",
                     "typing.Optional": "Optional", "typing.Callable": "Callable",
                     "typing.Iterator": "Iterator", "typing.Iterable": "Iterator",
                     "Iterable": "Iterator", "typing.Generator": "Iterator",
                     "Generator": "Iterator", "collections.deque": "deque",
                     "typing.Deque": "deque", "Deque": "deque",
                     "collections.defaultdict": "defaultdict", "typing.DefaultDict":
                     "defaultdict", "DefaultDict": "defaultdict", "collections.Counter":
                     "Counter", "typing.Union": "Union", "typing.Final": "Final",
                     "collections.abc.Iterator": "Iterator", "collections.abc.Callable":
                     "Callable", "collections.abc.Iterable": "Iterator",
                     "collections.abc.Generator": "Iterator"}.get(bname, bname)
            sl = node.slice
            args = list(sl.elts) if isinstance(sl, ast.Tuple) else [sl]
            if bname == "list":
                return T.list_of(self._one(node, args))
            if bname in ("frozenset", "FrozenSet", "typing.FrozenSet"):
                t = self._one(node, args)
                self.check_key(node, t)
                return Ty("frozenset", (t,))
            if bname == "set":
                return T.set_of(self._one(node, args))
            if bname == "deque":
                return Ty("deque", (self._one(node, args),))
            if bname == "Iterator":
                return Ty("gen", (self.resolve(args[0]),))
            if bname == "Counter":
                return Ty("counter", (self._one(node, args), T.INT))
            if bname in ("dict", "defaultdict"):
                if len(args) != 2:
                    raise CompileError(node, f"{bname} takes two types: {bname}[K, V]")
                k, v = self.resolve(args[0]), self.resolve(args[1])
                self.check_key(node, k)
                return Ty(bname, (k, v))
            if bname == "tuple":
                if any(isinstance(a, ast.Constant) and a.value is Ellipsis for a in args):
                    if len(args) != 2 or not (isinstance(args[1], ast.Constant) and
                                              args[1].value is Ellipsis):
                        raise CompileError(node, "write tuple[T, ...]")
                    return Ty("vtuple", (self.resolve(args[0]),))
                return T.tuple_of(*(self.resolve(a) for a in args))
            if bname == "Optional":
                return T.opt(self._one(node, args))
            if bname == "Final":
                return self._one(node, args)
            if bname == "Union":
                ts = [self.resolve(a) for a in args]
                rest = [t for t in ts if t != T.NONE]
                if len(rest) == 1 and len(ts) == 2:
                    return T.opt(rest[0])
                raise CompileError(node, "unions other than Optional[X] are not supported")
            if bname == "Callable":
                if len(args) != 2 or not isinstance(args[0], ast.List):
                    raise CompileError(node, "write Callable[[A, B], R]")
                ps = [self.resolve(a) for a in args[0].elts]
                return Ty("fn", (*ps, self.resolve(args[1])))
            raise CompileError(node, f"unknown generic type {bname or ast.unparse(base)}")
        if isinstance(node, ast.Attribute):
            full = ast.unparse(node)
            if full == "typing.Any":
                raise CompileError(node, "Any is not supported: every value needs a static type")
            raise CompileError(node, f"unknown type {full}")
        raise CompileError(node, f"unsupported {what}: {ast.unparse(node)}")

    def _one(self, node: ast.AST, args: list[ast.expr]) -> Ty:
        if len(args) != 1:
            raise CompileError(node, "expected one type argument")
        return self.resolve(args[0])

    def check_key(self, node: ast.AST, k: Ty) -> None:
        if k.name in ("list", "dict", "set", "defaultdict", "counter", "deque"):
            raise CompileError(node, f"unhashable type {k} cannot be a dict key or set member")


def is_dataclass_decorator(d: ast.expr, aliases: dict[str, str]) -> tuple[bool, bool]:
    """(is @dataclass, order=True)."""
    target = d.func if isinstance(d, ast.Call) else d
    name = ast.unparse(target)
    if aliases.get(name, name) not in ("dataclasses.dataclass",):
        return False, False
    order = False
    if isinstance(d, ast.Call):
        for kw in d.keywords:
            if kw.arg == "order" and isinstance(kw.value, ast.Constant):
                order = bool(kw.value.value)
            elif kw.arg not in ("frozen", "eq", "order", "repr"):
                raise CompileError(kw, f"dataclass option {kw.arg} is not supported")
    return True, order


GENERIC_NAMES = {"list", "dict", "set", "tuple", "Optional", "Callable", "Union", "List",
                 "Dict", "Set", "Tuple", "Iterator", "Iterable", "Generator", "deque", "Deque",
                 "defaultdict", "DefaultDict", "Counter", "Sequence"}


def type_alias(st: ast.stmt, aliases: dict[str, str]) -> tuple[str, ast.expr] | None:
    """(name, type) of a module-level type alias: `Grid = list[list[str]]`,
    `MaybeInt = int | None`, `Vec: TypeAlias = tuple[float, float]`."""
    if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name) and \
            st.value is not None and aliases.get(ast.unparse(st.annotation)) == \
            "typing.TypeAlias":
        return st.target.id, st.value
    if not (isinstance(st, ast.Assign) and len(st.targets) == 1 and
            isinstance(st.targets[0], ast.Name)):
        return None
    v = st.value
    if isinstance(v, ast.Subscript):
        base = ast.unparse(v.value)
        if base in GENERIC_NAMES or aliases.get(base, "").startswith(("typing.",
                                                                      "collections.")):
            return st.targets[0].id, v
    if isinstance(v, ast.BinOp) and isinstance(v.op, ast.BitOr) and any(
            isinstance(x, ast.Constant) and x.value is None for x in (v.left, v.right)):
        return st.targets[0].id, v
    return None


def contains_yield(fn: ast.AST) -> bool:
    """Whether a function body yields (not counting nested functions)."""
    stack = list(ast.iter_child_nodes(fn))
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(n))
    return False


def declare(prog: Program) -> None:
    """Fill prog with the module's imports, classes and function signatures."""
    mod = prog.module
    for st in mod.body:
        if isinstance(st, ast.Import):
            for a in st.names:
                if a.name not in MODULES and a.name != "collections.abc":
                    raise CompileError(st, f"module {a.name} is not available in the subset "
                                           f"(supported: {SUPPORTED}; or a "
                                           f"{a.name.replace('.', '/')}.py of the project)")
                prog.aliases[a.asname or a.name] = a.name
        elif isinstance(st, ast.ImportFrom):
            if st.module not in MODULES and st.module != "collections.abc":
                raise CompileError(st, f"module {st.module} is not available in the subset "
                                       f"(supported: {SUPPORTED}; or a "
                                       f"{str(st.module).replace('.', '/')}.py of the project)")
            for a in st.names:
                if a.name == "*":
                    raise CompileError(st, "from ... import * is not supported")
                prog.aliases[a.asname or a.name] = f"{st.module}.{a.name}"
    for st in mod.body:
        alias = type_alias(st, prog.aliases)
        if alias is not None:
            prog.type_aliases[alias[0]] = alias[1]
    for st in mod.body:
        if isinstance(st, ast.ClassDef):
            _declare_class(prog, st)
    for st in mod.body:
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if isinstance(st, ast.AsyncFunctionDef):
                raise CompileError(st, "async functions are not supported")
            if st.name in prog.functions:
                raise CompileError(st, f"function {st.name} is defined twice")
            prog.functions[st.name] = signature(prog, st, f"f_{st.name}", None)
    for st in mod.body:
        if isinstance(st, ast.ClassDef):
            info = prog.classes[st.name]
            for item in st.body:
                if isinstance(item, ast.FunctionDef):
                    # a property's setter is the method `<name>__setter`
                    setter = any(ast.unparse(d) == f"{item.name}.setter"
                                 for d in item.decorator_list)
                    name = f"{item.name}__setter" if setter else item.name
                    if name in info.methods:
                        raise CompileError(item, f"method {name} is defined twice")
                    m = signature(prog, item, f"m_{st.name}_{name}", info)
                    m.name = name
                    info.methods[name] = m
    for n in ast.walk(mod):
        targets = n.targets if isinstance(n, ast.Assign) else \
            [n.target] if isinstance(n, ast.AugAssign) else []
        for t in targets:
            if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and \
                    t.value.id in prog.classes:
                c: ClassInfo | None = prog.classes[t.value.id]
                while c is not None and t.attr not in c.consts:
                    if t.attr in c.defaults and not c.is_dataclass:
                        # `count: int = 0` in the body, assigned on the class: shared
                        c.consts[t.attr] = c.defaults.pop(t.attr)
                        del c.fields[t.attr]
                        break
                    c = c.base
                if c is None:
                    raise CompileError(t, f"class {t.value.id} has no class attribute {t.attr}")
                c.mutable.add(t.attr)


def _declare_class(prog: Program, st: ast.ClassDef) -> None:
    if st.name in prog.classes:
        raise CompileError(st, f"class {st.name} is defined twice (or shadows a built-in)")
    if len(st.bases) > 1:
        raise CompileError(st, "multiple inheritance is not supported")
    if st.keywords:
        raise CompileError(st, "class keywords (metaclass=…) are not supported")
    base = None
    namedtuple = False
    if st.bases:
        b = st.bases[0]
        bname = ast.unparse(b)
        if bname == "object" or prog.aliases.get(bname) == "abc.ABC":
            base = None     # ABC: abstract methods are not enforced (documented)
        elif prog.aliases.get(bname) == "typing.NamedTuple":
            namedtuple = True
        elif bname in prog.classes:
            base = prog.classes[bname]
        elif enum_kind(prog.aliases.get(bname, "")) is not None:
            members = rewrite_enum(st, enum_kind(prog.aliases[bname]) or "", prog.aliases)
            st.decorator_list = [d for d in st.decorator_list
                                 if prog.aliases.get(ast.unparse(d)) != "enum.unique"]
            _declare_class(prog, st)
            info = prog.classes[st.name]
            info.is_enum = True
            info.mutable.update(members)
            return
        else:
            raise CompileError(b, f"unknown base class {bname} (bases must be defined earlier "
                                  f"in the file)")
    info = ClassInfo(st.name, base, st, is_exc=bool(base and base.is_exc))
    if namedtuple:      # a typed NamedTuple: a dataclass that orders, hashes and unpacks
        info.is_dataclass, info.order, info.frozen, info.namedtuple = True, True, True, True
    for d in st.decorator_list:
        isdc, order = is_dataclass_decorator(d, prog.aliases)
        if isinstance(d, ast.Call) and any(
                kw.arg == "frozen" and isinstance(kw.value, ast.Constant) and kw.value.value
                for kw in d.keywords):
            info.frozen = True
        if not isdc:
            raise CompileError(d, f"class decorator {ast.unparse(d)} is not supported")
        info.is_dataclass, info.order = True, order
    prog.classes[st.name] = info
    if base:
        base.subclasses.append(info)
    for item in st.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            name = item.target.id
            ann = item.annotation
            if isinstance(ann, ast.Subscript) and ast.unparse(ann.value) in ("ClassVar",
                                                                            "typing.ClassVar"):
                if item.value is None:
                    raise CompileError(item, "a ClassVar needs a value")
                info.consts[name] = item.value
                continue
            info.fields[name] = prog.annotated_type(item)
            if item.value is not None:
                v = item.value
                if isinstance(v, ast.Call) and prog.aliases.get(ast.unparse(v.func)) == \
                        "dataclasses.field":
                    for kw in v.keywords:
                        if kw.arg == "default_factory":
                            info.factories[name] = kw.value
                        elif kw.arg == "default":
                            info.defaults[name] = kw.value
                        elif kw.arg in ("compare", "repr") and isinstance(kw.value, ast.Constant) \
                                and isinstance(kw.value.value, bool):
                            if not kw.value.value:
                                info.skip.setdefault(kw.arg, set()).add(name)
                        else:
                            raise CompileError(kw, f"field({kw.arg}=…) is not supported")
                else:
                    info.defaults[name] = v
        elif isinstance(item, ast.Assign) and len(item.targets) == 1 and \
                isinstance(item.targets[0], ast.Name):
            info.consts[item.targets[0].id] = item.value
        elif isinstance(item, (ast.FunctionDef, ast.Pass)) or (
                isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant)):
            if isinstance(item, ast.FunctionDef):
                for d in item.decorator_list:
                    dn = ast.unparse(d)
                    if dn not in ("staticmethod", "classmethod", "property",
                                  f"{item.name}.setter") and \
                            prog.aliases.get(dn) != "abc.abstractmethod":
                        raise CompileError(d, f"method decorator @{dn} is not supported")
        else:
            raise CompileError(item, "only annotated fields, constants and methods may appear "
                                     "in a class body")


def signature(prog: Program, fn: ast.FunctionDef, cname: str, owner: ClassInfo | None,
              ) -> FuncInfo:
    if owner and fn.name == "__exit__":
        return _exit_signature(prog, fn, cname, owner)
    a = fn.args
    if a.posonlyargs:
        raise CompileError(fn, "positional-only parameters are not supported")
    memo = False
    if owner is None:
        for d in fn.decorator_list:
            if _is_cache_decorator(d, prog.aliases):
                memo = True
    decos = [ast.unparse(d) for d in fn.decorator_list
             if prog.aliases.get(ast.unparse(d)) != "abc.abstractmethod" and
             not (owner is None and _is_cache_decorator(d, prog.aliases))]
    if decos and not owner:
        raise CompileError(fn.decorator_list[0],
                           f"decorator @{decos[0]} is not supported")
    if owner and "classmethod" in decos:
        if not a.args:
            raise CompileError(fn, f"class method {fn.name} needs a cls parameter")
        # `cls` names the class itself (the defining class, also when called on a subclass)
        _rename_name(fn, a.args[0].arg, owner.name)
        a = ast.arguments(posonlyargs=a.posonlyargs, args=a.args[1:], vararg=a.vararg,
                          kwonlyargs=a.kwonlyargs, kw_defaults=a.kw_defaults, kwarg=a.kwarg,
                          defaults=a.defaults)
        fn.args = a
    static = "staticmethod" in decos or "classmethod" in decos
    params: list[tuple[str, Ty]] = []
    # C parameter order: the positional ones, *args, the keyword-only ones, **kwargs
    all_args = [*a.args, *([a.vararg] if a.vararg else []), *a.kwonlyargs,
                *([a.kwarg] if a.kwarg else [])]
    defaults: list[ast.expr | None] = [None] * (len(a.args) - len(a.defaults)) + list(a.defaults)
    if a.vararg:
        defaults.append(None)
    defaults += list(a.kw_defaults)
    if a.kwarg:
        defaults.append(None)
    for i, arg in enumerate(all_args):
        if owner and i == 0 and not static:
            if arg.annotation is not None and ast.unparse(arg.annotation) not in (
                    owner.name, f"'{owner.name}'", f'"{owner.name}"'):
                raise CompileError(arg, "self needs no annotation")
            params.append((arg.arg, owner.ty))
            continue
        if arg.annotation is None:
            raise CompileError(arg, f"parameter {arg.arg} of {fn.name} needs a type annotation")
        if arg is a.vararg:     # *args: int → args: tuple[int, ...]
            params.append((arg.arg, Ty("vtuple", (prog.resolve(arg.annotation),))))
            continue
        if arg is a.kwarg:      # **kwargs: int → kwargs: dict[str, int]
            params.append((arg.arg, T.dict_of(T.STR, prog.resolve(arg.annotation))))
            continue
        if owner and fn.name in ("__eq__", "__ne__") and ast.unparse(arg.annotation) == "object":
            # `other: object` (what type checkers want): typed as the class itself
            params.append((arg.arg, owner.ty))
            continue
        params.append((arg.arg, prog.resolve(arg.annotation)))
    if owner and not static and not all_args:
        raise CompileError(fn, f"method {fn.name} needs a self parameter")
    if fn.returns is None:
        if fn.name == "__init__" or not _returns_value(fn):
            ret = T.NONE
        else:
            raise CompileError(fn, f"function {fn.name} returns a value: annotate its return "
                                   f"type (-> T)")
    else:
        ret = prog.resolve(fn.returns, "return annotation")
    is_gen = contains_yield(fn)
    if is_gen and ret.name != "gen":
        raise CompileError(fn.returns or fn, f"generator {fn.name} must be annotated "
                                             f"-> Iterator[T]")
    info = FuncInfo(fn.name, cname, params, defaults, ret, fn, owner, is_gen,
                    npos=len(a.args) if a.kwonlyargs or a.vararg or a.kwarg else -1)
    if a.vararg:
        info.star = len(a.args)
    if a.kwarg:
        info.dstar = len(params) - 1
    if owner and static:
        info.owner = None
    info.memo = memo
    if memo and is_gen:
        raise CompileError(fn, "@cache on a generator is not supported")
    if owner and "property" in decos:
        if len(params) != 1:
            raise CompileError(fn, f"property {fn.name} takes only self")
        info.is_property = True
    return info


def _is_cache_decorator(d: ast.expr, aliases: dict[str, str]) -> bool:
    """@cache, @lru_cache, @lru_cache(maxsize=None) (any maxsize: nothing is evicted)."""
    target = d.func if isinstance(d, ast.Call) else d
    name = aliases.get(ast.unparse(target), ast.unparse(target))
    return name in ("functools.cache", "functools.lru_cache")


def _exit_signature(prog: Program, fn: ast.FunctionDef, cname: str, owner: ClassInfo,
                    ) -> FuncInfo:
    """`__exit__(self, exc_type, exc, tb)` whatever their annotations (`type[…] | None`,
    `TracebackType | None`, or `*args: object`): all three receive the exception (or
    None), so `exc is None` tests work; the class and traceback objects do not exist."""
    a = fn.args
    n = len(a.args) - 1
    if a.vararg is None and n != 3:
        raise CompileError(fn, "__exit__ takes self and three parameters (exc_type, exc, tb)")
    if fn.decorator_list:
        raise CompileError(fn.decorator_list[0], "__exit__ cannot be decorated")
    exc = T.opt(prog.classes["BaseException"].ty)
    params = [("self", owner.ty)] + [(x.arg, exc) for x in a.args[1:]]
    ret = T.NONE if fn.returns is None else prog.resolve(fn.returns, "return annotation")
    if ret not in (T.NONE, T.BOOL, T.opt(T.BOOL)):
        raise CompileError(fn.returns or fn, "__exit__ returns bool (true suppresses the "
                                             "exception) or None")
    if a.vararg is not None:
        # the body may not use the tuple: it is not passed
        used = {x.id for x in ast.walk(fn) if isinstance(x, ast.Name)}
        if a.vararg.arg in used:
            raise CompileError(fn, f"__exit__(self, *{a.vararg.arg}) may not use "
                                   f"{a.vararg.arg}: name the three parameters")
        params = [("self", owner.ty)]
    return FuncInfo(fn.name, cname, params, [None] * len(params), ret, fn, owner)


def _rename_name(fn: ast.FunctionDef, old: str, new: str) -> None:
    for n in ast.walk(fn):
        if isinstance(n, ast.Name) and n.id == old:
            n.id = new


def _returns_value(fn: ast.AST) -> bool:
    stack = list(ast.iter_child_nodes(fn))
    while stack:
        n = stack.pop()
        if isinstance(n, ast.Return) and n.value is not None and not (
                isinstance(n.value, ast.Constant) and n.value.value is None):
            return True
        if isinstance(n, (ast.FunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(n))
    return False
