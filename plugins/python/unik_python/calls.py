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
        if isinstance(f, ast.Name) and f.id == "print" and any(
                isinstance(a, ast.Starred) for a in node.args) and self.lookup(f.id, f) is None:
            return self.expr(_starred_print(node))
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
                if info.is_enum and not getattr(node, "unik_member", False):
                    # Color(value): the member with that value
                    from .enums import BY_VALUE
                    if len(node.args) != 1 or node.keywords:
                        raise CompileError(node, f"{f.id}(value) takes one argument")
                    m = info.find_method(BY_VALUE)
                    assert m is not None
                    return self.call_info(m, node)
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
            if isinstance(v, ast.Attribute) and isinstance(v.value, ast.Name) and \
                    self.prog.aliases.get(v.value.id) == "sys" and v.attr == "stdin":
                return self.stdin_call(f.attr, node)
            if isinstance(v, ast.Attribute) and ast.unparse(v) == "sys.stdout" and \
                    f.attr == "write":
                (c, t), = [self.expr(a) for a in node.args]
                return f"(rt_write(1, {c}), (int64_t){c}->nchars)", T.INT
            if isinstance(v, ast.Name) and v.id in ("bytes", "int") and \
                    self.lookup(v.id, v) is None and f.attr in ("fromhex", "from_bytes"):
                return self.type_method(v.id, f.attr, node)
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

    def type_method(self, cls: str, name: str, node: ast.Call) -> tuple[str, Ty]:
        """bytes.fromhex(s), int.from_bytes(b, byteorder, signed=False)."""
        if cls == "bytes" and name == "fromhex":
            if len(node.args) != 1 or node.keywords:
                raise CompileError(node, "bytes.fromhex() takes one str")
            c, t = self.expr(node.args[0])
            return f"rt_bytes_fromhex({self.coerce(c, t, T.STR, node)})", T.BYTES
        if cls == "int" and name == "from_bytes":
            args = self.byte_order_args(node, 1, "from_bytes")
            c, t = self.expr(node.args[0])
            if t != T.BYTES:
                raise CompileError(node.args[0], f"int.from_bytes() of {t}: bytes expected")
            return f"rt_int_from_bytes({c}, {args[0]}, {args[1]})", T.INT
        raise CompileError(node, f"{cls}.{name}() is not supported")

    def byte_order_args(self, node: ast.Call, npos: int, what: str) -> tuple[str, str]:
        """(little, signed) C flags of to_bytes/from_bytes: byteorder (default "big",
        as in Python 3.11) as the argument after the npos ones or a keyword."""
        order: ast.expr | None = node.args[npos] if len(node.args) > npos else None
        if len(node.args) > npos + 1:
            raise CompileError(node, f"{what}() takes at most {npos + 1} positional arguments")
        signed = "false"
        for kw in node.keywords:
            if kw.arg == "byteorder":
                order = kw.value
            elif kw.arg == "signed":
                c, t = self.expr(kw.value)
                signed = self.truth(c, t)
            else:
                raise CompileError(kw, f"{what}() has no argument {kw.arg}")
        little = "false"
        if order is not None:
            if not (isinstance(order, ast.Constant) and order.value in ("big", "little")):
                raise CompileError(order, "byteorder must be the literal 'big' or 'little'")
            little = "true" if order.value == "little" else "false"
        return little, signed

    # ---- argument binding ----
    def bind_args(self, info: FuncInfo, params: list[tuple[str, Ty]],
                  defaults: list[ast.expr | None], args: list[ast.expr],
                  keywords: list[ast.keyword], node: ast.AST,
                  pre: list[tuple[str, Ty]] | None = None, shift: int = 0) -> list[str]:
        """C arguments for a call: positional ones, keywords, defaults; extra positional
        arguments (and `*seq`) go to *args, extra keywords (and `**d`) to **kwargs.
        `shift`: how many leading parameters of `info` `params` leaves out."""
        pre = pre or []
        star = info.star - shift if info.star >= 0 else -1
        dstar = info.dstar - shift if info.dstar >= 0 else -1
        slots: list[tuple[str, Ty] | None] = [None] * len(params)
        where: dict[int, ast.AST] = {}          # the argument node of each slot, for errors
        for i, p in enumerate(pre):
            slots[i] = p
        npos = star if star >= 0 else (info.npos - shift if info.npos >= 0 else len(params))
        if dstar >= 0 and star < 0 and info.npos < 0:
            npos = dstar
        extra: list[tuple[str, Ty]] = []        # for *args, compiled
        extra_seq: tuple[str, Ty] | None = None  # a `*seq` that ends up in *args
        pos = len(pre)
        for a in args:
            if isinstance(a, ast.Starred):
                c, t = self.expr(a.value)
                if t.name == "tuple":       # a fixed tuple: its items, one by one
                    tmp = self.fresh("st")
                    self.emit(f"Tuple *{tmp} = {c};")
                    items = [(T.from_val(f"{tmp}->items[{k}]", et), et)
                             for k, et in enumerate(t.args)]
                else:
                    if star < 0 or pos < npos or extra_seq is not None or \
                            t.name not in ("list", "vtuple"):
                        raise CompileError(a, f"*{ast.unparse(a.value)} in a call: only a "
                                              f"tuple, or a list/tuple[T, ...] for the *args "
                                              f"of {info.name}(), can be unpacked")
                    extra_seq = (c, t)
                    continue
            else:
                items = [None]      # type: ignore[list-item]
            for it in items:
                if extra_seq is not None:
                    raise CompileError(a, "positional arguments after *seq are not supported")
                if pos < npos:
                    slots[pos] = it if it is not None else self.expr(a, params[pos][1])
                    where[pos] = a
                elif star >= 0:
                    et = params[star][1].args[0]
                    got = it if it is not None else self.expr(a, et)
                    extra.append((self.coerce(got[0], got[1], et, a), et))
                elif info.npos >= 0 and pos - len(pre) >= 0 and len(params) > npos:
                    raise CompileError(node, f"{info.name}() takes {npos - len(pre)} "
                                             f"positional arguments (the others are "
                                             f"keyword-only)")
                else:
                    raise CompileError(node, f"{info.name}() takes {npos - len(pre)} "
                                             f"arguments but {len(args)} were given")
                pos += 1
        names = [n for n, _ in params]
        kwextra: list[tuple[str, str]] = []     # (key C string, value C code) for **kwargs
        kwmerge: list[str] = []                 # `**d` dicts merged into **kwargs
        for kw in keywords:
            if kw.arg is None:
                if dstar < 0:
                    raise CompileError(kw, f"**{ast.unparse(kw.value)} in a call: "
                                           f"{info.name}() has no **kwargs parameter")
                c, t = self.expr(kw.value)
                self.coerce(c, t, params[dstar][1], kw)
                kwmerge.append(c)
                continue
            if kw.arg not in names or names.index(kw.arg) in (star, dstar):
                if dstar >= 0:
                    vt = params[dstar][1].args[1]
                    c, t = self.expr(kw.value, vt)
                    kwextra.append((self.unit.string(kw.arg), self.coerce(c, t, vt, kw)))
                    continue
                raise CompileError(kw, f"{info.name}() has no parameter {kw.arg}")
            i = names.index(kw.arg)
            if slots[i] is not None:
                raise CompileError(kw, f"{info.name}() got two values for {kw.arg}")
            slots[i] = self.expr(kw.value, params[i][1])
            where[i] = kw.value
        if star >= 0:
            et = params[star][1].args[0]
            lst = self.fresh("va")
            self.emit(f"List *{lst} = rt_list_new({T.kind(et)}, 0);")
            for c, _ in extra:
                self.emit(f"rt_list_append({lst}, {T.to_val(c, et)});")
            if extra_seq is not None:
                c, t = extra_seq
                src = self.as_list(c, t, node)[0]
                if t.args[0] != et:
                    raise CompileError(node, f"*args of {info.name}() are {et}, not {t.args[0]}")
                self.emit(f"rt_list_extend({lst}, (Obj *)({src}));")
            slots[star] = (f"rt_vtuple_from_list({lst})", params[star][1])
        if dstar >= 0:
            vt = params[dstar][1].args[1]
            d = self.fresh("kw")
            self.emit(f"Dict *{d} = rt_dict_new(RK_OBJ, {T.kind(vt)});")
            for m in kwmerge:
                self.emit(f"rt_dict_update({d}, {m});")
            for k, v in kwextra:
                self.emit(f"rt_dict_set({d}, rt_vp({k}), {T.to_val(v, vt)});")
            slots[dstar] = (d, params[dstar][1])
        out = []
        for i, (name, pt) in enumerate(params):
            got = slots[i]
            if got is None:
                d = defaults[i] if i < len(defaults) else None
                if d is None:
                    raise CompileError(node, f"{info.name}() missing argument {name}")
                got = self.expr(d, pt)
                where[i] = d
            out.append(self.coerce(got[0], got[1], pt, where.get(i, node)))
        return out

    def call_info(self, info: FuncInfo, node: ast.Call, closure: str | None = None,
                  ) -> tuple[str, Ty]:
        if closure is None and self.prog.functions.get(info.name) is info:
            info = self.int_specialization(info, node) or info
        args = self.bind_args(info, info.params, info.defaults, node.args, node.keywords, node)
        if closure is not None:
            return self.closure_call(closure, [t for _, t in info.params], info.ret, args), \
                info.ret
        return self.ordered_call(info.cname, list(zip(args, (t for _, t in info.params),
                                                      strict=True))), info.ret

    def int_specialization(self, info: FuncInfo, node: ast.Call, shift: int = 0,
                           ) -> FuncInfo | None:
        """A copy of a module-level function for a call that passes ints where it
        declares `float`: CPython keeps the int objects (area(2, 3) is 6, not 6.0), so
        those parameters are ints in the copy, and its result is an int if its body
        says so (tried first), else a float. None where nothing is to specialize or
        the body does not compile with ints (then the ints become floats). Methods
        too, where the call is direct (no subclass overrides them): `shift` 1 skips
        self."""
        if info.is_gen or info.star >= 0 or info.dstar >= 0 or info.node is None or \
                any(isinstance(a, ast.Starred) for a in node.args) or \
                any(kw.arg is None for kw in node.keywords):
            return None
        floats = {i for i, (_, t) in enumerate(info.params) if t == T.FLOAT}
        if not floats:
            return None
        assigned = {n.id for n in ast.walk(info.node) if isinstance(n, ast.Name) and
                    isinstance(n.ctx, ast.Store)}
        given: dict[int, ast.expr] = {i + shift: a for i, a in enumerate(node.args)}
        names = [n for n, _ in info.params]
        for kw in node.keywords:
            if kw.arg in names:
                given[names.index(kw.arg)] = kw.value
        ints = []
        for i in sorted(floats):
            if info.params[i][0] in assigned:
                continue
            a = given.get(i, info.defaults[i] if i < len(info.defaults) else None)
            if a is None:
                continue
            if isinstance(a, ast.Constant) and type(a.value) is int:
                ints.append(i)
            elif i in given and self.scratch_type(a) == T.INT:
                ints.append(i)
        if not ints:
            return None
        key = (info.cname, tuple(ints))
        cache = self.unit.specializations
        if key in cache:
            return cache[key]
        allowed = self.unit.spec_only
        if allowed is not None and key != allowed:
            return None         # deciding another function's result type: no new copies
        import copy
        spec = copy.copy(info)
        spec.cname = f"{info.cname}__i{'_'.join(map(str, ints))}"
        spec.params = [(n, T.INT if i in ints else t) for i, (n, t) in enumerate(info.params)]
        cache[key] = spec
        from .funcgen import FuncGen
        if info.ret == T.FLOAT:     # an int result if the body gives one (a dry run)
            spec.ret = T.INT
            saved_lines = len(self.unit.funcs), len(self.unit.protos), len(self.unit.decls)
            self.unit.spec_only = key
            try:
                FuncGen(self.unit, spec).compile_function()
            except CompileError:
                spec.ret = T.FLOAT
            finally:
                self.unit.spec_only = allowed
                del self.unit.funcs[saved_lines[0]:]
                del self.unit.protos[saved_lines[1]:]
                del self.unit.decls[saved_lines[2]:]
        try:
            FuncGen(self.unit, spec).compile_function()
        except CompileError:
            cache[key] = None
            return None
        return spec

    def scratch_type(self, e: ast.expr) -> Ty | None:
        """The static type of e, compiled and thrown away (None if it does not compile)."""
        mark, ind = len(self.lines), self.ind
        try:
            return self.expr(e)[1]
        except CompileError:
            return None
        finally:
            del self.lines[mark:]
            self.ind = ind

    def closure_call(self, code: str, ptys: list[Ty], ret: Ty, args: list[str]) -> str:
        rt = "void" if ret == T.NONE else T.ctype(ret)
        sig = ", ".join(["Closure *", *(T.ctype(t) for t in ptys)])
        c = self.fresh("f")
        decls, args = self.in_order(list(zip(args, ptys, strict=True)))
        call_args = ", ".join([c, *args])
        return f"({{ Closure *{c} = {code}; {decls}(({rt} (*)({sig})){c}->fn)({call_args}); }})"

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
        params, defaults, m = init
        fake = FuncInfo(info.name, "", params, defaults, T.NONE, None)
        shift = 0
        if m is not None:
            fake.star, fake.dstar, fake.npos = m.star, m.dstar, m.npos
            shift = 1
        cargs = self.bind_args(fake, params, defaults, args, keywords, node, shift=shift)
        return self.ordered_call(f"new_{info.name}", list(zip(cargs, (t for _, t in params),
                                                              strict=True))), info.ty

    def init_of(self, info: ClassInfo):
        """(params without self, defaults) of the constructor, or None if it takes none."""
        c: ClassInfo | None = info
        while c is not None and not c.builtin:
            if "__init__" in c.methods:
                m = c.methods["__init__"]
                return m.params[1:], m.defaults[1:], m
            if c.is_dataclass:
                fields = dataclass_fields(c)
                return ([(n, t) for n, t, _ in fields], [d for _, _, d in fields], None)
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
        decls = ""
        if len(cargs) == len(m.params) - 1:
            decls, cargs = self.in_order(list(zip(cargs, (t for _, t in m.params[1:]),
                                                  strict=True)))
        if owner.overridden(m.name) or info.overridden(m.name):
            slot = next(i for i, s in enumerate(owner.vtable()) if s.name == m.name)
            rt = "void" if m.ret == T.NONE else T.ctype(m.ret)
            sig = ", ".join(T.ctype(t) if i else owner.ctype
                            for i, (_, t) in enumerate(m.params))
            args = ", ".join([self_c, *cargs])
            call = f"(({rt} (*)({sig}))((Obj *){o})->type->vt[{slot}])({args})"
        else:
            call = f"{m.cname}({', '.join([self_c, *cargs])})"
        return f"({{ {info.ctype} {o} = RT_NN({obj}); {decls}{call}; }})"

    # ---- methods ----
    def method(self, obj: str, ot: Ty, name: str, node: ast.Call, hint: Ty | None,
               ) -> tuple[str, Ty]:
        v = node.func.value if isinstance(node.func, ast.Attribute) else None
        if isinstance(v, ast.Name) and v.id in self.partial and len(node.args) == 1 and \
                name == {"list": "append", "set": "add"}.get(ot.name):
            _, et = self.expr(node.args[0])
            if et.name != "unknown" and "?" not in str(et) and et != T.NONE:
                self.refine_partial(v.id, [et])
                obj, ot = self.expr(v)
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
            if not m.name.startswith("__") and not m.owner.overridden(m.name) and \
                    not info.overridden(m.name):    # called directly: may take int copies
                m = self.int_specialization(m, node, shift=1) or m
            o = self.fresh("o")
            cargs = self.bind_args(m, m.params, m.defaults, node.args, node.keywords, node,
                                   pre=[("", ot)])[1:]
            return self.dispatch(info, m, o, obj, cargs), m.ret
        from .methods import builtin_method
        return builtin_method(self, obj, ot, name, node, hint)

    def stdin_call(self, name: str, node: ast.Call) -> tuple[str, Ty]:
        """sys.stdin.readline() / .read() / .readlines(): fd 0, through read(2)."""
        got = {"readline": ("rt_stdin_readline()", T.STR), "read": ("rt_stdin_read()", T.STR),
               "readlines": ("rt_stdin_readlines()", T.list_of(T.STR))}.get(name)
        if got is None:
            raise CompileError(node, f"sys.stdin.{name}() is not supported (readline, read, "
                                     f"readlines, or iterate over sys.stdin)")
        if node.args or node.keywords:
            raise CompileError(node, f"sys.stdin.{name}() takes no arguments here")
        return got

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


def _starred_print(node: ast.Call) -> ast.Call:
    """print(a, *xs, sep=s) as print(s.join([str(a)] + [str(v) for v in xs]))."""
    sep: ast.expr = ast.Constant(value=" ")
    keep = []
    for kw in node.keywords:
        if kw.arg == "sep":
            sep = kw.value
        else:
            keep.append(kw)
    parts: ast.expr | None = None
    for a in node.args:
        if isinstance(a, ast.Starred):
            v = ast.Name(id="_unik_v", ctx=ast.Load())
            part: ast.expr = ast.ListComp(
                elt=ast.Call(func=ast.Name(id="str", ctx=ast.Load()), args=[v], keywords=[]),
                generators=[ast.comprehension(target=ast.Name(id="_unik_v", ctx=ast.Store()),
                                              iter=a.value, ifs=[], is_async=0)])
        else:
            part = ast.List(elts=[ast.Call(func=ast.Name(id="str", ctx=ast.Load()), args=[a],
                                           keywords=[])], ctx=ast.Load())
        parts = part if parts is None else ast.BinOp(left=parts, op=ast.Add(), right=part)
    assert parts is not None
    joined = ast.Call(func=ast.Attribute(value=sep, attr="join", ctx=ast.Load()), args=[parts],
                      keywords=[])
    out = ast.Call(func=node.func, args=[joined], keywords=keep)
    for n in ast.walk(out):
        if not hasattr(n, "lineno") or n is out or isinstance(n, (ast.Call, ast.ListComp,
                                                                   ast.List, ast.BinOp,
                                                                   ast.Name, ast.Constant,
                                                                   ast.Attribute)):
            if not hasattr(n, "lineno"):
                ast.copy_location(n, node)
    return out


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
