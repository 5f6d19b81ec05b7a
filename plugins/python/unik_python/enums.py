"""Enums: `class Color(Enum)` / `IntEnum`, rewritten into an ordinary class.

    class Color(Enum):              class Color:
        RED = auto()                    def __init__(self, name: str, value: int): ...
        GREEN = "g"  (one type)         def __repr__(self) -> str  # <Color.RED: 1>
                                        def __str__(self) -> str   # Color.RED (IntEnum: 1)
                                        RED = Color("RED", 1)      # one object per member,
                                        _unik_members = [RED, …]   # a module global

Each member is one object created where the class is defined (so `is` and `==`
are identity, and members are dict keys and set items by identity); `.name` and
`.value` are its fields; `Color(v)` finds a member by value (ValueError
otherwise) and `Color["RED"]` by name (KeyError); the class used as a value
(`for c in Color`, `list(Color)`, `len(Color)`) is the list of its members in
definition order. A member whose value repeats an earlier one is an alias of it,
as in CPython. IntEnum members also order by value (`<`, sorted); they do not
mix with plain ints in arithmetic (use `.value`).
"""

from __future__ import annotations

import ast

from .errors import CompileError

MEMBERS = "_unik_members"
BY_VALUE = "_unik_of"
BY_NAME = "_unik_named"


def enum_kind(base: str) -> str | None:
    """"Enum" / "IntEnum" for a base class name the aliases resolved, else None."""
    return {"enum.Enum": "Enum", "enum.IntEnum": "IntEnum", "enum.StrEnum": "StrEnum"}.get(base)


def _parse(code: str, at: ast.AST) -> list[ast.stmt]:
    body = ast.parse(code).body
    for st in body:
        for n in ast.walk(st):
            ast.copy_location(n, at)
    return body


def rewrite(st: ast.ClassDef, kind: str, aliases: dict[str, str]) -> list[str]:
    """Rewrite the enum class `st` in place; returns its member names (aliases too)."""
    if kind == "StrEnum":
        raise CompileError(st, "StrEnum is not supported: use Enum with str values")
    name = st.name
    members: list[tuple[str, object]] = []      # (name, value) of each distinct member
    consts: list[ast.stmt] = []
    others: list[ast.stmt] = []
    last: object = 0
    seen: dict[object, str] = {}
    names: list[str] = []
    for item in st.body:
        if isinstance(item, ast.Assign) and len(item.targets) == 1 and \
                isinstance(item.targets[0], ast.Name):
            m = item.targets[0].id
            v = item.value
            if isinstance(v, ast.Call) and aliases.get(ast.unparse(v.func)) == "enum.auto" \
                    and not v.args:
                if not isinstance(last, int) or isinstance(last, bool):
                    raise CompileError(v, "auto() follows an int value (or starts at 1)")
                value: object = last + 1
            elif isinstance(v, ast.Constant) and type(v.value) in (int, str, float):
                value = v.value
            else:
                raise CompileError(v, "an enum member's value must be a literal int, str or "
                                      "float, or auto()")
            if kind == "IntEnum" and type(value) is not int:
                raise CompileError(v, "IntEnum values are ints")
            if members and type(value) is not type(members[0][1]):
                raise CompileError(v, f"the members of enum {name} must have values of one "
                                      f"type (every value needs one static type)")
            last = value
            names.append(m)
            if value in seen:       # an alias of the earlier member
                consts += _parse(f"{m} = {name}.{seen[value]}", item)
                continue
            seen[value] = m
            members.append((m, value))
            made = _parse(f"{m} = {name}({m!r}, {value!r})", item)
            made[0].value.unik_member = True  # type: ignore[attr-defined]  # the constructor
            consts += made
        elif isinstance(item, ast.AnnAssign):
            raise CompileError(item, "annotated attributes in an enum are not supported")
        else:
            others.append(item)
    if not members:
        raise CompileError(st, f"enum {name} has no members")
    vt = type(members[0][1]).__name__
    str_body = "return str(self.value)" if kind == "IntEnum" else \
        f"return {name + '.'!r} + self.name"
    methods = f'''
def __init__(self, name: str, value: {vt}) -> None:
    self.name = name
    self.value = value

def __repr__(self) -> str:
    return "<{name}." + self.name + ": " + repr(self.value) + ">"

def __str__(self) -> str:
    {str_body}

@staticmethod
def {BY_VALUE}(value: {vt}) -> "{name}":
    for m in {name}.{MEMBERS}:
        if m.value == value:
            return m
    raise ValueError(repr(value) + " is not a valid {name}")

@staticmethod
def {BY_NAME}(key: str) -> "{name}":
    for m in {name}.{MEMBERS}:
        if m.name == key:
            return m
    raise KeyError(key)
'''
    if kind == "IntEnum":
        for op, sym in (("lt", "<"), ("le", "<="), ("gt", ">"), ("ge", ">=")):
            methods += f'''
def __{op}__(self, other: "{name}") -> bool:
    return self.value {sym} other.value
'''
    user = {f.name for f in others if isinstance(f, ast.FunctionDef)}
    generated = [f for f in _parse(methods, st) if not (isinstance(f, ast.FunctionDef) and
                                                        f.name in user)]
    listing = ", ".join(f"{name}.{m}" for m, _ in members)
    st.body = [*generated, *others, *consts, *_parse(f"{MEMBERS} = [{listing}]", st)]
    st.bases = []
    return [*names, MEMBERS]
