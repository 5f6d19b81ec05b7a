"""The static types of the subset and how each is represented in C."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ty:
    """A type: `name` is int, float, bool, str, None, list, dict, set, tuple, opt,
    cls (args[0] is the class name), fn (args = params..., ret), gen, deque,
    defaultdict, counter, vtuple (tuple[T, ...], *args), or unknown (the element of an
    empty literal)."""

    name: str
    args: tuple = ()

    def __str__(self) -> str:
        a = self.args
        if self.name in ("int", "float", "bool", "str", "None", "bytes"):
            return self.name
        if self.name == "cls":
            return a[0]
        if self.name == "opt":
            return f"Optional[{a[0]}]"
        if self.name == "fn":
            return f"Callable[[{', '.join(map(str, a[:-1]))}], {a[-1]}]"
        if self.name == "gen":
            return f"Iterator[{a[0]}]"
        if self.name == "unknown":
            return "?"
        if self.name == "vtuple":
            return f"tuple[{a[0]}, ...]"
        return f"{self.name}[{', '.join(map(str, a))}]"

    @property
    def is_prim(self) -> bool:
        return self.name in ("int", "float", "bool")

    @property
    def is_dictlike(self) -> bool:
        return self.name in ("dict", "defaultdict", "counter")


INT = Ty("int")
FLOAT = Ty("float")
BOOL = Ty("bool")
STR = Ty("str")
BYTES = Ty("bytes")
NONE = Ty("None")
UNKNOWN = Ty("unknown")


def list_of(t: Ty) -> Ty:
    return Ty("list", (t,))


def dict_of(k: Ty, v: Ty) -> Ty:
    return Ty("dict", (k, v))


def set_of(t: Ty) -> Ty:
    return Ty("set", (t,))


def tuple_of(*ts: Ty) -> Ty:
    return Ty("tuple", tuple(ts))


def opt(t: Ty) -> Ty:
    if t.name in ("opt", "None"):
        return t
    return Ty("opt", (t,))


def cls(name: str) -> Ty:
    return Ty("cls", (name,))


def elem(t: Ty) -> Ty:
    """The element type of an iterable container."""
    if t.name in ("list", "set", "gen", "deque", "vtuple", "frozenset"):
        return t.args[0]
    if t.is_dictlike:
        return t.args[0]
    if t.name == "str":
        return STR
    raise KeyError(t)


def ctype(t: Ty) -> str:
    n = t.name
    if n == "int":
        return "int64_t"
    if n == "float":
        return "double"
    if n == "bool":
        return "bool"
    if n == "str":
        return "Str *"
    if n == "bytes":
        return "Bytes *"
    if n == "list":
        return "List *"
    if n in ("dict", "set", "defaultdict", "counter", "frozenset"):
        return "Dict *"
    if n in ("tuple", "vtuple"):
        return "Tuple *"
    if n == "cls":
        return f"struct C_{t.args[0]} *"
    if n == "fn":
        return "Closure *"
    if n == "gen":
        return "Gen *"
    if n == "deque":
        return "Deque *"
    if n == "opt":
        inner = t.args[0]
        return "Obj *" if inner.is_prim else ctype(inner)
    return "Obj *"


def kind(t: Ty) -> str:
    return {"int": "RK_INT", "float": "RK_FLOAT", "bool": "RK_BOOL"}.get(t.name, "RK_OBJ")


def kind_digit(t: Ty) -> str:
    return {"int": "0", "float": "1", "bool": "2"}.get(t.name, "3")


def to_val(code: str, t: Ty) -> str:
    if t.name in ("int", "bool"):
        return f"rt_vi({code})"
    if t.name == "float":
        return f"rt_vf({code})"
    return f"rt_vp({code})"


def from_val(code: str, t: Ty) -> str:
    if t.name == "int":
        return f"({code}).i"
    if t.name == "bool":
        return f"(({code}).i != 0)"
    if t.name == "float":
        return f"({code}).f"
    return f"(({ctype(t)})({code}).p)"
