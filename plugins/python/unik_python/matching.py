"""The match statement, rewritten into the if statements it means.

    match cmd:                          _m = cmd; _done = False
        case Move(dx=0, dy=dy) if dy:   if not _done:
            ...                             if isinstance(_m, Move):      (narrows _m)
        case "quit" | "exit":                   if _m.dx == 0:
            ...                                     dy = _m.dy
        case _:                                     if dy:
            ...                                         ...; _done = True
                                        if not _done:
                                            if _m == "quit" or _m == "exit": ...

Patterns: literals and dotted constants (`Color.RED`), `None`/`True`/`False`,
captures and `_`, `|` of patterns without captures, `as`, sequences of a fixed
length (`(x, y)`, `[a, b, c]`) of tuples and lists, and class patterns at the top
(`Point(x=0, y=y)`, positional ones by a dataclass's or NamedTuple's field order;
`int(x)`/`str(x)`-style patterns of the subject's own type), with guards.
Mapping patterns, star patterns and class patterns nested in other patterns
are compile errors.
"""

from __future__ import annotations

import ast

from .errors import CompileError


def _name(id_: str, store: bool = False) -> ast.Name:
    return ast.Name(id=id_, ctx=ast.Store() if store else ast.Load())


def _at(node: ast.AST, where: ast.AST) -> ast.AST:
    for n in ast.walk(node):
        if not hasattr(n, "lineno") or getattr(n, "unik_synth", False):
            ast.copy_location(n, where)
    return node


def _synth(node: ast.AST) -> ast.AST:
    """Mark a node built here (its location is the case's), not the user's."""
    node.unik_synth = True  # type: ignore[attr-defined]
    return node


PRIMS = {"int", "float", "str", "bool", "bytes", "list", "dict", "set", "tuple"}


class Rewriter:
    def __init__(self, fresh, fields_of) -> None:
        self.fresh = fresh              # () -> a new hidden name
        self.fields_of = fields_of      # class name -> positional field names, or None

    def pattern(self, p: ast.pattern, subj: ast.expr, top: bool,
                conds: list[ast.expr], binds: list[tuple[str, ast.expr]]) -> ast.expr | None:
        """Conditions and bindings of `p` matched against `subj`; returns the class a
        top-level class pattern tests (its isinstance narrows the subject), else None."""
        if isinstance(p, ast.MatchValue):
            conds.append(_synth(ast.Compare(left=subj, ops=[ast.Eq()], comparators=[p.value])))
        elif isinstance(p, ast.MatchSingleton):
            op = ast.Is() if p.value is None else ast.Eq()
            conds.append(_synth(ast.Compare(left=subj, ops=[op],
                                            comparators=[_synth(ast.Constant(value=p.value))])))
        elif isinstance(p, ast.MatchAs):
            if p.pattern is not None:
                cls = self.pattern(p.pattern, subj, top, conds, binds)
                if p.name:
                    binds.append((p.name, subj))
                return cls
            if p.name:
                binds.append((p.name, subj))
        elif isinstance(p, ast.MatchOr):
            alts = []
            for alt in p.patterns:
                c: list[ast.expr] = []
                b: list[tuple[str, ast.expr]] = []
                self.pattern(alt, subj, False, c, b)
                if b:
                    raise CompileError(alt, "names bound inside | patterns are not supported")
                alts.append(_synth(ast.BoolOp(op=ast.And(), values=c)) if len(c) > 1 else
                            c[0] if c else _synth(ast.Constant(value=True)))
            conds.append(_synth(ast.BoolOp(op=ast.Or(), values=alts)))
        elif isinstance(p, ast.MatchSequence):
            if any(isinstance(x, ast.MatchStar) for x in p.patterns):
                raise CompileError(p, "star patterns (case [x, *rest]) are not supported")
            n = len(p.patterns)
            conds.append(_synth(ast.Compare(
                left=_synth(ast.Call(func=_synth(_name("len")), args=[subj], keywords=[])),
                ops=[ast.Eq()], comparators=[_synth(ast.Constant(value=n))])))
            for i, sub in enumerate(p.patterns):
                item = _synth(ast.Subscript(value=subj, slice=_synth(ast.Constant(value=i)),
                                            ctx=ast.Load()))
                self.pattern(sub, item, False, conds, binds)
        elif isinstance(p, ast.MatchClass):
            if not top:
                raise CompileError(p, "class patterns inside other patterns are not supported")
            cls = ast.unparse(p.cls)
            if cls in PRIMS:
                if p.kwd_patterns or len(p.patterns) > 1:
                    raise CompileError(p, f"{cls}() patterns take at most one sub-pattern")
                conds.append(_synth(ast.Call(func=_synth(_name("isinstance")),
                                             args=[subj, p.cls], keywords=[])))
                for sub in p.patterns:
                    self.pattern(sub, subj, False, conds, binds)
                return None
            fields = self.fields_of(cls)
            if p.patterns and fields is None:
                raise CompileError(p, f"positional patterns need a dataclass or NamedTuple "
                                      f"(class {cls} has no field order); use {cls}(name=…)")
            if fields is not None and len(p.patterns) > len(fields):
                raise CompileError(p, f"{cls}() accepts {len(fields)} positional sub-patterns")
            subs = [*zip((fields or [])[:len(p.patterns)], p.patterns, strict=True),
                    *zip(p.kwd_attrs, p.kwd_patterns, strict=True)]
            for attr, sub in subs:
                item = _synth(ast.Attribute(value=subj, attr=attr, ctx=ast.Load()))
                self.pattern(sub, item, False, conds, binds)
            return p.cls
        elif isinstance(p, ast.MatchMapping):
            raise CompileError(p, "mapping patterns (case {...}) are not supported")
        else:
            raise CompileError(p, f"{type(p).__name__} patterns are not supported")
        return None

    def rewrite(self, st: ast.Match) -> list[ast.stmt]:
        m, done = self.fresh("m"), self.fresh("done")
        out: list[ast.stmt] = [
            _at(_synth(ast.Assign(targets=[_synth(_name(m, True))], value=st.subject)), st),
            _at(_synth(ast.Assign(targets=[_synth(_name(done, True))],
                                  value=_synth(ast.Constant(value=False)))), st)]
        for case in st.cases:
            conds: list[ast.expr] = []
            binds: list[tuple[str, ast.expr]] = []
            cls = self.pattern(case.pattern, _synth(_name(m)), True, conds, binds)
            where = case.pattern
            inner: list[ast.stmt] = [*case.body, _synth(ast.Assign(
                targets=[_synth(_name(done, True))], value=_synth(ast.Constant(value=True))))]
            if case.guard is not None:
                inner = [_synth(ast.If(test=case.guard, body=inner, orelse=[]))]
            inner = [_synth(ast.Assign(targets=[_synth(_name(n, True))], value=v))
                     for n, v in binds] + inner
            if conds:
                inner = [_synth(ast.If(test=_synth(ast.BoolOp(op=ast.And(), values=conds))
                                       if len(conds) > 1 else conds[0], body=inner,
                                       orelse=[]))]
            if cls is not None:     # isinstance outermost: its if narrows the subject
                inner = [_synth(ast.If(test=_synth(ast.Call(
                    func=_synth(_name("isinstance")), args=[_synth(_name(m)), cls],
                    keywords=[])), body=inner, orelse=[]))]
            guard = _synth(ast.If(test=_synth(ast.UnaryOp(op=ast.Not(),
                                                          operand=_synth(_name(done)))),
                                  body=inner, orelse=[]))
            out.append(_at(guard, where))
        return out
