"""Programs of several files: the local modules main.py imports, merged into one module.

    import util            util.py (or util/__init__.py) next to main.py
    from util import f     from shapes.circle import area     import pkg.mod as m

Each imported module is parsed, its own imports followed (each module once, in
the order CPython first executes them), and its top-level functions and
variables renamed `<module>__<name>` (dots become `_`), so that two modules may
both define `helper` or `count`. Every reference is rewritten to the new name:
inside the module, its own names (where no local variable shadows them);
in an importer, `util.f` and the names `from util import` brought in. Classes
keep their names (the generated structs, `repr` and error messages use them),
so two modules may not define classes of the same name. The merged module is
then compiled as one program: the module bodies run first, dependencies first,
as CPython runs them on import; each imported module's
`if __name__ == "__main__":` block is dropped (its `__name__` is its own name).
Every node remembers its file (`unik_file`), for errors and tracebacks.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from . import scopes
from .errors import CompileError
from .program import MODULES


@dataclass
class Module:
    name: str                   # dotted: "util", "pkg.mod"
    path: Path
    tree: ast.Module
    prefix: str                 # "util__", "pkg_mod__"; "" for the main module
    top: dict[str, str] = field(default_factory=dict)   # renamed top-level names
    classes: set[str] = field(default_factory=set)
    exports: dict[str, str] = field(default_factory=dict)  # what `from it import` reaches


def parse_file(path: Path, display: str) -> ast.Module:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        err = CompileError(None, f"cannot read {display}: {e}")
        raise err from None
    try:
        tree = ast.parse(text, filename=display)
    except SyntaxError as e:
        err = CompileError(None, f"syntax error: {e.msg}")
        err.line, err.col = e.lineno or 0, e.offset or 0
        err.file = display
        raise err from None
    for n in ast.walk(tree):
        n.unik_file = display  # type: ignore[attr-defined]
    return tree


class Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.modules: dict[str, Module] = {}
        self.order: list[Module] = []           # dependencies first
        self.loading: set[str] = set()

    def display(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def find(self, name: str) -> Path | None:
        base = self.root.joinpath(*name.split("."))
        for p in (base.with_suffix(".py"), base / "__init__.py"):
            if p.is_file():
                return p
        return None

    def is_local(self, name: str) -> bool:
        return name.split(".")[0] not in MODULES and name != "collections.abc" and \
            self.find(name) is not None

    def load(self, name: str, node: ast.AST) -> Module:
        if name in self.modules:
            return self.modules[name]
        if name in self.loading:
            raise CompileError(node, f"circular import of {name} is not supported")
        path = self.find(name)
        if path is None:
            raise CompileError(node, f"module {name} is not available in the subset and "
                                     f"there is no {name.replace('.', '/')}.py in the project")
        # a package's __init__ runs before its submodules (and may import them)
        if "." in name:
            parent = name.rsplit(".", 1)[0]
            if self.find(parent) is not None and parent not in self.loading:
                self.load(parent, node)
            if name in self.modules:
                return self.modules[name]
        self.loading.add(name)
        tree = parse_file(path, self.display(path))
        for st in ast.walk(tree):
            if isinstance(st, ast.ClassDef):
                st.unik_module = name  # type: ignore[attr-defined]
        mod = Module(name, path, tree, name.replace(".", "_") + "__")
        self.follow_imports(mod)
        self.loading.discard(name)
        self.modules[name] = mod
        self.order.append(mod)
        return mod

    def follow_imports(self, mod: Module) -> None:
        for st in ast.walk(mod.tree):
            if isinstance(st, ast.Import):
                for a in st.names:
                    if self.is_local(a.name):
                        self.load(a.name, st)
            elif isinstance(st, ast.ImportFrom):
                if st.level:
                    raise CompileError(st, "relative imports (from . import x) are not "
                                           "supported: import the module by its name")
                if st.module and self.is_local(st.module):
                    self.load(st.module, st)
                    for a in st.names:      # from pkg import submodule
                        sub = f"{st.module}.{a.name}"
                        if self.find(sub) is not None:
                            self.load(sub, st)


def _top_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(functions and variables, classes) a module binds at its top level."""
    names: set[str] = set()
    classes: set[str] = set()
    comps = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
    in_comp = {id(t) for n in ast.walk(tree) if isinstance(n, comps)
               for g in n.generators for t in ast.walk(g.target)}
    for n in scopes._walk_own(list(tree.body)):
        if isinstance(n, ast.ClassDef):
            classes.add(n.name)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(n.name)
        elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and id(n) not in in_comp:
            names.add(n.id)
    return names, classes


class _Renamer(ast.NodeTransformer):
    """Rewrites a module's references to renamed module-level names."""

    def __init__(self, names: dict[str, str], modules: dict[str, str | dict[str, str]],
                 ) -> None:
        self.names = names              # module-level name → new name
        self.modules = modules          # alias of an imported module → its names
        self.shadow: list[set[str]] = []

    def shadowed(self, name: str) -> bool:
        return any(name in s for s in self.shadow)

    def _scope(self, node: ast.AST, own: set[str]) -> ast.AST:
        self.shadow.append(own)
        self.generic_visit(node)
        self.shadow.pop()
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef, method: bool = False) -> ast.AST:
        # decorators, defaults and annotations belong to the enclosing scope
        if not method and node.name in self.names and not self.shadowed(node.name):
            node.unik_name = node.name  # type: ignore[attr-defined]   # for tracebacks
            node.name = self.names[node.name]
        for d in node.decorator_list:
            self.visit(d)
        a = node.args
        for d in [*a.defaults, *(x for x in a.kw_defaults if x)]:
            self.visit(d)
        for x in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]:
            if x is not None and x.annotation is not None:
                x.annotation = self.visit(x.annotation)
        if node.returns is not None:
            node.returns = self.visit(node.returns)
        own = scopes.locals_of(node)
        g, _ = scopes.declared(node)
        self.shadow.append(own)
        for st in node.body:
            self.visit(st)
        self.shadow.pop()
        for st in ast.walk(node):
            if isinstance(st, ast.Global):
                st.names = [self.names.get(n, n) if n in g else n for n in st.names]
        return node

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        return self._scope(node, set(scopes.params_of(node)))

    def _comp(self, node: ast.AST) -> ast.AST:
        return self._scope(node, scopes.comp_targets(node))

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comp

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        for b in node.bases:
            self.visit(b)
        for d in node.decorator_list:
            self.visit(d)
        for st in node.body:
            if isinstance(st, (ast.Assign, ast.AnnAssign)):
                # class attributes are not module names: only their values are renamed
                if st.value is not None:
                    st.value = self.visit(st.value)
                if isinstance(st, ast.AnnAssign):
                    st.annotation = self.visit(st.annotation)
            elif isinstance(st, ast.FunctionDef):
                self.visit_FunctionDef(st, method=True)
            else:
                self.visit(st)
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.names and not self.shadowed(node.id):
            node.id = self.names[node.id]
        return node

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        dotted = _dotted(node.value)
        if dotted is not None and not self.shadowed(dotted.split(".")[0]):
            target = self.modules.get(dotted)
            if isinstance(target, dict):
                if node.attr not in target:
                    raise CompileError(node, f"module {dotted} has no {node.attr}")
                new = ast.Name(id=target[node.attr], ctx=node.ctx)
                return ast.copy_location(new, node)
        self.generic_visit(node)
        return node


class _ModuleName(ast.NodeTransformer):
    """`__name__` in an imported module is the module's name."""

    def __init__(self, name: str) -> None:
        self.name = name

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id == "__name__":
            return ast.copy_location(ast.Constant(value=self.name), node)
        return node


def _dotted(n: ast.expr) -> str | None:
    if isinstance(n, ast.Name):
        return n.id
    if isinstance(n, ast.Attribute):
        inner = _dotted(n.value)
        return None if inner is None else f"{inner}.{n.attr}"
    return None


def _exports(mod: Module) -> dict[str, str]:
    """What `mod.x` / `from mod import x` reach: x → the merged program's name (its
    own names, and those it imported with from … import)."""
    return mod.exports


def _is_main_guard(st: ast.stmt) -> bool:
    return isinstance(st, ast.If) and "__name__" in ast.unparse(st.test) and \
        "__main__" in ast.unparse(st.test)


def merge(main_tree: ast.Module, root: Path) -> ast.Module | None:
    """main.py with the local modules it imports merged in; None if it imports none."""
    loader = Loader(root)
    main = Module("__main__", root / "main.py", main_tree, "")
    loader.follow_imports(main)
    if not loader.order:
        return None
    every = [*loader.order, main]
    owner: dict[str, str] = {}
    for m in every:
        names, m.classes = _top_names(m.tree)
        m.top = {n: m.prefix + n for n in names} if m.prefix else {n: n for n in names}
        for c in m.classes:
            if c in owner:
                raise CompileError(next(st for st in m.tree.body if isinstance(
                    st, ast.ClassDef) and st.name == c), f"class {c} is also defined in "
                                                          f"{owner[c]}: classes of a program "
                                                          f"need distinct names")
            owner[c] = "main.py" if not m.prefix else str(m.path.name)
    body: list[ast.stmt] = []
    for m in every:
        names = {n: new for n, new in m.top.items() if new != n}
        modules: dict[str, str | dict[str, str]] = {}
        kept: list[ast.stmt] = []
        for st in m.tree.body:
            if m.prefix and _is_main_guard(st):
                continue
            kept.append(st)
        for st in ast.walk(ast.Module(body=kept, type_ignores=[])):
            if isinstance(st, ast.Import):
                for a in st.names:
                    if a.name in loader.modules:
                        if a.asname:
                            modules[a.asname] = _exports(loader.modules[a.name])
                        else:   # import pkg.mod binds pkg; pkg.mod.x reaches mod's x
                            parts = a.name.split(".")
                            for i in range(1, len(parts) + 1):
                                sub = ".".join(parts[:i])
                                if sub in loader.modules:
                                    modules[sub] = _exports(loader.modules[sub])
            elif isinstance(st, ast.ImportFrom) and st.module in loader.modules:
                ex = _exports(loader.modules[st.module])
                for a in st.names:
                    if a.name == "*":
                        raise CompileError(st, "from ... import * is not supported")
                    local = a.asname or a.name
                    sub = f"{st.module}.{a.name}"
                    if sub in loader.modules:
                        modules[local] = _exports(loader.modules[sub])
                    elif a.name in ex:
                        names[local] = ex[a.name]
                    else:
                        raise CompileError(st, f"module {st.module} has no {a.name}")
        m.exports = {**m.top, **{c: c for c in m.classes}, **names}
        renamer = _Renamer(names, modules)
        for st in kept:
            if isinstance(st, (ast.Import, ast.ImportFrom)) and _only_local(st, loader):
                continue
            if isinstance(st, ast.Import):
                st.names = [a for a in st.names if a.name not in loader.modules]
            new = renamer.visit(st)
            if m.prefix:
                new = _ModuleName(m.name).visit(new)
            body.append(new)
    merged = ast.Module(body=body, type_ignores=[])
    return merged


def _only_local(st: ast.Import | ast.ImportFrom, loader: Loader) -> bool:
    if isinstance(st, ast.ImportFrom):
        return st.module in loader.modules
    return all(a.name in loader.modules for a in st.names)
