"""Name scopes: which names a function binds, and which it takes from enclosing
functions (its free variables), to decide which locals must live in cells."""

from __future__ import annotations

import ast

SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _walk_own(nodes: list[ast.AST]):
    """Every node of these statements, not descending into nested scopes."""
    stack = list(nodes)
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, SCOPE_NODES):
            # the def binds its name here; its decorators and defaults run here too
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                stack.extend(n.decorator_list)
                stack.extend(n.args.defaults)
            continue
        stack.extend(ast.iter_child_nodes(n))


def body_of(fn: ast.AST) -> list[ast.AST]:
    if isinstance(fn, ast.Lambda):
        return [fn.body]
    return list(fn.body)  # type: ignore[attr-defined]


def params_of(fn: ast.AST) -> list[str]:
    a = fn.args  # type: ignore[attr-defined]
    return [x.arg for x in (*a.posonlyargs, *a.args, *([a.vararg] if a.vararg else []),
                            *a.kwonlyargs, *([a.kwarg] if a.kwarg else []))]


def declared(fn: ast.AST) -> tuple[set[str], set[str]]:
    """(global names, nonlocal names) declared in fn's own body."""
    g: set[str] = set()
    nl: set[str] = set()
    for n in _walk_own(body_of(fn)):
        if isinstance(n, ast.Global):
            g.update(n.names)
        elif isinstance(n, ast.Nonlocal):
            nl.update(n.names)
    return g, nl


def comp_targets(n: ast.AST) -> set[str]:
    out: set[str] = set()
    for gen in n.generators:  # type: ignore[attr-defined]
        for t in ast.walk(gen.target):
            if isinstance(t, ast.Name):
                out.add(t.id)
    return out


def locals_of(fn: ast.AST) -> set[str]:
    """Names fn binds itself (parameters, assignments, defs), not counting
    comprehension variables (they have their own scope)."""
    g, nl = declared(fn)
    out = set(params_of(fn))
    nodes = list(_walk_own(body_of(fn)))
    in_comp = {id(t) for n in nodes
               if isinstance(n, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
               for gen in n.generators for t in ast.walk(gen.target)}
    for n in nodes:
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)) and \
                id(n) not in in_comp:
            out.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
        elif isinstance(n, ast.ExceptHandler) and n.name:
            out.add(n.name)
        elif isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name:
            out.add(n.name)             # a capture pattern binds a local
    return out - g - nl


def used_names(fn: ast.AST) -> set[str]:
    """Every name read or written anywhere inside fn (nested scopes included)."""
    return {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)} | \
        {name for n in ast.walk(fn) if isinstance(n, ast.Nonlocal) for name in n.names}


def free_vars(fn: ast.AST) -> set[str]:
    """Names used in fn (or its nested functions) that fn does not bind itself."""
    out = set()
    own = locals_of(fn)
    g, _ = declared(fn)
    for n in _walk_own(body_of(fn)):
        if isinstance(n, ast.Name) and n.id not in own and n.id not in g:
            out.add(n.id)
        elif isinstance(n, ast.Nonlocal):
            out.update(n.names)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and n is not fn:
            out |= free_vars(n) - own
        elif isinstance(n, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            pass
    return out


def nested_functions(fn_body: list[ast.AST]) -> list[ast.AST]:
    """The functions and lambdas defined directly in these statements."""
    return [n for n in _walk_own(fn_body)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]


def cell_vars(fn_body: list[ast.AST], own: set[str]) -> set[str]:
    """Locals of a function that a nested function uses: they live in cells."""
    out: set[str] = set()
    for n in nested_functions(fn_body):
        out |= free_vars(n) & own
    return out
