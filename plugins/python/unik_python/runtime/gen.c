/* Generators as coroutines: each generator body runs on its own stack, and
 * yield switches stacks (callee-saved registers + stack pointer). The GC scans
 * a suspended generator's stack when the generator object is reachable. */
#include <stdio.h>
#include <stdlib.h>

#include "pyrt.h"

#define GEN_STACK (64 * 1024)

Gen *rt_cur_gen;
void rt_gc_scan(const void *lo, const void *hi);
void rt_gc_account(size_t bytes);

/* Save callee-saved registers on this stack, store its sp in *save, switch to sp `to`. */
void rt_switch(void **save, void *to);
__asm__(".text\n.globl rt_switch\n.type rt_switch,@function\nrt_switch:\n"
        "pushq %rbp\npushq %rbx\npushq %r12\npushq %r13\npushq %r14\npushq %r15\n"
        "movq %rsp, (%rdi)\nmovq %rsi, %rsp\n"
        "popq %r15\npopq %r14\npopq %r13\npopq %r12\npopq %rbx\npopq %rbp\nret\n"
        ".size rt_switch, .-rt_switch\n");

static void gen_trace(Obj *o) {
    Gen *g = (Gen *)o;
    rt_gc_mark(g->frame);
    rt_gc_mark_val(g->value, g->kind);
    rt_gc_mark(g->exc);
    if (g->state == 1) rt_gc_scan(g->sp, (char *)g->stack + g->stack_size);
}
static void gen_fin(Obj *o) { free(((Gen *)o)->stack); }
static Str *gen_repr(Obj *o) { return rt_str_fmt("<generator object at %p>", (void *)o); }
const Type T_Gen = {.name = "generator", .repr = gen_repr, .trace = gen_trace, .fin = gen_fin};

static void gen_start(void) {
    Gen *g = rt_cur_gen;
    Handler h;
    if (RT_TRY(h)) {
        g->body(g);
        rt_handler = h.prev;
    } else {
        g->exc = rt_exc;
    }
    g->state = 3;
    void *dead;
    rt_switch(&dead, g->caller_sp);
    abort();   /* a finished generator is never resumed */
}

Gen *rt_gen_new(GenBody body, void *frame, int kind) {
    Gen *g = rt_alloc(&T_Gen, sizeof(Gen));
    g->body = body;
    g->frame = frame;
    g->kind = kind;
    return g;
}

bool rt_gen_next(Gen *g) {
    if (g->state == 3) return false;
    if (g->state == 2) rt_raise_new(&T_ValueError, "generator already executing");
    if (g->state == 0) {
        g->stack_size = GEN_STACK;
        g->stack = malloc(GEN_STACK);
        if (!g->stack) rt_raise_new(&T_MemoryError, "out of memory (generator stack)");
        rt_gc_account(GEN_STACK);
        uintptr_t top = ((uintptr_t)g->stack + GEN_STACK) & ~(uintptr_t)15;
        void **sp = (void **)top;
        *--sp = NULL;                 /* gen_start's return address: never used */
        *--sp = (void *)gen_start;    /* where rt_switch's ret lands */
        for (int i = 0; i < 6; i++) *--sp = NULL;
        g->sp = sp;
        g->gen_handler = NULL;
    }
    g->state = 2;
    g->resumer = rt_cur_gen;
    char *saved_limit = rt_stack_limit;
    rt_stack_limit = (char *)g->stack + 16 * 1024;
    g->caller_handler = rt_handler;
    rt_handler = g->gen_handler;
    rt_cur_gen = g;
    PyFrame *caller_top = rt_top;
    if (g->bottom) {            /* the body's frame now hangs under this caller's */
        g->bottom->prev = caller_top;
        rt_top = g->bottom;
    }
    rt_switch(&g->caller_sp, g->sp);
    /* back: the body yielded or finished */
    rt_top = caller_top;
    rt_stack_limit = saved_limit;
    rt_cur_gen = g->resumer;
    rt_handler = g->caller_handler;
    if (g->state == 3) {
        if (g->exc) {
            Exc *e = g->exc;
            g->exc = NULL;
            free(g->stack);
            g->stack = NULL;
            rt_raise(e);
        }
        free(g->stack);
        g->stack = NULL;
        return false;
    }
    return true;
}

void rt_gen_yield(Gen *g, Val v) {
    g->value = v;
    g->state = 1;
    g->gen_handler = rt_handler;
    rt_switch(&g->sp, g->caller_sp);
    /* resumed by rt_gen_next */
}

Val rt_gen_next_value(Gen *g) {
    if (!rt_gen_next(g)) rt_raise(rt_exc_new(&T_StopIteration, NULL));
    return g->value;
}
