/* Exceptions: the built-in classes, raising (longjmp to the innermost handler),
 * and the traceback-style report of an uncaught exception. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    rt_gc_mark(e->cause);
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
EXC_TYPE(EOFError, &T_Exception);

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

/* A cause's traceback: the frames it was raised through, kept when `raise … from`
 * makes it a cause (the static tb_* above then still hold them: it was raised last). */
typedef struct {
    int n;
    bool more;
    const FrameInfo *info[TB_MAX];
    int line[TB_MAX];
} TbSnap;

void rt_raise_from(Exc *e, Obj *cause) {
    e->cause = cause;
    Exc *c = (Exc *)cause;
    if (c && c == rt_exc && !c->tb) {
        TbSnap *t = malloc(sizeof *t);      /* kept for the exception's life (rare) */
        if (t) {
            /* as CPython: the frames from the one handling it inwards (the outer ones
             * are the new exception's) */
            int depth = 0;
            for (PyFrame *f = rt_top; f; f = f->prev) depth++;
            t->n = tb_more || depth < 1 || depth > tb_n ? tb_n : tb_n - depth + 1;
            t->more = tb_more;
            memcpy(t->info, tb_info, sizeof tb_info);
            memcpy(t->line, tb_line, sizeof tb_line);
            c->tb = t;
        }
    }
    rt_raise(e);
}

static void print_frames(int n, bool more, const FrameInfo *const *info, const int *line) {
    fprintf(stderr, "Traceback (most recent call last):\n");
    if (more) fprintf(stderr, "  [outer frames not shown]\n");
    for (int i = n - 1; i >= 0; i--)
        fprintf(stderr, "  File \"%s\", line %d, in %s\n", info[i]->file, line[i],
                info[i]->func);
}

static void print_exc_line(Exc *e) {
    Str *msg = e->h.type->str ? e->h.type->str(&e->h) : rt_str_c("");
    if (e->h.type->module) fprintf(stderr, "%s.", e->h.type->module);
    if (msg->len)
        fprintf(stderr, "%s: %s\n", e->h.type->name, msg->data);
    else
        fprintf(stderr, "%s\n", e->h.type->name);
}

/* The chain of causes, outermost cause first, as CPython prints it. */
static void print_cause(Exc *c, int depth) {
    if (c->cause && depth < 16) print_cause((Exc *)c->cause, depth + 1);
    TbSnap *t = c->tb;
    if (t && t->n) print_frames(t->n, t->more, t->info, t->line);
    print_exc_line(c);
    fprintf(stderr, "\nThe above exception was the direct cause of the following "
                    "exception:\n\n");
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
    if (e->cause) print_cause((Exc *)e->cause, 0);
    print_frames(tb_n, tb_more, tb_info, tb_line);
    print_exc_line(e);
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
