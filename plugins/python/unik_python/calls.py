"""Calls → C: user functions, closures, constructors, methods, and the built-ins."""

from __future__ import annotations

import ast

from . import types as T
from .errors import CompileError
from .program import ClassInfo, FuncInfo
from .types import Ty


class CallsMixin:
    def ex_Call(self, node: ast.Call, hint: Ty | None) -> tuple[str, Ty]:
        f = node.func
        for a in node.args:
            if isinstance(a, ast.Starred):
                raise CompileError(a, "*args in calls is not supported")
        for kw in node.keywords:
            if kw.arg is None:
                raise CompileError(kw, "**kwargs in calls is not supported")
        if isinstance(f, ast.Name):
            var = self.lookup(f.id, f)
            if var is not None:
                code, ty = var
                if f.id in self.local_funcs:
                    return self.call_info(self.local_funcs[f.id], node, closure=code)
                if ty.name != "fn":
                    raise CompileError(node, f"{f.id} is a {ty}, not a function")
                return self.call_value(code, ty, node)
            if f.id in self.prog.functions:
                return self.call_info(self.prog.functions[f.id], node)
            if f.id in self.prog.classes:
                info = self.prog.classes[f.id]
                return self.construct(info, node.args, node.keywords, node)
            if f.id in self.prog.aliases:
                return self.module_call(self.prog.aliases[f.id], node, hint)
            method = getattr(self, f"bi_{f.id}", None)
            if method is not None:
                return method(node, hint)
            raise CompileError(node, f"function {f.id} is not defined (or not supported)")
        if isinstance(f, ast.Attribute):
            v = f.value
            if isinstance(v, ast.Name) and v.id in self.prog.aliases and \
                    self.lookup(v.id, v) is None:
                return self.module_call(f"{self.prog.aliases[v.id]}.{f.attr}", node, hint)
            if isinstance(v, ast.Attribute) and ast.unparse(v) == "sys.stdout" and \
                    f.attr == "write":
                (c, t), = [self.expr(a) for a in node.args]
                return f"(rt_write(1, {c}), (int64_t){c}->nchars)", T.INT
            if isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == "super":
                return self.super_call(node, f.attr)
            if isinstance(v, ast.Name) and v.id in self.prog.classes and \
                    self.lookup(v.id, v) is None:
                info = self.prog.classes[v.id]
                m = info.find_method(f.attr)
                if m is None:
                    raise CompileError(node, f"class {info.name} has no method {f.attr}")
                if m.owner is None:
                    return self.call_info(m, node)
                # Class.method(obj, ...): a direct (non-virtual) call
                return self.call_info(m, node)
            obj, ot = self.expr(v)
            return self.method(obj, ot, f.attr, node, hint)
        code, ty = self.expr(f)
        if ty.name != "fn":
            raise CompileError(node, f"a {ty} is not callable")
        return self.call_value(code, ty, node)

    # ---- argument binding ----
    def bind_args(self, info: FuncInfo, params: list[tuple[str, Ty]],
                  defaults: list[ast.expr | None], args: list[ast.expr],
                  keywords: list[ast.keyword], node: ast.AST,
                  pre: list[tuple[str, Ty]] | None = None) -> list[str]:
        pre = pre or []
        slots: list[tuple[str, Ty] | None] = [None] * len(params)
        for i, p in enumerate(pre):
            slots[i] = p
        if info.npos >= 0 and len(pre) + len(args) > info.npos:
            raise CompileError(node, f"{info.name}() takes {info.npos - len(pre)} positional "
                                     f"arguments (the others are keyword-only)")
        if len(pre) + len(args) > len(params):
            raise CompileError(node, f"{info.name}() takes {len(params) - len(pre)} arguments "
                                     f"but {len(args)} were given")
        for i, a in enumerate(args, start=len(pre)):
            slots[i] = self.expr(a, params[i][1])
        names = [n for n, _ in params]
        for kw in keywords:
            if kw.arg not in names:
                raise CompileError(kw, f"{info.name}() has no parameter {kw.arg}")
            i = names.index(kw.arg)
            if slots[i] is not None:
                raise CompileError(kw, f"{info.name}() got two values for {kw.arg}")
            slots[i] = self.expr(kw.value, params[i][1])
        out = []
        for i, (name, pt) in enumerate(params):
            got = slots[i]
            if got is None:
                d = defaults[i] if i < len(defaults) else None
                if d is None:
                    raise CompileError(node, f"{info.name}() missing argument {name}")
                got = self.expr(d, pt)
            out.append(self.coerce(got[0], got[1], pt, node))
        return out

    def call_info(self, info: FuncInfo, node: ast.Call, closure: str | None = None,
                  ) -> tuple[str, Ty]:
        args = self.bind_args(info, info.params, info.defaults, node.args, node.keywords, node)
        if closure is not None:
            return self.closure_call(closure, [t for _, t in info.params], info.ret, args), \
                info.ret
        return f"{info.cname}({', '.join(args)})", info.ret

    def closure_call(self, code: str, ptys: list[Ty], ret: Ty, args: list[str]) -> str:
        rt = "void" if ret == T.NONE else T.ctype(ret)
        sig = ", ".join(["Closure *", *(T.ctype(t) for t in ptys)])
        c = self.fresh("f")
        call_args = ", ".join([c, *args])
        return f"({{ Closure *{c} = {code}; (({rt} (*)({sig})){c}->fn)({call_args}); }})"

    def call_value(self, code: str, ty: Ty, node: ast.Call) -> tuple[str, Ty]:
        ptys, ret = list(ty.args[:-1]), ty.args[-1]
        if node.keywords:
            raise CompileError(node, "keyword arguments to a function value are not supported")
        if len(node.args) != len(ptys):
            raise CompileError(node, f"expected {len(ptys)} arguments, got {len(node.args)}")
        args = []
        for a, pt in zip(node.args, ptys, strict=True):
            c, t = self.expr(a, pt)
            args.append(self.coerce(c, t, pt, a))
        return self.closure_call(code, ptys, ret, args), ret

    # ---- classes ----
    def construct(self, info: ClassInfo, args: list[ast.expr], keywords: list[ast.keyword],
                  node: ast.AST) -> tuple[str, Ty]:
        if info.builtin:
            if keywords or len(args) > 1:
                raise CompileError(node, f"{info.name}() takes at most one argument here")
            if not args:
                return f"(({info.ctype})rt_exc_new(&{info.type_obj}, NULL))", info.ty
            c, t = self.expr(args[0])
            msg = self.to_repr(c, t) if info.name == "KeyError" and t != T.STR else \
                (self.to_str(c, t))
            if info.name == "KeyError" and t == T.STR:
                msg = f"rt_str_repr({c})"
            return f"(({info.ctype})rt_exc_new(&{info.type_obj}, {msg}))", info.ty
        self.unit.ensure_init(info)
        init = self.init_of(info)
        if init is None:
            if info.is_exc:
                if keywords or len(args) > 1:
                    raise CompileError(node, f"{info.name}() takes at most one argument")
                if args:
                    c, t = self.expr(args[0])
                    return f"new_{info.name}({self.to_str(c, t)})", info.ty
                return f"new_{info.name}(NULL)", info.ty
            if args or keywords:
                raise CompileError(node, f"{info.name}() takes no arguments (it has no "
                                         f"__init__)")
            return f"new_{info.name}()", info.ty
        params, defaults = init
        fake = FuncInfo(info.name, "", params, defaults, T.NONE, None)
        cargs = self.bind_args(fake, params, defaults, args, keywords, node)
        return f"new_{info.name}({', '.join(cargs)})", info.ty

    def init_of(self, info: ClassInfo):
        """(params without self, defaults) of the constructor, or None if it takes none."""
        c: ClassInfo | None = info
        while c is not None and not c.builtin:
            if "__init__" in c.methods:
                m = c.methods["__init__"]
                return m.params[1:], m.defaults[1:]
            if c.is_dataclass:
                fields = dataclass_fields(c)
                return ([(n, t) for n, t, _ in fields], [d for _, _, d in fields])
            c = c.base
        return None

    def super_call(self, node: ast.Call, name: str) -> tuple[str, Ty]:
        owner = self.info.owner if self.info else None
        if owner is None or owner.base is None:
            raise CompileError(node, "super() is supported in methods of a subclass only")
        base = owner.base
        if base.builtin:
            if name != "__init__":
                raise CompileError(node, f"super().{name}() of a built-in exception is not "
                                         f"supported")
            if len(node.args) > 1 or node.keywords:
                raise CompileError(node, "super().__init__() of an exception takes one "
                                         "message argument")
            if node.args:
                c, t = self.expr(node.args[0])
                return f"rt_exc_init((Exc *)p_self, {self.to_str(c, t)})", T.NONE
            return "rt_exc_init((Exc *)p_self, NULL)", T.NONE
        m = base.find_method(name)
        self_code = f"(({base.ctype}){self.lookup('self', node)[0]})"
        if m is None and name == "__init__" and base.is_exc and not any(
                c.is_dataclass for c in _chain(base)):
            if len(node.args) > 1 or node.keywords:
                raise CompileError(node, "an exception's __init__ takes one message argument")
            msg = "NULL"
            if node.args:
                c, t = self.expr(node.args[0])
                msg = self.to_str(c, t)
            return f"rt_exc_init((Exc *)p_self, {msg})", T.NONE
        if m is None:
            if name == "__init__" and base.is_dataclass:
                fields = dataclass_fields(base)
                fake = FuncInfo(base.name, "", [(n, t) for n, t, _ in fields],
                                [d for _, _, d in fields], T.NONE, None)
                args = self.bind_args(fake, fake.params, fake.defaults, node.args,
                                      node.keywords, node)
                return f"init_{base.name}({', '.join([self_code, *args])})", T.NONE
            if name == "__init__":
                return "((void)0)", T.NONE
            raise CompileError(node, f"{base.name} has no method {name}")
        args = self.bind_args(m, m.params, m.defaults, node.args, node.keywords, node,
                              pre=[(self_code, base.ty)])
        return f"{m.cname}({', '.join(args)})", m.ret

    def method_call(self, info: ClassInfo, m: FuncInfo, obj: str, args: list[tuple[str, Ty]],
                    keywords: list[ast.keyword], node: ast.AST) -> tuple[str, Ty]:
        """obj.m(args) with the arguments already compiled."""
        if m.owner is None:
            raise CompileError(node, f"{m.name} is a static method: call it on the class")
        o = self.fresh("o")
        params = m.params
        if len(args) != len(params) - 1:
            raise CompileError(node, f"{m.name}() takes {len(params) - 1} arguments")
        cargs = [self.coerce(c, t, pt, node) for (c, t), (_, pt) in
                 zip(args, params[1:], strict=True)]
        return self.dispatch(info, m, o, obj, cargs), m.ret

    def dispatch(self, info: ClassInfo, m: FuncInfo, o: str, obj: str, cargs: list[str]) -> str:
        owner = m.owner
        assert owner is not None
        self_c = f"(({owner.ctype}){o})"
        if owner.overridden(m.name) or info.overridden(m.name):
            slot = next(i for i, s in enumerate(owner.vtable()) if s.name == m.name)
            rt = "void" if m.ret == T.NONE else T.ctype(m.ret)
            sig = ", ".join(T.ctype(t) if i else owner.ctype
                            for i, (_, t) in enumerate(m.params))
            args = ", ".join([self_c, *cargs])
            call = f"(({rt} (*)({sig}))((Obj *){o})->type->vt[{slot}])({args})"
        else:
            call = f"{m.cname}({', '.join([self_c, *cargs])})"
        return f"({{ {info.ctype} {o} = RT_NN({obj}); {call}; }})"

    # ---- methods ----
    def method(self, obj: str, ot: Ty, name: str, node: ast.Call, hint: Ty | None,
               ) -> tuple[str, Ty]:
        if ot.name == "opt" and not ot.args[0].is_prim:
            obj, ot = f"RT_NN({obj})", ot.args[0]
        if ot.name == "cls":
            info = self.prog.classes[ot.args[0]]
            m = info.find_method(name)
            if m is None:
                ft = info.field_type(name)
                if ft is not None and ft.name == "fn":
                    return self.call_value(f"({obj})->f_{name}", ft, node)
                raise CompileError(node, f"class {info.name} has no method {name}")
            if m.owner is None:
                return self.call_info(m, node)
            o = self.fresh("o")
            cargs = self.bind_args(m, m.params, m.defaults, node.args, node.keywords, node,
                                   pre=[("", ot)])[1:]
            return self.dispatch(info, m, o, obj, cargs), m.ret
        from .methods import builtin_method
        return builtin_method(self, obj, ot, name, node, hint)

    def module_call(self, full: str, node: ast.Call, hint: Ty | None) -> tuple[str, Ty]:
        from .modules import module_call
        return module_call(self, full, node, hint)

    def __getattr__(self, name: str):
        if name.startswith("bi_"):
            from . import builtins
            fn = getattr(builtins, name, None)
            if fn is not None:
                return lambda node, hint: fn(self, node, hint)
        raise AttributeError(name)


def _chain(info: ClassInfo) -> list[ClassInfo]:
    out = []
    c: ClassInfo | None = info
    while c is not None and not c.builtin:
        out.append(c)
        c = c.base
    return out


def dataclass_fields(info: ClassInfo) -> list[tuple[str, Ty, ast.expr | None]]:
    """The __init__ parameters of a dataclass: every field, bases first."""
    out: list[tuple[str, Ty, ast.expr | None]] = []
    chain = []
    c: ClassInfo | None = info
    while c is not None and not c.builtin:
        chain.append(c)
        c = c.base
    for c in reversed(chain):
        for name, t in c.fields.items():
            d = c.defaults.get(name)
            if name in c.factories:
                d = ast.Call(func=c.factories[name], args=[], keywords=[])
                ast.copy_location(d, c.factories[name])
            out = [x for x in out if x[0] != name]
            out.append((name, t, d))
    return out
