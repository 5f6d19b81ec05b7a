/* Exceptions: the built-in classes, raising (longjmp to the innermost handler),
 * and the traceback-style report of an uncaught exception. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "pyrt.h"

Handler *rt_handler;
Exc *rt_exc;
int rt_line;
const char *rt_file = "main.py";
PyFrame *rt_top;

/* The traceback of the exception raised last: its innermost TB_MAX frames, taken
 * when it is first raised (a re-raise by finally, with or `raise` keeps them). */
#define TB_MAX 64
static const FrameInfo *tb_info[TB_MAX];
static int tb_line[TB_MAX];
static int tb_n;
static bool tb_more;

static void take_traceback(void) {
    tb_n = 0;
    tb_more = false;
    for (PyFrame *f = rt_top; f; f = f->prev) {
        if (tb_n == TB_MAX) {
            tb_more = true;
            break;
        }
        tb_info[tb_n] = f->info;
        tb_line[tb_n++] = f->line;
    }
}

Str *rt_exc_str(Obj *o) {
    Exc *e = (Exc *)o;
    return e->msg ? e->msg : rt_str_c("");
}

Str *rt_exc_repr(Obj *o) {
    Exc *e = (Exc *)o;
    if (!e->msg) return rt_str_fmt("%s()", o->type->name);
    Str *r = rt_str_repr(e->msg);
    return rt_str_fmt("%s(%s)", o->type->name, r->data);
}

void rt_exc_trace(Obj *o) {
    Exc *e = (Exc *)o;
    rt_gc_mark(e->msg);
    rt_gc_mark(e->value);
}

#define EXC_TYPE(N, B) \
    const Type T_##N = {.name = #N, .base = B, .repr = rt_exc_repr, .str = rt_exc_str, \
                        .trace = rt_exc_trace}
EXC_TYPE(BaseException, NULL);
EXC_TYPE(Exception, &T_BaseException);
EXC_TYPE(SystemExit, &T_BaseException);
EXC_TYPE(ArithmeticError, &T_Exception);
EXC_TYPE(LookupError, &T_Exception);
EXC_TYPE(ValueError, &T_Exception);
EXC_TYPE(TypeError, &T_Exception);
EXC_TYPE(KeyError, &T_LookupError);
EXC_TYPE(IndexError, &T_LookupError);
EXC_TYPE(ZeroDivisionError, &T_ArithmeticError);
EXC_TYPE(OverflowError, &T_ArithmeticError);
EXC_TYPE(RuntimeError, &T_Exception);
EXC_TYPE(RecursionError, &T_RuntimeError);
EXC_TYPE(NotImplementedError, &T_RuntimeError);
EXC_TYPE(AssertionError, &T_Exception);
EXC_TYPE(StopIteration, &T_Exception);
EXC_TYPE(AttributeError, &T_Exception);
EXC_TYPE(MemoryError, &T_Exception);
EXC_TYPE(UnicodeError, &T_ValueError);
EXC_TYPE(UnicodeDecodeError, &T_UnicodeError);

bool rt_is_subtype(const Type *t, const Type *base) {
    for (; t; t = t->base)
        if (t == base) return true;
    return false;
}

bool rt_isinstance(Obj *o, const Type *t) { return o && rt_is_subtype(o->type, t); }

void rt_exc_init(Exc *e, Str *msg) { e->msg = msg; }

Exc *rt_exc_new(const Type *t, Str *msg) {
    Exc *e = rt_alloc(t, sizeof(Exc));
    e->msg = msg;
    return e;
}

static void uncaught(Exc *e) {
    rt_flush();
    if (e->h.type == &T_SystemExit) {
        Obj *v = e->value;
        if (!v) rt_exit(0);
        if (v->type == &T_Box) rt_exit(((Box *)v)->v.i);
        Str *m = rt_str(v);
        fprintf(stderr, "%s\n", m->data);
        rt_exit(1);
    }
    Str *msg = e->h.type->str ? e->h.type->str(&e->h) : rt_str_c("");
    fprintf(stderr, "Traceback (most recent call last):\n");
    if (tb_more) fprintf(stderr, "  [outer frames not shown]\n");
    for (int i = tb_n - 1; i >= 0; i--)
        fprintf(stderr, "  File \"%s\", line %d, in %s\n", tb_info[i]->file, tb_line[i],
                tb_info[i]->func);
    if (e->h.type->module) fprintf(stderr, "%s.", e->h.type->module);
    if (msg->len)
        fprintf(stderr, "%s: %s\n", e->h.type->name, msg->data);
    else
        fprintf(stderr, "%s\n", e->h.type->name);
    fflush(stderr);
    rt_exit(1);
}

void rt_raise(Exc *e) {
    rt_exc = e;
    if (!e->traced) {
        e->traced = 1;
        take_traceback();
    }
    if (!rt_handler) uncaught(e);
    Handler *h = rt_handler;
    rt_handler = h->prev;
    rt_top = h->top;
    longjmp(h->jb, 1);
}

void rt_reraise(void) { rt_raise(rt_exc); }

void rt_raise_new(const Type *t, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    rt_raise(rt_exc_new(t, rt_str_c(buf)));
}

void rt_sys_exit(Obj *code) {
    Exc *e = rt_exc_new(&T_SystemExit, NULL);
    e->value = code;
    if (code && code->type == &T_Box) e->msg = rt_int_str(((Box *)code)->v.i);
    else if (code) e->msg = rt_str(code);
    rt_raise(e);
}

void rt_none_error(void) {
    rt_raise_new(&T_AttributeError, "'NoneType' object has no attribute or value here");
}

void rt_overflow(void) {
    rt_raise_new(&T_OverflowError,
                 "int result does not fit in 64 bits (unik's Python subset has no bignums)");
}
